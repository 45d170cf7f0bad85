"""``claim``: anyone sends a leaf of a batch's list with its OpenZeppelin proof, and the
leaf's amount moves from the pool of its part to its account — once per leaf, never more
than the part the batch stated (§7, §11.4)."""

from __future__ import annotations

from typing import Any

import boa
import pytest
from eth_abi import encode
from eth_utils import keccak

from kol.domain.allocation import Allocation
from kol.domain.merkle import process_proof
from tests.contracts.unitary.token._util import (
    ALICE,
    BAD_INDEX,
    BAD_PROOF,
    BAD_ROLE,
    BATCH_LEAF_TYPES,
    BOB,
    CAROL,
    CLAIMED,
    ISSUER,
    KEEPER,
    KOL,
    LEADER,
    MAX_INDEX,
    NO_BATCH,
    OVER_PART,
    USER,
    Batch,
    batch_pool,
    check_supply,
    give,
    open_allocation,
    open_list,
    proof_of,
    reverts_unchanged,
    transfers,
)

A, B, C = ALICE.address, BOB.address, CAROL.address


@pytest.fixture
def batch(token: Any) -> Batch:
    """1,000 KOL: users Alice 400, Bob 240, Carol 160; leaders Alice 150, Bob 50."""
    allocation = Allocation.of(
        1_000 * KOL,
        [(A, "user", 5), (B, "user", 3), (C, "user", 2), (A, "leader", 3), (B, "leader", 1)],
    )
    return open_allocation(token, allocation)


def _claim(token: Any, batch_id: int, value: tuple[int, str, int, int], proof: list[bytes]) -> None:
    with boa.env.prank(KEEPER):
        token.claim(batch_id, *value, proof)


def test_claim__user_leaf__paid_from_the_user_pool(token: Any, batch: Batch) -> None:
    batch.claim(token, 1)
    assert transfers(token) == [(batch_pool(1, USER), B, 240 * KOL)]
    assert token.balanceOf(B) == 240 * KOL
    assert token.batch(1)[3:] == (560 * KOL, 200 * KOL)
    assert token.is_claimed(1, 1) and not token.is_claimed(1, 0)
    check_supply(token)


def test_claim__leader_leaf__paid_from_the_leader_pool(token: Any, batch: Batch) -> None:
    batch.claim(token, 3)
    assert transfers(token) == [(batch_pool(1, LEADER), A, 150 * KOL)]
    assert token.batch(1)[3:] == (800 * KOL, 50 * KOL)
    assert token.is_claimed(1, 3)


def test_claim__sent_by_a_third_party__pays_the_leafs_account(token: Any, batch: Batch) -> None:
    batch.claim(token, 2, sender=BOB.address)
    assert token.balanceOf(C) == 160 * KOL
    assert token.balanceOf(B) == 0 and token.balanceOf(KEEPER) == 0


def test_claim__by_the_account_itself(token: Any, batch: Batch) -> None:
    batch.claim(token, 0, sender=A)
    assert token.balanceOf(A) == 400 * KOL


def test_claim__every_leaf__empties_both_pools_exactly(token: Any, batch: Batch) -> None:
    for i in range(5):
        batch.claim(token, i)
    assert token.batch(1)[3:] == (0, 0)
    assert [token.balanceOf(x) for x in (A, B, C)] == [550 * KOL, 290 * KOL, 160 * KOL]
    assert all(token.is_claimed(1, i) for i in range(5))
    check_supply(token)


def test_claim__one_address_in_both_roles__two_leaves(token: Any, batch: Batch) -> None:
    batch.claim(token, 0)
    batch.claim(token, 3)
    assert token.balanceOf(A) == 550 * KOL


def test_claim__twice__reverts(token: Any, batch: Batch) -> None:
    batch.claim(token, 0)
    with reverts_unchanged(token, CLAIMED):
        batch.claim(token, 0)
    assert token.balanceOf(A) == 400 * KOL


@pytest.mark.parametrize("batch_id", [0, 2, 2**64])
def test_claim__no_such_batch__reverts(token: Any, batch: Batch, batch_id: int) -> None:
    value = batch.leaves[0]
    with reverts_unchanged(token, NO_BATCH):
        _claim(token, batch_id, value, proof_of(batch.tree, value))


# FORGED PROOFS #


