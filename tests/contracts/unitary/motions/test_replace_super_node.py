"""REPLACE_SUPER_NODE (§5: a node proposes, nodes 51%): ``old`` loses the super
seat and stays a node; ``new`` (a seated node, not super-banned) takes it."""

from __future__ import annotations

import pytest
from eth_account.signers.local import LocalAccount

from tests.contracts.helpers import NODE, REPLACE_SUPER_NODE, SUPER, World, args
from tests.contracts.unitary.motions._util import (
    LEFT_REPLACED,
    NO_HASH,
    ZERO_ADDRESS,
    Banned,
    MotionArgs,
    events,
    pass_through,
    queue,
    resign,
    reverts_unchanged,
    stranger,
)

SHAPE = "motions: REPLACE_SUPER_NODE takes two accounts: old, new"
OLD_NOT_SUPER = "motions: the super node to replace is not seated"
NEW_NOT_NODE = "motions: the new super node must be a seated node"
NEW_IS_SUPER = "motions: the new super node is already a super node"
NEW_BANNED = "motions: the new super node is banned from the super chamber"

Pool = tuple[World, list[LocalAccount]]


def _n(w: World) -> list[str]:
    return [x.address for x in w.nodes]


def _propose(w: World, motion_args: MotionArgs, proposer: int = 25) -> int:
    return w.propose(w.nodes[proposer].address, REPLACE_SUPER_NODE, motion_args)


# VALIDATION AT PROPOSAL #


def _invalid(p: Pool) -> dict[str, tuple[MotionArgs, str]]:
    w, cands = p
    n = _n(w)
    return {
        "no account": (args(), SHAPE),
        "one account": (args([n[5]]), SHAPE),
        "three accounts": (args([n[5], n[26], n[27]]), SHAPE),
        "a number": (args([n[5], n[26]], [1]), SHAPE),
        "a hash": (args([n[5], n[26]], hashes=[NO_HASH]), SHAPE),
        "a text": (args([n[5], n[26]], text="because"), SHAPE),
        "old is a plain node": (args([n[26], n[27]]), OLD_NOT_SUPER),
        "old is a stranger": (args([stranger(), n[27]]), OLD_NOT_SUPER),
        "old is a super alternate": (args([n[21], n[27]]), OLD_NOT_SUPER),
        "new is a stranger": (args([n[5], stranger()]), NEW_NOT_NODE),
        "new is a candidate": (args([n[5], cands[0].address]), NEW_NOT_NODE),
        "new is the zero address": (args([n[5], ZERO_ADDRESS]), NEW_NOT_NODE),
        "new is a super node": (args([n[5], n[6]]), NEW_IS_SUPER),
        "new is old": (args([n[5], n[5]]), NEW_IS_SUPER),
    }


_INVALID = [
    "no account",
    "one account",
    "three accounts",
    "a number",
    "a hash",
    "a text",
    "old is a plain node",
    "old is a stranger",
    "old is a super alternate",
    "new is a stranger",
    "new is a candidate",
    "new is the zero address",
    "new is a super node",
    "new is old",
]


@pytest.mark.parametrize("case", _INVALID)
def test_replace_super_node__invalid_args__reverts_at_proposal(pool_world: Pool, case: str) -> None:
    w = pool_world[0]
    motion_args, reason = _invalid(pool_world)[case]
    with reverts_unchanged(w, reason):
        _propose(w, motion_args)


def test_replace_super_node__old_resigned_super_seat__reverts_at_proposal(world: World) -> None:
    w = world
    n = _n(w)
    resign(w, n[5], SUPER)
    with reverts_unchanged(w, OLD_NOT_SUPER):
        _propose(w, args([n[5], n[26]]))


def test_replace_super_node__new_super_banned__reverts_at_proposal(banned: Banned) -> None:
    w = banned.w
    motion_args = args([banned.super_node.address, banned.super_banned.address])
    with reverts_unchanged(w, NEW_BANNED):
        _propose(w, motion_args, proposer=5)


@pytest.mark.parametrize("new", [26, 21], ids=["plain node", "super alternate"])
def test_replace_super_node__seated_non_super_node__is_accepted(world: World, new: int) -> None:
    w = world
    motion_id = _propose(w, args([_n(w)[5], _n(w)[new]]))
    s = w.council.stage(w.stage_of(motion_id))
    assert (s.chamber, s.electorate, s.threshold) == (NODE, 30, 16)  # 51% of 30 nodes


# VALIDATION AT EXECUTION #


def _passed(w: World, motion_args: MotionArgs) -> int:
    motion_id = _propose(w, motion_args)
    pass_through(w, motion_id)
    return motion_id


def test_replace_super_node__old_resigned_meanwhile__reverts_at_execution(world: World) -> None:
    w = world
    n = _n(w)
    motion_args = args([n[5], n[26]])
    motion_id = _passed(w, motion_args)
    resign(w, n[5], SUPER)

    with reverts_unchanged(w, OLD_NOT_SUPER):
        w.motions.execute(motion_id, motion_args)


def test_replace_super_node__new_seated_from_queue_meanwhile__reverts_at_execution(
    world: World,
) -> None:
    w = world
    n = _n(w)
    motion_args = args([n[5], n[21]])  # n[21] heads the super-alternate queue
    motion_id = _passed(w, motion_args)
    resign(w, n[10], SUPER)  # the freed seat goes to n[21]
    assert w.council.member(n[21])[2]

    with reverts_unchanged(w, NEW_IS_SUPER):
        w.motions.execute(motion_id, motion_args)


def test_replace_super_node__new_left_node_chamber_meanwhile__reverts_at_execution(
    world: World,
) -> None:
    w = world
    n = _n(w)
    motion_args = args([n[5], n[26]])
    motion_id = _passed(w, motion_args)
    resign(w, n[26], NODE)

    with reverts_unchanged(w, NEW_NOT_NODE):
        w.motions.execute(motion_id, motion_args)


# EFFECTS #


def test_replace_super_node__executed__old_stays_a_node_new_takes_the_seat(world: World) -> None:
    w = world
    n = _n(w)
    old, new = n[5], n[26]
    motion_args = args([old, new])
    motion_id = _passed(w, motion_args)

    w.motions.execute(motion_id, motion_args)

    (unseated,) = events(w.motions, "Unseated")
    (seated,) = events(w.motions, "Seated")
    assert (unseated.member, unseated.chamber, unseated.reason) == (old, SUPER, LEFT_REPLACED)
    assert (seated.member, seated.chamber, seated.seats) == (new, SUPER, 21)
    assert w.council.member(old)[1:3] == (True, False)
    assert w.council.member(new)[1:3] == (True, True)
    assert w.council.seats(SUPER) == 21
    assert w.council.seats(NODE) == 30
    assert queue(w, SUPER) == n[21:24]


def test_replace_super_node__queued_alternate_seated__can_resign_its_super_seat(
    world: World,
) -> None:
    w = world
    n = _n(w)
    motion_args = args([n[5], n[21]])  # n[21] heads the super-alternate queue
    motion_id = _passed(w, motion_args)
    w.motions.execute(motion_id, motion_args)
    assert w.council.member(n[21])[2]

    resign(w, n[21], SUPER)

    assert not w.council.member(n[21])[2], "a member may always resign (§3)"
    assert w.council.member(n[22])[2], "the freed seat goes to the next alternate in order"
