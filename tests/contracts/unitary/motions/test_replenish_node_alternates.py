"""REPLENISH_NODE_ALTERNATES (§5: a candidate proposes, 10% of the candidate
pool sponsor, nodes 33%): five named candidates are appended, in order, to the
node-alternate queue, and seated at once while node seats are free (§3)."""

from __future__ import annotations

from dataclasses import dataclass

import boa
import pytest
from eth_account.signers.local import LocalAccount

from tests.contracts.helpers import (
    AWAITING_STAGE,
    EXECUTED,
    NODE,
    PASSED,
    POOL,
    REPLENISH_NODE_ALTERNATES,
    SPONSORING,
    VOTING,
    World,
    args,
    keys,
    make_world,
    next_block,
)
from tests.contracts.unitary.motions._util import (
    ALREADY_NODE_ALTERNATE,
    NAMED_TWICE,
    NO_HASH,
    NODE_ALTERNATE_RULE,
    ZERO_ADDRESS,
    ZERO_MEMBER,
    Banned,
    MotionArgs,
    events,
    gather,
    pass_through,
    queue,
    register,
    resign,
    reverts_unchanged,
    stranger,
    vote_for,
)

SHAPE = "motions: REPLENISH_NODE_ALTERNATES takes five accounts"

Pool = tuple[World, list[LocalAccount]]


def _a(accounts: list[LocalAccount]) -> list[str]:
    return [x.address for x in accounts]


def _propose(w: World, proposer: LocalAccount, motion_args: MotionArgs) -> int:
    return w.propose(proposer.address, REPLENISH_NODE_ALTERNATES, motion_args)


# VALIDATION AT PROPOSAL #


def _invalid(p: Pool) -> dict[str, tuple[MotionArgs, str]]:
    w, cands = p
    c = _a(cands)
    return {
        "no account": (args(), SHAPE),
        "four accounts": (args(c[:4]), SHAPE),
        "six accounts": (args(c[:6]), SHAPE),
        "a number": (args(c[:5], [1]), SHAPE),
        "a hash": (args(c[:5], hashes=[NO_HASH]), SHAPE),
        "a text": (args(c[:5], text="five"), SHAPE),
        "duplicate": (args([c[0], c[1], c[2], c[3], c[0]]), NAMED_TWICE),
        "zero address": (args([c[0], c[1], ZERO_ADDRESS, c[3], c[4]]), ZERO_MEMBER),
        "a seated node": (args([c[0], c[1], c[2], c[3], w.nodes[25].address]), NODE_ALTERNATE_RULE),
        "a super node": (args([w.nodes[0].address, c[1], c[2], c[3], c[4]]), NODE_ALTERNATE_RULE),
        "a stranger": (args([c[0], c[1], stranger(), c[3], c[4]]), NODE_ALTERNATE_RULE),
    }


_INVALID = [
    "no account",
    "four accounts",
    "six accounts",
    "a number",
    "a hash",
    "a text",
    "duplicate",
    "zero address",
    "a seated node",
    "a super node",
    "a stranger",
]


@pytest.mark.parametrize("case", _INVALID)
def test_replenish_node__invalid_args__reverts_at_proposal(pool_world: Pool, case: str) -> None:
    w, cands = pool_world
    motion_args, reason = _invalid(pool_world)[case]
    with reverts_unchanged(w, reason):
        _propose(w, cands[19], motion_args)


def test_replenish_node__withdrawn_candidate__reverts_at_proposal(pool_world: Pool) -> None:
    w, cands = pool_world
    with boa.env.prank(cands[2].address):
        w.council.withdraw_candidacy()
    with reverts_unchanged(w, NODE_ALTERNATE_RULE):
        _propose(w, cands[19], args(_a(cands[:5])))


def test_replenish_node__node_banned_candidate__reverts_at_proposal(banned: Banned) -> None:
    w = banned.w
    others = keys("banned-world candidate", 4)
    register(w, others)
    next_block()
    motion_args = args([banned.node_banned.address, *_a(others)])
    with reverts_unchanged(w, NODE_ALTERNATE_RULE):
        _propose(w, others[0], motion_args)


def test_replenish_node__five_candidates__is_accepted(pool_world: Pool) -> None:
    w, cands = pool_world
    motion_id = _propose(w, cands[19], args(_a(cands[:5])))
    assert w.motions.motion_status(motion_id) == SPONSORING


def test_replenish_node__proposer_may_name_itself(pool_world: Pool) -> None:
    w, cands = pool_world
    motion_id = _propose(w, cands[0], args(_a(cands[:5])))
    assert w.motions.motion_status(motion_id) == SPONSORING


# VALIDATION AT EXECUTION #


def _passed(p: Pool, motion_args: MotionArgs, proposer: int = 19) -> int:
    w, cands = p
    motion_id = _propose(w, cands[proposer], motion_args)
    pass_through(w, motion_id, sponsors=_a(cands[10:20]))
    assert w.motions.motion_status(motion_id) == PASSED
    return motion_id


