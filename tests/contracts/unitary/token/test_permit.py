"""``permit`` (EIP-2612): an allowance set by the owner's EIP-712 signature,
relayed by anyone, once, before its deadline."""

from __future__ import annotations

from typing import Any

import boa
import pytest

from tests.contracts.unitary.token._util import (
    ALICE,
    BOB,
    CAROL,
    EXPIRED_DEADLINE,
    INVALID_S,
    INVALID_SIGNATURE,
    KOL,
    SECP256K1_N,
    events,
    give,
    now,
    reverts_unchanged,
    sign_permit,
)

DAY = 86_400


def _relay(token: Any, owner: str, spender: str, value: int, deadline: int, vrs: Any) -> None:
    v, r, s = vrs
    with boa.env.prank(CAROL.address):
        token.permit(owner, spender, value, deadline, v, r, s)


def test_permit__sets_the_allowance_and_uses_the_nonce(token: Any) -> None:
    deadline = now() + DAY
    vrs = sign_permit(ALICE, token, BOB.address, 7 * KOL, deadline)
    _relay(token, ALICE.address, BOB.address, 7 * KOL, deadline, vrs)
    approvals = [(e.owner, e.spender, e.value) for e in events(token, "Approval")]
    assert approvals == [(ALICE.address, BOB.address, 7 * KOL)]
    assert token.allowance(ALICE.address, BOB.address) == 7 * KOL
    assert token.nonces(ALICE.address) == 1


def test_permit__spender_then_transfers(token: Any) -> None:
    give(token, ALICE.address, 10 * KOL)
    deadline = now() + DAY
    _relay(
        token,
        ALICE.address,
        BOB.address,
        4 * KOL,
        deadline,
        sign_permit(ALICE, token, BOB.address, 4 * KOL, deadline),
    )
    with boa.env.prank(BOB.address):
        token.transferFrom(ALICE.address, BOB.address, 4 * KOL)
    assert token.balanceOf(BOB.address) == 4 * KOL


def test_permit__deadline_now__accepted(token: Any) -> None:
    deadline = now()
    _relay(
        token,
        ALICE.address,
        BOB.address,
        1,
        deadline,
        sign_permit(ALICE, token, BOB.address, 1, deadline),
    )
    assert token.allowance(ALICE.address, BOB.address) == 1


def test_permit__successive_nonces(token: Any) -> None:
    deadline = now() + DAY
    for i in range(3):
        vrs = sign_permit(ALICE, token, BOB.address, i + 1, deadline)
        _relay(token, ALICE.address, BOB.address, i + 1, deadline, vrs)
    assert token.nonces(ALICE.address) == 3
    assert token.allowance(ALICE.address, BOB.address) == 3


def test_permit__expired_deadline__reverts(token: Any) -> None:
    deadline = now() - 1
    vrs = sign_permit(ALICE, token, BOB.address, 1, deadline)
    with reverts_unchanged(token, EXPIRED_DEADLINE):
        _relay(token, ALICE.address, BOB.address, 1, deadline, vrs)


def test_permit__deadline_passed_after_signing__reverts(token: Any) -> None:
    deadline = now() + 60
    vrs = sign_permit(ALICE, token, BOB.address, 1, deadline)
    boa.env.time_travel(seconds=61)
    with reverts_unchanged(token, EXPIRED_DEADLINE):
        _relay(token, ALICE.address, BOB.address, 1, deadline, vrs)


def test_permit__wrong_signer__reverts(token: Any) -> None:
    deadline = now() + DAY
    vrs = sign_permit(BOB, token, BOB.address, 1, deadline, owner=ALICE.address)
    with reverts_unchanged(token, INVALID_SIGNATURE):
        _relay(token, ALICE.address, BOB.address, 1, deadline, vrs)


def test_permit__replayed__reverts(token: Any) -> None:
    deadline = now() + DAY
    vrs = sign_permit(ALICE, token, BOB.address, 1, deadline)
    _relay(token, ALICE.address, BOB.address, 1, deadline, vrs)
    with boa.env.prank(ALICE.address):
        token.approve(BOB.address, 0)
    with reverts_unchanged(token, INVALID_SIGNATURE):
        _relay(token, ALICE.address, BOB.address, 1, deadline, vrs)


@pytest.mark.parametrize("tamper", ["value", "spender", "deadline"])
def test_permit__other_terms_than_signed__reverts(token: Any, tamper: str) -> None:
    deadline = now() + DAY
    vrs = sign_permit(ALICE, token, BOB.address, 1, deadline)
    spender, value, when = BOB.address, 1, deadline
    if tamper == "value":
        value = 2
    elif tamper == "spender":
        spender = CAROL.address
    else:
        when = deadline + 1
    with reverts_unchanged(token, INVALID_SIGNATURE):
        _relay(token, ALICE.address, spender, value, when, vrs)


def test_permit__future_nonce__reverts(token: Any) -> None:
    deadline = now() + DAY
    vrs = sign_permit(ALICE, token, BOB.address, 1, deadline, nonce=1)
    with reverts_unchanged(token, INVALID_SIGNATURE):
        _relay(token, ALICE.address, BOB.address, 1, deadline, vrs)


def test_permit__signed_for_another_contract__reverts(token: Any) -> None:
    deadline = now() + DAY
    other = "0x000000000000000000000000000000000000dEaD"
    vrs = sign_permit(ALICE, token, BOB.address, 1, deadline, verifying_contract=other)
    with reverts_unchanged(token, INVALID_SIGNATURE):
        _relay(token, ALICE.address, BOB.address, 1, deadline, vrs)


def test_permit__malleable_high_s__reverts(token: Any) -> None:
    deadline = now() + DAY
    v, r, s = sign_permit(ALICE, token, BOB.address, 1, deadline)
    high_s = (SECP256K1_N - int.from_bytes(s, "big")).to_bytes(32, "big")
    with reverts_unchanged(token, INVALID_S):
        _relay(token, ALICE.address, BOB.address, 1, deadline, (55 - v, r, high_s))
