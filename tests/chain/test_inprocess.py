"""The in-process EVM keeps a revert a revert: a nested call that reverts is reported as such
(caught by its caller, or raised as the revert) even when titanoboa cannot describe the
reverting contract's storage for its error message."""

from __future__ import annotations

from typing import Any

import boa
import pytest

import kol.chain.inprocess  # noqa: F401 (installs the safe description)

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
