"""Circulation mode (§7): once the matched bucket is exhausted, tasks are paid
in KOL and their batches distribute the escrowed KOL, minting nothing."""

from __future__ import annotations

import boa

from kol.domain.allocation import Allocation
from tests.contracts.helpers import APPROVE_TASK, ISSUE_MATCHED_BATCH, World, args, key
from tests.contracts.unitary.treasury._economy import (
    KOL,
    USDT,
    allocation,
    approved_tasks,
    batch_args,
    claim,
    issue,
    request,
)

USDT_CURRENCY, KOL_CURRENCY = 0, 1


def _exhaust(world: World, client: str) -> str:
    """Fills the matched bucket; returns a KOL-holding client."""
    world.a.usdt.mint(client, 16_000_000 * USDT)
    ids = approved_tasks(world, client, [16_000_000 * USDT])
    kol_client = key("kol client").address
    alloc = Allocation.of(
        16_000_000 * KOL, [(kol_client, "user", 1), (world.nodes[1].address, "leader", 1)]
    )
    batch_id = issue(world, alloc, ids)
    claim(world, batch_id, alloc, 0)
    assert world.a.treasury.circulation_mode()
    with boa.env.prank(kol_client):
        world.a.token.approve(world.a.treasury.address, 2**256 - 1)
    return kol_client


def test_circulation__tasks_are_paid_in_kol(world: World, client: str) -> None:
    t, token = world.a.treasury, world.a.token
    kol_client = _exhaust(world, client)
    before = token.balanceOf(kol_client)
    task_id = request(world, kol_client, 500 * KOL)
    task = t.task(task_id)
    assert (task.currency, task.fee) == (KOL_CURRENCY, 500 * KOL)
    assert token.balanceOf(kol_client) == before - 500 * KOL
    assert token.balanceOf(t.address) == 500 * KOL
    assert t.escrowed(KOL_CURRENCY) == 500 * KOL


def test_circulation__a_batch_distributes_escrowed_kol_and_mints_nothing(
    world: World, client: str
) -> None:
    t, token = world.a.treasury, world.a.token
    kol_client = _exhaust(world, client)
    supply, issued = token.totalSupply(), token.issued_total()
    first, second = request(world, kol_client, 300 * KOL), request(world, kol_client, 200 * KOL)
    for task_id in (first, second):
        world.pass_motion(world.nodes[2].address, APPROVE_TASK, args(numbers=[task_id]))
    alloc = allocation(500 * KOL, leaders=[world.nodes[3].address])
    batch_id = issue(world, alloc, [first, second])
    assert token.totalSupply() == supply and token.issued_total() == issued
    assert token.balanceOf(t.address) == 0
    _, _, _, user_left, leader_left = token.batch(batch_id)
    assert (user_left, leader_left) == (400 * KOL, 100 * KOL)
    for i in range(len(alloc.leaves)):
        claim(world, batch_id, alloc, i)
    assert sum(token.balanceOf(leaf.account) for leaf in alloc.leaves) == 500 * KOL
    assert t.matched(KOL_CURRENCY) == 500 * KOL


def test_circulation__batch_total_is_the_kol_fees_exactly(world: World, client: str) -> None:
    kol_client = _exhaust(world, client)
    task_id = request(world, kol_client, 300 * KOL)
    world.pass_motion(world.nodes[2].address, APPROVE_TASK, args(numbers=[task_id]))
    with (
        boa.env.prank(world.nodes[4].address),
        boa.reverts(
            "treasury: a batch's KOL is the named tasks' fees x kol_per_usdt (KOL tasks: their "
            "fees), capped by the matched bucket's remaining capacity"
        ),
    ):
        world.motions.propose(ISSUE_MATCHED_BATCH, batch_args(allocation(301 * KOL), [task_id]))


def test_circulation__a_batch_mixing_currencies__reverts(world: World, client: str) -> None:
    (usdt_task,) = approved_tasks(world, client, [100 * USDT])
    kol_client = _exhaust(world, client)
    kol_task = request(world, kol_client, 100 * KOL)
    world.pass_motion(world.nodes[2].address, APPROVE_TASK, args(numbers=[kol_task]))
    with (
        boa.env.prank(world.nodes[4].address),
        boa.reverts(
            "treasury: a batch names tasks paid in one currency (USDT, or KOL in circulation mode)"
        ),
    ):
        world.motions.propose(
            ISSUE_MATCHED_BATCH, batch_args(allocation(200 * KOL), [usdt_task, kol_task])
        )


def test_circulation__refund_returns_the_kol_fee(world: World, client: str) -> None:
    t, token = world.a.treasury, world.a.token
    kol_client = _exhaust(world, client)
    before = token.balanceOf(kol_client)
    task_id = request(world, kol_client, 50 * KOL)
    boa.env.time_travel(seconds=8 * 86_400)
    t.refund_task(task_id)
    assert token.balanceOf(kol_client) == before
    assert t.escrowed(KOL_CURRENCY) == 0 and t.task(task_id).state == 3
    assert t.escrowed(USDT_CURRENCY) == 0
