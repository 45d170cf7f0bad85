"""A devnet with the published roster for the relayer's and the keeper's tests.

The roster is deployed and seated once per session (``kol up --check``: 149 nodes, 21 super
nodes, 8 super alternates, 47 candidates; about 10 s); each test folder then runs its own copy
of that chain (``kol up --detach`` on a copy of the data directory: about 1 s), and each test
puts the chain back as it found it (``evm_snapshot`` / ``evm_revert``).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from eth_account.signers.local import LocalAccount

from kol.alliance import Alliance, Choice, SignedBallot
from kol.chain.anvil import rpc_request, stop_pid
from kol.chain.deployment import Deployment
from kol.chain.rpc import RpcBackend
from kol.cli import main
from kol.cli.year import dev_key
from tests.conftest import _require_anvil, fund

SEED = 2019
"""The seed of ``kol up``'s dev keys (its default)."""
SUPER = [f"node:{i}" for i in range(21)]
"""The 21 ratified super nodes (the roster seats them first)."""
NODES = [f"node:{i}" for i in range(149)]
CANDIDATES = [f"candidate:{i}" for i in range(47)]


@dataclass(frozen=True)
class Devnet:
    """A running devnet with the roster seated."""

    root: Path
    url: str

    @property
    def deployment(self) -> Deployment:
        return Deployment.load(self.root / "deployment.json")

    def key(self, label: str) -> LocalAccount:
        return dev_key(SEED, label)

    def address(self, label: str) -> str:
        return str(self.key(label).address)

    def backend(self, *labels: str) -> RpcBackend:
        return RpcBackend.connect(self.deployment, self.url, [self.key(x) for x in labels])

    def sdk(self, *labels: str) -> Alliance:
        """The SDK on this devnet, holding the dev keys of ``labels``."""
        return Alliance(self.backend(*labels))

    def fund(self, label: str) -> None:
        fund(self.url, self.address(label))

    def wait(self, seconds: int) -> None:
        rpc_request(self.url, "evm_increaseTime", [seconds])
        rpc_request(self.url, "evm_mine", [])

    def sign(
        self, a: Alliance, labels: Sequence[str], motion_id: int, stage: int, choice: Choice
    ) -> list[SignedBallot]:
        return [a.sign_ballot(self.key(x), motion_id, stage, choice) for x in labels]

    def nonce(self, label: str) -> int:
        return int(
            rpc_request(self.url, "eth_getTransactionCount", [self.address(label), "latest"]), 16
        )

    @staticmethod
    def ballot_json(ballot: SignedBallot, motion_id: int | None = None) -> dict[str, object]:
        body: dict[str, object] = {
            "voter": ballot.voter,
            "stage_id": ballot.stage_id,
            "choice": int(ballot.choice),
            "expiry": str(ballot.expiry),
            "signature": "0x" + (ballot.r + ballot.s + bytes([ballot.v])).hex(),
        }
        if motion_id is not None:
            body["motion_id"] = motion_id
        return body


def _seated(factory: pytest.TempPathFactory) -> Path:
    """The data directory of the seated roster (made once per session, stopped)."""
    seeded = factory.getbasetemp() / "kol-roster-devnet"
    if not (seeded / "state.json").is_file():
        result = CliRunner().invoke(
            main, ["up", "--data-dir", str(seeded), "--port", "0", "--check", "--json"]
        )
        assert result.exit_code == 0, result.output
    return seeded


def roster_devnet(factory: pytest.TempPathFactory, name: str) -> Iterator[Devnet]:
    """Runs a copy of the seated roster's chain until the generator is closed."""
    _require_anvil()
    root = factory.mktemp(name) / "devnet"
    shutil.copytree(_seated(factory), root)
    (root / "anvil.pid").unlink(missing_ok=True)
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


def snapshot(devnet: Devnet) -> Iterator[Devnet]:
    """The devnet, its chain put back after the test."""
    taken = rpc_request(devnet.url, "evm_snapshot")
    yield devnet
    assert rpc_request(devnet.url, "evm_revert", [taken]) is True
