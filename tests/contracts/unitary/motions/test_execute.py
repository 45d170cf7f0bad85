"""``execute``: a motion whose every stage passed is executed by anyone with the
arguments it was proposed with, after its notice period and within its
execution window (§4), once."""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import (
    AGAINST,
    DAY,
    EXECUTED,
    LAPSED,
    PASSED,
    RATIFY_GENESIS_SUPER_NODES,
    REPLACE_ADMIN,
    REPLENISH_SUPER_ALTERNATES,
    SET_PARAMETERS,
    World,
    args,
)
from tests.contracts.unitary.motions._util import (
    ADVANCE_FIRST,
    ALREADY_EXECUTED,
    ARGS_DIFFER,
    EXECUTION_WINDOW,
    HAS_FAILED,
    HAS_LAPSED,
    NO_HASH,
    NO_MOTION,
    NOTICE,
    NOTICE_PERIOD,
    VOTING_PERIOD,
    MotionArgs,
    events,
    gather,
    pass_through,
    reject,
    reverts_unchanged,
    set_parameters,
    sponsor,
    sponsors_of,
    stranger,
    vote,
    vote_for,
    voters,
    warp_to,
)

PARAMS = args(numbers=[VOTING_PERIOD, 2 * DAY])


def _admin_args(label: str = "new admin") -> MotionArgs:
    return args([stranger(label)])


def _admin_motion(w: World, proposer: int = 29, label: str = "new admin") -> int:
    """REPLACE_ADMIN: one stage, nodes 67% (21 of 30)."""
    return w.propose(w.nodes[proposer].address, REPLACE_ADMIN, _admin_args(label))


def _passed_admin_motion(w: World, proposer: int = 29, label: str = "new admin") -> int:
    motion_id = _admin_motion(w, proposer, label)
    vote_for(w, w.stage_of(motion_id))
    assert w.motions.motion_status(motion_id) == PASSED
    return motion_id


def _passed_at(w: World, motion_id: int) -> int:
    m = w.motions.motion(motion_id)
    last = m.stage2 or m.stage1
    passed_at: int = w.council.stage(last).passed_at
    return passed_at


@pytest.mark.parametrize("motion_id", [0, 2, 999])
def test_execute__no_such_motion__reverts(world: World, motion_id: int) -> None:
    w = world
    with reverts_unchanged(w, NO_MOTION):
        w.motions.execute(motion_id, PARAMS)


# NOT YET PASSED #


def test_execute__one_stage_voting__reverts_with_the_tally(world: World) -> None:
    w = world
    motion_id = _admin_motion(w)
    vote_for(w, w.stage_of(motion_id), 20)
    with reverts_unchanged(w, "motions: stage 1 needs 21 of 30 nodes; 20 voted for"):
        w.motions.execute(motion_id, _admin_args())


def test_execute__two_stage_stage_1_voting__reverts_with_the_tally(world: World) -> None:
    w = world
    motion_id = w.propose(w.nodes[0].address, SET_PARAMETERS, PARAMS)
    vote_for(w, w.stage_of(motion_id), 9)
    with reverts_unchanged(w, "motions: stage 1 needs 11 of 21 super nodes; 9 voted for"):
        w.motions.execute(motion_id, PARAMS)


def test_execute__two_stage_stage_1_passed__reverts_advance_first(world: World) -> None:
    w = world
    motion_id = w.propose(w.nodes[0].address, SET_PARAMETERS, PARAMS)
    vote_for(w, w.stage_of(motion_id))
    with reverts_unchanged(w, ADVANCE_FIRST):
        w.motions.execute(motion_id, PARAMS)


def test_execute__two_stage_stage_2_voting__reverts_with_the_tally(world: World) -> None:
    w = world
    motion_id = w.propose(w.nodes[0].address, SET_PARAMETERS, PARAMS)
    vote_for(w, w.stage_of(motion_id))
    stage_2 = w.motions.advance(motion_id)
    vote_for(w, stage_2, 15)
    with reverts_unchanged(w, "motions: stage 2 needs 16 of 30 nodes; 15 voted for"):
        w.motions.execute(motion_id, PARAMS)


def test_execute__sponsoring__reverts_with_the_count(world: World) -> None:
    w = world
    n = [x.address for x in w.nodes]
    motion_args = args(n[24:27])
    motion_id = w.propose(n[29], REPLENISH_SUPER_ALTERNATES, motion_args)
    sponsor(w, motion_id, sponsors_of(w, motion_id)[:1])
    with reverts_unchanged(w, "motions: sponsorship needs 3 of 30; 1 so far"):
        w.motions.execute(motion_id, motion_args)


