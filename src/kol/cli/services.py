"""The platform's services at a terminal: ``kol index`` (the indexer), ``kol api`` (the read API)
and ``kol db`` (the store's schema)."""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

import click
from sqlalchemy import func, select

from kol.chain.deployment import Deployment, DeploymentError
from kol.chain.rpc import ChainError
from kol.cli.connect import DEFAULT_DEPLOYMENT
from kol.cli.options import json_option
from kol.indexer import (
    DEFAULT_RANGE,
    Indexer,
    IndexerError,
    SourceError,
    Step,
    default_confirmations,
    open_source,
)
from kol.store import ENV_URL, Store, StoreError, default_url
from kol.store.db import engine_for, head_revision, revision_of, upgrade
from kol.store.models import Checkpoint, Event

__all__ = ["api", "db", "index"]

F = TypeVar("F", bound=Callable[..., Any])


def database_option(function: F) -> F:
    """``--database URL``: the store (``KOL_DATABASE_URL``; default ``.kol/store.sqlite3``)."""
    decorated: F = click.option(
        "--database",
        "database_url",
        envvar=ENV_URL,
        metavar="URL",
        default=None,
        help=f"The store: sqlite:///FILE or postgresql://USER@HOST/DB (or {ENV_URL}; "
        "default sqlite:///.kol/store.sqlite3).",
    )(function)
    return decorated


@contextmanager
def _reported() -> Iterator[None]:
    try:
        yield
    except (StoreError, IndexerError, SourceError, ChainError, DeploymentError) as error:
        raise click.ClickException(str(error)) from None


def _describe(step: Step) -> str:
    if step.kind == "ingested":
        return (
            f"blocks {step.first}…{step.last}: {step.events} events "
            f"(checkpoint {step.checkpoint}, head {step.head})"
        )
    if step.kind == "rolled_back":
        return (
            f"reorg: the chain no longer has block {step.rolled_back_from} as indexed; rolled "
            f"back to block {step.checkpoint} and rebuilt the state from the events kept"
        )
    if step.kind == "moved":
        return "the chain moved while a range was read: reading it again"
    return f"caught up at block {step.checkpoint} (head {step.head})"


@click.command("index")
@click.option(
    "--deployment",
    "deployment_path",
    envvar="KOL_DEPLOYMENT",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_DEPLOYMENT,
    show_default=True,
    help="The deployment description (or KOL_DEPLOYMENT).",
)
@click.option(
    "--rpc",
    "rpc_url",
    envvar="KOL_RPC_URL",
    metavar="URL",
    default=None,
    help="JSON-RPC URL (or KOL_RPC_URL; default: the one the deployment records).",
)
@database_option
@click.option(
    "--once/--follow",
    default=True,
    help="Index up to the confirmed head and stop (default), or keep following the chain.",
)
@click.option(
    "--confirmations",
    type=click.IntRange(min=0),
    default=None,
    help="Blocks to wait before indexing a block (default: 0 on anvil, 12 elsewhere).",
)
@click.option(
    "--range",
    "range_size",
    type=click.IntRange(min=1),
    default=DEFAULT_RANGE,
    show_default=True,
    help="Blocks per log query (halved when the node refuses a range).",
)
@click.option(
    "--poll",
    type=click.FloatRange(min=0.05),
    default=2.0,
    show_default=True,
    help="Seconds between polls once caught up (--follow).",
)
@json_option
def index(
    deployment_path: Path,
    rpc_url: str | None,
    database_url: str | None,
    once: bool,
    confirmations: int | None,
    range_size: int,
    poll: float,
    as_json: bool,
) -> None:
    """Mirror the alliance's events into the SQL store (resumable, reorg-safe)."""
    with _reported():
        deployment = Deployment.load(deployment_path)
        source, version = open_source(deployment, rpc_url)
        store = Store.open(database_url, migrate=True)
        waits = default_confirmations(version) if confirmations is None else confirmations
        indexer = Indexer(store, source, confirmations=waits, range_size=range_size)
        indexer.prepare()
        if once:
            steps: list[Step] = []
            last = indexer.run_once(progress=None if as_json else _echo_step(steps))
            if as_json:
                click.echo(json.dumps(_summary(store, last, waits)))
            else:
                click.echo(f"{_describe(last)}; store {store.url}")
            return
        stop = threading.Event()
        _stop_on_signals(stop)
        click.echo(
            f"following chain {deployment.chain_id} into {store.url} "
            f"({waits} confirmations); Ctrl-C stops",
            err=as_json,
        )
        indexer.follow(
            stop,
            poll=poll,
            progress=_echo_json if as_json else _echo_step([]),
            trouble=lambda error: click.echo(
                f"the node or the store did not answer (retrying): {error}", err=True
            ),
        )


