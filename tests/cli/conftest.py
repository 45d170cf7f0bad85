"""A devnet for the member commands: ``kol up`` once per session (anvil, the alliance, the
published roster, dev keys), its chain put back after each test module (``evm_snapshot``)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from eth_account.signers.local import LocalAccount

from kol.alliance import Alliance, Choice
from kol.chain.anvil import rpc_request, stop_pid
from kol.chain.deployment import Deployment
from kol.chain.rpc import RpcBackend
from kol.cli import main
from kol.cli.year import dev_key
from tests.conftest import _require_anvil

SEED = 2019
"""The seed of ``kol up``'s dev keys (its default)."""


@dataclass(frozen=True)
class Devnet:
    """A running ``kol up`` devnet."""

    root: Path
    url: str

    @property
    def deployment(self) -> Path:
        return self.root / "deployment.json"

    def key(self, label: str) -> LocalAccount:
        return dev_key(SEED, label)

    def address(self, label: str) -> str:
        return str(self.key(label).address)

    def kol(
        self, *args: str, env: dict[str, str] | None = None, input: str | None = None
    ) -> Result:
        """``kol ARGS`` against this devnet (``KOL_DEPLOYMENT`` names its description)."""
        return CliRunner().invoke(
            main,
            list(args),
            env={"KOL_DEPLOYMENT": str(self.deployment), **(env or {})},
            input=input,
        )

    def ok(self, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
        """``kol ARGS --json``: succeeds and prints exactly one JSON object on stdout."""
        result = self.kol(*args, "--json", env=env)
        assert result.exit_code == 0, result.output
        payload = json.loads(result.stdout)
        assert isinstance(payload, dict)
        return payload

    def refused(self, *args: str, code: int = 1) -> str:
        """``kol ARGS --json`` fails with ``code`` and prints nothing on stdout; the message."""
        result = self.kol(*args, "--json")
        assert result.exit_code == code, result.output
        assert result.stdout == "", result.stdout
        return " ".join(result.stderr.split())

    def sdk(self, *labels: str) -> Alliance:
        """The SDK on this devnet, holding the dev keys of ``labels``."""
        signers = [self.key(label) for label in labels]
        return Alliance(RpcBackend.connect(Deployment.load(self.deployment), signers=signers))

    def wait(self, seconds: int) -> None:
        rpc_request(self.url, "evm_increaseTime", [seconds])
        rpc_request(self.url, "evm_mine", [])

    def relay_votes(
        self, motion_id: int, stage: int, labels: Sequence[str], choice: Choice = Choice.FOR
    ) -> int:
        """The members of ``labels`` sign ballots, the relayer relays them; how many counted."""
        a = self.sdk("relayer")
        ballots = [a.sign_ballot(self.key(who), motion_id, stage, choice) for who in labels]
        return a.relay(ballots, by=self.address("relayer"))


SUPER = [f"node:{i}" for i in range(21)]
"""The dev keys of the 21 ratified super nodes (the roster seats them first)."""
NODES = [f"node:{i}" for i in range(149)]
CANDIDATES = [f"candidate:{i}" for i in range(47)]


@pytest.fixture(scope="session")
def devnet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Devnet]:
    """``kol up --detach`` on a free port, stopped by ``kol down`` at the end of the session."""
    _require_anvil()
    root = tmp_path_factory.mktemp("members") / "devnet"
    result = CliRunner().invoke(
        main, ["up", "--data-dir", str(root), "--port", "0", "--detach", "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    try:
        yield Devnet(root, summary["rpc_url"])
    finally:
        down = CliRunner().invoke(main, ["down", "--data-dir", str(root)])
        if down.exit_code != 0 and summary.get("pid"):
            stop_pid(int(summary["pid"]))


@pytest.fixture(scope="module")
def chain(devnet: Devnet) -> Iterator[Devnet]:
    """The devnet as ``kol up`` left it; put back after the module."""
    snapshot = rpc_request(devnet.url, "evm_snapshot")
    yield devnet
    assert rpc_request(devnet.url, "evm_revert", [snapshot]) is True
