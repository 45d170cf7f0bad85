"""``transfer``: holders move their own KOL; nothing can freeze them (§2); KOL cannot be
sent to a distribution pool, so nobody can top up a batch's part (§11.4)."""

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
    LEADER,
    TO_POOL,
    TO_ZERO,
    USER,
    ZERO,
    batch_pool,
    check_supply,
    events,
    give,
    open_list,
    pool,
    reverts_unchanged,
)


@pytest.fixture
def funded(token: Any) -> Any:
    give(token, ALICE.address, 100 * KOL)
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


@pytest.mark.parametrize("role", [USER, LEADER])
def test_transfer__to_a_batch_pool__reverts(funded: Any, role: int) -> None:
    token = funded
    open_list(token, [(0, BOB.address, USER, 8), (1, BOB.address, LEADER, 2)], 8, 2)
    with reverts_unchanged(token, TO_POOL), boa.env.prank(ALICE.address):
        token.transfer(batch_pool(2, role), 1)


@pytest.mark.parametrize("number", [0, 1, 4, 2**64 - 1])
def test_transfer__to_a_pool_not_yet_opened__reverts(funded: Any, number: int) -> None:
    """Any address with the "KOL-POOL" prefix: a batch opened later starts exact."""
    token = funded
    with reverts_unchanged(token, TO_POOL), boa.env.prank(ALICE.address):
        token.transfer(pool(number), 1)


def test_transfer__issuer_cannot_top_up_a_pool(funded: Any) -> None:
    token = funded
    give(token, ISSUER, 10)
    with reverts_unchanged(token, TO_POOL), boa.env.prank(ISSUER):
        token.transfer(batch_pool(1, USER), 10)
