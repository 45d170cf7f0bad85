"""Shared pieces of the attack tests: worlds with contract members, snapshots, raw wallets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boa
from eth_utils import keccak

from tests.contracts.helpers import World, make_world, next_block

MOCKS = Path(__file__).resolve().parents[1] / "mocks"


def mock(name: str) -> Any:
    """The compiled mock ``tests/contracts/mocks/<name>.vy``."""
    return boa.load_partial(str(MOCKS / f"{name}.vy"))


def world_with_members(n_nodes: int, extra: list[str]) -> World:
    """A genesis world of ``n_nodes`` key-held nodes plus ``extra`` (contract) members."""
    w = make_world(n_nodes=n_nodes)
    with boa.env.prank(w.admin):
        for i, address in enumerate(extra):
            w.council.nominate(address, f"contract member {i}", b"\x00" * 32)
    next_block()
    return w


def stage_state(w: World, stage: int, members: list[str]) -> tuple[Any, ...]:
    """Everything a refused ballot must leave as it was: the stage word
    (tallies, threshold, electorate, deadline) and each member's receipt and seats."""
    return (
        w.council.stage(stage),
        w.council.stage_status(stage),
        tuple(w.council.has_voted(stage, m) for m in members),
        tuple(w.council.member(m) for m in members),
        w.council.seats(0),
        w.council.seats(1),
    )


def raw_code_wallet(runtime: bytes) -> str:
    """An account whose code is ``runtime`` (answers no Vyper function can give)."""
    address = "0x" + keccak(runtime)[12:].hex()
    boa.env.set_code(address, runtime)
    return address


#: Returns the first three bytes of the ERC-1271 magic value, whatever it is asked.
THREE_BYTE_ANSWER = bytes.fromhex("621626ba60e81b60005260036000f3")
#: Returns the magic value followed by 100,000 bytes of memory (a return-data bomb).
RETURN_DATA_BOMB = bytes.fromhex("631626ba7e60e01b600052620186a06000f3")
