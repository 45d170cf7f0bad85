"""``propose``: who may propose what (§5), one live motion per proposer (§4),
economy kinds without an economy module, the MotionProposed record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boa
import pytest
from eth_account.signers.local import LocalAccount

from tests.contracts.helpers import (
    APPROVE_TASK,
    AWAITING_STAGE,
    DAY,
    DEMAND_AUDIT,
    EXECUTED,
    FAILED,
    GENESIS_RELEASE,
    ISSUE_MATCHED_BATCH,
    LAPSED,
    NODE,
    PASSED,
    PUBLISH_STATEMENT,
    RATIFY_GENESIS_SUPER_NODES,
    REPLACE_ADMIN,
    REPLACE_NODE,
    REPLACE_SUPER_NODE,
    REPLENISH_NODE_ALTERNATES,
    REPLENISH_SUPER_ALTERNATES,
    SET_PARAMETERS,
    SPONSORING,
    SUPER,
    VOTING,
    World,
    args,
    next_block,
)
from tests.contracts.unitary.motions._util import (
    CLOSE_GENESIS,
    LIVE,
    NO_ECONOMY,
    NO_HASH,
    ONLY_CANDIDATE,
    ONLY_FOUNDATION,
    ONLY_NODE,
    ONLY_NODE_OR_FOUNDATION,
    ONLY_SUPER,
    UNKNOWN_KIND,
    VOTING_PERIOD,
    MotionArgs,
    args_hash,
    block,
    events,
    gather,
    now,
    open_node_stage,
    reject,
    reverts_unchanged,
    seat_candidates,
    stranger,
    vote_for,
    warp_to,
)

Pool = tuple[World, list[LocalAccount]]


def _who(p: Pool, label: str) -> str:
    """The address behind a role label (in ``pool_world``)."""
    w, cands = p
    people = {
        "stranger": stranger(),
        "candidate": cands[0].address,
        "node": w.nodes[25].address,
        "super node": w.nodes[0].address,
        "super alternate": w.nodes[21].address,
        "foundation": w.foundation,
        "admin": w.admin,
    }
    return people[label]


# WHO MAY PROPOSE (§5) #

_BY_NODE = [
    RATIFY_GENESIS_SUPER_NODES,
    APPROVE_TASK,
    REPLACE_SUPER_NODE,
    REPLACE_ADMIN,
    DEMAND_AUDIT,
    REPLENISH_SUPER_ALTERNATES,
]
_WRONG_PROPOSERS = (
    [
        (k, who, ONLY_NODE)
        for k in _BY_NODE
        for who in ("stranger", "candidate", "foundation", "admin")
    ]
    + [
        (k, who, ONLY_SUPER)
        for k in (REPLACE_NODE, SET_PARAMETERS)
        for who in ("node", "super alternate", "stranger", "candidate", "foundation", "admin")
    ]
    + [
        (k, who, ONLY_NODE_OR_FOUNDATION)
        for k in (ISSUE_MATCHED_BATCH, GENESIS_RELEASE)
        for who in ("stranger", "candidate", "admin")
    ]
    + [
        (PUBLISH_STATEMENT, who, ONLY_FOUNDATION)
        for who in ("node", "super node", "stranger", "candidate", "admin")
    ]
    + [
        (REPLENISH_NODE_ALTERNATES, who, ONLY_CANDIDATE)
        for who in ("node", "super node", "stranger", "foundation", "admin")
    ]
)


@pytest.mark.parametrize(("kind", "who", "reason"), _WRONG_PROPOSERS)
def test_propose__wrong_proposer__reverts_with_the_role(
    pool_world: Pool, kind: int, who: str, reason: str
) -> None:
    w = pool_world[0]
    with reverts_unchanged(w, reason):
        w.propose(_who(pool_world, who), kind, args())


def _right(p: Pool) -> dict[str, tuple[int, str, MotionArgs, str | None]]:
    """Each kind by a proposer of the right role, with arguments valid in ``pool_world``:
    (kind, proposer, args, the revert expected after the role check or None)."""
    w, cands = p
    n = [x.address for x in w.nodes]
    return {
        "ratify by a node": (
            RATIFY_GENESIS_SUPER_NODES,
            "node",
            args(n[24:27], [1]),
            "motions: genesis super nodes are ratified only while no super node is seated",
        ),
        "approve task by a node": (APPROVE_TASK, "node", args(), NO_ECONOMY),
        "replace node by a super node": (
            REPLACE_NODE,
            "super node",
            args([n[29], stranger("new node")]),
            None,
        ),
        "replace super node by a node": (REPLACE_SUPER_NODE, "node", args([n[0], n[25]]), None),
        "replace admin by a node": (REPLACE_ADMIN, "node", args([stranger("new admin")]), None),
        "replace admin by a super node": (
            REPLACE_ADMIN,
            "super node",
            args([stranger("new admin")]),
            None,
        ),
        "issue batch by a node": (ISSUE_MATCHED_BATCH, "node", args(), NO_ECONOMY),
        "issue batch by the foundation": (ISSUE_MATCHED_BATCH, "foundation", args(), NO_ECONOMY),
        "genesis release by a node": (GENESIS_RELEASE, "node", args(), NO_ECONOMY),
        "genesis release by the foundation": (GENESIS_RELEASE, "foundation", args(), NO_ECONOMY),
        "statement by the foundation": (PUBLISH_STATEMENT, "foundation", args(), NO_ECONOMY),
        "audit by a node": (DEMAND_AUDIT, "node", args(), NO_ECONOMY),
        "super alternates by a node": (
            REPLENISH_SUPER_ALTERNATES,
            "node",
            args(n[24:27]),
            None,
        ),
        "node alternates by a candidate": (
            REPLENISH_NODE_ALTERNATES,
            "candidate",
            args([c.address for c in cands[:5]]),
            None,
        ),
        "parameters by a super node": (
            SET_PARAMETERS,
            "super node",
            args(numbers=[VOTING_PERIOD, 2 * DAY]),
            None,
        ),
    }


_RIGHT_CASES = [
    "ratify by a node",
    "approve task by a node",
    "replace node by a super node",
    "replace super node by a node",
    "replace admin by a node",
    "replace admin by a super node",
    "issue batch by a node",
    "issue batch by the foundation",
    "genesis release by a node",
    "genesis release by the foundation",
    "statement by the foundation",
    "audit by a node",
    "super alternates by a node",
    "node alternates by a candidate",
    "parameters by a super node",
]


@pytest.mark.parametrize("case", _RIGHT_CASES)
def test_propose__right_proposer__passes_the_role_check(pool_world: Pool, case: str) -> None:
    w = pool_world[0]
    kind, who, motion_args, reason = _right(pool_world)[case]
    proposer = _who(pool_world, who)
    if reason is not None:
        with reverts_unchanged(w, reason):
            w.propose(proposer, kind, motion_args)
        return
    count = w.motions.motion_count()
    motion_id = w.propose(proposer, kind, motion_args)
    assert motion_id == count + 1 == w.motions.motion_count()
    m = w.motions.motion(motion_id)
    assert (m.kind, m.proposer) == (kind, proposer)
    assert w.motions.latest_motion(proposer) == motion_id


def test_propose__candidate_seated_as_a_node__is_no_longer_a_candidate_proposer(
    pool_world: Pool,
) -> None:
    w, cands = pool_world
    seat_candidates(w, cands[:5])
    seated_candidate = cands[0].address
    assert w.council.member(seated_candidate)[1:4] == (True, False, True)
    with reverts_unchanged(w, ONLY_CANDIDATE):
        w.propose(
            seated_candidate, REPLENISH_NODE_ALTERNATES, args([c.address for c in cands[5:10]])
        )


def test_propose__withdrawn_candidate__is_no_longer_a_candidate_proposer(pool_world: Pool) -> None:
    w, cands = pool_world
    with boa.env.prank(cands[0].address):
        w.council.withdraw_candidacy()
    with reverts_unchanged(w, ONLY_CANDIDATE):
        w.propose(
            cands[0].address, REPLENISH_NODE_ALTERNATES, args([c.address for c in cands[1:6]])
        )


def test_propose__resigned_super_node__is_no_longer_a_super_proposer(pool_world: Pool) -> None:
    w = pool_world[0]
    former = w.nodes[3].address
    with boa.env.prank(former):
        w.council.resign(SUPER)
    with reverts_unchanged(w, ONLY_SUPER):
        w.propose(former, SET_PARAMETERS, args(numbers=[VOTING_PERIOD, 2 * DAY]))


def test_propose__resigned_node__is_no_longer_a_node_proposer(pool_world: Pool) -> None:
    w = pool_world[0]
    former = w.nodes[27].address
    with boa.env.prank(former):
        w.council.resign(NODE)
    with reverts_unchanged(w, ONLY_NODE):
        w.propose(former, REPLACE_ADMIN, args([stranger("new admin")]))


# UNKNOWN KINDS #


@pytest.mark.parametrize("kind", [0, 13, 255])
@pytest.mark.parametrize("who", ["node", "super node", "foundation", "candidate"])
def test_propose__unknown_kind__reverts(pool_world: Pool, kind: int, who: str) -> None:
    w = pool_world[0]
    with reverts_unchanged(w, UNKNOWN_KIND):
        w.propose(_who(pool_world, who), kind, args())


# ECONOMY KINDS WITHOUT AN ECONOMY MODULE #

_ECONOMY = [
    (APPROVE_TASK, "node", args(numbers=[1])),
    (ISSUE_MATCHED_BATCH, "node", args(numbers=[1], hashes=[b"\x01" * 32], text="batch")),
    (ISSUE_MATCHED_BATCH, "foundation", args(numbers=[1], hashes=[b"\x01" * 32])),
    (GENESIS_RELEASE, "node", args(numbers=[1], hashes=[b"\x02" * 32])),
    (GENESIS_RELEASE, "foundation", args(numbers=[1], hashes=[b"\x02" * 32])),
    (PUBLISH_STATEMENT, "foundation", args(numbers=[1], hashes=[b"\x03" * 32], text="ipfs://x")),
    (DEMAND_AUDIT, "node", args(text="audit please")),
    (SET_PARAMETERS, "super node", args(numbers=[CLOSE_GENESIS, 1])),
    (SET_PARAMETERS, "super node", args(numbers=[VOTING_PERIOD, 2 * DAY, CLOSE_GENESIS, 1])),
]


@pytest.mark.parametrize(("kind", "who", "motion_args"), _ECONOMY)
def test_propose__economy_kind__reverts_without_economy_module(
    pool_world: Pool, kind: int, who: str, motion_args: MotionArgs
) -> None:
    w = pool_world[0]
    assert w.motions.economy() == "0x0000000000000000000000000000000000000000"
    with reverts_unchanged(w, NO_ECONOMY):
        w.propose(_who(pool_world, who), kind, motion_args)


# ONE LIVE MOTION PER PROPOSER (§4) #


def _sponsoring(w: World, proposer: str) -> int:
    n = [x.address for x in w.nodes]
    motion_id = w.propose(proposer, REPLENISH_SUPER_ALTERNATES, args(n[25:28]))
    assert w.motions.motion_status(motion_id) == SPONSORING
    return motion_id


def _voting(w: World, proposer: str) -> int:
    motion_id = open_node_stage(w, proposer)
    assert w.motions.motion_status(motion_id) == VOTING
    return motion_id


def _awaiting_stage_1(w: World, proposer: str) -> int:
    motion_id = _sponsoring(w, proposer)
    gather(w, motion_id)
    assert w.motions.motion_status(motion_id) == AWAITING_STAGE
    return motion_id


def _awaiting_stage_2(w: World, proposer: str) -> int:
    motion_id = w.propose(proposer, SET_PARAMETERS, args(numbers=[VOTING_PERIOD, 2 * DAY]))
    vote_for(w, w.stage_of(motion_id))
    assert w.motions.motion_status(motion_id) == AWAITING_STAGE
    return motion_id


def _voting_stage_2(w: World, proposer: str) -> int:
    motion_id = _awaiting_stage_2(w, proposer)
    w.motions.advance(motion_id)
    assert w.motions.motion_status(motion_id) == VOTING
    return motion_id


_LIVE: dict[str, tuple[Callable[[World, str], int], int]] = {
    "sponsoring": (_sponsoring, 24),
    "voting": (_voting, 24),
    "awaiting stage 1": (_awaiting_stage_1, 24),
    "awaiting stage 2": (_awaiting_stage_2, 0),
    "voting stage 2": (_voting_stage_2, 0),
}


@pytest.mark.parametrize("live", list(_LIVE))
@pytest.mark.parametrize("second_kind", [REPLACE_ADMIN, REPLENISH_SUPER_ALTERNATES])
def test_propose__while_own_motion_is_live__reverts(
    world: World, live: str, second_kind: int
) -> None:
    w = world
    make, node = _LIVE[live]
    proposer = w.nodes[node].address
    make(w, proposer)
    n = [x.address for x in w.nodes]
    second = args(n[27:30]) if second_kind == REPLENISH_SUPER_ALTERNATES else args([stranger()])
    with reverts_unchanged(w, LIVE):
        w.propose(proposer, second_kind, second)


def test_propose__while_another_proposers_motion_is_live__succeeds(world: World) -> None:
    w = world
    first = _voting(w, w.nodes[24].address)
    second = open_node_stage(w, w.nodes[25].address)
    assert second == first + 1
    assert w.motions.motion_status(first) == w.motions.motion_status(second) == VOTING


def _passed(w: World, proposer: str) -> int:
    motion_id = _voting(w, proposer)
    vote_for(w, w.stage_of(motion_id))
    assert w.motions.motion_status(motion_id) == PASSED
    return motion_id


def _executed(w: World, proposer: str) -> int:
    motion_id = _passed(w, proposer)
    w.motions.execute(motion_id, args([stranger("new admin")]))
    assert w.motions.motion_status(motion_id) == EXECUTED
    return motion_id


def _failed(w: World, proposer: str) -> int:
    motion_id = _voting(w, proposer)
    reject(w, w.stage_of(motion_id))
    assert w.motions.motion_status(motion_id) == FAILED
    return motion_id


def _failed_and_closed(w: World, proposer: str) -> int:
    motion_id = _failed(w, proposer)
    w.motions.close(motion_id)
    return motion_id


def _lapsed_unsponsored(w: World, proposer: str) -> int:
    motion_id = _sponsoring(w, proposer)
    warp_to(w.council.sponsorship(motion_id).deadline + 1)
    assert w.motions.motion_status(motion_id) == LAPSED
    return motion_id


def _lapsed_unexecuted(w: World, proposer: str) -> int:
    motion_id = _passed(w, proposer)
    passed_at = w.council.stage(w.stage_of(motion_id)).passed_at
    warp_to(passed_at + w.motions.motion(motion_id).execution_window + 1)
    assert w.motions.motion_status(motion_id) == LAPSED
    return motion_id


_ENDED: dict[str, Callable[[World, str], int]] = {
    "passed, not yet executed": _passed,
    "executed": _executed,
    "failed": _failed,
    "failed and closed": _failed_and_closed,
    "lapsed unsponsored": _lapsed_unsponsored,
    "lapsed unexecuted": _lapsed_unexecuted,
}


@pytest.mark.parametrize("ended", list(_ENDED))
def test_propose__after_own_motion_ended__succeeds(world: World, ended: str) -> None:
    w = world
    proposer = w.nodes[24].address
    first = _ENDED[ended](w, proposer)
    second = open_node_stage(w, proposer, "another admin")
    assert second == first + 1
    assert w.motions.latest_motion(proposer) == second
    assert w.motions.motion_status(second) == VOTING


# THE RECORD AND THE EVENT #


def _proposed_event(w: World) -> Any:
    (e,) = events(w.motions, "MotionProposed")
    return e


def test_propose__motion_proposed_event__carries_args_and_their_hash(genesis_world: World) -> None:
    w = genesis_world
    n = [x.address for x in w.nodes]
    motion_args = args(n[:5], [3])
    proposer = n[7]

    motion_id = w.propose(proposer, RATIFY_GENESIS_SUPER_NODES, motion_args)
    e = _proposed_event(w)

    expected_hash = args_hash(motion_args)
    assert (e.motion_id, e.kind, e.proposer) == (motion_id, RATIFY_GENESIS_SUPER_NODES, proposer)
    assert e.args_hash == expected_hash
    assert [str(a) for a in e.args.accounts] == n[:5]
    assert list(e.args.numbers) == [3]
    assert list(e.args.hashes) == []
    assert e.args.text == ""
    assert w.motions.motion(motion_id).args_hash == expected_hash


def test_propose__numbers_only__args_hash_matches_abi_encoding(world: World) -> None:
    w = world
    motion_args = args(numbers=[VOTING_PERIOD, 2 * DAY, 3, 10 * DAY])
    motion_id = w.propose(w.nodes[2].address, SET_PARAMETERS, motion_args)
    e = _proposed_event(w)
    assert e.args_hash == args_hash(motion_args) == w.motions.motion(motion_id).args_hash
    assert list(e.args.numbers) == motion_args[1]


def test_propose__different_args__different_hashes(world: World) -> None:
    w = world
    a1 = args(numbers=[VOTING_PERIOD, 2 * DAY])
    a2 = args(numbers=[VOTING_PERIOD, 2 * DAY + 1])
    m1 = w.propose(w.nodes[2].address, SET_PARAMETERS, a1)
    m2 = w.propose(w.nodes[3].address, SET_PARAMETERS, a2)
    m3 = w.propose(w.nodes[4].address, SET_PARAMETERS, a1)
    h = [w.motions.motion(m).args_hash for m in (m1, m2, m3)]
    assert h[0] == h[2] == args_hash(a1)
    assert h[1] == args_hash(a2) != h[0]


def test_propose__one_stage_kind__opens_stage_1_at_once(world: World) -> None:
    w = world
    proposer = w.nodes[26].address
    count = w.motions.motion_count()

    motion_id = open_node_stage(w, proposer)
    (opened,) = events(w.motions, "StageOpened")

    m = w.motions.motion(motion_id)
    assert motion_id == count + 1
    assert (m.kind, m.proposer, m.closed, m.stage2) == (REPLACE_ADMIN, proposer, 0, 0)
    assert (m.created_block, m.created_at) == (block(), now())
    assert (m.notice_period, m.execution_window) == (0, 7 * DAY)
    assert m.stage1 == opened.stage_id != 0
    assert (opened.motion_id, opened.chamber, opened.electorate, opened.threshold) == (
        motion_id,
        NODE,
        30,
        21,  # 67% of 30
    )
    assert w.motions.motion_status(motion_id) == VOTING
    assert w.motions.latest_motion(proposer) == motion_id


def test_propose__sponsored_kind__opens_sponsorship_not_a_stage(world: World) -> None:
    w = world
    stages = (w.council.stage_count(NODE), w.council.stage_count(SUPER))
    n = [x.address for x in w.nodes]
    motion_id = w.propose(n[24], REPLENISH_SUPER_ALTERNATES, args(n[25:28]))
    assert events(w.motions, "StageOpened") == []
    (opened,) = events(w.motions, "SponsorshipOpened")
    assert opened.motion_id == motion_id
    assert w.motions.motion_status(motion_id) == SPONSORING
    assert w.motions.motion(motion_id).stage1 == 0
    assert (w.council.stage_count(NODE), w.council.stage_count(SUPER)) == stages


def test_propose__ids__count_up_from_one(genesis_world: World) -> None:
    w = genesis_world
    assert w.motions.motion_count() == 0
    ids = [open_node_stage(w, w.nodes[i].address) for i in range(3)]
    assert ids == [1, 2, 3]
    next_block()
    assert w.motions.motion(4).kind == 0
    assert w.motions.motion_status(4) == 0


def test_propose__records_parameters_of_the_moment(world: World) -> None:
    w = world
    m = w.motions.motion(open_node_stage(w, w.nodes[26].address))
    assert m.notice_period == w.council.notice_period()
    assert m.execution_window == w.council.execution_window()
    assert m.args_hash != NO_HASH
