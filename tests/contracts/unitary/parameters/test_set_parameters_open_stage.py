"""SET_PARAMETERS never alters what is already open (§4): a stage keeps the
deadline, electorate and threshold it fixed when it opened; a sponsorship
keeps its deadline; a motion keeps its notice period and execution window;
and deadlines in a chamber never go backwards."""

from __future__ import annotations

import pytest

from tests.contracts.helpers import (
    DAY,
    NODE,
    REPLACE_ADMIN,
    REPLACE_NODE,
    REPLENISH_SUPER_ALTERNATES,
    SUPER,
    World,
    args,
    key,
    next_block,
)
from tests.contracts.unitary.parameters._util import now, set_parameters


def _open_stage(w: World, chamber: int) -> int:
    """Opens a stage of ``chamber`` with a proposer other than the parameters' one."""
    if chamber == NODE:
        motion_id = w.propose(w.nodes[22].address, REPLACE_ADMIN, args([key("new admin").address]))
    else:
        old, new = w.nodes[24].address, key("newcomer").address
        motion_id = w.propose(w.supers[1].address, REPLACE_NODE, args([old, new]))
    return w.stage_of(motion_id)


@pytest.mark.parametrize("chamber", [NODE, SUPER])
@pytest.mark.parametrize("period", [3_600, 30 * DAY], ids=["shorter", "longer"])
def test_set_parameters__voting_period__open_stage_unchanged(
    world: World, chamber: int, period: int
) -> None:
    w = world
    stage_id = _open_stage(w, chamber)
    before = w.council.stage(stage_id)
    next_block()
    set_parameters(w, [1, period])
    assert w.council.voting_period() == period
    assert w.council.stage(stage_id) == before


def test_set_parameters__open_stage__threshold_and_electorate_unchanged(world: World) -> None:
    w = world
    stage_id = _open_stage(w, NODE)
    before = w.council.stage(stage_id)
    assert (before.electorate, before.threshold) == (25, 17)
    next_block()
    set_parameters(w, [1, 3_600, 3, DAY, 4, 14 * DAY])
    after = w.council.stage(stage_id)
    assert (after.electorate, after.threshold, after.deadline) == (
        before.electorate,
        before.threshold,
        before.deadline,
    )


def test_set_parameters__shorter_voting_period__next_deadline_not_earlier(world: World) -> None:
    """Deadlines of a chamber are non-decreasing (§4): a shorter voting period
    cannot make a new stage end before one already open."""
    w = world
    set_parameters(w, [1, 3_600])
    last = w.council.last_deadline(NODE)
    stage_id = _open_stage(w, NODE)
    assert w.council.stage(stage_id).deadline == last


def test_set_parameters__longer_voting_period__next_stage_uses_it(world: World) -> None:
    w = world
    set_parameters(w, [1, 10 * DAY])
    stage_id = _open_stage(w, SUPER)
    s = w.council.stage(stage_id)
    assert s.deadline == now() + 10 * DAY


def test_set_parameters__sponsor_window__open_sponsorship_unchanged(world: World) -> None:
    w = world
    three = [w.nodes[21].address, w.nodes[22].address, w.nodes[23].address]
    motion_id = w.propose(w.nodes[24].address, REPLENISH_SUPER_ALTERNATES, args(three))
    before = w.council.sponsorship(motion_id)
    next_block()
    set_parameters(w, [2, 3_600])
    assert w.council.sponsor_window() == 3_600
    assert w.council.sponsorship(motion_id) == before


def test_set_parameters__windows__existing_motion_keeps_its_own(world: World) -> None:
    w = world
    motion_id = w.propose(w.nodes[22].address, REPLACE_ADMIN, args([key("new admin").address]))
    before = w.motions.motion(motion_id)
    next_block()
    set_parameters(w, [3, DAY, 4, 14 * DAY])
    after = w.motions.motion(motion_id)
    assert (after.notice_period, after.execution_window) == (0, 7 * DAY)
    assert after == before
