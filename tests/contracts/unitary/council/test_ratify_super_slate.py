"""``ratify_super_slate`` (MOTION EFFECTS): only the motions engine seats the
genesis super-node slate and closes the genesis phase (§3, §5)."""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import NODE, SUPER, World
from tests.contracts.unitary.council._util import (
    ONLY_MOTIONS,
    OUTSIDERS,
    addresses,
    as_engine,
    events,
    member,
    outsider,
    queue,
    reverts_unchanged,
)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_ratify_super_slate__not_the_motions_engine__reverts(
    genesis_world: World, who: str
) -> None:
    w = genesis_world
    slate = addresses(w.nodes[:3])
    with reverts_unchanged(w, ONLY_MOTIONS, slate), boa.env.prank(outsider(w, who)):
        w.council.ratify_super_slate(slate, 2)
    assert w.council.genesis_open()


def test_ratify_super_slate__by_the_motions_engine__seats_queues_and_closes_genesis(
    genesis_world: World,
) -> None:
    w, c = genesis_world, genesis_world.council
    accounts = addresses(w.nodes[:4])
    with as_engine(w):
        c.ratify_super_slate(accounts, 2)
    closed = events(c, "GenesisClosed")
    assert [(e.nodes, e.super_nodes) for e in closed] == [(10, 2)]
    assert [member(w, a)[2] for a in accounts] == [True, True, False, False]
    assert queue(w, SUPER) == accounts[2:]
    assert (c.seats(NODE), c.seats(SUPER)) == (10, 2)
    assert not c.genesis_open()
