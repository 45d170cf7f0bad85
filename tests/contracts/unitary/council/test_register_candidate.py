"""``register_candidate``: anyone registers a community in the candidate pool
(§1) with a name; ids are given once, on first entry, and are permanent (§3)."""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import NODE, POOL, SUPER, World, next_block
from tests.contracts.unitary.council._util import (
    ALREADY_CANDIDATE,
    CAND_SINCE_SHIFT,
    META,
    NAME_REQUIRED,
    SEATED_NOT_CANDIDATE,
    U40,
    block,
    events,
    field,
    member,
    register,
    reverts_unchanged,
    stranger,
)


def test_register_candidate__joins_the_pool_with_a_new_id(world: World) -> None:
    w, c = world, world.council
    candidate = stranger("candidate")
    with boa.env.prank(candidate):
        c.register_candidate("社区 candidate", META)
    registered, assigned = events(c, "CandidateRegistered"), events(c, "MemberIdAssigned")
    assert member(w, candidate) == (31, False, False, True, 0, 0)
    assert c.seats(POOL) == 1 and c.member_count() == 31
    assert c.member_by_id(31) == candidate
    assert field(c.member_word(candidate), CAND_SINCE_SHIFT, U40) == block()
    assert [
        (e.candidate, e.member_id, e.name, e.metadata_hash, e.pool_size) for e in registered
    ] == [(candidate, 31, "社区 candidate", META, 1)]
    assert [(e.member, e.member_id) for e in assigned] == [(candidate, 31)]


def test_register_candidate__seats_nobody(world: World) -> None:
    w, c = world, world.council
    register(w, [stranger("candidate")])
    assert (c.seats(NODE), c.seats(SUPER)) == (30, 21)
    assert not c.is_queued(stranger("candidate"), NODE)


def test_register_candidate__pool_counts_each_registration(world: World) -> None:
    w, c = world, world.council
    pool = [stranger(f"candidate {i}") for i in range(5)]
    for i, a in enumerate(pool):
        register(w, [a])
        assert c.seats(POOL) == i + 1
    assert [member(w, a)[0] for a in pool] == [31, 32, 33, 34, 35]
    assert [c.member_by_id(i) for i in range(31, 36)] == pool


def test_register_candidate__longest_name__accepted(world: World) -> None:
    w = world
    with boa.env.prank(stranger("candidate")):
        w.council.register_candidate("x" * 64, META)
    assert member(w, stranger("candidate"))[3]


def test_register_candidate__empty_name__reverts(world: World) -> None:
    w = world
    candidate = stranger("nameless")
    with reverts_unchanged(w, NAME_REQUIRED, [candidate]), boa.env.prank(candidate):
        w.council.register_candidate("", META)
    assert w.council.member_by_id(31) == "0x0000000000000000000000000000000000000000"


def test_register_candidate__twice__reverts(world: World) -> None:
    w = world
    candidate = stranger("candidate")
    register(w, [candidate])
    with reverts_unchanged(w, ALREADY_CANDIDATE, [candidate]), boa.env.prank(candidate):
        w.council.register_candidate("again", META)


def test_register_candidate__twice_in_one_block_under_another_name__reverts(world: World) -> None:
    w = world
    candidate = stranger("candidate")
    with boa.env.prank(candidate):
        w.council.register_candidate("first", META)
    with reverts_unchanged(w, ALREADY_CANDIDATE, [candidate]), boa.env.prank(candidate):
        w.council.register_candidate("second", b"\x22" * 32)


@pytest.mark.parametrize("who", [0, 25], ids=["super node", "node"])
def test_register_candidate__seated_node__reverts(world: World, who: int) -> None:
    w = world
    node = w.nodes[who].address
    with reverts_unchanged(w, SEATED_NOT_CANDIDATE, [node]), boa.env.prank(node):
        w.council.register_candidate("a node", META)


def test_register_candidate__super_alternate__reverts(world: World) -> None:
    """A super alternate is a seated node: it is not a candidate either."""
    w = world
    alternate = w.nodes[21].address
    assert w.council.is_queued(alternate, SUPER)
    with reverts_unchanged(w, SEATED_NOT_CANDIDATE, [alternate]), boa.env.prank(alternate):
        w.council.register_candidate("an alternate", META)


def test_register_candidate__former_node__keeps_its_id(world: World) -> None:
    w, c = world, world.council
    former = w.nodes[29].address
    with boa.env.prank(former):
        c.resign(NODE)
        c.register_candidate("back as a candidate", META)
    assert events(c, "MemberIdAssigned") == []
    assert member(w, former) == (30, False, False, True, 0, 0)
    assert c.member_count() == 30 and c.seats(POOL) == 1


def test_register_candidate__after_withdrawing__same_id_and_new_since(world: World) -> None:
    w, c = world, world.council
    candidate = stranger("candidate")
    register(w, [candidate])
    with boa.env.prank(candidate):
        c.withdraw_candidacy()
    next_block()
    register(w, [candidate])
    assert member(w, candidate)[0] == 31 and c.member_count() == 31
    assert c.seats(POOL) == 1
    assert field(c.member_word(candidate), CAND_SINCE_SHIFT, U40) == block()


def test_register_candidate__pool_electorate__counts_it_from_the_next_block(world: World) -> None:
    w, c = world, world.council
    register(w, [stranger("a"), stranger("b")])
    assert c.seats(POOL) == 2 and c.electorate(POOL) == 0
    next_block()
    assert c.electorate(POOL) == 2
