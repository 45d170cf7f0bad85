"""The Markdown report of ``kol demo``: the ledger, the year's chapters, a table per motion."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kol.alliance import (
    BODY_WORDS,
    CHAMBER_WORDS,
    Motion,
    MotionKind,
    MotionStatus,
    Parameter,
)
from kol.cli.charts import line_chart, stacked_bars
from kol.cli.year import DAY, START, Outcome

KOL = 10**18


def day_of(timestamp: int) -> int:
    """Day of the demo year (day 0 is 2020-01-01)."""
    return (timestamp - START) // DAY


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """A Markdown table."""
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def describe_args(motion: Motion, names: dict[str, str]) -> str:
    """The motion's arguments in words (names for known addresses)."""
    args = motion.args
    if args is None:
        return "arguments not known to this SDK"

    def who(accounts: Sequence[str]) -> str:
        return ", ".join(names.get(a, a) for a in accounts)

    kind = motion.kind
    if kind == MotionKind.RATIFY_GENESIS_SUPER_NODES:
        slate = args.numbers[0]
        return (
            f"slate ({slate}): {who(args.accounts[:slate])}; "
            f"super alternates in rank order: {who(args.accounts[slate:])}"
        )
    if kind in (MotionKind.REPLACE_NODE, MotionKind.REPLACE_SUPER_NODE):
        return f"{who(args.accounts[:1])} → {who(args.accounts[1:])}"
    if kind == MotionKind.REPLACE_ADMIN:
        return f"the administrator → {who(args.accounts)}"
    if kind in (MotionKind.REPLENISH_NODE_ALTERNATES, MotionKind.REPLENISH_SUPER_ALTERNATES):
        return f"in order: {who(args.accounts)}"
    if kind == MotionKind.SET_PARAMETERS:
        pairs = zip(args.numbers[::2], args.numbers[1::2], strict=True)
        return ", ".join(f"{Parameter(p).name.lower()} = {v}" for p, v in pairs)
    if kind == MotionKind.APPROVE_TASK:
        return f"task #{args.numbers[0]}"
    if kind == MotionKind.ISSUE_MATCHED_BATCH:
        total, users, leaders, *tasks = args.numbers
        return (
            f"{total / KOL:,.0f} KOL for tasks {', '.join(f'#{t}' for t in tasks)}: "
            f"users {users / KOL:,.0f}, leaders {leaders / KOL:,.0f}; list {args.text}"
        )
    if kind == MotionKind.GENESIS_RELEASE:
        month, paid, forfeited, leaders = args.numbers
        return (
            f"month {month}: {leaders} leaders, cumulative {paid / KOL:,.0f} KOL paid and "
            f"{forfeited / KOL:,.0f} forfeited; list {args.text}"
        )
    if kind == MotionKind.PUBLISH_STATEMENT:
        start, end = args.numbers
        return f"days {day_of(start)}–{day_of(end)}: {args.text}"
    if kind == MotionKind.DEMAND_AUDIT:
        start, end = args.numbers
        return f"days {day_of(start)}–{day_of(end)}: {args.text}"
    return f"accounts {who(args.accounts)}; numbers {list(args.numbers)}; text {args.text!r}"


def motion_rows(motion: Motion) -> list[list[object]]:
    """One row for the sponsorship round (if any) and one per stage."""
    rows: list[list[object]] = []
    s = motion.sponsorship
    if s is not None:
        rows.append(
            [
                "sponsors",
                BODY_WORDS[s.body],
                s.electorate,
                s.threshold,
                s.sponsors,
                "",
                "",
                "",
                "reached" if s.reached else "not reached",
                f"day {day_of(s.deadline)}",
            ]
        )
    for number, stage in enumerate(motion.stages, start=1):
        rows.append(
            [
                f"stage {number} (#{stage.seq} of its chamber)",
                CHAMBER_WORDS[stage.chamber],
                stage.electorate,
                stage.threshold,
                stage.votes_for,
                stage.votes_against,
                stage.votes_abstain,
                f"{stage.turnout} ({100 * stage.turnout // max(stage.electorate, 1)}%)",
                stage.status.name.lower(),
                f"day {day_of(stage.deadline)}",
            ]
        )
    return rows


MOTION_HEADER = (
    "step",
    "body",
    "electorate",
    "threshold",
    "for",
    "against",
    "abstain",
    "turnout",
    "result",
    "deadline",
)


def _kol(amount: int) -> str:
    return f"{amount / KOL:,.0f} KOL ({amount} base units)"


def charts(outcome: Outcome) -> dict[str, str]:
    """The report's charts as SVG texts, by name: supply over time, votes per motion."""
    points = outcome.economy.supply_over_time
    days = [float(p[0]) for p in points]
    supply = line_chart(
        "KOL supply over the year",
        "KOL",
        "day of the year",
        days,
        [
            ("issued, genesis", [p[1] / KOL for p in points]),
            ("issued, matched", [p[2] / KOL for p in points]),
            ("burned", [p[3] / KOL for p in points]),
            ("total supply", [p[4] / KOL for p in points]),
        ],
    )
    stages = [(m, n, st) for m in outcome.motions for n, st in enumerate(m.stages, start=1)]
    votes = stacked_bars(
        "Ballots per stage (motion.stage)",
        "ballots",
        [f"{m.motion_id}.{n}" for m, n, _ in stages],
        [
            ("for", [st.votes_for for _, _, st in stages]),
            ("against", [st.votes_against for _, _, st in stages]),
            ("abstain", [st.votes_abstain for _, _, st in stages]),
        ],
    )
    return {"supply": supply, "votes": votes}


