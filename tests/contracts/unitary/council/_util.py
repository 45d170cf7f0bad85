"""Helpers shared by the council unit tests: snapshots, queues, bans, events.

Layouts and codes mirror contracts/modules/council.vy (MEMBER WORD, BODY
WORD, ``Unseated`` and ``QueueHeadDropped`` reasons); stage and sponsorship
words mirror contracts/modules/ballots.vy and sponsorships.vy.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

import boa
from eth_account.signers.local import LocalAccount

from kol.chain.inprocess import deploy_alliance
from tests.contracts.helpers import (
    DAY,
    FOR,
    NODE,
    POOL,
    RATIFY_GENESIS_SUPER_NODES,
    REPLACE_ADMIN,
    REPLENISH_NODE_ALTERNATES,
    SET_PARAMETERS,
    SUPER,
    World,
    args,
    key,
    keys,
    next_block,
)

ZERO = "0x0000000000000000000000000000000000000000"
NO_HASH = b"\x00" * 32
META = b"\x11" * 32

# Reasons carried by `Unseated` (council.vy).
LEFT_RESIGNED, LEFT_REPLACED, LEFT_FORFEITED, LEFT_WITH_NODE_SEAT = 1, 2, 3, 4
# Reasons carried by `QueueHeadDropped` (council.vy).
DROP_BANNED, DROP_SEATED, DROP_NOT_ELIGIBLE, DROP_LEFT_QUEUE = 1, 2, 3, 4
# Ineligible heads dropped by one refill, at most (council.vy, MAX_DROPS).
MAX_DROPS = 16

# Revert reasons (council.vy, Council.vy).
ONLY_ADMIN = "council: only the genesis administrator nominates"
GENESIS_CLOSED = "council: the genesis phase is closed; seats are filled from the alternates"
ZERO_SEATED = "council: the zero address cannot be seated"
ALREADY_SEATED = "council: already seated in that chamber"
BANNED = "council: address is banned from that chamber"
NODES_FULL = "council: all 500 node seats are taken"
ALREADY_CANDIDATE = "council: already a registered candidate"
SEATED_NOT_CANDIDATE = "council: a seated node is not a candidate"
NAME_REQUIRED = "council: a candidate needs a name"
NOT_CANDIDATE = "council: not a registered candidate"
BAD_CHAMBER = "council: chamber is 0 (nodes) or 1 (super nodes)"
NOT_SEATED = "council: not seated in that chamber"
ONLY_MOTIONS = "council: only the motions engine"

# MEMBER WORD (council.vy).
ID_MASK = 2**32 - 1
U40 = 2**40 - 1
SINCE_SHIFT = 32
BAN_SHIFT = 112
CAND_SINCE_SHIFT = 192
SEATED_BIT = 232
CANDIDATE_BIT = 234

# Parameter ids (parameters.vy).
VOTING_PERIOD = 1


def field(word: int, at: int, mask: int) -> int:
    return (word >> at) & mask


def flag(word: int, bit: int) -> bool:
    return (word >> bit) & 1 == 1


def now() -> int:
    timestamp: int = boa.env.evm.patch.timestamp
    return timestamp


def block() -> int:
    number: int = boa.env.evm.patch.block_number
    return number


def events(contract: Any, name: str) -> list[Any]:
    """The decoded logs called ``name`` of ``contract``'s last call (child calls included)."""
    return [e for e in contract.get_logs() if type(e).__name__ == name]


def member(w: World, account: str) -> tuple[int, bool, bool, bool, int, int]:
    """``member()``: (id, is node, is super node, is candidate, node ban end, super ban end)."""
    m = w.council.member(account)
    return (int(m[0]), bool(m[1]), bool(m[2]), bool(m[3]), int(m[4]), int(m[5]))


