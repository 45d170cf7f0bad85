"""``is_queued``: whether an address waits in a chamber's alternate queue (§3)."""

from __future__ import annotations

import boa

from tests.contracts.helpers import NODE, SUPER, World
from tests.contracts.unitary.council._util import candidates, enqueue_as_engine, stranger


def test_is_queued__super_alternates__true_in_the_super_queue_only(world: World) -> None:
    c = world.council
    for k in world.nodes[21:24]:
        assert c.is_queued(k.address, SUPER) and not c.is_queued(k.address, NODE)


def test_is_queued__super_nodes_plain_nodes_strangers__false(world: World) -> None:
    c = world.council
    for a in (world.nodes[0].address, world.nodes[25].address, stranger()):
        assert not c.is_queued(a, SUPER) and not c.is_queued(a, NODE)


def test_is_queued__seated_from_the_queue__false(world: World) -> None:
    w, c = world, world.council
    with boa.env.prank(w.nodes[0].address):
        c.resign(SUPER)
    assert not c.is_queued(w.nodes[21].address, SUPER)
    assert c.is_queued(w.nodes[22].address, SUPER)


def test_is_queued__alternate_who_became_ineligible__true_until_dropped(world: World) -> None:
    """The queue is not rewritten when an alternate leaves its node seat; the
    entry waits until it reaches the head and is dropped there."""
    w, c = world, world.council
    alternate = w.nodes[22].address
    with boa.env.prank(alternate):
        c.resign(NODE)
    assert c.is_queued(alternate, SUPER)
    for k in w.nodes[:2]:
        with boa.env.prank(k.address):
            c.resign(SUPER)
    assert not c.is_queued(alternate, SUPER)
    assert c.is_queued(w.nodes[23].address, SUPER) is False  # seated by the second resignation


def test_is_queued__node_queue(full_world: World) -> None:
    w, c = full_world, full_world.council
    queued, other = candidates(2)
    enqueue_as_engine(w, NODE, [queued])
    assert c.is_queued(queued, NODE) and not c.is_queued(queued, SUPER)
    assert not c.is_queued(other, NODE)
