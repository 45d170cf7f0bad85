"""RATIFY_GENESIS_SUPER_NODES (§3, §5): the genesis slate and super-alternate
queue, validated at proposal and at execution; seats them and closes genesis."""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import (
    NODE,
    RATIFY_GENESIS_SUPER_NODES,
    SUPER,
    World,
    args,
    key,
    next_block,
)
from tests.contracts.unitary.motions._util import (
    GENESIS_CLOSED,
    NAMED_TWICE,
    NO_HASH,
    ZERO_ADDRESS,
    ZERO_MEMBER,
    Banned,
    MotionArgs,
    events,
    pass_through,
    queue,
    register,
    resign,
    reverts_unchanged,
    stranger,
)

SHAPE = "motions: RATIFY_GENESIS_SUPER_NODES takes the slate size as its only number"
SLATE_SIZE = "motions: the genesis slate has 1 to 21 super nodes"
SLATE_TOO_LONG = "motions: the slate is longer than the accounts given"
SUPER_SEATED = "motions: genesis super nodes are ratified only while no super node is seated"
NOT_A_NODE = "motions: every super node and super alternate must be a seated node"
SUPER_BANNED = "motions: an account is banned from the super chamber"


def _n(w: World) -> list[str]:
    return [x.address for x in w.nodes]


def _propose(w: World, motion_args: MotionArgs, proposer: int = 29) -> int:
    return w.propose(w.nodes[proposer].address, RATIFY_GENESIS_SUPER_NODES, motion_args)


# VALIDATION AT PROPOSAL #


def _invalid(w: World) -> dict[str, tuple[MotionArgs, str]]:
    n = _n(w)
    return {
        "no number": (args(n[:3]), SHAPE),
        "two numbers": (args(n[:3], [1, 2]), SHAPE),
        "a hash": (args(n[:3], [1], [NO_HASH]), SHAPE),
        "a text": (args(n[:3], [1], text="slate"), SHAPE),
        "slate 0": (args(n[:3], [0]), SLATE_SIZE),
        "slate 22": (args(n[:22], [22]), SLATE_SIZE),
        "slate 2**255": (args(n[:3], [2**255]), SLATE_SIZE),
        "slate longer than accounts": (args(n[:2], [3]), SLATE_TOO_LONG),
        "no accounts": (args([], [1]), SLATE_TOO_LONG),
        "duplicate in the slate": (args([n[0], n[1], n[0]], [3]), NAMED_TWICE),
        "slate member also alternate": (args([n[0], n[1], n[0]], [2]), NAMED_TWICE),
        "duplicate alternate": (args([n[0], n[1], n[1]], [1]), NAMED_TWICE),
        "zero address first": (args([ZERO_ADDRESS, n[1]], [1]), ZERO_MEMBER),
        "zero address alternate": (args([n[0], n[1], ZERO_ADDRESS], [2]), ZERO_MEMBER),
        "stranger in the slate": (args([n[0], stranger()], [2]), NOT_A_NODE),
        "stranger as alternate": (args([n[0], n[1], stranger()], [2]), NOT_A_NODE),
        "admin in the slate": (args([w.admin], [1]), NOT_A_NODE),
    }


_INVALID = [
    "no number",
    "two numbers",
    "a hash",
    "a text",
    "slate 0",
    "slate 22",
    "slate 2**255",
    "slate longer than accounts",
    "no accounts",
    "duplicate in the slate",
    "slate member also alternate",
    "duplicate alternate",
    "zero address first",
    "zero address alternate",
    "stranger in the slate",
    "stranger as alternate",
    "admin in the slate",
]


@pytest.mark.parametrize("case", _INVALID)
def test_ratify__invalid_args__reverts_at_proposal(genesis_world: World, case: str) -> None:
    w = genesis_world
    motion_args, reason = _invalid(w)[case]
    with reverts_unchanged(w, reason):
        _propose(w, motion_args)


def test_ratify__candidate_in_the_slate__reverts(genesis_world: World) -> None:
    w = genesis_world
    candidate = key("ratify candidate")
    register(w, [candidate])
    next_block()
    with reverts_unchanged(w, NOT_A_NODE):
        _propose(w, args([_n(w)[0], candidate.address], [2]))


@pytest.mark.parametrize(("slate", "alternates"), [(1, 0), (1, 29), (21, 0), (21, 9), (5, 3)])
def test_ratify__slate_of_1_to_21__is_accepted(
    genesis_world: World, slate: int, alternates: int
) -> None:
    w = genesis_world
    motion_args = args(_n(w)[: slate + alternates], [slate])
    motion_id = _propose(w, motion_args)
    assert w.motions.motion(motion_id).kind == RATIFY_GENESIS_SUPER_NODES


def test_ratify__while_a_super_node_is_seated__reverts(world: World) -> None:
    w = world
    with reverts_unchanged(w, SUPER_SEATED):
        _propose(w, args(_n(w)[24:27], [1]))


def test_ratify__after_all_super_nodes_resigned_but_one__reverts(world: World) -> None:
    w = world
    for n in _n(w)[:23]:  # 21 super nodes and the 3 alternates that refill them
        resign(w, n, SUPER)
    assert w.council.seats(SUPER) == 1
    with reverts_unchanged(w, SUPER_SEATED):
        _propose(w, args(_n(w)[24:27], [1]))


