"""``approve``: a holder sets a spender's allowance."""

from __future__ import annotations

from typing import Any

import boa

from tests.contracts.unitary.token._util import (
    ALICE,
    APPROVE_TO_ZERO,
    BOB,
    KOL,
    MAX_UINT,
    ZERO,
    events,
    reverts_unchanged,
)


def test_approve__sets_the_allowance_and_returns_true(token: Any) -> None:
    with boa.env.prank(ALICE.address):
        assert token.approve(BOB.address, 5 * KOL) is True
    approvals = [(e.owner, e.spender, e.value) for e in events(token, "Approval")]
    assert approvals == [(ALICE.address, BOB.address, 5 * KOL)]
    assert token.allowance(ALICE.address, BOB.address) == 5 * KOL


def test_approve__without_a_balance__allowed(token: Any) -> None:
    with boa.env.prank(ALICE.address):
        token.approve(BOB.address, MAX_UINT)
    assert token.allowance(ALICE.address, BOB.address) == MAX_UINT


def test_approve__again__overwrites(token: Any) -> None:
    with boa.env.prank(ALICE.address):
        token.approve(BOB.address, 5 * KOL)
        token.approve(BOB.address, 2)
    assert token.allowance(ALICE.address, BOB.address) == 2


def test_approve__zero__revokes(token: Any) -> None:
    with boa.env.prank(ALICE.address):
        token.approve(BOB.address, 5 * KOL)
        token.approve(BOB.address, 0)
    assert token.allowance(ALICE.address, BOB.address) == 0


def test_approve__is_per_owner_and_spender(token: Any) -> None:
    with boa.env.prank(ALICE.address):
        token.approve(BOB.address, 5)
    assert token.allowance(BOB.address, ALICE.address) == 0


def test_approve__zero_address_spender__reverts(token: Any) -> None:
    with reverts_unchanged(token, APPROVE_TO_ZERO), boa.env.prank(ALICE.address):
        token.approve(ZERO, 1)
