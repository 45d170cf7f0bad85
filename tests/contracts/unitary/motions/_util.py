"""Helpers shared by the motions tests: state snapshots, motion flows, sponsorships."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boa
from eth_abi import encode
from eth_account import Account
from eth_account.messages import SignableMessage, encode_typed_data
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from tests.contracts.helpers import (
    AGAINST,
    AWAITING_STAGE,
    DAY,
    FOR,
    NODE,
    POOL,
    REPLACE_ADMIN,
    REPLENISH_NODE_ALTERNATES,
    SET_PARAMETERS,
    SPONSORING,
    SUPER,
    World,
    args,
    key,
    keys,
    make_world,
    next_block,
    warp,
)

MotionArgs = tuple[list[str], list[int], list[bytes], str]

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
NO_HASH = b"\x00" * 32

# Who may propose (Motions.vy, BY_*).
BY_NODE, BY_SUPER_NODE, BY_NODE_OR_FOUNDATION, BY_FOUNDATION, BY_CANDIDATE = 1, 2, 3, 4, 5

# Parameter ids (contracts/modules/parameters.vy).
VOTING_PERIOD = 1
SPONSOR_WINDOW = 2
EXECUTION_WINDOW = 3
NOTICE_PERIOD = 4
AUDIT_DUE = 5
KOL_PER_USDT = 6
SUPER_BAN = 7
NODE_BAN = 8
FOUNDATION = 9
CLOSE_GENESIS = 10
PARAMETER_GETTERS = (
    "voting_period",
    "sponsor_window",
    "execution_window",
    "notice_period",
    "audit_due",
    "kol_per_usdt",
    "super_ban",
    "node_ban",
    "foundation",
)

# Sponsorship statuses (contracts/modules/sponsorships.vy).
OK = 0
NOT_SPONSORING = 1
WINDOW_CLOSED = 2
NOT_IN_BODY = 3
JOINED_AFTER_PROPOSAL = 4
ALREADY_SPONSORED = 5
EXPIRED = 6
BAD_SIGNATURE = 7

# Reasons for leaving a seat (council.vy, `Unseated`).
LEFT_RESIGNED, LEFT_REPLACED, LEFT_FORFEITED, LEFT_WITH_NODE_SEAT = 1, 2, 3, 4

# Revert strings of the motions engine.
UNKNOWN_KIND = "motions: unknown motion kind (1 to 12)"
ONLY_NODE = "motions: only a seated node may propose this motion"
ONLY_SUPER = "motions: only a super node may propose this motion"
ONLY_NODE_OR_FOUNDATION = "motions: only a node or the foundation may propose this motion"
ONLY_FOUNDATION = "motions: only the foundation may propose this motion"
ONLY_CANDIDATE = "motions: only a registered candidate may propose this motion"
LIVE = "motions: the proposer already has a live motion (one at a time)"
NO_ECONOMY = "motions: the economy module is not deployed"
NO_MOTION = "motions: no such motion"
ARGS_DIFFER = "motions: arguments differ from those proposed"
ALREADY_EXECUTED = "motions: already executed"
HAS_PASSED = "motions: the motion has passed; execute it"
HAS_FAILED = "motions: the motion failed"
HAS_LAPSED = "motions: the motion lapsed"
ADVANCE_FIRST = "motions: the next stage must be opened first (advance)"
NOTICE = "motions: the notice period has not ended"
ONLY_ENDED_CLOSE = "motions: only a failed or lapsed motion can be closed"
ALREADY_CLOSED = "motions: already closed"
NAMED_TWICE = "motions: an account is named twice"
ZERO_MEMBER = "motions: the zero address is not a member"
SUPER_ALTERNATE_RULE = "motions: super alternates must be seated nodes, not super nodes, not banned"
NODE_ALTERNATE_RULE = (
    "motions: node alternates must be registered candidates, not seated, not banned"
)
ALREADY_SUPER_ALTERNATE = "motions: an account is already a super alternate"
ALREADY_NODE_ALTERNATE = "motions: an account is already a node alternate"
ONLY_MOTIONS = "council: only the motions engine"
GENESIS_CLOSED = "council: the genesis phase is closed; seats are filled from the alternates"


# CLOCK, LOGS, STATE #


def now() -> int:
    timestamp: int = boa.env.evm.patch.timestamp
    return timestamp


def block() -> int:
    number: int = boa.env.evm.patch.block_number
    return number


def warp_to(timestamp: int) -> None:
    """Moves the clock to exactly ``timestamp`` (mining at least one block)."""
    seconds = timestamp - now()
    assert seconds >= 0, "cannot travel back in time"
    boa.env.time_travel(seconds=seconds)
    if seconds < 12:
        boa.env.time_travel(blocks=1, block_delta=0)


def events(contract: Any, name: str) -> list[Any]:
    """The decoded logs called ``name`` of the last transaction sent to ``contract``."""
    return [e for e in contract.get_logs() if type(e).__name__ == name]


def args_hash(motion_args: MotionArgs) -> bytes:
    """keccak256 of the ABI encoding of the ``MotionArgs`` tuple, as the engine hashes it."""
    encoded = encode(["(address[],uint256[],bytes32[],string)"], [motion_args])
    digest: bytes = keccak(encoded)
    return digest


def state(w: World) -> tuple[Any, ...]:
    """What a reverted call must leave unchanged: motions, seats, queues, admin, parameters."""
    c, m = w.council, w.motions
    count = m.motion_count()
    return (
        count,
        tuple(m.motion(i) for i in range(1, count + 1)),
        tuple(m.motion_status(i) for i in range(1, count + 1)),
        tuple(c.seats(body) for body in (NODE, SUPER, POOL)),
        tuple((c.queue_head(ch), c.queue_tail(ch)) for ch in (NODE, SUPER)),
        tuple(c.stage_count(ch) for ch in (NODE, SUPER)),
        c.admin(),
        c.genesis_open(),
        c.member_count(),
        tuple(getattr(c, p)() for p in PARAMETER_GETTERS),
    )


@contextmanager
def reverts_unchanged(w: World, reason: str) -> Iterator[None]:
    """``boa.reverts(reason)`` that also checks the alliance's state did not move."""
    before = state(w)
    with boa.reverts(reason):
        yield
    assert state(w) == before


