"""The SDK's records as JSON objects and as rich tables (what the member commands print)."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from kol.alliance import (
    CHAMBER_WORDS,
    BatchIssue,
    Member,
    Motion,
    MotionArgs,
    MotionKind,
    Stage,
    Supply,
    Task,
)
from kol.cli.connect import hex32, kol, usdt, when
from kol.domain.types import Chamber

KIND_NAMES: dict[str, MotionKind] = {
    kind.name.lower().replace("_", "-"): kind for kind in MotionKind
}
"""``replace-node`` → ``MotionKind.REPLACE_NODE`` …"""


def chamber_name(chamber: Chamber) -> str:
    return "super" if chamber == Chamber.SUPER else "node"


def args_json(args: MotionArgs | None) -> dict[str, Any] | None:
    if args is None:
        return None
    return {
        "accounts": list(args.accounts),
        "numbers": list(args.numbers),
        "hashes": [hex32(h) for h in args.hashes],
        "text": args.text,
    }


def stage_json(number: int, stage: Stage) -> dict[str, Any]:
    return {
        "stage": number,
        "stage_id": stage.stage_id,
        "chamber": chamber_name(stage.chamber),
        "seq": stage.seq,
        "opened_block": stage.opened_block,
        "electorate": stage.electorate,
        "threshold": stage.threshold,
        "for": stage.votes_for,
        "against": stage.votes_against,
        "abstain": stage.votes_abstain,
        "deadline": stage.deadline,
        "passed_at": stage.passed_at,
        "status": stage.status.name.lower(),
    }


def motion_json(motion: Motion, names: dict[str, str]) -> dict[str, Any]:
    sponsorship = motion.sponsorship
    return {
        "motion_id": motion.motion_id,
        "kind": motion.kind.name,
        "status": motion.status.name.lower(),
        "proposer": motion.proposer,
        "proposer_name": names.get(motion.proposer),
        "rule": motion.rule.describe(),
        "created_at": motion.created_at,
        "created_block": motion.created_block,
        "notice_period": motion.notice_period,
        "execution_window": motion.execution_window,
        "args_hash": hex32(motion.args_hash),
        "args": args_json(motion.args),
        "sponsorship": None
        if sponsorship is None
        else {
            "body": sponsorship.body.name.lower(),
            "electorate": sponsorship.electorate,
            "threshold": sponsorship.threshold,
            "sponsors": sponsorship.sponsors,
            "deadline": sponsorship.deadline,
            "reached": sponsorship.reached,
        },
        "stages": [stage_json(i, s) for i, s in enumerate(motion.stages, start=1)],
    }


def motion_table(motion: Motion, names: dict[str, str], now: int) -> Table:
    """The motion's stages: electorate, threshold, tallies, deadline, status."""
    who = names.get(motion.proposer, "")
    table = Table(
        title=f"motion {motion.motion_id}: {motion.kind.name} — {motion.status.name.lower()}",
        caption=f"proposed by {motion.proposer} {who} · {motion.rule.describe()}",
    )
    for column in ("stage", "chamber", "electorate", "threshold", "for", "against", "abstain"):
        table.add_column(column, justify="right" if column != "chamber" else "left")
    table.add_column("deadline")
    table.add_column("status")
    if motion.sponsorship is not None:
        s = motion.sponsorship
        table.add_row(
            "sponsors",
            s.body.name.lower(),
            str(s.electorate),
            str(s.threshold),
            str(s.sponsors),
            "",
            "",
            when(s.deadline, now),
            "reached" if s.reached else "gathering",
        )
    for number, stage in enumerate(motion.stages, start=1):
        table.add_row(
            str(number),
            CHAMBER_WORDS[stage.chamber],
            str(stage.electorate),
            str(stage.threshold),
            str(stage.votes_for),
            str(stage.votes_against),
            str(stage.votes_abstain),
            when(stage.deadline, now),
            stage.status.name.lower(),
        )
    return table


def member_json(member: Member, now: int, queued: dict[str, str]) -> dict[str, Any]:
    return {
        "address": member.address,
        "member_id": member.member_id,
        "name": member.name,
        "node": member.is_node,
        "super_node": member.is_super_node,
        "candidate": member.in_pool,
        "queued": queued.get(member.address),
        "node_ban_until": member.node_ban_until if member.banned(Chamber.NODE, now) else 0,
        "super_ban_until": member.super_ban_until if member.banned(Chamber.SUPER, now) else 0,
    }


def supply_json(supply: Supply) -> dict[str, int]:
    return {
        "issued_total": supply.issued_total,
        "issued_genesis": supply.issued_genesis,
        "issued_matched": supply.issued_matched,
        "burned": supply.burned,
        "total_supply": supply.total_supply,
    }


def task_json(task: Task) -> dict[str, Any]:
    return {
        "task_id": task.task_id,
        "client": task.client,
        "kind": task.kind.name.lower().replace("_", "-"),
        "currency": task.currency.name,
        "fee": task.fee,
        "state": task.state.name.lower(),
        "requested_at": task.requested_at,
        "motion_id": task.motion_id,
    }


def fee_text(task: Task) -> str:
    return usdt(task.fee) if task.currency.name == "USDT" else kol(task.fee)


def batch_issue_json(issue: BatchIssue | None) -> dict[str, Any] | None:
    if issue is None:
        return None
    return {
        "motion_id": issue.motion_id,
        "currency": issue.currency.name,
        "total": issue.total,
        "user_total": issue.user_total,
        "leader_total": issue.leader_total,
        "root": hex32(issue.root),
        "content_hash": hex32(issue.content_hash),
        "uri": issue.uri,
    }
