"""REPLENISH_SUPER_ALTERNATES (§5: a node proposes, 10% of nodes sponsor, super
33%): three named seated nodes are appended, in order, to the super-alternate
queue, and seated at once while super seats are free (§3)."""

from __future__ import annotations

import pytest
from eth_account.signers.local import LocalAccount

from tests.contracts.helpers import (
    AWAITING_STAGE,
    EXECUTED,
    NODE,
    PASSED,
    REPLACE_SUPER_NODE,
    REPLENISH_SUPER_ALTERNATES,
    SPONSORING,
    SUPER,
    VOTING,
    World,
    args,
)
from tests.contracts.unitary.motions._util import (
    ALREADY_SUPER_ALTERNATE,
    NAMED_TWICE,
    NO_HASH,
    SUPER_ALTERNATE_RULE,
    ZERO_ADDRESS,
    ZERO_MEMBER,
    Banned,
    MotionArgs,
    carry,
    events,
    gather,
    pass_through,
    queue,
    resign,
    reverts_unchanged,
    stranger,
    vote_for,
)

SHAPE = "motions: REPLENISH_SUPER_ALTERNATES takes three accounts"

Pool = tuple[World, list[LocalAccount]]


def _n(w: World) -> list[str]:
    return [x.address for x in w.nodes]


def _propose(w: World, motion_args: MotionArgs, proposer: int = 29) -> int:
    return w.propose(w.nodes[proposer].address, REPLENISH_SUPER_ALTERNATES, motion_args)


# VALIDATION AT PROPOSAL #


def _invalid(p: Pool) -> dict[str, tuple[MotionArgs, str]]:
    w, cands = p
    n = _n(w)
    return {
        "no account": (args(), SHAPE),
        "two accounts": (args(n[24:26]), SHAPE),
        "four accounts": (args(n[24:28]), SHAPE),
        "a number": (args(n[24:27], [1]), SHAPE),
        "a hash": (args(n[24:27], hashes=[NO_HASH]), SHAPE),
        "a text": (args(n[24:27], text="three"), SHAPE),
        "duplicate": (args([n[24], n[25], n[24]]), NAMED_TWICE),
        "zero address": (args([n[24], ZERO_ADDRESS, n[25]]), ZERO_MEMBER),
        "already queued": (args([n[24], n[25], n[22]]), ALREADY_SUPER_ALTERNATE),
        "a super node": (args([n[24], n[3], n[25]]), SUPER_ALTERNATE_RULE),
        "a stranger": (args([n[24], n[25], stranger()]), SUPER_ALTERNATE_RULE),
        "a candidate": (args([cands[0].address, n[24], n[25]]), SUPER_ALTERNATE_RULE),
    }


_INVALID = [
    "no account",
    "two accounts",
    "four accounts",
    "a number",
    "a hash",
    "a text",
    "duplicate",
    "zero address",
    "already queued",
    "a super node",
    "a stranger",
    "a candidate",
]


@pytest.mark.parametrize("case", _INVALID)
def test_replenish_super__invalid_args__reverts_at_proposal(pool_world: Pool, case: str) -> None:
    w = pool_world[0]
    motion_args, reason = _invalid(pool_world)[case]
    with reverts_unchanged(w, reason):
        _propose(w, motion_args)


def test_replenish_super__former_node__reverts_at_proposal(world: World) -> None:
    w = world
    n = _n(w)
    resign(w, n[26], NODE)
    with reverts_unchanged(w, SUPER_ALTERNATE_RULE):
        _propose(w, args(n[24:27]))


def test_replenish_super__super_banned_node__reverts_at_proposal(banned: Banned) -> None:
    w = banned.w
    n = _n(w)
    with reverts_unchanged(w, SUPER_ALTERNATE_RULE):
        _propose(w, args([n[5], banned.super_banned.address, n[6]]), proposer=7)


def test_replenish_super__three_seated_non_super_nodes__is_accepted(world: World) -> None:
    w = world
    motion_id = _propose(w, args(_n(w)[24:27]))
    assert w.motions.motion_status(motion_id) == SPONSORING


