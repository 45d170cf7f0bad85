"""``kol relayer serve`` as a process (HTTP in, batches out) and ``kol relayer flush``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner

from kol.alliance import Choice, MotionArgs, MotionKind
from kol.chain.anvil import free_port
from kol.cli import main
from kol.relayer import Kind, Relayer, RelayerSettings
from tests.relayer.devnet import Devnet


def _motion(chain: Devnet) -> int:
    a = chain.sdk("node:100")
    args = MotionArgs.new_admin(chain.address("node:100"))
    return a.propose(MotionKind.REPLACE_ADMIN, args, by=chain.address("node:100"))


def _until(what: str, check: Any, timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = check()
        except httpx.HTTPError:
            found = None
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_serve__a_ballot_posted_over_http_is_relayed_and_reported(
    chain: Devnet, tmp_path: Path
) -> None:
    motion_id = _motion(chain)
    a = chain.sdk()
    [ballot] = chain.sign(a, ["node:7"], motion_id, 1, Choice.FOR)
    port = free_port()
    env = {
        **os.environ,
        "KOL_DEPLOYMENT": str(chain.root / "deployment.json"),
        "KOL_RELAYER_DATABASE_URL": f"sqlite:///{tmp_path / 'queue.sqlite3'}",
    }
    command = "from kol.cli import main; main()"
    process = subprocess.Popen(
        [sys.executable, "-c", command, "relayer", "serve", "--dev", "relayer",
         "--port", str(port), "--interval", "0.2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        info = _until("the relayer", lambda: httpx.get(f"{base}/relay").json())
        assert info["relayer"] == chain.address("relayer") and info["submitting"]
        assert info["council"] == chain.deployment.council
        answer = httpx.post(f"{base}/relay/ballots", json=chain.ballot_json(ballot, motion_id))
        assert answer.status_code == 202, answer.text
        location = base + answer.headers["Location"]

        def included() -> dict[str, Any] | None:
            view: dict[str, Any] = httpx.get(location).json()
            return view if view["status"] == "included" else None

        view = _until("the ballot to be included", included)
        assert view["result"]["recorded"] and view["tx_hash"].startswith("0x")
        assert a.motion(motion_id).stage(1).votes_for == 1
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr.decode()


def test_flush__submits_what_the_queue_holds(chain: Devnet, tmp_path: Path) -> None:
    motion_id = _motion(chain)
    a = chain.sdk()
    url = f"sqlite:///{tmp_path / 'queue.sqlite3'}"
    accepting = Relayer.connect(
        chain.deployment, None, RelayerSettings(database_url=url), url=chain.url
    )
    for b in chain.sign(a, ["node:8", "node:9"], motion_id, 1, Choice.ABSTAIN):
        accepting.accept(Kind.BALLOT, chain.ballot_json(b))
    env = {"KOL_DEPLOYMENT": str(chain.root / "deployment.json")}
    result = CliRunner().invoke(
        main, ["relayer", "flush", "--dev", "relayer", "--db", url, "--json"], env=env
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["sent"] == 2 and report["queue"]["included"] == 2
    assert a.motion(motion_id).stage(1).votes_abstain == 2
