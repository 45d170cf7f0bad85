"""A full alliance with the treasury: 30 nodes, 21 of them super nodes."""

from __future__ import annotations

from collections.abc import Iterator

import boa
import pytest

from kol.chain.inprocess import deploy_alliance
from tests.contracts.helpers import (
    RATIFY_GENESIS_SUPER_NODES,
    World,
    args,
    key,
    keys,
    next_block,
)

USDT = 10**6


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with boa.env.anchor():
        admin, foundation = key("admin").address, key("foundation").address
        alliance = deploy_alliance(admin, foundation, with_treasury=True)
        nodes = keys("node", 30)
        with boa.env.prank(admin):
            for i, k in enumerate(nodes):
                alliance.council.nominate(k.address, f"community {i}", b"\x00" * 32)
        next_block()
        w = World(alliance, admin, foundation, nodes, [])
        slate = [k.address for k in nodes[:24]]
        w.pass_motion(nodes[0].address, RATIFY_GENESIS_SUPER_NODES, args(slate, [21]))
        w.supers = nodes[:21]
        next_block()
        yield w


@pytest.fixture
def client(world: World) -> str:
    """A client holding 1,000,000 test USDT, with the treasury approved."""
    c = key("client").address
    world.a.usdt.mint(c, 1_000_000 * USDT)
    with boa.env.prank(c):
        world.a.usdt.approve(world.a.treasury.address, 2**256 - 1)
    return c