# PEOPLE #


def stranger(label: str = "stranger") -> str:
    address: str = key(label).address
    return address


def register(w: World, accounts: list[LocalAccount], name: str = "candidate") -> None:
    """Registers each account as a candidate community (in the current block)."""
    for i, a in enumerate(accounts):
        with boa.env.prank(a.address):
            w.council.register_candidate(f"{name} {i}", NO_HASH)


def seated(w: World, account: str, chamber: int) -> bool:
    is_seated: bool = w.council.member(account)[1 + chamber]
    return is_seated


def resign(w: World, account: str, chamber: int) -> None:
    with boa.env.prank(account):
        w.council.resign(chamber)


def queue(w: World, chamber: int) -> list[str]:
    """The alternate queue of ``chamber``, head first."""
    c = w.council
    return [
        str(c.queue_at(chamber, p)) for p in range(c.queue_head(chamber), c.queue_tail(chamber))
    ]


# VOTING #


def voters(w: World, stage_id: int, extra: list[str] | None = None) -> list[str]:
    """Members of ``stage_id``'s electorate among the world's nodes (and ``extra``)."""
    c = w.council
    stage = c.stage(stage_id)
    pool = [n.address for n in w.nodes] + list(extra or [])
    return [
        a
        for a in pool
        if seated(w, a, stage.chamber) and c.seated_since(a, stage.chamber) < stage.opened_block
    ]


def vote(w: World, stage_id: int, who: list[str], choice: int = FOR) -> None:
    for a in who:
        with boa.env.prank(a):
            w.council.vote(stage_id, choice)


def vote_for(w: World, stage_id: int, n: int | None = None) -> None:
    """Votes For with ``n`` members of the electorate (default: exactly the threshold)."""
    if n is None:
        n = w.council.stage(stage_id).threshold
    who = voters(w, stage_id)
    assert len(who) >= n, "not enough voters in the electorate"
    vote(w, stage_id, who[:n])


