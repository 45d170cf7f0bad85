"""``refill``: vacancies are filled from the alternate queues, in order;
anyone may seat the head; heads no longer eligible (banned, already seated,
a withdrawn candidate, a super alternate who lost the node seat) are
skipped and dropped (§3)."""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import (
    DAY,
    NODE,
    POOL,
    REPLACE_NODE,
    REPLACE_SUPER_NODE,
    SUPER,
    World,
    args,
)
from tests.contracts.unitary.council._util import (
    BAD_CHAMBER,
    DROP_LEFT_QUEUE,
    DROP_NOT_ELIGIBLE,
    MAX_DROPS,
    addresses,
    candidates,
    enqueue_as_engine,
    events,
    forfeit_seat,
    member,
    now,
    pass_motion,
    queue,
    replenish_node_alternates,
    reverts_unchanged,
    snapshot,
    stranger,
)

NOT_ELIGIBLE_TO_QUEUE = "council: not eligible as an alternate of that chamber"


def _dropped(c: object) -> list[tuple[str, int, int]]:
    return [(e.member, e.chamber, e.reason) for e in events(c, "QueueHeadDropped")]


def _seated(c: object) -> list[tuple[str, int, int]]:
    return [(e.member, e.chamber, e.seats) for e in events(c, "Seated")]


# NOTHING TO DO #


@pytest.mark.parametrize("chamber", [2, 3, 2**256 - 1])
def test_refill__unknown_chamber__reverts(partial_world: World, chamber: int) -> None:
    w = partial_world
    with reverts_unchanged(w, BAD_CHAMBER), boa.env.prank(stranger()):
        w.council.refill(chamber)


@pytest.mark.parametrize("chamber", [NODE, SUPER])
def test_refill__empty_queue__seats_nobody(genesis_world: World, chamber: int) -> None:
    w = genesis_world
    before = snapshot(w)
    with boa.env.prank(stranger()):
        assert w.council.refill(chamber) == 0
    assert events(w.council, "Seated") == [] and snapshot(w) == before


def test_refill__super_chamber_full__seats_nobody_and_keeps_the_queue(world: World) -> None:
    w = world
    before = snapshot(w, addresses(w.nodes[21:24]))
    with boa.env.prank(stranger()):
        assert w.council.refill(SUPER) == 0
    assert snapshot(w, addresses(w.nodes[21:24])) == before
    assert queue(w, SUPER) == addresses(w.nodes[21:24])


def test_refill__node_chamber_full__seats_nobody_and_keeps_the_queue(full_world: World) -> None:
    w = full_world
    enqueue_as_engine(w, NODE, candidates(2))
    before = snapshot(w, candidates(2))
    with boa.env.prank(stranger()):
        assert w.council.refill(NODE) == 0
    assert snapshot(w, candidates(2)) == before


# IN ORDER #


@pytest.mark.parametrize("caller", ["stranger", "admin", "node", "alternate"])
def test_refill__free_super_seats__heads_seated_in_order(partial_world: World, caller: str) -> None:
    w, c = partial_world, partial_world.council
    who = {
        "stranger": stranger(),
        "admin": w.admin,
        "node": w.nodes[29].address,
        "alternate": w.nodes[23].address,
    }[caller]
    with boa.env.prank(who):
        assert c.refill(SUPER) == 2
    alternates = addresses(w.nodes[19:24])
    assert _seated(c) == [(alternates[0], SUPER, 20), (alternates[1], SUPER, 21)]
    assert c.seats(SUPER) == 21
    assert queue(w, SUPER) == alternates[2:]
    assert [c.is_queued(a, SUPER) for a in alternates] == [False, False, True, True, True]
    assert all(member(w, a)[2] for a in alternates[:2])


def test_refill__second_call_with_no_free_seat__seats_nobody(partial_world: World) -> None:
    c = partial_world.council
    c.refill(SUPER)
    assert c.refill(SUPER) == 0
    assert c.queue_length(SUPER) == 3


def test_refill__through_replenish_motion__queued_in_order_and_seated_in_order(
    full_world: World,
) -> None:
    """REPLENISH_NODE_ALTERNATES appends five candidates in the order given;
    vacancies then seat them in that order."""
    w, c = full_world, full_world.council
    proposer, *five = candidates(6)
    sponsors = candidates(8)[6:]
    five = five[::-1]  # the order of the motion, not of registration
    replenish_node_alternates(w, proposer, five, sponsors)
    assert queue(w, NODE) == five
    for i, k in enumerate(w.nodes[400:405]):
        with boa.env.prank(k.address):
            c.resign(NODE)
        assert _seated(c) == [(five[i], NODE, 500)]
    assert c.queue_length(NODE) == 0 and c.seats(POOL) == 15


# INELIGIBLE HEADS: SUPER QUEUE #


def test_refill__super_alternate_who_lost_the_node_seat__dropped(partial_world: World) -> None:
    w, c = partial_world, partial_world.council
    gone, *rest = addresses(w.nodes[19:24])
    with boa.env.prank(gone):
        c.resign(NODE)
    assert c.is_queued(gone, SUPER)  # still waiting, no longer eligible
    with boa.env.prank(stranger()):
        assert c.refill(SUPER) == 2
    assert _dropped(c) == [(gone, SUPER, DROP_NOT_ELIGIBLE)]
    assert _seated(c) == [(rest[0], SUPER, 20), (rest[1], SUPER, 21)]
    assert not c.is_queued(gone, SUPER) and not member(w, gone)[2]
    assert queue(w, SUPER) == rest[2:]


