"""``motion_status``: the status machine derived from the stages and the clock
(§4): 1 sponsoring, 2 voting, 3 passed, 4 executed, 5 failed, 6 lapsed,
7 awaiting its next stage; 0 for no motion."""

from __future__ import annotations

import pytest

from tests.contracts.helpers import (
    ABSTAIN,
    AGAINST,
    AWAITING_STAGE,
    DAY,
    EXECUTED,
    FAILED,
    LAPSED,
    PASSED,
    REPLENISH_SUPER_ALTERNATES,
    SET_PARAMETERS,
    SPONSORING,
    VOTING,
    World,
    args,
)
from tests.contracts.unitary.motions._util import (
    VOTING_PERIOD,
    gather,
    open_node_stage,
    sponsor,
    sponsors_of,
    stranger,
    vote,
    vote_for,
    voters,
    warp_to,
)

PARAMS = args(numbers=[VOTING_PERIOD, 2 * DAY])


def _status(w: World, motion_id: int) -> int:
    status: int = w.motions.motion_status(motion_id)
    return status


@pytest.mark.parametrize("motion_id", [0, 2, 2**256 - 1])
def test_motion_status__no_such_motion__is_0(world: World, motion_id: int) -> None:
    assert _status(world, motion_id) == 0


def test_motion_status__two_stage_motion__voting_awaiting_voting_passed_executed(
    world: World,
) -> None:
    w = world
    motion_id = w.propose(w.nodes[0].address, SET_PARAMETERS, PARAMS)
    seen = [_status(w, motion_id)]
    vote_for(w, w.stage_of(motion_id, 1))
    seen.append(_status(w, motion_id))
    w.motions.advance(motion_id)
    seen.append(_status(w, motion_id))
    vote_for(w, w.stage_of(motion_id, 2))
    seen.append(_status(w, motion_id))
    w.motions.execute(motion_id, PARAMS)
    seen.append(_status(w, motion_id))
    assert seen == [VOTING, AWAITING_STAGE, VOTING, PASSED, EXECUTED]


def test_motion_status__sponsored_motion__sponsoring_awaiting_voting_passed_executed(
    world: World,
) -> None:
    w = world
    n = [x.address for x in w.nodes]
    motion_args = args(n[24:27])
    motion_id = w.propose(n[29], REPLENISH_SUPER_ALTERNATES, motion_args)
    seen = [_status(w, motion_id)]
    gather(w, motion_id)
    seen.append(_status(w, motion_id))
    w.motions.advance(motion_id)
    seen.append(_status(w, motion_id))
    vote_for(w, w.stage_of(motion_id))
    seen.append(_status(w, motion_id))
    w.motions.execute(motion_id, motion_args)
    seen.append(_status(w, motion_id))
    assert seen == [SPONSORING, AWAITING_STAGE, VOTING, PASSED, EXECUTED]


# FAILED #


@pytest.mark.parametrize(("no_votes", "status"), [(9, VOTING), (10, FAILED)])
@pytest.mark.parametrize("choice", [AGAINST, ABSTAIN])
def test_motion_status__threshold_out_of_reach__failed_at_once(
    world: World, no_votes: int, status: int, choice: int
) -> None:
    w = world
    motion_id = open_node_stage(w, w.nodes[29].address)  # 21 of 30: 10 noes decide it
    stage = w.stage_of(motion_id)
    vote(w, stage, voters(w, stage)[:no_votes], choice)
    assert _status(w, motion_id) == status


def test_motion_status__against_and_abstain_together__failed(world: World) -> None:
    w = world
    motion_id = open_node_stage(w, w.nodes[29].address)
    stage = w.stage_of(motion_id)
    who = voters(w, stage)
    vote(w, stage, who[:5], AGAINST)
    vote(w, stage, who[5:9], ABSTAIN)
    assert _status(w, motion_id) == VOTING
    vote(w, stage, who[9:10], ABSTAIN)
    assert _status(w, motion_id) == FAILED


@pytest.mark.parametrize(("delay", "status"), [(0, VOTING), (1, FAILED)])
def test_motion_status__deadline_passed_unmet__failed(
    world: World, delay: int, status: int
) -> None:
    w = world
    motion_id = open_node_stage(w, w.nodes[29].address)
    stage = w.stage_of(motion_id)
    vote_for(w, stage, 20)
    warp_to(w.council.stage(stage).deadline + delay)
    assert _status(w, motion_id) == status


