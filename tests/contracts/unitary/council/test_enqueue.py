"""``enqueue`` (MOTION EFFECTS): only the motions engine appends alternates
(REPLENISH_*_ALTERNATES); free seats are then filled from the queue (§3, §5)."""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import NODE, POOL, SUPER, World
from tests.contracts.unitary.council._util import (
    ONLY_MOTIONS,
    OUTSIDERS,
    addresses,
    as_engine,
    events,
    member,
    outsider,
    queue,
    register,
    reverts_unchanged,
    stranger,
)


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("chamber", [NODE, SUPER])
def test_enqueue__not_the_motions_engine__reverts(world: World, who: str, chamber: int) -> None:
    w = world
    register(w, [stranger("candidate")])
    account = stranger("candidate") if chamber == NODE else w.nodes[25].address
    with reverts_unchanged(w, ONLY_MOTIONS, [account]), boa.env.prank(outsider(w, who)):
        w.council.enqueue(chamber, [account])


def test_enqueue__super_chamber_full__appended_in_order(world: World) -> None:
    w, c = world, world.council
    three = addresses(w.nodes[27:24:-1])
    with as_engine(w):
        c.enqueue(SUPER, three)
    queued = [(e.member, e.chamber, e.position) for e in events(c, "Queued")]
    assert queued == [(three[0], SUPER, 4), (three[1], SUPER, 5), (three[2], SUPER, 6)]
    assert queue(w, SUPER) == addresses(w.nodes[21:24]) + three


def test_enqueue__free_node_seats__seated_at_once(genesis_world: World) -> None:
    w, c = genesis_world, genesis_world.council
    five = [stranger(f"candidate {i}") for i in range(5)]
    register(w, five)
    with as_engine(w):
        c.enqueue(NODE, five)
    assert [e.member for e in events(c, "Seated")] == five
    assert all(member(w, a)[1] for a in five)
    assert (c.seats(NODE), c.seats(POOL), c.queue_length(NODE)) == (15, 0, 0)
