"""``open_batch``: only the issuer opens a distribution batch; its 80% user part and
20% leader part go into the batch's two pools, minted from the matched bucket — never
more than 16,000,000 KOL in all, counted cumulatively — or, in circulation mode, moved
from the issuer's own KOL (§2, §7, §11.1, §11.4)."""

from __future__ import annotations

from typing import Any

import boa
import pytest

from tests.contracts.unitary.token._util import (
    ALICE,
    BOB,
    BUCKET_MATCHED,
    EXCEEDS_BALANCE,
    GENESIS_CAP,
    ISSUER,
    KOL,
    LEADER,
    MATCHED_CAP,
    MATCHED_CAPPED,
    MAX_UINT,
    NO_ROOT,
    NOT_80_20,
    NOTHING,
    ONLY_ISSUER_OPENS,
    TOTAL_CAP,
    USER,
    ZERO,
    batch_pool,
    burn,
    check_supply,
    events,
    genesis_tree,
    give,
    release,
    reverts_unchanged,
    transfers,
)

ROOT = b"\x11" * 32


def _open(token: Any, user: int, leader: int, minted: bool = True, root: bytes = ROOT) -> int:
    with boa.env.prank(ISSUER):
        batch_id: int = token.open_batch(root, user, leader, minted)
    return batch_id


def _split(total: int) -> tuple[int, int]:
    """The 80/20 split the contract demands: total * 4 // 5 and the rest."""
    return total * 4 // 5, total - total * 4 // 5


# MINTED (matched issuance) #


def test_open_batch__minted__mints_the_parts_into_the_two_pools(token: Any) -> None:
    with boa.env.prank(ISSUER):
        batch_id = token.open_batch(ROOT, 800 * KOL, 200 * KOL, True)
    moved = transfers(token)
    user_pool, leader_pool = batch_pool(1, USER), batch_pool(1, LEADER)
    assert moved == [(ZERO, user_pool, 800 * KOL), (ZERO, leader_pool, 200 * KOL)]
    assert batch_id == 1 == token.batch_count()
    assert token.batch(1) == (ROOT, user_pool, leader_pool, 800 * KOL, 200 * KOL)
    assert token.balanceOf(user_pool) == 800 * KOL and token.balanceOf(leader_pool) == 200 * KOL
    assert token.balanceOf(ISSUER) == 0
    assert (token.issued_genesis(), token.issued_matched()) == (0, 1_000 * KOL)
    check_supply(token)


def test_open_batch__minted__logs_issued_and_batch_opened(token: Any) -> None:
    release(token, genesis_tree([(ALICE.address, 0, 0)]), 1, 3 * KOL)
    _open(token, 8, 2)
    with boa.env.prank(ISSUER):
        token.open_batch(ROOT, 800 * KOL, 200 * KOL, True)
    issued = [
        (e.bucket, e.amount, e.issued_bucket, e.issued_total) for e in events(token, "Issued")
    ]
    assert issued == [(BUCKET_MATCHED, 1_000 * KOL, 1_000 * KOL + 10, 1_003 * KOL + 10)]
    (opened,) = events(token, "BatchOpened")
    assert (
        opened.batch_id,
        opened.root,
        opened.user_pool,
        opened.leader_pool,
        opened.user_total,
        opened.leader_total,
        opened.minted,
    ) == (2, ROOT, batch_pool(2, USER), batch_pool(2, LEADER), 800 * KOL, 200 * KOL, True)


def test_open_batch__ids_count_up_and_each_batch_has_its_own_pools(token: Any) -> None:
    ids = [_open(token, 8 * n, 2 * n, root=bytes([n]) * 32) for n in (1, 2, 3)]
    assert ids == [1, 2, 3] and token.batch_count() == 3
    for n in ids:
        assert token.batch(n) == (
            bytes([n]) * 32,
            batch_pool(n, USER),
            batch_pool(n, LEADER),
            8 * n,
            2 * n,
        )
    assert len({batch_pool(n, r) for n in ids for r in (USER, LEADER)}) == 6
    check_supply(token)


def test_open_batch__the_same_root_twice__two_batches(token: Any) -> None:
    assert (_open(token, 8, 2), _open(token, 8, 2)) == (1, 2)
    assert token.batch(1)[0] == token.batch(2)[0] == ROOT


