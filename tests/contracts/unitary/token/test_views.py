"""The distribution views: ``batch_count``, ``batch``, ``is_claimed``, ``genesis_pool``,
``genesis_month``, ``genesis_claimed``, ``is_pool`` — what a claimant, the keeper and an
indexer read (§7, §8)."""

from __future__ import annotations

from typing import Any

import boa
import pytest
from eth_utils import to_checksum_address

from tests.contracts.unitary.token._util import (
    ALICE,
    BOB,
    CAROL,
    ISSUER,
    LEADER,
    MAX_INDEX,
    MAX_UINT,
    POOL_TAG,
    TRANCHE,
    USER,
    ZERO,
    batch_pool,
    block,
    claim_genesis,
    genesis_pool_of,
    genesis_tree,
    member_word,
    open_list,
    pool,
    release,
    seat,
)

A, B, C = ALICE.address, BOB.address, CAROL.address


def _address(value: int) -> str:
    return to_checksum_address(value.to_bytes(20, "big"))


def test_views__fresh_token__nothing_opened(token: Any) -> None:
    assert token.batch_count() == 0
    assert token.genesis_pool() == ZERO
    assert token.batch(1) == (b"\x00" * 32, batch_pool(1, USER), batch_pool(1, LEADER), 0, 0)
    assert token.genesis_month(b"\x01" * 32) == (0, 0)
    assert not token.is_claimed(1, 0)


def test_batch_count__counts_the_batches_opened(token: Any) -> None:
    for n in (1, 2, 3):
        open_list(token, [(0, A, USER, 8), (1, B, LEADER, 2)], 8, 2)
        assert token.batch_count() == n


def test_batch__root_pools_and_what_each_part_has_left(token: Any) -> None:
    batch = open_list(token, [(0, A, USER, 8), (1, B, LEADER, 2)], 8, 2)
    assert token.batch(1) == (batch.tree.root, pool(2), pool(3), 8, 2)
    batch.claim(token, 1)
    assert token.batch(1) == (batch.tree.root, pool(2), pool(3), 8, 0)


@pytest.mark.parametrize("batch_id", [0, 7, 2**62])
def test_batch__unopened_id__empty_root_and_its_future_pools(token: Any, batch_id: int) -> None:
    assert token.batch(batch_id) == (
        b"\x00" * 32,
        batch_pool(batch_id, USER),
        batch_pool(batch_id, LEADER),
        0,
        0,
    )


def test_is_claimed__only_the_leaf_claimed_in_its_batch(token: Any) -> None:
    values = [(0, A, USER, 8), (1, B, LEADER, 2)]
    first = open_list(token, values, 8, 2)
    open_list(token, values, 8, 2)
    first.claim(token, 1)
    assert [token.is_claimed(b, i) for b in (1, 2) for i in (0, 1)] == [False, True, False, False]


@pytest.mark.parametrize("index", [MAX_INDEX, MAX_INDEX + 1, MAX_UINT])
def test_is_claimed__index_from_2_to_the_32__false(token: Any, index: int) -> None:
    """No leaf can have such an index (``claim`` refuses it): never claimed, no revert."""
    batch = open_list(token, [(0, A, USER, 8), (1, B, LEADER, 2)], 8, 2)
    batch.claim(token, 0)
    assert token.is_claimed(1, index) is False


def test_genesis_pool__the_latest_months_pool(token: Any) -> None:
    root_1, root_2 = b"\x01" * 32, b"\x02" * 32
    with boa.env.prank(ISSUER):
        token.release_genesis(root_1, 1, 0)
    assert token.genesis_pool() == genesis_pool_of(root_1, 1, block())
    boa.env.time_travel(blocks=3)
    with boa.env.prank(ISSUER):
        token.release_genesis(root_2, 2, 0)
    assert token.genesis_pool() == genesis_pool_of(root_2, 2, block())
    # A genesis pool is a pool: it cannot receive KOL by transfer.
    assert token.is_pool(token.genesis_pool())


def test_genesis_month__month_and_release_block_unpacked(token: Any) -> None:
    """Stored as month | block << 8: a block above 255 and month 255 read back apart."""
    boa.env.time_travel(blocks=1_000)
    root = b"\x05" * 32
    with boa.env.prank(ISSUER):
        token.release_genesis(root, 255, 0)
    assert block() > 1_000
    assert token.genesis_month(root) == (255, block())
    assert token.genesis_month(b"\x06" * 32) == (0, 0)


def test_genesis_claimed__after_claims(token: Any, council: Any) -> None:
    boa.env.time_travel(blocks=2)
    seat(council, A)
    tree = genesis_tree([(A, 2 * TRANCHE, 0), (B, 0, 0)])
    release(token, tree, 2, 2 * TRANCHE)
    assert token.genesis_claimed(A) == 0
    claim_genesis(token, tree, A, 2 * TRANCHE)
    assert token.genesis_claimed(A) == 2 * TRANCHE and token.genesis_claimed(B) == 0


@pytest.mark.parametrize("claimed", [0, 1, 10, 15])
def test_genesis_claimed__reads_bits_236_to_240_of_the_member_word(
    token: Any, council: Any, claimed: int
) -> None:
    """Every other field of the word set to all ones does not leak into the count."""
    others = MAX_UINT ^ member_word(0, 0, node=False, claimed=15)
    council.set_member_word(A, others | member_word(0, 0, node=False, claimed=claimed))
    assert token.genesis_claimed(A) == claimed * TRANCHE


def test_genesis_claimed__never_a_member__0(token: Any) -> None:
    assert token.genesis_claimed(C) == 0


@pytest.mark.parametrize("number", [0, 1, 2, 3, 2**63, 2**64 - 1])
def test_is_pool__kol_pool_prefix__true(token: Any, number: int) -> None:
    assert token.is_pool(pool(number)) is True


def test_is_pool__a_batchs_pools__true(token: Any) -> None:
    open_list(token, [(0, A, USER, 8), (1, B, LEADER, 2)], 8, 2)
    _, user_pool, leader_pool, _, _ = token.batch(1)
    assert token.is_pool(user_pool) and token.is_pool(leader_pool)


@pytest.mark.parametrize(
    "address",
    [
        ZERO,
        A,
        ISSUER,
        _address((POOL_TAG + 1) << 96),
        _address((POOL_TAG - 1) << 96 | 2),
        _address(POOL_TAG),
        _address(POOL_TAG << 64),
        _address(2**160 - 1),
    ],
)
def test_is_pool__other_addresses__false(token: Any, address: str) -> None:
    assert token.is_pool(address) is False


def test_council__the_address_given_at_deployment(token: Any, council: Any) -> None:
    assert token.council() == council.address