@pytest.mark.parametrize("forge", ["amount", "account", "role", "index", "another_leafs_proof"])
def test_claim__leaf_not_in_the_list__reverts(token: Any, batch: Batch, forge: str) -> None:
    index, account, role, amount = batch.leaves[1]  # Bob, user, 240 KOL
    proof = proof_of(batch.tree, batch.leaves[1])
    if forge == "amount":
        amount += 1
    elif forge == "account":
        account = C
    elif forge == "role":
        role = LEADER
    elif forge == "index":
        index = 2
    else:
        proof = proof_of(batch.tree, batch.leaves[2])
    with reverts_unchanged(token, BAD_PROOF):
        _claim(token, 1, (index, account, role, amount), proof)


@pytest.mark.parametrize("forge", ["empty", "truncated", "extended", "reversed", "junk"])
def test_claim__forged_proof__reverts(token: Any, batch: Batch, forge: str) -> None:
    value = batch.leaves[0]
    proof = proof_of(batch.tree, value)
    forged = {
        "empty": [],
        "truncated": proof[:-1],
        "extended": [*proof, b"\x01" * 32],
        "reversed": proof[::-1],
        "junk": [b"\x07" * 32] * len(proof),
    }[forge]
    with reverts_unchanged(token, BAD_PROOF):
        _claim(token, 1, value, forged)


def test_claim__the_root_as_proof_of_anything__reverts(token: Any, batch: Batch) -> None:
    with reverts_unchanged(token, BAD_PROOF):
        _claim(token, 1, (0, A, USER, 1), [batch.tree.root])


def test_claim__leaf_of_another_batch__reverts(token: Any, batch: Batch) -> None:
    other = open_list(token, [(0, C, USER, 8), (1, C, LEADER, 2)], 8, 2)
    value = other.leaves[0]
    with reverts_unchanged(token, BAD_PROOF):
        _claim(token, batch.id, value, proof_of(other.tree, value))
    other.claim(token, 0)
    assert token.balanceOf(C) == 8


def test_claim__internal_node_as_a_leaf__reverts(token: Any, batch: Batch) -> None:
    """Second preimage: an internal node of the list with the proof above it reaches the
    root, but a leaf is keccak256(keccak256(abi.encode(fields))) and a node keccak256 of a
    64-byte pair, so no fields make a node pass for a leaf."""
    tree = batch.tree
    node = tree.tree[1]  # an internal node: the root's left child
    above = [tree.tree[2]]
    assert process_proof(node, above) == tree.root
    with reverts_unchanged(token, BAD_PROOF):
        _claim(token, 1, (0, A, USER, int.from_bytes(node, "big")), above)
    with reverts_unchanged(token, BAD_PROOF):
        _claim(token, 1, (0, A, USER, int.from_bytes(node, "big")), [])


def test_claim__list_of_single_hashed_leaves__reverts(token: Any) -> None:
    """The root of a tree whose leaves are hashed once (not OpenZeppelin's double hash)
    proves nothing: the contract hashes every leaf twice."""
    values = [(0, A, USER, 8), (1, B, LEADER, 2)]
    once = [keccak(encode(list(BATCH_LEAF_TYPES), list(v))) for v in values]
    pair = sorted(once)
    root = keccak(pair[0] + pair[1])
    with boa.env.prank(ISSUER):
        token.open_batch(root, 8, 2, True)
    with reverts_unchanged(token, BAD_PROOF):
        _claim(token, 1, values[0], [once[1]])


# LEAF BOUNDS #


@pytest.mark.parametrize("role", [2, 3, 255])
def test_claim__role_above_1__reverts_even_with_a_valid_proof(token: Any, role: int) -> None:
    """Role 2 would name the next batch's user pool (pool 2b + 2)."""
    batch = open_list(token, [(0, A, USER, 8), (1, B, role, 2)], 8, 2)
    open_list(token, [(0, C, USER, 8), (1, C, LEADER, 2)], 8, 2)
    with reverts_unchanged(token, BAD_ROLE):
        batch.claim(token, 1)


@pytest.mark.parametrize("index", [MAX_INDEX, MAX_INDEX + 1, MAX_INDEX * 256, 2**256 - 1])
def test_claim__index_from_2_to_the_32__reverts_even_with_a_valid_proof(
    token: Any, index: int
) -> None:
    """Unbounded, index 2**40 would share index 0's claim bit (key batch << 32 | index >> 8)."""
    batch = open_list(token, [(0, A, USER, 8), (index, B, LEADER, 2)], 8, 2)
    with reverts_unchanged(token, BAD_INDEX):
        batch.claim(token, 1)


