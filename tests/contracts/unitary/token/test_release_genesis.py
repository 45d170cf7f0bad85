"""``release_genesis``: only the issuer releases a genesis month — its cumulative list's
root is recorded and the tranches it newly pays are minted into the month's pool, never
more than 5,000,000 KOL in all, counted cumulatively (§2, §8, §11.1)."""

from __future__ import annotations

from typing import Any

import boa
import pytest

from tests.contracts.unitary.token._util import (
    ALICE,
    BOB,
    BUCKET_GENESIS,
    GENESIS_CAP,
    GENESIS_CAPPED,
    ISSUER,
    KOL,
    MATCHED_CAP,
    MAX_UINT,
    MONTH_RANGE,
    NO_MONTH_ROOT,
    ONLY_ISSUER_RELEASES,
    TOTAL_CAP,
    TRANCHE,
    ZERO,
    block,
    burn,
    check_supply,
    claim_genesis,
    events,
    genesis_pool_of,
    genesis_tree,
    give,
    release,
    reverts_unchanged,
    seat,
    transfers,
)

ROOT_1, ROOT_2, ROOT_3 = b"\x01" * 32, b"\x02" * 32, b"\x03" * 32


def _release(token: Any, root: bytes, month: int, amount: int) -> None:
    with boa.env.prank(ISSUER):
        token.release_genesis(root, month, amount)


def test_release_genesis__mints_the_month_into_its_pool(token: Any) -> None:
    boa.env.time_travel(blocks=5)
    with boa.env.prank(ISSUER):
        token.release_genesis(ROOT_1, 1, 3 * TRANCHE)
    moved = transfers(token)
    pool = genesis_pool_of(ROOT_1, 1, block())
    assert moved == [(ZERO, pool, 3 * TRANCHE)]
    assert token.genesis_pool() == pool
    assert token.genesis_month(ROOT_1) == (1, block())
    assert token.balanceOf(pool) == 3 * TRANCHE
    assert (token.issued_genesis(), token.issued_matched()) == (3 * TRANCHE, 0)
    assert token.balanceOf(ISSUER) == 0
    check_supply(token)


def test_release_genesis__logs_issued_and_genesis_month_opened(token: Any) -> None:
    give(token, BOB.address, 7)
    _release(token, ROOT_1, 1, 5)
    with boa.env.prank(ISSUER):
        token.release_genesis(ROOT_2, 2, 3)
    issued = [
        (e.bucket, e.amount, e.issued_bucket, e.issued_total) for e in events(token, "Issued")
    ]
    opened = [(e.month, e.root, e.pool, e.released) for e in events(token, "GenesisMonthOpened")]
    assert issued == [(BUCKET_GENESIS, 3, 8, 15)]
    assert opened == [(2, ROOT_2, genesis_pool_of(ROOT_2, 2, block()), 3)]


def test_release_genesis__nothing_newly_paid__opens_the_month_without_minting(
    token: Any,
) -> None:
    """A month in which every leader is deferred or withheld: no ``Issued``, no mint."""
    with boa.env.prank(ISSUER):
        token.release_genesis(ROOT_1, 1, 0)
    assert events(token, "Issued") == [] and transfers(token) == []
    assert [(e.month, e.released) for e in events(token, "GenesisMonthOpened")] == [(1, 0)]
    assert token.genesis_pool() == genesis_pool_of(ROOT_1, 1, block())
    assert token.genesis_month(ROOT_1) == (1, block())
    assert token.issued_genesis() == 0 and token.totalSupply() == 0


def test_release_genesis__moves_the_unclaimed_kol_into_the_new_pool(token: Any) -> None:
    _release(token, ROOT_1, 1, 2 * TRANCHE)
    first = token.genesis_pool()
    boa.env.time_travel(blocks=1)
    with boa.env.prank(ISSUER):
        token.release_genesis(ROOT_2, 2, TRANCHE)
    moved = transfers(token)
    second = genesis_pool_of(ROOT_2, 2, block())
    assert moved == [(first, second, 2 * TRANCHE), (ZERO, second, TRANCHE)]
    assert token.genesis_pool() == second
    assert (token.balanceOf(first), token.balanceOf(second)) == (0, 3 * TRANCHE)
    assert token.genesis_month(ROOT_1) == (1, block() - 1)
    check_supply(token)


def test_release_genesis__empty_previous_pool__nothing_to_move(token: Any, council: Any) -> None:
    tree = genesis_tree([(ALICE.address, TRANCHE, 0)])
    seat(council, ALICE.address)
    release(token, tree, 1, TRANCHE)
    claim_genesis(token, tree, ALICE.address, TRANCHE)
    with boa.env.prank(ISSUER):
        token.release_genesis(ROOT_2, 2, 0)
    assert transfers(token) == []
    assert token.balanceOf(token.genesis_pool()) == 0


def test_release_genesis__pool_depends_on_root_month_and_block(token: Any) -> None:
    _release(token, ROOT_1, 1, 0)
    _release(token, ROOT_2, 1, 0)
    same_block = token.genesis_pool()
    boa.env.time_travel(blocks=1)
    _release(token, ROOT_3, 1, 0)
    assert len({genesis_pool_of(ROOT_1, 1, block() - 1), same_block, token.genesis_pool()}) == 3
    assert same_block == genesis_pool_of(ROOT_2, 1, block() - 1)


@pytest.mark.parametrize("who", ["deployer", "holder", "council"])
def test_release_genesis__not_the_issuer__reverts(token: Any, council: Any, who: str) -> None:
    _release(token, ROOT_1, 1, 10)
    caller = {"deployer": str(boa.env.eoa), "holder": ALICE.address, "council": council.address}
    with reverts_unchanged(token, ONLY_ISSUER_RELEASES, roots=[ROOT_2]), boa.env.prank(caller[who]):
        token.release_genesis(ROOT_2, 2, 1)


