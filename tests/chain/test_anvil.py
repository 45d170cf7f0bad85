"""The anvil helper: a free port on 127.0.0.1, a state file that survives a restart, and a stop
that only ever signals an anvil."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kol.chain.anvil import Anvil, AnvilError, free_port, rpc_request, stop_pid
from tests.conftest import _require_anvil


def block_number(url: str) -> int:
    return int(rpc_request(url, "eth_blockNumber"), 16)


def test_start__answers_on_127_0_0_1_and_stops(tmp_path: Path) -> None:
    _require_anvil()
    node = Anvil.start(log=tmp_path / "anvil.log")
    try:
        assert node.url.startswith("http://127.0.0.1:")
        assert node.client_version.startswith("anvil/")
        assert int(rpc_request(node.url, "eth_chainId"), 16) == 31_337
    finally:
        node.stop()
    assert node.process.returncode is not None
    with pytest.raises(OSError):
        rpc_request(node.url, "eth_chainId", timeout=1)


def test_start__with_a_state_file__the_chain_survives_a_restart(tmp_path: Path) -> None:
    _require_anvil()
    state = tmp_path / "state.json"
    with Anvil.start(state=state) as node:
        for _ in range(3):
            rpc_request(node.url, "evm_mine")
        assert block_number(node.url) == 3
    assert state.is_file()
    with Anvil.start(state=state) as again:
        assert block_number(again.url) == 3


def test_start__a_taken_port__fails_and_says_so(anvil: Anvil) -> None:
    with pytest.raises(AnvilError, match=f"port {anvil.port} on 127.0.0.1 is taken"):
        Anvil.start(port=anvil.port, timeout=5)


def test_stop_pid__never_signals_anything_but_anvil() -> None:
    assert stop_pid(os.getpid()) is False


def test_free_port__nothing_listens_there() -> None:
    port = free_port()
    with pytest.raises(OSError):
        rpc_request(f"http://127.0.0.1:{port}", "eth_chainId", timeout=1)
