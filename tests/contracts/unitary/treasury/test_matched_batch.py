"""Matched issuance (§7, §11.1, §11.4): ISSUE_MATCHED_BATCH, its checks and its pools."""

from __future__ import annotations

import boa
import pytest

from kol.alliance import MotionArgs, Parameter
from kol.domain.allocation import LEAF_TYPES
from kol.domain.merkle import StandardMerkleTree
from kol.domain.types import Role
from tests.contracts.helpers import (
    EXECUTED,
    ISSUE_MATCHED_BATCH,
    SET_PARAMETERS,
    World,
    args,
    key,
    reverts_with,
)
from tests.contracts.unitary.treasury._economy import (
    KOL,
    URI,
    USDT,
    allocation,
    approved_tasks,
    as_args,
    batch_args,
    claim,
    issue,
    request,
)

MATCHED_CAP = 16_000_000 * KOL
MATCHED = 4


def _propose_reverts(w: World, motion_args: tuple[object, ...], reason: str) -> None:
    with boa.env.prank(w.nodes[3].address), reverts_with(reason):
        w.motions.propose(ISSUE_MATCHED_BATCH, motion_args)


def test_batch__mints_fees_times_rate_into_its_two_pools(world: World, client: str) -> None:
    t, token = world.a.treasury, world.a.token
    ids = approved_tasks(world, client, [1_000 * USDT, 2_500 * USDT])
    alloc = allocation(3_500 * KOL, leaders=[world.nodes[1].address, world.nodes[2].address])
    batch_id = issue(world, alloc, ids)
    root, user_pool, leader_pool, user_left, leader_left = token.batch(batch_id)
    assert root == alloc.tree().root
    assert (user_left, leader_left) == (2_800 * KOL, 700 * KOL)
    assert token.balanceOf(user_pool) == 2_800 * KOL and token.balanceOf(leader_pool) == 700 * KOL
    assert token.is_pool(user_pool) and token.is_pool(leader_pool)
    assert token.issued_matched() == token.totalSupply() == 3_500 * KOL
    assert [t.task(i).state for i in ids] == [MATCHED, MATCHED]
    assert t.matched(0) == 3_500 * USDT
    # The USDT stays foundation revenue: matching mints KOL, it moves no fee.
    assert t.approved(0) == 3_500 * USDT and world.a.usdt.balanceOf(t.address) == 3_500 * USDT


def test_batch__every_leaf_claimed__empties_both_pools_exactly(world: World, client: str) -> None:
    token = world.a.token
    ids = approved_tasks(world, client, [777 * USDT + 3])
    alloc = allocation(777 * KOL + 3 * 10**12, n_users=7, leaders=[world.nodes[4].address])
    batch_id = issue(world, alloc, ids)
    for i in range(len(alloc.leaves)):
        claim(world, batch_id, alloc, i)
    _, user_pool, leader_pool, user_left, leader_left = token.batch(batch_id)
    assert user_left == leader_left == 0
    for leaf in alloc.leaves:
        assert token.is_claimed(batch_id, leaf.index)
    assert sum(token.balanceOf(leaf.account) for leaf in alloc.leaves) == alloc.total


def test_batch__a_rate_set_by_motion__multiplies_the_fees(world: World, client: str) -> None:
    change = as_args(MotionArgs.parameters({Parameter.KOL_PER_USDT: 3 * 10**12}))
    world.pass_motion(world.supers[0].address, SET_PARAMETERS, change)
    ids = approved_tasks(world, client, [100 * USDT])
    with boa.env.prank(world.nodes[3].address), reverts_with("a batch's KOL is the named tasks"):
        world.motions.propose(ISSUE_MATCHED_BATCH, batch_args(allocation(100 * KOL), ids))
    issue(world, allocation(300 * KOL, leaders=[world.nodes[5].address]), ids)
    assert world.a.token.issued_matched() == 300 * KOL


def test_batch__by_the_foundation__is_allowed(world: World, client: str) -> None:
    ids = approved_tasks(world, client, [10 * USDT])
    issue(world, allocation(10 * KOL, leaders=[world.nodes[1].address]), ids, world.foundation)
    assert world.a.token.issued_matched() == 10 * KOL


@pytest.mark.parametrize(
    ("total", "reason"),
    [
        (999 * KOL, "a batch's KOL is the named tasks' fees x kol_per_usdt"),
        (1_001 * KOL, "a batch's KOL is the named tasks' fees x kol_per_usdt"),
    ],
)
def test_batch__total_not_fees_times_rate__reverts(
    world: World, client: str, total: int, reason: str
) -> None:
    ids = approved_tasks(world, client, [1_000 * USDT])
    _propose_reverts(world, batch_args(allocation(total), ids), reason)


