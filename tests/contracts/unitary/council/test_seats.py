"""Seats, candidates, resignation and refills (§1, §3)."""

from __future__ import annotations

import boa

from tests.contracts.helpers import (
    NODE,
    POOL,
    REPLENISH_NODE_ALTERNATES,
    SUPER,
    World,
    key,
    keys,
    make_world,
    next_block,
)

ZERO = "0x0000000000000000000000000000000000000000"


def _member(w: World, address: str) -> tuple[int, bool, bool, bool, int, int]:
    m: tuple[int, bool, bool, bool, int, int] = tuple(w.council.member(address))  # type: ignore[assignment]
    return m


def test_nominate__seats_a_node_with_a_permanent_id() -> None:
    w = make_world(n_nodes=3)
    ids = [_member(w, k.address)[0] for k in w.nodes]
    assert ids == [1, 2, 3]
    assert [w.council.member_by_id(i) for i in ids] == [k.address for k in w.nodes]
    assert w.council.seats(NODE) == 3 and w.council.member_count() == 3


def test_nominate__only_the_admin__reverts() -> None:
    w = make_world(n_nodes=1)
    with (
        boa.env.prank(w.nodes[0].address),
        boa.reverts("council: only the genesis administrator nominates"),
    ):
        w.council.nominate(key("x").address, "x", b"\x00" * 32)
    assert w.council.seats(NODE) == 1


def test_nominate__already_seated_or_zero__reverts() -> None:
    w = make_world(n_nodes=1)
    with boa.env.prank(w.admin):
        with boa.reverts("council: already seated in that chamber"):
            w.council.nominate(w.nodes[0].address, "x", b"\x00" * 32)
        with boa.reverts("council: the zero address cannot be seated"):
            w.council.nominate(ZERO, "x", b"\x00" * 32)
    assert w.council.seats(NODE) == 1 and w.council.member_count() == 1


def test_nominate__after_genesis_closed__reverts() -> None:
    w = make_world(n_nodes=3, n_supers=1)
    with (
        boa.env.prank(w.admin),
        boa.reverts("council: the genesis phase is closed; seats are filled from the alternates"),
    ):
        w.council.nominate(key("late").address, "late", b"\x00" * 32)
    assert w.council.seats(NODE) == 3


def test_nominate__cap_of_500_nodes() -> None:
    w = make_world(n_nodes=0)
    with boa.env.prank(w.admin):
        for k in keys("cap", 500):
            w.council.nominate(k.address, "c", b"\x00" * 32)
        with boa.reverts("council: all 500 node seats are taken"):
            w.council.nominate(key("501st").address, "c", b"\x00" * 32)
    assert w.council.seats(NODE) == 500


def test_register_candidate__joins_the_pool_once() -> None:
    w = make_world(n_nodes=1)
    c = key("candidate").address
    with boa.env.prank(c):
        w.council.register_candidate("社区", b"\x01" * 32)
        with boa.reverts("council: already a registered candidate"):
            w.council.register_candidate("社区", b"\x01" * 32)
    assert _member(w, c)[3] and w.council.seats(POOL) == 1
    assert _member(w, c)[0] == 2  # ids are given on first entry, permanently
    with boa.env.prank(key("nameless").address), boa.reverts("council: a candidate needs a name"):
        w.council.register_candidate("", b"\x01" * 32)
    with (
        boa.env.prank(w.nodes[0].address),
        boa.reverts("council: a seated node is not a candidate"),
    ):
        w.council.register_candidate("n", b"\x01" * 32)
    assert w.council.seats(POOL) == 1


def test_withdraw_candidacy__leaves_the_pool() -> None:
    w = make_world(n_nodes=1)
    c = key("candidate").address
    with boa.env.prank(c):
        w.council.register_candidate("c", b"\x01" * 32)
        w.council.withdraw_candidacy()
        with boa.reverts("council: not a registered candidate"):
            w.council.withdraw_candidacy()
    assert not _member(w, c)[3] and w.council.seats(POOL) == 0
    assert _member(w, c)[0] == 2  # the id stays


def test_resign__node_seat_also_drops_the_super_seat() -> None:
    w = make_world(n_nodes=5, n_supers=2, n_alternates=2)
    s = w.supers[0].address
    with boa.env.prank(s):
        w.council.resign(NODE)
    assert _member(w, s)[1:3] == (False, False)
    assert w.council.seats(NODE) == 4
    # the super seat was refilled from the queue in the same transaction
    assert w.council.seats(SUPER) == 2 and w.council.queue_length(SUPER) == 1
    assert _member(w, w.nodes[2].address)[2]


def test_resign__super_seat_only_keeps_the_node_seat() -> None:
    w = make_world(n_nodes=5, n_supers=2)
    s = w.supers[1].address
    with boa.env.prank(s):
        w.council.resign(SUPER)
        with boa.reverts("council: not seated in that chamber"):
            w.council.resign(SUPER)
        with boa.reverts("council: chamber is 0 (nodes) or 1 (super nodes)"):
            w.council.resign(2)
    assert _member(w, s)[1:3] == (True, False)
    assert w.council.seats(SUPER) == 1


def test_resign__candidate_node_returns_to_the_pool() -> None:
    """A candidate seated from the node queue goes back to the pool when it leaves."""
    w = make_world(n_nodes=21, n_supers=1)
    candidates = keys("cand", 20)
    for k in candidates:
        with boa.env.prank(k.address):
            w.council.register_candidate("c", b"\x01" * 32)
    next_block()
    five = [k.address for k in candidates[:5]]
    motion = w.propose(candidates[0].address, REPLENISH_NODE_ALTERNATES, ([*five], [], [], ""))
    next_block()
    for k in candidates[:2]:
        with boa.env.prank(k.address):
            w.council.sponsor(motion)
    w.motions.advance(motion)
    w.vote(w.nodes[:7], w.stage_of(motion))
    w.motions.execute(motion, ([*five], [], [], ""))
    assert w.council.seats(NODE) == 26 and w.council.seats(POOL) == 15
    with boa.env.prank(five[0]):
        w.council.resign(NODE)
    assert w.council.seats(POOL) == 16


def test_refill__nothing_queued__seats_nobody() -> None:
    w = make_world(n_nodes=2)
    assert w.council.refill(NODE) == 0
    with boa.reverts("council: chamber is 0 (nodes) or 1 (super nodes)"):
        w.council.refill(2)


def test_electorate__is_the_size_at_the_start_of_the_block() -> None:
    w = make_world(n_nodes=3)
    with boa.env.prank(w.admin):
        w.council.nominate(key("same block").address, "x", b"\x00" * 32)
    assert w.council.seats(NODE) == 4
    assert w.council.electorate(NODE) == 3
    next_block()
    assert w.council.electorate(NODE) == 4
