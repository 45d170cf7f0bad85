"""OpenZeppelin standard Merkle trees (constitution §7, §8): building, proofs, dumps.

The byte-for-byte comparison with ``@openzeppelin/merkle-tree`` itself is in
``test_merkle_openzeppelin.py``; here the trees are checked against the format's definition,
against eth_abi, and against snekmate's on-chain verifier.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import boa
import pytest
from eth_abi.abi import encode
from eth_typing import ChecksumAddress
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from hypothesis import given
from hypothesis import strategies as st

from kol.domain.merkle import (
    FORMAT,
    MultiProof,
    StandardMerkleTree,
    normalise_value,
    process_multi_proof,
    process_proof,
    standard_leaf_hash,
    standard_node_hash,
    verify,
    verify_multi_proof,
)

PAIR = ["address", "uint256"]
BATCH = ["uint256", "address", "uint8", "uint256"]
# The example of @openzeppelin/merkle-tree's README, with the root it prints.
README_VALUES = [
    ["0x1111111111111111111111111111111111111111", "5000000000000000000"],
    ["0x2222222222222222222222222222222222222222", "2500000000000000000"],
]
README_ROOT = "0xd4dee0beab2d53f2cc83e567171bd2820e49898130a22622b10ead383e90bd77"


def _address(i: int) -> ChecksumAddress:
    return to_checksum_address(keccak(text=f"merkle test {i}")[:20])


def _pairs(n: int) -> list[list[Any]]:
    return [[_address(i), (i + 1) * 10**18] for i in range(n)]


def _flip(node: bytes) -> bytes:
    return bytes([node[0] ^ 1]) + node[1:]


addresses = st.binary(min_size=20, max_size=20).map(to_checksum_address)
pair_values = st.lists(st.tuples(addresses, st.integers(0, 2**256 - 1)), min_size=1, max_size=40)


# BUILDING #


def test_of__readme_example__has_openzeppelins_root() -> None:
    tree = StandardMerkleTree.of(README_VALUES, PAIR)
    assert tree.root_hex == README_ROOT
    assert tree.root == bytes.fromhex(README_ROOT[2:])


def test_of__one_leaf__root_is_the_leaf_and_proof_is_empty() -> None:
    tree = StandardMerkleTree.of([[_address(0), 1]], PAIR)
    assert tree.tree == (tree.root,)
    assert tree.root == standard_leaf_hash(PAIR, [_address(0), 1])
    assert tree.get_proof(0) == ()
    assert tree.verify(0, ())


def test_of__tree_is_an_array_of_2n_minus_1_nodes_with_sorted_leaves_from_the_end() -> None:
    values = _pairs(7)
    tree = StandardMerkleTree.of(values, PAIR)
    assert len(tree.tree) == 13 and len(tree) == 7
    leaves = sorted(standard_leaf_hash(PAIR, v) for v in values)
    # Leaf i of the sorted list sits at index len - 1 - i.
    assert [tree.tree[12 - i] for i in range(7)] == leaves
    for i in range(6):
        assert tree.tree[i] == standard_node_hash(tree.tree[2 * i + 1], tree.tree[2 * i + 2])
    for value_index, tree_index in enumerate(tree.tree_indices):
        assert tree.tree[tree_index] == standard_leaf_hash(PAIR, values[value_index])


def test_leaf_hash__is_double_keccak_of_abi_encoding() -> None:
    value = [3, _address(3), 1, 42 * 10**18]
    expected = keccak(keccak(encode(BATCH, value)))
    assert standard_leaf_hash(BATCH, value) == expected
    tree = StandardMerkleTree.of([value], BATCH)
    assert tree.leaf_hash(value) == expected
    # A value need not be in the tree to be hashed.
    assert tree.leaf_hash([4, _address(4), 0, 1]) == keccak(
        keccak(encode(BATCH, [4, _address(4), 0, 1]))
    )


def test_node_hash__sorts_the_pair() -> None:
    a, b = keccak(b"a"), keccak(b"b")
    low, high = sorted((a, b))
    assert standard_node_hash(a, b) == standard_node_hash(b, a) == keccak(low + high)


def test_of__values_are_kept_in_input_order_normalised() -> None:
    lower = _address(1).lower()
    tree = StandardMerkleTree.of([[lower, "12"], [_address(2), "0x0d"]], PAIR)
    assert tree.values == ((_address(1), 12), (_address(2), 13))


def test_of__duplicate_values__both_provable() -> None:
    values = [[_address(1), 5], [_address(1), 5], [_address(2), 6]]
    tree = StandardMerkleTree.of(values, PAIR)
    assert tree.verify(0, tree.get_proof(0))
    assert tree.verify(1, tree.get_proof(1))
    # By value, the last equal value is proven (as in OpenZeppelin).
    assert tree.get_proof(values[0]) == tree.get_proof(1)


def test_constructor__normalises_and_checks_what_it_is_given() -> None:
    tree = StandardMerkleTree.of(_pairs(3), PAIR)
    # Loose input, as a JSON reader would hand it over.
    loose: list[Any] = [
        PAIR,
        [[v[0].lower(), str(v[1])] for v in tree.values],
        ["0x" + n.hex() for n in tree.tree],
        list(tree.tree_indices),
    ]
    rebuilt = StandardMerkleTree(*loose)
    assert rebuilt == tree
    with pytest.raises(ValueError, match="merkle: value 0 is not the leaf"):
        StandardMerkleTree(tree.leaf_types, tree.values[::-1], tree.tree, tree.tree_indices)


def test_of__no_values__raises() -> None:
    with pytest.raises(ValueError, match="merkle: a tree needs at least one leaf"):
        StandardMerkleTree.of([], PAIR)


def test_of__is_frozen() -> None:
    tree = StandardMerkleTree.of(_pairs(2), PAIR)
    with pytest.raises(AttributeError):
        tree.tree = ()  # type: ignore[misc]


# PROOFS #


@given(pair_values)
def test_get_proof__every_leaf_verifies(values: list[tuple[str, int]]) -> None:
    tree = StandardMerkleTree.of(values, PAIR)
    for i, value in enumerate(values):
        proof = tree.get_proof(i)
        assert verify(tree.root, PAIR, value, proof)
        assert verify(tree.root_hex, PAIR, value, ["0x" + p.hex() for p in proof])
        assert tree.verify(value, proof)
        assert process_proof(tree.leaf_hash(value), proof) == tree.root
        assert len(proof) <= len(values).bit_length()


@given(pair_values, st.data())
def test_verify__tampered_proof_or_value__fails(
    values: list[tuple[str, int]], data: st.DataObject
) -> None:
    tree = StandardMerkleTree.of(values, PAIR)
    i = data.draw(st.integers(0, len(values) - 1))
    account, amount = values[i]
    proof = list(tree.get_proof(i))
    # Another amount for the same account.
    other = (amount + 1) % 2**256
    if [account, other] not in [list(v) for v in values]:
        assert not verify(tree.root, PAIR, [account, other], proof)
    # Another root.
    assert not verify(_flip(tree.root), PAIR, values[i], proof)
    if proof:
        # A flipped bit in any proof node.
        j = data.draw(st.integers(0, len(proof) - 1))
        tampered = proof[:j] + [_flip(proof[j])] + proof[j + 1 :]
        assert not verify(tree.root, PAIR, values[i], tampered)
        # A proof with a node missing.
        assert not verify(tree.root, PAIR, values[i], proof[:-1])
        # An extra node.
        assert not verify(tree.root, PAIR, values[i], [*proof, proof[0]])


def test_get_proof__by_value_equals_by_index() -> None:
    values = _pairs(9)
    tree = StandardMerkleTree.of(values, PAIR)
    for i, value in enumerate(values):
        assert tree.get_proof(value) == tree.get_proof(i)
        assert tree.get_proof([value[0].lower(), str(value[1])]) == tree.get_proof(i)


def test_get_proof__value_not_in_tree__raises() -> None:
    tree = StandardMerkleTree.of(_pairs(3), PAIR)
    with pytest.raises(ValueError, match="merkle: the leaf is not in the tree"):
        tree.get_proof([_address(0), 999])


@pytest.mark.parametrize("index", [-1, 3, 100])
def test_get_proof__index_out_of_bounds__raises(index: int) -> None:
    tree = StandardMerkleTree.of(_pairs(3), PAIR)
    with pytest.raises(ValueError, match=f"merkle: index {index} is out of bounds"):
        tree.get_proof(index)


def test_get_proof__bool__raises() -> None:
    tree = StandardMerkleTree.of(_pairs(3), PAIR)
    with pytest.raises(ValueError, match="not a bool"):
        tree.get_proof(True)


def test_verify__node_of_wrong_length__raises() -> None:
    tree = StandardMerkleTree.of(_pairs(3), PAIR)
    with pytest.raises(ValueError, match="merkle: a proof node must be 32 bytes"):
        verify(tree.root, PAIR, _pairs(3)[0], [b"\x00" * 31])
    with pytest.raises(ValueError, match="merkle: root must be 32 bytes"):
        verify(tree.root[:31], PAIR, _pairs(3)[0], tree.get_proof(0))


# MULTIPROOFS #


@given(pair_values, st.data())
def test_get_multi_proof__any_subset_verifies_and_tampering_fails(
    values: list[tuple[str, int]], data: st.DataObject
) -> None:
    tree = StandardMerkleTree.of(values, PAIR)
    subset = data.draw(st.lists(st.integers(0, len(values) - 1), unique=True))
    multi = tree.get_multi_proof(subset)
    assert sorted(multi.leaves) == sorted(tree.values[i] for i in subset)
    assert verify_multi_proof(tree.root, PAIR, multi)
    assert not verify_multi_proof(_flip(tree.root), PAIR, multi)
    if multi.proof and subset:
        tampered = MultiProof(
            multi.leaves, (_flip(multi.proof[0]), *multi.proof[1:]), multi.proof_flags
        )
        assert not verify_multi_proof(tree.root, PAIR, tampered)


def test_get_multi_proof__whole_tree__needs_no_proof_nodes() -> None:
    tree = StandardMerkleTree.of(_pairs(6), PAIR)
    multi = tree.get_multi_proof(list(range(6)))
    assert multi.proof == ()
    assert all(multi.proof_flags)


def test_get_multi_proof__same_leaf_twice__raises() -> None:
    tree = StandardMerkleTree.of(_pairs(4), PAIR)
    with pytest.raises(ValueError, match="merkle: cannot prove the same leaf twice"):
        tree.get_multi_proof([1, tree.values[1]])


def test_process_multi_proof__inconsistent_lengths__raise() -> None:
    node = keccak(b"x")
    with pytest.raises(ValueError, match="invalid multiproof format"):
        process_multi_proof([node, node], [], [False])
    with pytest.raises(ValueError, match="not compatible"):
        process_multi_proof([node, node], [node], [True])


# DUMP AND LOAD #


def test_dump__has_openzeppelins_shape_and_strings() -> None:
    tree = StandardMerkleTree.of([[_address(1).lower(), 10**18], [_address(2), 2]], PAIR)
    dump = tree.dump()
    assert dump["format"] == FORMAT == "standard-v1"
    assert dump["leafEncoding"] == PAIR
    assert dump["tree"] == ["0x" + node.hex() for node in tree.tree]
    assert dump["values"] == [
        {"value": [_address(1), "1000000000000000000"], "treeIndex": tree.tree_indices[0]},
        {"value": [_address(2), "2"], "treeIndex": tree.tree_indices[1]},
    ]
    assert json.loads(json.dumps(dump)) == dump


def test_load__round_trips_a_dump() -> None:
    tree = StandardMerkleTree.of(_pairs(11), PAIR)
    loaded = StandardMerkleTree.load(json.loads(json.dumps(tree.dump())))
    assert loaded == tree
    assert loaded.get_proof(5) == tree.get_proof(5)


def test_load__readme_dump_written_by_openzeppelin() -> None:
    tree = StandardMerkleTree.of(README_VALUES, PAIR)
    dump = {
        "format": "standard-v1",
        "leafEncoding": ["address", "uint256"],
        "tree": [
            README_ROOT,
            "0xeb02c421cfa48976e66dfb29120745909ea3a0f843456c263cf8f1253483e283",
            "0xb92c48e9d7abe27fd8dfd6b5dfdbfb1c9a463f80c712b66f3a5180a090cccafc",
        ],
        "values": [
            {"value": README_VALUES[0], "treeIndex": 1},
            {"value": README_VALUES[1], "treeIndex": 2},
        ],
    }
    assert StandardMerkleTree.load(dump) == tree
    assert tree.dump() == dump


def _dump() -> dict[str, Any]:
    return StandardMerkleTree.of(_pairs(5), PAIR).dump()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="simple-v1"), "merkle: unknown format 'simple-v1'"),
        (lambda d: d.pop("leafEncoding"), "a dump needs its leafEncoding"),
        (lambda d: d.pop("tree"), "a dump needs a tree and values"),
        (lambda d: d["tree"].__setitem__(0, "0x" + "00" * 32), "node 0 is not the hash"),
        (lambda d: d["tree"].__setitem__(1, "0x1234"), "tree node 1 must be 32 bytes"),
        (lambda d: d["tree"].pop(), "5 leaves make a tree of 9 nodes"),
        (lambda d: d["values"][0]["value"].__setitem__(1, "7"), "value 0 is not the leaf"),
        (lambda d: d["values"][0].__setitem__("treeIndex", 0), "not the leaf positions"),
        (lambda d: d["values"][0].__setitem__("treeIndex", "4"), "treeIndex must be an integer"),
        (lambda d: d["values"].__setitem__(0, ["x"]), r"values\[0\] needs a value"),
        (lambda d: d["values"][0]["value"].pop(), "has 2 items, got 1"),
    ],
)
def test_load__tampered_dump__raises(change: Any, message: str) -> None:
    dump = copy.deepcopy(_dump())
    change(dump)
    with pytest.raises(ValueError, match=message):
        StandardMerkleTree.load(dump)


def test_load__swapped_tree_indices__still_consistent_is_accepted() -> None:
    # OpenZeppelin checks each value against its own leaf, not the order of the leaves.
    tree = StandardMerkleTree.of(_pairs(2), PAIR)
    dump = tree.dump()
    dump["values"].reverse()
    loaded = StandardMerkleTree.load(dump)
    assert loaded.root == tree.root
    assert loaded.get_proof(0) == tree.get_proof(1)


# VALUES #


@pytest.mark.parametrize(
    ("leaf_types", "value", "expected"),
    [
        (["address"], [bytes(range(20))], (to_checksum_address(bytes(range(20))),)),
        (["uint8"], ["255"], (255,)),
        (["uint256"], ["0xff"], (255,)),
        (["int8"], [-128], (-128,)),
        (["int"], ["-5"], (-5,)),
        (["bool"], [True], (True,)),
        (["bytes32"], ["0x" + "ab" * 32], (b"\xab" * 32,)),
        (["bytes4"], [b"\x01\x02\x03\x04"], (b"\x01\x02\x03\x04",)),
        (["bytes"], ["0x0102"], (b"\x01\x02",)),
        (["string"], ["名单"], ("名单",)),
        (["uint256[]"], [[1, "2"]], ((1, 2),)),
        (["address[2]"], [[_address(1).lower(), _address(2)]], ((_address(1), _address(2)),)),
    ],
)
def test_normalise_value__accepts_and_normalises(
    leaf_types: list[str], value: list[Any], expected: tuple[Any, ...]
) -> None:
    assert normalise_value(leaf_types, value) == expected
    # And the tree hashes what eth_abi encodes.
    assert standard_leaf_hash(leaf_types, value) == keccak(
        keccak(encode(leaf_types, list(expected)))
    )
    tree = StandardMerkleTree.of([value], leaf_types)
    assert StandardMerkleTree.load(json.loads(json.dumps(tree.dump()))) == tree


@pytest.mark.parametrize(
    ("leaf_types", "value", "message"),
    [
        (["address"], ["0x1234"], "is not an address"),
        (["address"], [_address(1).swapcase().replace("0X", "0x")], "bad hex or checksum"),
        (["uint8"], [256], "does not fit in uint8"),
        (["uint256"], [-1], "does not fit in uint256"),
        (["uint256"], [2**256], "does not fit in uint256"),
        (["int8"], [128], "does not fit in int8"),
        (["uint256"], [True], "needs an integer"),
        (["uint256"], [1.5], "needs an integer"),
        (["uint256"], ["1e18"], "is not a decimal or 0x-hex integer"),
        (["uint256"], ["0x"], "is not a decimal or 0x-hex integer"),
        (["uint256"], ["12\n"], "is not a decimal or 0x-hex integer"),
        (["address"], [_address(1) + "\n"], "is not an address"),
        (["bytes"], ["0xabcd\n\n"], "is not 0x-prefixed hex bytes"),
        (["uint256 "], [1], "unsupported ABI type"),
        (["bool"], [1], "bool needs True or False"),
        (["string"], [b"x"], "string needs a str"),
        (["bytes"], ["0x123"], "is not 0x-prefixed hex bytes"),
        (["bytes"], [1], "bytes needs bytes or hex"),
        (["bytes32"], [b"\x00" * 31], "bytes32 needs exactly 32 bytes"),
        (["bytes33"], [b"\x00" * 33], "unsupported ABI type 'bytes33'"),
        (["uint7"], [1], "unsupported ABI type 'uint7'"),
        (["(uint256,address)"], [[1, _address(1)]], "tuples are not supported"),
        (["uint256[2]"], [[1]], "needs 2 items"),
        (["uint256[]"], ["12"], "needs a list"),
        (PAIR, [_address(1)], "has 2 items, got 1"),
        (PAIR, "0x00", "a leaf value is a list of 2 items"),
    ],
)
def test_normalise_value__bad_value__raises(
    leaf_types: list[str], value: Any, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        normalise_value(leaf_types, value)
    with pytest.raises(ValueError, match=message):
        StandardMerkleTree.of([value], leaf_types)


# ON-CHAIN #

VERIFIER = """
# pragma version ~=0.4.3
from snekmate.utils import merkle_proof_verification

