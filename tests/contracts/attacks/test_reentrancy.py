"""Re-entrancy through a hostile fee token: a USDT-like token whose transfers
hand control to the sender before and to the recipient after the balances
move (tests/contracts/mocks/HookedToken.vy), and a client contract that uses
the hook to call back into the treasury (tests/contracts/mocks/Reenterer.vy).

Covered elsewhere: a fee-on-transfer token is refused —
tests/contracts/unitary/treasury/test_tasks.py::
test_request_task__fee_on_transfer_token__is_refused; USDT's missing return
value — test_task_request__usdt_without_return_value__is_handled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boa
import pytest

from kol.chain.inprocess import deploy_alliance
from kol.domain.allocation import Allocation
from kol.domain.types import Role
from tests.contracts.attacks._attack import mock
from tests.contracts.helpers import (
    APPROVE_TASK,
    DAY,
    RATIFY_GENESIS_SUPER_NODES,
    World,
    args,
    key,
    keys,
    next_block,
    warp,
)
from tests.contracts.unitary.treasury._economy import issue

USDT = 10**6
FEE = 5_000 * USDT
REQUESTED, APPROVED, REFUNDED = 1, 2, 3
DELIVERED = "tasks: the token delivered less than the fee (fee-on-transfer tokens are refused)"


@dataclass(frozen=True)
class Hostile:
    w: World
    token: Any  # the hooked USDT
    client: Any  # a Reenterer holding the token, the treasury approved


@pytest.fixture(scope="module")
def hostile() -> Hostile:
    admin, foundation = key("admin").address, key("foundation").address
    token = mock("HookedToken").deploy()
    alliance = deploy_alliance(admin, foundation, with_treasury=True, usdt=token.address)
    nodes = keys("node", 24)
    with boa.env.prank(admin):
        for i, k in enumerate(nodes):
            alliance.council.nominate(k.address, f"community {i}", b"\x00" * 32)
    next_block()
    w = World(alliance, admin, foundation, nodes, [])
    w.pass_motion(
        nodes[0].address, RATIFY_GENESIS_SUPER_NODES, args([k.address for k in nodes], [21])
    )
    w.supers = nodes[:21]
    next_block()
    client = mock("Reenterer").deploy()
    token.mint(client.address, 100 * FEE)
    client.act(token.address, _call(token, "approve", alliance.treasury.address, 2**256 - 1))
    return Hostile(w, token, client)


def _call(contract: Any, name: str, *arguments: Any) -> bytes:
    """The calldata of ``contract.name(*arguments)``."""
    fn = getattr(contract, name)
    data: bytes = fn.prepare_calldata(*arguments)
    return data


def _books(h: Hostile) -> tuple[int, ...]:
    t = h.w.a.treasury
    return (
        t.task_count(),
        t.escrowed(0),
        t.approved(0),
        t.spent_usdt(),
        h.token.balanceOf(t.address),
        h.token.balanceOf(h.client.address),
        h.token.balanceOf(h.w.foundation),
    )


def _request(h: Hostile, fee: int = FEE) -> int:
    t = h.w.a.treasury
    h.client.act(t.address, _call(t, "request_task", 1, b"\x11" * 32, fee))
    task_id: int = t.task_count()
    return task_id


def _hook(h: Hostile, on: bool) -> None:
    h.client.act(h.token.address, _call(h.token, "register_hook", on))


def test_reentrancy__request_task_from_the_fee_transfer__whole_request_refused(
    hostile: Hostile,
) -> None:
    """The client's hook requests a second task while the first fee is being
    pulled: the outer escrow sees more than its fee arrive and refuses, so
    neither task exists and no token moved."""
    h = hostile
    t = h.w.a.treasury
    _hook(h, True)
    h.client.arm(t.address, _call(t, "request_task", 1, b"\x22" * 32, FEE), 1)
    before = _books(h)
    with boa.reverts(DELIVERED):
        _request(h)
    assert _books(h) == before


def test_reentrancy__refund_again_from_the_refund_transfer__paid_once(hostile: Hostile) -> None:
    h = hostile
    t = h.w.a.treasury
    task_id = _request(h)
    warp(7 * DAY + 12)
    _hook(h, True)
    h.client.arm(t.address, _call(t, "refund_task", task_id), 1)
    before = _books(h)
    t.refund_task(task_id)
    assert h.client.reentries() == 1
    assert not h.client.last_ok()
    assert b"only a task awaiting approval can be refunded" in h.client.last_response()
    assert t.task(task_id).state == REFUNDED
    after = _books(h)
    assert after[5] == before[5] + FEE  # the client got its fee once
    assert after[4] == before[4] - FEE
    assert after[1] == before[1] - FEE
    assert after[4] == after[1] + after[2] - after[3]  # balance = escrow + revenue - spent


def test_reentrancy__spend_to_a_hostile_payee__cannot_spend_again_or_burn(
    hostile: Hostile,
) -> None:
    """The foundation pays a hostile payee from approved revenue; the payee's
    hook tries to spend again, then to burn: both refused (only the
    foundation), the payment recorded once and the books still balance."""
    h = hostile
    t = h.w.a.treasury
    task_id = _request(h)
    h.w.pass_motion(h.w.nodes[3].address, APPROVE_TASK, args(numbers=[task_id]))
    assert t.task(task_id).state == APPROVED
    _hook(h, True)
    for attempt in (
        _call(t, "spend", h.client.address, 1, b"\x00" * 32),
        _call(t, "buyback_burn", 1, 1, b"\x00" * 32),
    ):
        h.client.arm(t.address, attempt, 1)
        before = _books(h)
        with boa.env.prank(h.w.foundation):
            t.spend(h.client.address, USDT, b"\x33" * 32)
        assert not h.client.last_ok()
        after = _books(h)
        assert after[3] == before[3] + USDT
        assert after[5] == before[5] + USDT
        assert after[4] == after[1] + after[2] - after[3]


def test_reentrancy__refund_from_a_spend_transfer__books_stay_balanced(hostile: Hostile) -> None:
    """The payee's hook refunds its own refundable task in the middle of a
    spend: both are legitimate and both are recorded exactly once."""
    h = hostile
    t = h.w.a.treasury
    revenue_task = _request(h)
    h.w.pass_motion(h.w.nodes[4].address, APPROVE_TASK, args(numbers=[revenue_task]))
    refundable = _request(h, 700 * USDT)
    warp(7 * DAY + 12)
    _hook(h, True)
    h.client.arm(t.address, _call(t, "refund_task", refundable), 1)
    before = _books(h)
    with boa.env.prank(h.w.foundation):
        t.spend(h.client.address, USDT, b"\x44" * 32)
    assert h.client.last_ok()
    after = _books(h)
    assert after[5] == before[5] + USDT + 700 * USDT
    assert after[1] == before[1] - 700 * USDT
    assert after[3] == before[3] + USDT
    assert after[4] == after[1] + after[2] - after[3]
    assert t.task(refundable).state == REFUNDED


def test_reentrancy__kol_has_no_transfer_hook__a_contract_claimant_is_never_called(
    hostile: Hostile,
) -> None:
    """A matched batch paying the hostile client: claiming KOL to it, for it
    or by it, gives it no control (KOL transfers call no one), and its leaf
    pays once."""
    h = hostile
    t = h.w.a.treasury
    task_id = _request(h)
    h.w.pass_motion(h.w.nodes[5].address, APPROVE_TASK, args(numbers=[task_id]))
    _hook(h, True)
    h.client.arm(t.address, _call(t, "refund_task", task_id), 5)
    leader = key("leader").address
    total = FEE * h.w.council.kol_per_usdt()
    alloc = Allocation.of(total, [(h.client.address, Role.USER, 8), (leader, Role.LEADER, 2)])
    batch_id = issue(h.w, alloc, [task_id])
    leaf = next(x for x in alloc.leaves if x.account == h.client.address)
    proof = list(alloc.tree().get_proof(leaf.value()))
    token = h.w.a.token
    hooks = h.client.hooks()
    claim = (batch_id, leaf.index, leaf.account, int(leaf.role), leaf.amount, proof)
    h.client.act(token.address, _call(token, "claim", *claim))
    assert token.balanceOf(h.client.address) == leaf.amount
    assert h.client.hooks() == hooks
    with boa.reverts("distribution: this leaf is already claimed"):
        token.claim(*claim)
    assert token.balanceOf(h.client.address) == leaf.amount
