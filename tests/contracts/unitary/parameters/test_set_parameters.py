"""SET_PARAMETERS (§5, §10): an executed motion (super 51%, then nodes 51%)
changes the parameters it names, and nothing else."""

from __future__ import annotations

import pytest

from tests.contracts.helpers import DAY, SET_PARAMETERS, SUPER, World, args
from tests.contracts.unitary.parameters._util import (
    BY_ID,
    NAMED_TWICE,
    PAIRS_ONLY,
    PARAMETERS,
    UNKNOWN_ID,
    Parameter,
    changed_events,
    propose,
    refused,
    set_parameters,
    value_of,
    values,
)

NEW_FOUNDATION = 0x00000000000000000000000000000000000000F0

#: A new value for each parameter, different from its default.
NEW_VALUES = {
    1: 5 * DAY,
    2: 2 * DAY,
    3: 10 * DAY,
    4: 2 * DAY,
    5: 60 * DAY,
    6: 2 * 10**12,
    7: 30 * DAY,
    8: 365 * DAY,
    9: NEW_FOUNDATION,
}


@pytest.mark.parametrize("p", PARAMETERS, ids=lambda p: p.getter)
def test_set_parameters__one_parameter__changed_and_nothing_else(
    world: World, p: Parameter
) -> None:
    w = world
    before = values(w)
    set_parameters(w, [p.id, NEW_VALUES[p.id]])
    assert changed_events(w) == [(p.id, NEW_VALUES[p.id])]
    assert values(w) == {**before, p.getter: NEW_VALUES[p.id]}


def test_set_parameters__foundation__the_address(world: World) -> None:
    set_parameters(world, [9, NEW_FOUNDATION])
    assert world.council.foundation() == "0x00000000000000000000000000000000000000F0"


def test_set_parameters__all_nine_in_one_motion(world: World) -> None:
    w = world
    numbers = [n for pid in range(1, 10) for n in (pid, NEW_VALUES[pid])]
    set_parameters(w, numbers)
    assert changed_events(w) == [(pid, NEW_VALUES[pid]) for pid in range(1, 10)]
    assert values(w) == {BY_ID[pid].getter: NEW_VALUES[pid] for pid in range(1, 10)}


def test_set_parameters__pairs_in_any_order(world: World) -> None:
    w = world
    set_parameters(w, [8, NEW_VALUES[8], 1, NEW_VALUES[1]])
    assert changed_events(w) == [(8, NEW_VALUES[8]), (1, NEW_VALUES[1])]


def test_set_parameters__same_value_again__accepted(world: World) -> None:
    w = world
    set_parameters(w, [1, 3 * DAY])
    assert w.council.voting_period() == 3 * DAY


def test_set_parameters__only_on_execution(world: World) -> None:
    """Proposing and voting change nothing; execution does (§4)."""
    w = world
    before = values(w)
    motion_args = args(numbers=[1, NEW_VALUES[1]])
    motion_id = w.propose(w.supers[5].address, SET_PARAMETERS, motion_args)
    w.vote(w.chamber(SUPER), w.stage_of(motion_id))
    w.motions.advance(motion_id)
    w.vote(w.chamber(0), w.stage_of(motion_id, 2))
    assert values(w) == before
    w.motions.execute(motion_id, motion_args)
    assert w.council.voting_period() == NEW_VALUES[1]


@pytest.mark.parametrize("unknown", [0, 11, 12, 2**256 - 1])
def test_set_parameters__unknown_id__reverts(world: World, unknown: int) -> None:
    with refused(world, UNKNOWN_ID):
        propose(world, [unknown, 1])


def test_set_parameters__unknown_id_after_a_valid_pair__reverts(world: World) -> None:
    with refused(world, UNKNOWN_ID):
        propose(world, [1, 5 * DAY, 11, 1])


@pytest.mark.parametrize("pid", [1, 9])
def test_set_parameters__duplicated_id__reverts(world: World, pid: int) -> None:
    with refused(world, NAMED_TWICE):
        propose(world, [pid, NEW_VALUES[pid], pid, NEW_VALUES[pid]])


def test_set_parameters__duplicated_id_apart__reverts(world: World) -> None:
    with refused(world, NAMED_TWICE):
        propose(world, [1, 5 * DAY, 4, 0, 1, 4 * DAY])


@pytest.mark.parametrize("numbers", [[], [1], [1, DAY, 2]], ids=["none", "one", "three"])
def test_set_parameters__not_pairs__reverts(world: World, numbers: list[int]) -> None:
    with refused(world, PAIRS_ONLY):
        propose(world, numbers)


def test_set_parameters__with_accounts__reverts(world: World) -> None:
    w = world
    with refused(w, PAIRS_ONLY):
        w.motions.propose(SET_PARAMETERS, args(accounts=[w.nodes[0].address], numbers=[1, DAY]))


def test_set_parameters__value_is_of_the_parameter_named(world: World) -> None:
    """A value valid for one parameter but out of range for the one named is refused."""
    with refused(world, BY_ID[1].reason):
        propose(world, [1, 0])  # 0 is a valid notice period, not a valid voting period
    assert value_of(world, BY_ID[1]) == 3 * DAY
