"""OpenZeppelin's standard Merkle tree, byte for byte (constitution §7, §8).

Matched batches (§7) and genesis releases (§8) are committed on-chain as Merkle roots that
anyone can recompute from the published list with the widely used ``@openzeppelin/merkle-tree``
tooling (v1.x, ``StandardMerkleTree``). This module builds the same trees:

- a leaf is ``keccak256(keccak256(abi.encode(leaf_types, value)))`` (double hashing, so that
  no leaf can be mistaken for an internal node);
- an internal node is ``keccak256(min(a, b) ++ max(a, b))`` (sorted pairs, so a proof carries
  no left/right flags and OpenZeppelin's ``MerkleProof`` and snekmate's
  ``merkle_proof_verification`` verify it);
- the leaves are sorted by hash and the tree is an array of ``2n − 1`` nodes, root at index
  0, the children of node ``i`` at ``2i + 1`` and ``2i + 2``, the sorted leaves stored from the
  end of the array backwards;
- ``dump()`` / ``load()`` read and write OpenZeppelin's ``"standard-v1"`` JSON.

Values are normalised before encoding: addresses become checksummed strings, integers Python
ints (decimal strings in dumps), bytes ``bytes`` (``0x`` hex in dumps). Pure computation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from eth_abi.abi import encode
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

from kol.domain.types import as_checksum_address

FORMAT: Final = "standard-v1"
"""The ``format`` field of OpenZeppelin's dumps of a ``StandardMerkleTree``."""

Node = bytes
"""A 32-byte tree node (a leaf hash or an internal hash)."""

LeafValue = tuple[Any, ...]
"""A leaf's value, normalised: one Python value per leaf type."""

_UINT = re.compile(r"(u?)int([0-9]*)")
_BYTES_N = re.compile(r"bytes([0-9]+)")
_ARRAY = re.compile(r"(.+)\[([0-9]*)\]")
_DECIMAL = re.compile(r"-?[0-9]+")
_HEX = re.compile(r"0x[0-9a-fA-F]*")


# ABI VALUES #


def _int_bounds(type_: str) -> tuple[int, int] | None:
    match = _UINT.fullmatch(type_)
    if match is None:
        return None
    bits = int(match.group(2)) if match.group(2) else 256
    if bits % 8 != 0 or not 8 <= bits <= 256:
        raise ValueError(f"merkle: unsupported ABI type {type_!r}")
    if match.group(1):
        return 0, 2**bits - 1
    return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1


def _hex_bytes(value: str, where: str) -> bytes:
    if _HEX.fullmatch(value) is None or len(value) % 2 != 0:
        raise ValueError(f"merkle: {where}: {value!r} is not 0x-prefixed hex bytes")
    return bytes.fromhex(value[2:])