def test_refill__super_alternate_already_seated_by_replacement__dropped(
    partial_world: World,
) -> None:
    w, c = partial_world, partial_world.council
    promoted, *rest = addresses(w.nodes[19:24])
    w.pass_motion(w.nodes[0].address, REPLACE_SUPER_NODE, args([w.nodes[1].address, promoted]))
    assert member(w, promoted)[2] and not c.is_queued(promoted, SUPER)
    assert c.seats(SUPER) == 19
    with boa.env.prank(stranger()):
        assert c.refill(SUPER) == 2
    assert _dropped(c) == [(promoted, SUPER, DROP_LEFT_QUEUE)]
    assert _seated(c) == [(rest[0], SUPER, 20), (rest[1], SUPER, 21)]
    assert member(w, promoted)[2]  # still a super node, seated once


def test_refill__super_alternate_banned__never_seated(partial_world: World) -> None:
    """An alternate who took a super seat by replacement and forfeited it is
    banned from the super chamber: its old queue entry never seats it (§3, §11.9)."""
    w, c = partial_world, partial_world.council
    banned, *rest = addresses(w.nodes[19:24])
    w.pass_motion(w.nodes[0].address, REPLACE_SUPER_NODE, args([w.nodes[1].address, banned]))
    forfeit_seat(w, banned, SUPER, addresses(w.nodes[2:5]))
    assert _dropped(c) == [(banned, SUPER, DROP_LEFT_QUEUE)]
    assert _seated(c) == [(rest[0], SUPER, 19)]
    assert member(w, banned)[1:3] == (True, False)
    assert member(w, banned)[5] == now() + 90 * DAY
    with boa.env.prank(stranger()):
        assert c.refill(SUPER) == 2
    assert _seated(c) == [(rest[1], SUPER, 20), (rest[2], SUPER, 21)]
    assert not member(w, banned)[2]
    with boa.reverts(NOT_ELIGIBLE_TO_QUEUE):
        enqueue_as_engine(w, SUPER, [banned])


# INELIGIBLE HEADS: NODE QUEUE #


def test_refill__withdrawn_candidate__dropped(full_world: World) -> None:
    w, c = full_world, full_world.council
    withdrawn, eligible = candidates(2)
    enqueue_as_engine(w, NODE, [withdrawn, eligible])
    with boa.env.prank(withdrawn):
        c.withdraw_candidacy()
    with boa.env.prank(w.nodes[400].address):
        c.resign(NODE)
    assert _dropped(c) == [(withdrawn, NODE, DROP_NOT_ELIGIBLE)]
    assert _seated(c) == [(eligible, NODE, 500)]
    assert not member(w, withdrawn)[1] and not c.is_queued(withdrawn, NODE)


def test_refill__candidate_already_seated_by_replacement__dropped(full_world: World) -> None:
    w, c = full_world, full_world.council
    replaced_in, eligible = candidates(2)
    enqueue_as_engine(w, NODE, [replaced_in, eligible])
    pass_motion(w, w.nodes[0].address, REPLACE_NODE, args([w.nodes[400].address, replaced_in]))
    assert member(w, replaced_in)[1] and not c.is_queued(replaced_in, NODE)
    assert c.queue_length(NODE) == 2  # the stale entry is still counted
    with boa.env.prank(w.nodes[401].address):
        c.resign(NODE)
    assert _dropped(c) == [(replaced_in, NODE, DROP_LEFT_QUEUE)]
    assert _seated(c) == [(eligible, NODE, 500)]


def test_refill__candidate_banned_from_the_node_chamber__never_seated(full_world: World) -> None:
    w, c = full_world, full_world.council
    banned, first, second = candidates(3)
    enqueue_as_engine(w, NODE, [banned, first, second])
    pass_motion(w, w.nodes[0].address, REPLACE_NODE, args([w.nodes[400].address, banned]))
    forfeit_seat(w, banned, NODE, addresses(w.nodes[30:33]))
    assert _dropped(c) == [(banned, NODE, DROP_LEFT_QUEUE)]
    assert _seated(c) == [(first, NODE, 500)]
    assert member(w, banned)[1:4] == (False, False, True)
    assert member(w, banned)[4] == now() + 180 * DAY
    with boa.env.prank(w.nodes[401].address):
        c.resign(NODE)
    assert _seated(c) == [(second, NODE, 500)]
    assert not member(w, banned)[1]
    with boa.reverts(NOT_ELIGIBLE_TO_QUEUE):
        enqueue_as_engine(w, NODE, [banned])


# DROP BUDGET #


def test_refill__more_than_max_drops_ineligible_heads__next_call_continues(
    full_world: World,
) -> None:
    """One refill drops at most 16 ineligible heads; the seat stays free and
    a later ``refill`` by anyone carries on from where it stopped."""
    w, c = full_world, full_world.council
    *withdrawn, eligible = candidates(MAX_DROPS + 2)
    enqueue_as_engine(w, NODE, [*withdrawn, eligible])
    for a in withdrawn:
        with boa.env.prank(a):
            c.withdraw_candidacy()
    with boa.env.prank(w.nodes[400].address):
        c.resign(NODE)
    assert [d[0] for d in _dropped(c)] == withdrawn[:MAX_DROPS]
    assert _seated(c) == []
    assert c.seats(NODE) == 499 and queue(w, NODE) == [withdrawn[-1], eligible]
    with boa.env.prank(stranger()):
        assert c.refill(NODE) == 1
    assert _dropped(c) == [(withdrawn[-1], NODE, DROP_NOT_ELIGIBLE)]
    assert _seated(c) == [(eligible, NODE, 500)]
    assert c.queue_length(NODE) == 0
