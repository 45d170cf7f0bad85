"""The SDK's economy (``kol.alliance``): tasks, batches, claims, genesis months and the books,
spoken in the constitution's words over the in-process contracts."""

from __future__ import annotations

import pytest

from kol.alliance import (
    Alliance,
    Choice,
    Currency,
    MotionArgs,
    MotionKind,
    Parameter,
    RuleViolation,
    TaskKind,
    TaskState,
)
from kol.domain.allocation import Allocation
from kol.domain.genesis import Decision, GenesisSchedule, Verdict
from kol.domain.types import Role
from tests.cli.test_alliance import ADMIN, FOUNDATION, NODES, key, ratify

USDT, KOL = 10**6, 10**18
CLIENT = key("client")


@pytest.fixture
def alliance() -> Alliance:
    a = Alliance.in_process(ADMIN.address, FOUNDATION.address, with_treasury=True)
    for i, k in enumerate(NODES):
        a.nominate(k.address, f"社区 {i}", by=ADMIN.address)
    a.wait(12)
    ratify(a)
    a.mint_test_usdt(CLIENT.address, 100_000 * USDT, by=CLIENT.address)
    a.approve_usdt(a.treasury_address(), 2**256 - 1, by=CLIENT.address)
    return a


def carry(a: Alliance, kind: MotionKind, args: MotionArgs, proposer: str) -> int:
    """Proposes, lets every seated member of each stage's chamber vote For, executes."""
    motion_id = a.propose(kind, args, by=proposer)
    rule = a.rule(kind)
    for number, (chamber, _) in enumerate(rule.stages, start=1):
        if number > 1:
            a.advance(motion_id, by=proposer)
        for member in a.seated(chamber):
            a.vote(motion_id, number, Choice.FOR, by=member.address)
    a.execute(motion_id, by=proposer)
    return motion_id


def test_task__requested_approved_matched_and_claimed(alliance: Alliance) -> None:
    a = alliance
    task_id = a.request_task(TaskKind.ROADSHOW, b"\x01" * 32, 2_000 * USDT, by=CLIENT.address)
    task = a.task(task_id)
    assert (task.kind, task.currency, task.state, task.fee) == (
        TaskKind.ROADSHOW,
        Currency.USDT,
        TaskState.REQUESTED,
        2_000 * USDT,
    )
    carry(a, MotionKind.APPROVE_TASK, MotionArgs.approve_task(task_id), NODES[25].address)
    assert a.task(task_id).state == TaskState.APPROVED
    users = [key(f"user{i}").address for i in range(5)]
    alloc = Allocation.of(
        2_000 * KOL,
        [(u, Role.USER, i + 1) for i, u in enumerate(users)] + [(NODES[3].address, "leader", 1)],
    )
    carry(
        a,
        MotionKind.ISSUE_MATCHED_BATCH,
        MotionArgs.matched_batch(alloc, [task_id], "ipfs://list"),
        NODES[4].address,
    )
    batch = a.batch(a.batch_count())
    assert (batch.root, batch.user_left, batch.leader_left) == (
        alloc.tree().root,
        1_600 * KOL,
        400 * KOL,
    )
    assert a.claim(batch.batch_id, alloc, 0, by=key("keeper").address) == alloc.leaves[0].amount
    assert a.deliver(batch.batch_id, alloc, range(len(alloc.leaves)), by=NODES[5].address) == 5
    assert a.batch(batch.batch_id).user_left == 0
    assert a.balance(NODES[3].address) == 400 * KOL
    assert a.task(task_id).state == TaskState.MATCHED
    with pytest.raises(RuleViolation) as refused:
        a.claim(batch.batch_id, alloc, 1, by=users[1])
    assert refused.value.reason == "distribution: this leaf is already claimed"


def test_refund__before_the_window__names_the_rule(alliance: Alliance) -> None:
    a = alliance
    task_id = a.request_task(TaskKind.OTHER, b"\x02" * 32, 10 * USDT, by=CLIENT.address)
    with pytest.raises(RuleViolation) as refused:
        a.refund_task(task_id, by=CLIENT.address)
    assert "refundable once the execution window" in refused.value.reason
    a.wait(8 * 86_400)
    a.refund_task(task_id, by=key("anyone").address)
    assert a.task(task_id).state == TaskState.REFUNDED
    assert a.usdt_balance(CLIENT.address) == 100_000 * USDT


def test_genesis__month_released_and_claimed(alliance: Alliance) -> None:
    a = alliance
    schedule = GenesisSchedule.of(
        [Decision.of(1, NODES[0].address, Verdict.PAY), Decision.of(1, NODES[1].address, "defer")]
    )
    carry(
        a,
        MotionKind.GENESIS_RELEASE,
        MotionArgs.genesis_month(schedule, 1, "ipfs://month-1"),
        NODES[2].address,
    )
    g = a.genesis()
    assert (g.month, g.cum_paid, g.cum_forfeited, g.closed) == (1, 1_000 * KOL, 0, False)
    assert a.claim_genesis(schedule, 1, NODES[0].address, by=NODES[9].address) == 1_000 * KOL
    assert a.genesis_claimed(NODES[0].address) == 1_000 * KOL
    with pytest.raises(RuleViolation) as refused:
        a.claim_genesis(schedule, 1, NODES[1].address, by=NODES[1].address)
    assert refused.value.reason.startswith("genesis: this leader has already claimed")


def test_books__statement_audit_answer_and_burn(alliance: Alliance) -> None:
    a = alliance
    now = a.now()
    carry(
        a,
        MotionKind.PUBLISH_STATEMENT,
        MotionArgs.statement(now - 30 * 86_400, now, b"\x05" * 32, "ipfs://statement"),
        FOUNDATION.address,
    )
    assert a.statement_count() == 1
    carry(a, MotionKind.DEMAND_AUDIT, MotionArgs.audit(now - 86_400, now), NODES[6].address)
    demand = a.audit(1)
    assert not demand.overdue and demand.due > now
    a.wait(31 * 86_400)
    assert a.audit(1).overdue
    a.answer_audit(1, b"\x06" * 32, "ipfs://audit", by=FOUNDATION.address)
    assert not a.audit(1).overdue and a.audit(1).answered_at > 0
    # A burn needs KOL: a genesis month pays the foundation's bought-back KOL to a node.
    schedule = GenesisSchedule.of([Decision.of(1, NODES[7].address, Verdict.PAY)])
    carry(
        a, MotionKind.GENESIS_RELEASE, MotionArgs.genesis_month(schedule, 1, "u"), NODES[8].address
    )
    a.claim_genesis(schedule, 1, NODES[7].address, by=NODES[7].address)
    a.transfer(FOUNDATION.address, 400 * KOL, by=NODES[7].address)
    a.approve_kol(a.treasury_address(), 400 * KOL, by=FOUNDATION.address)
    a.buyback_burn(400 * KOL, 390 * USDT, b"\x07" * 32, by=FOUNDATION.address)
    supply = a.supply()
    assert (supply.burned, supply.total_supply) == (400 * KOL, 600 * KOL)
    assert not a.issuance_complete() and not a.circulation_mode()


def test_close_genesis__before_month_ten__names_the_rule(alliance: Alliance) -> None:
    a = alliance
    with pytest.raises(RuleViolation) as refused:
        carry(
            a,
            MotionKind.SET_PARAMETERS,
            MotionArgs.parameters({Parameter.CLOSE_GENESIS: 1}),
            NODES[0].address,
        )
    assert refused.value.reason == (
        "genesis: the programme can be closed only after its tenth month is released"
    )
