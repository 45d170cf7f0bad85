"""The foundation's books: spending, statements, audit demands (§5, §9)."""

from __future__ import annotations

import boa

from tests.contracts.helpers import (
    APPROVE_TASK,
    DAY,
    DEMAND_AUDIT,
    PUBLISH_STATEMENT,
    World,
    args,
    key,
    warp,
)
from tests.contracts.unitary.treasury.conftest import USDT


def _revenue(w: World, client: str, fee: int) -> None:
    with boa.env.prank(client):
        task_id = w.a.treasury.request_task(2, b"\x22" * 32, fee)
    w.pass_motion(w.nodes[25].address, APPROVE_TASK, args(numbers=[task_id]))


def test_spend__foundation_pays_from_approved_revenue(world: World, client: str) -> None:
    _revenue(world, client, 1_000 * USDT)
    to = key("supplier").address
    with boa.env.prank(world.foundation):
        world.a.treasury.spend(to, 400 * USDT, b"\x33" * 32)
    assert world.a.usdt.balanceOf(to) == 400 * USDT
    assert world.a.treasury.spent_usdt() == 400 * USDT
    with (
        boa.env.prank(world.foundation),
        boa.reverts("treasury: the amount exceeds the foundation's approved USDT revenue"),
    ):
        world.a.treasury.spend(to, 601 * USDT, b"\x33" * 32)
    assert world.a.usdt.balanceOf(to) == 400 * USDT


def test_spend__escrowed_fees_are_not_revenue(world: World, client: str) -> None:
    with boa.env.prank(client):
        world.a.treasury.request_task(2, b"\x22" * 32, 1_000 * USDT)
    with (
        boa.env.prank(world.foundation),
        boa.reverts("treasury: the amount exceeds the foundation's approved USDT revenue"),
    ):
        world.a.treasury.spend(key("x").address, 1, b"\x00" * 32)


def test_spend__not_the_foundation__reverts(world: World, client: str) -> None:
    _revenue(world, client, 1_000 * USDT)
    with boa.env.prank(world.nodes[0].address), boa.reverts("treasury: only the foundation spends"):
        world.a.treasury.spend(world.nodes[0].address, 1, b"\x00" * 32)


def test_publish_statement__super_33_percent__publishes(world: World) -> None:
    statement = args(
        numbers=[1_700_000_000, 1_702_592_000], hashes=[b"\x44" * 32], text="ipfs://statement-q1"
    )
    mid = world.pass_motion(world.foundation, PUBLISH_STATEMENT, statement)
    s = world.a.treasury.statements(1)
    assert (s.period_start, s.content_hash, s.uri, s.motion_id) == (
        1_700_000_000,
        b"\x44" * 32,
        "ipfs://statement-q1",
        mid,
    )
    assert world.motions.rule(PUBLISH_STATEMENT).pct1 == 33


def test_publish_statement__bad_period_or_missing_hash__reverts(world: World) -> None:
    with (
        boa.env.prank(world.foundation),
        boa.reverts("treasury: a statement's period must start before it ends"),
    ):
        world.motions.propose(
            PUBLISH_STATEMENT, args(numbers=[5, 5], hashes=[b"\x44" * 32], text="u")
        )
    with (
        boa.env.prank(world.foundation),
        boa.reverts("treasury: a statement needs a content hash and a URI"),
    ):
        world.motions.propose(PUBLISH_STATEMENT, args(numbers=[1, 5], hashes=[b"\x44" * 32]))


def test_demand_audit__overdue_then_answered(world: World) -> None:
    t = world.a.treasury
    world.pass_motion(world.nodes[5].address, DEMAND_AUDIT, args(numbers=[1, 2], text="2026 books"))
    d = t.audit_demands(1)
    assert d.due > 0 and not t.audit_overdue(1)
    warp(30 * DAY + 12)
    assert t.audit_overdue(1)
    with (
        boa.env.prank(world.nodes[5].address),
        boa.reverts("treasury: only the foundation answers audits"),
    ):
        t.answer_audit(1, b"\x55" * 32, "ipfs://audit")
    with boa.env.prank(world.foundation):
        t.answer_audit(1, b"\x55" * 32, "ipfs://audit")
    assert not t.audit_overdue(1)
    assert t.audit_demands(1).report_uri == "ipfs://audit"
    with (
        boa.env.prank(world.foundation),
        boa.reverts("treasury: this audit demand is already answered"),
    ):
        t.answer_audit(1, b"\x55" * 32, "ipfs://audit")


def test_economy_hooks__only_the_motions_engine(world: World) -> None:
    with boa.reverts("treasury: only the motions engine"):
        world.a.treasury.on_execute(2, 1, [], [1], [], "")
    with boa.reverts("treasury: only the motions engine"):
        world.a.treasury.on_propose(2, 1, world.nodes[0].address, [], [1], [], "")