def _normalise(type_: str, value: Any, where: str) -> Any:
    """The value of ``type_`` as it is encoded and kept; raises ValueError on a bad value."""
    array = _ARRAY.fullmatch(type_)
    if array is not None:
        if isinstance(value, str | bytes) or not isinstance(value, Sequence):
            raise ValueError(f"merkle: {where}: {type_} needs a list, got {value!r}")
        if array.group(2) and len(value) != int(array.group(2)):
            raise ValueError(f"merkle: {where}: {type_} needs {array.group(2)} items")
        return tuple(
            _normalise(array.group(1), item, f"{where}[{i}]") for i, item in enumerate(value)
        )
    if type_ == "address":
        if isinstance(value, bytes) and len(value) == 20:
            return to_checksum_address(value)
        checksummed = as_checksum_address(value)
        if checksummed is not None:
            return checksummed
        raise ValueError(f"merkle: {where}: {value!r} is not an address (bad hex or checksum)")
    if type_ == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"merkle: {where}: bool needs True or False, got {value!r}")
        return value
    if type_ == "string":
        if not isinstance(value, str):
            raise ValueError(f"merkle: {where}: string needs a str, got {value!r}")
        return value
    if type_ == "bytes":
        if isinstance(value, bytes):
            return value
        if isinstance(value, str):
            return _hex_bytes(value, where)
        raise ValueError(f"merkle: {where}: bytes needs bytes or hex, got {value!r}")
    bytes_n = _BYTES_N.fullmatch(type_)
    if bytes_n is not None:
        size = int(bytes_n.group(1))
        if not 1 <= size <= 32:
            raise ValueError(f"merkle: unsupported ABI type {type_!r}")
        raw = _hex_bytes(value, where) if isinstance(value, str) else value
        if not isinstance(raw, bytes) or len(raw) != size:
            raise ValueError(f"merkle: {where}: {type_} needs exactly {size} bytes")
        return raw
    bounds = _int_bounds(type_)
    if bounds is None:
        raise ValueError(f"merkle: unsupported ABI type {type_!r} (tuples are not supported)")
    if isinstance(value, bool):
        raise ValueError(f"merkle: {where}: {type_} needs an integer, got {value!r}")
    if isinstance(value, str):
        if _DECIMAL.fullmatch(value):
            value = int(value)
        elif _HEX.fullmatch(value) and len(value) > 2:
            value = int(value, 16)
        else:
            raise ValueError(f"merkle: {where}: {value!r} is not a decimal or 0x-hex integer")
    if not isinstance(value, int):
        raise ValueError(f"merkle: {where}: {type_} needs an integer, got {value!r}")
    low, high = bounds
    if not low <= value <= high:
        raise ValueError(f"merkle: {where}: {value} does not fit in {type_}")
    return value


def _to_json(value: Any) -> Any:
    """A normalised value as OpenZeppelin's dumps carry it."""
    if isinstance(value, tuple):
        return [_to_json(item) for item in value]
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    raise TypeError(f"merkle: cannot dump {value!r}")  # unreachable for normalised values


def normalise_value(leaf_types: Sequence[str], value: Sequence[Any]) -> LeafValue:
    """``value`` checked against ``leaf_types`` and normalised (see the module docstring).

    :raises ValueError: when the value has the wrong length or an item does not fit its type.
    """
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise ValueError(f"merkle: a leaf value is a list of {len(leaf_types)} items")
    if len(value) != len(leaf_types):
        raise ValueError(
            f"merkle: a leaf of {list(leaf_types)} has {len(leaf_types)} items, got {len(value)}"
        )
    return tuple(
        _normalise(type_, item, f"item {i} ({type_})")
        for i, (type_, item) in enumerate(zip(leaf_types, value, strict=True))
    )


# HASHES #


def standard_leaf_hash(leaf_types: Sequence[str], value: Sequence[Any]) -> Node:
    """``keccak256(keccak256(abi.encode(leaf_types, value)))``, as OpenZeppelin hashes leaves."""
    normalised = normalise_value(leaf_types, value)
    return keccak(keccak(encode(list(leaf_types), list(normalised))))


def standard_node_hash(a: Node, b: Node) -> Node:
    """``keccak256`` of the sorted pair, as OpenZeppelin hashes internal nodes."""
    return keccak(a + b) if a <= b else keccak(b + a)


def _node(value: bytes | str, what: str) -> Node:
    raw = value
    if isinstance(value, str):
        raw = _hex_bytes(value if value.startswith("0x") else "0x" + value, what)
    if not isinstance(raw, bytes) or len(raw) != 32:
        raise ValueError(f"merkle: {what} must be 32 bytes, got {value!r}")
    return raw


def process_proof(leaf: Node, proof: Sequence[bytes | str]) -> Node:
    """The root reached from ``leaf`` (a leaf hash) through ``proof``."""
    node = _node(leaf, "a leaf hash")
    for sibling in proof:
        node = standard_node_hash(node, _node(sibling, "a proof node"))
    return node


