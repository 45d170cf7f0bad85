"""Our Merkle trees equal ``@openzeppelin/merkle-tree``'s, byte for byte (constitution §7, §8).

§7 promises that anyone can recompute a batch's root from the published list with the widely
used OpenZeppelin tooling. This test runs that tooling (``js/oz_merkle.js`` under Node.js) on
the same lists and compares roots, every proof, multiproofs and the ``dump()`` JSON; it also
has OpenZeppelin load and verify our dumps.

It installs nothing: run ``npm ci --prefix tests/domain/js`` once (``make setup`` does).
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from eth_typing import ChecksumAddress
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

from kol.domain.allocation import LEAF_TYPES as BATCH_TYPES
from kol.domain.allocation import Allocation
from kol.domain.genesis import Decision, GenesisSchedule, Verdict
from kol.domain.merkle import StandardMerkleTree, normalise_value
from kol.domain.types import ONE_KOL, Role

JS = Path(__file__).resolve().parent / "js"
SCRIPT = JS / "oz_merkle.js"
INSTALL = "npm ci --prefix tests/domain/js"


def _address(i: int) -> ChecksumAddress:
    return to_checksum_address(keccak(text=f"openzeppelin cross-check {i}")[:20])


def _openzeppelin(trees: list[StandardMerkleTree], multi: list[list[int]]) -> list[dict[str, Any]]:
    """OpenZeppelin's results for the same values as ``trees`` (one Node.js run for all)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"Node.js is not on PATH: install Node.js 20, then run `{INSTALL}`")
    if not (JS / "node_modules" / "@openzeppelin" / "merkle-tree" / "package.json").is_file():
        pytest.fail(f"@openzeppelin/merkle-tree is not installed: run `{INSTALL}`")
    cases = []
    for tree, indices in zip(trees, multi, strict=True):
        dump = tree.dump()
        cases.append(
            {
                "leafEncoding": dump["leafEncoding"],
                "values": [entry["value"] for entry in dump["values"]],
                "multiProof": indices,
                "dump": dump,
            }
        )
    run = subprocess.run(
        [node, str(SCRIPT)],
        input=json.dumps({"cases": cases}),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if run.returncode != 0:
        pytest.fail(f"{SCRIPT.name} failed (exit {run.returncode}): {run.stderr}")
    results: list[dict[str, Any]] = json.loads(run.stdout)["results"]
    assert len(results) == len(trees)
    return results


def _hex(nodes: tuple[bytes, ...]) -> list[str]:
    return ["0x" + node.hex() for node in nodes]


def _assert_same(tree: StandardMerkleTree, indices: list[int], oz: dict[str, Any]) -> None:
    assert oz["root"] == tree.root_hex
    assert oz["proofs"] == [_hex(tree.get_proof(i)) for i in range(len(tree))]
    assert oz["dump"] == tree.dump()
    ours = tree.get_multi_proof(indices)
    assert oz["multiProof"]["proof"] == _hex(ours.proof)
    assert oz["multiProof"]["proofFlags"] == list(ours.proof_flags)
    theirs = tuple(normalise_value(tree.leaf_types, v) for v in oz["multiProof"]["leaves"])
    assert theirs == ours.leaves
    # OpenZeppelin loads our dump, checks it, and verifies every value with its proof.
    assert oz["loaded"] == {"root": oz["root"], "proofs": oz["proofs"], "verified": True}


def _batch(n: int, seed: int) -> StandardMerkleTree:
    """A matched batch of ``n`` leaves (about 4 users per leader)."""
    rng = random.Random(seed)
    leaders = max(1, n // 5)
    participants = [
        (_address(seed * 1_000 + i), Role.USER, rng.randint(1, 10**6)) for i in range(n - leaders)
    ]
    participants += [
        (_address(seed * 1_000 + 500 + i), Role.LEADER, rng.randint(1, 10**6))
        for i in range(leaders)
    ]
    allocation = Allocation.of(rng.randint(n, 16_000_000 * ONE_KOL), participants)
    assert len(allocation.leaves) == n
    return allocation.tree()


def _genesis_month(leaders: int, months: int) -> StandardMerkleTree:
    verdicts = [Verdict.PAY, Verdict.DEFER, Verdict.WITHHOLD]
    decisions = [
        Decision.of(m, _address(10_000 + i), verdicts[(i + m) % 3])
        for m in range(1, months + 1)
        for i in range(leaders)
    ]
    return GenesisSchedule.of(decisions).month_tree(months)


def test_openzeppelin__same_roots_proofs_and_dumps() -> None:
    trees = [
        # The matched-batch leaf type: 1, 2, 7 and 500 leaves.
        StandardMerkleTree.of([[0, _address(1), 0, 5 * ONE_KOL]], BATCH_TYPES),
        _batch(2, seed=2),
        _batch(7, seed=7),
        _batch(500, seed=500),
        # The genesis leaf type: the first roster's 126 nodes, 500 leaders, 21 over ten months.
        _genesis_month(126, 3),
        _genesis_month(500, 2),
        _genesis_month(1, 1),
        _genesis_month(21, 10),
        # Extremes of the types and duplicate values.
        StandardMerkleTree.of(
            [
                [0, "0x" + "00" * 20, 0, 0],
                [2**256 - 1, "0x" + "ff" * 20, 255, 2**256 - 1],
                [2**256 - 1, "0x" + "ff" * 20, 255, 2**256 - 1],
            ],
            BATCH_TYPES,
        ),
    ]
    rng = random.Random(1)
    trees += [
        StandardMerkleTree.of(
            [[_address(rng.randrange(10**9)), rng.randrange(2**256)] for _ in range(n)],
            ["address", "uint256"],
        )
        for n in [*range(1, 18), 31, 32, 33, 64, 100]
    ]
    multi = [sorted(rng.sample(range(len(t)), rng.randint(0, len(t)))) for t in trees]
    for tree, indices, oz in zip(trees, multi, _openzeppelin(trees, multi), strict=True):
        _assert_same(tree, indices, oz)
