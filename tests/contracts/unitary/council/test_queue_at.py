"""``queue_at``: the alternate at a position of a chamber's queue (§3);
positions start at 1 and never move."""

from __future__ import annotations

import boa

from tests.contracts.helpers import NODE, SUPER, World
from tests.contracts.unitary.council._util import (
    ZERO,
    addresses,
    candidates,
    enqueue_as_engine,
    stranger,
)


def test_queue_at__ratified_alternates__in_the_order_given(world: World) -> None:
    c = world.council
    assert [c.queue_at(SUPER, p) for p in (1, 2, 3)] == addresses(world.nodes[21:24])


def test_queue_at__position_zero_and_past_the_tail__zero_address(world: World) -> None:
    c = world.council
    assert c.queue_at(SUPER, 0) == ZERO
    assert c.queue_at(SUPER, 4) == ZERO
    assert c.queue_at(NODE, 1) == ZERO


def test_queue_at__seated_head__entry_kept_positions_unchanged(world: World) -> None:
    w, c = world, world.council
    with boa.env.prank(w.nodes[0].address):
        c.resign(SUPER)
    assert [c.queue_at(SUPER, p) for p in (1, 2, 3)] == addresses(w.nodes[21:24])
    assert c.queue_head(SUPER) == 2


def test_queue_at__appended_entries__after_the_tail(full_world: World) -> None:
    w, c = full_world, full_world.council
    first, second, third = candidates(3)
    enqueue_as_engine(w, NODE, [first, second])
    enqueue_as_engine(w, NODE, [third])
    assert [c.queue_at(NODE, p) for p in (1, 2, 3)] == [first, second, third]
    assert c.queue_at(SUPER, 4) == ZERO and c.queue_at(NODE, 4) == ZERO
    assert stranger() not in [c.queue_at(NODE, p) for p in range(5)]
