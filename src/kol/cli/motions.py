"""``kol motion …`` and ``kol relay``: create, show, sponsor, vote on, advance, execute and
close the motions of §5, and relay signed ballots (§4).

The contracts decide everything: a motion's arguments are parsed here into the SDK's typed
``MotionArgs`` and sent; a refusal comes back as the contract's own reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from eth_utils.crypto import keccak
from rich.console import Console
from rich.table import Table

from kol.alliance import (
    MotionArgs,
    MotionKind,
    MotionStatus,
    Parameter,
    RuleViolation,
)
from kol.cli.connect import (
    Session,
    emit,
    parse_ids,
    parse_time,
    read_bytes,
    say,
    session,
    when,
    write_new,
)
from kol.cli.errors import reported
from kol.cli.lists import (
    CHOICES,
    ballot_json,
    load_ballots,
    load_batch_list,
    load_schedule,
)
from kol.cli.options import json_option
from kol.cli.views import motion_json, motion_table, stage_json
from kol.domain.types import Choice

MOTION_ID = click.argument("motion_id", metavar="ID", type=click.IntRange(min=1))
DURATIONS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400}
PARAMETER_NAMES = {p.name.lower(): p for p in Parameter}


def _show(session: Session, motion_id: int, as_json: bool, extra: dict[str, Any]) -> None:
    """Prints the motion (after an action: what the action left)."""
    with reported():
        a = session.alliance
        motion = a.motion(motion_id)
        if motion.args is None:
            args = a.proposed_args(motion_id)
            if args is not None:
                motion = replace(motion, args=args)
        names = a.community_names()
        now = a.now()
    payload = {**extra, "motion": motion_json(motion, names)}

    def render(out: Console) -> None:
        for key, value in extra.items():
            if key not in ("motion_id",):
                out.print(f"{key.replace('_', ' ')}: {value}")
        out.print(motion_table(motion, names, now))
        if motion.args is not None:
            shown = [f"{names.get(a, '')} {a}".strip() for a in motion.args.accounts]
            shown += [f"{n:,}" for n in motion.args.numbers]
            shown += ["0x" + h.hex() for h in motion.args.hashes]
            shown += [motion.args.text] if motion.args.text else []
            out.print("arguments: " + ", ".join(shown) if shown else "arguments: none")
        if motion.status == MotionStatus.AWAITING_STAGE:
            out.print(f"next: open its next stage — kol motion advance {motion_id}")
        elif motion.status == MotionStatus.PASSED:
            out.print(f"next: kol motion execute {motion_id}")
        elif motion.status in (MotionStatus.FAILED, MotionStatus.LAPSED):
            out.print(f"it may be closed: kol motion close {motion_id}")

    emit(as_json, payload, render)


# CREATE #


@click.group()
def motion() -> None:
    """Motions (§5): create, vote, execute, close."""


@motion.group()
def create() -> None:
    """Propose a motion of one kind (the signer is the proposer)."""


def _propose(session: Session, kind: MotionKind, args: MotionArgs, as_json: bool) -> None:
    with reported():
        motion_id = session.alliance.propose(kind, args, by=session.sender)
    say(as_json, f"motion {motion_id} proposed ({kind.name})")
    _show(session, motion_id, as_json, {"motion_id": motion_id, "proposed_by": session.sender})


def _accounts(session: Session, values: tuple[str, ...] | list[str], what: str) -> list[str]:
    found: list[str] = []
    for value in values:
        for part in value.split(","):
            if part.strip():
                found.append(session.account(part, what=what))
    return found


def _create(name: str, help_text: str) -> Callable[[Callable[..., None]], click.Command]:
    """A ``kol motion create`` subcommand: signer options, ``--json``; its one-line help is
    ``help_text`` after the motion's name."""

    def decorate(function: Callable[..., None]) -> click.Command:
        decorated = json_option(session(signs=True)(function))
        short = help_text.partition(": ")[2]
        command = create.command(name=name, help=help_text, short_help=short)(decorated)
        return command

    return decorate


