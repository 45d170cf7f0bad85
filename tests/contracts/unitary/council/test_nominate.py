"""``nominate``: the genesis administrator seats nodes directly, during the
genesis phase only, up to the 500-seat cap (§3)."""

from __future__ import annotations

from collections.abc import Iterator

import boa
import pytest

from tests.contracts.helpers import (
    DAY,
    NODE,
    POOL,
    REPLACE_ADMIN,
    SUPER,
    World,
    args,
    keys,
    make_world,
    next_block,
)
from tests.contracts.unitary.council._util import (
    ALREADY_SEATED,
    BANNED,
    GENESIS_CLOSED,
    META,
    NODES_FULL,
    ONLY_ADMIN,
    ZERO,
    ZERO_SEATED,
    addresses,
    block,
    events,
    forfeit_seat,
    member,
    now,
    register,
    reverts_unchanged,
    stranger,
)


@pytest.fixture(scope="module")
def world_499() -> Iterator[World]:
    """Genesis still open with 499 of the 500 node seats taken."""
    with boa.env.anchor():
        w = make_world(n_nodes=0)
        with boa.env.prank(w.admin):
            for i, a in enumerate(addresses(keys("council-unit-cap", 499))):
                w.council.nominate(a, f"community {i}", META)
        next_block()
        yield w


def test_nominate__by_the_admin__seats_a_node_with_the_next_id(genesis_world: World) -> None:
    w, c = genesis_world, genesis_world.council
    newcomer = stranger("newcomer")
    with boa.env.prank(w.admin):
        c.nominate(newcomer, "社区 newcomer", META)
    seated, nominated = events(c, "Seated"), events(c, "Nominated")
    assigned = events(c, "MemberIdAssigned")
    assert member(w, newcomer) == (11, True, False, False, 0, 0)
    assert c.seats(NODE) == 11 and c.member_count() == 11
    assert c.member_by_id(11) == newcomer
    assert c.seated_since(newcomer, NODE) == block()
    assert [(e.member, e.member_id, e.chamber, e.seats) for e in seated] == [
        (newcomer, 11, NODE, 11)
    ]
    assert [(e.member, e.member_id, e.name, e.metadata_hash) for e in nominated] == [
        (newcomer, 11, "社区 newcomer", META)
    ]
    assert [(e.member, e.member_id) for e in assigned] == [(newcomer, 11)]


def test_nominate__leaves_the_super_chamber_and_queues_untouched(genesis_world: World) -> None:
    w, c = genesis_world, genesis_world.council
    with boa.env.prank(w.admin):
        c.nominate(stranger("newcomer"), "n", META)
    assert c.seats(SUPER) == 0
    assert (c.queue_length(NODE), c.queue_length(SUPER)) == (0, 0)
    assert c.genesis_open()


def test_nominate__a_registered_candidate__leaves_the_pool_and_keeps_its_id(
    genesis_world: World,
) -> None:
    w, c = genesis_world, genesis_world.council
    candidate = stranger("candidate")
    register(w, [candidate])
    assert c.seats(POOL) == 1 and member(w, candidate)[0] == 11
    with boa.env.prank(w.admin):
        c.nominate(candidate, "n", META)
    assert events(c, "MemberIdAssigned") == []
    assert member(w, candidate)[:2] == (11, True)
    assert c.seats(POOL) == 0 and c.seats(NODE) == 11
    assert c.member_count() == 11  # no second id


@pytest.mark.parametrize("caller", ["node", "stranger", "foundation", "motions engine"])
def test_nominate__not_the_admin__reverts(genesis_world: World, caller: str) -> None:
    w = genesis_world
    who = {
        "node": w.nodes[0].address,
        "stranger": stranger(),
        "foundation": w.foundation,
        "motions engine": w.motions.address,
    }[caller]
    newcomer = stranger("newcomer")
    with reverts_unchanged(w, ONLY_ADMIN, [newcomer]), boa.env.prank(who):
        w.council.nominate(newcomer, "n", META)


def test_nominate__after_genesis_closed__reverts(world: World) -> None:
    w = world
    assert not w.council.genesis_open()
    newcomer = stranger("late")
    with reverts_unchanged(w, GENESIS_CLOSED, [newcomer]), boa.env.prank(w.admin):
        w.council.nominate(newcomer, "late", META)


