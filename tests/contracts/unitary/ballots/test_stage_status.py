"""``stage_status``: open, passed early, failed early, failed at the deadline (§4).

The stage under test is SET_PARAMETERS stage 1: 51% of 21 super nodes = 11.
"""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import ABSTAIN, AGAINST, FOR, World
from tests.contracts.unitary.ballots._util import (
    NONE,
    OPEN,
    STAGE_FAILED,
    STAGE_PASSED,
    events,
    now,
    open_super_stages,
    stage_id,
    warp_to,
)


@pytest.fixture
def stage(world: World) -> int:
    s: int = open_super_stages(world, [world.supers[0]])[0]
    return s


def _vote(w: World, voter: str, stage: int, choice: int) -> list[object]:
    """Votes and returns the ballots module's StagePassed/StageFailed logs of the call."""
    with boa.env.prank(voter):
        w.council.vote(stage, choice)
    return events(w.council, "StagePassed") + events(w.council, "StageFailed")


def test_stage_status__no_such_stage__is_0(world: World) -> None:
    assert world.council.stage_status(stage_id(40, 1)) == NONE
    assert world.council.stage_status(0) == NONE


def test_stage_status__just_opened__is_open(world: World, stage: int) -> None:
    s = world.council.stage(stage)
    assert (s.electorate, s.threshold, s.passed_at) == (21, 11, 0)
    assert world.council.stage_status(stage) == OPEN


def test_stage_status__for_reaches_threshold__passes_early_with_event(
    world: World, stage: int
) -> None:
    w = world
    for k in w.supers[:10]:
        assert _vote(w, k.address, stage, FOR) == []
    assert w.council.stage_status(stage) == OPEN

    decided = _vote(w, w.supers[10].address, stage, FOR)

    motion_id = w.council.stage(stage).motion_id
    assert len(decided) == 1
    (passed,) = decided
    assert type(passed).__name__ == "StagePassed"
    assert (passed.stage_id, passed.motion_id) == (stage, motion_id)
    assert (passed.votes_for, passed.threshold) == (11, 11)
    assert w.council.stage_status(stage) == STAGE_PASSED
    assert w.council.stage(stage).passed_at == now()
    assert now() < w.council.stage(stage).deadline


def test_stage_status__against_and_abstain_make_threshold_unreachable__fails_early(
    world: World, stage: int
) -> None:
    w = world
    # 21 - 11 = 10 "no" ballots still leave 11 possible For: open.
    for k in w.supers[:6]:
        assert _vote(w, k.address, stage, AGAINST) == []
    for k in w.supers[6:10]:
        assert _vote(w, k.address, stage, ABSTAIN) == []
    assert w.council.stage_status(stage) == OPEN

    decided = _vote(w, w.supers[10].address, stage, ABSTAIN)

    (failed,) = decided
    assert type(failed).__name__ == "StageFailed"
    assert (failed.stage_id, failed.motion_id) == (stage, w.council.stage(stage).motion_id)
    assert (failed.votes_against, failed.votes_abstain, failed.threshold) == (6, 5, 11)
    assert w.council.stage_status(stage) == STAGE_FAILED
    assert w.council.stage(stage).passed_at == 0


def test_stage_status__for_ballots_never_fail_a_stage(world: World, stage: int) -> None:
    w = world
    w.vote(w.supers[:10], stage, AGAINST)
    assert _vote(w, w.supers[10].address, stage, FOR) == []
    assert w.council.stage_status(stage) == OPEN


def test_stage_status__unmet_at_deadline__open_until_it_then_failed(
    world: World, stage: int
) -> None:
    w = world
    w.vote(w.supers[:10], stage, FOR)
    w.vote(w.supers[10:20], stage, AGAINST)
    deadline = w.council.stage(stage).deadline

    warp_to(deadline)
    assert w.council.stage_status(stage) == OPEN
    warp_to(deadline + 1)
    assert w.council.stage_status(stage) == STAGE_FAILED


def test_stage_status__nobody_votes__failed_after_deadline(world: World, stage: int) -> None:
    w = world
    warp_to(w.council.stage(stage).deadline + 1)
    assert w.council.stage_status(stage) == STAGE_FAILED


def test_stage_status__passed__stays_passed_after_deadline(world: World, stage: int) -> None:
    w = world
    w.vote(w.supers[:11], stage, FOR)
    warp_to(w.council.stage(stage).deadline + 1)
    assert w.council.stage_status(stage) == STAGE_PASSED


def test_stage_status__after_passing__tallies_keep_counting_no_second_event(
    world: World, stage: int
) -> None:
    w = world
    w.vote(w.supers[:11], stage, FOR)
    passed_at = w.council.stage(stage).passed_at
    warp_to(now() + 3_600)

    assert _vote(w, w.supers[11].address, stage, FOR) == []
    for k in w.supers[12:21]:
        assert _vote(w, k.address, stage, AGAINST) == []

    s = w.council.stage(stage)
    assert (s.votes_for, s.votes_against, s.votes_abstain) == (12, 9, 0)
    assert s.passed_at == passed_at
    assert w.council.stage_status(stage) == STAGE_PASSED


def test_stage_status__after_failing__tallies_keep_counting_no_second_event(
    world: World, stage: int
) -> None:
    w = world
    w.vote(w.supers[:11], stage, AGAINST)
    assert w.council.stage_status(stage) == STAGE_FAILED

    assert _vote(w, w.supers[11].address, stage, ABSTAIN) == []
    for k in w.supers[12:21]:
        assert _vote(w, k.address, stage, FOR) == []

    s = w.council.stage(stage)
    assert (s.votes_for, s.votes_against, s.votes_abstain) == (9, 11, 1)
    assert s.passed_at == 0
    assert w.council.stage_status(stage) == STAGE_FAILED


def test_stage_status__only_for_counts__abstentions_do_not_help_pass(
    world: World, stage: int
) -> None:
    w = world
    w.vote(w.supers[:10], stage, FOR)
    w.vote(w.supers[10:20], stage, ABSTAIN)
    assert w.council.stage_status(stage) == OPEN
    assert w.council.stage(stage).passed_at == 0
