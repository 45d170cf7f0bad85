"""``kol demo``: deploy the alliance in-process and play a seeded year of its constitution."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from kol.alliance import (
    BODY_WORDS,
    CHAMBER_WORDS,
    Body,
    Chamber,
    Motion,
    MotionKind,
    RuleViolation,
)
from kol.cli.options import json_option, seed_option
from kol.cli.report import charts, describe_args, motion_rows, render
from kol.cli.year import Narrator, Outcome, Silent, play

STATUS_STYLE = {"executed": "green", "passed": "green", "failed": "red", "lapsed": "yellow"}


class RichNarrator:
    """The year on a rich console: a rule per chapter, progress bars, a table per motion."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._progress: Progress | None = None

    @contextmanager
    def phase(self, title: str, about: str) -> Iterator[None]:
        self.console.rule(f"[bold]{title}")
        self.console.print(about, style="dim", highlight=False)
        progress = Progress(
            TextColumn("  {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
        )
        with progress:
            self._progress = progress
            try:
                yield
            finally:
                self._progress = None

    def task(self, label: str, total: int) -> int:
        if self._progress is None:
            return 0
        return int(self._progress.add_task(label, total=total))

    def advance(self, task: int, steps: int = 1) -> None:
        if self._progress is not None:
            self._progress.advance(TaskID(task), steps)

    def note(self, text: str) -> None:
        self.console.print(f"  • {text}", highlight=False)

    def motion(self, motion: Motion, names: dict[str, str]) -> None:
        self.console.print(motion_table(motion, names))


def motion_table(motion: Motion, names: dict[str, str]) -> Table:
    """A motion's sponsorship and stages, tallies against thresholds."""
    status = motion.status.name.lower()
    style = STATUS_STYLE.get(status, "")
    table = Table(
        title=f"motion {motion.motion_id} · {motion.kind.name} · [{style}]{status}[/]",
        caption=describe_args(motion, names),
        title_justify="left",
        caption_justify="left",
    )
    for column in ("step", "body", "electorate", "needed", "for", "against", "abstain"):
        left = column in ("step", "body")
        table.add_column(column, justify="left" if left else "right", no_wrap=left)
    table.add_column("result")
    for row in motion_rows(motion):
        step, body, electorate, threshold, yes, no, abstain, _, result, _ = row
        mark = "green" if result in ("passed", "reached") else "red"
        table.add_row(
            str(step).split(" (")[0],
            str(body),
            str(electorate),
            str(threshold),
            f"[{mark}]{yes}[/]",
            str(no),
            str(abstain),
            f"[{mark}]{result}[/]",
        )
    return table


def print_ledger(console: Console, outcome: Outcome) -> None:
    """The closing ledger: seats and queues, motions per kind, forfeitures, supply."""
    led = outcome.ledger
    console.rule("[bold]Ledger")
    seats = Table(title="seats", title_justify="left")
    for column in ("chamber", "seated", "alternates waiting"):
        seats.add_column(column, justify="right" if column != "chamber" else "left")
    s = led["seats"]
    seats.add_row(CHAMBER_WORDS[Chamber.NODE], str(s["nodes"]), str(s["node_alternates"]))
    seats.add_row(CHAMBER_WORDS[Chamber.SUPER], str(s["super_nodes"]), str(s["super_alternates"]))
    seats.add_row(BODY_WORDS[Body.POOL], str(s["candidates"]), "")
    console.print(seats)

    motions = Table(title="motions", title_justify="left")
    for column in ("kind", "executed", "failed or lapsed"):
        motions.add_column(column, justify="right" if column != "kind" else "left")
    for kind in MotionKind:
        done, failed = led["motions_executed"][kind.name], led["motions_failed"][kind.name]
        if done or failed:
            motions.add_row(kind.name, str(done), str(failed))
    console.print(motions)

    forfeits = Table(title=f"forfeitures ({led['forfeitures']})", title_justify="left")
    for column in ("community", "chamber", "stages", "day", "refilled by"):
        forfeits.add_column(column)
    for f in outcome.forfeitures:
        refill = f.refilled_by or "— (queue empty)"
        if f.lost_super_seat:
            refill += f"; super seat: {f.super_seat_refilled_by or '—'}"
        forfeits.add_row(
            f.name, CHAMBER_WORDS[f.chamber], f"{f.first_seq}–{f.first_seq + 2}", str(f.day), refill
        )
    console.print(forfeits)

    supply = Table(title="supply (read from the token, base units)", title_justify="left")
    supply.add_column("figure")
    supply.add_column("amount", justify="right")
    for key in ("issued_genesis", "issued_matched", "issued_total", "burned", "total_supply"):
        supply.add_row(key, str(led["supply"][key]))
    console.print(supply)
    economy = led["economy"]
    books = Table(title="the economy", title_justify="left")
    books.add_column("figure")
    books.add_column("value", justify="right")
    genesis = economy["genesis"]
    for label, value in (
        ("client tasks (refunded)", f"{led['tasks']} ({economy['tasks_refunded']})"),
        ("approved fees, USDT", f"{economy['fees_approved_usdt'] / 10**6:,.0f}"),
        ("matched batches", str(economy["batches"])),
        (
            "claims: by proof / pushed / genesis",
            f"{economy['claims_by_proof']} / "
            f"{economy['claims_pushed']} / {economy['genesis_claims']}",
        ),
        (
            "genesis months (closed)",
            f"{genesis['months_released']} ({'yes' if genesis['closed'] else 'no'})",
        ),
        (
            "statements; audits (answered, overdue)",
            f"{economy['statements']}; "
            f"{economy['audits']['demanded']} ({economy['audits']['answered']}, "
            f"{economy['audits']['overdue']})",
        ),
        ("buyback burns", str(economy["burns"])),
    ):
        books.add_row(label, value)
    console.print(books)
    ballots = led["ballots"]
    console.print(
        f"ballots: {ballots['own_transactions']} own transactions, "
        f"{ballots['relayed']} relayed signatures",
        highlight=False,
    )


@click.command()
@seed_option
@json_option
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default="kol-demo-report.md",
    show_default=True,
    help="Where to write the Markdown report.",
)
def demo(seed: int, as_json: bool, report_path: Path) -> None:
    """Play a seeded year of the constitution on the in-process EVM."""
    console = Console(highlight=False)
    narrator: Narrator = Silent() if as_json else RichNarrator(console)
    started = time.perf_counter()
    try:
        outcome = play(seed, narrator)
    except RuleViolation as violation:
        raise click.ClickException(f"the year stopped on a rule: {violation.reason}") from None
    report_path.parent.mkdir(parents=True, exist_ok=True)
    chart_files = {}
    for name, svg in charts(outcome).items():
        path = report_path.with_name(f"{report_path.stem}.{name}.svg")
        path.write_text(svg, encoding="utf-8")
        chart_files[name] = path.name
    report_path.write_text(render(outcome, chart_files), encoding="utf-8")
    if as_json:
        click.echo(json.dumps(outcome.ledger, ensure_ascii=False))
        return
    print_ledger(console, outcome)
    console.print(
        f"\nplayed a year ({len(outcome.motions)} motions) in "
        f"{time.perf_counter() - started:.1f} s; report written to {report_path}",
        highlight=False,
    )
