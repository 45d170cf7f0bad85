"""SET_PARAMETERS (§5, §10: a super node proposes, super 51% then nodes 51%):
pairs of (parameter id, value), each checked against its range."""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import (
    AWAITING_STAGE,
    DAY,
    NODE,
    PASSED,
    PUBLISH_STATEMENT,
    SET_PARAMETERS,
    SUPER,
    World,
    args,
    key,
)
from tests.contracts.unitary.motions._util import (
    AUDIT_DUE,
    CLOSE_GENESIS,
    EXECUTION_WINDOW,
    FOUNDATION,
    KOL_PER_USDT,
    NO_ECONOMY,
    NO_HASH,
    NODE_BAN,
    NOTICE_PERIOD,
    ONLY_FOUNDATION,
    SPONSOR_WINDOW,
    SUPER_BAN,
    VOTING_PERIOD,
    MotionArgs,
    events,
    now,
    open_node_stage,
    pass_through,
    reverts_unchanged,
    stranger,
    vote_for,
)

PAIRS = "motions: SET_PARAMETERS takes pairs of (parameter id, value) only"
UNKNOWN = "parameters: unknown parameter id"
TWICE = "motions: a parameter is named twice"
VOTING_RANGE = "parameters: voting_period must be 1 hour to 30 days"
SPONSOR_RANGE = "parameters: sponsor_window must be 1 hour to 30 days"
EXECUTION_RANGE = "parameters: execution_window must be 1 to 30 days"
NOTICE_RANGE = "parameters: notice_period must be at most 14 days"
AUDIT_RANGE = "parameters: audit_due must be 1 to 180 days"
KOL_RANGE = "parameters: kol_per_usdt must be 1 to 10**15 base units per USDT unit"
BAN_RANGE = "parameters: a ban lasts at most 10 years"
FOUNDATION_RANGE = "parameters: foundation must be a non-zero address"
CLOSE_AMOUNT = "parameters: closing the genesis programme takes the amount 1"


def _propose(w: World, motion_args: MotionArgs, proposer: int = 2) -> int:
    return w.propose(w.nodes[proposer].address, SET_PARAMETERS, motion_args)


# VALIDATION AT PROPOSAL #

_BAD_SHAPES = {
    "nothing": args(),
    "one number": args(numbers=[VOTING_PERIOD]),
    "odd count": args(numbers=[VOTING_PERIOD, 2 * DAY, SPONSOR_WINDOW]),
    "an account": args([stranger()], [VOTING_PERIOD, 2 * DAY]),
    "a hash": args(numbers=[VOTING_PERIOD, 2 * DAY], hashes=[NO_HASH]),
    "a text": args(numbers=[VOTING_PERIOD, 2 * DAY], text="why"),
}


@pytest.mark.parametrize("case", list(_BAD_SHAPES))
def test_set_parameters__not_pairs__reverts(world: World, case: str) -> None:
    w = world
    with reverts_unchanged(w, PAIRS):
        _propose(w, _BAD_SHAPES[case])


@pytest.mark.parametrize(
    "numbers",
    [[0, 1], [11, 1], [2**256 - 1, 1], [VOTING_PERIOD, 2 * DAY, 11, 1]],
    ids=["id 0", "id 11", "id max", "second pair id 11"],
)
def test_set_parameters__unknown_id__reverts(world: World, numbers: list[int]) -> None:
    w = world
    with reverts_unchanged(w, UNKNOWN):
        _propose(w, args(numbers=numbers))


@pytest.mark.parametrize(
    "numbers",
    [
        [VOTING_PERIOD, 2 * DAY, VOTING_PERIOD, 2 * DAY],
        [VOTING_PERIOD, 2 * DAY, AUDIT_DUE, 9 * DAY, VOTING_PERIOD, 4 * DAY],
        [FOUNDATION, 1, FOUNDATION, 2],
    ],
    ids=["same pair twice", "first and third", "foundation twice"],
)
def test_set_parameters__duplicate_id__reverts(world: World, numbers: list[int]) -> None:
    w = world
    with reverts_unchanged(w, TWICE):
        _propose(w, args(numbers=numbers))