def test_release_genesis__zero_root__reverts(token: Any) -> None:
    with reverts_unchanged(token, NO_MONTH_ROOT), boa.env.prank(ISSUER):
        token.release_genesis(b"\x00" * 32, 1, TRANCHE)


def test_release_genesis__same_root_again__is_the_next_month(token: Any) -> None:
    """A month that pays and forfeits nothing new (every leader deferred) restates the same
    cumulative list: its root is released again, as the new month, with a pool of its own."""
    _release(token, ROOT_1, 1, TRANCHE)
    first_pool = token.genesis_pool()
    boa.env.time_travel(blocks=1)
    with boa.env.prank(ISSUER):
        token.release_genesis(ROOT_1, 2, 0)
    assert token.genesis_month(ROOT_1) == (2, block())
    assert token.genesis_pool() == genesis_pool_of(ROOT_1, 2, block()) != first_pool
    assert token.balanceOf(token.genesis_pool()) == TRANCHE and token.balanceOf(first_pool) == 0


@pytest.mark.parametrize("month", [0, 256, 2**64, MAX_UINT])
def test_release_genesis__month_out_of_1_to_255__reverts(token: Any, month: int) -> None:
    with reverts_unchanged(token, MONTH_RANGE, roots=[ROOT_1]), boa.env.prank(ISSUER):
        token.release_genesis(ROOT_1, month, TRANCHE)


def test_release_genesis__month_255__accepted(token: Any) -> None:
    _release(token, ROOT_1, 255, 0)
    assert token.genesis_month(ROOT_1) == (255, block())


def test_release_genesis__the_token_does_not_order_months(token: Any) -> None:
    """Order and timing of months are the treasury's rule (GENESIS_RELEASE); the token
    records whatever month its issuer names."""
    _release(token, ROOT_1, 3, 0)
    _release(token, ROOT_2, 1, 0)
    assert token.genesis_month(ROOT_1)[0] == 3 and token.genesis_month(ROOT_2)[0] == 1


# THE GENESIS CAP (§2, §11.1) #


def test_release_genesis__exactly_the_cap__accepted(token: Any) -> None:
    _release(token, ROOT_1, 1, GENESIS_CAP)
    assert token.issued_genesis() == GENESIS_CAP == token.totalSupply()
    check_supply(token)


def test_release_genesis__cap_plus_one_wei__reverts(token: Any) -> None:
    with reverts_unchanged(token, GENESIS_CAPPED, roots=[ROOT_1]), boa.env.prank(ISSUER):
        token.release_genesis(ROOT_1, 1, GENESIS_CAP + 1)


def test_release_genesis__one_wei_past_a_full_bucket__reverts(token: Any) -> None:
    _release(token, ROOT_1, 1, GENESIS_CAP - 1)
    _release(token, ROOT_2, 2, 1)
    with reverts_unchanged(token, GENESIS_CAPPED, roots=[ROOT_3]), boa.env.prank(ISSUER):
        token.release_genesis(ROOT_3, 3, 1)
    assert token.issued_genesis() == GENESIS_CAP


def test_release_genesis__cumulative_across_months(token: Any) -> None:
    for month in range(1, 6):
        _release(token, bytes([month]) * 32, month, 1_000_000 * KOL)
    with reverts_unchanged(token, GENESIS_CAPPED), boa.env.prank(ISSUER):
        token.release_genesis(b"\x06" * 32, 6, 1)
    assert token.issued_genesis() == GENESIS_CAP
    assert token.balanceOf(token.genesis_pool()) == GENESIS_CAP


def test_release_genesis__full_bucket__a_month_paying_nothing_still_opens(token: Any) -> None:
    _release(token, ROOT_1, 1, GENESIS_CAP)
    _release(token, ROOT_2, 2, 0)
    assert token.balanceOf(token.genesis_pool()) == GENESIS_CAP


def test_release_genesis__burning_never_makes_room(token: Any, council: Any) -> None:
    """The issuer, seated as a leader, claims a tranche of a full bucket and burns it."""
    tree = genesis_tree([(ISSUER, TRANCHE, 0), (ALICE.address, 0, 0)])
    seat(council, ISSUER)
    release(token, tree, 1, GENESIS_CAP)
    claim_genesis(token, tree, ISSUER, TRANCHE)
    burn(token, TRANCHE)
    assert token.totalSupply() == GENESIS_CAP - TRANCHE
    with reverts_unchanged(token, GENESIS_CAPPED, roots=[ROOT_2]), boa.env.prank(ISSUER):
        token.release_genesis(ROOT_2, 2, 1)
    assert token.issued_genesis() == GENESIS_CAP and token.burned_total() == TRANCHE
    check_supply(token)


def test_release_genesis__full_matched_bucket__does_not_limit_it(token: Any) -> None:
    give(token, BOB.address, MATCHED_CAP)
    _release(token, ROOT_1, 1, GENESIS_CAP)
    assert token.issued_total() == TOTAL_CAP == token.totalSupply()
    check_supply(token)


def test_release_genesis__unused_matched_room__cannot_be_borrowed(token: Any) -> None:
    with reverts_unchanged(token, GENESIS_CAPPED), boa.env.prank(ISSUER):
        token.release_genesis(ROOT_1, 1, GENESIS_CAP + MATCHED_CAP)


def test_release_genesis__overflowing_amount__reverts(token: Any) -> None:
    _release(token, ROOT_1, 1, 1)
    with reverts_unchanged(token, None, roots=[ROOT_2]), boa.env.prank(ISSUER):
        token.release_genesis(ROOT_2, 2, MAX_UINT)