def test_batch__parts_not_80_20__reverts(world: World, client: str) -> None:
    ids = approved_tasks(world, client, [100 * USDT])
    alloc = allocation(100 * KOL, leaders=[world.nodes[1].address])
    tree = alloc.tree()
    for user_part in (79 * KOL, 81 * KOL):
        bad = args(
            numbers=[100 * KOL, user_part, 100 * KOL - user_part, *ids],
            hashes=[tree.root, tree.content_hash()],
            text=URI,
        )
        _propose_reverts(world, bad, "treasury: a batch states its user part (80%")


def test_batch__task_not_approved__reverts(world: World, client: str) -> None:
    task_id = request(world, client, 100 * USDT)
    _propose_reverts(
        world,
        batch_args(allocation(100 * KOL), [task_id]),
        "tasks: a batch names only approved tasks not already in a batch",
    )


def test_batch__unknown_task__reverts(world: World, client: str) -> None:
    _propose_reverts(world, batch_args(allocation(100 * KOL), [99]), "tasks: no such task")


def test_batch__task_named_twice__reverts(world: World, client: str) -> None:
    ids = approved_tasks(world, client, [100 * USDT])
    alloc = allocation(200 * KOL)
    tree = alloc.tree()
    bad = args(
        numbers=[200 * KOL, 160 * KOL, 40 * KOL, ids[0], ids[0]],
        hashes=[tree.root, tree.content_hash()],
        text=URI,
    )
    _propose_reverts(world, bad, "treasury: a batch names its task ids once each")


def test_batch__task_already_matched__reverts_at_proposal_and_at_execution(
    world: World, client: str
) -> None:
    ids = approved_tasks(world, client, [100 * USDT])
    alloc = allocation(100 * KOL, leaders=[world.nodes[1].address])
    # Two motions name the same task; the first executed wins.
    first = world.propose(world.nodes[5].address, ISSUE_MATCHED_BATCH, batch_args(alloc, ids))
    issue(world, alloc, ids, world.nodes[6].address)
    _propose_reverts(world, batch_args(alloc, ids), "tasks: a batch names only approved tasks")
    world.vote(world.supers, world.stage_of(first, 1))
    world.motions.advance(first)
    world.vote(world.nodes, world.stage_of(first, 2))
    with reverts_with("tasks: a batch names only approved tasks not already in a batch"):
        world.motions.execute(first, batch_args(alloc, ids))
    assert world.a.token.issued_matched() == 100 * KOL


@pytest.mark.parametrize(
    ("shape", "reason"),
    [
        ("no tasks", "treasury: ISSUE_MATCHED_BATCH takes (total, user part, leader part"),
        ("no uri", "treasury: ISSUE_MATCHED_BATCH takes (total, user part, leader part"),
        ("one hash", "treasury: ISSUE_MATCHED_BATCH takes (total, user part, leader part"),
        ("accounts", "treasury: ISSUE_MATCHED_BATCH takes (total, user part, leader part"),
        ("zero root", "treasury: a batch needs its list's Merkle root and content hash"),
    ],
)
def test_batch__malformed_arguments__revert(
    world: World, client: str, shape: str, reason: str
) -> None:
    ids = approved_tasks(world, client, [100 * USDT])
    alloc = allocation(100 * KOL)
    root, content = alloc.tree().root, alloc.tree().content_hash()
    numbers = [100 * KOL, 80 * KOL, 20 * KOL, *ids]
    bad = {
        "no tasks": args(numbers=numbers[:3], hashes=[root, content], text=URI),
        "no uri": args(numbers=numbers, hashes=[root, content]),
        "one hash": args(numbers=numbers, hashes=[root], text=URI),
        "accounts": args([client], numbers, [root, content], URI),
        "zero root": args(numbers=numbers, hashes=[b"\x00" * 32, content], text=URI),
    }[shape]
    _propose_reverts(world, bad, reason)


def test_batch__fills_16_million_exactly_and_the_next_is_refused(world: World, client: str) -> None:
    token = world.a.token
    world.a.usdt.mint(client, 16_000_000 * USDT)
    first = approved_tasks(world, client, [15_999_000 * USDT])
    issue(world, allocation(15_999_000 * KOL, leaders=[world.nodes[1].address]), first)
    # 1,500 USDT of fees but only 1,000 KOL of capacity left: the batch is capped.
    last = approved_tasks(world, client, [1_500 * USDT])
    _propose_reverts(
        world,
        batch_args(allocation(1_500 * KOL), last),
        "capped by the matched bucket's remaining capacity",
    )
    issue(world, allocation(1_000 * KOL, leaders=[world.nodes[2].address]), last)
    assert token.issued_matched() == MATCHED_CAP
    assert world.a.treasury.circulation_mode()
    # The next USDT task cannot be matched: the bucket is exhausted.
    world.a.usdt.mint(client, 10 * USDT)
    # (new tasks are paid in KOL now; an approved USDT task left over cannot be matched)
    _propose_reverts(
        world,
        batch_args(allocation(1 * KOL), last),
        "tasks: a batch names only approved tasks not already in a batch",
    )


