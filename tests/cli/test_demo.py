"""``kol demo``: a seeded year of the constitution, checked against its rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rich.console import Console

from kol.alliance import (
    Chamber,
    Motion,
    MotionKind,
    MotionStatus,
    ProposerRole,
    Rule,
    Stage,
    StageStatus,
)
from kol.cli import main
from kol.cli.demo import motion_table
from kol.cli.year import DAY

SEED = 2019
OTHER_SEED = 7
#: What the year carries out (§5): every membership motion once, the administrator twice
#: (the first attempt falls short of 67% of the nodes and is closed); ten genesis months,
#: three matched batches, two statements, two audit demands, and two parameter motions (the
#: voting period, then closing the genesis programme). Task approvals are counted apart.
EXECUTED = {
    "RATIFY_GENESIS_SUPER_NODES": 1,
    "REPLACE_NODE": 1,
    "REPLACE_SUPER_NODE": 1,
    "REPLACE_ADMIN": 1,
    "REPLENISH_SUPER_ALTERNATES": 1,
    "REPLENISH_NODE_ALTERNATES": 1,
    "SET_PARAMETERS": 2,
    "GENESIS_RELEASE": 10,
    "ISSUE_MATCHED_BATCH": 3,
    "PUBLISH_STATEMENT": 2,
    "DEMAND_AUDIT": 2,
}
TASKS = 9
"""3 + 3 + 2 approved tasks and one oversized request voted down."""


def run_demo(tmp_path: Path, *args: str) -> tuple[str, Path]:
    report = tmp_path / "report.md"
    result = CliRunner().invoke(main, ["demo", *args, "--report", str(report)])
    assert result.exit_code == 0, result.output
    return result.stdout, report


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    return run_demo(tmp_path_factory.mktemp("first"), "--seed", str(SEED), "--json")


def check_constitution(ledger: dict[str, Any]) -> None:
    """The figures a year of §3–§6 implies, whatever the seed."""
    roster = ledger["roster"]
    assert (roster["super_nodes"], roster["super_alternates"], roster["nodes"]) == (21, 8, 126)
    assert roster["node_seats"] == 21 + 126 + roster["extra_nodes"] == 149

    executed = ledger["motions_executed"]
    assert {k: v for k, v in executed.items() if k != "APPROVE_TASK"} == {
        kind.name: EXECUTED.get(kind.name, 0) for kind in MotionKind if kind.name != "APPROVE_TASK"
    }
    assert all(executed[kind.name] >= 1 for kind in MotionKind)  # all twelve kinds
    assert ledger["motions_failed"]["REPLACE_ADMIN"] == 1
    assert ledger["administrator_replaced"] is True
    assert ledger["parameters"] == {"voting_period": 5 * DAY, "notice_period": 2 * DAY}

    forfeited = ledger["forfeitures_by_chamber"]
    assert ledger["forfeitures"] >= 1
    assert forfeited["super_nodes"] >= 1  # the super node that never attends the super chamber
    assert ledger["forfeitures"] == forfeited["nodes"] + forfeited["super_nodes"]

    seats, refills = ledger["seats"], ledger["refills"]
    # REPLACE_NODE swaps a seat; the five node alternates take free seats at once (§3); each
    # forfeited node seat stays free because the node-alternate queue is then empty.
    assert seats["node_alternates"] == 0
    assert refills["nodes"] == 0
    assert seats["nodes"] == 149 + 5 - forfeited["nodes"]
    # 8 ratified + 3 replenished super alternates; every refill takes the head (a head that
    # lost its node seat is dropped on the way).
    assert seats["super_alternates"] <= 8 + 3 - refills["super_nodes"]
    assert seats["super_alternates"] >= 8 + 3 - refills["super_nodes"] - forfeited["nodes"]
    assert refills["super_nodes"] >= forfeited["super_nodes"]
    # 21 super seats after the year, unless a forfeiture left a gap the queue could not fill
    assert seats["super_nodes"] == 21 or seats["super_alternates"] == 0
    # one candidate seated by REPLACE_NODE, five by REPLENISH_NODE_ALTERNATES
    assert seats["candidates"] == roster["candidates"] - 1 - 5

    supply = ledger["supply"]
    assert supply["issued_total"] == supply["issued_genesis"] + supply["issued_matched"]
    assert supply["issued_total"] - supply["burned"] == supply["total_supply"]
    assert supply["issued_genesis"] <= 5_000_000 * 10**18
    assert supply["issued_matched"] <= 16_000_000 * 10**18
    economy = ledger["economy"]
    assert ledger["tasks"] == TASKS
    assert executed["APPROVE_TASK"] + economy["tasks_refunded"] == TASKS
    assert ledger["motions_failed"]["APPROVE_TASK"] == economy["tasks_refunded"] == 1
    # Every approved fee was matched by KOL at 1 KOL per USDT, nothing more.
    assert supply["issued_matched"] == economy["fees_approved_usdt"] * 10**12
    assert economy["batches"] == 3 and economy["claims_by_proof"] > 0
    assert ledger["claims"] == (
        economy["claims_by_proof"] + economy["claims_pushed"] + economy["genesis_claims"]
    )
    genesis = economy["genesis"]
    assert (genesis["months_released"], genesis["closed"]) == (10, True)
    assert supply["issued_genesis"] == genesis["cum_paid"]
    assert genesis["cum_paid"] + genesis["cum_forfeited"] <= 10 * 1_000 * 10**18 * 160
    assert economy["audits"] == {"demanded": 2, "answered": 1, "overdue": 1}
    assert economy["statements"] == 2 and economy["burns"] == 1 and supply["burned"] > 0
    assert not economy["issuance_complete"]
    assert ledger["ballots"]["own_transactions"] > 0 and ledger["ballots"]["relayed"] > 0
    assert ledger["sponsorships"]["relayed"] > 0


def test_demo__json_is_one_object_with_the_constitutions_figures(
    first: tuple[str, Path],
) -> None:
    stdout, _ = first
    assert stdout.count("\n") == 1 and stdout.startswith("{")  # nothing but the JSON
    ledger = json.loads(stdout)
    assert ledger["seed"] == SEED
    check_constitution(ledger)


def test_demo__report_has_the_ledger_and_a_table_per_motion(first: tuple[str, Path]) -> None:
    _, report = first
    text = report.read_text(encoding="utf-8")
    ledger = json.loads(first[0])
    motions = sum(ledger["motions_executed"].values()) + sum(ledger["motions_failed"].values())
    assert text.count("\n### Motion ") == motions
    assert text.count("| step | body | electorate | threshold |") == motions
    assert "### Motion 1: RATIFY_GENESIS_SUPER_NODES (executed)" in text
    assert "GCC共识社区" in text and "區块鏈@寻龍社区" in text  # real names
    assert "### Forfeitures (§6)" in text
    assert "### The economy" in text
    for chart in ("report.supply.svg", "report.votes.svg"):
        assert f"]({chart})" in text
        svg = (report.parent / chart).read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "<polyline" in svg or "<rect" in svg


def test_demo__same_seed_gives_the_same_year(first: tuple[str, Path], tmp_path: Path) -> None:
    stdout, report = run_demo(tmp_path, "--seed", str(SEED), "--json")
    assert stdout == first[0]
    assert report.read_text(encoding="utf-8") == first[1].read_text(encoding="utf-8")


def test_demo__another_seed_gives_another_year_under_the_same_rules(
    first: tuple[str, Path], tmp_path: Path
) -> None:
    stdout, _ = run_demo(tmp_path, "--seed", str(OTHER_SEED), "--json")
    ledger = json.loads(stdout)
    assert ledger["seed"] == OTHER_SEED
    check_constitution(ledger)
    assert ledger["ballots"] != json.loads(first[0])["ballots"]


def test_demo__help_names_the_options() -> None:
    result = CliRunner().invoke(main, ["demo", "--help"])
    assert result.exit_code == 0
    for option in ("--seed", "--json", "--report"):
        assert option in result.output


def test_motion_table__shows_tallies_against_the_threshold() -> None:
    stage = Stage(
        stage_id=3,
        motion_id=2,
        chamber=Chamber.SUPER,
        seq=1,
        opened_block=10,
        deadline=1_000,
        passed_at=500,
        electorate=21,
        threshold=7,
        votes_for=16,
        votes_against=2,
        votes_abstain=1,
        status=StageStatus.PASSED,
    )
    rule = Rule(
        kind=MotionKind.REPLACE_NODE,
        proposer=ProposerRole.SUPER_NODE,
        sponsor_body=None,
        sponsor_pct=0,
        chamber1=Chamber.SUPER,
        pct1=33,
        chamber2=None,
        pct2=0,
    )
    motion = Motion(
        motion_id=2,
        kind=MotionKind.REPLACE_NODE,
        proposer="0x" + "11" * 20,
        args_hash=b"\x00" * 32,
        created_block=10,
        created_at=0,
        notice_period=0,
        execution_window=7 * DAY,
        status=MotionStatus.EXECUTED,
        rule=rule,
        sponsorship=None,
        stages=(stage,),
        args=None,
    )
    console = Console(record=True, width=120)
    console.print(motion_table(motion, {}))
    text = console.export_text()
    assert "motion 2 · REPLACE_NODE · executed" in text
    for cell in ("super nodes", "21", "7", "16", "passed"):
        assert cell in text
