"""``set_parameter`` (MOTION EFFECTS): only the motions engine changes a
parameter (SET_PARAMETERS, §10), and only within its range."""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import DAY, World
from tests.contracts.unitary.council._util import (
    ONLY_MOTIONS,
    OUTSIDERS,
    as_engine,
    events,
    outsider,
    reverts_unchanged,
    snapshot,
)


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize(("parameter", "value"), [(1, 3_600), (8, 0), (9, 0xF0)])
def test_set_parameter__not_the_motions_engine__reverts(
    world: World, who: str, parameter: int, value: int
) -> None:
    w = world
    with reverts_unchanged(w, ONLY_MOTIONS), boa.env.prank(outsider(w, who)):
        w.council.set_parameter(parameter, value)


def test_set_parameter__by_the_motions_engine__changed(world: World) -> None:
    w, c = world, world.council
    with as_engine(w):
        c.set_parameter(1, 3_600)
    changed = [(e.parameter, e.new_value) for e in events(c, "ParameterChanged")]
    assert changed == [(1, 3_600)] and c.voting_period() == 3_600


def test_set_parameter__by_the_motions_engine_out_of_range__reverts(world: World) -> None:
    w = world
    with (
        reverts_unchanged(w, "parameters: voting_period must be 1 hour to 30 days"),
        as_engine(w),
    ):
        w.council.set_parameter(1, 30 * DAY + 1)


@pytest.mark.parametrize("parameter", [0, 11, 2**256 - 1])
def test_set_parameter__by_the_motions_engine_unknown_id__reverts(
    world: World, parameter: int
) -> None:
    w = world
    with reverts_unchanged(w, "parameters: unknown parameter id"), as_engine(w):
        w.council.set_parameter(parameter, 1)


def test_set_parameter__close_genesis_id__not_stored_by_the_council(world: World) -> None:
    """Id 10 (closing the genesis programme) is applied by the economy module;
    the council accepts only the amount 1 and changes nothing of its own."""
    w = world
    before = snapshot(w)
    with as_engine(w):
        w.council.set_parameter(10, 1)
    assert events(w.council, "ParameterChanged") == [] and snapshot(w) == before
    with (
        reverts_unchanged(w, "parameters: closing the genesis programme takes the amount 1"),
        as_engine(w),
    ):
        w.council.set_parameter(10, 2)
