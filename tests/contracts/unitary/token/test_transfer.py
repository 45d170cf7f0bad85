"""``transfer``: holders move their own KOL; nothing can freeze them (§2)."""

from __future__ import annotations

from typing import Any

import boa
import pytest

from tests.contracts.unitary.token._util import (
    ALICE,
    BOB,
    EXCEEDS_BALANCE,
    ISSUER,
    KOL,
    TO_ZERO,
    ZERO,
    check_supply,
    events,
    mint_genesis,
    reverts_unchanged,
)


@pytest.fixture
def funded(token: Any) -> Any:
    mint_genesis(token, ALICE.address, 100 * KOL)
    return token


def test_transfer__moves_the_balance_and_returns_true(funded: Any) -> None:
    token = funded
    with boa.env.prank(ALICE.address):
        assert token.transfer(BOB.address, 40 * KOL) is True
    transfers = [(e.sender, e.receiver, e.value) for e in events(token, "Transfer")]
    assert transfers == [(ALICE.address, BOB.address, 40 * KOL)]
    assert (token.balanceOf(ALICE.address), token.balanceOf(BOB.address)) == (60 * KOL, 40 * KOL)
    check_supply(token)


def test_transfer__whole_balance(funded: Any) -> None:
    token = funded
    with boa.env.prank(ALICE.address):
        token.transfer(BOB.address, 100 * KOL)
    assert token.balanceOf(ALICE.address) == 0 and token.balanceOf(BOB.address) == 100 * KOL


def test_transfer__zero_amount__allowed(funded: Any) -> None:
    token = funded
    with boa.env.prank(BOB.address):
        assert token.transfer(ALICE.address, 0) is True
    assert token.balanceOf(ALICE.address) == 100 * KOL


def test_transfer__to_self__balance_unchanged(funded: Any) -> None:
    token = funded
    with boa.env.prank(ALICE.address):
        token.transfer(ALICE.address, 30 * KOL)
    assert token.balanceOf(ALICE.address) == 100 * KOL


def test_transfer__does_not_touch_issuance(funded: Any) -> None:
    token = funded
    with boa.env.prank(ALICE.address):
        token.transfer(BOB.address, 1)
    assert (token.issued_total(), token.burned_total(), token.totalSupply()) == (
        100 * KOL,
        0,
        100 * KOL,
    )


def test_transfer__more_than_the_balance__reverts(funded: Any) -> None:
    token = funded
    with reverts_unchanged(token, EXCEEDS_BALANCE), boa.env.prank(ALICE.address):
        token.transfer(BOB.address, 100 * KOL + 1)


def test_transfer__empty_balance__reverts(funded: Any) -> None:
    token = funded
    with reverts_unchanged(token, EXCEEDS_BALANCE), boa.env.prank(BOB.address):
        token.transfer(ALICE.address, 1)


def test_transfer__to_the_zero_address__reverts(funded: Any) -> None:
    token = funded
    with reverts_unchanged(token, TO_ZERO), boa.env.prank(ALICE.address):
        token.transfer(ZERO, 1)


def test_transfer__issuer_can_move_only_its_own(funded: Any) -> None:
    """The issuer has no power over holders' balances (no pause, no seizure)."""
    token = funded
    with reverts_unchanged(token, EXCEEDS_BALANCE), boa.env.prank(ISSUER):
        token.transfer(BOB.address, 1)
