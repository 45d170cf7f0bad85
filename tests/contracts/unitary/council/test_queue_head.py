"""``queue_head`` and ``queue_tail``: the queue's ends as positions (the
head's entry is ``queue_at(chamber, queue_head)``; the tail is one past the
last entry). Positions start at 1."""

from __future__ import annotations

import boa

from tests.contracts.helpers import NODE, SUPER, World
from tests.contracts.unitary.council._util import candidates, enqueue_as_engine


def test_queue_head__fresh_alliance__head_equals_tail_at_one(genesis_world: World) -> None:
    c = genesis_world.council
    for chamber in (NODE, SUPER):
        assert (c.queue_head(chamber), c.queue_tail(chamber)) == (1, 1)


def test_queue_head__ratified_alternates__tail_after_them(world: World) -> None:
    c = world.council
    assert (c.queue_head(SUPER), c.queue_tail(SUPER)) == (1, 4)
    assert (c.queue_head(NODE), c.queue_tail(NODE)) == (1, 1)


def test_queue_head__seated_and_dropped_heads__head_moves_tail_stays(world: World) -> None:
    w, c = world, world.council
    with boa.env.prank(w.nodes[22].address):
        c.resign(NODE)  # the second alternate becomes ineligible
    with boa.env.prank(w.nodes[0].address):
        c.resign(SUPER)  # seats the first
    assert (c.queue_head(SUPER), c.queue_tail(SUPER)) == (2, 4)
    with boa.env.prank(w.nodes[1].address):
        c.resign(SUPER)  # drops the second, seats the third
    assert (c.queue_head(SUPER), c.queue_tail(SUPER)) == (4, 4)
    assert c.queue_head(SUPER) + c.queue_length(SUPER) == c.queue_tail(SUPER)


def test_queue_tail__appended_entries__tail_grows(full_world: World) -> None:
    w, c = full_world, full_world.council
    enqueue_as_engine(w, NODE, candidates(2))
    assert (c.queue_head(NODE), c.queue_tail(NODE)) == (1, 3)
    enqueue_as_engine(w, NODE, candidates(5)[2:])
    assert (c.queue_head(NODE), c.queue_tail(NODE)) == (1, 6)