@_create(
    "ratify",
    "RATIFY_GENESIS_SUPER_NODES: seat the super slate and its alternates.",
)
@click.option("--slate", required=True, metavar="ADDRS", help="Super nodes, comma-separated.")
@click.option("--alternates", default="", metavar="ADDRS", help="Super alternates, in order.")
def ratify(session: Session, slate: str, alternates: str, as_json: bool) -> None:
    args = MotionArgs.ratify(
        _accounts(session, [slate], "--slate"), _accounts(session, [alternates], "--alternates")
    )
    _propose(session, MotionKind.RATIFY_GENESIS_SUPER_NODES, args, as_json)


@_create("approve-task", "APPROVE_TASK: super nodes approve a client's escrowed task.")
@click.argument("task_id", metavar="TASK", type=click.IntRange(min=1))
def approve_task(session: Session, task_id: int, as_json: bool) -> None:
    _propose(session, MotionKind.APPROVE_TASK, MotionArgs.approve_task(task_id), as_json)


@_create("replace-node", "REPLACE_NODE: OLD leaves the node chamber, NEW takes the seat.")
@click.argument("old")
@click.argument("new")
def replace_node(session: Session, old: str, new: str, as_json: bool) -> None:
    args = MotionArgs.replace(session.account(old, what="OLD"), session.account(new, what="NEW"))
    _propose(session, MotionKind.REPLACE_NODE, args, as_json)


@_create("replace-super-node", "REPLACE_SUPER_NODE: OLD loses the super seat, NEW takes it.")
@click.argument("old")
@click.argument("new")
def replace_super_node(session: Session, old: str, new: str, as_json: bool) -> None:
    args = MotionArgs.replace(session.account(old, what="OLD"), session.account(new, what="NEW"))
    _propose(session, MotionKind.REPLACE_SUPER_NODE, args, as_json)


@_create("replace-admin", "REPLACE_ADMIN: NEW becomes the administrator (67% of nodes).")
@click.argument("new")
def replace_admin(session: Session, new: str, as_json: bool) -> None:
    args = MotionArgs.new_admin(session.account(new, what="NEW"))
    _propose(session, MotionKind.REPLACE_ADMIN, args, as_json)


@_create("batch", "ISSUE_MATCHED_BATCH: issue the KOL of done tasks under a published list.")
@click.option(
    "--list",
    "list_path",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The published list (kol batch build).",
)
@click.option("--tasks", required=True, metavar="IDS", help="The tasks it matches: 1,2,3.")
@click.option("--uri", required=True, help="Where the list is published.")
def batch(session: Session, list_path: Path, tasks: str, uri: str, as_json: bool) -> None:
    task_ids = parse_ids(tasks, what="--tasks")
    published, allocation = load_batch_list(list_path)
    if not published.canonical:
        say(as_json, f"note: {list_path} is not canonical JSON; the content hash is the list's")
    args = MotionArgs.matched_batch(allocation, task_ids, uri)
    _propose(session, MotionKind.ISSUE_MATCHED_BATCH, args, as_json)


@_create("genesis-month", "GENESIS_RELEASE: release month M of the genesis schedule.")
@click.option(
    "--schedule",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The decisions CSV: month,leader,verdict[,release].",
)
@click.option("--month", type=click.IntRange(min=1), required=True, help="The month to release.")
@click.option("--uri", required=True, help="Where the month's list is published.")
def genesis_month(session: Session, schedule: Path, month: int, uri: str, as_json: bool) -> None:
    plan = load_schedule(schedule, "--schedule")
    if month > plan.months:
        raise click.BadParameter(
            f"{schedule} decides months 1–{plan.months}, not {month}", param_hint="--month"
        )
    _propose(
        session, MotionKind.GENESIS_RELEASE, MotionArgs.genesis_month(plan, month, uri), as_json
    )


def _period(start: str, end: str) -> tuple[int, int]:
    return parse_time(start, what="--start"), parse_time(end, what="--end")


@_create("statement", "PUBLISH_STATEMENT: the foundation's statement of a period.")
@click.option("--start", required=True, help="Period start: a date or a unix time.")
@click.option("--end", required=True, help="Period end: a date or a unix time.")
@click.option(
    "--file",
    "statement",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The statement; its keccak-256 is stated on-chain.",
)
@click.option("--uri", required=True, help="Where the statement is published.")
def statement(
    session: Session, start: str, end: str, statement: Path, uri: str, as_json: bool
) -> None:
    begin, finish = _period(start, end)
    digest = keccak(read_bytes(statement, what="--file"))
    _propose(
        session,
        MotionKind.PUBLISH_STATEMENT,
        MotionArgs.statement(begin, finish, digest, uri),
        as_json,
    )


