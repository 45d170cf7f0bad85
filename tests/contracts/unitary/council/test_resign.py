"""``resign``: a member may always give up a seat (§3). Leaving the node
chamber leaves the super chamber too; a super node giving up the super seat
stays a node; the freed seat is refilled from the queue in the same
transaction (§3, §6)."""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import NODE, POOL, SUPER, World, next_block
from tests.contracts.unitary.council._util import (
    BAD_CHAMBER,
    CAND_SINCE_SHIFT,
    LEFT_RESIGNED,
    LEFT_WITH_NODE_SEAT,
    NOT_SEATED,
    U40,
    block,
    candidates,
    enqueue_as_engine,
    events,
    field,
    member,
    queue,
    register,
    reverts_unchanged,
    stranger,
)


def _unseated(c: object) -> list[tuple[str, int, int, int, int]]:
    return [(e.member, e.member_id, e.chamber, e.reason, e.seats) for e in events(c, "Unseated")]


def _seated(c: object) -> list[tuple[str, int, int]]:
    return [(e.member, e.chamber, e.seats) for e in events(c, "Seated")]


# NODE SEAT #


def test_resign__node__leaves_the_chamber_and_keeps_its_id(world: World) -> None:
    w, c = world, world.council
    node = w.nodes[25].address
    with boa.env.prank(node):
        c.resign(NODE)
    assert _unseated(c) == [(node, 26, NODE, LEFT_RESIGNED, 29)]
    assert member(w, node) == (26, False, False, False, 0, 0)
    assert (c.seats(NODE), c.seats(SUPER)) == (29, 21)
    assert c.member_by_id(26) == node and c.member_count() == 30


def test_resign__node__no_ban(world: World) -> None:
    """Resigning is not a forfeiture: no ban starts (§3 bans follow forfeiture only)."""
    w = world
    node = w.nodes[25].address
    with boa.env.prank(node):
        w.council.resign(NODE)
    assert member(w, node)[4:] == (0, 0)


def test_resign__super_node_leaves_node_seat__also_leaves_the_super_seat(world: World) -> None:
    w, c = world, world.council
    super_node = w.nodes[3].address
    with boa.env.prank(super_node):
        c.resign(NODE)
    assert _unseated(c) == [
        (super_node, 4, SUPER, LEFT_WITH_NODE_SEAT, 20),
        (super_node, 4, NODE, LEFT_RESIGNED, 29),
    ]
    assert member(w, super_node)[1:3] == (False, False)
    assert c.seats(NODE) == 29


def test_resign__super_node_leaves_node_seat__super_seat_refilled_in_the_same_transaction(
    world: World,
) -> None:
    w, c = world, world.council
    head = w.nodes[21].address
    with boa.env.prank(w.nodes[3].address):
        c.resign(NODE)
    assert _seated(c) == [(head, SUPER, 21)]
    assert member(w, head)[1:3] == (True, True)
    assert c.seats(SUPER) == 21
    assert queue(w, SUPER) == [w.nodes[22].address, w.nodes[23].address]
    assert not c.is_queued(head, SUPER)


def test_resign__super_node_leaves_node_seat__empty_super_queue__super_seat_stays_free(
    world: World,
) -> None:
    w, c = world, world.council
    for k in w.nodes[3:7]:  # the first three resignations use up the three alternates
        with boa.env.prank(k.address):
            c.resign(NODE)
    assert c.seats(SUPER) == 20 and c.queue_length(SUPER) == 0
    assert c.seats(NODE) == 26


def test_resign__plain_node__super_queue_untouched(partial_world: World) -> None:
    """Only a super node's departure refills the super chamber; a plain node
    leaving does not seat super alternates (anyone may still call ``refill``)."""
    w, c = partial_world, partial_world.council
    assert c.seats(SUPER) == 19 and c.queue_length(SUPER) == 5
    with boa.env.prank(w.nodes[29].address):
        c.resign(NODE)
    assert events(c, "Seated") == []
    assert c.seats(SUPER) == 19 and c.queue_length(SUPER) == 5


def test_resign__node__refilled_from_the_node_queue_in_the_same_transaction(
    full_world: World,
) -> None:
    w, c = full_world, full_world.council
    first, second = candidates(2)
    enqueue_as_engine(w, NODE, [first, second])
    assert c.seats(POOL) == 20 and queue(w, NODE) == [first, second]
    with boa.env.prank(w.nodes[400].address):
        c.resign(NODE)
    assert _seated(c) == [(first, NODE, 500)]
    assert c.seats(NODE) == 500 and c.seats(POOL) == 19
    assert member(w, first)[1] and c.seated_since(first, NODE) == block()
    assert queue(w, NODE) == [second]


def test_resign__super_node_leaves_node_seat__both_seats_refilled(full_world: World) -> None:
    w, c = full_world, full_world.council
    (first,) = candidates(1)
    enqueue_as_engine(w, NODE, [first])
    with boa.env.prank(w.nodes[5].address):
        c.resign(NODE)
    assert _seated(c) == [(w.nodes[21].address, SUPER, 21), (first, NODE, 500)]
    assert (c.seats(NODE), c.seats(SUPER)) == (500, 21)


