"""``queue_length``: how many alternates wait in a chamber's queue, eligible
or not (an ineligible entry counts until it is dropped at the head)."""

from __future__ import annotations

import boa

from tests.contracts.helpers import NODE, SUPER, World
from tests.contracts.unitary.council._util import candidates, enqueue_as_engine


def test_queue_length__fresh_alliance__zero(genesis_world: World) -> None:
    c = genesis_world.council
    assert (c.queue_length(NODE), c.queue_length(SUPER)) == (0, 0)


def test_queue_length__ratified_alternates(world: World) -> None:
    c = world.council
    assert (c.queue_length(NODE), c.queue_length(SUPER)) == (0, 3)


def test_queue_length__each_seated_head__one_less(world: World) -> None:
    w, c = world, world.council
    for i, k in enumerate(w.nodes[:3]):
        with boa.env.prank(k.address):
            c.resign(SUPER)
        assert c.queue_length(SUPER) == 2 - i


def test_queue_length__ineligible_entry__counted_until_dropped(world: World) -> None:
    w, c = world, world.council
    with boa.env.prank(w.nodes[21].address):
        c.resign(NODE)
    assert c.queue_length(SUPER) == 3
    with boa.env.prank(w.nodes[0].address):
        c.resign(SUPER)  # drops the head, seats the next one
    assert c.queue_length(SUPER) == 1


def test_queue_length__node_queue(full_world: World) -> None:
    w, c = full_world, full_world.council
    enqueue_as_engine(w, NODE, candidates(5))
    assert (c.queue_length(NODE), c.queue_length(SUPER)) == (5, 3)
