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
    treasury: Any | None
    usdt: Any | None


def _nonce(address: str) -> int:
    state = boa.env.evm.vm.state
    nonce: int = state.get_nonce(bytes.fromhex(address[2:]))
    return nonce


def deploy_alliance(
    admin: str,
    foundation: str,
    *,
    with_treasury: bool = False,
    usdt: str | None = None,
) -> InProcessAlliance:
    """Deploys the alliance from ``boa.env.eoa``.

    The contracts name each other, so their addresses are precomputed from
    the deployer's nonce n: KOLToken (n), Council (n + 1), Motions (n + 2)
    and the Treasury (n + 3). Without ``with_treasury`` only the governance
    core is deployed (economy motions are refused); with it, a test USDT is
    deployed first unless ``usdt`` names one.
    """
    sender = str(boa.env.eoa)
    usdt_contract = None
    if with_treasury and usdt is None:
        usdt_contract = deployer("dev/TestUSDT").deploy()
        usdt = usdt_contract.address
    n = _nonce(sender)
    council_at = create_address(sender, n + 1)
    motions_at = create_address(sender, n + 2)
    treasury_at = create_address(sender, n + 3)
    token = deployer("KOLToken").deploy(treasury_at, council_at)
    council = deployer("Council").deploy(admin, foundation, motions_at)
    motions = deployer("Motions").deploy(council_at, treasury_at if with_treasury else _ZERO)
    treasury = None
    if with_treasury:
        treasury = deployer("Treasury").deploy(token.address, usdt, council_at, motions_at)
        assert treasury.address == treasury_at
    assert council.address == council_at and motions.address == motions_at
    return InProcessAlliance(
        token=token, council=council, motions=motions, treasury=treasury, usdt=usdt_contract
    )


_ZERO = "0x0000000000000000000000000000000000000000"
