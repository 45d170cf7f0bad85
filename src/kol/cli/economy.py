"""The economy's member commands (§7–§9): ``kol task``, ``kol batch``, ``kol claim``,
``kol genesis`` and ``kol books``.

Lists are built by the domain (the 80/20 split, genesis schedules, OpenZeppelin Merkle trees)
and published as canonical JSON files whose keccak-256 is the content hash stated on-chain;
everything else is the SDK's, and the contracts decide.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

import click
from eth_utils.crypto import keccak
from rich.console import Console
from rich.table import Table

from kol.alliance import Alliance, TaskKind
from kol.cli.connect import (
    Session,
    emit,
    fail,
    hex32,
    kol,
    parse_amount,
    parse_ids,
    read_bytes,
    say,
    session,
    usdt,
    when,
    write_new,
)
from kol.cli.errors import reported
from kol.cli.lists import load_batch_list, load_month_list, load_participants, load_schedule
from kol.cli.motions import statement as statement_motion
from kol.cli.options import json_option
from kol.cli.views import batch_issue_json, fee_text, task_json
from kol.domain.allocation import Allocation
from kol.domain.types import KOL_DECIMALS, USDT_DECIMALS, Role

KINDS = {kind.name.lower().replace("_", "-"): kind for kind in TaskKind}
PUSH_CHUNK = 100
"""Leaves pushed per ``deliver`` transaction (the gas snapshot measures batches of 100)."""

_OUT = click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the list (canonical JSON: its keccak-256 is the content hash).",
)
_FORCE = click.option("--force", is_flag=True, help="Replace an existing --out file.")


def _approve_then(
    session: Session,
    token: Literal["token", "usdt"],
    amount: int,
    action: str,
    send: Any,
) -> Any:
    """Lets the treasury take ``amount`` of ``token`` from the signer, then ``send()``s; when
    the action is refused, the allowance is put back as it was (nothing half done)."""
    a = session.alliance
    by = session.sender
    treasury = a.treasury_address()
    held = a.balance(by) if token == "token" else a.usdt_balance(by)
    if held < amount:
        shown = kol if token == "token" else usdt
        raise fail(f"{by} holds {shown(held)}; {action} needs {shown(amount)}")
    before = a.allowance(token, by, treasury)
    if before >= amount:
        return send()
    approve = a.approve_kol if token == "token" else a.approve_usdt
    approve(treasury, amount, by=by)
    try:
        return send()
    except Exception:
        approve(treasury, before, by=by)  # refused: the allowance as it was
        raise


# TASKS (§7) #


@click.group()
def task() -> None:
    """Client tasks (§7): request, refund, show."""


@task.command()
@click.option("--kind", type=click.Choice(list(KINDS)), required=True, help="What the client buys.")
@click.option(
    "--fee",
    required=True,
    metavar="AMOUNT",
    help="The whole fee: USDT (KOL in circulation mode), e.g. 1500 or 1500.25.",
)
@click.option(
    "--metadata",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The task's description; its keccak-256 is recorded.",
)
@click.option(
    "--mint-test-usdt",
    is_flag=True,
    help="Dev chains with a TestUSDT: mint the fee to the client first.",
)
@session(signs=True)
@json_option
def request(
    session: Session, kind: str, fee: str, metadata: Path, mint_test_usdt: bool, as_json: bool
) -> None:
    """Request a task and escrow its fee.

    Approves the treasury for the fee first when needed (USDT, or KOL in circulation mode);
    if the request is refused, the allowance is put back."""
    digest = keccak(read_bytes(metadata, what="--metadata"))
    with reported():
        a = session.alliance
        circulation = a.circulation_mode()
        decimals = KOL_DECIMALS if circulation else USDT_DECIMALS
        unit = "KOL" if circulation else "USDT"
        fee_units = parse_amount(fee, decimals, what="--fee", unit=unit)
        if mint_test_usdt:
            if circulation or not (session.deployment.test_usdt and session.backend.dev):
                raise click.UsageError(
                    "--mint-test-usdt is for a dev chain's TestUSDT while fees are paid in USDT"
                )
            a.mint_test_usdt(session.sender, fee_units, by=session.sender)
        task_id = _approve_then(
            session,
            "token" if circulation else "usdt",
            fee_units,
            "the fee",
            lambda: a.request_task(KINDS[kind], digest, fee_units, by=session.sender),
        )
        record = a.task(task_id)
    payload = {**task_json(record), "metadata_hash": hex32(digest)}
    emit(
        as_json,
        payload,
        lambda out: out.print(
            f"task {task_id} requested ({kind}, fee {fee_text(record)} escrowed); next: a node "
            f"proposes its approval — kol motion create approve-task {task_id}"
        ),
    )


@task.command()
@click.argument("task_id", metavar="ID", type=click.IntRange(min=1))
@session(signs=True)
@json_option
def refund(session: Session, task_id: int, as_json: bool) -> None:
    """Return a task's fee to its client."""
    with reported():
        a = session.alliance
        a.refund_task(task_id, by=session.sender)
        record = a.task(task_id)
    emit(
        as_json,
        task_json(record),
        lambda out: out.print(f"task {task_id}: {fee_text(record)} returned to {record.client}"),
    )


