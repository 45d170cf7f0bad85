"""``member``: (id, is node, is super node, is candidate, node ban end,
super ban end) of an address (§1, §3)."""

from __future__ import annotations

import boa

from tests.contracts.helpers import DAY, NODE, SUPER, World
from tests.contracts.unitary.council._util import (
    addresses,
    forfeit_seat,
    member,
    now,
    register,
    stranger,
)


def test_member__stranger__all_empty(world: World) -> None:
    assert member(world, stranger()) == (0, False, False, False, 0, 0)


def test_member__node(world: World) -> None:
    assert member(world, world.nodes[25].address) == (26, True, False, False, 0, 0)


def test_member__super_node__is_also_a_node(world: World) -> None:
    assert member(world, world.nodes[20].address) == (21, True, True, False, 0, 0)


def test_member__super_alternate__a_plain_node(world: World) -> None:
    assert member(world, world.nodes[21].address) == (22, True, False, False, 0, 0)


def test_member__candidate(world: World) -> None:
    register(world, [stranger("candidate")])
    assert member(world, stranger("candidate")) == (31, False, False, True, 0, 0)


def test_member__resigned_node__keeps_the_id_only(world: World) -> None:
    with boa.env.prank(world.nodes[25].address):
        world.council.resign(NODE)
    assert member(world, world.nodes[25].address) == (26, False, False, False, 0, 0)


def test_member__forfeited_node_seat__node_ban_end(genesis_world: World) -> None:
    w = genesis_world
    absentee = w.nodes[9].address
    forfeit_seat(w, absentee, NODE, addresses(w.nodes[:3]))
    assert member(w, absentee) == (10, False, False, False, now() + 180 * DAY, 0)


def test_member__forfeited_super_seat__super_ban_end_and_still_a_node(world: World) -> None:
    w = world
    absentee = w.nodes[20].address
    forfeit_seat(w, absentee, SUPER, addresses(w.nodes[:3]))
    assert member(w, absentee) == (21, True, False, False, 0, now() + 90 * DAY)
