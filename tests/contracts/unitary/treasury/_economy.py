"""Shared steps of the economy tests: tasks, batches and genesis months."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import boa
from eth_account.signers.local import LocalAccount

from kol.alliance import MotionArgs
from kol.domain.allocation import Allocation
from kol.domain.genesis import GenesisSchedule
from kol.domain.types import Role
from tests.contracts.helpers import (
    APPROVE_TASK,
    GENESIS_RELEASE,
    ISSUE_MATCHED_BATCH,
    World,
    args,
    keys,
)

USDT = 10**6
KOL = 10**18
TRANCHE = 1_000 * KOL
MONTH = 30 * 86_400
URI = "ipfs://bafy-list"


def as_args(motion_args: MotionArgs) -> tuple[Any, ...]:
    accounts, numbers, hashes, text = motion_args.encode()
    return args(accounts, numbers, hashes, text)


def request(w: World, client: str, fee: int, kind: int = 1) -> int:
    with boa.env.prank(client):
        task_id: int = w.a.treasury.request_task(kind, b"\x11" * 32, fee)
    return task_id


def approved_tasks(w: World, client: str, fees: Sequence[int]) -> list[int]:
    """Requests one task per fee and approves each by a passed motion."""
    ids = []
    for i, fee in enumerate(fees):
        task_id = request(w, client, fee)
        w.pass_motion(w.nodes[i % len(w.nodes)].address, APPROVE_TASK, args(numbers=[task_id]))
        ids.append(task_id)
    return ids


def allocation(total: int, n_users: int = 8, leaders: Sequence[str] = ()) -> Allocation:
    """``total`` split among ``n_users`` test users and ``leaders`` (by default
    one leader of its own)."""
    users = keys("user", n_users)
    leaders = list(leaders) or [keys("leader", 1)[0].address]
    parts: list[tuple[str, Role | str, int]] = [
        (u.address, Role.USER, 3 + i) for i, u in enumerate(users)
    ]
    parts += [(a, Role.LEADER, 10 + i) for i, a in enumerate(leaders)]
    return Allocation.of(total, parts)


def batch_args(alloc: Allocation, task_ids: Sequence[int]) -> tuple[Any, ...]:
    return as_args(MotionArgs.matched_batch(alloc, task_ids, URI))


def issue(w: World, alloc: Allocation, task_ids: Sequence[int], proposer: str | None = None) -> int:
    """Passes ISSUE_MATCHED_BATCH; returns the new batch id."""
    w.pass_motion(proposer or w.nodes[0].address, ISSUE_MATCHED_BATCH, batch_args(alloc, task_ids))
    batch_id: int = w.a.token.batch_count()
    return batch_id


def claim(w: World, batch_id: int, alloc: Allocation, i: int, sender: str | None = None) -> None:
    leaf = alloc.leaves[i]
    proof = list(alloc.tree().get_proof(leaf.value()))
    with boa.env.prank(sender or leaf.account):
        w.a.token.claim(batch_id, leaf.index, leaf.account, int(leaf.role), leaf.amount, proof)


def release_month(w: World, schedule: GenesisSchedule, month: int) -> int:
    """Passes GENESIS_RELEASE of ``month`` (waiting for the month to begin)."""
    start = w.a.treasury.genesis_start()
    begins = start + (month - 1) * MONTH
    if boa.env.evm.patch.timestamp < begins:
        boa.env.time_travel(seconds=begins - boa.env.evm.patch.timestamp)
    return w.pass_motion(
        w.nodes[0].address, GENESIS_RELEASE, as_args(MotionArgs.genesis_month(schedule, month, URI))
    )


def claim_genesis(
    w: World, schedule: GenesisSchedule, month: int, leader: str | LocalAccount
) -> int:
    address = leader if isinstance(leader, str) else leader.address
    e = schedule.entitlement(month, address)
    tree = schedule.month_tree(month)
    proof = list(tree.get_proof(e.value()))
    month_released, release_block = w.a.token.genesis_month(tree.root)
    with boa.env.prank(address):
        paid: int = w.a.token.claim_genesis(
            tree.root, month_released, release_block, e.leader, e.cum_paid, e.cum_forfeited, proof
        )
    return paid