def queue(w: World, chamber: int) -> list[str]:
    """The addresses waiting in ``chamber``'s queue, head first (stale entries included)."""
    c = w.council
    head, tail = c.queue_head(chamber), c.queue_tail(chamber)
    return [str(c.queue_at(chamber, p)) for p in range(head, tail)]


def snapshot(w: World, accounts: Sequence[str] = ()) -> dict[str, Any]:
    """Everything a refused council call must leave as it was."""
    c = w.council
    return {
        "seats": [c.seats(b) for b in (NODE, SUPER, POOL)],
        "electorate": [c.electorate(b) for b in (NODE, SUPER, POOL)],
        "member_count": c.member_count(),
        "queues": [
            (c.queue_head(ch), c.queue_tail(ch), c.queue_length(ch), queue(w, ch))
            for ch in (NODE, SUPER)
        ],
        "stages": [(c.stage_count(ch), c.last_deadline(ch)) for ch in (NODE, SUPER)],
        "admin": c.admin(),
        "genesis_open": c.genesis_open(),
        "parameters": [
            c.voting_period(),
            c.sponsor_window(),
            c.execution_window(),
            c.notice_period(),
            c.audit_due(),
            c.kol_per_usdt(),
            c.super_ban(),
            c.node_ban(),
            c.foundation(),
        ],
        "members": {
            a: (
                member(w, a),
                c.member_word(a),
                c.is_queued(a, NODE),
                c.is_queued(a, SUPER),
                c.seated_since(a, NODE),
                c.seated_since(a, SUPER),
            )
            for a in accounts
        },
    }


@contextmanager
def reverts_unchanged(w: World, reason: str, accounts: Sequence[str] = ()) -> Iterator[None]:
    """Asserts that the block reverts with exactly ``reason`` and changes nothing."""
    before = snapshot(w, accounts)
    with boa.reverts(reason):
        yield
    assert snapshot(w, accounts) == before


def addresses(ks: Sequence[LocalAccount]) -> list[str]:
    return [k.address for k in ks]


@cache
def stranger(label: str = "stranger") -> str:
    """A deterministic address that is nobody in the alliance (until a test makes it so)."""
    address: str = key(f"council-unit:{label}").address
    return address


cached_keys = cache(keys)


def register(w: World, accounts: Sequence[str], name: str = "candidate community") -> None:
    """Registers each of ``accounts`` in the candidate pool."""
    for i, a in enumerate(accounts):
        with boa.env.prank(a):
            w.council.register_candidate(f"{name} {i}", META)


def enqueue_as_engine(w: World, chamber: int, accounts: Sequence[str]) -> None:
    """Appends ``accounts`` to a queue the way an executed REPLENISH_*_ALTERNATES
    motion does: the motions engine calls ``Council.enqueue``."""
    with boa.env.prank(w.motions.address):
        w.council.enqueue(chamber, list(accounts))


def replenish_node_alternates(
    w: World, proposer: str, five: Sequence[str], sponsors: Sequence[str]
) -> int:
    """REPLENISH_NODE_ALTERNATES through the real motion: a candidate proposes,
    pool members sponsor, nodes vote it through, anyone executes."""
    motion_args = args(list(five))
    motion_id = w.propose(proposer, REPLENISH_NODE_ALTERNATES, motion_args)
    for s in sponsors:
        with boa.env.prank(s):
            w.council.sponsor(motion_id)
    w.motions.advance(motion_id)
    vote_through(w, w.stage_of(motion_id), NODE)
    w.motions.execute(motion_id, motion_args)
    return motion_id


def open_stages(w: World, chamber: int, proposers: Sequence[str]) -> int:
    """Opens one stage of ``chamber`` per proposer (REPLACE_ADMIN for nodes,
    SET_PARAMETERS stage 1 for super nodes); returns the first one's seq."""
    first_seq: int = w.council.stage_count(chamber) + 1
    for p in proposers:
        if chamber == NODE:
            w.propose(p, REPLACE_ADMIN, args([stranger("would-be admin")]))
        else:
            w.propose(p, SET_PARAMETERS, args(numbers=[VOTING_PERIOD, 3 * DAY]))
    return first_seq