_OUT_OF_RANGE = [
    (VOTING_PERIOD, 3_599, VOTING_RANGE),
    (VOTING_PERIOD, 30 * DAY + 1, VOTING_RANGE),
    (SPONSOR_WINDOW, 3_599, SPONSOR_RANGE),
    (SPONSOR_WINDOW, 30 * DAY + 1, SPONSOR_RANGE),
    (EXECUTION_WINDOW, DAY - 1, EXECUTION_RANGE),
    (EXECUTION_WINDOW, 30 * DAY + 1, EXECUTION_RANGE),
    (NOTICE_PERIOD, 14 * DAY + 1, NOTICE_RANGE),
    (AUDIT_DUE, DAY - 1, AUDIT_RANGE),
    (AUDIT_DUE, 180 * DAY + 1, AUDIT_RANGE),
    (KOL_PER_USDT, 0, KOL_RANGE),
    (KOL_PER_USDT, 10**15 + 1, KOL_RANGE),
    (SUPER_BAN, 3_650 * DAY + 1, BAN_RANGE),
    (NODE_BAN, 3_650 * DAY + 1, BAN_RANGE),
    (FOUNDATION, 0, FOUNDATION_RANGE),
    (FOUNDATION, 2**160, FOUNDATION_RANGE),
    (CLOSE_GENESIS, 0, CLOSE_AMOUNT),
    (CLOSE_GENESIS, 2, CLOSE_AMOUNT),
]


@pytest.mark.parametrize(("parameter", "value", "reason"), _OUT_OF_RANGE)
def test_set_parameters__value_out_of_range__reverts(
    world: World, parameter: int, value: int, reason: str
) -> None:
    w = world
    with reverts_unchanged(w, reason):
        _propose(w, args(numbers=[parameter, value]))


_BOUNDARIES = [
    (VOTING_PERIOD, 3_600),
    (VOTING_PERIOD, 30 * DAY),
    (SPONSOR_WINDOW, 3_600),
    (SPONSOR_WINDOW, 30 * DAY),
    (EXECUTION_WINDOW, DAY),
    (EXECUTION_WINDOW, 30 * DAY),
    (NOTICE_PERIOD, 0),
    (NOTICE_PERIOD, 14 * DAY),
    (AUDIT_DUE, DAY),
    (AUDIT_DUE, 180 * DAY),
    (KOL_PER_USDT, 1),
    (KOL_PER_USDT, 10**15),
    (SUPER_BAN, 0),
    (SUPER_BAN, 3_650 * DAY),
    (NODE_BAN, 0),
    (NODE_BAN, 3_650 * DAY),
    (FOUNDATION, 1),
    (FOUNDATION, 2**160 - 1),
]


@pytest.mark.parametrize(("parameter", "value"), _BOUNDARIES)
def test_set_parameters__value_at_range_boundary__is_accepted(
    world: World, parameter: int, value: int
) -> None:
    w = world
    motion_id = _propose(w, args(numbers=[parameter, value]))
    assert w.motions.motion(motion_id).kind == SET_PARAMETERS


@pytest.mark.parametrize(
    "numbers", [[CLOSE_GENESIS, 1], [VOTING_PERIOD, 2 * DAY, CLOSE_GENESIS, 1]]
)
def test_set_parameters__close_genesis__needs_the_economy_module(
    world: World, numbers: list[int]
) -> None:
    w = world
    with reverts_unchanged(w, NO_ECONOMY):
        _propose(w, args(numbers=numbers))


# TWO STAGES #


def test_set_parameters__stages__super_51_then_nodes_51(world: World) -> None:
    w = world
    motion_id = _propose(w, args(numbers=[VOTING_PERIOD, 2 * DAY]))
    s1 = w.council.stage(w.stage_of(motion_id, 1))
    assert (s1.chamber, s1.electorate, s1.threshold) == (SUPER, 21, 11)
    vote_for(w, w.stage_of(motion_id, 1))
    assert w.motions.motion_status(motion_id) == AWAITING_STAGE
    stage2 = w.motions.advance(motion_id)
    s2 = w.council.stage(stage2)
    assert (s2.chamber, s2.electorate, s2.threshold) == (NODE, 30, 16)
    vote_for(w, stage2)
    assert w.motions.motion_status(motion_id) == PASSED


