"""``seated_since``: the block in which an address took its seat in a
chamber (a member votes only in stages opened after it, §4)."""

from __future__ import annotations

import boa

from tests.contracts.helpers import NODE, SUPER, World, next_block
from tests.contracts.unitary.council._util import META, block, stranger


def test_seated_since__nominated_node__block_of_nomination(genesis_world: World) -> None:
    w, c = genesis_world, genesis_world.council
    next_block()
    with boa.env.prank(w.admin):
        c.nominate(stranger("a"), "a", META)
    assert c.seated_since(stranger("a"), NODE) == block()
    assert c.seated_since(w.nodes[0].address, NODE) < block()


def test_seated_since__refilled_super_node__block_of_refill_and_node_since_kept(
    world: World,
) -> None:
    w, c = world, world.council
    alternate = w.nodes[21].address
    node_since = c.seated_since(alternate, NODE)
    next_block()
    with boa.env.prank(w.nodes[0].address):
        c.resign(SUPER)
    assert c.seated_since(alternate, SUPER) == block()
    assert c.seated_since(alternate, NODE) == node_since < block()


def test_seated_since__reseated__block_of_the_new_seat(genesis_world: World) -> None:
    w, c = genesis_world, genesis_world.council
    node = w.nodes[3].address
    first = c.seated_since(node, NODE)
    with boa.env.prank(node):
        c.resign(NODE)
    next_block()
    next_block()
    with boa.env.prank(w.admin):
        c.nominate(node, "again", META)
    assert c.seated_since(node, NODE) == block() > first


def test_seated_since__never_seated__zero(world: World) -> None:
    c = world.council
    assert (c.seated_since(stranger(), NODE), c.seated_since(stranger(), SUPER)) == (0, 0)
    assert c.seated_since(world.nodes[25].address, SUPER) == 0
