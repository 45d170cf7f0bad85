"""``vote``: a member's own ballot (§4, §11.6)."""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import (
    ABSTAIN,
    AGAINST,
    DAY,
    FOR,
    NODE,
    SUPER,
    World,
    key,
    next_block,
    warp,
)
from tests.contracts.unitary.ballots._util import (
    ALREADY_VOTED_REASON,
    BAD_CHOICE_REASON,
    CLOSED_REASON,
    NO_STAGE_REASON,
    NOT_SEATED_REASON,
    OPEN,
    SEATED_AFTER_REASON,
    STAGE_FAILED,
    STAGE_PASSED,
    events,
    now,
    open_node_stages,
    open_super_stages,
    snapshot,
    stage_id,
    warp_to,
)


def _vote(w: World, voter: str, stage: int, choice: int) -> None:
    with boa.env.prank(voter):
        w.council.vote(stage, choice)


def _node_stage(w: World) -> int:
    """A node-chamber stage (REPLACE_ADMIN: 67% of the 30 nodes = 21)."""
    return open_node_stages(w, [w.nodes[29]])[0]


def _super_stage(w: World) -> int:
    """A super-chamber stage (SET_PARAMETERS stage 1: 51% of 21 = 11)."""
    return open_super_stages(w, [w.supers[0]])[0]


# RECORDED #


@pytest.mark.parametrize(
    ("choice", "field"),
    [(FOR, "votes_for"), (AGAINST, "votes_against"), (ABSTAIN, "votes_abstain")],
)
def test_vote__each_choice__counts_in_its_tally(world: World, choice: int, field: str) -> None:
    w = world
    stage = _node_stage(w)
    voter = w.nodes[3].address
    before = w.council.stage(stage)

    _vote(w, voter, stage, choice)
    (voted,) = events(w.council, "Voted")  # read before any other call

    after = w.council.stage(stage)
    tallies = ("votes_for", "votes_against", "votes_abstain")
    for f in tallies:
        assert getattr(after, f) == getattr(before, f) + (1 if f == field else 0)
    assert w.council.has_voted(stage, voter)
    assert (voted.stage_id, voted.voter, voted.choice) == (stage, voter, choice)


def test_vote__mixed_ballots__tallies_add_up(world: World) -> None:
    w = world
    stage = _super_stage(w)
    w.vote(w.supers[0:3], stage, FOR)
    w.vote(w.supers[3:5], stage, AGAINST)
    w.vote(w.supers[5:9], stage, ABSTAIN)

    s = w.council.stage(stage)
    assert (s.votes_for, s.votes_against, s.votes_abstain) == (3, 2, 4)
    assert all(w.council.has_voted(stage, k.address) for k in w.supers[:9])
    assert not any(w.council.has_voted(stage, k.address) for k in w.supers[9:])
    assert w.council.stage_status(stage) == OPEN


def test_vote__super_node__votes_in_both_chambers(world: World) -> None:
    w = world
    node_stage, super_stage = _node_stage(w), _super_stage(w)
    voter = w.supers[4].address

    _vote(w, voter, node_stage, FOR)
    _vote(w, voter, super_stage, AGAINST)

    assert w.council.stage(node_stage).votes_for == 1
    assert w.council.stage(super_stage).votes_against == 1
    assert w.council.has_voted(node_stage, voter) and w.council.has_voted(super_stage, voter)


# NO SUCH STAGE #


@pytest.mark.parametrize("seq_chamber", [(0, NODE), (0, SUPER), (2, NODE), (1, SUPER), (99, NODE)])
def test_vote__no_such_stage__reverts(world: World, seq_chamber: tuple[int, int]) -> None:
    w = world
    missing = stage_id(*seq_chamber)  # node seq 1 is the genesis ratification
    voter = w.supers[0].address
    before = snapshot(w, missing, [voter])

    with boa.reverts(NO_STAGE_REASON), boa.env.prank(voter):
        w.council.vote(missing, FOR)

    assert snapshot(w, missing, [voter]) == before
    assert w.council.stage_status(missing) == 0


# DEADLINE #


def test_vote__after_deadline__reverts(world: World) -> None:
    w = world
    stage = _node_stage(w)
    voter = w.nodes[5].address
    warp_to(w.council.stage(stage).deadline + 1)
    before = snapshot(w, stage, [voter])

    with boa.reverts(CLOSED_REASON), boa.env.prank(voter):
        w.council.vote(stage, FOR)

    assert snapshot(w, stage, [voter]) == before