def verify(
    root: bytes | str,
    leaf_types: Sequence[str],
    value: Sequence[Any],
    proof: Sequence[bytes | str],
) -> bool:
    """Whether ``proof`` proves that ``value`` is a leaf of the tree with ``root``.

    :raises ValueError: when the value does not fit the leaf types or a node is not 32 bytes.
    """
    return process_proof(standard_leaf_hash(leaf_types, value), proof) == _node(root, "root")


@dataclass(frozen=True)
class MultiProof:
    """A proof of several leaves at once, as OpenZeppelin's ``getMultiProof`` returns it."""

    leaves: tuple[LeafValue, ...]
    """The proven values, in the order the proof consumes them."""
    proof: tuple[Node, ...]
    """The sibling hashes the proof needs."""
    proof_flags: tuple[bool, ...]
    """For each hashing step: True takes the next computed node, False the next proof node."""


def process_multi_proof(
    leaves: Sequence[Node], proof: Sequence[bytes | str], proof_flags: Sequence[bool]
) -> Node:
    """The root reached from ``leaves`` (leaf hashes) through a multiproof."""
    stack = [_node(leaf, "a leaf hash") for leaf in leaves]
    nodes = [_node(node, "a proof node") for node in proof]
    if len(nodes) < sum(1 for flag in proof_flags if not flag):
        raise ValueError("merkle: invalid multiproof format")
    if len(stack) + len(nodes) != len(proof_flags) + 1:
        raise ValueError("merkle: the leaves and the multiproof are not compatible")
    stack_at = proof_at = 0
    for flag in proof_flags:
        a = stack[stack_at]
        stack_at += 1
        if flag:
            b = stack[stack_at]
            stack_at += 1
        else:
            b = nodes[proof_at]
            proof_at += 1
        stack.append(standard_node_hash(a, b))
    if len(stack) - stack_at + len(nodes) - proof_at != 1:
        raise ValueError("merkle: the multiproof does not reduce to one root")
    return stack[-1] if len(stack) > stack_at else nodes[proof_at]


def verify_multi_proof(
    root: bytes | str, leaf_types: Sequence[str], multi_proof: MultiProof
) -> bool:
    """Whether ``multi_proof`` proves all its leaves against ``root``."""
    hashes = [standard_leaf_hash(leaf_types, value) for value in multi_proof.leaves]
    computed = process_multi_proof(hashes, multi_proof.proof, multi_proof.proof_flags)
    return computed == _node(root, "root")


# THE TREE #


def _sibling(i: int) -> int:
    return i + 1 if i % 2 == 1 else i - 1


def _parent(i: int) -> int:
    return (i - 1) // 2


def _make_tree(leaves: Sequence[Node]) -> tuple[Node, ...]:
    """OpenZeppelin's ``makeMerkleTree``: sorted leaves stored from the end backwards."""
    size = 2 * len(leaves) - 1
    tree: list[Node] = [b""] * size
    for i, leaf in enumerate(leaves):
        tree[size - 1 - i] = leaf
    for i in range(size - 1 - len(leaves), -1, -1):
        tree[i] = standard_node_hash(tree[2 * i + 1], tree[2 * i + 2])
    return tuple(tree)


