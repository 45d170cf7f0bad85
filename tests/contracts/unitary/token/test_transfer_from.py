"""``transferFrom``: a spender moves a holder's KOL within its allowance; never into a
distribution pool (§11.4)."""

from __future__ import annotations

from typing import Any

import boa
import pytest

from tests.contracts.unitary.token._util import (
    ALICE,
    BOB,
    CAROL,
    EXCEEDS_BALANCE,
    INSUFFICIENT_ALLOWANCE,
    ISSUER,
    KOL,
    LEADER,
    MAX_UINT,
    TO_POOL,
    TO_ZERO,
    USER,
    ZERO,
    batch_pool,
    check_supply,
    events,
    give,
    pool,
    reverts_unchanged,
)


@pytest.fixture
def funded(token: Any) -> Any:
    give(token, ALICE.address, 100 * KOL)
    with boa.env.prank(ALICE.address):
        token.approve(BOB.address, 30 * KOL)
    return token


def test_transfer_from__moves_and_spends_the_allowance(funded: Any) -> None:
    token = funded
    with boa.env.prank(BOB.address):
        assert token.transferFrom(ALICE.address, CAROL.address, 10 * KOL) is True
    transfers = [(e.sender, e.receiver, e.value) for e in events(token, "Transfer")]
    assert transfers == [(ALICE.address, CAROL.address, 10 * KOL)]
    assert token.balanceOf(ALICE.address) == 90 * KOL
    assert token.balanceOf(CAROL.address) == 10 * KOL
    assert token.allowance(ALICE.address, BOB.address) == 20 * KOL
    check_supply(token)


def test_transfer_from__whole_allowance(funded: Any) -> None:
    token = funded
    with boa.env.prank(BOB.address):
        token.transferFrom(ALICE.address, BOB.address, 30 * KOL)
    assert token.allowance(ALICE.address, BOB.address) == 0
    assert token.balanceOf(BOB.address) == 30 * KOL


def test_transfer_from__infinite_allowance__not_decreased(funded: Any) -> None:
    token = funded
    with boa.env.prank(ALICE.address):
        token.approve(BOB.address, MAX_UINT)
    with boa.env.prank(BOB.address):
        token.transferFrom(ALICE.address, CAROL.address, 100 * KOL)
    assert token.allowance(ALICE.address, BOB.address) == MAX_UINT


def test_transfer_from__beyond_the_allowance__reverts(funded: Any) -> None:
    token = funded
    with reverts_unchanged(token, INSUFFICIENT_ALLOWANCE), boa.env.prank(BOB.address):
        token.transferFrom(ALICE.address, CAROL.address, 30 * KOL + 1)


def test_transfer_from__no_allowance__reverts(funded: Any) -> None:
    token = funded
    with reverts_unchanged(token, INSUFFICIENT_ALLOWANCE), boa.env.prank(CAROL.address):
        token.transferFrom(ALICE.address, CAROL.address, 1)


def test_transfer_from__issuer_without_allowance__reverts(funded: Any) -> None:
    """The issuer cannot take holders' KOL (to burn it or otherwise)."""
    token = funded
    with reverts_unchanged(token, INSUFFICIENT_ALLOWANCE), boa.env.prank(ISSUER):
        token.transferFrom(ALICE.address, ISSUER, 1)


def test_transfer_from__beyond_the_balance__reverts(funded: Any) -> None:
    token = funded
    with boa.env.prank(ALICE.address):
        token.approve(BOB.address, MAX_UINT)
    with reverts_unchanged(token, EXCEEDS_BALANCE), boa.env.prank(BOB.address):
        token.transferFrom(ALICE.address, CAROL.address, 100 * KOL + 1)


def test_transfer_from__to_the_zero_address__reverts(funded: Any) -> None:
    token = funded
    with reverts_unchanged(token, TO_ZERO), boa.env.prank(BOB.address):
        token.transferFrom(ALICE.address, ZERO, 1)


def test_transfer_from__issuer_with_an_allowance__an_ordinary_spender(funded: Any) -> None:
    token = funded
    with boa.env.prank(ALICE.address):
        token.approve(ISSUER, 50 * KOL)
    with boa.env.prank(ISSUER):
        token.transferFrom(ALICE.address, BOB.address, 20 * KOL)
    with reverts_unchanged(token, INSUFFICIENT_ALLOWANCE), boa.env.prank(ISSUER):
        token.transferFrom(ALICE.address, BOB.address, 30 * KOL + 1)
    assert token.allowance(ALICE.address, ISSUER) == 30 * KOL
    assert token.balanceOf(BOB.address) == 20 * KOL


@pytest.mark.parametrize("to", [batch_pool(1, USER), batch_pool(1, LEADER), pool(0), pool(99)])
def test_transfer_from__to_a_pool__reverts(funded: Any, to: str) -> None:
    """Refused before the allowance is spent: the allowance stays as it was."""
    token = funded
    with reverts_unchanged(token, TO_POOL), boa.env.prank(BOB.address):
        token.transferFrom(ALICE.address, to, 1)
    assert token.allowance(ALICE.address, BOB.address) == 30 * KOL