def test_vote__long_after_deadline__reverts(world: World) -> None:
    w = world
    stage = _super_stage(w)
    voter = w.supers[5].address
    warp(365 * DAY)
    before = snapshot(w, stage, [voter])

    with boa.reverts(CLOSED_REASON), boa.env.prank(voter):
        w.council.vote(stage, ABSTAIN)

    assert snapshot(w, stage, [voter]) == before


def test_vote__exactly_at_deadline__is_recorded(world: World) -> None:
    w = world
    stage = _node_stage(w)
    voter = w.nodes[5].address
    warp_to(w.council.stage(stage).deadline)
    assert now() == w.council.stage(stage).deadline

    _vote(w, voter, stage, AGAINST)

    assert w.council.stage(stage).votes_against == 1
    assert w.council.has_voted(stage, voter)


def test_vote__after_early_pass__is_still_recorded(world: World) -> None:
    w = world
    stage = _super_stage(w)
    w.vote(w.supers[:11], stage, FOR)
    assert w.council.stage_status(stage) == STAGE_PASSED
    passed_at = w.council.stage(stage).passed_at

    _vote(w, w.supers[11].address, stage, AGAINST)
    _vote(w, w.supers[12].address, stage, FOR)

    s = w.council.stage(stage)
    assert (s.votes_for, s.votes_against) == (12, 1)
    assert s.passed_at == passed_at
    assert w.council.stage_status(stage) == STAGE_PASSED
    assert w.council.has_voted(stage, w.supers[11].address)


def test_vote__after_early_failure__is_still_recorded(world: World) -> None:
    w = world
    stage = _super_stage(w)  # 21 super nodes, threshold 11: 11 "no" make it unreachable
    w.vote(w.supers[:11], stage, AGAINST)
    assert w.council.stage_status(stage) == STAGE_FAILED

    _vote(w, w.supers[11].address, stage, FOR)
    _vote(w, w.supers[12].address, stage, ABSTAIN)

    s = w.council.stage(stage)
    assert (s.votes_for, s.votes_against, s.votes_abstain) == (1, 11, 1)
    assert w.council.stage_status(stage) == STAGE_FAILED


# WHO MAY VOTE #


def test_vote__stranger__reverts(world: World) -> None:
    w = world
    stage = _node_stage(w)
    stranger = key("stranger").address
    before = snapshot(w, stage, [stranger])

    with boa.reverts(NOT_SEATED_REASON), boa.env.prank(stranger):
        w.council.vote(stage, FOR)

    assert snapshot(w, stage, [stranger]) == before


def test_vote__plain_node_in_super_stage__reverts(world: World) -> None:
    w = world
    stage = _super_stage(w)
    plain = w.nodes[25].address
    assert w.council.member(plain)[1:3] == (True, False)
    before = snapshot(w, stage, [plain])

    with boa.reverts(NOT_SEATED_REASON), boa.env.prank(plain):
        w.council.vote(stage, FOR)

    assert snapshot(w, stage, [plain]) == before


def test_vote__super_alternate_in_super_stage__reverts(world: World) -> None:
    w = world
    stage = _super_stage(w)
    alternate = w.nodes[21].address
    assert w.council.is_queued(alternate, SUPER)
    before = snapshot(w, stage, [alternate])

    with boa.reverts(NOT_SEATED_REASON), boa.env.prank(alternate):
        w.council.vote(stage, FOR)

    assert snapshot(w, stage, [alternate]) == before


def test_vote__seated_in_the_block_the_stage_opened__reverts(genesis_world: World) -> None:
    w = genesis_world
    newcomer = key("newcomer").address
    with boa.env.prank(w.admin):
        w.council.nominate(newcomer, "newcomer", b"\x00" * 32)
    stage = _node_stage_in(w)  # same block as the seating
    assert w.council.stage(stage).electorate == 10
    next_block()
    before = snapshot(w, stage, [newcomer])

    with boa.reverts(SEATED_AFTER_REASON), boa.env.prank(newcomer):
        w.council.vote(stage, FOR)

    assert snapshot(w, stage, [newcomer]) == before


def test_vote__seated_after_the_stage_opened__reverts(genesis_world: World) -> None:
    w = genesis_world
    stage = _node_stage_in(w)
    next_block()
    newcomer = key("newcomer").address
    with boa.env.prank(w.admin):
        w.council.nominate(newcomer, "newcomer", b"\x00" * 32)
    next_block()
    before = snapshot(w, stage, [newcomer])

    with boa.reverts(SEATED_AFTER_REASON), boa.env.prank(newcomer):
        w.council.vote(stage, FOR)

    assert snapshot(w, stage, [newcomer]) == before
    assert w.council.stage(stage).electorate == 10