# EFFECTS #


def test_set_parameters__executed__every_parameter_changed_in_order(world: World) -> None:
    w = world
    new_foundation = key("new foundation").address
    changes = [
        (VOTING_PERIOD, 2 * DAY, "voting_period"),
        (SPONSOR_WINDOW, 5 * DAY, "sponsor_window"),
        (EXECUTION_WINDOW, 10 * DAY, "execution_window"),
        (NOTICE_PERIOD, DAY, "notice_period"),
        (AUDIT_DUE, 60 * DAY, "audit_due"),
        (KOL_PER_USDT, 2 * 10**12, "kol_per_usdt"),
        (SUPER_BAN, 30 * DAY, "super_ban"),
        (NODE_BAN, 60 * DAY, "node_ban"),
        (FOUNDATION, int(new_foundation, 16), "foundation"),
    ]
    numbers = [x for p, v, _ in changes for x in (p, v)]
    motion_args = args(numbers=numbers)
    motion_id = _propose(w, motion_args)
    pass_through(w, motion_id)

    w.motions.execute(motion_id, motion_args)

    logged = [(e.parameter, e.new_value) for e in events(w.motions, "ParameterChanged")]
    assert logged == [(p, v) for p, v, _ in changes]
    for _, value, getter in changes[:-1]:
        assert getattr(w.council, getter)() == value
    assert w.council.foundation() == new_foundation


def test_set_parameters__executed__untouched_parameters_keep_their_values(world: World) -> None:
    w = world
    before = {p: getattr(w.council, p)() for p in ("voting_period", "audit_due", "foundation")}
    motion_args = args(numbers=[SPONSOR_WINDOW, 2 * DAY])
    motion_id = _propose(w, motion_args)
    pass_through(w, motion_id)
    w.motions.execute(motion_id, motion_args)
    assert w.council.sponsor_window() == 2 * DAY
    assert {p: getattr(w.council, p)() for p in before} == before


def test_set_parameters__new_foundation__takes_the_foundations_role(world: World) -> None:
    w = world
    old, new = w.foundation, key("new foundation").address
    motion_args = args(numbers=[FOUNDATION, int(new, 16)])
    motion_id = _propose(w, motion_args)
    pass_through(w, motion_id)
    w.motions.execute(motion_id, motion_args)

    statement = args(numbers=[1], hashes=[b"\x05" * 32], text="ipfs://statement")
    with reverts_unchanged(w, ONLY_FOUNDATION):
        w.propose(old, PUBLISH_STATEMENT, statement)
    with reverts_unchanged(w, NO_ECONOMY):  # past the role check
        w.propose(new, PUBLISH_STATEMENT, statement)


def test_set_parameters__new_voting_period__applies_to_later_stages_only(world: World) -> None:
    w = world
    open_before = w.stage_of(open_node_stage(w, w.nodes[29].address))
    deadline_before = w.council.stage(open_before).deadline
    motion_args = args(numbers=[VOTING_PERIOD, 5 * DAY])
    motion_id = _propose(w, motion_args)
    pass_through(w, motion_id)
    w.motions.execute(motion_id, motion_args)

    opened_after = w.stage_of(open_node_stage(w, w.nodes[28].address))

    assert w.council.stage(open_before).deadline == deadline_before
    assert w.council.stage(opened_after).deadline == now() + 5 * DAY


def test_set_parameters__proposer_role__only_super_nodes(world: World) -> None:
    w = world
    with (
        reverts_unchanged(w, "motions: only a super node may propose this motion"),
        boa.env.prank(w.nodes[25].address),
    ):
        w.motions.propose(SET_PARAMETERS, args(numbers=[VOTING_PERIOD, 2 * DAY]))
