"""``open_stage`` (MOTION EFFECTS): only the motions engine opens stages (§4)."""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import DAY, NODE, SUPER, World
from tests.contracts.unitary.council._util import (
    ONLY_MOTIONS,
    OUTSIDERS,
    as_engine,
    block,
    events,
    now,
    outsider,
    reverts_unchanged,
)


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("chamber", [NODE, SUPER])
def test_open_stage__not_the_motions_engine__reverts(world: World, who: str, chamber: int) -> None:
    w = world
    next_id = (w.council.stage_count(chamber) + 1) * 2 + chamber
    with reverts_unchanged(w, ONLY_MOTIONS), boa.env.prank(outsider(w, who)):
        w.council.open_stage(99, chamber, 51)
    assert w.council.stage_word(next_id) == 0


def test_open_stage__by_the_motions_engine__opens_a_stage(world: World) -> None:
    w, c = world, world.council
    seq = c.stage_count(SUPER) + 1
    with as_engine(w):
        stage_id = c.open_stage(99, SUPER, 51)
    opened = events(c, "StageOpened")
    assert stage_id == seq * 2 + SUPER and c.stage_count(SUPER) == seq
    s = c.stage(stage_id)
    assert (s.motion_id, s.opened_block, s.deadline, s.electorate, s.threshold) == (
        99,
        block(),
        now() + 3 * DAY,
        21,
        11,
    )
    assert [(e.stage_id, e.motion_id, e.chamber, e.threshold) for e in opened] == [
        (stage_id, 99, SUPER, 11)
    ]