@pytest.mark.parametrize("minted", [True, False])
@pytest.mark.parametrize("who", ["deployer", "holder", "council"])
def test_open_batch__not_the_issuer__reverts(
    token: Any, council: Any, who: str, minted: bool
) -> None:
    give(token, ALICE.address, 10 * KOL)
    caller = {"deployer": str(boa.env.eoa), "holder": ALICE.address, "council": council.address}
    with reverts_unchanged(token, ONLY_ISSUER_OPENS), boa.env.prank(caller[who]):
        token.open_batch(ROOT, 8, 2, minted)


# THE 80/20 RULE (§7, §11.4) #


@pytest.mark.parametrize(
    ("user", "leader"),
    [(8, 2), (5, 2), (3, 1), (0, 1), (4, 1), (8 * KOL, 2 * KOL), (799, 200)],
)
def test_open_batch__user_part_is_total_times_4_div_5__accepted(
    token: Any, user: int, leader: int
) -> None:
    _open(token, user, leader)
    assert token.batch(1)[3:] == (user, leader)


@pytest.mark.parametrize(
    ("user", "leader"),
    [
        (7, 3),
        (9, 1),
        (10, 0),
        (0, 10),
        (6, 1),
        (4, 3),
        (1, 0),
        (2, 2),
        (800, 199),
        (8 * KOL + 1, 2 * KOL - 1),
        (12_799_999, 3_200_001),
    ],
)
@pytest.mark.parametrize("minted", [True, False])
def test_open_batch__not_80_20__reverts(token: Any, user: int, leader: int, minted: bool) -> None:
    give(token, ISSUER, 20 * KOL)
    with reverts_unchanged(token, NOT_80_20), boa.env.prank(ISSUER):
        token.open_batch(ROOT, user, leader, minted)


@pytest.mark.parametrize("minted", [True, False])
def test_open_batch__nothing_to_distribute__reverts(token: Any, minted: bool) -> None:
    with reverts_unchanged(token, NOTHING), boa.env.prank(ISSUER):
        token.open_batch(ROOT, 0, 0, minted)


@pytest.mark.parametrize("minted", [True, False])
def test_open_batch__zero_root__reverts(token: Any, minted: bool) -> None:
    give(token, ISSUER, 10)
    with reverts_unchanged(token, NO_ROOT), boa.env.prank(ISSUER):
        token.open_batch(b"\x00" * 32, 8, 2, minted)


def test_open_batch__overflowing_parts__reverts(token: Any) -> None:
    _open(token, 8, 2)
    with reverts_unchanged(token, None), boa.env.prank(ISSUER):
        token.open_batch(ROOT, MAX_UINT, 1, True)


# THE MATCHED CAP (§2, §11.1) #


def test_open_batch__exactly_the_cap__accepted(token: Any) -> None:
    _open(token, *_split(MATCHED_CAP))
    assert token.issued_matched() == MATCHED_CAP == token.totalSupply()
    check_supply(token)


def test_open_batch__cap_plus_one_wei__reverts(token: Any) -> None:
    with reverts_unchanged(token, MATCHED_CAPPED), boa.env.prank(ISSUER):
        token.open_batch(ROOT, *_split(MATCHED_CAP + 1), True)


def test_open_batch__one_wei_past_a_full_bucket__reverts(token: Any) -> None:
    _open(token, *_split(MATCHED_CAP - 1))
    _open(token, 0, 1)
    assert token.issued_matched() == MATCHED_CAP
    with reverts_unchanged(token, MATCHED_CAPPED), boa.env.prank(ISSUER):
        token.open_batch(ROOT, 0, 1, True)


def test_open_batch__cumulative_across_batches(token: Any) -> None:
    for _ in range(4):
        _open(token, *_split(4_000_000 * KOL))
    with reverts_unchanged(token, MATCHED_CAPPED), boa.env.prank(ISSUER):
        token.open_batch(ROOT, 0, 1, True)
    assert token.issued_matched() == MATCHED_CAP and token.batch_count() == 4


def test_open_batch__burning_never_makes_room(token: Any) -> None:
    give(token, ISSUER, MATCHED_CAP)
    burn(token, MATCHED_CAP)
    assert token.totalSupply() == 0
    with reverts_unchanged(token, MATCHED_CAPPED), boa.env.prank(ISSUER):
        token.open_batch(ROOT, 0, 1, True)
    assert token.issued_matched() == MATCHED_CAP and token.burned_total() == MATCHED_CAP
    check_supply(token)


