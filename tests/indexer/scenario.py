"""A small alliance on a real chain, played through the SDK so that nearly every event of the
contracts appears: genesis nominations and candidates, the super nodes ratified by own and
relayed ballots, a task approved, a two-stage matched batch and its claims, a genesis month and
a genesis claim, a statement, an audit demand answered, a buyback burn, a foundation payment,
a sponsored motion (own and relayed sponsorships), a node replaced, a motion voted down and
closed, a parameter changed, and a super node's seat forfeited for three misses and refilled
from the queue."""

from __future__ import annotations

import atexit
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak

from kol.alliance import (
    Alliance,
    Chamber,
    Choice,
    MotionArgs,
    MotionKind,
    MotionStatus,
    Parameter,
    TaskKind,
)
from kol.chain.anvil import Anvil, rpc_request
from kol.chain.deployment import Deployment
from kol.chain.rpc import RpcBackend, connect, deploy
from kol.domain.allocation import Allocation
from kol.domain.genesis import Decision, GenesisSchedule, Verdict
from kol.domain.types import Role

DAY = 86_400
USDT, KOL = 10**6, 10**18


def key(label: str) -> LocalAccount:
    account: LocalAccount = Account.from_key(keccak(text=f"kol-store-test:{label}"))
    return account


DEPLOYER, ADMIN, FOUNDATION, RELAYER, CLIENT = (
    key("deployer"),
    key("admin"),
    key("foundation"),
    key("relayer"),
    key("client"),
)
NODES = [key(f"node{i}") for i in range(12)]
CANDIDATES = [key(f"candidate{i}") for i in range(4)]
USERS = [key(f"user{i}") for i in range(3)]
EVERYONE = [ADMIN, FOUNDATION, RELAYER, CLIENT, *NODES, *CANDIDATES, *USERS]
SUPER = NODES[:5]
"""The ratified super nodes; NODES[4] never votes in the super chamber and forfeits."""
ABSENT = NODES[4]
SUPER_ALTERNATES = NODES[5:7]


@dataclass
class Played:
    """What the scenario did, for the tests to compare with the store."""

    deployment: Deployment
    allocation: Allocation
    schedule: GenesisSchedule
    motions: dict[str, int]
    task_id: int
    batch_id: int


def start_chain(tmp: Path) -> Anvil:
    return Anvil.start(log=tmp / "anvil.log")


def deploy_alliance(url: str) -> Deployment:
    for account in [DEPLOYER, *EVERYONE]:
        rpc_request(url, "anvil_setBalance", [account.address, hex(10_000 * 10**18)])
    return deploy(
        connect(url), DEPLOYER, admin=ADMIN.address, foundation=FOUNDATION.address, rpc_url=url
    )


def sdk(deployment: Deployment) -> Alliance:
    return Alliance(RpcBackend.connect(deployment, signers=EVERYONE))


def vote(
    a: Alliance, motion_id: int, stage: int, voters: list[LocalAccount], relay: int = 0
) -> None:
    """The first ``relay`` voters sign and the relayer relays; the others vote themselves."""
    if relay:
        signed = [a.sign_ballot(k, motion_id, stage, Choice.FOR) for k in voters[:relay]]
        a.relay(signed, by=RELAYER.address)
    for k in voters[relay:]:
        a.vote(motion_id, stage, Choice.FOR, by=k.address)


def present_super(a: Alliance) -> list[LocalAccount]:
    seated = {m.address for m in a.seated(Chamber.SUPER)}
    return [k for k in NODES if k.address in seated and k is not ABSENT]