def render(outcome: Outcome, chart_files: dict[str, str] | None = None) -> str:
    """The report as Markdown text; ``chart_files`` names the SVG files of :func:`charts`."""
    led: dict[str, Any] = outcome.ledger
    economy = led["economy"]
    seats, supply = led["seats"], led["supply"]
    out = [
        f"# A year of the KOL Alliance constitution (seed {outcome.seed})",
        "",
        "Played by `kol demo` on the in-process EVM with dev keys derived from the seed: the "
        "published roster (seed/README.zh.md) seated with its real names, then a year of the "
        "constitution: membership (§3–§6), client tasks and matched issuance (§7), genesis "
        "issuance (§8), the buyback burn (§9) and the foundation's books (§5). The same seed "
        "gives the same year.",
        "",
        "## Ledger",
        "",
        *table(
            ("chamber", "seated", "alternates waiting"),
            [
                ("nodes", seats["nodes"], seats["node_alternates"]),
                ("super nodes", seats["super_nodes"], seats["super_alternates"]),
                ("candidate pool", seats["candidates"], ""),
            ],
        ),
        "",
        *table(
            ("motion", "executed", "failed or lapsed"),
            [
                (k.name, led["motions_executed"][k.name], led["motions_failed"][k.name])
                for k in MotionKind
                if led["motions_executed"][k.name] or led["motions_failed"][k.name]
            ],
        ),
        "",
        *table(
            ("supply (read from the token)", "amount"),
            [
                ("issued, genesis", _kol(supply["issued_genesis"])),
                ("issued, matched", _kol(supply["issued_matched"])),
                ("issued, total", _kol(supply["issued_total"])),
                ("burned", _kol(supply["burned"])),
                ("total supply", _kol(supply["total_supply"])),
            ],
        ),
        "",
        f"Ballots: {led['ballots']['own_transactions']} by the members' own transactions, "
        f"{led['ballots']['relayed']} signed (EIP-712) and relayed in batches. "
        f"Sponsorships: {led['sponsorships']['own_transactions']} own, "
        f"{led['sponsorships']['relayed']} relayed.",
        "",
        "### The economy",
        "",
        *table(
            ("figure", "value"),
            [
                ("client tasks requested", led["tasks"]),
                ("refunded to their client", economy["tasks_refunded"]),
                (
                    "approved fees (foundation revenue)",
                    f"{economy['fees_approved_usdt'] / 10**6:,.0f} USDT",
                ),
                ("matched batches", economy["batches"]),
                (
                    "claims by proof / pushed by the keeper",
                    f"{economy['claims_by_proof']} / {economy['claims_pushed']}",
                ),
                ("genesis months released", economy["genesis"]["months_released"]),
                ("genesis claims", economy["genesis_claims"]),
                (
                    "genesis paid / forfeited",
                    f"{_kol(economy['genesis']['cum_paid'])} / "
                    f"{_kol(economy['genesis']['cum_forfeited'])}",
                ),
                ("genesis programme closed", "yes" if economy["genesis"]["closed"] else "no"),
                ("statements published", economy["statements"]),
                (
                    "audit demands (answered, overdue)",
                    f"{economy['audits']['demanded']} ({economy['audits']['answered']}, "
                    f"{economy['audits']['overdue']})",
                ),
                ("buyback burns", economy["burns"]),
                ("USDT held by the treasury", f"{economy['treasury_usdt'] / 10**6:,.0f} USDT"),
            ],
        ),
        "",
    ]
    if chart_files:
        out += [
            f"![KOL supply over the year]({chart_files['supply']})",
            "",
            f"![Ballots per stage]({chart_files['votes']})",
            "",
        ]
    out += [
        "### Forfeitures (§6)",
        "",
    ]
    if outcome.forfeitures:
        out += table(
            ("community", "chamber", "stages missed", "recorded", "seat refilled by"),
            [
                (
                    f.name,
                    CHAMBER_WORDS[f.chamber],
                    f"{f.first_seq}–{f.first_seq + 2}",
                    f"day {f.day}",
                    (f.refilled_by or "— (queue empty)")
                    + (
                        f"; super seat: {f.super_seat_refilled_by or '—'}"
                        if f.lost_super_seat
                        else ""
                    ),
                )
                for f in outcome.forfeitures
            ],
        )
    else:
        out.append("None this year.")
    out += ["", "## The year", ""]
    for phase in outcome.phases:
        about = phase.about[:1].upper() + phase.about[1:]
        out += [f"### Day {phase.day}: {phase.title}", "", about + ".", ""]
        out += [f"- {note}" for note in phase.notes]
        out.append("")
    out += ["## Motions", ""]
    for motion in outcome.motions:
        status = motion.status.name.lower()
        out += [
            f"### Motion {motion.motion_id}: {motion.kind.name} ({status})",
            "",
            f"Proposed by {outcome.names.get(motion.proposer, motion.proposer)} on day "
            f"{day_of(motion.created_at)}; rule: {motion.rule.describe()}.",
            "",
            f"Arguments: {describe_args(motion, outcome.names)}.",
            "",
            *table(MOTION_HEADER, motion_rows(motion)),
            "",
        ]
        if motion.status == MotionStatus.EXECUTED:
            out += ["Executed.", ""]
    return "\n".join(out).rstrip() + "\n"