def test_open_batch__unused_genesis_room__cannot_be_borrowed(token: Any) -> None:
    """The buckets are separate: 21M in all, but never more than 16M matched."""
    with reverts_unchanged(token, MATCHED_CAPPED), boa.env.prank(ISSUER):
        token.open_batch(ROOT, *_split(MATCHED_CAP + 1 * KOL), True)
    with reverts_unchanged(token, MATCHED_CAPPED), boa.env.prank(ISSUER):
        token.open_batch(ROOT, *_split(MATCHED_CAP + GENESIS_CAP), True)


def test_open_batch__full_genesis_bucket__does_not_limit_it(token: Any) -> None:
    release(token, genesis_tree([(ALICE.address, 0, 0)]), 1, GENESIS_CAP)
    _open(token, *_split(MATCHED_CAP))
    assert token.issued_total() == TOTAL_CAP == token.totalSupply()
    check_supply(token)


# CIRCULATION MODE (minted = False, §7) #


def test_open_batch__circulation__moves_the_issuers_kol_and_mints_nothing(token: Any) -> None:
    give(token, ISSUER, 150 * KOL)
    issued = (token.issued_genesis(), token.issued_matched(), token.totalSupply())
    with boa.env.prank(ISSUER):
        batch_id = token.open_batch(ROOT, 80 * KOL, 20 * KOL, False)
    moved, minted, (opened,) = (
        transfers(token),
        events(token, "Issued"),
        events(token, "BatchOpened"),
    )
    user_pool, leader_pool = batch_pool(batch_id, USER), batch_pool(batch_id, LEADER)
    assert moved == [(ISSUER, user_pool, 80 * KOL), (ISSUER, leader_pool, 20 * KOL)]
    assert minted == []
    assert (opened.batch_id, opened.user_total, opened.leader_total, opened.minted) == (
        2,
        80 * KOL,
        20 * KOL,
        False,
    )
    assert token.balanceOf(ISSUER) == 50 * KOL
    assert token.batch(batch_id)[3:] == (80 * KOL, 20 * KOL)
    assert (token.issued_genesis(), token.issued_matched(), token.totalSupply()) == issued
    check_supply(token)


def test_open_batch__circulation__the_whole_balance(token: Any) -> None:
    give(token, ISSUER, 10)
    _open(token, 8, 2, minted=False)
    assert token.balanceOf(ISSUER) == 0 and token.issued_matched() == 10


@pytest.mark.parametrize(("user", "leader"), [(800, 201), (1_600, 400)])
def test_open_batch__circulation__more_than_the_issuer_holds__reverts(
    token: Any, user: int, leader: int
) -> None:
    """1,000 held: a batch of 1,001 (the user part fits, the leader part does not) or of
    2,000 (neither fits) is refused as a whole."""
    give(token, ISSUER, 1_000)
    with reverts_unchanged(token, EXCEEDS_BALANCE), boa.env.prank(ISSUER):
        token.open_batch(ROOT, user, leader, False)


def test_open_batch__circulation__nothing_held__reverts(token: Any) -> None:
    give(token, ALICE.address, 100)
    with reverts_unchanged(token, EXCEEDS_BALANCE), boa.env.prank(ISSUER):
        token.open_batch(ROOT, 8, 2, False)


def test_open_batch__circulation__not_limited_by_a_full_matched_bucket(token: Any) -> None:
    """§7: once the matched bucket is exhausted, KOL-paid tasks still distribute."""
    give(token, ISSUER, MATCHED_CAP)
    with boa.env.prank(ISSUER):
        token.open_batch(ROOT, *_split(MATCHED_CAP), False)
    assert token.issued_matched() == MATCHED_CAP == token.totalSupply()
    assert token.balanceOf(ISSUER) == 0
    check_supply(token)


def test_open_batch__circulation__holders_kol_is_not_taken(token: Any) -> None:
    """Only the issuer's own balance is escrowed: holders' KOL is out of its reach."""
    give(token, BOB.address, 1_000)
    give(token, ISSUER, 10)
    with reverts_unchanged(token, EXCEEDS_BALANCE), boa.env.prank(ISSUER):
        token.open_batch(ROOT, 800, 200, False)
    assert token.balanceOf(BOB.address) == 1_000