@_create("audit", "DEMAND_AUDIT: nodes demand a public audit of the foundation for a period.")
@click.option("--start", required=True, help="Period start: a date or a unix time.")
@click.option("--end", required=True, help="Period end: a date or a unix time.")
@click.option("--scope", default="", help="What to audit (optional text).")
def audit(session: Session, start: str, end: str, scope: str, as_json: bool) -> None:
    begin, finish = _period(start, end)
    _propose(session, MotionKind.DEMAND_AUDIT, MotionArgs.audit(begin, finish, scope), as_json)


def _parameter_value(session: Session, parameter: Parameter, text: str, pair: str) -> int:
    text = text.strip()
    if parameter == Parameter.FOUNDATION:
        return int(session.account(text, what=pair), 16)
    if text.isdigit():
        return int(text)
    unit = DURATIONS.get(text[-1:].lower())
    if (
        unit
        and text[:-1].isdigit()
        and parameter
        not in (
            Parameter.KOL_PER_USDT,
            Parameter.CLOSE_GENESIS,
        )
    ):
        return int(text[:-1]) * unit
    raise click.BadParameter(
        f"{pair}: the value must be a whole number (durations: seconds, or 5d, 12h, 30m)",
        param_hint="NAME=VALUE",
    )


@_create(
    "set-parameters",
    "SET_PARAMETERS: change §10 parameters (voting_period=4d …).",
)
@click.argument("changes", nargs=-1, required=True, metavar="NAME=VALUE…")
def set_parameters(session: Session, changes: tuple[str, ...], as_json: bool) -> None:
    parsed: dict[Parameter, int] = {}
    for pair in changes:
        name, sep, value = pair.partition("=")
        parameter = PARAMETER_NAMES.get(name.strip().lower().replace("-", "_"))
        if not sep or parameter is None:
            raise click.BadParameter(
                f"{pair!r}: write NAME=VALUE with NAME one of {', '.join(PARAMETER_NAMES)}",
                param_hint="NAME=VALUE",
            )
        if parameter in parsed:
            raise click.BadParameter(f"{name} is changed twice", param_hint="NAME=VALUE")
        parsed[parameter] = _parameter_value(session, parameter, value, pair)
    _propose(session, MotionKind.SET_PARAMETERS, MotionArgs.parameters(parsed), as_json)


@_create(
    "replenish-super-alternates",
    "REPLENISH_SUPER_ALTERNATES: queue 3 nodes as super alternates.",
)
@click.argument("accounts", nargs=-1, required=True, metavar="NODE…")
def replenish_super_alternates(session: Session, accounts: tuple[str, ...], as_json: bool) -> None:
    args = MotionArgs.alternates(_accounts(session, accounts, "NODE"))
    _propose(session, MotionKind.REPLENISH_SUPER_ALTERNATES, args, as_json)


@_create(
    "replenish-node-alternates",
    "REPLENISH_NODE_ALTERNATES: queue 5 candidates as node alternates.",
)
@click.argument("accounts", nargs=-1, required=True, metavar="CANDIDATE…")
def replenish_node_alternates(session: Session, accounts: tuple[str, ...], as_json: bool) -> None:
    args = MotionArgs.alternates(_accounts(session, accounts, "CANDIDATE"))
    _propose(session, MotionKind.REPLENISH_NODE_ALTERNATES, args, as_json)


# SHOW, LIST #


@motion.command()
@MOTION_ID
@session(signs=False)
@json_option
def show(session: Session, motion_id: int, as_json: bool) -> None:
    """A motion's stages: electorate, threshold, tallies.

    Each stage with its electorate, threshold, tallies, deadline and status; the motion's
    sponsorship and arguments."""
    _show(session, motion_id, as_json, {})