def reject(w: World, stage_id: int) -> None:
    """Votes Against with just enough members that the threshold is out of reach."""
    s = w.council.stage(stage_id)
    n = s.electorate - s.threshold + 1
    vote(w, stage_id, voters(w, stage_id)[-n:], AGAINST)


def sponsors_of(w: World, motion_id: int) -> list[str]:
    """Nodes that may sponsor ``motion_id`` (seated before the block it was proposed in)."""
    c = w.council
    proposed = c.sponsorship(motion_id).proposed_block
    return [
        n.address
        for n in w.nodes
        if seated(w, n.address, NODE) and c.seated_since(n.address, NODE) < proposed
    ]


def sponsor(w: World, motion_id: int, who: list[str]) -> None:
    for a in who:
        with boa.env.prank(a):
            w.council.sponsor(motion_id)


def gather(w: World, motion_id: int, who: list[str] | None = None) -> None:
    """Sponsors ``motion_id`` with exactly its threshold of sponsors."""
    n = w.council.sponsorship(motion_id).threshold
    who = sponsors_of(w, motion_id) if who is None else who
    assert len(who) >= n, "not enough sponsors"
    sponsor(w, motion_id, who[:n])


def pass_through(w: World, motion_id: int, sponsors: list[str] | None = None) -> None:
    """Takes a motion to PASSED: sponsors, stage 1, advance, stage 2, as its rule needs."""
    m = w.motions
    if m.motion_status(motion_id) == SPONSORING:
        gather(w, motion_id, sponsors)
    if m.motion_status(motion_id) == AWAITING_STAGE:
        m.advance(motion_id)
    vote_for(w, w.stage_of(motion_id, 1))
    if m.motion_status(motion_id) == AWAITING_STAGE:
        m.advance(motion_id)
        vote_for(w, w.stage_of(motion_id, 2))


def carry(
    w: World,
    proposer: str,
    kind: int,
    motion_args: MotionArgs,
    sponsors: list[str] | None = None,
) -> int:
    """Proposes, passes and executes a motion; returns its id."""
    motion_id = w.propose(proposer, kind, motion_args)
    pass_through(w, motion_id, sponsors)
    w.motions.execute(motion_id, motion_args)
    return motion_id


def set_parameters(w: World, numbers: list[int]) -> int:
    """Carries a SET_PARAMETERS motion (proposed by the first super node)."""
    return carry(w, w.supers[0].address, SET_PARAMETERS, args(numbers=numbers))


def seat_candidates(w: World, candidates: list[LocalAccount]) -> int:
    """Registers ``candidates`` (five) if need be and carries REPLENISH_NODE_ALTERNATES
    for them: they are seated at once while node seats are free."""
    new = [a for a in candidates if not w.council.member(a.address)[3]]
    if new:
        register(w, new, "seated candidate")
        next_block()
    motion_args = args([a.address for a in candidates])
    return carry(
        w,
        candidates[0].address,
        REPLENISH_NODE_ALTERNATES,
        motion_args,
        sponsors=[a.address for a in candidates],
    )


def open_node_stage(w: World, proposer: str, new_admin: str = "new admin") -> int:
    """A one-stage node motion (REPLACE_ADMIN, nodes 67%) proposed by ``proposer``."""
    return w.propose(proposer, REPLACE_ADMIN, args([stranger(new_admin)]))


# EIP-712 SPONSORSHIPS #

SPONSORSHIP_TYPES = {
    "EIP712Domain": [
        {"name": "name", "type": "string"},
        {"name": "version", "type": "string"},
        {"name": "chainId", "type": "uint256"},
        {"name": "verifyingContract", "type": "address"},
    ],
    "Sponsorship": [
        {"name": "sponsor", "type": "address"},
        {"name": "motionId", "type": "uint256"},
        {"name": "expiry", "type": "uint256"},
    ],
}

SignedSponsorship = tuple[str, int, int, int, bytes, bytes]