def carry(
    a: Alliance, kind: MotionKind, args: MotionArgs, proposer: LocalAccount, relay: int = 0
) -> int:
    """Proposes and passes a motion through each of its stages with just enough For, then
    executes it."""
    motion_id = a.propose(kind, args, by=proposer.address)
    for number, (chamber, _) in enumerate(a.rule(kind).stages, start=1):
        if number > 1:
            a.advance(motion_id, by=RELAYER.address)
        stage = a.motion(motion_id).stage(number)
        voters = present_super(a) if chamber == Chamber.SUPER else list(NODES)
        seated = {m.address for m in a.seated(chamber)}
        voters = [k for k in voters if k.address in seated][: stage.threshold]
        vote(a, motion_id, number, voters, relay)
    a.execute(motion_id, args, by=RELAYER.address)
    return motion_id


def play(deployment: Deployment) -> Played:
    a = sdk(deployment)
    motions: dict[str, int] = {}
    for i, k in enumerate(NODES):
        a.nominate(k.address, f"社区 {i}", by=ADMIN.address)
    for i, k in enumerate(CANDIDATES):
        a.register_candidate(f"候补社区 {i}", by=k.address)
    a.wait(12)

    slate = MotionArgs.ratify([k.address for k in SUPER], [k.address for k in SUPER_ALTERNATES])
    motions["ratify"] = carry(a, MotionKind.RATIFY_GENESIS_SUPER_NODES, slate, NODES[11], relay=2)

    # a client's task, approved by the super nodes
    a.mint_test_usdt(CLIENT.address, 10_000 * USDT, by=CLIENT.address)
    a.approve_usdt(a.treasury_address(), 2**256 - 1, by=CLIENT.address)
    task_id = a.request_task(TaskKind.ROADSHOW, b"\x01" * 32, 1_000 * USDT, by=CLIENT.address)
    motions["approve"] = carry(
        a, MotionKind.APPROVE_TASK, MotionArgs.approve_task(task_id), NODES[7]
    )

    # the matched batch: super nodes, then nodes; two claims
    allocation = Allocation.of(
        1_000 * KOL,
        [(u.address, Role.USER, i + 1) for i, u in enumerate(USERS)]
        + [(NODES[3].address, Role.LEADER, 1)],
    )
    motions["batch"] = carry(
        a,
        MotionKind.ISSUE_MATCHED_BATCH,
        MotionArgs.matched_batch(allocation, [task_id], "ipfs://batch-1"),
        NODES[8],
        relay=1,
    )
    batch_id = a.batch_count()
    a.claim(batch_id, allocation, 0, by=RELAYER.address)
    leader_leaf = next(i for i, leaf in enumerate(allocation.leaves) if leaf.role == Role.LEADER)
    a.claim(batch_id, allocation, leader_leaf, by=NODES[3].address)

    # genesis month 1 and a claim
    schedule = GenesisSchedule.of(
        [
            Decision.of(1, NODES[0].address, Verdict.PAY),
            Decision.of(1, NODES[1].address, Verdict.PAY),
            Decision.of(1, NODES[2].address, "defer"),
        ]
    )
    motions["genesis"] = carry(
        a,
        MotionKind.GENESIS_RELEASE,
        MotionArgs.genesis_month(schedule, 1, "ipfs://genesis-1"),
        NODES[9],
    )
    a.claim_genesis(schedule, 1, NODES[0].address, by=NODES[0].address)

    # the books: a statement, an audit demand answered late, a payment, a buyback burn
    now = a.now()
    motions["statement"] = carry(
        a,
        MotionKind.PUBLISH_STATEMENT,
        MotionArgs.statement(now - 30 * DAY, now, b"\x05" * 32, "ipfs://statement-1"),
        FOUNDATION,
    )
    motions["audit"] = carry(
        a, MotionKind.DEMAND_AUDIT, MotionArgs.audit(now - DAY, now), NODES[10]
    )
    a.spend(USERS[2].address, 100 * USDT, b"\x08" * 32, by=FOUNDATION.address)
    a.transfer(FOUNDATION.address, 400 * KOL, by=NODES[0].address)
    a.approve_kol(a.treasury_address(), 400 * KOL, by=FOUNDATION.address)
    a.buyback_burn(400 * KOL, 390 * USDT, b"\x07" * 32, by=FOUNDATION.address)

    # a sponsored motion: 10% of the nodes sponsor (one own, one relayed), super 33% pass it
    replenish = MotionArgs.alternates([k.address for k in NODES[7:10]])
    motions["replenish"] = a.propose(
        MotionKind.REPLENISH_SUPER_ALTERNATES, replenish, by=NODES[6].address
    )
    a.sponsor(motions["replenish"], by=NODES[1].address)
    signed = a.sign_sponsorship(NODES[2], motions["replenish"])
    a.relay_sponsorships([signed], by=RELAYER.address)
    a.advance(motions["replenish"], by=RELAYER.address)
    vote(a, motions["replenish"], 1, present_super(a)[:2])
    a.execute(motions["replenish"], replenish, by=RELAYER.address)

    # a node replaced by the super nodes with a candidate
    motions["replace"] = carry(
        a,
        MotionKind.REPLACE_NODE,
        MotionArgs.replace(NODES[11].address, CANDIDATES[0].address),
        SUPER[0],
    )

    # a motion voted down by the nodes, then closed
    motions["refused"] = a.propose(
        MotionKind.REPLACE_SUPER_NODE,
        MotionArgs.replace(SUPER[1].address, NODES[10].address),
        by=NODES[5].address,
    )
    for k in NODES[:6]:
        a.vote(motions["refused"], 1, Choice.AGAINST, by=k.address)
    a.vote(motions["refused"], 1, Choice.ABSTAIN, by=NODES[6].address)
    a.close(motions["refused"], by=RELAYER.address)

    # a parameter change (two stages)
    motions["parameters"] = carry(
        a,
        MotionKind.SET_PARAMETERS,
        MotionArgs.parameters({Parameter.NOTICE_PERIOD: 3_600}),
        SUPER[2],
    )

    # the absent super node missed every super stage: its seat is forfeited and refilled
    a.wait(4 * DAY)
    first_seq = 1
    assert a.misses_three(ABSENT.address, Chamber.SUPER, first_seq)
    a.forfeit(ABSENT.address, Chamber.SUPER, first_seq, by=RELAYER.address)

    # the audit answered after its due date
    a.wait(31 * DAY)
    a.answer_audit(1, b"\x06" * 32, "ipfs://audit-1", by=FOUNDATION.address)
    assert a.motion_status(motions["refused"]) == MotionStatus.FAILED
    return Played(deployment, allocation, schedule, motions, task_id, batch_id)