@task.command(name="show")
@click.argument("task_id", metavar="ID", type=click.IntRange(min=1))
@session(signs=False)
@json_option
def show_task(session: Session, task_id: int, as_json: bool) -> None:
    """A task: client, kind, fee, state."""
    with reported():
        a = session.alliance
        if task_id > a.task_count():
            raise fail(f"no task {task_id} (there are {a.task_count()})")
        record = a.task(task_id)
        now = a.now()

    def render(out: Console) -> None:
        table = Table(title=f"task {task_id}", show_header=False)
        table.add_row("client", record.client)
        table.add_row("kind", record.kind.name.lower().replace("_", "-"))
        table.add_row("fee", fee_text(record))
        table.add_row("state", record.state.name.lower())
        table.add_row("requested", when(record.requested_at, now))
        table.add_row("approval motion", str(record.motion_id or "none yet"))
        out.print(table)

    emit(as_json, task_json(record), render)


# BATCHES (§7) #


@click.group()
def batch() -> None:
    """Matched batches (§7): build and verify lists."""


def _allocation_json(allocation: Allocation) -> dict[str, Any]:
    tree = allocation.tree()
    return {
        "root": tree.root_hex,
        "content_hash": hex32(tree.content_hash()),
        "total": allocation.total,
        "user_total": allocation.user_total,
        "leader_total": allocation.leader_total,
        "users": sum(1 for leaf in allocation.leaves if leaf.role == Role.USER),
        "leaders": sum(1 for leaf in allocation.leaves if leaf.role == Role.LEADER),
        "leaves": len(allocation.leaves),
    }


def _render_allocation(out: Console, figures: dict[str, Any], title: str) -> None:
    table = Table(title=title, show_header=False)
    table.add_row("root", figures["root"])
    table.add_row("content hash", figures["content_hash"])
    table.add_row("total", kol(figures["total"]))
    table.add_row("users (80%)", f"{kol(figures['user_total'])} to {figures['users']} users")
    table.add_row(
        "leaders (20%)", f"{kol(figures['leader_total'])} to {figures['leaders']} leaders"
    )
    out.print(table)


