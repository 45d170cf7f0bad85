"""The indexer against a real chain (anvil) and real databases: what it stores equals what the
chain says, SQLite and PostgreSQL hold the same rows, a stop resumes from the checkpoint, a
reorg is detected and undone, and a process killed mid-ingest loses nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from kol.alliance import Alliance, Chamber
from kol.chain.anvil import Anvil, rpc_request
from kol.chain.deployment import Deployment
from kol.chain.rpc import RpcBackend
from kol.cli import main
from kol.indexer import Indexer, IndexerError, open_source
from kol.indexer.source import TooManyLogs
from kol.store import Store
from kol.store.models import Checkpoint, DeploymentRow, Member, Motion, Stage, Supply
from tests.conftest import _require_anvil
from tests.indexer.scenario import Played, deploy_alliance, fork_activity, start_chain
from tests.store.support import differences, postgres_database, rows


def sqlite(tmp_path: Path, name: str = "store") -> Store:
    return Store.open(f"sqlite:///{tmp_path / f'{name}.sqlite3'}", migrate=True)


def index(store: Store, deployment: Deployment, **options: Any) -> Indexer:
    source, _ = open_source(deployment)
    indexer = Indexer(store, source, confirmations=options.pop("confirmations", 0), **options)
    indexer.run_once()
    return indexer


@pytest.fixture(scope="module")
def reference(
    played: tuple[Anvil, Played], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[Any]]:
    """The rows of an uninterrupted run over the scenario's chain."""
    store = sqlite(tmp_path_factory.mktemp("reference"))
    index(store, played[1].deployment)
    dump = rows(store)
    store.close()
    return dump


def test_index__scenario__the_store_says_what_the_chain_says(
    played: tuple[Anvil, Played], tmp_path: Path
) -> None:
    _, p = played
    store = sqlite(tmp_path)
    index(store, p.deployment)
    a = Alliance(RpcBackend.connect(p.deployment))
    with store.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Motion)) == a.motion_count()
        for stage in s.scalars(select(Stage)):
            chain = a.stage(stage.stage_id)
            assert (stage.electorate, stage.threshold, stage.deadline) == (
                chain.electorate,
                chain.threshold,
                chain.deadline,
            )
            assert (stage.votes_for, stage.votes_against, stage.votes_abstain) == (
                chain.votes_for,
                chain.votes_against,
                chain.votes_abstain,
            )
            assert stage.opened_block == chain.opened_block
        for member in s.scalars(select(Member)):
            on_chain = a.member(member.address)
            assert (member.member_id, member.is_node, member.is_super, member.is_candidate) == (
                on_chain.member_id,
                on_chain.is_node,
                on_chain.is_super_node,
                on_chain.is_candidate,
            )
            assert (member.node_ban_until, member.super_ban_until) == (
                on_chain.node_ban_until,
                on_chain.super_ban_until,
            )
        supply, chain_supply = s.get(Supply, 1), a.supply()
        assert supply is not None
        assert (supply.issued_genesis, supply.issued_matched, supply.burned) == (
            chain_supply.issued_genesis,
            chain_supply.issued_matched,
            chain_supply.burned,
        )
        assert supply.total_supply == chain_supply.total_supply
        checkpoint = s.get(Checkpoint, 1)
        assert checkpoint is not None
        assert checkpoint.block_number == a.block_number() - 1  # the latest mined block
    assert a.seats(Chamber.SUPER) == len([m for m in a.members() if m.is_super_node])


def test_index__sqlite_and_postgresql__hold_equal_rows(
    played: tuple[Anvil, Played], reference: dict[str, list[Any]]
) -> None:
    with postgres_database() as url:
        store = Store.open(url, migrate=True)
        try:
            index(store, played[1].deployment)
            assert differences(reference, rows(store)) == []
        finally:
            store.close()


