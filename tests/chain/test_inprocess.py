"""The in-process EVM keeps a revert a revert: a nested call that reverts is reported as such
(caught by its caller, or raised as the revert) even when titanoboa cannot describe the
reverting contract's storage for its error message. And it compiles again when a module
imported only through another one changes (titanoboa's own cache key missed those)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import boa
import pytest

import kol.chain.inprocess  # noqa: F401 (installs the safe description)
from kol.chain.artifacts import contracts_dir

CHILD = """
m: HashMap[uint256, uint256]
@external
def put(x: uint256):
    self.m[x] = 1
@external
def boom():
    raise "child: boom"
"""
PARENT = """
@external
def tolerant(a: address) -> bool:
    ok: bool = False
    out: Bytes[32] = b""
    ok, out = raw_call(a, method_id("boom()"), max_outsize=32, revert_on_failure=False)
    return ok
@external
def strict(a: address):
    raw_call(a, method_id("boom()"))
"""


class _Undescribable:
    def dump(self) -> Any:
        raise AttributeError("'IntegerT' object has no attribute 'key_type'")


@pytest.fixture
def pair() -> tuple[Any, Any]:
    child = boa.loads(CHILD)
    child.put(7)
    child.__dict__["_storage"] = _Undescribable()  # its storage dump raises, as titanoboa's can
    return boa.loads(PARENT), child


def test_nested_revert__caught_by_the_caller__even_if_storage_cannot_be_described(
    pair: tuple[Any, Any],
) -> None:
    parent, child = pair
    assert parent.tolerant(child.address) is False


def test_nested_revert__raised_as_a_revert__even_if_storage_cannot_be_described(
    pair: tuple[Any, Any],
) -> None:
    parent, child = pair
    with boa.reverts():
        parent.strict(child.address)
    assert "storage not shown" in repr(child)


_BYTECODE = "from kol.chain.artifacts import artifact\nprint(artifact('Council').bytecode.hex())"


def _council_bytecode(contracts: Path, cache: Path) -> str:
    env = {"KOL_CONTRACTS": str(contracts), "KOL_BOA_CACHE": str(cache), "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", _BYTECODE], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip()


def test_compile__a_module_imported_through_another_changes__compiled_again(
    tmp_path: Path,
) -> None:
    contracts = tmp_path / "contracts"
    shutil.copytree(contracts_dir(), contracts)
    cache = tmp_path / "cache"
    before = _council_bytecode(contracts, cache)
    signatures = contracts / "modules" / "signatures.vy"  # Council -> ballots -> signatures
    text = signatures.read_text()
    old = '"signatures: too little gas left to ask a wallet (send more gas)"'
    assert old in text
    signatures.write_text(text.replace(old, '"signatures: not enough gas for a wallet"'))
    after = _council_bytecode(contracts, cache)
    assert before and after and before != after
    assert _council_bytecode(contracts, cache) == after  # and the new state is cached