@external
@pure
def verify(proof: DynArray[bytes32, 255], root: bytes32, leaf: bytes32) -> bool:
    return merkle_proof_verification._verify(proof, root, leaf)

@external
@pure
def multi_proof_verify(
    proof: DynArray[bytes32, 255],
    flags: DynArray[bool, 255],
    root: bytes32,
    leaves: DynArray[bytes32, 255],
) -> bool:
    return merkle_proof_verification._multi_proof_verify(proof, flags, root, leaves)

@external
@pure
def batch_leaf(index: uint256, account: address, role: uint8, amount: uint256) -> bytes32:
    return keccak256(keccak256(abi_encode(index, account, role, amount)))
"""


def test_proofs__verify_with_snekmate_on_chain() -> None:
    verifier = boa.loads(VERIFIER)
    values = [[i, _address(i), i % 2, (i + 1) * 10**17] for i in range(37)]
    tree = StandardMerkleTree.of(values, BATCH)
    for i, value in enumerate(values):
        leaf = verifier.batch_leaf(*value)
        assert leaf == tree.leaf_hash(value)
        assert verifier.verify(list(tree.get_proof(i)), tree.root, leaf)
        assert not verifier.verify(list(tree.get_proof((i + 1) % 37)), tree.root, leaf)
    multi = tree.get_multi_proof([0, 5, 6, 20, 36])
    leaves = [tree.leaf_hash(v) for v in multi.leaves]
    assert verifier.multi_proof_verify(
        list(multi.proof), list(multi.proof_flags), tree.root, leaves
    )
