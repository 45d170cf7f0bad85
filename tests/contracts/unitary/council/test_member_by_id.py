"""``member_by_id`` and ``member_count``: every address gets a permanent
numeric id the first time it enters the alliance (§3), never another."""

from __future__ import annotations

import boa

from tests.contracts.helpers import NODE, REPLACE_NODE, SUPER, World, args, next_block
from tests.contracts.unitary.council._util import (
    META,
    NAME_REQUIRED,
    ZERO,
    addresses,
    member,
    pass_motion,
    register,
    stranger,
)


def test_member_by_id__genesis_nodes__ids_one_to_n_in_nomination_order(world: World) -> None:
    c = world.council
    assert c.member_count() == 30
    assert [c.member_by_id(i) for i in range(1, 31)] == addresses(world.nodes)
    assert [member(world, k.address)[0] for k in world.nodes] == list(range(1, 31))


def test_member_by_id__zero_and_unassigned_ids__zero_address(world: World) -> None:
    c = world.council
    assert c.member_by_id(0) == ZERO
    assert c.member_by_id(31) == ZERO
    assert c.member_by_id(2**32) == ZERO


def test_member_by_id__super_seat__no_new_id(world: World) -> None:
    """Ratification, refills and super resignations reuse the node's id."""
    w, c = world, world.council
    with boa.env.prank(w.nodes[0].address):
        c.resign(SUPER)  # seats the first super alternate
    assert c.member_count() == 30
    assert member(w, w.nodes[21].address)[:3] == (22, True, True)


def test_member_by_id__resigned_and_renominated__same_id(genesis_world: World) -> None:
    w, c = genesis_world, genesis_world.council
    node = w.nodes[4].address
    with boa.env.prank(node):
        c.resign(NODE)
    next_block()
    with boa.env.prank(w.admin):
        c.nominate(node, "again", META)
    assert member(w, node)[:2] == (5, True)
    assert c.member_count() == 10 and c.member_by_id(5) == node


def test_member_by_id__candidate__id_at_registration_kept_when_seated(
    genesis_world: World,
) -> None:
    w, c = genesis_world, genesis_world.council
    candidate = stranger("candidate")
    register(w, [candidate])
    assert c.member_count() == 11 and c.member_by_id(11) == candidate
    with boa.env.prank(w.admin):
        c.nominate(candidate, "seated", META)
    assert member(w, candidate)[:2] == (11, True) and c.member_count() == 11


def test_member_by_id__ids_in_order_of_first_entry_whatever_the_path(
    genesis_world: World,
) -> None:
    w, c = genesis_world, genesis_world.council
    a, b, d = stranger("a"), stranger("b"), stranger("d")
    register(w, [a])
    with boa.env.prank(w.admin):
        c.nominate(b, "b", META)
    register(w, [d])
    assert [c.member_by_id(i) for i in (11, 12, 13)] == [a, b, d]
    assert c.member_count() == 13


def test_member_by_id__replaced_in_newcomer__next_id(world: World) -> None:
    w, c = world, world.council
    newcomer = stranger("newcomer")
    pass_motion(w, w.nodes[0].address, REPLACE_NODE, args([w.nodes[29].address, newcomer]))
    assert member(w, newcomer)[:2] == (31, True)
    assert c.member_by_id(31) == newcomer and c.member_count() == 31
    assert c.member_by_id(30) == w.nodes[29].address  # the replaced node keeps its id


def test_member_by_id__refused_registration__consumes_no_id(world: World) -> None:
    w, c = world, world.council
    with boa.env.prank(stranger("nameless")), boa.reverts(NAME_REQUIRED):
        c.register_candidate("", META)
    register(w, [stranger("named")])
    assert c.member_by_id(31) == stranger("named") and c.member_count() == 31