def test_claim__index_2_to_the_32_minus_1__accepted(token: Any) -> None:
    batch = open_list(token, [(0, A, USER, 8), (MAX_INDEX - 1, B, LEADER, 2)], 8, 2)
    batch.claim(token, 1)
    assert token.balanceOf(B) == 2
    assert token.is_claimed(1, MAX_INDEX - 1) and not token.is_claimed(1, 0)


def test_claim__claim_bits_are_per_batch_and_per_index(token: Any) -> None:
    """Indices 255 / 256 sit in two claim words; batch 2's leaf 0 is not batch 1's."""
    values = [(0, A, USER, 4), (255, B, USER, 2), (256, C, USER, 2), (1, A, LEADER, 2)]
    first = open_list(token, values, 8, 2)
    second = open_list(token, values, 8, 2)
    first.claim(token, 1)
    assert [token.is_claimed(1, i) for i in (0, 254, 255, 256)] == [False, False, True, False]
    first.claim(token, 2)
    first.claim(token, 0)
    assert [token.is_claimed(2, i) for i in (0, 255, 256)] == [False, False, False]
    second.claim(token, 0)
    assert token.balanceOf(A) == 8
    check_supply(token)


# THE STATED PARTS (§11.4) #


def test_claim__user_leaves_over_the_user_part__the_excess_reverts(token: Any) -> None:
    """A list paying users 9 in a batch that states 8 for them: once the user pool is
    empty the last claim is refused; the pool never goes below zero and the leader part
    is not touched."""
    batch = open_list(token, [(0, A, USER, 5), (1, B, USER, 4), (2, C, LEADER, 2)], 8, 2)
    batch.claim(token, 0)
    assert token.batch(1)[3:] == (3, 2)
    with reverts_unchanged(token, OVER_PART):
        batch.claim(token, 1)
    batch.claim(token, 2)
    assert token.batch(1)[3:] == (3, 0)
    check_supply(token)


def test_claim__leader_leaves_over_the_leader_part__the_excess_reverts(token: Any) -> None:
    batch = open_list(token, [(0, A, USER, 8), (1, B, LEADER, 2), (2, C, LEADER, 1)], 8, 2)
    batch.claim(token, 1)
    with reverts_unchanged(token, OVER_PART):
        batch.claim(token, 2)
    batch.claim(token, 0)
    assert token.batch(1)[3:] == (0, 0)


def test_claim__one_leaf_over_its_part__reverts(token: Any) -> None:
    batch = open_list(token, [(0, A, USER, 9), (1, B, LEADER, 1)], 8, 2)
    with reverts_unchanged(token, OVER_PART):
        batch.claim(token, 0)


def test_claim__never_reaches_another_batchs_pools(token: Any) -> None:
    """An over-stated list is refused even while other batches' pools hold plenty."""
    open_list(token, [(0, C, USER, 800), (1, C, LEADER, 200)], 800, 200)
    small = open_list(token, [(0, A, USER, 80), (1, B, LEADER, 21)], 80, 20)
    with reverts_unchanged(token, OVER_PART):
        small.claim(token, 1)


def test_claim__zero_amount_leaf__marks_it_claimed(token: Any) -> None:
    batch = open_list(token, [(0, A, USER, 8), (1, B, LEADER, 2), (2, C, USER, 0)], 8, 2)
    batch.claim(token, 2)
    assert token.is_claimed(1, 2) and token.balanceOf(C) == 0


def test_claim__circulation_batch__pays_the_escrowed_kol(token: Any) -> None:
    give(token, ISSUER, 10)
    supply = token.totalSupply()
    batch = open_list(token, [(0, A, USER, 8), (1, B, LEADER, 2)], 8, 2, minted=False)
    batch.claim(token, 0)
    batch.claim(token, 1)
    assert (token.balanceOf(A), token.balanceOf(B), token.balanceOf(ISSUER)) == (8, 2, 0)
    assert token.totalSupply() == supply
    check_supply(token)


def test_claim__single_leaf_list__empty_proof(token: Any) -> None:
    batch = open_list(token, [(0, B, LEADER, 1)], 0, 1)
    batch.claim(token, 0)
    assert token.balanceOf(B) == 1 and token.batch(1)[3:] == (0, 0)
