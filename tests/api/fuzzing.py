"""schemathesis's engine over an ASGI application's own OpenAPI document, for the API's and the
relayer's tests: every operation, every phase but the stateful one (examples, coverage — the
boundary and the invalid values of each parameter, the undeclared methods — and fuzzing, valid
and invalid data), every built-in check, a bounded number of examples each; plus the house
rule that every 4xx is a JSON error with a message."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema
from schemathesis.specs.openapi.checks import positive_data_acceptance

Tolerated = Callable[[Any, Any], str | None]
"""``(case, response)`` → why a schema-valid request may be refused (None: it may not)."""

_TOLERATED: list[Tolerated] = []
"""The tolerance of the run in progress (the checks are registered once, globally)."""
_ERROR_KEYS: list[frozenset[str]] = []


@schemathesis.check
def error_is_json_with_a_message(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 4xx is one JSON object with the error's keys and a non-empty message."""
    if not 400 <= response.status_code < 500:
        return None
    body = response.json()
    keys = _ERROR_KEYS[-1] if _ERROR_KEYS else frozenset({"error", "detail"})
    assert isinstance(body, dict) and set(body) == keys, f"a 4xx that is not an error: {body}"
    assert all(isinstance(body[k], str) and body[k] for k in keys), f"an empty message: {body}"
    return None


@schemathesis.check
def schema_valid_data_accepted(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis's ``positive_data_acceptance``, less the refusals the document cannot
    state (the caller's ``tolerated``): those are counted instead."""
    for tolerated in _TOLERATED[-1:]:
        if tolerated(case, response) is not None:
            return None
    return positive_data_acceptance(ctx, response, case)


@dataclass
class Report:
    operations: set[str] = field(default_factory=set)
    cases: Counter[str] = field(default_factory=Counter)
    """Requests made, per phase."""
    per_operation: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.cases.values())

    def summary(self) -> str:
        phases = ", ".join(f"{phase} {n}" for phase, n in sorted(self.cases.items()))
        return f"{len(self.operations)} operations, {self.total} requests ({phases})"


def run(
    app: Any,
    *,
    max_examples: int,
    tolerated: Tolerated | None = None,
    error_keys: frozenset[str] = frozenset({"error", "detail"}),
) -> Report:
    """Runs schemathesis over ``app`` (deterministic, no example database) and reports every
    request, status and failure."""
    config = SchemathesisConfig.from_dict(
        {
            "generation": {
                "max-examples": max_examples,
                "mode": "all",
                "deterministic": True,
                "database": "none",
            },
            "phases": {"stateful": {"enabled": False}},
            "checks": {"enabled": True, "positive_data_acceptance": {"enabled": False}},
        }
    )
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    _TOLERATED.append(tolerated or (lambda case, response: None))
    _ERROR_KEYS.append(error_keys)
    report = Report()
    try:
        for event in from_schema(schema).execute():
            if isinstance(event, events.ScenarioFinished):
                recorder = event.recorder
                report.operations.add(recorder.label)
                report.cases[str(event.phase.value)] += len(recorder.interactions)
                report.per_operation[recorder.label] += len(recorder.interactions)
                for interaction in recorder.interactions.values():
                    report.statuses[interaction.response.status_code] += 1
                for case_id, checks in recorder.checks.items():
                    for check in checks:
                        if check.failure_info is None:
                            continue
                        case = recorder.cases[case_id].value
                        report.failures.append(
                            f"{recorder.label} [{check.name}] {case.as_curl_command()}\n"
                            f"{check.failure_info.failure}"
                        )
            elif isinstance(event, events.NonFatalError):
                report.errors.append(f"{event.label}: {event.value!r}")
            elif isinstance(event, events.FatalError):
                report.errors.append(f"fatal: {event.exception!r}")
    finally:
        _TOLERATED.pop()
        _ERROR_KEYS.pop()
    return report
