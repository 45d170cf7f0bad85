"""Client tasks and their escrowed fees (§7, §11.10)."""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import (
    AGAINST,
    APPROVE_TASK,
    DAY,
    EXECUTED,
    FAILED,
    LAPSED,
    World,
    args,
    key,
    warp,
)
from tests.contracts.unitary.treasury.conftest import USDT

REQUESTED, APPROVED, REFUNDED = 1, 2, 3


def _request(w: World, client: str, fee: int = 5_000 * USDT, kind: int = 1) -> int:
    with boa.env.prank(client):
        task_id: int = w.a.treasury.request_task(kind, b"\x11" * 32, fee)
    return task_id


def test_request_task__escrows_the_whole_fee_in_usdt(world: World, client: str) -> None:
    t = world.a.treasury
    before = world.a.usdt.balanceOf(client)
    task_id = _request(world, client, 1_234 * USDT, kind=3)
    task = t.task(task_id)
    assert (task.client, task.kind, task.currency, task.state, task.fee) == (
        client,
        3,
        0,
        REQUESTED,
        1_234 * USDT,
    )
    assert world.a.usdt.balanceOf(client) == before - 1_234 * USDT
    assert world.a.usdt.balanceOf(t.address) == 1_234 * USDT
    assert t.escrowed(0) == 1_234 * USDT


@pytest.mark.parametrize("kind", [0, 7])
def test_request_task__unknown_kind__reverts(world: World, client: str, kind: int) -> None:
    with (
        boa.env.prank(client),
        boa.reverts(
            "tasks: kind is 1 to 6 (poster call, exchange registration, candy airdrop, roadshow, "
            "conference, other)"
        ),
    ):
        world.a.treasury.request_task(kind, b"\x00" * 32, USDT)
    assert world.a.treasury.task_count() == 0


def test_request_task__zero_fee__reverts(world: World, client: str) -> None:
    with boa.env.prank(client), boa.reverts("tasks: the fee must be more than 0"):
        world.a.treasury.request_task(1, b"\x00" * 32, 0)
    assert world.a.treasury.task_count() == 0


def test_request_task__without_allowance__reverts_and_keeps_balances(world: World) -> None:
    poor = key("no allowance").address
    world.a.usdt.mint(poor, 10 * USDT)
    with boa.env.prank(poor), boa.reverts():
        world.a.treasury.request_task(1, b"\x00" * 32, 10 * USDT)
    assert world.a.usdt.balanceOf(poor) == 10 * USDT
    assert world.a.treasury.task_count() == 0


def test_request_task__fee_on_transfer_token__is_refused() -> None:
    """A treasury whose fee token keeps a cut on transfer refuses the task."""
    from kol.chain.inprocess import deploy_alliance

    fot = boa.load_partial("tests/contracts/mocks/FeeOnTransferToken.vy").deploy()
    a = deploy_alliance(
        key("admin").address, key("foundation").address, with_treasury=True, usdt=fot.address
    )
    c = key("client").address
    fot.mint(c, 1_000)
    with boa.env.prank(c):
        fot.approve(a.treasury.address, 1_000)
        with boa.reverts(
            "tasks: the token delivered less than the fee (fee-on-transfer tokens are refused)"
        ):
            a.treasury.request_task(1, b"\x00" * 32, 1_000)
    assert fot.balanceOf(c) == 1_000
    assert a.treasury.task_count() == 0


def test_approve_task__passed_motion__makes_the_fee_revenue(world: World, client: str) -> None:
    t = world.a.treasury
    task_id = _request(world, client)
    mid = world.pass_motion(world.nodes[25].address, APPROVE_TASK, args(numbers=[task_id]))
    assert world.motions.motion_status(mid) == EXECUTED
    task = t.task(task_id)
    assert (task.state, task.motion_id) == (APPROVED, mid)
    assert t.escrowed(0) == 0
    assert t.approved(0) == 5_000 * USDT


