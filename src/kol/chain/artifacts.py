"""Where the Vyper sources live and how contract addresses are derived."""

from __future__ import annotations

import os
from pathlib import Path

import rlp
from eth_utils.address import to_canonical_address, to_checksum_address
from eth_utils.crypto import keccak

#: The deployable contracts, in deployment order (addresses are precomputed
#: from the deployer's nonce because the contracts name each other).
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