def fork_activity(deployment: Deployment, label: str) -> None:
    """A few transactions that differ by ``label`` (for reorgs): a new candidate registers and
    the client requests a task."""
    extra = key(f"extra:{label}")
    assert deployment.rpc_url is not None
    rpc_request(deployment.rpc_url, "anvil_setBalance", [extra.address, hex(10**21)])
    a = Alliance(RpcBackend.connect(deployment, signers=[*EVERYONE, extra]))
    a.register_candidate(f"分叉 {label}", by=extra.address)
    a.mint_test_usdt(CLIENT.address, 7 * USDT, by=CLIENT.address)
    a.approve_usdt(a.treasury_address(), 7 * USDT, by=CLIENT.address)
    a.request_task(TaskKind.OTHER, keccak(text=label), 7 * USDT, by=CLIENT.address)


# ONE CHAIN FOR THE SESSION #

_SHARED: dict[str, Any] = {}


def shared_chain(tmp: Path) -> tuple[Anvil, Played]:
    """One anvil with the scenario played, for every test module of the session that only
    reads it (started on first use, stopped when the session's process exits)."""
    if "chain" not in _SHARED:
        node = start_chain(tmp)
        atexit.register(node.stop)
        deployment = deploy_alliance(node.url)
        _SHARED["chain"] = (node, play(deployment))
    chain: tuple[Anvil, Played] = _SHARED["chain"]
    return chain
