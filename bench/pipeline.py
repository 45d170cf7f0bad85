"""`make bench`'s platform half: the constitution year on anvil, indexed into SQLite and into
PostgreSQL, and the API under a bounded loopback load.

1. anvil (``kol.chain.anvil``) on 127.0.0.1; the alliance deployed with the year's dev keys;
   the year of ``bench/year.py`` (``--scale``) played on it through the SDK's JSON-RPC
   backend with relayed ballots (the way members would vote at scale).
2. The indexer (``kol.indexer``) ingests the whole chain, from the deployment's block to the
   head, into a fresh SQLite file and into a fresh PostgreSQL database (created on the
   machine's server and dropped afterwards), ``--repeats`` times each: events/s.
3. ``kol api`` over the last SQLite store, served by uvicorn as its own process; a bounded
   number of GETs on its main read endpoints from a separate process (``bench/load.py``,
   loopback only): requests/s, p50, p99 — with the answer cache (``kol api``'s default) and
   without it (``--no-answer-cache``: every request runs its endpoint's queries).

    python bench/pipeline.py --scale 1 --repeats 3     # prints one JSON object
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from kol.alliance import Alliance
from kol.chain.anvil import Anvil, free_port, wait_until_answers
from kol.chain.deployment import Deployment
from kol.cli.devnet import deploy_dev_alliance
from kol.cli.year import dev_key
from kol.indexer import Indexer, open_source
from kol.store import Store
from kol.store.models import Event

sys.path.insert(0, str(Path(__file__).resolve().parent))

from year import BenchYear  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PG_SERVER = os.environ.get("KOL_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
FUNDS = 10**24
API_PATHS = (
    "/status",
    "/supply",
    "/parameters",
    "/members?limit=50",
    "/members/{member}",
    "/motions?limit=50",
    "/motions/{motion}",
    "/stages/{stage}",
    "/tasks?limit=50",
    "/batches",
    "/claims?limit=50",
    "/events?limit=50",
)


def spread(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 4),
        "min": round(min(values), 4),
        "max": round(max(values), 4),
    }


# 1. the year on anvil -----------------------------------------------------------------------


def play_on_anvil(url: str, seed: int, scale: float) -> tuple[Deployment, dict[str, Any]]:
    """Deploys the alliance on the node at ``url`` and plays the scaled year on it."""
    started = time.perf_counter()
    deployment, backend = deploy_dev_alliance(url, seed)
    w3 = backend.w3
    year = BenchYear(seed, scale=scale, relayed=True, alliance=Alliance(backend))
    keys = year.dev_keys() + [c for _, c in year.economy.clients] + year.economy.users
    keys.append(dev_key(seed, "administrator 2"))
    for key in keys:
        backend.add_signer(key)
        backend.set_balance(key.address, FUNDS)
    outcome = year.run()
    head = w3.eth.block_number
    return deployment, {
        "node_seats": len(year.nodes),
        "motions": len(outcome.motions),
        "ballots": year.ballots_relayed,
        "blocks": head - (deployment.start_block or 0),
        "seconds": round(time.perf_counter() - started, 3),
    }


# 2. the indexer -----------------------------------------------------------------------------


def ingest(deployment: Deployment, database_url: str) -> dict[str, Any]:
    """One full ingest of the chain into a fresh, migrated store: events/s."""
    store = Store.open(database_url, migrate=True)
    try:
        source, _ = open_source(deployment)
        indexer = Indexer(store, source, confirmations=0)
        ranges = 0

        def progress(step: Any) -> None:
            nonlocal ranges
            ranges += step.kind == "ingested"

        started = time.perf_counter()
        last = indexer.run_once(progress)
        seconds = time.perf_counter() - started
        with store.sessions() as s:
            events = int(s.scalar(select(func.count()).select_from(Event)) or 0)
    finally:
        store.close()
    return {
        "events": events,
        "ranges": ranges,
        "checkpoint": last.checkpoint,
        "seconds": round(seconds, 4),
        "events_per_second": round(events / seconds, 1),
    }


def _admin() -> Any:
    import psycopg

    return psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A throwaway database on the machine's PostgreSQL, dropped afterwards."""
    name = f"kol_bench_{uuid.uuid4().hex[:12]}"
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def summarise_ingests(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "events": runs[0]["events"],
        "seconds": spread([r["seconds"] for r in runs]),
        "events_per_second": spread([r["events_per_second"] for r in runs]),
        "runs": runs,
    }


