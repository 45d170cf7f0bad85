"""``electorate``: the size a body had at the start of the current block —
the electorate of a stage or sponsorship opened now (§4: "the members seated
in that chamber before the block in which it opened")."""

from __future__ import annotations

import boa

from tests.contracts.helpers import NODE, POOL, REPLACE_ADMIN, SUPER, World, args, next_block
from tests.contracts.unitary.council._util import META, register, stranger


def test_electorate__seat_in_the_same_block__unchanged_until_the_next_block(
    genesis_world: World,
) -> None:
    w, c = genesis_world, genesis_world.council
    with boa.env.prank(w.admin):
        c.nominate(stranger("a"), "a", META)
    assert (c.seats(NODE), c.electorate(NODE)) == (11, 10)
    next_block()
    assert (c.seats(NODE), c.electorate(NODE)) == (11, 11)


def test_electorate__many_changes_in_one_block__size_at_its_start(genesis_world: World) -> None:
    w, c = genesis_world, genesis_world.council
    with boa.env.prank(w.admin):
        for i in range(3):
            c.nominate(stranger(f"n{i}"), "n", META)
    with boa.env.prank(w.nodes[0].address):
        c.resign(NODE)
    assert (c.seats(NODE), c.electorate(NODE)) == (12, 10)
    next_block()
    assert c.electorate(NODE) == 12


def test_electorate__resignation_in_the_same_block__unchanged_until_the_next_block(
    genesis_world: World,
) -> None:
    w, c = genesis_world, genesis_world.council
    with boa.env.prank(w.nodes[0].address):
        c.resign(NODE)
    assert (c.seats(NODE), c.electorate(NODE)) == (9, 10)
    next_block()
    assert c.electorate(NODE) == 9


def test_electorate__seat_then_leave_in_one_block__back_to_the_same_size(
    genesis_world: World,
) -> None:
    w, c = genesis_world, genesis_world.council
    with boa.env.prank(w.admin):
        c.nominate(stranger("a"), "a", META)
    with boa.env.prank(stranger("a")):
        c.resign(NODE)
    next_block()
    assert (c.seats(NODE), c.electorate(NODE)) == (10, 10)


def test_electorate__unchanged_block_after_block(genesis_world: World) -> None:
    c = genesis_world.council
    for _ in range(3):
        next_block()
        assert c.electorate(NODE) == c.seats(NODE) == 10


def test_electorate__super_chamber__size_at_the_start_of_the_block(world: World) -> None:
    w, c = world, world.council
    for k in w.nodes[:4]:  # three refills use up the queue; the fourth seat stays free
        with boa.env.prank(k.address):
            c.resign(SUPER)
    assert (c.seats(SUPER), c.electorate(SUPER)) == (20, 21)
    next_block()
    assert c.electorate(SUPER) == 20


def test_electorate__candidate_pool__size_at_the_start_of_the_block(world: World) -> None:
    w, c = world, world.council
    register(w, [stranger("a"), stranger("b")])
    assert (c.seats(POOL), c.electorate(POOL)) == (2, 0)
    next_block()
    assert c.electorate(POOL) == 2


def test_electorate__stage_opened_in_the_block__uses_the_size_at_its_start(
    genesis_world: World,
) -> None:
    """A stage opened in the block of a seating fixes the pre-block electorate
    and its threshold: 67% of 10 = 7, not 67% of 12 = 9."""
    w, c = genesis_world, genesis_world.council
    with boa.env.prank(w.admin):
        c.nominate(stranger("a"), "a", META)
        c.nominate(stranger("b"), "b", META)
    motion_id = w.propose(w.nodes[0].address, REPLACE_ADMIN, args([stranger("new admin")]))
    stage = c.stage(w.stage_of(motion_id))
    assert (stage.electorate, stage.threshold) == (10, 7)
    next_block()
    motion_id = w.propose(w.nodes[1].address, REPLACE_ADMIN, args([stranger("new admin")]))
    stage = c.stage(w.stage_of(motion_id))
    assert (stage.electorate, stage.threshold) == (12, 9)


def test_electorate__unknown_body__zero(world: World) -> None:
    assert world.council.electorate(3) == 0
