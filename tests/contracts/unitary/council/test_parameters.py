"""The parameters of §10: defaults and the motion that changes them."""

from __future__ import annotations

from collections.abc import Iterator

import boa
import pytest

from tests.contracts.helpers import DAY, SET_PARAMETERS, World, args, make_world


@pytest.fixture(scope="module")
def w() -> Iterator[World]:
    with boa.env.anchor():
        yield make_world(n_nodes=25, n_supers=21)


def test_defaults_of_section_10(w: World) -> None:
    c = w.council
    assert (c.voting_period(), c.sponsor_window(), c.execution_window(), c.notice_period()) == (
        3 * DAY,
        7 * DAY,
        7 * DAY,
        0,
    )
    assert (c.audit_due(), c.kol_per_usdt(), c.super_ban(), c.node_ban()) == (
        30 * DAY,
        10**12,
        90 * DAY,
        180 * DAY,
    )
    assert c.foundation() == w.foundation


@pytest.mark.parametrize(
    ("parameter", "low", "high", "reason"),
    [
        (1, 3_600, 30 * DAY, "parameters: voting_period must be 1 hour to 30 days"),
        (2, 3_600, 30 * DAY, "parameters: sponsor_window must be 1 hour to 30 days"),
        (3, DAY, 30 * DAY, "parameters: execution_window must be 1 to 30 days"),
        (5, DAY, 180 * DAY, "parameters: audit_due must be 1 to 180 days"),
        (6, 1, 10**15, "parameters: kol_per_usdt must be 1 to 10**15 base units per USDT unit"),
    ],
)
def test_set_parameters__range_boundaries(
    w: World, parameter: int, low: int, high: int, reason: str
) -> None:
    proposer = w.supers[parameter].address
    for bad in (low - 1, high + 1):
        with boa.env.prank(proposer), boa.reverts(reason):
            w.motions.propose(SET_PARAMETERS, args(numbers=[parameter, bad]))
    w.pass_motion(proposer, SET_PARAMETERS, args(numbers=[parameter, high]))
    getter = {
        1: "voting_period",
        2: "sponsor_window",
        3: "execution_window",
        5: "audit_due",
        6: "kol_per_usdt",
    }
    assert getattr(w.council, getter[parameter])() == high


def test_set_parameters__foundation_and_bans(w: World) -> None:
    new_foundation = "0x00000000000000000000000000000000000000F0"
    w.pass_motion(
        w.supers[10].address,
        SET_PARAMETERS,
        args(numbers=[9, int(new_foundation, 16), 7, 30 * DAY, 8, 60 * DAY]),
    )
    assert w.council.foundation() == new_foundation
    assert (w.council.super_ban(), w.council.node_ban()) == (30 * DAY, 60 * DAY)


def test_set_parameters__notice_and_unknown(w: World) -> None:
    with boa.env.prank(w.supers[11].address):
        with boa.reverts("parameters: notice_period must be at most 14 days"):
            w.motions.propose(SET_PARAMETERS, args(numbers=[4, 14 * DAY + 1]))
        with boa.reverts("parameters: unknown parameter id"):
            w.motions.propose(SET_PARAMETERS, args(numbers=[11, 1]))
        with boa.reverts("parameters: foundation must be a non-zero address"):
            w.motions.propose(SET_PARAMETERS, args(numbers=[9, 0]))


def test_set_parameter__only_the_motions_engine(w: World) -> None:
    with boa.reverts("council: only the motions engine"):
        w.council.set_parameter(1, DAY)
    assert w.council.voting_period() == 3 * DAY
