"""Motion spam aimed at attendance (§6: three consecutive misses in a chamber
lose the seat). What bounds a flood: one live motion per proposer, only
members propose, sponsored kinds open no stage until 10% of their body
sponsors, and every stage gives the full voting period. A member voting in
one of every three stages of a flood — all its ballots relayed in one
transaction — keeps its seat; one that votes in none loses it.

Covered elsewhere: test_propose__while_own_motion_is_live__reverts,
test_propose__after_own_motion_ended__succeeds (motions/test_propose.py);
the forfeiture rules themselves — tests/contracts/unitary/ballots/test_forfeit.py.
"""

from __future__ import annotations

import boa
import pytest

from tests.contracts.attacks._attack import stage_state
from tests.contracts.helpers import (
    FOR,
    NODE,
    REPLACE_ADMIN,
    REPLACE_NODE,
    REPLACE_SUPER_NODE,
    REPLENISH_NODE_ALTERNATES,
    REPLENISH_SUPER_ALTERNATES,
    SET_PARAMETERS,
    SPONSORING,
    SUPER,
    World,
    args,
    key,
    keys,
    make_world,
)
from tests.contracts.unitary.ballots._util import ballot, relay, warp_to

ONE_AT_A_TIME = "motions: the proposer already has a live motion (one at a time)"
VOTED = "attendance: member voted in one of the three stages"
VOTING_PERIOD = 1
DAY = 86_400


@pytest.fixture(scope="module")
def world() -> World:
    return make_world(n_nodes=30, n_supers=21, n_alternates=3)


def _counts(w: World) -> tuple[int, int, int]:
    return w.motions.motion_count(), w.council.stage_count(NODE), w.council.stage_count(SUPER)


def _admin_args() -> tuple:
    return args([key("new-admin").address])


def test_spam__a_proposer_with_a_live_motion__opens_nothing_more(world: World) -> None:
    w = world
    node, super_node = w.nodes[25].address, w.supers[0].address
    w.propose(node, REPLACE_ADMIN, _admin_args())
    w.propose(super_node, SET_PARAMETERS, args(numbers=[VOTING_PERIOD, 3 * DAY]))
    before = _counts(w)
    attempts = [
        (node, REPLACE_ADMIN, _admin_args()),
        (node, REPLACE_SUPER_NODE, args([w.supers[3].address, w.nodes[26].address])),
        (super_node, REPLACE_NODE, args([w.nodes[27].address, key("x").address])),
        (super_node, SET_PARAMETERS, args(numbers=[VOTING_PERIOD, 4 * DAY])),
    ]
    for proposer, kind, motion_args in attempts:
        with boa.reverts(ONE_AT_A_TIME), boa.env.prank(proposer):
            w.motions.propose(kind, motion_args)
    assert _counts(w) == before


def test_spam__strangers_and_candidates__open_no_stage(world: World) -> None:
    """Non-members cannot propose; candidates' motions (and nodes' sponsored
    ones) wait for 10% of their body and open no stage on their own."""
    w = world
    stranger = key("stranger").address
    with (
        boa.reverts("motions: only a seated node may propose this motion"),
        boa.env.prank(stranger),
    ):
        w.motions.propose(REPLACE_ADMIN, _admin_args())
    candidates = keys("spam-candidate", 12)
    for i, c in enumerate(candidates):
        with boa.env.prank(c.address):
            w.council.register_candidate(f"spam candidate {i}", b"\x00" * 32)
    boa.env.time_travel(blocks=1)
    stages_before = (w.council.stage_count(NODE), w.council.stage_count(SUPER))
    named = args([c.address for c in candidates[:5]])
    pool_motions = [w.propose(c.address, REPLENISH_NODE_ALTERNATES, named) for c in candidates]
    three = args([w.nodes[k].address for k in (24, 25, 26)])
    node_motions = [w.propose(n.address, REPLENISH_SUPER_ALTERNATES, three) for n in w.nodes[21:30]]
    assert (w.council.stage_count(NODE), w.council.stage_count(SUPER)) == stages_before
    assert {w.motions.motion_status(m) for m in pool_motions + node_motions} == {SPONSORING}
    # when the sponsor window passes unmet, they lapse, still without a stage
    warp_to(w.council.sponsorship(pool_motions[-1]).deadline + 1)
    assert (w.council.stage_count(NODE), w.council.stage_count(SUPER)) == stages_before


def test_spam__flood_from_every_node__one_vote_in_three_keeps_the_seat(world: World) -> None:
    """28 nodes each open a node-chamber stage in the same block (the most a
    flood can be: one per proposer). The target signs For in every third
    stage, relayed in one transaction, and no three consecutive stages can be
    cited against it; a node that voted in none is forfeited."""
    w = world
    target, absent = w.nodes[29], w.nodes[28]
    proposers = w.nodes[:28]
    opened_at = boa.env.evm.patch.timestamp
    stages = [w.stage_of(w.propose(p.address, REPLACE_ADMIN, _admin_args())) for p in proposers]
    period = w.council.voting_period()
    assert all(w.council.stage(s).deadline >= opened_at + period for s in stages)
    # every proposer is now live: a second flood is refused outright
    with boa.reverts(ONE_AT_A_TIME), boa.env.prank(proposers[0].address):
        w.motions.propose(REPLACE_ADMIN, _admin_args())
    boa.env.time_travel(blocks=1)
    mine = [ballot(target, w.council, s, FOR, w.council.stage(s).deadline) for s in stages[2::3]]
    assert relay(w.council.cast_ballots, mine)[0] == [0] * len(mine)
    warp_to(max(w.council.stage(s).deadline for s in stages) + 1)
    seqs = [w.council.stage(s).seq for s in stages]
    for first in seqs[:-2]:
        before = stage_state(w, stages[-1], [target.address])
        with boa.reverts(VOTED), boa.env.prank(key("keeper").address):
            w.council.forfeit(target.address, NODE, first)
        assert stage_state(w, stages[-1], [target.address]) == before
    assert w.council.member(target.address)[1]
    with boa.env.prank(key("keeper").address):
        w.council.forfeit(absent.address, NODE, seqs[0])
    assert not w.council.member(absent.address)[1]
