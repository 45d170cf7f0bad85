"""``advance``: opens a motion's next stage — stage 1 once its sponsors are
gathered, stage 2 once stage 1 has passed (§4) — within the execution window
of the step before. Permissionless."""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import (
    AGAINST,
    AWAITING_STAGE,
    DAY,
    LAPSED,
    NODE,
    REPLENISH_SUPER_ALTERNATES,
    SET_PARAMETERS,
    SUPER,
    VOTING,
    World,
    args,
)
from tests.contracts.unitary.motions._util import (
    ADVANCE_FIRST,
    ALREADY_EXECUTED,
    HAS_FAILED,
    HAS_LAPSED,
    HAS_PASSED,
    NO_MOTION,
    VOTING_PERIOD,
    events,
    gather,
    open_node_stage,
    pass_through,
    reject,
    reverts_unchanged,
    sponsor,
    sponsors_of,
    stranger,
    vote,
    vote_for,
    voters,
    warp_to,
)

PARAMS = args(numbers=[VOTING_PERIOD, 2 * DAY])


def _n(w: World) -> list[str]:
    return [x.address for x in w.nodes]


def _two_stage(w: World, proposer: int = 0) -> int:
    """SET_PARAMETERS: super 51% (11 of 21), then nodes 51% (16 of 30)."""
    return w.propose(w.nodes[proposer].address, SET_PARAMETERS, PARAMS)


def _sponsored(w: World, proposer: int = 29) -> int:
    """REPLENISH_SUPER_ALTERNATES: 10% of 30 nodes sponsor, then super 33% (7 of 21)."""
    n = _n(w)
    return w.propose(n[proposer], REPLENISH_SUPER_ALTERNATES, args(n[24:27]))


def _stage_1_passed(w: World) -> int:
    motion_id = _two_stage(w)
    vote_for(w, w.stage_of(motion_id, 1))
    assert w.motions.motion_status(motion_id) == AWAITING_STAGE
    return motion_id


@pytest.mark.parametrize("motion_id", [0, 2, 999])
def test_advance__no_such_motion__reverts(world: World, motion_id: int) -> None:
    w = world
    with reverts_unchanged(w, NO_MOTION):
        w.motions.advance(motion_id)


# STAGE 1 AFTER SPONSORSHIP #


@pytest.mark.parametrize("sponsors", [0, 2])
def test_advance__while_sponsoring__reverts_with_the_count(world: World, sponsors: int) -> None:
    w = world
    motion_id = _sponsored(w)
    sponsor(w, motion_id, sponsors_of(w, motion_id)[:sponsors])
    with reverts_unchanged(w, f"motions: sponsorship needs 3 of 30; {sponsors} so far"):
        w.motions.advance(motion_id)


def test_advance__while_sponsoring_126_nodes__reverts_with_the_count(roster_world: World) -> None:
    w = roster_world
    n = _n(w)
    motion_id = w.propose(n[100], REPLENISH_SUPER_ALTERNATES, args(n[40:43]))
    sponsor(w, motion_id, n[50:55])
    with reverts_unchanged(w, "motions: sponsorship needs 13 of 126; 5 so far"):
        w.motions.advance(motion_id)


def test_advance__sponsors_gathered__opens_stage_1(world: World) -> None:
    w = world
    motion_id = _sponsored(w)
    gather(w, motion_id)
    with boa.env.prank(stranger("keeper")):
        stage_id = w.motions.advance(motion_id)

    (opened,) = events(w.motions, "StageOpened")
    assert (opened.stage_id, opened.motion_id, opened.chamber) == (stage_id, motion_id, SUPER)
    assert (opened.electorate, opened.threshold) == (21, 7)
    assert w.motions.motion(motion_id).stage1 == stage_id
    assert w.motions.motion(motion_id).stage2 == 0
    assert w.motions.motion_status(motion_id) == VOTING


def test_advance__sponsors_gathered_then_advanced__cannot_advance_again(world: World) -> None:
    w = world
    motion_id = _sponsored(w)
    gather(w, motion_id)
    w.motions.advance(motion_id)
    with reverts_unchanged(w, "motions: stage 1 needs 7 of 21 super nodes; 0 voted for"):
        w.motions.advance(motion_id)


@pytest.mark.parametrize(("delay", "opens"), [(0, True), (1, False)])
def test_advance__sponsors_gathered__within_the_execution_window(
    world: World, delay: int, opens: bool
) -> None:
    w = world
    motion_id = _sponsored(w)
    gather(w, motion_id)
    reached = w.council.sponsorship(motion_id).reached_at
    warp_to(reached + 7 * DAY + delay)
    if opens:
        assert w.motions.motion_status(motion_id) == AWAITING_STAGE
        assert w.motions.advance(motion_id) != 0
    else:
        assert w.motions.motion_status(motion_id) == LAPSED
        with reverts_unchanged(w, HAS_LAPSED):
            w.motions.advance(motion_id)