def test_index__stopped_and_restarted__resumes_from_its_checkpoint(
    played: tuple[Anvil, Played], reference: dict[str, list[Any]], tmp_path: Path
) -> None:
    deployment = played[1].deployment
    store = sqlite(tmp_path)
    source, _ = open_source(deployment)
    first = Indexer(store, source, confirmations=0, range_size=10)
    steps = [first.step() for _ in range(4)]
    assert [s.kind for s in steps] == ["ingested"] * 4
    assert first.checkpoint()[0] == deployment.start_block - 1 + 40
    store.close()
    again = sqlite(tmp_path)  # a new process: a new store handle and a new indexer
    index(again, deployment, range_size=10)
    assert differences(reference, rows(again)) == []


def test_index__node_refuses_large_ranges__halves_them_and_stores_the_same(
    played: tuple[Anvil, Played],
    reference: dict[str, list[Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source, _ = open_source(played[1].deployment)
    logs = source.logs
    asked: list[int] = []

    def limited(first: int, last: int) -> Any:
        asked.append(last - first + 1)
        if last - first + 1 > 16:
            raise TooManyLogs("query returned more than 10000 results")
        return logs(first, last)

    monkeypatch.setattr(source, "logs", limited)
    store = sqlite(tmp_path)
    Indexer(store, source, confirmations=0).run_once()
    assert asked[0] > 16 and asked[1] == asked[0] // 2 and min(asked) <= 16
    assert differences(reference, rows(store)) == []


def test_index__confirmations__leave_the_newest_blocks_for_later(
    played: tuple[Anvil, Played], tmp_path: Path
) -> None:
    store = sqlite(tmp_path)
    indexer = index(store, played[1].deployment, confirmations=5)
    head = int(rpc_request(played[0].url, "eth_blockNumber"), 16)
    assert indexer.checkpoint()[0] == head - 5


def test_index__a_store_of_another_deployment__refused(
    played: tuple[Anvil, Played], tmp_path: Path
) -> None:
    store = sqlite(tmp_path)
    index(store, played[1].deployment)
    with store.sessions.begin() as s:
        row = s.get(DeploymentRow, 1)
        assert row is not None
        row.council = "0x" + "12" * 20
    source, _ = open_source(played[1].deployment)
    with pytest.raises(IndexerError) as refused:
        Indexer(store, source, confirmations=0).prepare()
    assert "give each deployment its own database" in str(refused.value)


def test_index__a_second_writer__refused_without_writing_twice(
    played: tuple[Anvil, Played],
    reference: dict[str, list[Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    deployment = played[1].deployment
    store = sqlite(tmp_path)
    source, _ = open_source(deployment)
    other_source, _ = open_source(deployment)
    mine = Indexer(store, source, confirmations=0, range_size=10)
    other = Indexer(store, other_source, confirmations=0, range_size=10)
    mine.prepare()
    logs = source.logs

    def meanwhile(first: int, last: int) -> Any:
        other.step()  # another writer commits the same range while this one reads it
        return logs(first, last)

    monkeypatch.setattr(source, "logs", meanwhile)
    with pytest.raises(IndexerError) as refused:
        mine.step()
    assert "is another indexer writing" in str(refused.value)
    monkeypatch.setattr(source, "logs", logs)
    mine.run_once()
    assert differences(reference, rows(store)) == []


def test_kol_index__once_json__reports_the_checkpoint(
    played: tuple[Anvil, Played], tmp_path: Path
) -> None:
    path = played[1].deployment.save(tmp_path / "deployment.json")
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    result = CliRunner().invoke(
        main, ["index", "--deployment", str(path), "--database", url, "--once", "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    head = int(rpc_request(played[0].url, "eth_blockNumber"), 16)
    assert (summary["checkpoint"], summary["confirmations"]) == (head, 0)
    assert summary["events"] > 150
    missing = CliRunner().invoke(main, ["index", "--deployment", str(tmp_path / "none.json")])
    assert missing.exit_code == 1 and "no such file" in missing.output


# REORGS (their own chain: they rewrite it) #


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[tuple[Anvil, Deployment]]:
    _require_anvil()
    node = start_chain(tmp_path)
    try:
        yield node, deploy_alliance(node.url)
    finally:
        node.stop()


def candidates(store: Store) -> set[str]:
    with store.sessions() as s:
        return {m.name for m in s.scalars(select(Member)) if m.name and m.name.startswith("分叉")}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_reorg__snapshot_reverted_and_other_blocks_mined__store_matches_the_new_chain(
    fresh: tuple[Anvil, Deployment], tmp_path: Path, backend: str
) -> None:
    node, deployment = fresh

    def run(store: Store) -> None:
        fork_activity(deployment, "base")
        index(store, deployment)
        snapshot = rpc_request(node.url, "evm_snapshot")
        fork_activity(deployment, "a")
        index(store, deployment)
        assert candidates(store) == {"分叉 base", "分叉 a"}

        # the chain goes back below the checkpoint: the store follows it down
        assert rpc_request(node.url, "evm_revert", [snapshot]) is True
        source, _ = open_source(deployment)
        indexer = Indexer(store, source, confirmations=0)
        step = indexer.step()
        assert step.kind == "rolled_back" and step.checkpoint < step.rolled_back_from  # type: ignore[operator]
        assert candidates(store) == {"分叉 base"}

        # other blocks at the same heights and beyond: detected by hash, replaced
        snapshot = rpc_request(node.url, "evm_snapshot")
        fork_activity(deployment, "b")
        index(store, deployment)
        assert rpc_request(node.url, "evm_revert", [snapshot]) is True
        fork_activity(deployment, "c")
        rpc_request(node.url, "anvil_mine", [hex(3)])
        steps: list[str] = []
        indexer.run_once(progress=lambda s: steps.append(s.kind))
        assert steps[0] == "rolled_back"
        assert candidates(store) == {"分叉 base", "分叉 c"}

        fresh_store = sqlite(tmp_path, "fresh")
        index(fresh_store, deployment)
        assert differences(rows(fresh_store), rows(store)) == []

    if backend == "sqlite":
        run(sqlite(tmp_path))
    else:
        with postgres_database() as url:
            store = Store.open(url, migrate=True)
            try:
                run(store)
            finally:
                store.close()


# SIGKILL #


def _checkpoint(store: Store) -> int:
    with store.sessions() as s:
        row = s.get(Checkpoint, 1)
        return -1 if row is None else row.block_number


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sigkill__mid_ingest_then_restarted__exactly_the_rows_of_an_uninterrupted_run(
    played: tuple[Anvil, Played],
    reference: dict[str, list[Any]],
    tmp_path: Path,
    backend: str,
) -> None:
    deployment = played[1].deployment
    path = deployment.save(tmp_path / "deployment.json")
    head = int(rpc_request(played[0].url, "eth_blockNumber"), 16)
    kol = str(Path(sys.executable).parent / "kol")

    def run(url: str) -> None:
        store = Store.open(url, migrate=True)
        command = [kol, "index", "--deployment", str(path), "--database", url]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        killed_at: list[int] = []
        for target in (25, 60, 95):  # killed three times, each time further on
            process = subprocess.Popen(
                [*command, "--follow", "--range", "1", "--poll", "0.1"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
            )
            try:
                deadline = time.monotonic() + 60
                while _checkpoint(store) < deployment.start_block + target:
                    assert process.poll() is None, "the indexer ended before it was killed"
                    assert time.monotonic() < deadline, "the indexer made no progress"
                    time.sleep(0.01)
            finally:
                process.send_signal(signal.SIGKILL)
                process.wait()
            killed_at.append(_checkpoint(store))
        assert killed_at == sorted(killed_at) and killed_at[-1] < head
        done = subprocess.run([*command, "--once"], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        assert f"caught up at block {head}" in done.stdout
        assert differences(reference, rows(store)) == []
        store.close()

    if backend == "sqlite":
        run(f"sqlite:///{tmp_path / 'killed.sqlite3'}")
    else:
        with postgres_database() as url:
            run(url)
