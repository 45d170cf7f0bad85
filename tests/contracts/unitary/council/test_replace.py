"""``replace`` (MOTION EFFECTS): only the motions engine replaces a node
(REPLACE_NODE) or a super node (REPLACE_SUPER_NODE) (§5)."""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import NODE, SUPER, World
from tests.contracts.unitary.council._util import (
    LEFT_REPLACED,
    LEFT_WITH_NODE_SEAT,
    ONLY_MOTIONS,
    OUTSIDERS,
    as_engine,
    events,
    member,
    outsider,
    reverts_unchanged,
    stranger,
)


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("chamber", [NODE, SUPER])
def test_replace__not_the_motions_engine__reverts(world: World, who: str, chamber: int) -> None:
    w = world
    old, new = w.nodes[0].address, (stranger("new") if chamber == NODE else w.nodes[25].address)
    with reverts_unchanged(w, ONLY_MOTIONS, [old, new]), boa.env.prank(outsider(w, who)):
        w.council.replace(chamber, old, new)


def test_replace__node_by_the_motions_engine__old_out_new_in(world: World) -> None:
    w, c = world, world.council
    old, new = w.nodes[25].address, stranger("new")
    with as_engine(w):
        c.replace(NODE, old, new)
    unseated = [(e.member, e.chamber, e.reason) for e in events(c, "Unseated")]
    assert unseated == [(old, NODE, LEFT_REPLACED)]
    assert member(w, old)[1] is False and member(w, new)[:2] == (31, True)
    assert c.seats(NODE) == 30


def test_replace__super_node_as_a_node__super_seat_refilled_from_the_queue(world: World) -> None:
    w, c = world, world.council
    old, new = w.nodes[0].address, stranger("new")
    with as_engine(w):
        c.replace(NODE, old, new)
    unseated = [(e.member, e.chamber, e.reason) for e in events(c, "Unseated")]
    seated = [(e.member, e.chamber) for e in events(c, "Seated")]
    assert unseated == [(old, SUPER, LEFT_WITH_NODE_SEAT), (old, NODE, LEFT_REPLACED)]
    assert seated == [(new, NODE), (w.nodes[21].address, SUPER)]
    assert not member(w, new)[2]  # the newcomer takes the node seat only
    assert (c.seats(NODE), c.seats(SUPER)) == (30, 21)


def test_replace__super_seat__old_stays_a_node(world: World) -> None:
    w, c = world, world.council
    old, new = w.nodes[0].address, w.nodes[25].address
    with as_engine(w):
        c.replace(SUPER, old, new)
    assert member(w, old)[1:3] == (True, False)
    assert member(w, new)[1:3] == (True, True)
    assert (c.seats(SUPER), c.queue_length(SUPER)) == (21, 3)
