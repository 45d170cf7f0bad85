"""``issued_total`` and the supply invariants (§11.1–2): issued_total =
issued_genesis + issued_matched ≤ 21M, issued_* never decrease, and
totalSupply = issued_total − burned_total after every step, KOL in the pools included."""

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
    TRANCHE,
    check_supply,
    claim_genesis,
    genesis_tree,
    give,
    open_list,
    release,
    seat,
)

MONTH_1 = genesis_tree([(ALICE.address, TRANCHE, 0), (CAROL.address, 0, 0)])
MONTH_2 = genesis_tree([(ALICE.address, 2 * TRANCHE, 0), (CAROL.address, TRANCHE, 0)])


def _transfer(token: Any, sender: str, to: str, amount: int) -> None:
    with boa.env.prank(sender):
        token.transfer(to, amount)


def _burn(token: Any, amount: int) -> None:
    with boa.env.prank(ISSUER):
        token.burn(amount)


def _refused_release(token: Any) -> None:
    with boa.reverts(GENESIS_CAPPED), boa.env.prank(ISSUER):
        token.release_genesis(b"\x09" * 32, 9, 1)


def _refused_batch(token: Any) -> None:
    with boa.reverts(MATCHED_CAPPED), boa.env.prank(ISSUER):
        token.open_batch(b"\x09" * 32, 0, 1, True)


def _circulate(token: Any, amount: int) -> None:
    """A KOL-paid batch: the issuer's KOL goes into pools, nothing is minted."""
    user = amount * 4 // 5
    batch = open_list(
        token,
        [(0, BOB.address, 0, user), (1, CAROL.address, 1, amount - user)],
        user,
        amount - user,
        minted=False,
    )
    batch.claim(token, 0)


STEPS: list[Callable[[Any], object]] = [
    lambda t: release(t, MONTH_1, 1, TRANCHE),
    lambda t: claim_genesis(t, MONTH_1, ALICE.address, TRANCHE),
    lambda t: give(t, BOB.address, 3_000 * KOL),
    lambda t: _transfer(t, BOB.address, ISSUER, 500 * KOL),
    lambda t: _burn(t, 200 * KOL),
    lambda t: _circulate(t, 300 * KOL),
    lambda t: release(t, MONTH_2, 2, GENESIS_CAP - TRANCHE),
    lambda t: claim_genesis(t, MONTH_2, CAROL.address, TRANCHE),
    lambda t: _refused_release(t),
    lambda t: _transfer(t, CAROL.address, ISSUER, 1_000 * KOL),
    lambda t: _burn(t, 1_000 * KOL),
    lambda t: _refused_release(t),
    lambda t: give(t, ISSUER, MATCHED_CAP - 3_000 * KOL),
    lambda t: _refused_batch(t),
    lambda t: _burn(t, MATCHED_CAP - 3_000 * KOL),
    lambda t: _refused_batch(t),
]


def test_issued_total__sum_of_the_buckets(token: Any) -> None:
    release(token, MONTH_1, 1, 3)
    open_list(token, [(0, BOB.address, 0, 3), (1, BOB.address, 1, 1)], 3, 1)
    assert token.issued_total() == 7 == token.totalSupply()


def test_issued_total__both_buckets_full__21_million(token: Any) -> None:
    release(token, MONTH_1, 1, GENESIS_CAP)
    give(token, BOB.address, MATCHED_CAP)
    assert token.issued_total() == TOTAL_CAP == 21_000_000 * KOL == token.totalSupply()
    check_supply(token)


def test_issued_total__invariants_after_every_step(token: Any, council: Any) -> None:
    boa.env.time_travel(blocks=2)
    seat(council, ALICE.address, 1)
    seat(council, CAROL.address, 2)
    last = (0, 0, 0)
    for step in STEPS:
        step(token)
        check_supply(token)
        now = (token.issued_genesis(), token.issued_matched(), token.burned_total())
        assert all(n >= p for n, p in zip(now, last, strict=True)), "issued_* never decrease"
        last = now
    assert token.issued_total() == TOTAL_CAP
    assert token.totalSupply() == TOTAL_CAP - token.burned_total()