def test_vote__seated_the_block_before__is_recorded(genesis_world: World) -> None:
    w = genesis_world
    newcomer = key("newcomer").address
    with boa.env.prank(w.admin):
        w.council.nominate(newcomer, "newcomer", b"\x00" * 32)
    next_block()
    stage = _node_stage_in(w)

    _vote(w, newcomer, stage, FOR)

    assert w.council.stage(stage).electorate == 11
    assert w.council.stage(stage).votes_for == 1


def _node_stage_in(w: World) -> int:
    return open_node_stages(w, [w.nodes[9]])[0]


# ONE BALLOT PER MEMBER #


@pytest.mark.parametrize("second", [FOR, AGAINST, ABSTAIN])
def test_vote__twice__reverts(world: World, second: int) -> None:
    w = world
    stage = _node_stage(w)
    voter = w.nodes[7].address
    _vote(w, voter, stage, FOR)
    before = snapshot(w, stage, [voter])

    with boa.reverts(ALREADY_VOTED_REASON), boa.env.prank(voter):
        w.council.vote(stage, second)

    assert snapshot(w, stage, [voter]) == before
    assert w.council.stage(stage).votes_for == 1


@pytest.mark.parametrize("choice", [0, 4, 255])
def test_vote__bad_choice__reverts(world: World, choice: int) -> None:
    w = world
    stage = _node_stage(w)
    voter = w.nodes[7].address
    before = snapshot(w, stage, [voter])

    with boa.reverts(BAD_CHOICE_REASON), boa.env.prank(voter):
        w.council.vote(stage, choice)

    assert snapshot(w, stage, [voter]) == before


# LEAVING DURING THE STAGE #


def test_vote__resigned_after_voting__ballot_stays_counted(world: World) -> None:
    w = world
    stage = _node_stage(w)
    voter = w.nodes[26].address
    _vote(w, voter, stage, FOR)

    with boa.env.prank(voter):
        w.council.resign(NODE)

    assert not w.council.member(voter)[1]
    assert w.council.stage(stage).votes_for == 1
    assert w.council.stage(stage).electorate == 30
    assert w.council.has_voted(stage, voter)


def test_vote__resigned_before_voting__reverts(world: World) -> None:
    w = world
    stage = _node_stage(w)
    leaver = w.nodes[26].address
    with boa.env.prank(leaver):
        w.council.resign(NODE)
    before = snapshot(w, stage, [leaver])

    with boa.reverts(NOT_SEATED_REASON), boa.env.prank(leaver):
        w.council.vote(stage, FOR)

    assert snapshot(w, stage, [leaver]) == before
    assert w.council.stage(stage).electorate == 30


def test_vote__super_node_resigned_super_seat__can_vote_only_as_node(world: World) -> None:
    w = world
    node_stage, super_stage = _node_stage(w), _super_stage(w)
    leaver = w.supers[20].address
    with boa.env.prank(leaver):
        w.council.resign(SUPER)
    before = snapshot(w, super_stage, [leaver])

    with boa.reverts(NOT_SEATED_REASON), boa.env.prank(leaver):
        w.council.vote(super_stage, FOR)
    _vote(w, leaver, node_stage, FOR)

    assert snapshot(w, super_stage, [leaver]) == before
    assert w.council.has_voted(node_stage, leaver)


def test_vote__resigned_and_seated_again__reverts(genesis_world: World) -> None:
    w = genesis_world
    stage = _node_stage_in(w)
    leaver = w.nodes[4].address
    with boa.env.prank(leaver):
        w.council.resign(NODE)
    next_block()
    with boa.env.prank(w.admin):
        w.council.nominate(leaver, "back again", b"\x00" * 32)
    next_block()
    before = snapshot(w, stage, [leaver])

    with boa.reverts(SEATED_AFTER_REASON), boa.env.prank(leaver):
        w.council.vote(stage, FOR)

    assert snapshot(w, stage, [leaver]) == before


def test_vote__alternate_seated_by_refill_in_opening_block__reverts(world: World) -> None:
    w = world
    leaver, alternate = w.supers[20].address, w.nodes[21].address
    with boa.env.prank(leaver):
        w.council.resign(SUPER)  # the queue head takes the seat in this block
    assert w.council.member(alternate)[2]
    stage = _super_stage(w)  # opens in the same block
    next_block()
    before = snapshot(w, stage, [alternate, leaver])

    with boa.reverts(SEATED_AFTER_REASON), boa.env.prank(alternate):
        w.council.vote(stage, FOR)
    with boa.reverts(NOT_SEATED_REASON), boa.env.prank(leaver):
        w.council.vote(stage, FOR)

    assert snapshot(w, stage, [alternate, leaver]) == before
    assert w.council.stage(stage).electorate == 21