# 3. the API ---------------------------------------------------------------------------------


def api_paths(database_url: str) -> list[str]:
    """The read endpoints, with a member, a motion and a stage that exist."""
    from kol.store.models import Member, Motion, Stage

    store = Store.open(database_url)
    try:
        with store.sessions() as s:
            member = s.scalars(select(Member.address).order_by(Member.address)).first()
            motion = s.scalar(select(func.max(Motion.motion_id)))
            stage = s.scalar(select(func.max(Stage.stage_id)))
    finally:
        store.close()
    return [p.format(member=member, motion=motion, stage=stage) for p in API_PATHS]


def api_load(
    database_url: str,
    *,
    requests: int,
    concurrency: int,
    repeats: int,
    workdir: Path,
    answer_cache: bool = True,
) -> dict[str, Any]:
    """``kol api`` as its own process over the store, and the load from another; with its
    answer cache (the default) or without it (every request runs its endpoint)."""
    paths = api_paths(database_url)
    port = free_port()
    log = (workdir / "api.log").open("ab")
    command = [str(BIN / "kol"), "api", "--database", database_url, "--port", str(port)]
    if not answer_cache:
        command.append("--no-answer-cache")
    server = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    runs = []
    try:
        _wait_for_http(port, server)
        for _ in range(repeats):
            command = [sys.executable, str(Path(__file__).parent / "load.py"), "--port", str(port)]
            command += ["--requests", str(requests), "--concurrency", str(concurrency)]
            for p in paths:
                command += ["--path", p]
            done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600)
            runs.append(json.loads(done.stdout))
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    return {
        "server": "kol api (uvicorn, one process)"
        + ("" if answer_cache else ", --no-answer-cache"),
        "paths": paths,
        "requests": requests,
        "concurrency": concurrency,
        "requests_per_second": spread([r["requests_per_second"] for r in runs]),
        "p50_ms": spread([r["p50_ms"] for r in runs]),
        "p99_ms": spread([r["p99_ms"] for r in runs]),
        "p999_ms": spread([r["p999_ms"] for r in runs]),
        "max_ms": spread([r["max_ms"] for r in runs]),
        "runs": runs,
    }


def _wait_for_http(port: int, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"kol api exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"kol api did not answer on port {port} within {timeout:.0f} s")
        time.sleep(0.2)


# all of it ----------------------------------------------------------------------------------


def measure(
    scale: float = 1.0,
    repeats: int = 3,
    seed: int = 7,
    *,
    requests: int = 5_000,
    concurrency: int = 8,
    postgres: bool = True,
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="kol-bench-") as tmp:
        workdir = Path(tmp)
        with Anvil.start(log=workdir / "anvil.log") as node:
            wait_until_answers(node.url)
            deployment, played = play_on_anvil(node.url, seed, scale)
            sqlite_runs = []
            for i in range(repeats):
                url = f"sqlite:///{workdir / f'store-{i}.sqlite3'}"
                sqlite_runs.append(ingest(deployment, url))
            pg_runs = []
            if postgres:
                for _ in range(repeats):
                    with postgres_database() as url:
                        pg_runs.append(ingest(deployment, url))
        store_url = f"sqlite:///{workdir / f'store-{repeats - 1}.sqlite3'}"
        api, api_uncached = (
            api_load(
                store_url,
                requests=requests,
                concurrency=concurrency,
                repeats=repeats,
                workdir=workdir,
                answer_cache=cached,
            )
            for cached in (True, False)
        )
    result: dict[str, Any] = {
        "scale": scale,
        "seed": seed,
        "repeats": repeats,
        "anvil_year": played,
        "indexer": {"sqlite": summarise_ingests(sqlite_runs)},
        "api": api,
        "api_uncached": api_uncached,
    }
    if pg_runs:
        result["indexer"]["postgresql"] = summarise_ingests(pg_runs)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: the full year")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--requests", type=int, default=5_000, help="per repeat")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--no-postgres", action="store_true")
    ns = parser.parse_args(argv)
    result = measure(
        ns.scale,
        ns.repeats,
        ns.seed,
        requests=ns.requests,
        concurrency=ns.concurrency,
        postgres=not ns.no_postgres,
    )
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