def test_motion_status__stage_2_against_majority__failed(world: World) -> None:
    w = world
    motion_id = w.propose(w.nodes[0].address, SET_PARAMETERS, PARAMS)
    vote_for(w, w.stage_of(motion_id, 1))
    stage_2 = w.motions.advance(motion_id)
    vote(w, stage_2, voters(w, stage_2)[:15], AGAINST)  # 15 + 16 > 30
    assert _status(w, motion_id) == FAILED


def test_motion_status__stage_1_failed__two_stage_motion_failed(world: World) -> None:
    w = world
    motion_id = w.propose(w.nodes[0].address, SET_PARAMETERS, PARAMS)
    stage_1 = w.stage_of(motion_id, 1)
    vote(w, stage_1, voters(w, stage_1)[:11], AGAINST)  # 11 + 11 > 21
    assert _status(w, motion_id) == FAILED


# DECIDED STAGES STAY DECIDED #


def test_motion_status__passed_then_against_votes__stays_passed(world: World) -> None:
    w = world
    motion_id = open_node_stage(w, w.nodes[29].address)
    stage = w.stage_of(motion_id)
    vote_for(w, stage)
    vote(w, stage, voters(w, stage)[21:], AGAINST)  # voting stays open until the deadline
    assert _status(w, motion_id) == PASSED


def test_motion_status__passed__stays_passed_after_the_stage_deadline(world: World) -> None:
    w = world
    motion_id = open_node_stage(w, w.nodes[29].address)
    stage = w.stage_of(motion_id)
    vote_for(w, stage)
    warp_to(w.council.stage(stage).deadline + 1)
    assert _status(w, motion_id) == PASSED


# LAPSED #


@pytest.mark.parametrize(("delay", "status"), [(0, SPONSORING), (1, LAPSED)])
def test_motion_status__sponsors_not_gathered_by_the_deadline__lapsed(
    world: World, delay: int, status: int
) -> None:
    w = world
    n = [x.address for x in w.nodes]
    motion_id = w.propose(n[29], REPLENISH_SUPER_ALTERNATES, args(n[24:27]))
    sponsor(w, motion_id, sponsors_of(w, motion_id)[:2])
    warp_to(w.council.sponsorship(motion_id).deadline + delay)
    assert _status(w, motion_id) == status


@pytest.mark.parametrize(("delay", "status"), [(0, AWAITING_STAGE), (1, LAPSED)])
def test_motion_status__sponsored_not_advanced__lapsed_after_execution_window(
    world: World, delay: int, status: int
) -> None:
    w = world
    n = [x.address for x in w.nodes]
    motion_id = w.propose(n[29], REPLENISH_SUPER_ALTERNATES, args(n[24:27]))
    gather(w, motion_id)
    warp_to(w.council.sponsorship(motion_id).reached_at + 7 * DAY + delay)
    assert _status(w, motion_id) == status


@pytest.mark.parametrize(("delay", "status"), [(0, AWAITING_STAGE), (1, LAPSED)])
def test_motion_status__stage_2_not_opened__lapsed_after_execution_window(
    world: World, delay: int, status: int
) -> None:
    w = world
    motion_id = w.propose(w.nodes[0].address, SET_PARAMETERS, PARAMS)
    vote_for(w, w.stage_of(motion_id, 1))
    warp_to(w.council.stage(w.stage_of(motion_id, 1)).passed_at + 7 * DAY + delay)
    assert _status(w, motion_id) == status


@pytest.mark.parametrize(("delay", "status"), [(0, PASSED), (1, LAPSED)])
def test_motion_status__passed_not_executed__lapsed_after_execution_window(
    world: World, delay: int, status: int
) -> None:
    w = world
    motion_id = open_node_stage(w, w.nodes[29].address)
    vote_for(w, w.stage_of(motion_id))
    warp_to(w.council.stage(w.stage_of(motion_id)).passed_at + 7 * DAY + delay)
    assert _status(w, motion_id) == status


def test_motion_status__executed__stays_executed_forever(world: World) -> None:
    w = world
    motion_id = open_node_stage(w, w.nodes[29].address)
    vote_for(w, w.stage_of(motion_id))
    w.motions.execute(motion_id, args([stranger("new admin")]))
    warp_to(w.council.stage(w.stage_of(motion_id)).passed_at + 365 * DAY)
    assert _status(w, motion_id) == EXECUTED
