"""``issued_total`` and the supply invariants (§11.1–2): issued_total =
issued_genesis + issued_matched ≤ 21M, issued_* never decrease, and
totalSupply = issued_total − burned_total after every step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boa

from tests.contracts.unitary.token._util import (
    ALICE,
    BOB,
    CAROL,
    GENESIS_CAP,
    GENESIS_CAPPED,
    ISSUER,
    KOL,
    MATCHED_CAP,
    MATCHED_CAPPED,
    TOTAL_CAP,
    check_supply,
    mint_genesis,
    mint_matched,
)


def _transfer(token: Any, sender: str, to: str, amount: int) -> None:
    with boa.env.prank(sender):
        token.transfer(to, amount)


def _burn(token: Any, amount: int) -> None:
    with boa.env.prank(ISSUER):
        token.burn(amount)


def _refused(token: Any, fn: str, reason: str, amount: int) -> None:
    with boa.reverts(reason), boa.env.prank(ISSUER):
        getattr(token, fn)(ALICE.address, amount)


STEPS: list[Callable[[Any], None]] = [
    lambda t: mint_genesis(t, ALICE.address, 1_000 * KOL),
    lambda t: mint_matched(t, BOB.address, 3_000 * KOL),
    lambda t: _transfer(t, BOB.address, ISSUER, 500 * KOL),
    lambda t: _burn(t, 200 * KOL),
    lambda t: mint_genesis(t, CAROL.address, GENESIS_CAP - 1_000 * KOL),
    lambda t: _refused(t, "mint_genesis", GENESIS_CAPPED, 1),
    lambda t: _transfer(t, ALICE.address, ISSUER, 1_000 * KOL),
    lambda t: _burn(t, 1_300 * KOL),
    lambda t: _refused(t, "mint_genesis", GENESIS_CAPPED, 1),
    lambda t: mint_matched(t, ISSUER, MATCHED_CAP - 3_000 * KOL),
    lambda t: _refused(t, "mint_matched", MATCHED_CAPPED, 1),
    lambda t: _burn(t, MATCHED_CAP - 3_000 * KOL),
    lambda t: _refused(t, "mint_matched", MATCHED_CAPPED, 1),
]


def test_issued_total__sum_of_the_buckets(token: Any) -> None:
    mint_genesis(token, ALICE.address, 3)
    mint_matched(token, ALICE.address, 4)
    assert token.issued_total() == 7


def test_issued_total__both_buckets_full__21_million(token: Any) -> None:
    mint_genesis(token, ALICE.address, GENESIS_CAP)
    mint_matched(token, BOB.address, MATCHED_CAP)
    assert token.issued_total() == TOTAL_CAP == 21_000_000 * KOL == token.totalSupply()


def test_issued_total__invariants_after_every_step(token: Any) -> None:
    last = (0, 0, 0)
    for step in STEPS:
        step(token)
        check_supply(token)
        now = (token.issued_genesis(), token.issued_matched(), token.burned_total())
        assert all(n >= p for n, p in zip(now, last, strict=True)), "issued_* never decrease"
        last = now
    assert token.issued_total() == TOTAL_CAP
    assert token.totalSupply() == TOTAL_CAP - token.burned_total()
