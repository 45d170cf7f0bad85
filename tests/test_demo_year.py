"""The interim main job (`python -m kol.demo`): a seeded year of the constitution."""

from __future__ import annotations

import json

import pytest

from kol.demo import Year, main


@pytest.fixture(scope="module")
def ledger() -> dict[str, object]:
    return Year(7, lambda line: None).run()


def test_year__every_membership_motion_and_the_books_are_executed(
    ledger: dict[str, object],
) -> None:
    executed = ledger["motions_executed"]
    assert isinstance(executed, dict)
    for kind in (
        "RATIFY_GENESIS_SUPER_NODES",
        "REPLACE_NODE",
        "REPLACE_SUPER_NODE",
        "REPLACE_ADMIN",
        "REPLENISH_SUPER_ALTERNATES",
        "REPLENISH_NODE_ALTERNATES",
        "SET_PARAMETERS",
        "APPROVE_TASK",
        "PUBLISH_STATEMENT",
        "DEMAND_AUDIT",
    ):
        assert executed.get(kind, 0) >= 1, kind


def test_year__seats_forfeiture_and_supply(ledger: dict[str, object]) -> None:
    seats = ledger["seats"]
    supply = ledger["supply"]
    assert isinstance(seats, dict) and isinstance(supply, dict)
    assert seats["super_nodes"] == 21  # the forfeited super seat was refilled from the queue
    assert seats["nodes"] <= 500
    assert ledger["forfeitures"] == 1
    assert supply["issued_total"] - supply["burned"] == supply["total_supply"]


def test_year__is_deterministic_for_a_seed(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--seed", "7", "--json"])
    first = capsys.readouterr().out
    main(["--seed", "7", "--json"])
    second = capsys.readouterr().out
    assert first == second
    assert json.loads(first)["tasks"] >= 6
