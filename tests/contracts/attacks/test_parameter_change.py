"""A parameter change (or a change of the chamber) while a stage is open
must not touch that stage: its deadline, threshold and electorate stay as
they were fixed, and attendance cites it by its own deadline.

Covered elsewhere: tests/contracts/unitary/parameters/test_set_parameters_open_stage.py
(voting period shorter/longer — open stage unchanged in both chambers;
threshold and electorate unchanged; the next deadline never earlier; an open
sponsorship keeps its window; a motion keeps its notice period and execution
window) and tests/contracts/unitary/ballots/test_open_stage.py
(test_open_stage__later_seating_does_not_change_it,
test_open_stage__parameter_change__does_not_move_an_open_deadline).
"""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import (
    NODE,
    SET_PARAMETERS,
    World,
    args,
    key,
    make_world,
)
from tests.contracts.unitary.ballots._util import open_node_stages, warp_to

VOTING_PERIOD = 1
HOUR = 3_600
DEADLINE_NOT_PASSED = "attendance: the third stage's deadline has not passed"


@pytest.fixture(scope="module")
def world() -> World:
    return make_world(n_nodes=30, n_supers=21, n_alternates=3)


def _fixed(w: World, stages: list[int]) -> list[tuple[int, int, int]]:
    return [
        (w.council.stage(s).deadline, w.council.stage(s).threshold, w.council.stage(s).electorate)
        for s in stages
    ]


def test_parameter_change__shortened_voting_period__cannot_hasten_a_forfeiture(
    world: World,
) -> None:
    """Three node stages are open; a motion cuts the voting period to one
    hour. The open stages keep their deadlines, so a forfeiture citing them
    is refused until the last original deadline has passed."""
    w = world
    target = w.nodes[24].address
    stages = open_node_stages(w, w.nodes[27:30])
    fixed = _fixed(w, stages)
    w.pass_motion(w.supers[5].address, SET_PARAMETERS, args(numbers=[VOTING_PERIOD, HOUR]))
    assert w.council.voting_period() == HOUR
    assert _fixed(w, stages) == fixed
    boa.env.time_travel(seconds=HOUR + 60)
    first = w.council.stage(stages[0]).seq
    with boa.reverts(DEADLINE_NOT_PASSED), boa.env.prank(key("keeper").address):
        w.council.forfeit(target, NODE, first)
    assert w.council.member(target)[1]
    # a stage opened now cannot end before the open ones either
    (later,) = open_node_stages(w, [w.nodes[26]])
    assert w.council.stage(later).deadline >= max(d for d, _, _ in fixed)
    warp_to(max(d for d, _, _ in fixed) + 1)
    with boa.env.prank(key("keeper").address):
        w.council.forfeit(target, NODE, first)
    assert not w.council.member(target)[1]


def test_parameter_change__members_leave_while_open__threshold_and_electorate_stay(
    world: World,
) -> None:
    """Ten nodes resign after a stage opened: the stage still counts the
    electorate and threshold it opened with (no one can lower the bar by
    emptying seats), and its deadline does not move."""
    w = world
    (stage,) = open_node_stages(w, [w.nodes[29]])
    fixed = _fixed(w, [stage])
    for k in w.nodes[10:20]:
        with boa.env.prank(k.address):
            w.council.resign(NODE)
    assert w.council.seats(NODE) == fixed[0][2] - 10  # no node alternates queued here
    assert _fixed(w, [stage]) == fixed
    assert w.council.stage_status(stage) == 1