@motion.command(name="list")
@session(signs=False)
@click.option("--live", is_flag=True, help="Only motions still sponsoring, voting or awaiting.")
@json_option
def list_motions(session: Session, live: bool, as_json: bool) -> None:
    """List the motions, newest first."""
    with reported():
        a = session.alliance
        names = a.community_names()
        now = a.now()
        motions = [m for m in reversed(list(a.motions())) if m.status.live or not live]
    rows = [motion_json(m, names) for m in motions]

    def render(out: Console) -> None:
        table = Table(title=f"{len(rows)} motions")
        for column in ("id", "kind", "status", "proposer", "stage", "for / needed", "deadline"):
            table.add_column(column)
        for m in motions:
            stage = m.stages[-1] if m.stages else None
            table.add_row(
                str(m.motion_id),
                m.kind.name,
                m.status.name.lower(),
                names.get(m.proposer, m.proposer),
                str(len(m.stages)) if stage else "sponsors",
                f"{stage.votes_for} / {stage.threshold}" if stage else "",
                when(stage.deadline, now) if stage else "",
            )
        out.print(table)

    emit(as_json, {"motions": rows}, render)


# SPONSOR, VOTE, RELAY #


@motion.command()
@MOTION_ID
@session(signs=True)
@json_option
def sponsor(session: Session, motion_id: int, as_json: bool) -> None:
    """Co-sponsor a motion gathering sponsors (§4)."""
    with reported():
        session.alliance.sponsor(motion_id, by=session.sender)
    say(as_json, f"{session.sender} sponsors motion {motion_id}")
    _show(session, motion_id, as_json, {"motion_id": motion_id, "sponsor": session.sender})


@motion.command()
@MOTION_ID
@click.argument("choice", type=click.Choice(list(CHOICES)))
@click.option(
    "--stage",
    type=click.IntRange(1, 2),
    default=None,
    help="Stage 1 or 2 (default: the latest opened).",
)
@click.option(
    "--sign",
    "sign_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write a signed ballot (EIP-712) to this file instead of sending a transaction.",
)
@click.option("--expiry", default=None, help="The signed ballot's expiry (default: the deadline).")
@click.option("--force", is_flag=True, help="Replace an existing --sign file.")
@session(signs=True)
@json_option
def vote(
    session: Session,
    motion_id: int,
    choice: str,
    stage: int | None,
    sign_out: Path | None,
    expiry: str | None,
    force: bool,
    as_json: bool,
) -> None:
    """Vote for, against or abstain (or --sign a ballot).

    By your own transaction, or with --sign a signed EIP-712 ballot written to a file that
    anyone may relay (kol relay) without sending anything yourself."""
    if expiry is not None and sign_out is None:
        raise click.UsageError("--expiry goes with --sign (a transaction needs no expiry)")
    picked = CHOICES[choice]
    with reported():
        a = session.alliance
        if stage is None:
            stage = max(len(a.motion(motion_id).stages), 1)
        if sign_out is not None:
            _sign(session, motion_id, stage, picked, expiry, sign_out, force, as_json)
            return
        a.vote(motion_id, stage, picked, by=session.sender)
        opened = a.stage(a.stage_id(motion_id, stage))
    payload = {
        "motion_id": motion_id,
        "voter": session.sender,
        "choice": choice,
        "stage": stage_json(stage, opened),
    }

    def render(out: Console) -> None:
        out.print(
            f"{session.sender} voted {choice} in stage {stage} of motion {motion_id}: "
            f"{opened.describe()}, {opened.votes_against} against, {opened.votes_abstain} "
            f"abstained — {opened.status.name.lower()}"
        )

    emit(as_json, payload, render)


