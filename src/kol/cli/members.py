"""``kol status``, ``kol members`` and ``kol attendance``: the alliance as it stands, its
members, and who has missed too many ballots (§1, §3, §6, §10)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import click
from rich.console import Console
from rich.table import Table

from kol.alliance import MATCHED_CAP, Alliance, Attendance, Body, Chamber, RuleViolation
from kol.cli.connect import Session, emit, kol, say, session, when
from kol.cli.errors import reported
from kol.cli.options import json_option
from kol.cli.views import chamber_name, member_json, supply_json
from kol.domain.genesis import PROGRAMME_CAP

CHAMBERS = {"node": Chamber.NODE, "super": Chamber.SUPER}
SEAT_CAPS = {Chamber.NODE: 500, Chamber.SUPER: 21}
"""Seat caps (§3, fixed constitution): shown beside the seats."""
F = TypeVar("F", bound=Callable[..., Any])


def _chamber_option(*, default: str | None) -> Callable[[F], F]:
    return click.option(
        "--chamber",
        type=click.Choice(["node", "super"]),
        default=default,
        help="Only this chamber (default: both).",
    )


# STATUS #


def _status(session: Session) -> dict[str, Any]:
    a = session.alliance
    deployment = session.deployment
    now, block = a.backend.clock()
    parameters = a.parameters()
    treasury = deployment.treasury is not None
    payload: dict[str, Any] = {
        "chain_id": deployment.chain_id,
        "rpc_url": _where(str(session.backend.w3.provider.endpoint_uri)),  # type: ignore[attr-defined]
        "dev_chain": session.backend.dev,
        "block": block - 1,
        "time": now,
        "contracts": {
            key: deployment.address(key)
            for key in ("council", "motions", "token", "treasury", "usdt")
        },
        "admin": a.admin(),
        "foundation": a.foundation(),
        "genesis_phase_open": a.genesis_open(),
        "seats": {
            "nodes": a.seats(Chamber.NODE),
            "super_nodes": a.seats(Chamber.SUPER),
            "candidates": a.seats(Body.POOL),
            "node_alternates": len(a.queue(Chamber.NODE)),
            "super_alternates": len(a.queue(Chamber.SUPER)),
        },
        "queues": {
            "node": list(a.queue(Chamber.NODE)),
            "super": list(a.queue(Chamber.SUPER)),
        },
        "parameters": {
            "voting_period": parameters.voting_period,
            "sponsor_window": parameters.sponsor_window,
            "execution_window": parameters.execution_window,
            "notice_period": parameters.notice_period,
            "audit_due": parameters.audit_due,
            "kol_per_usdt": parameters.kol_per_usdt,
            "super_ban": parameters.super_ban,
            "node_ban": parameters.node_ban,
        },
        "supply": supply_json(a.supply()),
        "motions": a.motion_count(),
        "stages": {"node": a.stage_count(Chamber.NODE), "super": a.stage_count(Chamber.SUPER)},
    }
    if treasury:
        genesis = a.genesis()
        payload["genesis"] = {
            "start": genesis.start,
            "month": genesis.month,
            "cum_paid": genesis.cum_paid,
            "cum_forfeited": genesis.cum_forfeited,
            "closed": genesis.closed,
        }
        payload["circulation_mode"] = a.circulation_mode()
        payload["issuance_complete"] = a.issuance_complete()
        payload["tasks"] = a.task_count()
        payload["batches"] = a.batch_count()
        payload["statements"] = a.statement_count()
        payload["audits"] = a.audit_count()
    return payload


def _where(url: str) -> str:
    """The node's scheme, host and port: a provider's path or query often carries an API key."""
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


def _render_status(payload: dict[str, Any], names: dict[str, str], out: Console) -> None:
    now = payload["time"]
    chain = "dev chain" if payload["dev_chain"] else "chain"
    out.print(
        f"[bold]KOL Community Alliance[/] on {chain} {payload['chain_id']} "
        f"({payload['rpc_url']}), block {payload['block']}, {when(now)}"
    )
    contracts = Table(title="contracts", show_header=False)
    for key, address in payload["contracts"].items():
        contracts.add_row(key, address or "—")
    contracts.add_row("administrator", f"{payload['admin']} {names.get(payload['admin'], '')}")
    contracts.add_row("foundation", payload["foundation"])
    out.print(contracts)
    seats = payload["seats"]
    table = Table(title="seats and queues", show_header=False)
    table.add_row("nodes", f"{seats['nodes']} / {SEAT_CAPS[Chamber.NODE]}")
    table.add_row("super nodes", f"{seats['super_nodes']} / {SEAT_CAPS[Chamber.SUPER]}")
    table.add_row("candidate pool", str(seats["candidates"]))
    for chamber in ("super", "node"):
        queue = payload["queues"][chamber]
        shown = ", ".join(names.get(a, a) for a in queue[:8]) + (" …" if len(queue) > 8 else "")
        table.add_row(f"{chamber} alternates", f"{len(queue)}: {shown}" if queue else "0")
    table.add_row("genesis phase", "open" if payload["genesis_phase_open"] else "closed")
    table.add_row(
        "motions",
        f"{payload['motions']} (stages: {payload['stages']['node']} node, "
        f"{payload['stages']['super']} super)",
    )
    out.print(table)
    parameters = Table(title="parameters (§10)", show_header=False)
    for key, value in payload["parameters"].items():
        shown = f"{value:,}" if key == "kol_per_usdt" else _duration(value)
        parameters.add_row(key, shown)
    out.print(parameters)
    supply = payload["supply"]
    economy = Table(title="supply and economy (§2, §7–§9)", show_header=False)
    economy.add_row("genesis issued", f"{kol(supply['issued_genesis'])} of {kol(PROGRAMME_CAP)}")
    economy.add_row("matched issued", f"{kol(supply['issued_matched'])} of {kol(MATCHED_CAP)}")
    economy.add_row("issued in all", kol(supply["issued_total"]))
    economy.add_row("burned", kol(supply["burned"]))
    economy.add_row("total supply", kol(supply["total_supply"]))
    if "genesis" in payload:
        genesis = payload["genesis"]
        economy.add_row(
            "genesis programme",
            f"month {genesis['month']} released, {kol(genesis['cum_paid'])} paid, "
            f"{kol(genesis['cum_forfeited'])} forfeited"
            + (", closed" if genesis["closed"] else ""),
        )
        economy.add_row(
            "circulation mode",
            "yes: new tasks are paid in KOL" if payload["circulation_mode"] else "no",
        )
        economy.add_row("issuance complete", "yes" if payload["issuance_complete"] else "no")
        economy.add_row(
            "tasks · batches · statements · audits",
            f"{payload['tasks']} · {payload['batches']} · {payload['statements']} · "
            f"{payload['audits']}",
        )
    out.print(economy)


def _duration(seconds: int) -> str:
    days, rest = divmod(seconds, 86_400)
    hours = rest // 3_600
    text = f"{days} days" if days and not hours else f"{seconds / 3_600:g} hours"
    return f"{text} ({seconds:,} s)" if seconds else "0"


@click.command()
@session(signs=False)
@json_option
def status(session: Session, as_json: bool) -> None:
    """The alliance now: seats, queues, supply, genesis.

    Chain and contracts, seats and alternate queues, parameters, supply per bucket, the
    genesis programme and circulation mode."""
    with reported():
        payload = _status(session)
        names = {} if as_json else session.alliance.community_names()
    emit(as_json, payload, lambda out: _render_status(payload, names, out))


# MEMBERS #


@click.command()
@session(signs=False)
@click.option(
    "--chamber",
    type=click.Choice(["node", "super", "pool"]),
    default=None,
    help="Only the seated nodes, super nodes, or the candidate pool (default: everyone).",
)
@json_option
def members(session: Session, chamber: str | None, as_json: bool) -> None:
    """List members: names, ids, seats, queue places, bans."""
    with reported():
        a = session.alliance
        a.community_names()  # members then carry their names
        now = a.now()
        everyone = a.members()
        queued: dict[str, str] = {}
        for queue_chamber in (Chamber.SUPER, Chamber.NODE):
            for place, account in enumerate(a.queue(queue_chamber), start=1):
                queued.setdefault(account, f"{chamber_name(queue_chamber)} #{place}")
    if chamber == "node":
        everyone = [m for m in everyone if m.is_node]
    elif chamber == "super":
        everyone = [m for m in everyone if m.is_super_node]
    elif chamber == "pool":
        everyone = [m for m in everyone if m.in_pool]
    rows = [member_json(m, now, queued) for m in everyone]

    def render(out: Console) -> None:
        table = Table(title=f"{len(rows)} members" + (f" ({chamber})" if chamber else ""))
        for column in ("id", "name", "address", "seat", "queued", "banned until"):
            table.add_column(column, justify="right" if column == "id" else "left")
        for row in rows:
            seat = "super node" if row["super_node"] else "node" if row["node"] else ""
            if row["candidate"]:
                seat = "candidate"
            bans = [
                f"{label} {when(row[key])}"
                for label, key in (("node", "node_ban_until"), ("super", "super_ban_until"))
                if row[key]
            ]
            table.add_row(
                str(row["member_id"]),
                row["name"] or "",
                row["address"],
                seat or "former",
                row["queued"] or "",
                "; ".join(bans),
            )
        out.print(table)

    emit(as_json, {"chamber": chamber, "count": len(rows), "members": rows}, render)


# ATTENDANCE (§6) #


def _attendance(a: Alliance, chambers: list[Chamber]) -> list[Attendance]:
    everyone = a.members()
    records: list[Attendance] = []
    for chamber in chambers:
        found = a.attendance(chamber, everyone)
        records += [r for r in found if r.misses >= 2 or r.forfeit_from is not None]
    return records


def _chambers(chamber: str | None) -> list[Chamber]:
    # the super chamber first: a node forfeiture takes the super seat too, without its ban
    return [CHAMBERS[chamber]] if chamber else [Chamber.SUPER, Chamber.NODE]


def _attendance_json(record: Attendance, names: dict[str, str]) -> dict[str, Any]:
    return {
        "member": record.member,
        "name": names.get(record.member),
        "chamber": chamber_name(record.chamber),
        "consecutive_misses": record.misses,
        "forfeitable": record.forfeit_from is not None,
        "first_stage": record.forfeit_from,
    }


@click.group()
def attendance() -> None:
    """Attendance (§6): misses and forfeitures."""


@attendance.command()
@session(signs=False)
@_chamber_option(default=None)
@json_option
def check(session: Session, chamber: str | None, as_json: bool) -> None:
    """Who has two or three consecutive misses.

    Three consecutive misses in a chamber forfeit the seat (§6): `kol attendance enforce`
    records it."""
    with reported():
        a = session.alliance
        names = a.community_names()
        records = _attendance(a, _chambers(chamber))
    rows = [_attendance_json(r, names) for r in records]

    def render(out: Console) -> None:
        if not rows:
            out.print("nobody has two consecutive misses")
            return
        table = Table(title="consecutive misses (§6)")
        for column in ("chamber", "name", "member", "misses now", "forfeitable"):
            table.add_column(column)
        for row in rows:
            table.add_row(
                row["chamber"],
                row["name"] or "",
                row["member"],
                str(row["consecutive_misses"]),
                f"yes (stages {row['first_stage']}–{row['first_stage'] + 2})"
                if row["forfeitable"]
                else "no: one more miss forfeits",
            )
        out.print(table)

    emit(as_json, {"members": rows}, render)


@attendance.command()
@session(signs=True)
@_chamber_option(default=None)
@json_option
def enforce(session: Session, chamber: str | None, as_json: bool) -> None:
    """Record every forfeiture due (anyone may).

    Each seat is refilled from its alternate queue in the same transaction."""
    recorded: list[dict[str, Any]] = []
    by = session.sender
    with reported():
        a = session.alliance
        names = a.community_names()
        due = [r for r in _attendance(a, _chambers(chamber)) if r.forfeit_from is not None]
        for record in due:
            assert record.forfeit_from is not None
            if not a.misses_three(record.member, record.chamber, record.forfeit_from):
                continue  # an earlier forfeiture in this run took the seat already
            try:
                a.forfeit(record.member, record.chamber, record.forfeit_from, by=by)
            except RuleViolation as violation:
                if recorded:  # say what was done before the refusal
                    say(as_json, f"{len(recorded)} forfeitures recorded before this refusal")
                raise violation
            row = _attendance_json(record, names)
            row["seat_now"] = a.member(record.member).seated(record.chamber)
            recorded.append(row)
            say(
                as_json,
                f"forfeited: {names.get(record.member, record.member)} "
                f"({chamber_name(record.chamber)} seat, stages {record.forfeit_from}–"
                f"{record.forfeit_from + 2})",
            )
        seats = {"nodes": a.seats(Chamber.NODE), "super_nodes": a.seats(Chamber.SUPER)}

    def render(out: Console) -> None:
        out.print(
            f"{len(recorded)} forfeiture(s) recorded; now {seats['nodes']} nodes, "
            f"{seats['super_nodes']} super nodes"
        )

    emit(as_json, {"forfeitures": recorded, "seats": seats, "by": by}, render)


__all__ = ["attendance", "members", "status"]
