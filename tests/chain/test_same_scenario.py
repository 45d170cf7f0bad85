"""One SDK scenario, unchanged, over both backends: the in-process EVM and anvil over
JSON-RPC. The alliance must behave the same on both — seats, motions, stages, tallies,
refusals in the contract's words."""

from __future__ import annotations

from typing import Any

import pytest

from kol.alliance import (
    Alliance,
    BoaBackend,
    Body,
    Chamber,
    Choice,
    MotionArgs,
    MotionKind,
    MotionStatus,
    RuleViolation,
    StageStatus,
)
from kol.chain.deployment import Deployment
from kol.chain.rpc import RpcBackend
from tests.chain.conftest import ADMIN, CANDIDATES, FOUNDATION, NODES, RELAYER

DAY = 86_400


def scenario(a: Alliance) -> dict[str, Any]:
    """Genesis; the super nodes ratified by own and relayed ballots; a node replaced by the
    super nodes after the notice period; and the refusals met on the way."""
    seen: dict[str, Any] = {"refusals": []}
    for i, k in enumerate(NODES):
        a.nominate(k.address, f"社区 {i}", by=ADMIN.address)
    for i, k in enumerate(CANDIDATES):
        a.register_candidate(f"候补 {i}", by=k.address)
    a.wait(12)

    slate = MotionArgs.ratify([k.address for k in NODES[:21]], [k.address for k in NODES[21:24]])
    ratify = a.propose(MotionKind.RATIFY_GENESIS_SUPER_NODES, slate, by=NODES[29].address)
    for k in NODES[:6]:
        a.vote(ratify, 1, Choice.FOR, by=k.address)
    try:
        a.vote(ratify, 1, Choice.AGAINST, by=NODES[0].address)
    except RuleViolation as refused:
        seen["refusals"].append(refused.reason)
    signed = [a.sign_ballot(k, ratify, 1, Choice.FOR) for k in NODES[6:12]]
    seen["relayed"] = a.relay(signed, by=RELAYER.address)
    a.execute(ratify, by=FOUNDATION.address)
    a.wait(12)

    replace = a.propose(
        MotionKind.REPLACE_NODE,
        MotionArgs.replace(NODES[29].address, CANDIDATES[0].address),
        by=NODES[0].address,
    )
    try:
        a.execute(replace, by=RELAYER.address)
    except RuleViolation as refused:
        seen["refusals"].append(refused.reason)
    for k in NODES[:8]:
        a.vote(replace, 1, Choice.FOR, by=k.address)
    a.vote(replace, 1, Choice.ABSTAIN, by=NODES[8].address)
    stage = a.motion(replace).stage(1)
    a.wait(a.motion(replace).notice_period + 1)
    a.execute(replace, by=RELAYER.address)
    motion = a.motion(replace)
    seen.update(
        ratify_status=a.motion_status(ratify),
        replace_status=motion.status,
        stage=(stage.chamber, stage.electorate, stage.threshold, stage.votes_for),
        stage_status=stage.status,
        abstained=a.stage(stage.stage_id).votes_abstain,
        seats=(a.seats(Chamber.NODE), a.seats(Chamber.SUPER), a.seats(Body.POOL)),
        super_queue=a.queue(Chamber.SUPER),
        replaced=(a.member(NODES[29].address).is_node, a.member(CANDIDATES[0].address).is_node),
        members=len(a.members()),
    )
    return seen


def expected() -> dict[str, Any]:
    return {
        "refusals": [
            "ballots: voter already voted in this stage",
            "motions: stage 1 needs 7 of 21 super nodes; 0 voted for",
        ],
        "relayed": 6,
        "ratify_status": MotionStatus.EXECUTED,
        "replace_status": MotionStatus.EXECUTED,
        "stage": (Chamber.SUPER, 21, 7, 8),
        "stage_status": StageStatus.PASSED,
        "abstained": 1,
        "seats": (30, 21, 9),
        "super_queue": tuple(k.address for k in NODES[21:24]),
        "replaced": (False, True),
        "members": 40,
    }


@pytest.fixture(params=["in-process", "json-rpc"])
def alliance(request: pytest.FixtureRequest, rpc_deployment: Deployment) -> Alliance:
    """The scenario's alliance (the chain's session fixtures are set up for both, so that
    none of them starts inside a test's in-process anchor)."""
    if request.param == "in-process":
        return Alliance(BoaBackend.deploy(ADMIN.address, FOUNDATION.address, with_treasury=True))
    backend: RpcBackend = request.getfixturevalue("rpc_backend")
    return Alliance(backend)


def test_scenario__the_same_on_both_backends(alliance: Alliance) -> None:
    assert scenario(alliance) == expected()