def _no_super_left(b: Banned) -> World:
    resign(b.w, b.super_node.address, SUPER)
    assert b.w.council.seats(SUPER) == 0
    assert not b.w.council.genesis_open()
    return b.w


@pytest.mark.parametrize("position", ["slate", "alternate"])
def test_ratify__super_banned_account__reverts(banned: Banned, position: str) -> None:
    w = _no_super_left(banned)
    n = _n(w)
    accounts = [banned.super_banned.address, n[2]] if position == "slate" else [n[2], n[0]]
    with reverts_unchanged(w, SUPER_BANNED):
        _propose(w, args(accounts, [1]), proposer=5)


def test_ratify__all_super_nodes_gone__allowed_again(banned: Banned) -> None:
    w = _no_super_left(banned)
    n = _n(w)
    motion_args = args(n[2:6], [3])
    motion_id = _propose(w, motion_args, proposer=6)
    pass_through(w, motion_id)

    w.motions.execute(motion_id, motion_args)

    assert events(w.motions, "GenesisClosed") == []  # genesis was already closed
    assert w.council.seats(SUPER) == 3
    assert all(w.council.member(a)[2] for a in n[2:5])
    assert queue(w, SUPER) == [n[5]]


# VALIDATION AT EXECUTION #


def _passed(w: World, motion_args: MotionArgs, proposer: int) -> int:
    motion_id = _propose(w, motion_args, proposer)
    pass_through(w, motion_id)
    return motion_id


def test_ratify__other_slate_ratified_meanwhile__reverts_at_execution(genesis_world: World) -> None:
    w = genesis_world
    n = _n(w)
    first_args, second_args = args(n[:3], [2]), args(n[3:6], [2])
    first = _passed(w, first_args, 28)
    second = _passed(w, second_args, 29)
    w.motions.execute(first, first_args)

    with reverts_unchanged(w, SUPER_SEATED):
        w.motions.execute(second, second_args)


@pytest.mark.parametrize("leaver", [0, 3], ids=["slate member", "alternate"])
def test_ratify__named_node_resigned_meanwhile__reverts_at_execution(
    genesis_world: World, leaver: int
) -> None:
    w = genesis_world
    n = _n(w)
    motion_args = args(n[:4], [2])
    motion_id = _passed(w, motion_args, 29)
    resign(w, n[leaver], NODE)

    with reverts_unchanged(w, NOT_A_NODE):
        w.motions.execute(motion_id, motion_args)


# EFFECTS #


def test_ratify__stage__is_33_percent_of_nodes(genesis_world: World) -> None:
    w = genesis_world
    motion_id = _propose(w, args(_n(w)[:3], [2]))
    s = w.council.stage(w.stage_of(motion_id))
    assert (s.chamber, s.electorate, s.threshold) == (NODE, 30, 10)


def test_ratify__executed__seats_slate_queues_alternates_closes_genesis(
    genesis_world: World,
) -> None:
    w = genesis_world
    n = _n(w)
    slate, alternates = n[:21], n[21:29]
    motion_args = args(slate + alternates, [21])
    motion_id = _passed(w, motion_args, 29)
    executor = stranger("executor")

    with boa.env.prank(executor):
        w.motions.execute(motion_id, motion_args)

    seated = [e for e in events(w.motions, "Seated") if e.chamber == SUPER]
    queued = events(w.motions, "Queued")
    (closed,) = events(w.motions, "GenesisClosed")
    (executed,) = events(w.motions, "MotionExecuted")
    assert [str(e.member) for e in seated] == slate
    assert [e.seats for e in seated] == list(range(1, 22))
    assert [str(e.member) for e in queued] == alternates
    assert [e.chamber for e in queued] == [SUPER] * 8
    assert [e.position for e in queued] == [queued[0].position + i for i in range(8)]
    assert (closed.nodes, closed.super_nodes) == (30, 21)
    assert (executed.motion_id, executed.kind, executed.executor) == (
        motion_id,
        RATIFY_GENESIS_SUPER_NODES,
        executor,
    )
    assert w.council.seats(SUPER) == 21
    assert w.council.seats(NODE) == 30
    assert all(w.council.member(a)[1:3] == (True, True) for a in slate)
    assert queue(w, SUPER) == alternates
    assert all(w.council.is_queued(a, SUPER) for a in alternates)
    assert not any(w.council.member(a)[2] for a in alternates)
    assert not w.council.genesis_open()


def test_ratify__executed__nominate_now_reverts(genesis_world: World) -> None:
    w = genesis_world
    motion_args = args(_n(w)[:3], [3])
    w.motions.execute(_passed(w, motion_args, 29), motion_args)
    newcomer = key("late nominee").address

    with reverts_unchanged(w, GENESIS_CLOSED), boa.env.prank(w.admin):
        w.council.nominate(newcomer, "late community", NO_HASH)


def test_ratify__slate_without_alternates__leaves_queue_empty(genesis_world: World) -> None:
    w = genesis_world
    motion_args = args(_n(w)[:1], [1])
    w.motions.execute(_passed(w, motion_args, 29), motion_args)
    assert w.council.seats(SUPER) == 1
    assert w.council.queue_length(SUPER) == 0
    assert not w.council.genesis_open()
