"""SET_PARAMETERS: every parameter's range, at its boundaries — the smallest
and largest allowed values pass and take effect, one below and one above
are refused when the motion is proposed, with the parameter's own reason."""

from __future__ import annotations

import pytest

from tests.contracts.helpers import World
from tests.contracts.unitary.parameters._util import (
    PARAMETERS,
    Parameter,
    changed_events,
    propose,
    refused,
    set_parameters,
    value_of,
)

_IDS = {"ids": lambda p: p.getter}


@pytest.mark.parametrize("p", PARAMETERS, **_IDS)
def test_set_parameters__minimum__accepted(world: World, p: Parameter) -> None:
    set_parameters(world, [p.id, p.low])
    assert value_of(world, p) == p.low
    assert changed_events(world) == [(p.id, p.low)]


@pytest.mark.parametrize("p", PARAMETERS, **_IDS)
def test_set_parameters__maximum__accepted(world: World, p: Parameter) -> None:
    set_parameters(world, [p.id, p.high])
    assert value_of(world, p) == p.high
    assert changed_events(world) == [(p.id, p.high)]


@pytest.mark.parametrize("p", [p for p in PARAMETERS if p.low > 0], **_IDS)
def test_set_parameters__below_minimum__reverts(world: World, p: Parameter) -> None:
    with refused(world, p.reason):
        propose(world, [p.id, p.low - 1])


@pytest.mark.parametrize("p", PARAMETERS, **_IDS)
def test_set_parameters__above_maximum__reverts(world: World, p: Parameter) -> None:
    with refused(world, p.reason):
        propose(world, [p.id, p.high + 1])


@pytest.mark.parametrize("p", PARAMETERS, **_IDS)
def test_set_parameters__far_above_maximum__reverts(world: World, p: Parameter) -> None:
    with refused(world, p.reason):
        propose(world, [p.id, 2**256 - 1])


@pytest.mark.parametrize("p", PARAMETERS, **_IDS)
def test_set_parameters__one_bad_pair_among_good_ones__reverts(world: World, p: Parameter) -> None:
    other = 1 if p.id != 1 else 2
    with refused(world, p.reason):
        propose(world, [other, 2 * 86_400, p.id, p.high + 1])