def _echo_step(seen: list[Step]) -> Callable[[Step], None]:
    def echo(step: Step) -> None:
        seen.append(step)
        if step.kind != "caught_up":
            click.echo(_describe(step))

    return echo


def _echo_json(step: Step) -> None:
    if step.kind != "caught_up":
        click.echo(json.dumps({"step": step.kind, **_step_fields(step)}))


def _step_fields(step: Step) -> dict[str, Any]:
    return {
        "checkpoint": step.checkpoint,
        "head": step.head,
        "first": step.first,
        "last": step.last,
        "events": step.events,
        "rolled_back_from": step.rolled_back_from,
    }


def _summary(store: Store, last: Step, confirmations: int) -> dict[str, Any]:
    with store.sessions() as s:
        checkpoint = s.get(Checkpoint, 1)
        events = int(s.scalar(select(func.count()).select_from(Event)) or 0)
    return {
        "database": store.url,
        "checkpoint": None if checkpoint is None else checkpoint.block_number,
        "block_hash": None if checkpoint is None else checkpoint.block_hash,
        "head": last.head,
        "confirmations": confirmations,
        "events": events,
    }


def _stop_on_signals(stop: threading.Event) -> None:
    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, handler)


@click.command("api")
@database_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65_535), default=8000, show_default=True, help="TCP port."
)
@click.option(
    "--lists-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="A folder of published lists (standard-v1 JSON) that batch and genesis URIs may name.",
)
@click.option("--web", "with_web", is_flag=True, help="Serve the web dapp at /web beside it.")
@click.option(
    "--answer-cache/--no-answer-cache",
    default=True,
    show_default=True,
    help="Keep each GET's answer for the store's version and second (never stale).",
)
def api(
    database_url: str | None,
    host: str,
    port: int,
    lists_dir: Path | None,
    with_web: bool,
    answer_cache: bool,
) -> None:
    """Serve the read API over the store (FastAPI; OpenAPI at /docs and /openapi.json)."""
    import uvicorn  # imported here: the other commands need no web server

    from kol.api import create_app

    with _reported():
        store = Store.open(database_url)
    if with_web:
        from kol.web import create_site

        app = create_site(store, lists_dir=lists_dir, answer_cache=answer_cache)
    else:
        app = create_app(store, lists_dir=lists_dir, answer_cache=answer_cache)
    click.echo(f"API over {store.url} at http://{host}:{port} (OpenAPI: /docs)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@click.group("db")
def db() -> None:
    """The store's schema (Alembic migrations shipped with kol)."""


@db.command("upgrade")
@database_option
def db_upgrade(database_url: str | None) -> None:
    """Bring the store to the latest migration (creating its tables)."""
    with _reported():
        engine = engine_for(database_url)
        before = revision_of(engine)
        after = upgrade(engine)
    shown = engine.url.render_as_string(hide_password=True)
    if before == after:
        click.echo(f"{shown} is at the latest migration ({after})")
    else:
        click.echo(f"{shown}: migrated from {before or 'empty'} to {after}")


@db.command("status")
@database_option
@json_option
def db_status(database_url: str | None, as_json: bool) -> None:
    """Say which migration the store is at and where its indexer stands."""
    with _reported():
        engine = engine_for(database_url or default_url())
        current, head = revision_of(engine), head_revision()
        checkpoint: int | None = None
        if current == head:
            store = Store.open(database_url)
            with store.sessions() as s:
                row = s.get(Checkpoint, 1)
                checkpoint = None if row is None else row.block_number
    payload = {
        "database": engine.url.render_as_string(hide_password=True),
        "revision": current,
        "latest": head,
        "checkpoint": checkpoint,
    }
    if as_json:
        click.echo(json.dumps(payload))
        return
    state = "up to date" if current == head else f"at {current or 'nothing'} (run kol db upgrade)"
    where = "never indexed" if checkpoint is None else f"indexed up to block {checkpoint}"
    click.echo(f"{payload['database']}: schema {state}; {where}")
