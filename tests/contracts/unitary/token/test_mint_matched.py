"""``mint_matched``: only the issuer mints from the matched bucket, and never
more than 16,000,000 KOL in all — counted cumulatively (§2, §11.1)."""

from __future__ import annotations

from typing import Any

import boa
import pytest

from tests.contracts.unitary.token._util import (
    ALICE,
    BOB,
    GENESIS_CAP,
    ISSUER,
    KOL,
    MATCHED_CAP,
    MATCHED_CAPPED,
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


def test_mint_matched__by_the_issuer__credits_and_counts(token: Any) -> None:
    mint_genesis(token, BOB.address, 2 * KOL)
    with boa.env.prank(ISSUER):
        token.mint_matched(ALICE.address, 800 * KOL)
    issued = [
        (e.bucket, e.to, e.amount, e.issued_bucket, e.issued_total) for e in events(token, "Issued")
    ]
    assert issued == [(1, ALICE.address, 800 * KOL, 800 * KOL, 802 * KOL)]
    assert token.balanceOf(ALICE.address) == 800 * KOL
    assert (token.issued_genesis(), token.issued_matched()) == (2 * KOL, 800 * KOL)
    check_supply(token)


@pytest.mark.parametrize("who", ["deployer", "holder", "recipient"])
def test_mint_matched__not_the_issuer__reverts(token: Any, who: str) -> None:
    mint_matched(token, ALICE.address, 10)
    caller = {"deployer": str(boa.env.eoa), "holder": ALICE.address, "recipient": BOB.address}[who]
    with reverts_unchanged(token, ONLY_ISSUER_MINTS), boa.env.prank(caller):
        token.mint_matched(BOB.address, 1)


def test_mint_matched__exactly_the_cap__accepted(token: Any) -> None:
    mint_matched(token, ALICE.address, MATCHED_CAP)
    assert token.issued_matched() == MATCHED_CAP == token.totalSupply()
    check_supply(token)


def test_mint_matched__cap_plus_one_wei__reverts(token: Any) -> None:
    with reverts_unchanged(token, MATCHED_CAPPED), boa.env.prank(ISSUER):
        token.mint_matched(ALICE.address, MATCHED_CAP + 1)


def test_mint_matched__one_wei_past_a_full_bucket__reverts(token: Any) -> None:
    mint_matched(token, ALICE.address, MATCHED_CAP - 1)
    mint_matched(token, BOB.address, 1)
    with reverts_unchanged(token, MATCHED_CAPPED), boa.env.prank(ISSUER):
        token.mint_matched(ALICE.address, 1)


def test_mint_matched__burning_never_makes_room(token: Any) -> None:
    mint_matched(token, ISSUER, MATCHED_CAP)
    burn(token, MATCHED_CAP)
    assert token.totalSupply() == 0
    with reverts_unchanged(token, MATCHED_CAPPED), boa.env.prank(ISSUER):
        token.mint_matched(ISSUER, 1)
    assert token.issued_matched() == MATCHED_CAP
    check_supply(token)


def test_mint_matched__unused_genesis_room__cannot_be_borrowed(token: Any) -> None:
    """The buckets are separate: 21M in all, but never more than 16M matched."""
    assert token.issued_genesis() == 0
    with reverts_unchanged(token, MATCHED_CAPPED), boa.env.prank(ISSUER):
        token.mint_matched(ALICE.address, MATCHED_CAP + GENESIS_CAP)


def test_mint_matched__to_the_zero_address__reverts(token: Any) -> None:
    with reverts_unchanged(token, MINT_TO_ZERO), boa.env.prank(ISSUER):
        token.mint_matched(ZERO, 1)


def test_mint_matched__overflowing_amount__reverts(token: Any) -> None:
    mint_matched(token, ALICE.address, 1)
    with boa.reverts(), boa.env.prank(ISSUER):
        token.mint_matched(ALICE.address, MAX_UINT)
    assert token.issued_matched() == 1