# VALIDATION AT EXECUTION #


def _passed(w: World, motion_args: MotionArgs, proposer: int = 29) -> int:
    motion_id = _propose(w, motion_args, proposer)
    pass_through(w, motion_id)
    assert w.motions.motion_status(motion_id) == PASSED
    return motion_id


def test_replenish_super__named_node_resigned_meanwhile__reverts_at_execution(
    world: World,
) -> None:
    w = world
    n = _n(w)
    motion_args = args(n[24:27])
    motion_id = _passed(w, motion_args)
    resign(w, n[25], NODE)

    with reverts_unchanged(w, SUPER_ALTERNATE_RULE):
        w.motions.execute(motion_id, motion_args)


def test_replenish_super__named_node_became_super_meanwhile__reverts_at_execution(
    world: World,
) -> None:
    w = world
    n = _n(w)
    motion_args = args(n[24:27])
    motion_id = _passed(w, motion_args)
    carry(w, n[28], REPLACE_SUPER_NODE, args([n[5], n[26]]))
    assert w.council.member(n[26])[2]

    with reverts_unchanged(w, SUPER_ALTERNATE_RULE):
        w.motions.execute(motion_id, motion_args)


def test_replenish_super__named_node_queued_meanwhile__reverts_at_execution(world: World) -> None:
    w = world
    n = _n(w)
    first_args, second_args = args(n[24:27]), args(n[26:29])
    first = _passed(w, first_args, proposer=29)
    second = _passed(w, second_args, proposer=9)
    w.motions.execute(first, first_args)

    with reverts_unchanged(w, ALREADY_SUPER_ALTERNATE):
        w.motions.execute(second, second_args)


# EFFECTS #


def test_replenish_super__full_chamber__appends_three_in_order(world: World) -> None:
    w = world
    n = _n(w)
    named = [n[27], n[24], n[26]]
    motion_args = args(named)
    motion_id = _passed(w, motion_args)

    w.motions.execute(motion_id, motion_args)

    queued = events(w.motions, "Queued")
    assert [(str(e.member), e.chamber) for e in queued] == [(a, SUPER) for a in named]
    tail = w.council.queue_tail(SUPER)
    assert [e.position for e in queued] == [tail - 3, tail - 2, tail - 1]
    assert events(w.motions, "Seated") == []
    assert queue(w, SUPER) == n[21:24] + named
    assert all(w.council.is_queued(a, SUPER) for a in named)
    assert w.council.seats(SUPER) == 21


def test_replenish_super__free_super_seats__seated_at_once_in_order(world: World) -> None:
    w = world
    n = _n(w)
    for s in n[16:21]:  # five resign; the three alternates refill three seats
        resign(w, s, SUPER)
    assert (w.council.seats(SUPER), w.council.queue_length(SUPER)) == (19, 0)
    named = [n[26], n[24], n[25]]
    motion_args = args(named)
    motion_id = _passed(w, motion_args)

    w.motions.execute(motion_id, motion_args)

    seated = [(str(e.member), e.chamber, e.seats) for e in events(w.motions, "Seated")]
    assert seated == [(n[26], SUPER, 20), (n[24], SUPER, 21)]
    assert w.council.member(n[25])[2] is False
    assert queue(w, SUPER) == [n[25]]
    assert w.council.seats(SUPER) == 21


def test_replenish_super__whole_flow__goes_through_each_status(world: World) -> None:
    w = world
    motion_args = args(_n(w)[24:27])
    motion_id = _propose(w, motion_args)
    m = w.motions
    assert m.motion_status(motion_id) == SPONSORING
    gather(w, motion_id)
    assert m.motion_status(motion_id) == AWAITING_STAGE
    stage = m.advance(motion_id)
    assert m.motion_status(motion_id) == VOTING
    s = w.council.stage(stage)
    assert (s.chamber, s.electorate, s.threshold) == (SUPER, 21, 7)  # 33% of 21
    vote_for(w, stage)
    assert m.motion_status(motion_id) == PASSED
    m.execute(motion_id, motion_args)
    assert m.motion_status(motion_id) == EXECUTED
