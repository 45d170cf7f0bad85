"""``deliver``: anyone pays many leaves of a batch at once (the platform's automatic
distribution), proven together by one OpenZeppelin multiproof; leaves already claimed are
skipped and the number paid is returned (§7, §11.4)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import boa
import pytest

from kol.domain.allocation import Allocation
from kol.domain.merkle import MultiProof, StandardMerkleTree
from tests.contracts.helpers import keys
from tests.contracts.unitary.token._util import (
    ALICE,
    BAD_INDEX,
    BAD_MULTIPROOF,
    BAD_ROLE,
    BOB,
    CAROL,
    KEEPER,
    KOL,
    LEADER,
    MALFORMED,
    MAX_INDEX,
    NO_BATCH,
    OVER_PART,
    USER,
    Batch,
    batch_pool,
    check_supply,
    open_allocation,
    open_list,
    reverts_unchanged,
    state,
    transfers,
)

A, B, C = ALICE.address, BOB.address, CAROL.address
PEOPLE = [k.address for k in keys("token-unit:deliver", 6)]


@pytest.fixture
def batch(token: Any) -> Batch:
    """1,000 KOL over 8 leaves: six users (units 1..6), two leaders (Alice 3, Bob 1)."""
    participants = [(p, "user", i + 1) for i, p in enumerate(PEOPLE)]
    allocation = Allocation.of(1_000 * KOL, [*participants, (A, "leader", 3), (B, "leader", 1)])
    return open_allocation(token, allocation)


def _deliver(
    token: Any,
    batch_id: int,
    leaves: Sequence[Sequence[Any]],
    proof: Sequence[bytes],
    flags: Sequence[bool],
) -> int:
    with boa.env.prank(KEEPER):
        paid: int = token.deliver(batch_id, [tuple(v) for v in leaves], list(proof), list(flags))
    return paid


def _multi(batch: Batch, indices: Sequence[int]) -> MultiProof:
    return batch.tree.get_multi_proof([batch.leaves[i] for i in indices])


def _deliver_multi(token: Any, batch: Batch, indices: Sequence[int]) -> int:
    mp = _multi(batch, indices)
    return _deliver(token, batch.id, mp.leaves, mp.proof, mp.proof_flags)


def test_deliver__every_leaf__pays_each_account_and_returns_the_count(
    token: Any, batch: Batch
) -> None:
    assert _deliver_multi(token, batch, range(8)) == 8
    moved = transfers(token)
    assert sorted(moved) == sorted(
        (batch_pool(1, role), account, amount) for _, account, role, amount in batch.leaves
    )
    for _, account, role, amount in batch.leaves:
        extra = sum(a for _, acc, r, a in batch.leaves if acc == account and r != role)
        assert token.balanceOf(account) == amount + extra
    assert token.batch(1)[3:] == (0, 0)
    assert all(token.is_claimed(1, i) for i in range(8))
    check_supply(token, (*PEOPLE, A, B))


def test_deliver__a_subset__pays_only_those(token: Any, batch: Batch) -> None:
    assert _deliver_multi(token, batch, [0, 3, 6]) == 3
    assert [token.is_claimed(1, i) for i in range(8)] == [
        True,
        False,
        False,
        True,
        False,
        False,
        True,
        False,
    ]
    leaf_0, leaf_3, leaf_6 = (batch.leaves[i][3] for i in (0, 3, 6))
    assert token.balanceOf(PEOPLE[0]) == leaf_0 and token.balanceOf(PEOPLE[3]) == leaf_3
    assert token.balanceOf(A) == leaf_6 and token.balanceOf(PEOPLE[1]) == 0


def test_deliver__skips_leaves_already_claimed(token: Any, batch: Batch) -> None:
    batch.claim(token, 2)
    batch.claim(token, 7)
    before = token.balanceOf(PEOPLE[2])
    assert _deliver_multi(token, batch, range(8)) == 6
    assert len(transfers(token)) == 6
    assert token.balanceOf(PEOPLE[2]) == before
    assert token.batch(1)[3:] == (0, 0)
    check_supply(token, (*PEOPLE, A, B))


def test_deliver__again__pays_nothing_and_returns_0(token: Any, batch: Batch) -> None:
    _deliver_multi(token, batch, [1, 2])
    before = state(token)
    assert _deliver_multi(token, batch, [1, 2]) == 0
    assert transfers(token) == []
    assert state(token) == before


def test_deliver__sent_by_anyone__pays_the_accounts(token: Any, batch: Batch) -> None:
    mp = _multi(batch, [0])
    with boa.env.prank(C):
        token.deliver(1, [tuple(v) for v in mp.leaves], list(mp.proof), list(mp.proof_flags))
    assert token.balanceOf(PEOPLE[0]) == batch.leaves[0][3] and token.balanceOf(C) == 0


def test_deliver__single_leaf_list__no_proof_no_flags(token: Any) -> None:
    single = open_list(token, [(0, B, LEADER, 1)], 0, 1)
    assert _deliver(token, single.id, [single.leaves[0]], [], []) == 1
    assert token.balanceOf(B) == 1


def test_deliver__no_leaves_and_the_root_as_proof__pays_nothing(token: Any, batch: Batch) -> None:
    before = state(token)
    assert _deliver(token, 1, [], [batch.tree.root], []) == 0
    assert state(token) == before


def test_deliver__one_leaf_of_many(token: Any, batch: Batch) -> None:
    """A multiproof of one leaf is its ordinary proof, every flag False."""
    mp = _multi(batch, [5])
    assert list(mp.proof) == list(batch.tree.get_proof(batch.leaves[5]))
    assert not any(mp.proof_flags)
    assert _deliver(token, 1, mp.leaves, mp.proof, mp.proof_flags) == 1


def test_deliver__256_leaves_in_one_call(token: Any) -> None:
    """The largest delivery (MAX_DELIVERY): 256 leaves of a 300-leaf list."""
    people = [k.address for k in keys("token-unit:crowd", 299)]
    allocation = Allocation.of(300 * KOL, [*((p, "user", 1) for p in people), (A, "leader", 1)])
    big = open_allocation(token, allocation)
    assert _deliver_multi(token, big, range(256)) == 256
    assert all(token.is_claimed(1, i) for i in (0, 128, 255)) and not token.is_claimed(1, 256)


# REFUSED #


@pytest.mark.parametrize("batch_id", [0, 2])
def test_deliver__no_such_batch__reverts(token: Any, batch: Batch, batch_id: int) -> None:
    mp = _multi(batch, [0, 1])
    with reverts_unchanged(token, NO_BATCH):
        _deliver(token, batch_id, mp.leaves, mp.proof, mp.proof_flags)


@pytest.mark.parametrize(
    "forge", ["drop_flag", "add_flag", "drop_proof", "add_proof", "drop_leaf", "add_leaf"]
)
def test_deliver__lengths_do_not_match__reverts(token: Any, batch: Batch, forge: str) -> None:
    mp = _multi(batch, [0, 1, 4])
    leaves, proof, flags = list(mp.leaves), list(mp.proof), list(mp.proof_flags)
    assert proof and len(leaves) + len(proof) == len(flags) + 1
    if forge == "drop_flag":
        flags.pop()
    elif forge == "add_flag":
        flags.append(True)
    elif forge == "drop_proof":
        proof.pop()
    elif forge == "add_proof":
        proof.append(batch.tree.root)
    elif forge == "drop_leaf":
        leaves.pop()
    else:
        leaves.append(batch.leaves[2])
    with reverts_unchanged(token, MALFORMED):
        _deliver(token, 1, leaves, proof, flags)


def test_deliver__nothing_at_all__reverts(token: Any, batch: Batch) -> None:
    with reverts_unchanged(token, MALFORMED):
        _deliver(token, 1, [], [], [])


def test_deliver__proof_nodes_left_unused__reverts(token: Any, batch: Batch) -> None:
    """Lengths that match but flags that would leave a proof node unused (all True): the
    contract runs out of computed hashes first and the bounds check of its hash array
    reverts, without a reason string. (With leaves + proof = flags + 1 a proof node can
    only go unused if a hash is read before it is computed, so the contract's own "unused
    proof nodes" assertion is never the one that fires; OpenZeppelin needs it because its
    hash array is zero-filled.)"""
    mp = _multi(batch, [0, 1, 4])
    assert not all(mp.proof_flags)
    with reverts_unchanged(token, "DynArray[bytes32, 512] bounds check"):
        _deliver(token, 1, mp.leaves, mp.proof, [True] * len(mp.proof_flags))


def test_deliver__more_proof_reads_than_proof_nodes__reverts(token: Any, batch: Batch) -> None:
    """Lengths that match but flags asking for more proof nodes than given: the bounds
    check of the proof array reverts, without a reason string."""
    mp = _multi(batch, [0, 1, 4])
    with reverts_unchanged(token, "DynArray[bytes32, 256] bounds check"):
        _deliver(token, 1, mp.leaves, mp.proof, [False] * len(mp.proof_flags))


@pytest.mark.parametrize("forge", ["amount", "account", "order", "proof_node", "flag"])
def test_deliver__forged_multiproof__reverts(token: Any, batch: Batch, forge: str) -> None:
    mp = _multi(batch, [0, 1, 2, 5])
    leaves = [list(v) for v in mp.leaves]
    proof, flags = list(mp.proof), list(mp.proof_flags)
    if forge == "amount":
        leaves[1][3] += 1
    elif forge == "account":
        leaves[0][1] = C
    elif forge == "order":
        leaves[0], leaves[1] = leaves[1], leaves[0]
    elif forge == "proof_node":
        proof[0] = b"\x07" * 32
    else:
        first_true, first_false = flags.index(True), flags.index(False)
        flags[first_true], flags[first_false] = False, True
    with reverts_unchanged(token, BAD_MULTIPROOF):
        _deliver(token, 1, leaves, proof, flags)


def test_deliver__leaves_of_another_batch__reverts(token: Any, batch: Batch) -> None:
    other = open_list(token, [(0, C, USER, 8), (1, C, LEADER, 2)], 8, 2)
    mp = other.tree.get_multi_proof(list(other.leaves))
    with reverts_unchanged(token, BAD_MULTIPROOF):
        _deliver(token, batch.id, mp.leaves, mp.proof, mp.proof_flags)
    assert _deliver(token, other.id, mp.leaves, mp.proof, mp.proof_flags) == 2


def _hand_list(token: Any, values: list[tuple[int, str, int, int]]) -> tuple[Batch, MultiProof]:
    batch = open_list(token, values, 8, 2)
    tree: StandardMerkleTree = batch.tree
    return batch, tree.get_multi_proof(values)


def test_deliver__role_above_1__reverts_even_with_a_valid_multiproof(token: Any) -> None:
    batch, mp = _hand_list(token, [(0, A, USER, 8), (1, B, LEADER, 2), (2, C, 2, 1)])
    with reverts_unchanged(token, BAD_ROLE):
        _deliver(token, batch.id, mp.leaves, mp.proof, mp.proof_flags)


def test_deliver__index_from_2_to_the_32__reverts_even_with_a_valid_multiproof(
    token: Any,
) -> None:
    batch, mp = _hand_list(token, [(0, A, USER, 8), (MAX_INDEX, B, LEADER, 2)])
    with reverts_unchanged(token, BAD_INDEX):
        _deliver(token, batch.id, mp.leaves, mp.proof, mp.proof_flags)


def test_deliver__over_a_stated_part__the_whole_delivery_reverts(token: Any) -> None:
    """Users listed for 9 in a batch stating 8: no leaf of the delivery is paid."""
    batch, mp = _hand_list(token, [(0, A, USER, 5), (1, B, USER, 4), (2, C, LEADER, 2)])
    with reverts_unchanged(token, OVER_PART):
        _deliver(token, batch.id, mp.leaves, mp.proof, mp.proof_flags)
    subset = batch.tree.get_multi_proof([batch.leaves[1], batch.leaves[2]])
    assert _deliver(token, batch.id, subset.leaves, subset.proof, subset.proof_flags) == 2
    assert token.batch(batch.id)[3:] == (4, 0) and token.balanceOf(A) == 0