def test_approve_task__not_awaiting_approval__reverts_at_proposal(
    world: World, client: str
) -> None:
    task_id = _request(world, client)
    world.pass_motion(world.nodes[25].address, APPROVE_TASK, args(numbers=[task_id]))
    with (
        boa.env.prank(world.nodes[26].address),
        boa.reverts("tasks: the task is not awaiting approval"),
    ):
        world.motions.propose(APPROVE_TASK, args(numbers=[task_id]))
    with boa.env.prank(world.nodes[26].address), boa.reverts("tasks: no such task"):
        world.motions.propose(APPROVE_TASK, args(numbers=[task_id + 1]))


def test_approve_task__wrong_arguments__reverts(world: World, client: str) -> None:
    task_id = _request(world, client)
    with (
        boa.env.prank(world.nodes[25].address),
        boa.reverts("treasury: APPROVE_TASK takes one number: the task id"),
    ):
        world.motions.propose(APPROVE_TASK, args(numbers=[task_id, 1]))


def test_refund_task__after_failed_motion__returns_exactly_the_fee(
    world: World, client: str
) -> None:
    t = world.a.treasury
    before = world.a.usdt.balanceOf(client)
    task_id = _request(world, client, 777 * USDT)
    mid = world.propose(world.nodes[25].address, APPROVE_TASK, args(numbers=[task_id]))
    world.vote(world.supers[:11], world.stage_of(mid), AGAINST)
    assert world.motions.motion_status(mid) == FAILED
    world.a.treasury.refund_task(task_id)  # anyone may call; the fee goes to the client
    assert world.a.usdt.balanceOf(client) == before
    assert t.task(task_id).state == REFUNDED
    assert t.escrowed(0) == 0 and t.approved(0) == 0
    with boa.reverts("tasks: only a task awaiting approval can be refunded"):
        t.refund_task(task_id)


def test_refund_task__after_lapsed_motion__returns_the_fee(world: World, client: str) -> None:
    task_id = _request(world, client)
    mid = world.propose(world.nodes[25].address, APPROVE_TASK, args(numbers=[task_id]))
    world.vote(world.supers[:11], world.stage_of(mid))
    warp(15 * DAY)  # passed, never executed: lapses after the execution window
    assert world.motions.motion_status(mid) == LAPSED
    world.a.treasury.refund_task(task_id)
    assert world.a.treasury.task(task_id).state == REFUNDED


def test_refund_task__while_motion_is_live__reverts(world: World, client: str) -> None:
    task_id = _request(world, client)
    world.propose(world.nodes[25].address, APPROVE_TASK, args(numbers=[task_id]))
    with boa.reverts("tasks: the approval motion has not failed or lapsed"):
        world.a.treasury.refund_task(task_id)
    assert world.a.treasury.task(task_id).state == REQUESTED


def test_refund_task__no_motion__only_after_the_execution_window(world: World, client: str) -> None:
    task_id = _request(world, client)
    with boa.reverts(
        "tasks: no approval motion yet; refundable once the execution window after the request "
        "has passed"
    ):
        world.a.treasury.refund_task(task_id)
    warp(7 * DAY + 12)
    world.a.treasury.refund_task(task_id)
    assert world.a.treasury.task(task_id).state == REFUNDED


def test_task_request__usdt_without_return_value__is_handled(world: World, client: str) -> None:
    """Mainnet USDT returns nothing from transfer/transferFrom; the escrow still works both ways."""
    task_id = _request(world, client, 42)
    warp(7 * DAY + 12)
    world.a.treasury.refund_task(task_id)
    assert world.a.usdt.balanceOf(world.a.treasury.address) == 0


def test_test_usdt__approve_nonzero_to_nonzero__reverts(world: World, client: str) -> None:
    spender = key("spender").address
    with boa.env.prank(client):
        world.a.usdt.approve(spender, 5)
        with boa.reverts("usdt: approve to 0 first"):
            world.a.usdt.approve(spender, 6)
        world.a.usdt.approve(spender, 0)
        world.a.usdt.approve(spender, 6)
    assert world.a.usdt.allowance(client, spender) == 6