def sponsorship_message(
    council: Any,
    sponsor_address: str,
    motion_id: int,
    expiry: int,
    *,
    name: str = "KOL Alliance",
    version: str = "1",
    chain_id: int | None = None,
    verifying_contract: str | None = None,
) -> SignableMessage:
    """The EIP-712 ``Sponsorship`` message; the keywords forge another domain."""
    return encode_typed_data(
        full_message={
            "types": SPONSORSHIP_TYPES,
            "primaryType": "Sponsorship",
            "domain": {
                "name": name,
                "version": version,
                "chainId": boa.env.evm.patch.chain_id if chain_id is None else chain_id,
                "verifyingContract": verifying_contract or council.address,
            },
            "message": {"sponsor": sponsor_address, "motionId": motion_id, "expiry": expiry},
        }
    )


def digest_of(message: SignableMessage) -> bytes:
    digest: bytes = keccak(b"\x19" + message.version + message.header + message.body)
    return digest


def signed(
    signer: LocalAccount,
    council: Any,
    motion_id: int,
    expiry: int,
    *,
    sponsor_address: str | None = None,
    signed_motion_id: int | None = None,
    **forge: Any,
) -> SignedSponsorship:
    """A relayed ``SignedSponsorship`` signed by ``signer`` (for ``sponsor_address``)."""
    sponsor_address = sponsor_address or signer.address
    message = sponsorship_message(
        council,
        sponsor_address,
        motion_id if signed_motion_id is None else signed_motion_id,
        expiry,
        **forge,
    )
    sig = Account.sign_message(message, signer.key)
    return (
        sponsor_address,
        motion_id,
        expiry,
        sig.v,
        sig.r.to_bytes(32, "big"),
        sig.s.to_bytes(32, "big"),
    )


def relay(w: World, items: list[SignedSponsorship]) -> tuple[list[int], list[Any]]:
    """Relays ``items`` from a stranger; returns the statuses and the SponsorshipRejected logs."""
    with boa.env.prank(stranger("relayer")):
        statuses = list(w.council.relay_sponsorships(items))
    return statuses, events(w.council, "SponsorshipRejected")


# WORLDS #


@dataclass
class Banned:
    """A world with bans in force (§3): 12 nodes, one super node left.

    ``super_banned`` (node 0) forfeited its super seat and is still a node;
    ``node_banned`` (node 11) forfeited its node seat and registered as a
    candidate; ``super_node`` (node 1) is the only super node.
    """

    w: World
    super_banned: LocalAccount
    node_banned: LocalAccount
    super_node: LocalAccount


def make_banned_world() -> Banned:
    w = make_world(n_nodes=12, n_supers=2)
    c = w.council
    banned_super, last_super = w.nodes[0], w.nodes[1]
    first_super_stage = c.stage_count(SUPER) + 1
    for _ in range(3):
        # node 0 proposes, node 1 sinks it at once: node 0 misses the stage.
        motion_id = w.propose(
            banned_super.address, SET_PARAMETERS, args(numbers=[VOTING_PERIOD, 3 * DAY])
        )
        vote(w, w.stage_of(motion_id), [last_super.address], AGAINST)
        next_block()
    first_node_stage = c.stage_count(NODE) + 1
    for p in w.nodes[2:5]:
        open_node_stage(w, p.address)
    warp(3 * DAY + 60)
    banned_node = w.nodes[11]
    c.forfeit(banned_super.address, SUPER, first_super_stage)
    c.forfeit(banned_node.address, NODE, first_node_stage)
    register(w, [banned_node], "banned")
    next_block()
    w.supers = [last_super]
    assert c.member(banned_super.address)[1:3] == (True, False)
    assert c.member(banned_node.address)[1:4] == (False, False, True)
    return Banned(w, banned_super, banned_node, last_super)


def make_pool_world(n_candidates: int = 20) -> tuple[World, list[LocalAccount]]:
    """30 nodes (0-20 super, 21-23 super alternates) and a candidate pool."""
    w = make_world(n_nodes=30, n_supers=21, n_alternates=3)
    pool = keys("cand", n_candidates)
    register(w, pool)
    next_block()
    return w, pool