def test_batch__after_exhaustion__an_unmatched_usdt_task_is_refused(
    world: World, client: str
) -> None:
    world.a.usdt.mint(client, 16_000_000 * USDT)
    first, spare = approved_tasks(world, client, [16_000_000 * USDT, 5 * USDT])
    issue(world, allocation(16_000_000 * KOL, leaders=[world.nodes[1].address]), [first])
    _propose_reverts(
        world,
        batch_args(allocation(5 * KOL), [spare]),
        "treasury: the matched bucket is exhausted (16,000,000 KOL); new tasks are paid in KOL",
    )
    assert world.a.token.issued_matched() == MATCHED_CAP


def test_batch__effect_happens_once(world: World, client: str) -> None:
    ids = approved_tasks(world, client, [50 * USDT])
    motion_args = batch_args(allocation(50 * KOL, leaders=[world.nodes[1].address]), ids)
    mid = world.pass_motion(world.nodes[0].address, ISSUE_MATCHED_BATCH, motion_args)
    assert world.motions.motion_status(mid) == EXECUTED
    with boa.reverts():
        world.motions.execute(mid, motion_args)
    assert world.a.token.issued_matched() == 50 * KOL
    assert world.a.token.batch_count() == 1


def test_batch__a_list_that_overpays_a_part__cannot_take_more_than_the_part(
    world: World, client: str
) -> None:
    """§11.4: claims from a part never exceed its stated sub-total, even when
    the list (voted through by mistake) sums to more."""
    token = world.a.token
    ids = approved_tasks(world, client, [100 * USDT])
    honest = allocation(100 * KOL, n_users=2, leaders=[world.nodes[1].address])
    u0, u1 = (leaf.account for leaf in honest.leaves[:2])
    # Both users listed for 50 KOL each: 100 KOL of user leaves for an 80 KOL part.
    values = [(0, u0, 0, 50 * KOL), (1, u1, 0, 50 * KOL), (2, world.nodes[1].address, 1, 20 * KOL)]
    tree = StandardMerkleTree.of(values, LEAF_TYPES)
    motion_args = args(
        numbers=[100 * KOL, 80 * KOL, 20 * KOL, *ids],
        hashes=[tree.root, tree.content_hash()],
        text=URI,
    )
    world.pass_motion(world.nodes[0].address, ISSUE_MATCHED_BATCH, motion_args)
    batch_id = token.batch_count()
    with boa.env.prank(u0):
        token.claim(batch_id, 0, u0, 0, 50 * KOL, list(tree.get_proof(0)))
    with (
        boa.env.prank(u1),
        reverts_with("distribution: the claims would exceed the batch's stated part"),
    ):
        token.claim(batch_id, 1, u1, 0, 50 * KOL, list(tree.get_proof(1)))
    assert token.balanceOf(u1) == 0 and not token.is_claimed(batch_id, 1)
    assert token.batch(batch_id)[3] == 30 * KOL


def test_batch__events_name_the_list(world: World, client: str) -> None:
    ids = approved_tasks(world, client, [40 * USDT])
    alloc = allocation(40 * KOL, leaders=[world.nodes[1].address])
    batch_id = issue(world, alloc, ids)
    logs = [e for e in world.motions.get_logs() if type(e).__name__ == "BatchIssued"]
    assert logs, "BatchIssued"
    e = logs[-1]
    assert (e.batch_id, e.total, e.user_total, e.leader_total) == (
        batch_id,
        40 * KOL,
        32 * KOL,
        8 * KOL,
    )
    assert (e.root, e.content_hash, e.uri) == (
        alloc.tree().root,
        alloc.tree().content_hash(),
        URI,
    )


def test_batch__leader_role_in_the_list__is_paid_from_the_leader_pool(
    world: World, client: str
) -> None:
    token = world.a.token
    ids = approved_tasks(world, client, [100 * USDT])
    leader = world.nodes[7].address
    alloc = allocation(100 * KOL, n_users=1, leaders=[leader])
    batch_id = issue(world, alloc, ids)
    leader_index = next(i for i, leaf in enumerate(alloc.leaves) if leaf.role == Role.LEADER)
    claim(world, batch_id, alloc, leader_index, sender=key("anyone").address)
    assert token.balanceOf(leader) == 20 * KOL
    assert token.batch(batch_id)[4] == 0 and token.batch(batch_id)[3] == 80 * KOL
