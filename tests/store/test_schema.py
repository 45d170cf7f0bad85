"""The store's schema: the packaged migrations create exactly the models' tables on SQLite and
PostgreSQL, readers refuse a store that is not migrated, and 256-bit amounts survive both."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner

from kol.cli import main
from kol.store import Store, StoreError
from kol.store.db import engine_for, head_revision, revision_of
from kol.store.models import Base, Supply
from tests.store.support import postgres_database


def _assert_matches_models(store: Store) -> None:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade__sqlite__creates_exactly_the_models_tables(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite3'}", migrate=True)
    assert revision_of(store.engine) == head_revision()
    _assert_matches_models(store)


def test_upgrade__postgresql__creates_exactly_the_models_tables() -> None:
    with postgres_database() as url:
        store = Store.open(url, migrate=True)
        try:
            _assert_matches_models(store)
            Store.open(url, migrate=True).close()  # a second upgrade changes nothing
            assert revision_of(store.engine) == head_revision()
        finally:
            store.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_uint__largest_uint256__stored_exactly(tmp_path: Path, backend: str) -> None:
    largest = 2**256 - 1

    def check(url: str) -> None:
        store = Store.open(url, migrate=True)
        try:
            with store.sessions.begin() as s:
                s.add(
                    Supply(
                        id=1,
                        issued_genesis=largest,
                        issued_matched=0,
                        burned=1,
                        total_supply=largest - 1,
                        in_pools=0,
                    )
                )
            with store.sessions() as s:
                row = s.get(Supply, 1)
                assert row is not None
                assert (row.issued_genesis, row.total_supply) == (largest, largest - 1)
        finally:
            store.close()

    if backend == "sqlite":
        check(f"sqlite:///{tmp_path / 'uint.sqlite3'}")
    else:
        with postgres_database() as url:
            check(url)


def test_open__not_migrated__refused_with_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as refused:
        Store.open(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert "is empty" in str(refused.value)
    assert "kol db upgrade" in str(refused.value)


def test_open__not_a_url__refused_with_the_forms_it_takes() -> None:
    with pytest.raises(StoreError) as refused:
        engine_for("not a url")
    assert "sqlite:///" in str(refused.value) and "postgresql://" in str(refused.value)


def test_kol_db__upgrade_then_status__says_where_the_store_is(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    runner = CliRunner()
    before = runner.invoke(main, ["db", "status", "--database", url])
    assert before.exit_code == 0 and "run kol db upgrade" in before.output
    upgraded = runner.invoke(main, ["db", "upgrade", "--database", url])
    assert upgraded.exit_code == 0, upgraded.output
    assert f"migrated from empty to {head_revision()}" in upgraded.output
    again = runner.invoke(main, ["db", "upgrade"], env={"KOL_DATABASE_URL": url})
    assert "is at the latest migration" in again.output
    status = runner.invoke(main, ["db", "status", "--database", url, "--json"])
    assert (
        '"checkpoint": null' in status.output
        and f'"revision": "{head_revision()}"' in status.output
    )
