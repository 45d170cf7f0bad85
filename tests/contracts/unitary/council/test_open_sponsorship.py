"""``open_sponsorship`` (MOTION EFFECTS): only the motions engine opens a
sponsorship round (§4)."""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import DAY, NODE, World
from tests.contracts.unitary.council._util import (
    ONLY_MOTIONS,
    OUTSIDERS,
    as_engine,
    block,
    now,
    outsider,
    reverts_unchanged,
)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_open_sponsorship__not_the_motions_engine__reverts(world: World, who: str) -> None:
    w = world
    with reverts_unchanged(w, ONLY_MOTIONS), boa.env.prank(outsider(w, who)):
        w.council.open_sponsorship(99, NODE, 10)
    assert w.council.sponsorship_word(99) == 0


def test_open_sponsorship__by_the_motions_engine__opens_the_round(world: World) -> None:
    w, c = world, world.council
    with as_engine(w):
        c.open_sponsorship(99, NODE, 10)
    s = c.sponsorship(99)
    assert (s.body, s.proposed_block, s.deadline, s.electorate, s.threshold, s.sponsors) == (
        NODE,
        block(),
        now() + 7 * DAY,
        30,
        3,
        0,
    )
