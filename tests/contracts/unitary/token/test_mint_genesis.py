"""``mint_genesis``: only the issuer mints from the genesis bucket, and never
more than 5,000,000 KOL in all — counted cumulatively (§2, §11.1)."""

from __future__ import annotations

from typing import Any

import boa
import pytest

from tests.contracts.unitary.token._util import (
    ALICE,
    BOB,
    GENESIS_CAP,
    GENESIS_CAPPED,
    ISSUER,
    KOL,
    MATCHED_CAP,
    MAX_UINT,
    MINT_TO_ZERO,
    ONLY_ISSUER_MINTS,
    ZERO,
    burn,
    check_supply,
    events,
    mint_genesis,
    mint_matched,
    reverts_unchanged,
)


def test_mint_genesis__by_the_issuer__credits_and_counts(token: Any) -> None:
    with boa.env.prank(ISSUER):
        token.mint_genesis(ALICE.address, 1_000 * KOL)
    issued = [
        (e.bucket, e.to, e.amount, e.issued_bucket, e.issued_total) for e in events(token, "Issued")
    ]
    transfers = [(e.sender, e.receiver, e.value) for e in events(token, "Transfer")]
    assert issued == [(0, ALICE.address, 1_000 * KOL, 1_000 * KOL, 1_000 * KOL)]
    assert transfers == [(ZERO, ALICE.address, 1_000 * KOL)]
    assert token.balanceOf(ALICE.address) == 1_000 * KOL
    assert (token.issued_genesis(), token.issued_matched()) == (1_000 * KOL, 0)
    check_supply(token)


def test_mint_genesis__event_carries_the_running_totals(token: Any) -> None:
    mint_matched(token, BOB.address, 7)
    mint_genesis(token, ALICE.address, 5)
    with boa.env.prank(ISSUER):
        token.mint_genesis(ALICE.address, 3)
    (e,) = events(token, "Issued")
    assert (e.issued_bucket, e.issued_total) == (8, 15)


@pytest.mark.parametrize("who", ["deployer", "holder", "recipient"])
def test_mint_genesis__not_the_issuer__reverts(token: Any, who: str) -> None:
    mint_genesis(token, ALICE.address, 10)
    caller = {"deployer": str(boa.env.eoa), "holder": ALICE.address, "recipient": BOB.address}[who]
    with reverts_unchanged(token, ONLY_ISSUER_MINTS), boa.env.prank(caller):
        token.mint_genesis(BOB.address, 1)


def test_mint_genesis__exactly_the_cap__accepted(token: Any) -> None:
    mint_genesis(token, ALICE.address, GENESIS_CAP)
    assert token.issued_genesis() == GENESIS_CAP == token.totalSupply()
    check_supply(token)


def test_mint_genesis__cap_plus_one_wei__reverts(token: Any) -> None:
    with reverts_unchanged(token, GENESIS_CAPPED), boa.env.prank(ISSUER):
        token.mint_genesis(ALICE.address, GENESIS_CAP + 1)


def test_mint_genesis__one_wei_past_a_full_bucket__reverts(token: Any) -> None:
    mint_genesis(token, ALICE.address, GENESIS_CAP - 1)
    mint_genesis(token, BOB.address, 1)
    with reverts_unchanged(token, GENESIS_CAPPED), boa.env.prank(ISSUER):
        token.mint_genesis(ALICE.address, 1)


def test_mint_genesis__cumulative_across_many_mints(token: Any) -> None:
    for _ in range(5):
        mint_genesis(token, ALICE.address, 1_000_000 * KOL)
    with reverts_unchanged(token, GENESIS_CAPPED), boa.env.prank(ISSUER):
        token.mint_genesis(BOB.address, 1)
    assert token.issued_genesis() == GENESIS_CAP


def test_mint_genesis__burning_never_makes_room(token: Any) -> None:
    mint_genesis(token, ISSUER, GENESIS_CAP)
    burn(token, 1_000_000 * KOL)
    assert token.totalSupply() == GENESIS_CAP - 1_000_000 * KOL
    with reverts_unchanged(token, GENESIS_CAPPED), boa.env.prank(ISSUER):
        token.mint_genesis(ALICE.address, 1)
    assert token.issued_genesis() == GENESIS_CAP
    check_supply(token)


def test_mint_genesis__full_matched_bucket__does_not_limit_it(token: Any) -> None:
    mint_matched(token, BOB.address, MATCHED_CAP)
    mint_genesis(token, ALICE.address, GENESIS_CAP)
    assert token.issued_total() == token.TOTAL_CAP()
    check_supply(token)


def test_mint_genesis__to_the_zero_address__reverts(token: Any) -> None:
    with reverts_unchanged(token, MINT_TO_ZERO), boa.env.prank(ISSUER):
        token.mint_genesis(ZERO, 1)


def test_mint_genesis__overflowing_amount__reverts(token: Any) -> None:
    mint_genesis(token, ALICE.address, 1)
    with boa.reverts(), boa.env.prank(ISSUER):
        token.mint_genesis(ALICE.address, MAX_UINT)
    assert token.issued_genesis() == 1


def test_mint_genesis__zero_amount__counts_nothing(token: Any) -> None:
    mint_genesis(token, ALICE.address, 0)
    assert token.issued_genesis() == 0 and token.totalSupply() == 0
