"""REPLACE_NODE (§5: a super node proposes, super 33%): ``old`` leaves the node
chamber (and the super chamber), ``new`` is seated; a freed super seat is
refilled from the super-alternate queue in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from eth_account.signers.local import LocalAccount

from tests.contracts.helpers import (
    NODE,
    POOL,
    RATIFY_GENESIS_SUPER_NODES,
    REPLACE_NODE,
    REPLENISH_NODE_ALTERNATES,
    SUPER,
    World,
    args,
    keys,
    make_world,
    next_block,
)
from tests.contracts.unitary.motions._util import (
    LEFT_REPLACED,
    LEFT_WITH_NODE_SEAT,
    NO_HASH,
    ZERO_ADDRESS,
    Banned,
    MotionArgs,
    carry,
    events,
    pass_through,
    queue,
    register,
    resign,
    reverts_unchanged,
    seat_candidates,
    stranger,
)

SHAPE = "motions: REPLACE_NODE takes two accounts: old, new"
OLD_NOT_SEATED = "motions: the node to replace is not seated"
NEW_ZERO = "motions: the zero address cannot be seated"
NEW_SEATED = "motions: the new node is already seated"
NEW_BANNED = "motions: the new node is banned from the node chamber"

Pool = tuple[World, list[LocalAccount]]


def _n(w: World) -> list[str]:
    return [x.address for x in w.nodes]


def _propose(w: World, motion_args: MotionArgs, proposer: int = 0) -> int:
    return w.propose(w.nodes[proposer].address, REPLACE_NODE, motion_args)


# VALIDATION AT PROPOSAL #


def _invalid(w: World) -> dict[str, tuple[MotionArgs, str]]:
    n, new = _n(w), stranger("new node")
    return {
        "no account": (args(), SHAPE),
        "one account": (args([n[29]]), SHAPE),
        "three accounts": (args([n[29], new, stranger("third")]), SHAPE),
        "a number": (args([n[29], new], [1]), SHAPE),
        "a hash": (args([n[29], new], hashes=[NO_HASH]), SHAPE),
        "a text": (args([n[29], new], text="because"), SHAPE),
        "old is a stranger": (args([stranger("nobody"), new]), OLD_NOT_SEATED),
        "old is the zero address": (args([ZERO_ADDRESS, new]), OLD_NOT_SEATED),
        "new is the zero address": (args([n[29], ZERO_ADDRESS]), NEW_ZERO),
        "new is a seated node": (args([n[29], n[25]]), NEW_SEATED),
        "new is a super node": (args([n[29], n[1]]), NEW_SEATED),
        "new is old": (args([n[29], n[29]]), NEW_SEATED),
    }


_INVALID = [
    "no account",
    "one account",
    "three accounts",
    "a number",
    "a hash",
    "a text",
    "old is a stranger",
    "old is the zero address",
    "new is the zero address",
    "new is a seated node",
    "new is a super node",
    "new is old",
]


@pytest.mark.parametrize("case", _INVALID)
def test_replace_node__invalid_args__reverts_at_proposal(world: World, case: str) -> None:
    w = world
    motion_args, reason = _invalid(w)[case]
    with reverts_unchanged(w, reason):
        _propose(w, motion_args)


def test_replace_node__old_resigned__reverts_at_proposal(world: World) -> None:
    w = world
    old = _n(w)[29]
    resign(w, old, NODE)
    with reverts_unchanged(w, OLD_NOT_SEATED):
        _propose(w, args([old, stranger("new node")]))


def test_replace_node__new_banned_from_node_chamber__reverts_at_proposal(banned: Banned) -> None:
    w = banned.w
    motion_args = args([_n(w)[10], banned.node_banned.address])
    with reverts_unchanged(w, NEW_BANNED):
        w.propose(banned.super_node.address, REPLACE_NODE, motion_args)


def test_replace_node__new_banned_only_from_super_chamber__is_accepted(banned: Banned) -> None:
    w = banned.w
    n = _n(w)
    resign(w, banned.super_banned.address, NODE)  # a former node, banned from the super chamber
    motion_id = w.propose(banned.super_node.address, REPLACE_NODE, args([n[10], n[0]]))
    assert w.motions.motion(motion_id).kind == REPLACE_NODE


def test_replace_node__stage__is_33_percent_of_super_nodes(world: World) -> None:
    w = world
    motion_id = _propose(w, args([_n(w)[29], stranger("new node")]))
    s = w.council.stage(w.stage_of(motion_id))
    assert (s.chamber, s.electorate, s.threshold) == (SUPER, 21, 7)


# VALIDATION AT EXECUTION #


def _passed(w: World, motion_args: MotionArgs) -> int:
    motion_id = _propose(w, motion_args)
    pass_through(w, motion_id)
    return motion_id


def test_replace_node__old_resigned_meanwhile__reverts_at_execution(world: World) -> None:
    w = world
    old = _n(w)[29]
    motion_args = args([old, stranger("new node")])
    motion_id = _passed(w, motion_args)
    resign(w, old, NODE)

    with reverts_unchanged(w, OLD_NOT_SEATED):
        w.motions.execute(motion_id, motion_args)


def test_replace_node__new_seated_meanwhile__reverts_at_execution(pool_world: Pool) -> None:
    w, cands = pool_world
    motion_args = args([_n(w)[29], cands[0].address])
    motion_id = _passed(w, motion_args)
    seat_candidates(w, cands[:5])  # the new node is seated from the node alternates
    assert w.council.member(cands[0].address)[1]

    with reverts_unchanged(w, NEW_SEATED):
        w.motions.execute(motion_id, motion_args)


# EFFECTS #


def test_replace_node__plain_node__old_leaves_new_is_seated(world: World) -> None:
    w = world
    old, new = _n(w)[29], stranger("new node")
    motion_args = args([old, new])
    motion_id = _passed(w, motion_args)

    w.motions.execute(motion_id, motion_args)

    (unseated,) = events(w.motions, "Unseated")
    (seated,) = events(w.motions, "Seated")
    assert (unseated.member, unseated.chamber, unseated.reason) == (old, NODE, LEFT_REPLACED)
    assert (seated.member, seated.chamber, seated.seats) == (new, NODE, 30)
    assert w.council.member(old)[1:3] == (False, False)
    assert w.council.member(new)[1:3] == (True, False)
    assert w.council.member(new)[0] != 0  # a permanent id
    assert w.council.seats(NODE) == 30
    assert w.council.seats(SUPER) == 21


def test_replace_node__super_node__leaves_both_chambers_and_queue_refills(world: World) -> None:
    w = world
    n = _n(w)
    old, new = n[5], stranger("new node")
    motion_args = args([old, new])
    motion_id = _passed(w, motion_args)

    w.motions.execute(motion_id, motion_args)

    left = [(str(e.member), e.chamber, e.reason) for e in events(w.motions, "Unseated")]
    seated = [(str(e.member), e.chamber) for e in events(w.motions, "Seated")]
    assert left == [(old, SUPER, LEFT_WITH_NODE_SEAT), (old, NODE, LEFT_REPLACED)]
    assert seated == [(new, NODE), (n[21], SUPER)]
    assert w.council.member(old)[1:3] == (False, False)
    assert w.council.member(new)[1:3] == (True, False)
    assert w.council.member(n[21])[1:3] == (True, True)
    assert w.council.seats(SUPER) == 21
    assert w.council.seats(NODE) == 30
    assert queue(w, SUPER) == [n[22], n[23]]


def test_replace_node__super_node_with_empty_queue__super_seat_stays_free(world: World) -> None:
    w = world
    n = _n(w)
    for s in n[18:21]:  # three super nodes resign: the three alternates take their seats
        resign(w, s, SUPER)
    assert w.council.queue_length(SUPER) == 0
    motion_args = args([n[5], stranger("new node")])
    motion_id = _passed(w, motion_args)

    w.motions.execute(motion_id, motion_args)

    assert w.council.seats(SUPER) == 20
    assert w.council.seats(NODE) == 30
    assert not w.council.member(n[5])[1]


def test_replace_node__new_is_a_candidate__leaves_the_pool(pool_world: Pool) -> None:
    w, cands = pool_world
    new = cands[3].address
    motion_args = args([_n(w)[29], new])
    motion_id = _passed(w, motion_args)
    pool = w.council.seats(POOL)

    w.motions.execute(motion_id, motion_args)

    assert w.council.member(new)[1]
    assert w.council.seats(POOL) == pool - 1


# A FULL NODE CHAMBER WITH WAITING NODE ALTERNATES #


@dataclass
class Full:
    """500 nodes (node 0 the only super node) and five candidates queued as node alternates."""

    w: World
    queued: list[str]


@pytest.fixture(scope="module")
def full() -> Full:
    w = make_world(n_nodes=500)
    carry(w, w.nodes[1].address, RATIFY_GENESIS_SUPER_NODES, args([w.nodes[0].address], [1]))
    w.supers = w.nodes[:1]
    cands = keys("full-chamber candidate", 5)
    register(w, cands)
    next_block()
    named = [c.address for c in cands]
    carry(w, named[0], REPLENISH_NODE_ALTERNATES, args(named), sponsors=named)
    assert queue(w, NODE) == named
    next_block()
    return Full(w, named)


def test_replace_node__full_chamber__new_takes_the_seat_queue_waits(full: Full) -> None:
    w = full.w
    old, new = w.nodes[499].address, stranger("new node")
    carry(w, w.nodes[0].address, REPLACE_NODE, args([old, new]))
    assert w.council.member(new)[1]
    assert not w.council.member(old)[1]
    assert w.council.seats(NODE) == 500
    assert queue(w, NODE) == full.queued


def test_replace_node__queued_alternate_seated__can_resign(full: Full) -> None:
    w = full.w
    head = full.queued[0]
    carry(w, w.nodes[0].address, REPLACE_NODE, args([w.nodes[499].address, head]))
    assert w.council.member(head)[1]

    resign(w, head, NODE)

    assert not w.council.member(head)[1], "a member may always resign (§3)"
    assert w.council.member(full.queued[1])[1], "the freed seat goes to the next alternate"
