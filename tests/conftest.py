"""Shared fixtures: a fresh in-process EVM per test, and a real chain (anvil) for the RPC paths."""

from __future__ import annotations

import os
from collections.abc import Iterator

import boa
import pytest

from kol.chain.anvil import Anvil, rpc_request


@pytest.fixture(autouse=True)
def _isolated_evm() -> Iterator[None]:
    """Every test starts from the same EVM state and leaves nothing behind."""
    with boa.env.anchor():
        yield


# A REAL CHAIN: anvil on 127.0.0.1 (installed by `make setup` into tools/anvil/) #


def _require_anvil() -> None:
    """Skips (or, in CI, fails) when the anvil binary is missing."""
    from kol.chain.anvil import INSTALL_HINT, anvil_binary

    binary = anvil_binary()
    if binary is None or not binary.is_file():
        reason = f"anvil is not installed: {INSTALL_HINT}"
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI runs `make setup`: a missing anvil is a broken setup
        pytest.skip(reason)


@pytest.fixture(scope="session")
def anvil(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Anvil]:
    """One anvil for the session, on a free port (its output in the session's temp folder)."""
    _require_anvil()
    log = tmp_path_factory.mktemp("anvil") / "anvil.log"
    with Anvil.start(log=log) as node:
        yield node


@pytest.fixture
def anvil_snapshot(anvil: Anvil) -> Iterator[Anvil]:
    """The session's anvil, its chain put back as it was after the test."""
    snapshot = rpc_request(anvil.url, "evm_snapshot")
    yield anvil
    assert rpc_request(anvil.url, "evm_revert", [snapshot]) is True


def fund(url: str, address: str, ether: int = 1_000) -> None:
    """Gives ``address`` ether on a dev chain."""
    rpc_request(url, "anvil_setBalance", [address, hex(ether * 10**18)])