def test_execute__sponsors_gathered__reverts_advance_first(world: World) -> None:
    w = world
    n = [x.address for x in w.nodes]
    motion_args = args(n[24:27])
    motion_id = w.propose(n[29], REPLENISH_SUPER_ALTERNATES, motion_args)
    gather(w, motion_id)
    with reverts_unchanged(w, ADVANCE_FIRST):
        w.motions.execute(motion_id, motion_args)


def test_execute__stage_failed__reverts(world: World) -> None:
    w = world
    motion_id = _admin_motion(w)
    reject(w, w.stage_of(motion_id))
    with reverts_unchanged(w, HAS_FAILED):
        w.motions.execute(motion_id, _admin_args())


def test_execute__stage_2_failed__reverts(world: World) -> None:
    w = world
    motion_id = w.propose(w.nodes[0].address, SET_PARAMETERS, PARAMS)
    vote_for(w, w.stage_of(motion_id))
    stage_2 = w.motions.advance(motion_id)
    vote(w, stage_2, voters(w, stage_2)[:15], AGAINST)
    with reverts_unchanged(w, HAS_FAILED):
        w.motions.execute(motion_id, PARAMS)


# ARGUMENTS #


def _differing(w: World) -> dict[str, MotionArgs]:
    new = stranger("new admin")
    return {
        "another account": args([stranger("someone else")]),
        "an extra account": args([new, stranger("someone else")]),
        "an extra number": args([new], [0]),
        "an extra hash": args([new], hashes=[NO_HASH]),
        "an extra text": args([new], text=" "),
        "nothing": args(),
    }


@pytest.mark.parametrize(
    "case",
    [
        "another account",
        "an extra account",
        "an extra number",
        "an extra hash",
        "an extra text",
        "nothing",
    ],
)
def test_execute__different_args__reverts(world: World, case: str) -> None:
    w = world
    motion_id = _passed_admin_motion(w)
    with reverts_unchanged(w, ARGS_DIFFER):
        w.motions.execute(motion_id, _differing(w)[case])


def test_execute__reordered_accounts__reverts(genesis_world: World) -> None:
    w = genesis_world
    n = [x.address for x in w.nodes]
    motion_args = args(n[:3], [2])
    motion_id = w.propose(n[29], RATIFY_GENESIS_SUPER_NODES, motion_args)
    pass_through(w, motion_id)
    with reverts_unchanged(w, ARGS_DIFFER):
        w.motions.execute(motion_id, args([n[1], n[0], n[2]], [2]))


# ONCE, BY ANYONE #


@pytest.mark.parametrize("executor", ["stranger", "admin", "foundation", "proposer", "a voter"])
def test_execute__anyone__may_execute(world: World, executor: str) -> None:
    w = world
    motion_id = _passed_admin_motion(w)
    who = {
        "stranger": stranger("executor"),
        "admin": w.admin,
        "foundation": w.foundation,
        "proposer": w.nodes[29].address,
        "a voter": w.nodes[0].address,
    }[executor]

    with boa.env.prank(who):
        w.motions.execute(motion_id, _admin_args())

    (e,) = events(w.motions, "MotionExecuted")
    assert (e.motion_id, e.kind, e.executor) == (motion_id, REPLACE_ADMIN, who)
    assert w.motions.motion_status(motion_id) == EXECUTED
    assert w.motions.motion(motion_id).closed == EXECUTED
    assert w.council.admin() == stranger("new admin")


def test_execute__twice__reverts(world: World) -> None:
    w = world
    motion_id = _passed_admin_motion(w)
    w.motions.execute(motion_id, _admin_args())
    with reverts_unchanged(w, ALREADY_EXECUTED):
        w.motions.execute(motion_id, _admin_args())


def test_execute__twice_two_stage__reverts(world: World) -> None:
    w = world
    motion_id = w.propose(w.nodes[0].address, SET_PARAMETERS, PARAMS)
    pass_through(w, motion_id)
    w.motions.execute(motion_id, PARAMS)
    with reverts_unchanged(w, ALREADY_EXECUTED):
        w.motions.execute(motion_id, PARAMS)


# THE EXECUTION WINDOW AND THE NOTICE PERIOD #


@pytest.mark.parametrize(("delay", "executes"), [(0, True), (1, False)])
def test_execute__execution_window__then_lapsed(world: World, delay: int, executes: bool) -> None:
    w = world
    motion_id = _passed_admin_motion(w)
    warp_to(_passed_at(w, motion_id) + 7 * DAY + delay)
    if executes:
        w.motions.execute(motion_id, _admin_args())
        assert w.motions.motion_status(motion_id) == EXECUTED
    else:
        assert w.motions.motion_status(motion_id) == LAPSED
        with reverts_unchanged(w, HAS_LAPSED):
            w.motions.execute(motion_id, _admin_args())