@dataclass(frozen=True)
class StandardMerkleTree:
    """A Merkle tree of typed values in OpenZeppelin's standard format (§7, §8).

    Build one with :meth:`of` or :meth:`load`. The constructor checks the whole tree (every
    node is the hash of its children and every value sits at its leaf), so an instance is
    always consistent.
    """

    leaf_types: tuple[str, ...]
    """The ABI types of a leaf (OpenZeppelin's ``leafEncoding``)."""
    values: tuple[LeafValue, ...]
    """The values, normalised, in the order they were given."""
    tree: tuple[Node, ...]
    """The ``2n − 1`` nodes, root first."""
    tree_indices: tuple[int, ...]
    """For each value, the index of its leaf in ``tree``."""
    _lookup: dict[Node, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "leaf_types", tuple(self.leaf_types))
        values = tuple(normalise_value(self.leaf_types, value) for value in self.values)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "tree", tuple(_node(node, "a tree node") for node in self.tree))
        object.__setattr__(self, "tree_indices", tuple(self.tree_indices))
        n = len(self.values)
        if n == 0:
            raise ValueError("merkle: a tree needs at least one leaf")
        if len(self.tree) != 2 * n - 1:
            raise ValueError(f"merkle: {n} leaves make a tree of {2 * n - 1} nodes")
        if sorted(self.tree_indices) != list(range(n - 1, 2 * n - 1)):
            raise ValueError("merkle: the tree indices are not the leaf positions of the tree")
        for i, node in enumerate(self.tree):
            internal = 2 * i + 2 < len(self.tree)
            if internal and node != standard_node_hash(self.tree[2 * i + 1], self.tree[2 * i + 2]):
                raise ValueError(f"merkle: node {i} is not the hash of its children")
        lookup: dict[Node, int] = {}
        for value_index, (value, tree_index) in enumerate(
            zip(self.values, self.tree_indices, strict=True)
        ):
            leaf = keccak(keccak(encode(list(self.leaf_types), list(value))))
            if self.tree[tree_index] != leaf:
                raise ValueError(f"merkle: value {value_index} is not the leaf at {tree_index}")
            lookup[leaf] = value_index  # the last of equal values wins, as in OpenZeppelin
        object.__setattr__(self, "_lookup", lookup)

    @classmethod
    def of(cls, values: Sequence[Sequence[Any]], leaf_types: Sequence[str]) -> StandardMerkleTree:
        """The tree of ``values``, each a list of items of ``leaf_types``.

        :raises ValueError: when there are no values or a value does not fit the types.
        """
        types = tuple(leaf_types)
        normalised = tuple(normalise_value(types, value) for value in values)
        if not normalised:
            raise ValueError("merkle: a tree needs at least one leaf")
        hashed = sorted(
            ((keccak(keccak(encode(list(types), list(v)))), i) for i, v in enumerate(normalised)),
            key=lambda pair: pair[0],
        )
        tree = _make_tree([leaf for leaf, _ in hashed])
        indices = [0] * len(normalised)
        for position, (_, value_index) in enumerate(hashed):
            indices[value_index] = len(tree) - 1 - position
        return cls(types, normalised, tree, tuple(indices))

    @property
    def root(self) -> Node:
        """The root, 32 bytes."""
        return self.tree[0]

    @property
    def root_hex(self) -> str:
        """The root as ``0x`` hex, as OpenZeppelin prints it."""
        return "0x" + self.tree[0].hex()

    def __len__(self) -> int:
        return len(self.values)

    def leaf_hash(self, value: Sequence[Any]) -> Node:
        """The leaf hash of ``value`` under this tree's leaf types (in the tree or not)."""
        return standard_leaf_hash(self.leaf_types, value)

    def _value_index(self, leaf: int | Sequence[Any]) -> int:
        if isinstance(leaf, bool):
            raise ValueError("merkle: a leaf is given by its index or its value, not a bool")
        if isinstance(leaf, int):
            if not 0 <= leaf < len(self.values):
                raise ValueError(f"merkle: index {leaf} is out of bounds ({len(self)} leaves)")
            return leaf
        index = self._lookup.get(self.leaf_hash(leaf))
        if index is None:
            raise ValueError("merkle: the leaf is not in the tree")
        return index

    def get_proof(self, leaf: int | Sequence[Any]) -> tuple[Node, ...]:
        """The proof of a value, given by its index in :attr:`values` or by the value itself.

        :raises ValueError: when the index is out of bounds or the value is not in the tree.
        """
        tree_index = self.tree_indices[self._value_index(leaf)]
        proof: list[Node] = []
        while tree_index > 0:
            proof.append(self.tree[_sibling(tree_index)])
            tree_index = _parent(tree_index)
        return tuple(proof)

    def get_multi_proof(self, leaves: Sequence[int | Sequence[Any]]) -> MultiProof:
        """One proof of several values (OpenZeppelin's ``getMultiProof``).

        :raises ValueError: when a value is not in the tree or one is asked twice.
        """
        indices = sorted(
            (self.tree_indices[self._value_index(leaf)] for leaf in leaves), reverse=True
        )
        if len(set(indices)) != len(indices):
            raise ValueError("merkle: cannot prove the same leaf twice")
        stack = list(indices)
        at = 0
        proof: list[Node] = []
        flags: list[bool] = []
        while at < len(stack) and stack[at] > 0:
            j = stack[at]
            at += 1
            sibling = _sibling(j)
            if at < len(stack) and stack[at] == sibling:
                flags.append(True)
                at += 1
            else:
                flags.append(False)
                proof.append(self.tree[sibling])
            stack.append(_parent(j))
        if not indices:
            proof.append(self.tree[0])
        return MultiProof(
            leaves=tuple(self.values[self._lookup[self.tree[i]]] for i in indices),
            proof=tuple(proof),
            proof_flags=tuple(flags),
        )

    def verify(self, leaf: int | Sequence[Any], proof: Sequence[bytes | str]) -> bool:
        """Whether ``proof`` proves ``leaf`` (an index or a value) against this root."""
        if isinstance(leaf, int):
            leaf = self.values[self._value_index(leaf)]
        return verify(self.root, self.leaf_types, leaf, proof)

    def dump(self) -> dict[str, Any]:
        """OpenZeppelin's ``"standard-v1"`` JSON (as a dict): what ``StandardMerkleTree.load``
        in JavaScript and :meth:`load` here read back."""
        return {
            "format": FORMAT,
            "leafEncoding": list(self.leaf_types),
            "tree": ["0x" + node.hex() for node in self.tree],
            "values": [
                {"value": _to_json(value), "treeIndex": tree_index}
                for value, tree_index in zip(self.values, self.tree_indices, strict=True)
            ],
        }

    def dump_json(self) -> str:
        """:meth:`dump` as canonical JSON (sorted keys, no spaces): the published list whose
        hash a batch or a genesis month states on-chain."""
        return json.dumps(self.dump(), sort_keys=True, separators=(",", ":"))

    def content_hash(self) -> bytes:
        """``keccak256`` of :meth:`dump_json` (UTF-8): the list's content hash."""
        return keccak(self.dump_json().encode())

    @classmethod
    def load(cls, data: Mapping[str, Any]) -> StandardMerkleTree:
        """The tree of a ``"standard-v1"`` dump, checked node by node.

        :raises ValueError: when the dump is not in that format or the tree is inconsistent.
        """
        if data.get("format") != FORMAT:
            raise ValueError(f"merkle: unknown format {data.get('format')!r}, need {FORMAT!r}")
        leaf_types = data.get("leafEncoding")
        if not isinstance(leaf_types, list) or not all(isinstance(t, str) for t in leaf_types):
            raise ValueError("merkle: a dump needs its leafEncoding (a list of ABI types)")
        tree = data.get("tree")
        values = data.get("values")
        if not isinstance(tree, list) or not isinstance(values, list):
            raise ValueError("merkle: a dump needs a tree and values (lists)")
        nodes = tuple(_node(node, f"tree node {i}") for i, node in enumerate(tree))
        normalised: list[LeafValue] = []
        indices: list[int] = []
        for i, entry in enumerate(values):
            if not isinstance(entry, Mapping) or "value" not in entry:
                raise ValueError(f"merkle: values[{i}] needs a value and a treeIndex")
            tree_index = entry.get("treeIndex")
            if isinstance(tree_index, bool) or not isinstance(tree_index, int):
                raise ValueError(f"merkle: values[{i}].treeIndex must be an integer")
            normalised.append(normalise_value(leaf_types, entry["value"]))
            indices.append(tree_index)
        return cls(tuple(leaf_types), tuple(normalised), nodes, tuple(indices))
