"""``sponsor``: a member co-sponsors a motion by its own transaction (§4). Only
members of the sponsoring body since before the proposal's block, once each,
within the sponsorship window."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import boa
import pytest
from eth_account.signers.local import LocalAccount

from tests.contracts.helpers import (
    AWAITING_STAGE,
    NODE,
    REPLENISH_NODE_ALTERNATES,
    REPLENISH_SUPER_ALTERNATES,
    SPONSORING,
    World,
    args,
    key,
    next_block,
)
from tests.contracts.unitary.motions._util import (
    NO_HASH,
    events,
    now,
    open_node_stage,
    register,
    resign,
    reverts_unchanged,
    sponsor,
    warp_to,
)

NOT_GATHERING = "sponsorships: the motion is not gathering sponsors"
WINDOW_CLOSED = "sponsorships: the sponsorship window has closed"
NOT_IN_BODY = "sponsorships: sponsor is not in the sponsoring body"
JOINED_AFTER = "sponsorships: sponsor joined after the motion was proposed"
ALREADY = "sponsorships: already sponsored"

Pool = tuple[World, list[LocalAccount]]


def _node_motion(w: World) -> int:
    """REPLENISH_SUPER_ALTERNATES by node 29: 10% of the nodes sponsor."""
    n = [x.address for x in w.nodes]
    return w.propose(n[29], REPLENISH_SUPER_ALTERNATES, args(n[24:27]))


def _pool_motion(w: World, cands: list[LocalAccount]) -> int:
    """REPLENISH_NODE_ALTERNATES by candidate 19: 10% of the candidate pool sponsor."""
    named = args([c.address for c in cands[:5]])
    return w.propose(cands[19].address, REPLENISH_NODE_ALTERNATES, named)


@contextmanager
def _refused(w: World, motion_id: int, who: str, reason: str) -> Iterator[None]:
    """Reverts with ``reason``; neither the round nor ``who``'s receipt changes."""
    round_before = w.council.sponsorship(motion_id)
    with reverts_unchanged(w, reason):
        yield
    assert w.council.sponsorship(motion_id) == round_before
    assert not w.council.has_sponsored(motion_id, who)


def _try(w: World, motion_id: int, who: str, reason: str) -> None:
    with _refused(w, motion_id, who, reason):
        sponsor(w, motion_id, [who])


# RECORDED #


def test_sponsor__node__is_recorded(world: World) -> None:
    w = world
    motion_id = _node_motion(w)
    who = w.nodes[3].address

    sponsor(w, motion_id, [who])

    (e,) = events(w.council, "Sponsored")
    assert (e.motion_id, e.sponsor, e.member_id, e.sponsors) == (
        motion_id,
        who,
        w.council.member(who)[0],
        1,
    )
    assert events(w.council, "SponsorshipReached") == []
    assert w.council.has_sponsored(motion_id, who)
    assert w.council.sponsorship(motion_id).sponsors == 1
    assert w.motions.motion_status(motion_id) == SPONSORING


def test_sponsor__threshold_reached__awaits_stage_1(world: World) -> None:
    w = world
    motion_id = _node_motion(w)
    sponsor(w, motion_id, [w.nodes[i].address for i in (3, 24, 28)])

    (reached,) = events(w.council, "SponsorshipReached")
    assert (reached.motion_id, reached.sponsors, reached.threshold) == (motion_id, 3, 3)
    s = w.council.sponsorship(motion_id)
    assert (s.sponsors, s.reached_at) == (3, now())
    assert w.motions.motion_status(motion_id) == AWAITING_STAGE


def test_sponsor__one_short_of_threshold__still_sponsoring(world: World) -> None:
    w = world
    motion_id = _node_motion(w)
    sponsor(w, motion_id, [w.nodes[i].address for i in (3, 24)])
    assert w.council.sponsorship(motion_id).reached_at == 0
    assert w.motions.motion_status(motion_id) == SPONSORING


