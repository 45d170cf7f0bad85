"""Opt-in step counter of the stateful machines, for the deep runs outside CI.

With ``KOL_STATEFUL_STEP_LOG=FILE`` set, every example appends one line,
``<machine> <steps>``, to FILE at teardown (the steps it completed; a killed
run keeps the lines of its finished examples). Unset, nothing is written.
"""

from __future__ import annotations

import os
from typing import Any

STEP_LOG = os.environ.get("KOL_STATEFUL_STEP_LOG")


class CountsSteps:
    """Mixed in before ``RuleBasedStateMachine``: hypothesis checks the
    invariants once before the first step and once after each completed one."""

    _invariant_checks = 0

    def check_invariants(self, *args: Any, **kwargs: Any) -> Any:
        self._invariant_checks += 1
        return super().check_invariants(*args, **kwargs)  # type: ignore[misc]

    def record_steps(self) -> None:
        if STEP_LOG:
            with open(STEP_LOG, "a", encoding="utf-8") as log:
                log.write(f"{type(self).__name__} {max(self._invariant_checks - 1, 0)}\n")
