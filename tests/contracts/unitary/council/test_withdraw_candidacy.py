"""``withdraw_candidacy``: a candidate leaves the pool; its id stays (§1, §3)."""

from __future__ import annotations

import boa

from tests.contracts.helpers import NODE, POOL, World, next_block
from tests.contracts.unitary.council._util import (
    META,
    NOT_CANDIDATE,
    candidates,
    enqueue_as_engine,
    events,
    member,
    queue,
    register,
    reverts_unchanged,
    stranger,
)


def test_withdraw_candidacy__leaves_the_pool_and_keeps_the_id(world: World) -> None:
    w, c = world, world.council
    candidate = stranger("candidate")
    register(w, [candidate, stranger("other")])
    with boa.env.prank(candidate):
        c.withdraw_candidacy()
    withdrawn = events(c, "CandidacyWithdrawn")
    assert [(e.candidate, e.member_id, e.pool_size) for e in withdrawn] == [(candidate, 31, 1)]
    assert member(w, candidate) == (31, False, False, False, 0, 0)
    assert c.seats(POOL) == 1 and c.member_count() == 32
    assert c.member_by_id(31) == candidate


def test_withdraw_candidacy__pool_electorate__unchanged_until_the_next_block(
    world: World,
) -> None:
    w, c = world, world.council
    candidate = stranger("candidate")
    register(w, [candidate])
    next_block()
    with boa.env.prank(candidate):
        c.withdraw_candidacy()
    assert c.seats(POOL) == 0 and c.electorate(POOL) == 1
    next_block()
    assert c.electorate(POOL) == 0


def test_withdraw_candidacy__never_registered__reverts(world: World) -> None:
    w = world
    nobody = stranger("nobody")
    with reverts_unchanged(w, NOT_CANDIDATE, [nobody]), boa.env.prank(nobody):
        w.council.withdraw_candidacy()


def test_withdraw_candidacy__seated_node__reverts(world: World) -> None:
    w = world
    node = w.nodes[25].address
    with reverts_unchanged(w, NOT_CANDIDATE, [node]), boa.env.prank(node):
        w.council.withdraw_candidacy()


def test_withdraw_candidacy__twice__reverts(world: World) -> None:
    w = world
    candidate = stranger("candidate")
    register(w, [candidate])
    with boa.env.prank(candidate):
        w.council.withdraw_candidacy()
    with reverts_unchanged(w, NOT_CANDIDATE, [candidate]), boa.env.prank(candidate):
        w.council.withdraw_candidacy()


def test_withdraw_candidacy__queued_alternate__stays_in_the_queue_until_its_turn(
    full_world: World,
) -> None:
    """Withdrawing does not rewrite the queue; the entry is dropped when it
    reaches the head (tested with ``refill``)."""
    w, c = full_world, full_world.council
    alternate = candidates(1)[0]
    enqueue_as_engine(w, NODE, [alternate])
    with boa.env.prank(alternate):
        c.withdraw_candidacy()
    assert c.is_queued(alternate, NODE) and queue(w, NODE) == [alternate]
    assert c.seats(POOL) == 19


def test_withdraw_candidacy__seated_candidate_node__pool_unchanged(genesis_world: World) -> None:
    """A candidate seated as a node is not counted in the pool; withdrawing
    clears its candidacy, so leaving the seat later does not bring it back."""
    w, c = genesis_world, genesis_world.council
    candidate = stranger("candidate")
    register(w, [candidate])
    with boa.env.prank(w.admin):
        c.nominate(candidate, "seated", META)
    assert c.seats(POOL) == 0 and member(w, candidate)[1:4] == (True, False, True)
    with boa.env.prank(candidate):
        c.withdraw_candidacy()
    assert c.seats(POOL) == 0 and member(w, candidate)[1:4] == (True, False, False)
    with boa.env.prank(candidate):
        c.resign(NODE)
    assert c.seats(POOL) == 0 and not member(w, candidate)[3]
