"""The indexer, attacked: ``kol index --follow`` killed with SIGKILL at random moments (seeded
delays, many rounds) and restarted, and cut off from PostgreSQL — every connection dropped
mid-ingest and new ones refused for a while, through a TCP proxy on 127.0.0.1 — then let
through again. It must recover by itself and end with exactly the rows of an uninterrupted
run: nothing lost, nothing written twice.

``test_indexer.py`` kills at three fixed checkpoints and covers reorgs (a snapshot reverted and
other blocks mined, on SQLite and PostgreSQL); this file kills at random and cuts the
database."""

from __future__ import annotations

import contextlib
import os
import random
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import pytest

from kol.chain.anvil import Anvil, rpc_request
from kol.store import Store
from kol.store.models import Checkpoint
from tests.indexer.scenario import Played
from tests.store.support import PG_SERVER, differences, postgres_database, rows

KILLS: Final = 6
"""SIGKILLs per backend, each at a random moment of ingest."""
CUTS: Final = 5
"""Times the proxy drops every connection to PostgreSQL and refuses new ones."""
SEED: Final = 20_260_112


@pytest.fixture(scope="module")
def reference(
    played: tuple[Anvil, Played], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[Any]]:
    """The rows of an uninterrupted run over the scenario's chain."""
    from kol.indexer import Indexer, open_source

    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('ref') / 'ref.sqlite3'}", migrate=True)
    source, _ = open_source(played[1].deployment)
    Indexer(store, source, confirmations=0).run_once()
    dump = rows(store)
    store.close()
    return dump


def _checkpoint(store: Store) -> int:
    with store.sessions() as s:
        row = s.get(Checkpoint, 1)
        return -1 if row is None else row.block_number


def _index(deployment: Path, url: str, log: Path) -> subprocess.Popen[bytes]:
    kol = str(Path(sys.executable).parent / "kol")
    command = [kol, "index", "--deployment", str(deployment), "--database", url]
    return subprocess.Popen(
        [*command, "--follow", "--range", "1", "--poll", "0.1"],
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def _until(what: str, check: Any, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while not check():
        assert process.poll() is None, f"the indexer ended: {log.read_text()[-2_000:]}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'killed.sqlite3'}"
        return
    with postgres_database() as url:
        yield url


# SIGKILL AT RANDOM #


def test_sigkill__at_random_moments__restarted__the_rows_of_an_uninterrupted_run(
    played: tuple[Anvil, Played],
    reference: dict[str, list[Any]],
    database: str,
    tmp_path: Path,
) -> None:
    """Started, killed after a random number (1–15) of new ranges and a random 0–300 ms more,
    restarted, six times; then left to catch up."""
    rng = random.Random(SEED)
    path = played[1].deployment.save(tmp_path / "deployment.json")
    head = int(rpc_request(played[0].url, "eth_blockNumber"), 16)
    store = Store.open(database, migrate=True)
    log = tmp_path / "indexer.log"
    killed_at: list[int] = []
    try:
        for _ in range(KILLS):
            before = _checkpoint(store)
            process = _index(path, database, log)
            try:
                target = before + rng.randint(1, 15)
                _until("new ranges", lambda t=target: _checkpoint(store) >= t, process, log)
                time.sleep(rng.uniform(0.0, 0.3))
            finally:
                process.kill()
                process.wait(30)
            killed_at.append(_checkpoint(store))
        print(f"killed at checkpoints {killed_at} (head {head})")
        assert killed_at == sorted(killed_at) and killed_at[-1] < head
        process = _index(path, database, log)
        try:
            _until("the head", lambda: _checkpoint(store) == head, process, log)
        finally:
            process.send_signal(signal.SIGINT)
            assert process.wait(60) == 0, log.read_text()[-2_000:]
        assert differences(reference, rows(store)) == []
    finally:
        store.close()


# CUT OFF FROM POSTGRESQL #


class Proxy:
    """A TCP proxy on 127.0.0.1 to the PostgreSQL server, that can drop every connection and
    refuse new ones (its port closed) until it is healed."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.port = 0
        self.connections = 0
        self.dropped = 0
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._open = threading.Event()
        self._closed = False
        self._listener = self._listen()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _listen(self) -> socket.socket:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.1)
        self.port = listener.getsockname()[1]
        self._open.set()
        return listener

    def _accept(self) -> None:
        while not self._closed:
            if not self._open.wait(0.1):
                continue
            try:
                client, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, upstream))
                self.connections += 1
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        try:
            while True:
                ready, _, _ = select.select([a, b], [], [], 0.5)
                for side in ready:
                    data = side.recv(65_536)
                    if not data:
                        return
                    (b if side is a else a).sendall(data)
        except (OSError, ValueError):
            return
        finally:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.close()

    def cut(self) -> int:
        """Drops every connection and closes the port; the number dropped."""
        self._open.clear()
        self._listener.close()
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for s in pair:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
        self.dropped += len(pairs)
        return len(pairs)

    def heal(self) -> None:
        self._listener = self._listen()

    def close(self) -> None:
        self._closed = True
        self.cut()
        self._thread.join(5)


def test_postgresql_cut_off_mid_ingest__follow_recovers__the_rows_of_an_uninterrupted_run(
    played: tuple[Anvil, Played], reference: dict[str, list[Any]], tmp_path: Path
) -> None:
    """Five times, after a random number (3–20) of new ranges and a random 0–300 ms more:
    every connection dropped (the transaction of the range in flight with them), new ones
    refused for one to three seconds, then let through. The same process goes on by itself
    and ends at the head with the reference's rows."""
    rng = random.Random(SEED)
    path = played[1].deployment.save(tmp_path / "deployment.json")
    head = int(rpc_request(played[0].url, "eth_blockNumber"), 16)
    server = PG_SERVER.rsplit("@", 1)[1]
    host, port = server.rsplit(":", 1)
    log = tmp_path / "indexer.log"
    with postgres_database() as url:
        store = Store.open(url, migrate=True)  # direct, to watch the checkpoint
        proxy = Proxy(host, int(port))
        name = url.rsplit("/", 1)[1]
        proxied = f"{PG_SERVER.rsplit('@', 1)[0]}@127.0.0.1:{proxy.port}/{name}"
        cut_at: list[tuple[int, int, float]] = []
        process = _index(path, proxied, log)
        try:
            for _ in range(CUTS):
                before = _checkpoint(store)
                target = before + rng.randint(3, 20)
                _until("new ranges", lambda t=target: _checkpoint(store) >= t, process, log)
                time.sleep(rng.uniform(0.0, 0.3))
                dropped = proxy.cut()
                refused_for = rng.uniform(1.0, 3.0)
                at = _checkpoint(store)
                time.sleep(refused_for)
                assert _checkpoint(store) == at  # nothing was written meanwhile
                proxy.heal()
                cut_at.append((at, dropped, round(refused_for, 2)))
            _until("the head", lambda: _checkpoint(store) == head, process, log)
        finally:
            process.send_signal(signal.SIGINT)
            code = process.wait(60)
            proxy.close()
        print(f"cut at (checkpoint, connections dropped, seconds refused): {cut_at}")
        assert code == 0, log.read_text()[-2_000:]
        assert all(at < head and dropped >= 1 for at, dropped, _ in cut_at)
        assert proxy.connections > 1  # it reconnected
        assert differences(reference, rows(store)) == []
        store.close()
