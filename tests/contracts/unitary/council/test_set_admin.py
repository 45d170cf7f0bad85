"""``set_admin`` (MOTION EFFECTS): only the motions engine replaces the
administrator (REPLACE_ADMIN, §1, §5)."""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import World
from tests.contracts.unitary.council._util import (
    ONLY_MOTIONS,
    OUTSIDERS,
    as_engine,
    events,
    outsider,
    reverts_unchanged,
    stranger,
)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_set_admin__not_the_motions_engine__reverts(genesis_world: World, who: str) -> None:
    w = genesis_world
    with reverts_unchanged(w, ONLY_MOTIONS), boa.env.prank(outsider(w, who)):
        w.council.set_admin(stranger("usurper"))
    assert w.council.admin() == w.admin


def test_set_admin__by_the_motions_engine__admin_replaced(genesis_world: World) -> None:
    w, c = genesis_world, genesis_world.council
    with as_engine(w):
        c.set_admin(stranger("new admin"))
    changed = [(e.previous, e.admin) for e in events(c, "AdminChanged")]
    assert changed == [(w.admin, stranger("new admin"))]
    assert c.admin() == stranger("new admin")
