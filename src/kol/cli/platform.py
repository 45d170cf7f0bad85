"""``kol relayer`` and ``kol keeper``: the platform's two workers from the command line.

- ``kol relayer serve`` — the relayer's HTTP routes (``/relay/…``) on 127.0.0.1 with its
  submitter beside them, signing with the relayer's own key (``--keystore``, an external
  signer ``--signer-url``, or ``--dev relayer`` on a devnet); ``kol relayer flush`` settles
  and submits what its queue holds, then stops (after a crash, or without a server).
- ``kol keeper --once`` does one round of the keeper's chores; ``--follow`` goes on every
  ``--interval`` seconds until Ctrl-C.
"""

from __future__ import annotations

import threading
from typing import Any

import click
from rich.console import Console

from kol.cli.connect import Session, emit, say, session
from kol.cli.errors import reported
from kol.cli.options import json_option
from kol.keeper import Action, Keeper, Outcome
from kol.relayer import Queue, Relayer, RelayerSettings
from kol.relayer.queue import QueueError


def _database_option(function: Any) -> Any:
    return click.option(
        "--db",
        "database_url",
        envvar="KOL_RELAYER_DATABASE_URL",
        default=None,
        metavar="URL",
        help="The relayer's queue: sqlite:///FILE or postgresql://… (or "
        "KOL_RELAYER_DATABASE_URL; default .kol/relayer.sqlite3).",
    )(function)


def _relayer(session: Session, settings: RelayerSettings, *, submit: bool) -> Relayer:
    """The relayer of the session's deployment; submitting with the session's key (its own
    connection for the submitter, apart from the one the HTTP side reads with)."""
    with reported():
        try:
            if not submit:
                return Relayer(session.backend, Queue(settings.database_url), settings)
            key = session.signer  # the relayer's own key: it pays the gas
            return Relayer.connect(session.deployment, key, settings, url=session.rpc_url)
        except QueueError as error:
            raise click.ClickException(str(error)) from None


def _settings(**given: Any) -> RelayerSettings:
    try:
        return RelayerSettings.from_env(**given)
    except ValueError as error:
        raise click.ClickException(str(error)) from None


@click.group()
def relayer() -> None:
    """The gasless relayer (§4): signed ballots and sponsorships, relayed in batches."""


@relayer.command()
@session(signs=True)
@_database_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65_535), default=8600, show_default=True)
@click.option(
    "--batch-size",
    type=click.IntRange(1, 500),
    default=None,
    help="Items per transaction (default 100).",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.05),
    default=None,
    help="Seconds between batches (default 2).",
)
@click.option("--no-submit", is_flag=True, help="Only accept and queue (another process submits).")
def serve(
    session: Session,
    database_url: str | None,
    host: str,
    port: int,
    batch_size: int | None,
    interval: float | None,
    no_submit: bool,
) -> None:
    """Serve /relay/… over HTTP and submit the queue in batches until Ctrl-C."""
    import uvicorn

    from kol.relayer.app import create_app

    settings = _settings(database_url=database_url, batch_size=batch_size, batch_interval=interval)
    r = _relayer(session, settings, submit=not no_submit)
    who = f"submitting as {r.sender}" if r.sender else "accepting only"
    click.echo(f"relayer on http://{host}:{port}/relay ({who}; queue {r.queue.url})", err=True)
    uvicorn.run(create_app(r, submit=not no_submit), host=host, port=port, log_level="warning")


@relayer.command()
@session(signs=True)
@_database_option
@json_option
def flush(session: Session, database_url: str | None, as_json: bool) -> None:
    """Settle what was sent, submit everything queued, and stop."""
    r = _relayer(session, _settings(database_url=database_url), submit=True)
    with reported():
        sent = r.flush()
    counts = r.queue.counts()
    payload = {"sent": sent, "queue": counts, "relayer": r.sender}

    def render(out: Console) -> None:
        out.print(
            f"{sent} item(s) sent; queue: "
            + ", ".join(f"{n} {status}" for status, n in counts.items())
        )

    emit(as_json, payload, render)


def _action_json(action: Action) -> dict[str, str]:
    return {
        "kind": action.kind,
        "subject": action.subject,
        "outcome": action.outcome.value,
        "detail": action.detail,
    }


@click.command("keeper")
@session(signs=True)
@click.option(
    "--once", "mode", flag_value="once", default=True, help="One round, then stop (default)."
)
@click.option(
    "--follow", "mode", flag_value="follow", help="A round every --interval seconds until Ctrl-C."
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=15.0,
    show_default=True,
    help="Seconds between rounds with --follow.",
)
@json_option
def keeper(session: Session, mode: str, interval: float, as_json: bool) -> None:
    """Record forfeitures, refill seats, close failed and lapsed motions (anyone may)."""
    with reported():
        k = Keeper(session.alliance, session.sender)
    if mode == "follow":
        say(as_json, f"keeper {k.sender}: a round every {interval:g} s (Ctrl-C stops)")
        stop = threading.Event()

        def report(actions: list[Action]) -> None:
            for action in actions:
                say(as_json, action.describe())

        try:
            k.follow(interval, stop, report)
        except KeyboardInterrupt:
            stop.set()
        return
    with reported():
        actions = k.run_once()
    failed = [a for a in actions if a.outcome == Outcome.FAILED]
    payload = {"keeper": k.sender, "actions": [_action_json(a) for a in actions]}

    def render(out: Console) -> None:
        if not actions:
            out.print("nothing to do")
        for action in actions:
            out.print(action.describe())

    emit(as_json, payload, render)
    if failed:
        raise click.exceptions.Exit(1)


__all__ = ["keeper", "relayer"]
