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


def render(outcome: Outcome) -> str:
    """The report as Markdown text."""
    led: dict[str, Any] = outcome.ledger
    seats, supply = led["seats"], led["supply"]
    out = [
        f"# A year of the KOL Alliance constitution (seed {outcome.seed})",
        "",
        "Played by `kol demo` on the in-process EVM with dev keys derived from the seed: the "
        "published roster (seed/README.zh.md) seated with its real names, then a year of the "
        "governance constitution (§3–§6). The same seed gives the same year.",
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
        f"{led['sponsorships']['relayed']} relayed. Client tasks: {led['tasks']}; "
        f"claims: {led['claims']} (the economy module is not part of this demo yet).",
        "",
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