def _sign(
    session: Session,
    motion_id: int,
    stage: int,
    choice: Choice,
    expiry: str | None,
    out: Path,
    force: bool,
    as_json: bool,
) -> None:
    a = session.alliance
    until = None if expiry is None else parse_time(expiry, what="--expiry")
    ballot = a.sign_ballot(session.signer, motion_id, stage, choice, expiry=until)
    payload = ballot_json(
        ballot,
        chain_id=session.deployment.chain_id,
        council=session.deployment.council,
        motion_id=motion_id,
        stage=stage,
    )
    write_new(out, json.dumps(payload, indent=2) + "\n", force=force)
    emit(
        as_json,
        {"ballot": str(out), **payload},
        lambda console: console.print(
            f"signed ballot of {ballot.voter} ({choice.name.lower()}, motion {motion_id}, stage "
            f"{stage}, valid until {when(ballot.expiry)}) written to {out}; anyone may relay "
            f"it: kol relay {out}"
        ),
    )


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@session(signs=True)
@json_option
def relay(session: Session, files: tuple[Path, ...], as_json: bool) -> None:
    """Relay signed ballots (anyone may), in batches."""
    loaded = [b for path in files for b in load_ballots(path)]
    deployment = session.deployment
    for item in loaded:
        if item.chain_id != deployment.chain_id or item.council != deployment.council:
            raise click.ClickException(
                f"{item.source}: signed for the council {item.council} on chain "
                f"{item.chain_id}, not this deployment's ({deployment.council} on chain "
                f"{deployment.chain_id})"
            )
    with reported():
        a = session.alliance
        now = a.now()
        before = {i: a.has_voted(b.ballot.stage_id, b.ballot.voter) for i, b in enumerate(loaded)}
        recorded = a.relay([b.ballot for b in loaded], by=session.sender)
        results: list[dict[str, Any]] = []
        for i, item in enumerate(loaded):
            voted = a.has_voted(item.ballot.stage_id, item.ballot.voter)
            if before[i]:
                outcome = "skipped: already voted"
            elif voted:
                outcome = "recorded"
            elif item.ballot.expiry < now:
                outcome = "skipped: expired"
            else:
                outcome = "skipped: refused by the council (not in the electorate, closed, or "
                outcome += "a bad signature)"
            results.append(
                {
                    "file": item.source,
                    "voter": item.ballot.voter,
                    "motion_id": item.motion_id,
                    "stage_id": item.ballot.stage_id,
                    "choice": item.ballot.choice.name.lower(),
                    "outcome": outcome,
                }
            )
    payload = {
        "relayed": len(loaded),
        "recorded": recorded,
        "by": session.sender,
        "ballots": results,
    }

    def render(out: Console) -> None:
        table = Table(title=f"{recorded} of {len(loaded)} ballots recorded")
        for column in ("file", "voter", "motion", "choice", "outcome"):
            table.add_column(column)
        for row in results:
            table.add_row(
                row["file"], row["voter"], str(row["motion_id"]), row["choice"], row["outcome"]
            )
        out.print(table)

    emit(as_json, payload, render)


# ADVANCE, EXECUTE, CLOSE #


@motion.command()
@MOTION_ID
@session(signs=True)
@json_option
def advance(session: Session, motion_id: int, as_json: bool) -> None:
    """Open a motion's next stage (anyone)."""
    with reported():
        stage_id = session.alliance.advance(motion_id, by=session.sender)
    say(as_json, f"stage {stage_id} opened for motion {motion_id}")
    _show(session, motion_id, as_json, {"motion_id": motion_id, "opened_stage_id": stage_id})


@motion.command()
@MOTION_ID
@session(signs=True)
@json_option
def execute(session: Session, motion_id: int, as_json: bool) -> None:
    """Execute a passed motion (anyone).

    With the arguments it was proposed with, read from its MotionProposed event."""
    with reported():
        a = session.alliance
        args = a.proposed_args(motion_id)
        if args is None:
            a.motion(motion_id)  # an unknown motion is refused with the engine's words
            raise RuleViolation(
                f"alliance: the arguments of motion {motion_id} cannot be read from the "
                "chain's events (a node that keeps no logs?)",
                "execute",
            )
        a.execute(motion_id, args, by=session.sender)
    say(as_json, f"motion {motion_id} executed")
    _show(session, motion_id, as_json, {"motion_id": motion_id, "executed_by": session.sender})


@motion.command()
@MOTION_ID
@session(signs=True)
@json_option
def close(session: Session, motion_id: int, as_json: bool) -> None:
    """Record that a motion failed or lapsed (anyone)."""
    with reported():
        session.alliance.close(motion_id, by=session.sender)
    say(as_json, f"motion {motion_id} closed")
    _show(session, motion_id, as_json, {"motion_id": motion_id, "closed_by": session.sender})


__all__ = ["motion", "relay"]
