"""The parameters of §10 as contracts/modules/parameters.vy defines them:
ids, getters, defaults, ranges and revert reasons."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boa

from tests.contracts.helpers import DAY, SET_PARAMETERS, World, args


@dataclass(frozen=True)
class Parameter:
    id: int
    getter: str
    low: int  # smallest allowed value
    high: int  # largest allowed value
    reason: str  # revert reason outside [low, high]


PARAMETERS = (
    Parameter(
        1, "voting_period", 3_600, 30 * DAY, "parameters: voting_period must be 1 hour to 30 days"
    ),
    Parameter(
        2, "sponsor_window", 3_600, 30 * DAY, "parameters: sponsor_window must be 1 hour to 30 days"
    ),
    Parameter(
        3, "execution_window", DAY, 30 * DAY, "parameters: execution_window must be 1 to 30 days"
    ),
    Parameter(4, "notice_period", 0, 14 * DAY, "parameters: notice_period must be at most 14 days"),
    Parameter(5, "audit_due", DAY, 180 * DAY, "parameters: audit_due must be 1 to 180 days"),
    Parameter(
        6,
        "kol_per_usdt",
        1,
        10**15,
        "parameters: kol_per_usdt must be 1 to 10**15 base units per USDT unit",
    ),
    Parameter(7, "super_ban", 0, 3_650 * DAY, "parameters: a ban lasts at most 10 years"),
    Parameter(8, "node_ban", 0, 3_650 * DAY, "parameters: a ban lasts at most 10 years"),
    Parameter(9, "foundation", 1, 2**160 - 1, "parameters: foundation must be a non-zero address"),
)
BY_ID = {p.id: p for p in PARAMETERS}

UNKNOWN_ID = "parameters: unknown parameter id"
NAMED_TWICE = "motions: a parameter is named twice"
PAIRS_ONLY = "motions: SET_PARAMETERS takes pairs of (parameter id, value) only"


def value_of(w: World, p: Parameter) -> int:
    """The parameter's current value (the foundation as an integer)."""
    v = getattr(w.council, p.getter)()
    return int(v, 16) if p.id == 9 else int(v)


def values(w: World) -> dict[str, int]:
    return {p.getter: value_of(w, p) for p in PARAMETERS}


def proposer(w: World) -> str:
    """A super node (SET_PARAMETERS is proposed by a super node, §5)."""
    address: str = w.supers[5].address
    return address


def set_parameters(w: World, numbers: list[int]) -> int:
    """Passes and executes SET_PARAMETERS with (id, value) pairs."""
    return w.pass_motion(proposer(w), SET_PARAMETERS, args(numbers=numbers))


def changed_events(w: World) -> list[tuple[int, int]]:
    """(parameter, new value) of the ParameterChanged logs of the last execution."""
    return [
        (e.parameter, e.new_value)
        for e in w.motions.get_logs()
        if type(e).__name__ == "ParameterChanged"
    ]


@contextmanager
def refused(w: World, reason: str) -> Iterator[None]:
    """The proposal reverts with ``reason``; no motion, no parameter changes."""
    before = (values(w), w.motions.motion_count(), w.council.stage_count(1))
    with boa.reverts(reason), boa.env.prank(proposer(w)):
        yield
    assert (values(w), w.motions.motion_count(), w.council.stage_count(1)) == before


def now() -> int:
    timestamp: int = boa.env.evm.patch.timestamp
    return timestamp


def propose(w: World, numbers: list[int]) -> Any:
    return w.motions.propose(SET_PARAMETERS, args(numbers=numbers))