@batch.command()
@click.argument("participants", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--total", default=None, metavar="KOL", help="The batch's KOL, e.g. 12500.")
@click.option(
    "--tasks", default=None, metavar="IDS", help="Or: the tasks it matches (total from fees)."
)
@_OUT
@_FORCE
@session(signs=False)
@json_option
def build(
    session: Session,
    participants: Path,
    total: str | None,
    tasks: str | None,
    out: Path,
    force: bool,
    as_json: bool,
) -> None:
    """Build a batch's 80/20 list from a CSV.

    PARTICIPANTS is a CSV with the header address,role,units (role user or leader). The total
    is --total KOL, or the named tasks' fees x kol_per_usdt read from the chain."""
    if (total is None) == (tasks is None):
        raise click.UsageError("give exactly one of --total KOL and --tasks IDS")
    people = load_participants(participants)
    figures: dict[str, Any] = {}
    if tasks is not None:
        task_ids = parse_ids(tasks, what="--tasks")
        with reported():
            amount = session.alliance.batch_total(task_ids)
        figures["tasks"] = sorted(task_ids)
    else:
        assert total is not None
        amount = parse_amount(total, KOL_DECIMALS, what="--total", unit="KOL")
    try:
        allocation = Allocation.of(amount, people)
    except ValueError as error:
        raise fail(f"{participants}: {error}") from None
    write_new(out, allocation.tree().dump_json(), force=force)
    figures = {"list": str(out), **figures, **_allocation_json(allocation)}
    emit(as_json, figures, lambda console: _render_allocation(console, figures, f"{out}"))


@batch.command()
@click.argument("list_path", metavar="LIST", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--batch",
    "batch_id",
    type=click.IntRange(min=1),
    default=None,
    help="Compare with this batch on the chain.",
)
@session(signs=False)
@json_option
def verify(session: Session, list_path: Path, batch_id: int | None, as_json: bool) -> None:
    """Recompute a published list's root and hash.

    With --batch, compare them (and the totals) with that batch on the chain."""
    published, allocation = load_batch_list(list_path, "LIST")
    figures = {
        "list": str(list_path),
        **_allocation_json(allocation),
        "content_hash": hex32(published.tree.content_hash()),
        "canonical_file": published.canonical,
    }
    mismatches: list[str] = []
    if batch_id is not None:
        with reported():
            a = session.alliance
            if batch_id > a.batch_count():
                raise fail(f"no batch {batch_id} on the chain (there are {a.batch_count()})")
            root = a.batch(batch_id).root
            issue = a.batch_issue(batch_id)
        figures["batch"] = {
            "batch_id": batch_id,
            "root": hex32(root),
            **(batch_issue_json(issue) or {}),
        }
        if root != published.tree.root:
            mismatches.append(f"root {published.tree.root_hex} ≠ batch {batch_id}'s {hex32(root)}")
        if issue is not None:
            if issue.content_hash != published.tree.content_hash():
                mismatches.append(
                    f"content hash {figures['content_hash']} ≠ the one batch {batch_id} states "
                    f"({hex32(issue.content_hash)})"
                )
            for name in ("total", "user_total", "leader_total"):
                if getattr(issue, name) != getattr(allocation, name):
                    mismatches.append(
                        f"{name} {kol(getattr(allocation, name))} ≠ batch {batch_id}'s "
                        f"{kol(getattr(issue, name))}"
                    )
        figures["matches"] = not mismatches
        figures["mismatches"] = mismatches

    def render(out: Console) -> None:
        _render_allocation(out, figures, f"{list_path}")
        if not published.canonical:
            out.print("note: the file is not in canonical form; the content hash is the list's")
        if batch_id is not None and not mismatches:
            out.print(f"the list matches batch {batch_id} on the chain")

    if mismatches and not as_json:
        _render_allocation(Console(stderr=True), figures, f"{list_path}")
    if mismatches:
        if as_json:
            emit(True, figures, render)
        raise fail(f"{list_path} does not match batch {batch_id}: " + "; ".join(mismatches))
    emit(as_json, figures, render)


@click.command()
@click.argument("batch_id", metavar="BATCH", type=click.IntRange(min=1))
@click.option(
    "--list",
    "list_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The batch's published list (default: its URI, when it is a local file).",
)
@click.option("--account", default=None, help="Claim this account's leaves (default: yours).")
@click.option("--all", "claim_all", is_flag=True, help="Every unclaimed leaf of the batch.")
@click.option("--push", is_flag=True, help="With --all: deliver by multiproof, in chunks.")
@click.option(
    "--chunk",
    type=click.IntRange(1, 500),
    default=PUSH_CHUNK,
    show_default=True,
    help="Leaves per pushed transaction.",
)
@session(signs=True)
@json_option
def claim(
    session: Session,
    batch_id: int,
    list_path: Path | None,
    account: str | None,
    claim_all: bool,
    push: bool,
    chunk: int,
    as_json: bool,
) -> None:
    """Claim a batch's KOL (by proof, or push all).

    Claims the signer's leaves (or --account's) by proof; --all claims every unclaimed leaf,
    --all --push delivers them by multiproof in chunks. Anyone may send a claim: the KOL goes
    to the leaf's account."""
    if account is not None and claim_all:
        raise click.UsageError("--account and --all exclude each other")
    if push and not claim_all:
        raise click.UsageError("--push goes with --all (it delivers every unclaimed leaf)")
    with reported():
        a = session.alliance
        if batch_id > a.batch_count():
            raise fail(f"no batch {batch_id} on the chain (there are {a.batch_count()})")
        path = list_path if list_path is not None else _list_from_uri(a, batch_id)
        published, allocation = load_batch_list(path)
        root = a.batch(batch_id).root
        if root != published.tree.root:
            raise fail(
                f"{path} is not batch {batch_id}'s list: its root is {published.tree.root_hex}, "
                f"the batch's {hex32(root)}"
            )
        by = session.sender
        if claim_all:
            wanted = list(range(len(allocation.leaves)))
        else:
            who = by if account is None else session.account(account, what="--account")
            wanted = [leaf.index for leaf in allocation.leaves if leaf.account == who]
            if not wanted:
                raise fail(f"{who} has no leaf in batch {batch_id}'s list")
        open_leaves = [i for i in wanted if not a.is_claimed(batch_id, allocation.leaves[i].index)]
        if not claim_all and not open_leaves:
            raise fail(f"batch {batch_id}: every leaf of {who} is claimed already")
        paid: list[dict[str, Any]] = []
        if push:
            for start in range(0, len(open_leaves), chunk):
                part = open_leaves[start : start + chunk]
                a.deliver(batch_id, allocation, part, by=by)
                say(
                    as_json,
                    f"delivered leaves {start + 1}–{start + len(part)} of {len(open_leaves)}",
                )
                paid += [_leaf_json(allocation, i) for i in part]
        else:
            for i in open_leaves:
                a.claim(batch_id, allocation, i, by=by)
                paid.append(_leaf_json(allocation, i))
        left = a.batch(batch_id)
    payload = {
        "batch_id": batch_id,
        "paid": paid,
        "amount": sum(p["amount"] for p in paid),
        "user_left": left.user_left,
        "leader_left": left.leader_left,
        "by": by,
    }
    emit(
        as_json,
        payload,
        lambda out: out.print(
            f"batch {batch_id}: {len(paid)} leaves paid, {kol(payload['amount'])}; the pools "
            f"keep {kol(left.user_left)} (users) and {kol(left.leader_left)} (leaders)"
        ),
    )


def _leaf_json(allocation: Allocation, index: int) -> dict[str, Any]:
    leaf = allocation.leaves[index]
    return {
        "index": leaf.index,
        "account": leaf.account,
        "role": leaf.role.name.lower(),
        "amount": leaf.amount,
    }


def _list_from_uri(a: Alliance, batch_id: int) -> Path:
    issue = a.batch_issue(batch_id)
    uri = issue.uri if issue is not None else ""
    path = Path(unquote(urlsplit(uri).path)) if uri.startswith("file://") else Path(uri)
    if not uri or not path.is_file():
        raise click.UsageError(
            f"give --list: batch {batch_id}'s list is published at {uri or 'an unknown place'}"
        )
    return path


# GENESIS (§8) #


@click.group()
def genesis() -> None:
    """Genesis issuance (§8): month lists, claims."""


@genesis.command(name="build")
@click.argument("decisions", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--month", type=click.IntRange(min=1), required=True, help="The month to build.")
@_OUT
@_FORCE
@json_option
def build_month(decisions: Path, month: int, out: Path, force: bool, as_json: bool) -> None:
    """Build a genesis month's cumulative list.

    DECISIONS is a CSV with the header month,leader,verdict[,release] (verdict pay, defer,
    withhold or release; release in whole KOL)."""
    schedule = load_schedule(decisions, "DECISIONS")
    if month > schedule.months:
        raise click.BadParameter(
            f"{decisions} decides months 1–{schedule.months}, not {month}", param_hint="--month"
        )
    tree = schedule.month_tree(month)
    totals = schedule.month_totals(month)
    write_new(out, tree.dump_json(), force=force)
    payload: dict[str, Any] = {
        "list": str(out),
        "month": month,
        "root": tree.root_hex,
        "content_hash": hex32(tree.content_hash()),
        "leaders": len(tree),
        "cum_paid": totals.cum_paid,
        "cum_forfeited": totals.cum_forfeited,
        "cum_deferred": totals.cum_deferred,
        "paid": totals.paid,
        "forfeited": totals.forfeited,
    }

    def render(console: Console) -> None:
        table = Table(title=f"genesis month {month}: {out}", show_header=False)
        table.add_row("root", payload["root"])
        table.add_row("content hash", payload["content_hash"])
        table.add_row("leaders", str(len(tree)))
        table.add_row("this month", f"{kol(totals.paid)} paid, {kol(totals.forfeited)} forfeited")
        table.add_row(
            "cumulative",
            f"{kol(totals.cum_paid)} paid, {kol(totals.cum_deferred)} deferred, "
            f"{kol(totals.cum_forfeited)} forfeited",
        )
        console.print(table)

    emit(as_json, payload, render)


@genesis.command(name="claim")
@click.option(
    "--month-list",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The released month's list (kol genesis build).",
)
@click.option("--leader", default=None, help="The leader to pay (default: you).")
@session(signs=True)
@json_option
def claim_genesis(session: Session, month_list: Path, leader: str | None, as_json: bool) -> None:
    """Claim a leader's released genesis KOL."""
    published = load_month_list(month_list)
    with reported():
        a = session.alliance
        who = session.sender if leader is None else session.account(leader, what="--leader")
        month, paid = a.claim_genesis_list(published.tree, who, by=session.sender)
        claimed = a.genesis_claimed(who)
    payload = {"leader": who, "month": month, "paid": paid, "claimed_in_all": claimed}
    emit(
        as_json,
        payload,
        lambda out: out.print(
            f"{who}: {kol(paid)} paid (month {month}'s list); {kol(claimed)} claimed in all"
        ),
    )


# BOOKS (§5, §9) #


@click.group()
def books() -> None:
    """The foundation's books (§5, §9)."""


books.add_command(statement_motion, name="statement")


@books.command(name="answer-audit")
@click.argument("demand_id", metavar="ID", type=click.IntRange(min=1))
@click.option(
    "--file",
    "report",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The audit report; its keccak-256 is recorded.",
)
@click.option("--uri", required=True, help="Where the report is published.")
@session(signs=True)
@json_option
def answer_audit(session: Session, demand_id: int, report: Path, uri: str, as_json: bool) -> None:
    """Answer an audit demand with the report (foundation)."""
    digest = keccak(read_bytes(report, what="--file"))
    with reported():
        a = session.alliance
        a.answer_audit(demand_id, digest, uri, by=session.sender)
        demand = a.audit(demand_id)
    payload = {
        "demand_id": demand_id,
        "report_hash": hex32(digest),
        "uri": uri,
        "answered_at": demand.answered_at,
        "overdue": demand.overdue,
    }
    emit(
        as_json,
        payload,
        lambda out: out.print(
            f"audit demand {demand_id} answered"
            + (" (after its due date)" if demand.answered_at > demand.due else "")
            + f": {uri} ({hex32(digest)})"
        ),
    )


@books.command()
@click.option("--kol", "kol_amount", required=True, metavar="AMOUNT", help="KOL to burn.")
@click.option("--usdt", "usdt_amount", required=True, metavar="AMOUNT", help="USDT it cost.")
@click.option("--reference", required=True, help="The trade's reference (its hash is recorded).")
@session(signs=True)
@json_option
def burn(
    session: Session, kol_amount: str, usdt_amount: str, reference: str, as_json: bool
) -> None:
    """Burn bought-back KOL in public (foundation)."""
    amount = parse_amount(kol_amount, KOL_DECIMALS, what="--kol", unit="KOL")
    spent = parse_amount(usdt_amount, USDT_DECIMALS, what="--usdt", unit="USDT")
    digest = keccak(text=reference)
    with reported():
        a = session.alliance
        _approve_then(
            session,
            "token",
            amount,
            "the burn",
            lambda: a.buyback_burn(amount, spent, digest, by=session.sender),
        )
        supply = a.supply()
    payload = {
        "burned": amount,
        "usdt_spent": spent,
        "reference": reference,
        "reference_hash": hex32(digest),
        "burned_total": supply.burned,
        "total_supply": supply.total_supply,
    }
    emit(
        as_json,
        payload,
        lambda out: out.print(
            f"{kol(amount)} burned (bought for {usdt(spent)}); burned in all "
            f"{kol(supply.burned)}, supply {kol(supply.total_supply)}"
        ),
    )


__all__ = ["batch", "books", "claim", "genesis", "task"]