def test_replenish_node__candidate_withdrew_meanwhile__reverts_at_execution(
    pool_world: Pool,
) -> None:
    w, cands = pool_world
    motion_args = args(_a(cands[:5]))
    motion_id = _passed(pool_world, motion_args)
    with boa.env.prank(cands[4].address):
        w.council.withdraw_candidacy()

    with reverts_unchanged(w, NODE_ALTERNATE_RULE):
        w.motions.execute(motion_id, motion_args)


def test_replenish_node__candidate_seated_meanwhile__reverts_at_execution(
    pool_world: Pool,
) -> None:
    w, cands = pool_world
    first_args, second_args = args(_a(cands[:5])), args(_a(cands[4:9]))
    first = _passed(pool_world, first_args, proposer=19)
    second = _passed(pool_world, second_args, proposer=18)
    w.motions.execute(first, first_args)
    assert w.council.member(cands[4].address)[1]

    with reverts_unchanged(w, NODE_ALTERNATE_RULE):
        w.motions.execute(second, second_args)


# EFFECTS #


def test_replenish_node__free_node_seats__five_seated_at_once_in_order(pool_world: Pool) -> None:
    w, cands = pool_world
    named = _a([cands[7], cands[2], cands[9], cands[0], cands[5]])
    motion_args = args(named)
    motion_id = _passed(pool_world, motion_args)

    w.motions.execute(motion_id, motion_args)

    queued = [str(e.member) for e in events(w.motions, "Queued")]
    seated = [(str(e.member), e.chamber, e.seats) for e in events(w.motions, "Seated")]
    assert queued == named
    assert seated == [(a, NODE, 31 + i) for i, a in enumerate(named)]
    assert all(w.council.member(a)[1] for a in named)
    assert w.council.seats(NODE) == 35
    assert w.council.seats(POOL) == 15
    assert w.council.queue_length(NODE) == 0
    assert not any(w.council.is_queued(a, NODE) for a in named)


def test_replenish_node__whole_flow__goes_through_each_status(pool_world: Pool) -> None:
    w, cands = pool_world
    motion_args = args(_a(cands[:5]))
    motion_id = _propose(w, cands[19], motion_args)
    m = w.motions
    assert m.motion_status(motion_id) == SPONSORING
    gather(w, motion_id, _a(cands[10:12]))  # 10% of a pool of 20
    assert m.motion_status(motion_id) == AWAITING_STAGE
    stage = m.advance(motion_id)
    assert m.motion_status(motion_id) == VOTING
    s = w.council.stage(stage)
    assert (s.chamber, s.electorate, s.threshold) == (NODE, 30, 10)  # 33% of 30
    vote_for(w, stage)
    assert m.motion_status(motion_id) == PASSED
    m.execute(motion_id, motion_args)
    assert m.motion_status(motion_id) == EXECUTED


# A FULL NODE CHAMBER (500 SEATS) #


@dataclass
class Full:
    """500 nodes (genesis open) and 10 candidates; a passed motion naming five of them."""

    w: World
    cands: list[LocalAccount]
    motion_id: int
    motion_args: MotionArgs


@pytest.fixture(scope="module")
def full() -> Full:
    w = make_world(n_nodes=500)
    cands = keys("full-chamber candidate", 10)
    register(w, cands)
    next_block()
    motion_args = args(_a(cands[:5]))
    motion_id = _propose(w, cands[9], motion_args)
    pass_through(w, motion_id, sponsors=_a(cands[5:10]))
    assert w.motions.motion_status(motion_id) == PASSED
    return Full(w, cands, motion_id, motion_args)


def test_replenish_node__full_chamber__appends_five_in_order(full: Full) -> None:
    w = full.w
    w.motions.execute(full.motion_id, full.motion_args)

    assert [str(e.member) for e in events(w.motions, "Queued")] == full.motion_args[0]
    assert events(w.motions, "Seated") == []
    assert queue(w, NODE) == full.motion_args[0]
    assert w.council.seats(NODE) == 500


def test_replenish_node__full_chamber__freed_seat_goes_to_the_head(full: Full) -> None:
    w = full.w
    w.motions.execute(full.motion_id, full.motion_args)
    head = full.motion_args[0][0]

    resign(w, w.nodes[123].address, NODE)

    assert w.council.member(head)[1]
    assert w.council.seats(NODE) == 500
    assert queue(w, NODE) == full.motion_args[0][1:]


def test_replenish_node__already_queued__reverts_at_proposal(full: Full) -> None:
    w, cands = full.w, full.cands
    w.motions.execute(full.motion_id, full.motion_args)
    motion_args = args(_a([cands[5], cands[6], cands[7], cands[8], cands[3]]))
    with reverts_unchanged(w, ALREADY_NODE_ALTERNATE):
        _propose(w, cands[8], motion_args)
