"""The SDK (``kol.alliance``) against the in-process contracts: words of the constitution in,
frozen dataclasses out, the contract's reason in every refusal."""

from __future__ import annotations

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak

from kol.alliance import (
    Alliance,
    Body,
    Chamber,
    Choice,
    MotionArgs,
    MotionKind,
    MotionStatus,
    RuleViolation,
    StageStatus,
)


def key(label: str) -> LocalAccount:
    account: LocalAccount = Account.from_key(keccak(text=f"kol-sdk-test:{label}"))
    return account


ADMIN, FOUNDATION = key("admin"), key("foundation")
NODES = [key(f"node{i}") for i in range(30)]
CANDIDATES = [key(f"candidate{i}") for i in range(10)]


@pytest.fixture
def alliance() -> Alliance:
    a = Alliance.in_process(ADMIN.address, FOUNDATION.address)
    for i, k in enumerate(NODES):
        a.nominate(k.address, f"社区 {i}", by=ADMIN.address)
    for i, k in enumerate(CANDIDATES):
        a.register_candidate(f"候补 {i}", by=k.address)
    a.wait(12)
    return a


def ratify(a: Alliance) -> int:
    args = MotionArgs.ratify([k.address for k in NODES[:21]], [k.address for k in NODES[21:24]])
    motion_id = a.propose(MotionKind.RATIFY_GENESIS_SUPER_NODES, args, by=NODES[29].address)
    for k in NODES[:10]:
        a.vote(motion_id, 1, Choice.FOR, by=k.address)
    a.execute(motion_id, by=FOUNDATION.address)
    a.wait(12)
    return motion_id


def test_nominate__by_anyone_but_the_administrator__raises_the_councils_reason(
    alliance: Alliance,
) -> None:
    with pytest.raises(RuleViolation) as refused:
        alliance.nominate(key("x").address, "x", by=NODES[0].address)
    assert refused.value.reason == "council: only the genesis administrator nominates"
    assert refused.value.action == "nominate"


def test_members__seats_names_and_the_candidate_pool(alliance: Alliance) -> None:
    members = alliance.members()
    assert len(members) == 40
    assert alliance.seats(Chamber.NODE) == 30 and alliance.seats(Body.POOL) == 10
    first = alliance.member(NODES[0].address)
    assert (first.member_id, first.is_node, first.is_super_node, first.name) == (
        1,
        True,
        False,
        "社区 0",
    )
    assert alliance.member(CANDIDATES[0].address).in_pool


def test_motion__stage_arithmetic_status_and_refusal_in_the_rules_words(
    alliance: Alliance,
) -> None:
    args = MotionArgs.ratify([k.address for k in NODES[:21]], [k.address for k in NODES[21:24]])
    motion_id = alliance.propose(MotionKind.RATIFY_GENESIS_SUPER_NODES, args, by=NODES[29].address)
    motion = alliance.motion(motion_id)
    assert motion.status == MotionStatus.VOTING and motion.args_hash == args.hash()
    stage = motion.stage(1)
    assert (stage.chamber, stage.electorate, stage.threshold) == (Chamber.NODE, 30, 10)
    with pytest.raises(RuleViolation, match=r"stage 1 needs 10 of 30 nodes; 0 voted for"):
        alliance.execute(motion_id, by=FOUNDATION.address)
    for k in NODES[:4]:
        alliance.vote(motion_id, 1, Choice.FOR, by=k.address)
    ballots = [alliance.sign_ballot(k, motion_id, 1, Choice.FOR) for k in NODES[4:10]]
    ballots.append(alliance.sign_ballot(key("outsider"), motion_id, 1, Choice.FOR))
    assert alliance.relay(ballots, by=FOUNDATION.address) == 6  # the outsider is skipped
    with pytest.raises(RuleViolation, match="already voted"):
        alliance.vote(motion_id, 1, Choice.AGAINST, by=NODES[0].address)
    stage = alliance.motion(motion_id).stage(1)
    assert (stage.votes_for, stage.status) == (10, StageStatus.PASSED)
    alliance.execute(motion_id, by=FOUNDATION.address)
    assert alliance.motion(motion_id).status == MotionStatus.EXECUTED
    assert alliance.seats(Chamber.SUPER) == 21
    assert alliance.queue(Chamber.SUPER) == tuple(k.address for k in NODES[21:24])
    assert not alliance.genesis_open()


def test_forfeit__three_missed_stages_lose_the_seat_and_the_queue_refills_it(
    alliance: Alliance,
) -> None:
    ratify(alliance)
    absent = NODES[20].address
    first_seq = alliance.stage_count(Chamber.SUPER) + 1
    for i in range(3):  # three super-chamber stages that the absent super node ignores
        old, new = NODES[25 + i].address, CANDIDATES[i].address
        motion_id = alliance.propose(
            MotionKind.REPLACE_NODE, MotionArgs.replace(old, new), by=NODES[i].address
        )
        alliance.vote(motion_id, 1, Choice.AGAINST, by=NODES[10].address)
    assert not alliance.misses_three(absent, Chamber.SUPER, first_seq)  # deadlines ahead
    alliance.wait(alliance.parameters().voting_period + 1)
    assert alliance.misses_three(absent, Chamber.SUPER, first_seq)
    assert not alliance.misses_three(NODES[10].address, Chamber.SUPER, first_seq)
    alliance.forfeit(absent, Chamber.SUPER, first_seq, by=FOUNDATION.address)
    gone = alliance.member(absent)
    assert gone.is_node and not gone.is_super_node and gone.banned(Chamber.SUPER, alliance.now())
    assert alliance.member(NODES[21].address).is_super_node  # the head of the queue
    assert alliance.seats(Chamber.SUPER) == 21
    with pytest.raises(RuleViolation, match="attendance: not seated in that chamber"):
        alliance.forfeit(absent, Chamber.SUPER, first_seq, by=FOUNDATION.address)


def test_sponsorship__signed_sponsors_open_the_first_stage(alliance: Alliance) -> None:
    five = [k.address for k in CANDIDATES[:5]]
    motion_id = alliance.propose(
        MotionKind.REPLENISH_NODE_ALTERNATES,
        MotionArgs.alternates(five),
        by=CANDIDATES[5].address,
    )
    motion = alliance.motion(motion_id)
    assert motion.status == MotionStatus.SPONSORING and motion.stages == ()
    assert motion.sponsorship is not None and motion.sponsorship.threshold == 1
    alliance.wait(12)
    signed = alliance.sign_sponsorship(CANDIDATES[6], motion_id)
    assert alliance.relay_sponsorships([signed], by=FOUNDATION.address) == (0,)
    assert alliance.motion_status(motion_id) == MotionStatus.AWAITING_STAGE
    stage_id = alliance.advance(motion_id, by=FOUNDATION.address)
    assert alliance.motion(motion_id).stage(1).stage_id == stage_id
