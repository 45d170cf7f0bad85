"""``kol up`` and ``kol down``: a devnet on 127.0.0.1 whose chain lives in its data directory —
deployed and seated once, reused afterwards, stopped by Ctrl-C or ``kol down`` with its chain
kept."""

from __future__ import annotations

import json
import signal
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kol.alliance import Alliance, Chamber, MotionKind, MotionStatus
from kol.chain.anvil import Anvil, rpc_request
from kol.chain.deployment import Deployment
from kol.chain.rpc import RpcBackend
from kol.cli import main
from kol.cli.year import dev_key
from kol.data import load_roster
from tests.conftest import _require_anvil


def kol_up(data_dir: Path, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        main, ["up", "--data-dir", str(data_dir), "--port", "0", "--json", *args]
    )
    assert result.exit_code == 0, result.output
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _require_anvil()
    return tmp_path_factory.mktemp("devnet") / "devnet"


@pytest.fixture(scope="module")
def first(data_dir: Path) -> dict[str, Any]:
    """The first ``kol up``: deploys and seats the roster, then stops (``--check``)."""
    return kol_up(data_dir, "--check")


def test_up__first_run__deploys_and_seats_the_published_roster(
    first: dict[str, Any], data_dir: Path
) -> None:
    roster = load_roster()
    assert first["reused"] is False and first["running"] == "stopped"
    assert first["seats"] == {
        "nodes": len(roster.node_seats),
        "super_nodes": len(roster.super_nodes),
        "candidates": len(roster.candidates),
        "node_alternates": 0,
        "super_alternates": len(roster.super_alternates),
    }
    assert first["accounts"]["administrator"] == dev_key(2019, "administrator").address
    deployment = Deployment.load(data_dir / "deployment.json")
    assert first["contracts"]["council"] == deployment.council
    assert deployment.test_usdt and deployment.rpc_url == first["rpc_url"]
    for name in ("deployment.json", "devnet.json"):
        assert stat.S_IMODE((data_dir / name).stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert (data_dir / "state.json").stat().st_size > 0


def test_up__second_run__reuses_the_chain_and_deploys_nothing(
    first: dict[str, Any], data_dir: Path
) -> None:
    again = kol_up(data_dir, "--check")
    assert again["reused"] is True
    assert again["contracts"] == first["contracts"] and again["seats"] == first["seats"]
    assert again["start_block"] == first["start_block"]
    # the description follows the devnet to its new port
    assert Deployment.load(data_dir / "deployment.json").rpc_url == again["rpc_url"]


def test_up__detached__the_sdk_acts_on_it_and_kol_down_stops_it(
    first: dict[str, Any], data_dir: Path
) -> None:
    up = kol_up(data_dir, "--detach")
    assert up["running"] == "detached" and up["reused"] is True
    try:
        alliance = Alliance(RpcBackend.connect(Deployment.load(data_dir / "deployment.json")))
        ratified = next(alliance.motions())
        assert ratified.kind == MotionKind.RATIFY_GENESIS_SUPER_NODES
        assert ratified.status == MotionStatus.EXECUTED
        assert alliance.now() > ratified.created_at  # the kept chain's clock runs on
        assert alliance.seats(Chamber.SUPER) == first["seats"]["super_nodes"]
        already = CliRunner().invoke(main, ["up", "--data-dir", str(data_dir), "--check"])
        assert already.exit_code == 0 and "already runs" in already.output
    finally:
        down = CliRunner().invoke(main, ["down", "--data-dir", str(data_dir)])
    assert down.exit_code == 0, down.output
    assert f"process {up['pid']}" in down.output
    with pytest.raises(OSError):
        rpc_request(up["rpc_url"], "eth_chainId", timeout=1)
    nothing = CliRunner().invoke(main, ["down", "--data-dir", str(data_dir)])
    assert nothing.exit_code == 1 and "no detached devnet runs" in nothing.output


def test_up__foreground__ctrl_c_stops_it_and_keeps_the_chain(
    first: dict[str, Any], data_dir: Path
) -> None:
    command = [sys.executable, "-c", "from kol.cli import main; main()", "up"]
    process = subprocess.Popen(
        [*command, "--data-dir", str(data_dir), "--port", "0", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line, process.communicate(timeout=30)[1]  # kol up said why it stopped
        summary = json.loads(line)
        assert summary["running"] == "foreground" and summary["reused"] is True
        assert int(rpc_request(summary["rpc_url"], "eth_chainId"), 16) == 31_337
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=30)
    finally:
        if process.poll() is None:  # stop it as Ctrl-C would, so that anvil stops too
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    assert process.returncode == 0, errors
    assert "devnet stopped; its chain is kept" in errors
    with pytest.raises(OSError):
        rpc_request(summary["rpc_url"], "eth_chainId", timeout=1)


def test_up__another_seed__refused(first: dict[str, Any], data_dir: Path) -> None:
    result = CliRunner().invoke(main, ["up", "--data-dir", str(data_dir), "--seed", "7"])
    assert result.exit_code == 2
    assert "was made with seed 2019" in result.output


def test_up__detach_and_check__exclude_each_other(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["up", "--data-dir", str(tmp_path), "--detach", "--check"])
    assert result.exit_code == 2 and "exclude each other" in result.output


def test_up__a_taken_port__refused_with_what_to_do(anvil: Anvil, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["up", "--data-dir", str(tmp_path / "d"), "--port", str(anvil.port), "--check"]
    )
    assert result.exit_code == 1
    assert f"port {anvil.port} on 127.0.0.1 is taken" in result.output
    assert not (tmp_path / "d" / "deployment.json").exists()