@pytest.mark.parametrize(("delay", "executes"), [(0, True), (1, False)])
def test_execute__two_stage_window__runs_from_stage_2(
    world: World, delay: int, executes: bool
) -> None:
    w = world
    motion_id = w.propose(w.nodes[0].address, SET_PARAMETERS, PARAMS)
    vote_for(w, w.stage_of(motion_id, 1))
    warp_to(w.council.stage(w.stage_of(motion_id, 1)).passed_at + 5 * DAY)
    w.motions.advance(motion_id)
    vote_for(w, w.stage_of(motion_id, 2))
    warp_to(_passed_at(w, motion_id) + 7 * DAY + delay)
    if executes:
        w.motions.execute(motion_id, PARAMS)
    else:
        with reverts_unchanged(w, HAS_LAPSED):
            w.motions.execute(motion_id, PARAMS)


def _with_notice(w: World, notice: int) -> int:
    """Sets notice_period, then passes a REPLACE_ADMIN motion proposed after it."""
    set_parameters(w, [NOTICE_PERIOD, notice])
    assert w.council.notice_period() == notice
    motion_id = _passed_admin_motion(w, proposer=28)
    assert w.motions.motion(motion_id).notice_period == notice
    return motion_id


@pytest.mark.parametrize("delay", [0, 2 * DAY - 1])
def test_execute__during_the_notice_period__reverts(world: World, delay: int) -> None:
    w = world
    motion_id = _with_notice(w, 2 * DAY)
    if delay:
        warp_to(_passed_at(w, motion_id) + delay)
    assert w.motions.motion_status(motion_id) == PASSED
    with reverts_unchanged(w, NOTICE):
        w.motions.execute(motion_id, _admin_args())


def test_execute__when_the_notice_period_ends__executes(world: World) -> None:
    w = world
    motion_id = _with_notice(w, 2 * DAY)
    warp_to(_passed_at(w, motion_id) + 2 * DAY)
    w.motions.execute(motion_id, _admin_args())
    assert w.motions.motion_status(motion_id) == EXECUTED


@pytest.mark.parametrize(("delay", "executes"), [(0, True), (1, False)])
def test_execute__after_notice_and_window__lapsed(world: World, delay: int, executes: bool) -> None:
    w = world
    motion_id = _with_notice(w, 2 * DAY)
    warp_to(_passed_at(w, motion_id) + 2 * DAY + 7 * DAY + delay)
    if executes:
        assert w.motions.motion_status(motion_id) == PASSED
        w.motions.execute(motion_id, _admin_args())
    else:
        assert w.motions.motion_status(motion_id) == LAPSED
        with reverts_unchanged(w, HAS_LAPSED):
            w.motions.execute(motion_id, _admin_args())


def test_execute__motion_proposed_before_the_notice_change__keeps_no_notice(world: World) -> None:
    w = world
    motion_id = _admin_motion(w, proposer=27)  # proposed while notice_period = 0
    set_parameters(w, [NOTICE_PERIOD, 2 * DAY])
    vote_for(w, w.stage_of(motion_id))

    w.motions.execute(motion_id, _admin_args())

    assert w.motions.motion(motion_id).notice_period == 0
    assert w.motions.motion_status(motion_id) == EXECUTED


def test_execute__execution_window_change__applies_to_later_motions_only(world: World) -> None:
    w = world
    older = _admin_motion(w, proposer=27, label="older admin")
    set_parameters(w, [EXECUTION_WINDOW, 2 * DAY])
    newer = _admin_motion(w, proposer=28, label="newer admin")
    vote_for(w, w.stage_of(older))
    vote_for(w, w.stage_of(newer))
    assert w.motions.motion(older).execution_window == 7 * DAY
    assert w.motions.motion(newer).execution_window == 2 * DAY

    warp_to(max(_passed_at(w, older), _passed_at(w, newer)) + 2 * DAY + 1)

    assert w.motions.motion_status(newer) == LAPSED
    assert w.motions.motion_status(older) == PASSED
    w.motions.execute(older, _admin_args("older admin"))


def test_execute__set_parameters_kind__applies_after_both_stages(world: World) -> None:
    w = world
    motion_id = w.propose(w.nodes[0].address, SET_PARAMETERS, PARAMS)
    pass_through(w, motion_id)
    assert w.council.voting_period() == 3 * DAY
    w.motions.execute(motion_id, PARAMS)
    assert w.council.voting_period() == 2 * DAY
