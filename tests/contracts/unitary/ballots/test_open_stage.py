"""``open_stage``: electorate, threshold and deadline fixed when a stage opens (§4).

Stages are opened by proposing real motions whose first stage has the
percentage under test (RULES in contracts/Motions.vy). No motion kind has a
67% super-chamber stage, so that row of the table opens its stage the way
the motions engine does — ``open_stage`` called from the engine's address —
to check ceil(67% × 21) = 15 (noted in the row's id).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import boa
import pytest

from tests.contracts.helpers import (
    AGAINST,
    DAY,
    FOR,
    NODE,
    RATIFY_GENESIS_SUPER_NODES,
    REPLACE_NODE,
    REPLACE_SUPER_NODE,
    SET_PARAMETERS,
    SUPER,
    World,
    args,
    key,
    make_world,
    next_block,
)
from tests.contracts.unitary.ballots._util import (
    OPEN,
    STAGE_FAILED,
    STAGE_PASSED,
    VOTING_PERIOD,
    events,
    now,
    open_node_stages,
    open_super_stages,
    stage_id,
    warp_to,
)

# THE THRESHOLD TABLE (§4) #


@dataclass(frozen=True)
class Row:
    chamber: int
    pct: int
    electorate: int
    threshold: int
    open: Callable[[World], int]


def _ratify(w: World) -> int:
    """RATIFY_GENESIS_SUPER_NODES: nodes 33% (only while no super node is seated)."""
    slate = [w.nodes[1].address]
    return w.stage_of(w.propose(w.nodes[0].address, RATIFY_GENESIS_SUPER_NODES, args(slate, [1])))


def _replace_admin(w: World) -> int:
    """REPLACE_ADMIN: nodes 67%."""
    return open_node_stages(w, [w.nodes[0]])[0]


def _replace_super_node(w: World) -> int:
    """REPLACE_SUPER_NODE: nodes 51%. Seats one super node first (ratified by 33%)."""
    ratify = _ratify(w)
    w.vote(w.nodes[: w.council.stage(ratify).threshold], ratify, FOR)
    motion_id = w.council.stage(ratify).motion_id
    w.motions.execute(motion_id, args([w.nodes[1].address], [1]))
    next_block()
    assert w.council.seats(SUPER) == 1
    motion_args = args([w.nodes[1].address, w.nodes[2].address])
    return w.stage_of(w.propose(w.nodes[3].address, REPLACE_SUPER_NODE, motion_args))


def _set_parameters(w: World) -> int:
    """SET_PARAMETERS stage 1: super 51%."""
    return open_super_stages(w, [w.supers[0]])[0]


def _replace_node(w: World) -> int:
    """REPLACE_NODE: super 33%."""
    motion_args = args([w.nodes[20].address, key("newcomer").address])
    return w.stage_of(w.propose(w.supers[0].address, REPLACE_NODE, motion_args))


def _super_67_by_engine(w: World) -> int:
    """No motion kind has a super 67% stage: open one as the engine would."""
    with boa.env.prank(w.motions.address):
        stage: int = w.council.open_stage(999, SUPER, 67)
    return stage


TABLE = {
    "super-21-51%-SET_PARAMETERS": (21, Row(SUPER, 51, 21, 11, _set_parameters)),
    "super-21-33%-REPLACE_NODE": (21, Row(SUPER, 33, 21, 7, _replace_node)),
    "super-21-67%-no-kind-opened-as-engine": (21, Row(SUPER, 67, 21, 15, _super_67_by_engine)),
    "nodes-126-51%-REPLACE_SUPER_NODE": (126, Row(NODE, 51, 126, 65, _replace_super_node)),
    "nodes-126-33%-RATIFY": (126, Row(NODE, 33, 126, 42, _ratify)),
    "nodes-126-67%-REPLACE_ADMIN": (126, Row(NODE, 67, 126, 85, _replace_admin)),
    "nodes-500-51%-REPLACE_SUPER_NODE": (500, Row(NODE, 51, 500, 255, _replace_super_node)),
    "nodes-500-33%-RATIFY": (500, Row(NODE, 33, 500, 165, _ratify)),
    "nodes-500-67%-REPLACE_ADMIN": (500, Row(NODE, 67, 500, 335, _replace_admin)),
}


@pytest.fixture(scope="module")
def worlds() -> dict[int, World]:
    """By chamber size: 21 nodes that are all super nodes; 126 and 500 nodes, no super node."""
    return {
        21: make_world(n_nodes=21, n_supers=21),
        126: make_world(n_nodes=126),
        500: make_world(n_nodes=500),
    }


@pytest.mark.parametrize(("size", "row"), list(TABLE.values()), ids=list(TABLE))
def test_open_stage__threshold_table__one_short_stays_open_threshold_passes(
    worlds: dict[int, World], size: int, row: Row
) -> None:
    w = worlds[size]
    stage = row.open(w)
    s = w.council.stage(stage)
    assert (s.chamber, s.electorate, s.threshold) == (row.chamber, row.electorate, row.threshold)
    assert -(-row.pct * row.electorate // 100) == row.threshold  # ceil, as in §4
    voters = w.chamber(row.chamber)
    assert len(voters) == row.electorate

    w.vote(voters[: row.threshold - 1], stage, FOR)
    assert w.council.stage_status(stage) == OPEN
    assert w.council.stage(stage).passed_at == 0
    with boa.env.anchor():  # one short at the deadline: failed
        warp_to(s.deadline + 1)
        assert w.council.stage_status(stage) == STAGE_FAILED

    w.vote(voters[row.threshold - 1 : row.threshold], stage, FOR)
    assert w.council.stage_status(stage) == STAGE_PASSED
    assert w.council.stage(stage).passed_at == now()


# WHAT A STAGE FIXES WHEN IT OPENS #


def test_open_stage__by_anyone_but_the_engine__reverts(world: World) -> None:
    w = world
    count = w.council.stage_count(SUPER)
    with boa.reverts("council: only the motions engine"), boa.env.prank(w.supers[0].address):
        w.council.open_stage(1, SUPER, 51)
    assert w.council.stage_count(SUPER) == count


def test_open_stage__stores_electorate_threshold_deadline_and_logs_them(world: World) -> None:
    w = world
    motion_id = w.propose(w.supers[0].address, SET_PARAMETERS, args(numbers=[VOTING_PERIOD, DAY]))
    (opened,) = events(w.motions, "StageOpened")
    stage = w.stage_of(motion_id)

    s = w.council.stage(stage)
    assert stage == stage_id(1, SUPER)
    assert (s.motion_id, s.chamber, s.seq) == (motion_id, SUPER, 1)
    assert s.opened_block == boa.env.evm.patch.block_number
    assert s.deadline == now() + 3 * DAY
    assert (s.electorate, s.threshold, s.passed_at) == (21, 11, 0)
    assert (s.votes_for, s.votes_against, s.votes_abstain) == (0, 0, 0)
    assert w.council.stage_count(SUPER) == 1
    assert w.council.last_deadline(SUPER) == s.deadline
    assert (opened.stage_id, opened.motion_id, opened.chamber, opened.seq) == (
        stage,
        motion_id,
        SUPER,
        1,
    )
    assert (opened.electorate, opened.threshold, opened.deadline) == (21, 11, s.deadline)


def test_open_stage__ids_count_per_chamber(world: World) -> None:
    w = world
    node_before = w.council.stage_count(NODE)  # the genesis ratification was node stage 1
    supers = open_super_stages(w, w.supers[:2])
    nodes = open_node_stages(w, w.nodes[25:27])
    assert supers == [stage_id(1, SUPER), stage_id(2, SUPER)]
    assert nodes == [stage_id(node_before + 1, NODE), stage_id(node_before + 2, NODE)]
    assert w.council.stage_count(SUPER) == 2
    assert w.council.stage_count(NODE) == node_before + 2


def test_open_stage__later_seating_does_not_change_it(genesis_world: World) -> None:
    w = genesis_world
    stage = open_node_stages(w, [w.nodes[0]])[0]
    before = w.council.stage(stage)
    next_block()
    with boa.env.prank(w.admin):
        for i in range(5):
            w.council.nominate(key(f"late{i}").address, "late", b"\x00" * 32)
    next_block()
    assert w.council.seats(NODE) == 15
    assert w.council.stage(stage) == before
    assert (before.electorate, before.threshold) == (10, 7)


def test_open_stage__electorate_is_the_size_at_the_start_of_the_block(
    genesis_world: World,
) -> None:
    w = genesis_world
    with boa.env.prank(w.admin):
        w.council.nominate(key("same-block-1").address, "same block", b"\x00" * 32)
        w.council.nominate(key("same-block-2").address, "same block", b"\x00" * 32)
    with boa.env.prank(w.nodes[9].address):
        w.council.resign(NODE)
    assert w.council.seats(NODE) == 11
    assert w.council.electorate(NODE) == 10
    stage = open_node_stages(w, [w.nodes[0]])[0]
    assert (w.council.stage(stage).electorate, w.council.stage(stage).threshold) == (10, 7)
    next_block()
    assert w.council.electorate(NODE) == 11
    assert w.council.stage(stage).electorate == 10


# ELECTORATE OF 0 #


def test_open_stage__empty_electorate__threshold_1_and_failed_at_once() -> None:
    w = make_world(n_nodes=5)
    slate = [k.address for k in w.nodes[:2]]
    # Ratify and propose in one block: the super chamber was empty at its start.
    w.pass_motion(w.nodes[0].address, RATIFY_GENESIS_SUPER_NODES, args(slate, [2]))
    assert w.council.seats(SUPER) == 2
    motion_id = w.propose(w.nodes[1].address, SET_PARAMETERS, args(numbers=[VOTING_PERIOD, DAY]))
    stage = w.stage_of(motion_id)

    s = w.council.stage(stage)
    assert (s.electorate, s.threshold) == (0, 1)
    assert w.council.stage_status(stage) == STAGE_FAILED
    next_block()
    with boa.reverts("ballots: voter was seated after the stage opened"), boa.env.prank(slate[0]):
        w.council.vote(stage, FOR)
    assert w.council.stage_status(stage) == STAGE_FAILED


def test_open_stage__empty_electorate_opened_by_engine__threshold_1_and_failed(
    genesis_world: World,
) -> None:
    w = genesis_world
    assert w.council.seats(SUPER) == 0
    with boa.env.prank(w.motions.address):
        stage = w.council.open_stage(77, SUPER, 51)
    s = w.council.stage(stage)
    assert (s.electorate, s.threshold, s.motion_id) == (0, 1, 77)
    assert w.council.stage_status(stage) == STAGE_FAILED


# DEADLINES NEVER DECREASE IN A CHAMBER #


def _shorten_voting_period(w: World, seconds: int) -> None:
    w.pass_motion(w.supers[1].address, SET_PARAMETERS, args(numbers=[VOTING_PERIOD, seconds]))
    assert w.council.voting_period() == seconds


def test_open_stage__after_voting_period_shortened__deadline_equals_previous(world: World) -> None:
    w = world
    first_node = open_node_stages(w, [w.nodes[25]])[0]
    first_super = open_super_stages(w, [w.supers[0]])[0]
    next_block()
    _shorten_voting_period(w, 3_600)  # its own stages end later than the two above
    node_last, super_last = w.council.last_deadline(NODE), w.council.last_deadline(SUPER)
    assert node_last >= w.council.stage(first_node).deadline
    assert super_last >= w.council.stage(first_super).deadline
    next_block()

    node_stage = open_node_stages(w, [w.nodes[26]])[0]
    super_stage = open_super_stages(w, [w.supers[2]])[0]

    assert now() + 3_600 < node_last
    assert w.council.stage(node_stage).deadline == node_last
    assert w.council.stage(super_stage).deadline == super_last
    assert w.council.last_deadline(NODE) == node_last
    assert w.council.last_deadline(SUPER) == super_last


def test_open_stage__after_previous_deadline__uses_the_new_voting_period(world: World) -> None:
    w = world
    _shorten_voting_period(w, 3_600)
    warp_to(w.council.last_deadline(NODE) + 1)

    stage = open_node_stages(w, [w.nodes[26]])[0]

    assert w.council.stage(stage).deadline == now() + 3_600
    assert w.council.last_deadline(NODE) == now() + 3_600


def test_open_stage__parameter_change__does_not_move_an_open_deadline(world: World) -> None:
    w = world
    stage = open_node_stages(w, [w.nodes[25]])[0]
    before = w.council.stage(stage)
    _shorten_voting_period(w, 3_600)
    assert w.council.stage(stage) == before
    warp_to(before.deadline)
    with boa.env.prank(w.nodes[0].address):
        w.council.vote(stage, AGAINST)
    assert w.council.stage(stage).votes_against == 1
