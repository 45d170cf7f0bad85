"""``close``: anyone records that a failed or lapsed motion ended (MotionClosed),
once; the status stays what it was."""

from __future__ import annotations

from collections.abc import Callable

import boa
import pytest

from tests.contracts.helpers import (
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
    ALREADY_CLOSED,
    HAS_FAILED,
    HAS_LAPSED,
    ONLY_ENDED_CLOSE,
    VOTING_PERIOD,
    events,
    gather,
    open_node_stage,
    reject,
    reverts_unchanged,
    stranger,
    vote_for,
    warp_to,
)

PARAMS = args(numbers=[VOTING_PERIOD, 2 * DAY])


def _sponsoring(w: World) -> int:
    n = [x.address for x in w.nodes]
    return w.propose(n[29], REPLENISH_SUPER_ALTERNATES, args(n[24:27]))


def _voting(w: World) -> int:
    return open_node_stage(w, w.nodes[29].address)


def _passed(w: World) -> int:
    motion_id = _voting(w)
    vote_for(w, w.stage_of(motion_id))
    return motion_id


def _executed(w: World) -> int:
    motion_id = _passed(w)
    w.motions.execute(motion_id, args([stranger("new admin")]))
    return motion_id


def _awaiting_stage_2(w: World) -> int:
    motion_id = w.propose(w.nodes[0].address, SET_PARAMETERS, PARAMS)
    vote_for(w, w.stage_of(motion_id))
    return motion_id


def _awaiting_stage_1(w: World) -> int:
    motion_id = _sponsoring(w)
    gather(w, motion_id)
    return motion_id


def _failed_against(w: World) -> int:
    motion_id = _voting(w)
    reject(w, w.stage_of(motion_id))
    return motion_id


def _failed_deadline(w: World) -> int:
    motion_id = _voting(w)
    warp_to(w.council.stage(w.stage_of(motion_id)).deadline + 1)
    return motion_id


def _failed_stage_2(w: World) -> int:
    motion_id = _awaiting_stage_2(w)
    w.motions.advance(motion_id)
    reject(w, w.stage_of(motion_id, 2))
    return motion_id


def _lapsed_unsponsored(w: World) -> int:
    motion_id = _sponsoring(w)
    warp_to(w.council.sponsorship(motion_id).deadline + 1)
    return motion_id


def _lapsed_sponsored_not_advanced(w: World) -> int:
    motion_id = _awaiting_stage_1(w)
    warp_to(w.council.sponsorship(motion_id).reached_at + 7 * DAY + 1)
    return motion_id


def _lapsed_not_advanced(w: World) -> int:
    motion_id = _awaiting_stage_2(w)
    warp_to(w.council.stage(w.stage_of(motion_id)).passed_at + 7 * DAY + 1)
    return motion_id


def _lapsed_not_executed(w: World) -> int:
    motion_id = _passed(w)
    warp_to(w.council.stage(w.stage_of(motion_id)).passed_at + 7 * DAY + 1)
    return motion_id


_ENDED: dict[str, tuple[Callable[[World], int], int]] = {
    "failed: against": (_failed_against, FAILED),
    "failed: deadline": (_failed_deadline, FAILED),
    "failed: stage 2": (_failed_stage_2, FAILED),
    "lapsed: unsponsored": (_lapsed_unsponsored, LAPSED),
    "lapsed: stage 1 not opened": (_lapsed_sponsored_not_advanced, LAPSED),
    "lapsed: stage 2 not opened": (_lapsed_not_advanced, LAPSED),
    "lapsed: not executed": (_lapsed_not_executed, LAPSED),
}


@pytest.mark.parametrize("ended", list(_ENDED))
def test_close__failed_or_lapsed__emits_motion_closed(world: World, ended: str) -> None:
    w = world
    make, status = _ENDED[ended]
    motion_id = make(w)
    assert w.motions.motion_status(motion_id) == status

    with boa.env.prank(stranger("keeper")):
        w.motions.close(motion_id)

    (e,) = events(w.motions, "MotionClosed")
    assert (e.motion_id, e.status) == (motion_id, status)
    assert w.motions.motion(motion_id).closed == status
    assert w.motions.motion_status(motion_id) == status


@pytest.mark.parametrize("ended", list(_ENDED))
def test_close__twice__reverts(world: World, ended: str) -> None:
    w = world
    motion_id = _ENDED[ended][0](w)
    w.motions.close(motion_id)
    with reverts_unchanged(w, ALREADY_CLOSED):
        w.motions.close(motion_id)


_NOT_ENDED: dict[str, tuple[Callable[[World], int], int]] = {
    "sponsoring": (_sponsoring, SPONSORING),
    "awaiting stage 1": (_awaiting_stage_1, AWAITING_STAGE),
    "voting": (_voting, VOTING),
    "awaiting stage 2": (_awaiting_stage_2, AWAITING_STAGE),
    "passed": (_passed, PASSED),
    "executed": (_executed, EXECUTED),
}


@pytest.mark.parametrize("live", list(_NOT_ENDED))
def test_close__not_failed_or_lapsed__reverts(world: World, live: str) -> None:
    w = world
    make, status = _NOT_ENDED[live]
    motion_id = make(w)
    assert w.motions.motion_status(motion_id) == status
    with reverts_unchanged(w, ONLY_ENDED_CLOSE):
        w.motions.close(motion_id)


@pytest.mark.parametrize("motion_id", [0, 999])
def test_close__no_such_motion__reverts(world: World, motion_id: int) -> None:
    w = world
    with reverts_unchanged(w, ONLY_ENDED_CLOSE):
        w.motions.close(motion_id)


def test_close__closed_failed_motion__still_cannot_be_executed(world: World) -> None:
    w = world
    motion_id = _failed_against(w)
    w.motions.close(motion_id)
    with reverts_unchanged(w, HAS_FAILED):
        w.motions.execute(motion_id, args([stranger("new admin")]))


def test_close__closed_lapsed_motion__stays_lapsed_even_if_advanced_later(world: World) -> None:
    w = world
    motion_id = _lapsed_not_advanced(w)
    w.motions.close(motion_id)
    with reverts_unchanged(w, HAS_LAPSED):
        w.motions.advance(motion_id)
    assert w.motions.motion_status(motion_id) == LAPSED