def test_nominate__after_genesis_closed__a_vacant_seat_still__reverts(world: World) -> None:
    """Even with a free seat, only the alternates fill it once genesis is closed."""
    w = world
    with boa.env.prank(w.nodes[29].address):
        w.council.resign(NODE)
    assert w.council.seats(NODE) == 29
    newcomer = stranger("late")
    with reverts_unchanged(w, GENESIS_CLOSED, [newcomer]), boa.env.prank(w.admin):
        w.council.nominate(newcomer, "late", META)


def test_nominate__replaced_admin__old_reverts_and_new_nominates(genesis_world: World) -> None:
    w = genesis_world
    new_admin = stranger("new admin")
    w.pass_motion(w.nodes[0].address, REPLACE_ADMIN, args([new_admin]))
    assert w.council.admin() == new_admin
    newcomer = stranger("newcomer")
    with reverts_unchanged(w, ONLY_ADMIN, [newcomer]), boa.env.prank(w.admin):
        w.council.nominate(newcomer, "n", META)
    with boa.env.prank(new_admin):
        w.council.nominate(newcomer, "n", META)
    assert member(w, newcomer)[1]


def test_nominate__already_seated__reverts(genesis_world: World) -> None:
    w = genesis_world
    target = w.nodes[3].address
    with reverts_unchanged(w, ALREADY_SEATED, [target]), boa.env.prank(w.admin):
        w.council.nominate(target, "again", META)


def test_nominate__nominated_twice_in_one_block__second_reverts(genesis_world: World) -> None:
    w = genesis_world
    newcomer = stranger("newcomer")
    with boa.env.prank(w.admin):
        w.council.nominate(newcomer, "once", META)
    with reverts_unchanged(w, ALREADY_SEATED, [newcomer]), boa.env.prank(w.admin):
        w.council.nominate(newcomer, "twice", META)


def test_nominate__zero_address__reverts(genesis_world: World) -> None:
    w = genesis_world
    with reverts_unchanged(w, ZERO_SEATED, [ZERO]), boa.env.prank(w.admin):
        w.council.nominate(ZERO, "nobody", META)


def test_nominate__banned_from_the_node_chamber__reverts(genesis_world: World) -> None:
    w = genesis_world
    absentee = w.nodes[9].address
    forfeit_seat(w, absentee, NODE, addresses(w.nodes[:3]))
    ban_end = member(w, absentee)[4]
    assert not member(w, absentee)[1] and ban_end == now() + 180 * DAY
    with reverts_unchanged(w, BANNED, [absentee]), boa.env.prank(w.admin):
        w.council.nominate(absentee, "back", META)


def test_nominate__ban_expired__seats_again_with_the_same_id(genesis_world: World) -> None:
    w = genesis_world
    absentee = w.nodes[9].address
    forfeit_seat(w, absentee, NODE, addresses(w.nodes[:3]))
    boa.env.time_travel(seconds=member(w, absentee)[4] - 1 - now())
    with reverts_unchanged(w, BANNED, [absentee]), boa.env.prank(w.admin):
        w.council.nominate(absentee, "back", META)  # banned until its end timestamp
    boa.env.time_travel(seconds=1)
    with boa.env.prank(w.admin):
        w.council.nominate(absentee, "back", META)
    assert member(w, absentee)[:2] == (10, True)


def test_nominate__the_500th_seat__is_taken(world_499: World) -> None:
    w = world_499
    last = stranger("500th")
    with boa.env.prank(w.admin):
        w.council.nominate(last, "500th", META)
    assert w.council.seats(NODE) == 500
    assert member(w, last)[:2] == (500, True)


def test_nominate__the_501st__reverts(world_499: World) -> None:
    w = world_499
    with boa.env.prank(w.admin):
        w.council.nominate(stranger("500th"), "500th", META)
    extra = stranger("501st")
    with reverts_unchanged(w, NODES_FULL, [extra]), boa.env.prank(w.admin):
        w.council.nominate(extra, "501st", META)
    assert w.council.seats(NODE) == 500 and w.council.member_count() == 500


def test_nominate__a_freed_500th_seat__can_be_taken_again(world_499: World) -> None:
    w = world_499
    with boa.env.prank(w.admin):
        w.council.nominate(stranger("500th"), "500th", META)
    with boa.env.prank(keys("council-unit-cap", 1)[0].address):
        w.council.resign(NODE)
    with boa.env.prank(w.admin):
        w.council.nominate(stranger("501st"), "501st", META)
    assert w.council.seats(NODE) == 500
