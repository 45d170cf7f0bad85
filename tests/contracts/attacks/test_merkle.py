"""Forged and second-preimage proofs against genesis claims, and a double
claim through the other door (a pushed delivery after a claim and back).

Covered elsewhere (not repeated): matched claims twice, forged proofs, the
root as a proof, a leaf of another batch, an internal node presented as a
leaf, a list of single-hashed (64-byte pair) leaves, role and index out of
range — tests/contracts/unitary/token/test_claim.py; forged multiproofs
(amount, account, order, proof node, flags), leaves of another batch, malformed
multiproofs — test_deliver.py; genesis claims twice, forged proofs, proofs
from another list, roots never released or named with another month —
test_claim_genesis.py.
"""

from __future__ import annotations

from typing import Any

import boa
import pytest
from eth_abi import encode
from eth_utils import keccak

from kol.chain.inprocess import deployer
from kol.domain.merkle import StandardMerkleTree
from tests.contracts.unitary.token._util import (
    ALICE,
    BAD_GENESIS_PROOF,
    BAD_MULTIPROOF,
    BOB,
    CAROL,
    CLAIMED,
    ISSUER,
    KEEPER,
    LEADER,
    TRANCHE,
    USER,
    block,
    check_supply,
    claim_genesis,
    deploy_council,
    genesis_tree,
    open_list,
    proof_of,
    release,
    reverts_unchanged,
    seat,
)

A, B, C = ALICE.address, BOB.address, CAROL.address
GENESIS_TYPES = ["address", "uint256", "uint256"]


@pytest.fixture
def token() -> Any:
    council = deploy_council()
    token = deployer("KOLToken").deploy(ISSUER, council.address)
    boa.env.time_travel(blocks=10)
    for member_id, leader in enumerate((A, B, C), start=1):
        seat(council, leader, member_id, since=block() - 5)
    return token


def _month(token: Any, entitlements: list[tuple[str, int, int]]) -> StandardMerkleTree:
    tree = genesis_tree(entitlements)
    release(token, tree, 1, sum(e[1] for e in entitlements))
    boa.env.time_travel(blocks=1)
    return tree


def _raw(token: Any, root: bytes, leader: str, paid: int, forfeited: int, proof: list) -> None:
    month, release_block = token.genesis_month(root)
    with boa.env.prank(KEEPER):
        token.claim_genesis(root, month, release_block, leader, paid, forfeited, proof)


def test_genesis__internal_node_as_a_leaf__reverts(token: Any) -> None:
    """The root's left child with the proof above it reaches the root, but no
    fields hash (twice) to it."""
    tree = _month(token, [(A, TRANCHE, 0), (B, TRANCHE, 0), (C, TRANCHE, 0)])
    node, above = tree.tree[1], [tree.tree[2]]
    assert keccak(min(node, above[0]) + max(node, above[0])) == tree.root
    for leader, paid in ((A, TRANCHE), (A, 0), (B, TRANCHE)):
        with reverts_unchanged(token, BAD_GENESIS_PROOF, roots=[tree.root]):
            _raw(token, tree.root, leader, paid, 0, above)


def test_genesis__list_of_single_hashed_leaves__reverts(token: Any) -> None:
    """A released root over leaves hashed once proves nothing."""
    values = [(A, TRANCHE, 0), (B, TRANCHE, 0)]
    once = sorted(keccak(encode(GENESIS_TYPES, list(v))) for v in values)
    root = keccak(once[0] + once[1])
    with boa.env.prank(ISSUER):
        token.release_genesis(root, 1, 2 * TRANCHE)
    boa.env.time_travel(blocks=1)
    mine = keccak(encode(GENESIS_TYPES, list(values[0])))
    sibling = once[1] if once[0] == mine else once[0]
    with reverts_unchanged(token, BAD_GENESIS_PROOF, roots=[root]):
        _raw(token, root, A, TRANCHE, 0, [sibling])


def test_genesis__another_leaders_proof_for_more__reverts_and_its_own_claim_pays_once(
    token: Any,
) -> None:
    tree = _month(token, [(A, TRANCHE, 0), (B, TRANCHE, 0), (C, 0, TRANCHE)])
    with reverts_unchanged(token, BAD_GENESIS_PROOF, roots=[tree.root]):
        _raw(token, tree.root, C, TRANCHE, 0, proof_of(tree, (A, TRANCHE, 0)))
    assert claim_genesis(token, tree, A, TRANCHE) == TRANCHE
    with boa.reverts():
        claim_genesis(token, tree, A, TRANCHE)
    assert token.balanceOf(A) == TRANCHE
    check_supply(token, [A, B, C, KEEPER])


def test_double_claim__claimed_leaf_then_delivered__skipped_paid_once(token: Any) -> None:
    """A leaf claimed by proof and then named in a pushed multiproof delivery
    is skipped (its claim bit is set); the delivery pays the other leaf, and
    delivering or claiming again pays nothing more."""
    batch = open_list(token, [(0, A, USER, 8), (1, B, USER, 0), (2, C, LEADER, 2)], 8, 2)
    batch.claim(token, 0)
    mp = batch.tree.get_multi_proof([batch.leaves[0], batch.leaves[2]])
    delivery = ([list(v) for v in mp.leaves], list(mp.proof), list(mp.proof_flags))
    with boa.env.prank(KEEPER):
        assert token.deliver(batch.id, *delivery) == 1
    assert (token.balanceOf(A), token.balanceOf(C)) == (8, 2)
    with boa.env.prank(KEEPER):
        assert token.deliver(batch.id, *delivery) == 0
    with reverts_unchanged(token, CLAIMED):
        batch.claim(token, 2)
    assert (token.balanceOf(A), token.balanceOf(C)) == (8, 2)
    check_supply(token, [A, B, C, KEEPER])


def test_deliver__internal_node_among_the_leaves__reverts(token: Any) -> None:
    """A multiproof naming an internal node's value as a leaf's amount (with
    the proof above that node) proves nothing."""
    batch = open_list(token, [(0, A, USER, 5), (1, B, USER, 3), (2, C, LEADER, 2)], 8, 2)
    node, above = batch.tree.tree[1], batch.tree.tree[2]
    fake = [0, A, USER, int.from_bytes(node, "big")]
    with reverts_unchanged(token, BAD_MULTIPROOF):
        token.deliver(batch.id, [fake], [above], [False])