def test_sponsor__candidate__is_recorded_for_a_pool_motion(pool_world: Pool) -> None:
    w, cands = pool_world
    motion_id = _pool_motion(w, cands)
    sponsor(w, motion_id, [cands[7].address])
    assert w.council.has_sponsored(motion_id, cands[7].address)
    assert w.council.sponsorship(motion_id).sponsors == 1


def test_sponsor__at_the_deadline__is_recorded(world: World) -> None:
    w = world
    motion_id = _node_motion(w)
    warp_to(w.council.sponsorship(motion_id).deadline)
    sponsor(w, motion_id, [w.nodes[3].address])
    assert w.council.sponsorship(motion_id).sponsors == 1


# REFUSED #


def test_sponsor__stranger__not_in_body(world: World) -> None:
    w = world
    _try(w, _node_motion(w), key("stranger").address, NOT_IN_BODY)


def test_sponsor__candidate_on_a_node_motion__not_in_body(pool_world: Pool) -> None:
    w, cands = pool_world
    _try(w, _node_motion(w), cands[3].address, NOT_IN_BODY)


def test_sponsor__node_on_a_pool_motion__not_in_body(pool_world: Pool) -> None:
    w, cands = pool_world
    _try(w, _pool_motion(w, cands), w.nodes[3].address, NOT_IN_BODY)


def test_sponsor__node_who_resigned__not_in_body(world: World) -> None:
    w = world
    motion_id = _node_motion(w)
    resign(w, w.nodes[27].address, NODE)
    _try(w, motion_id, w.nodes[27].address, NOT_IN_BODY)


def test_sponsor__candidate_who_withdrew__not_in_body(pool_world: Pool) -> None:
    w, cands = pool_world
    motion_id = _pool_motion(w, cands)
    with boa.env.prank(cands[8].address):
        w.council.withdraw_candidacy()
    _try(w, motion_id, cands[8].address, NOT_IN_BODY)


@pytest.mark.parametrize("later", [False, True], ids=["same block", "later block"])
def test_sponsor__node_seated_after_the_proposal__joined_after(
    genesis_world: World, later: bool
) -> None:
    w = genesis_world
    motion_id = _node_motion(w)
    if later:
        next_block()
    newcomer = key("new node").address
    with boa.env.prank(w.admin):
        w.council.nominate(newcomer, "newcomer", NO_HASH)
    next_block()
    _try(w, motion_id, newcomer, JOINED_AFTER)


@pytest.mark.parametrize("later", [False, True], ids=["same block", "later block"])
def test_sponsor__candidate_registered_after_the_proposal__joined_after(
    pool_world: Pool, later: bool
) -> None:
    w, cands = pool_world
    motion_id = _pool_motion(w, cands)
    if later:
        next_block()
    newcomer = key("new candidate")
    register(w, [newcomer])
    next_block()
    _try(w, motion_id, newcomer.address, JOINED_AFTER)


def test_sponsor__twice__already_sponsored(world: World) -> None:
    w = world
    motion_id = _node_motion(w)
    who = w.nodes[3].address
    sponsor(w, motion_id, [who])
    before = w.council.sponsorship(motion_id)

    with reverts_unchanged(w, ALREADY):
        sponsor(w, motion_id, [who])
    assert w.council.sponsorship(motion_id) == before


def test_sponsor__after_the_deadline__window_closed(world: World) -> None:
    w = world
    motion_id = _node_motion(w)
    warp_to(w.council.sponsorship(motion_id).deadline + 1)
    _try(w, motion_id, w.nodes[3].address, WINDOW_CLOSED)


def test_sponsor__motion_without_sponsorship__not_gathering(world: World) -> None:
    w = world
    motion_id = open_node_stage(w, w.nodes[29].address)
    _try(w, motion_id, w.nodes[3].address, NOT_GATHERING)


@pytest.mark.parametrize("motion_id", [0, 999])
def test_sponsor__no_such_motion__not_gathering(world: World, motion_id: int) -> None:
    w = world
    _try(w, motion_id, w.nodes[3].address, NOT_GATHERING)