def test_advance__sponsorship_deadline_passed__lapsed(world: World) -> None:
    w = world
    motion_id = _sponsored(w)
    sponsor(w, motion_id, sponsors_of(w, motion_id)[:2])
    warp_to(w.council.sponsorship(motion_id).deadline + 1)
    with reverts_unchanged(w, HAS_LAPSED):
        w.motions.advance(motion_id)


# STAGE 2 AFTER STAGE 1 #


@pytest.mark.parametrize("votes", [0, 9, 10])
def test_advance__stage_1_not_passed__reverts_with_the_tally(world: World, votes: int) -> None:
    w = world
    motion_id = _two_stage(w)
    vote_for(w, w.stage_of(motion_id, 1), votes)
    with reverts_unchanged(w, f"motions: stage 1 needs 11 of 21 super nodes; {votes} voted for"):
        w.motions.advance(motion_id)


def test_advance__one_stage_motion_voting__reverts_with_the_tally(world: World) -> None:
    w = world
    motion_id = open_node_stage(w, w.nodes[29].address)
    vote_for(w, w.stage_of(motion_id), 20)
    with reverts_unchanged(w, "motions: stage 1 needs 21 of 30 nodes; 20 voted for"):
        w.motions.advance(motion_id)


def test_advance__stage_1_passed__opens_stage_2(world: World) -> None:
    w = world
    motion_id = _stage_1_passed(w)
    with boa.env.prank(stranger("keeper")):
        stage_id = w.motions.advance(motion_id)

    (opened,) = events(w.motions, "StageOpened")
    assert (opened.stage_id, opened.motion_id, opened.chamber) == (stage_id, motion_id, NODE)
    assert (opened.electorate, opened.threshold) == (30, 16)
    m = w.motions.motion(motion_id)
    assert (m.stage1 != 0, m.stage2) == (True, stage_id)
    assert w.motions.motion_status(motion_id) == VOTING


@pytest.mark.parametrize("votes", [0, 15])
def test_advance__stage_2_voting__reverts_with_the_tally(world: World, votes: int) -> None:
    w = world
    motion_id = _stage_1_passed(w)
    stage_2 = w.motions.advance(motion_id)
    vote_for(w, stage_2, votes)
    with reverts_unchanged(w, f"motions: stage 2 needs 16 of 30 nodes; {votes} voted for"):
        w.motions.advance(motion_id)


@pytest.mark.parametrize(("delay", "opens"), [(0, True), (1, False)])
def test_advance__stage_2__within_the_execution_window_after_stage_1(
    world: World, delay: int, opens: bool
) -> None:
    w = world
    motion_id = _stage_1_passed(w)
    passed_at = w.council.stage(w.stage_of(motion_id, 1)).passed_at
    warp_to(passed_at + 7 * DAY + delay)
    if opens:
        assert w.motions.advance(motion_id) != 0
        assert w.motions.motion_status(motion_id) == VOTING
    else:
        assert w.motions.motion_status(motion_id) == LAPSED
        with reverts_unchanged(w, HAS_LAPSED):
            w.motions.advance(motion_id)


def test_advance__stage_1_failed__reverts(world: World) -> None:
    w = world
    motion_id = _two_stage(w)
    reject(w, w.stage_of(motion_id, 1))
    with reverts_unchanged(w, HAS_FAILED):
        w.motions.advance(motion_id)


def test_advance__stage_1_deadline_passed_unmet__reverts_failed(world: World) -> None:
    w = world
    motion_id = _two_stage(w)
    stage_1 = w.stage_of(motion_id, 1)
    vote_for(w, stage_1, 10)
    warp_to(w.council.stage(stage_1).deadline + 1)
    with reverts_unchanged(w, HAS_FAILED):
        w.motions.advance(motion_id)


def test_advance__stage_2_failed__reverts(world: World) -> None:
    w = world
    motion_id = _stage_1_passed(w)
    stage_2 = w.motions.advance(motion_id)
    vote(w, stage_2, voters(w, stage_2)[:15], AGAINST)  # 15 + 16 > 30
    with reverts_unchanged(w, HAS_FAILED):
        w.motions.advance(motion_id)


def test_advance__passed__reverts_execute_it(world: World) -> None:
    w = world
    motion_id = _two_stage(w)
    pass_through(w, motion_id)
    with reverts_unchanged(w, HAS_PASSED):
        w.motions.advance(motion_id)


def test_advance__executed__reverts(world: World) -> None:
    w = world
    motion_id = _two_stage(w)
    pass_through(w, motion_id)
    w.motions.execute(motion_id, PARAMS)
    with reverts_unchanged(w, ALREADY_EXECUTED):
        w.motions.advance(motion_id)


def test_advance__awaiting__message_for_execute_names_advance(world: World) -> None:
    w = world
    motion_id = _stage_1_passed(w)
    with reverts_unchanged(w, ADVANCE_FIRST):
        w.motions.execute(motion_id, PARAMS)
