"""Deploying the alliance on titanoboa's in-process EVM (tests, ``kol demo``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import boa
from boa.contracts.vyper.vyper_contract import VyperDeployer

from kol.chain.artifacts import create_address, source


@cache
def deployer(name: str) -> Any:
    """The compiled contract ``name`` (compiled once per process)."""
    result: VyperDeployer = boa.load_partial(str(source(name)))
    return result


@dataclass(frozen=True)
class InProcessAlliance:
    """The deployed contracts of one alliance on the in-process EVM."""

    token: Any
    council: Any
    motions: Any
    economy: str


def _nonce(address: str) -> int:
    state = boa.env.evm.vm.state
    nonce: int = state.get_nonce(bytes.fromhex(address[2:]))
    return nonce


def deploy_alliance(admin: str, foundation: str, economy: str | None = None) -> InProcessAlliance:
    """Deploys token, council and motions engine from ``boa.env.eoa``.

    The contracts name each other, so their addresses are precomputed from
    the deployer's nonce: KOLToken (n), Council (n + 1), Motions (n + 2), and
    the economy module (the treasury) at n + 3 unless ``economy`` is given.
    """
    sender = str(boa.env.eoa)
    n = _nonce(sender)
    council_at = create_address(sender, n + 1)
    motions_at = create_address(sender, n + 2)
    economy_at = economy if economy is not None else create_address(sender, n + 3)
    token = deployer("KOLToken").deploy(economy_at)
    council = deployer("Council").deploy(admin, foundation, motions_at)
    motions = deployer("Motions").deploy(council_at, economy if economy is not None else _ZERO)
    assert council.address == council_at and motions.address == motions_at
    return InProcessAlliance(token=token, council=council, motions=motions, economy=economy_at)


_ZERO = "0x0000000000000000000000000000000000000000"