def forfeit_seat(w: World, absentee: str, chamber: int, proposers: Sequence[str]) -> None:
    """Makes ``absentee`` miss three consecutive stages of ``chamber`` and
    records the forfeiture (§6): the seat is lost and the ban of §3 starts."""
    next_block()
    first_seq = open_stages(w, chamber, proposers)
    deadline = w.council.last_deadline(chamber)
    boa.env.time_travel(seconds=deadline - now() + 1)
    with boa.env.prank(stranger("keeper")):
        w.council.forfeit(absentee, chamber, first_seq)


def pass_motion(w: World, proposer: str, kind: int, motion_args: Any) -> int:
    """Like ``World.pass_motion`` but each stage gets only the For votes its
    threshold needs (cheap in a 500-node chamber)."""
    motion_id = w.propose(proposer, kind, motion_args)
    rule = w.motions.rule(kind)
    stages = [(1, rule.chamber1)] + ([(2, rule.chamber2)] if rule.pct2 else [])
    for which, chamber in stages:
        if which == 2:
            w.motions.advance(motion_id)
        vote_through(w, w.stage_of(motion_id, which), chamber)
    w.motions.execute(motion_id, motion_args)
    return motion_id


def vote_through(w: World, stage_id: int, chamber: int) -> None:
    """Casts just the For votes the stage's threshold needs, from ``w.nodes``
    (or ``w.supers``) members who are in the stage's electorate."""
    stage = w.council.stage(stage_id)
    needed = stage.threshold - stage.votes_for
    for k in w.supers if chamber == SUPER else w.nodes:
        if needed <= 0:
            break
        word = w.council.member_word(k.address)
        since = field(word, SINCE_SHIFT + chamber * 40, U40)
        if flag(word, SEATED_BIT + chamber) and since < stage.opened_block:
            with boa.env.prank(k.address):
                w.council.vote(stage_id, FOR)
            needed -= 1
    assert needed <= 0, "not enough voters to pass the stage"


def full_world(n_candidates: int = 20) -> World:
    """500 nodes (genesis closed), super nodes = nodes 0–20, super alternates
    21–23, and ``n_candidates`` registered candidates (``candidates(n)``)."""
    admin, foundation = key("admin").address, key("foundation").address
    alliance = deploy_alliance(admin, foundation)
    nodes = cached_keys("node", 500)
    with boa.env.prank(admin):
        for i, k in enumerate(nodes):
            alliance.council.nominate(k.address, f"community {i}", NO_HASH)
    next_block()
    w = World(alliance, admin, foundation, nodes, [])
    slate = addresses(nodes[:24])
    pass_motion(w, nodes[0].address, RATIFY_GENESIS_SUPER_NODES, args(slate, [21]))
    w.supers = nodes[:21]
    register(w, candidates(n_candidates))
    next_block()
    return w


def candidates(n: int) -> list[str]:
    """The candidates registered by ``full_world`` (the first ``n``)."""
    return addresses(cached_keys("council-unit-cand", 20))[:n]


# MOTION EFFECTS #

#: Everyone but the motions engine, for the MOTION EFFECTS tests.
OUTSIDERS = ("stranger", "admin", "foundation", "node", "super node", "council")


def outsider(w: World, who: str) -> str:
    """An address that is not the motions engine: ``who`` from ``OUTSIDERS``."""
    address: str = {
        "stranger": stranger(),
        "admin": w.admin,
        "foundation": w.foundation,
        "node": w.nodes[-1].address,
        "super node": w.nodes[0].address,
        "council": w.council.address,
    }[who]
    return address


@contextmanager
def as_engine(w: World) -> Iterator[None]:
    """Calls made inside come from the motions engine (as an executed motion's would)."""
    with boa.env.prank(w.motions.address):
        yield