# SUPER SEAT #


def test_resign__super_seat__keeps_the_node_seat(world: World) -> None:
    w, c = world, world.council
    super_node = w.nodes[7].address
    with boa.env.prank(super_node):
        c.resign(SUPER)
    assert _unseated(c) == [(super_node, 8, SUPER, LEFT_RESIGNED, 20)]
    assert member(w, super_node)[1:3] == (True, False)
    assert c.seats(NODE) == 30


def test_resign__super_seat__refilled_from_the_super_queue_in_the_same_transaction(
    world: World,
) -> None:
    w, c = world, world.council
    with boa.env.prank(w.nodes[7].address):
        c.resign(SUPER)
    assert _seated(c) == [(w.nodes[21].address, SUPER, 21)]
    assert c.seats(SUPER) == 21 and c.queue_length(SUPER) == 2


def test_resign__super_seat__one_alternate_per_resignation(world: World) -> None:
    w, c = world, world.council
    for i, k in enumerate(w.nodes[:3]):
        with boa.env.prank(k.address):
            c.resign(SUPER)
        assert [e.member for e in events(c, "Seated")] == [w.nodes[21 + i].address]
    assert c.seats(SUPER) == 21 and c.queue_length(SUPER) == 0


def test_resign__super_seat_then_node_seat__both_allowed(world: World) -> None:
    w, c = world, world.council
    super_node = w.nodes[7].address
    with boa.env.prank(super_node):
        c.resign(SUPER)
        c.resign(NODE)
    assert _unseated(c) == [(super_node, 8, NODE, LEFT_RESIGNED, 29)]
    assert member(w, super_node)[1:3] == (False, False)


# CANDIDATE POOL #


def test_resign__candidate_node__returns_to_the_pool(full_world: World) -> None:
    w, c = full_world, full_world.council
    (alternate,) = candidates(1)
    enqueue_as_engine(w, NODE, [alternate])
    with boa.env.prank(w.nodes[400].address):
        c.resign(NODE)
    assert c.seats(POOL) == 19
    next_block()
    with boa.env.prank(alternate):
        c.resign(NODE)
    assert member(w, alternate)[1:4] == (False, False, True)
    assert c.seats(POOL) == 20 and c.seats(NODE) == 499


def test_resign__candidate_node__pool_membership_starts_at_that_block(
    genesis_world: World,
) -> None:
    """Back in the pool, its candidacy counts from the block it left the seat:
    the pool electorate of that block does not include it (§4)."""
    w, c = genesis_world, genesis_world.council
    candidate = stranger("candidate")
    register(w, [candidate])
    with boa.env.prank(w.admin):
        c.nominate(candidate, "seated", b"\x00" * 32)
    next_block()
    assert (c.seats(POOL), c.electorate(POOL)) == (0, 0)
    with boa.env.prank(candidate):
        c.resign(NODE)
    assert field(c.member_word(candidate), CAND_SINCE_SHIFT, U40) == block()
    assert (c.seats(POOL), c.electorate(POOL)) == (1, 0)
    next_block()
    assert c.electorate(POOL) == 1


def test_resign__plain_node__pool_unchanged(world: World) -> None:
    w, c = world, world.council
    register(w, [stranger("candidate")])
    with boa.env.prank(w.nodes[25].address):
        c.resign(NODE)
    assert c.seats(POOL) == 1


# REFUSED #


@pytest.mark.parametrize("chamber", [NODE, SUPER])
def test_resign__stranger__reverts(world: World, chamber: int) -> None:
    w = world
    nobody = stranger("nobody")
    with reverts_unchanged(w, NOT_SEATED, [nobody]), boa.env.prank(nobody):
        w.council.resign(chamber)


def test_resign__super_seat_of_a_plain_node__reverts(world: World) -> None:
    w = world
    node = w.nodes[25].address
    with reverts_unchanged(w, NOT_SEATED, [node]), boa.env.prank(node):
        w.council.resign(SUPER)


def test_resign__super_alternate_super_seat__reverts(world: World) -> None:
    w = world
    alternate = w.nodes[21].address
    with reverts_unchanged(w, NOT_SEATED, [alternate]), boa.env.prank(alternate):
        w.council.resign(SUPER)


def test_resign__registered_candidate__reverts(world: World) -> None:
    w = world
    candidate = stranger("candidate")
    register(w, [candidate])
    with reverts_unchanged(w, NOT_SEATED, [candidate]), boa.env.prank(candidate):
        w.council.resign(NODE)


def test_resign__twice__reverts(world: World) -> None:
    w = world
    node = w.nodes[25].address
    with boa.env.prank(node):
        w.council.resign(NODE)
    with reverts_unchanged(w, NOT_SEATED, [node]), boa.env.prank(node):
        w.council.resign(NODE)


@pytest.mark.parametrize("chamber", [2, 3, 2**256 - 1])
def test_resign__unknown_chamber__reverts(world: World, chamber: int) -> None:
    w = world
    super_node = w.nodes[0].address
    with reverts_unchanged(w, BAD_CHAMBER, [super_node]), boa.env.prank(super_node):
        w.council.resign(chamber)
