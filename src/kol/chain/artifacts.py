"""Where the Vyper sources live, what they compile to and how contract addresses are derived."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import rlp
from eth_utils.address import to_canonical_address, to_checksum_address
from eth_utils.crypto import keccak

#: The deployable contracts, in deployment order (addresses are precomputed
#: from the deployer's nonce because the contracts name each other).
#: ``kol.chain.plan`` holds the order together with the constructor arguments.
DEPLOY_ORDER = ("KOLToken", "Council", "Motions", "Treasury")


def contracts_dir() -> Path:
    """The folder of the Vyper sources (``KOL_CONTRACTS`` overrides it)."""
    override = os.environ.get("KOL_CONTRACTS")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "contracts"


def source(name: str) -> Path:
    """The path of a deployable contract's source, e.g. ``source("Council")``."""
    path = contracts_dir() / f"{name}.vy"
    if not path.is_file():
        raise FileNotFoundError(f"contract source not found: {path} (set KOL_CONTRACTS)")
    return path


def create_address(sender: str, nonce: int) -> str:
    """The address a CREATE from ``sender`` at ``nonce`` deploys to."""
    encoded = rlp.encode([to_canonical_address(sender), nonce])
    return to_checksum_address(keccak(encoded)[12:])


@dataclass(frozen=True)
class Artifact:
    """A compiled contract: what a JSON-RPC deployment sends and records."""

    name: str
    """The source's name under ``contracts/`` (``"Council"``, ``"dev/TestUSDT"``)."""
    abi: tuple[Mapping[str, Any], ...]
    bytecode: bytes
    """Init code (constructor arguments are appended ABI-encoded)."""
    vyper_version: str
    evm_version: str


@cache
def artifact(name: str) -> Artifact:
    """The compiled contract ``name``, compiled exactly as the in-process EVM compiles it
    (``boa.load_partial``: the settings of the source's pragmas, snekmate from site-packages),
    so that every chain runs the same bytecode."""
    import vyper
    from vyper.compiler.output import build_abi_output

    from kol.chain.inprocess import deployer

    data = deployer(name).compiler_data
    abi: list[dict[str, Any]] = build_abi_output(data)
    return Artifact(
        name=name,
        abi=tuple(abi),
        bytecode=bytes(data.bytecode),
        vyper_version=str(vyper.__version__),
        evm_version=str(data.settings.evm_version),
    )
