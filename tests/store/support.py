"""Helpers of the store, indexer and API tests: throwaway PostgreSQL databases on the machine's
server, and every row of a store, for comparing two stores."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

import pytest
from sqlalchemy import select

from kol.store import Store
from kol.store.models import Base

PG_SERVER: Final = os.environ.get("KOL_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
"""The PostgreSQL server the tests create their databases on (trust auth, user postgres)."""


def _admin() -> Any:
    import psycopg

    return psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3)


def require_postgres() -> None:
    """Skips (or, in CI, fails) when the machine's PostgreSQL does not answer."""
    try:
        _admin().close()
    except Exception as error:
        reason = f"PostgreSQL does not answer at {PG_SERVER}: {error}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty database on the server; dropped afterwards. Yields its URL."""
    require_postgres()
    name = f"kol_test_{uuid.uuid4().hex[:12]}"
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def rows(store: Store, *, skip: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the store, in primary-key order."""
    dump: dict[str, list[tuple[Any, ...]]] = {}
    with store.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in skip:
                continue
            query = select(table).order_by(*table.primary_key.columns)
            dump[table.name] = [tuple(row) for row in connection.execute(query)]
    return dump


def differences(a: dict[str, list[Any]], b: dict[str, list[Any]]) -> list[str]:
    """The tables whose rows differ, with the first differing row (for assertion messages)."""
    found = []
    for table in sorted(set(a) | set(b)):
        left, right = a.get(table, []), b.get(table, [])
        if left != right:
            first = next(
                (f"{x!r} != {y!r}" for x, y in zip(left, right, strict=False) if x != y),
                f"{len(left)} rows != {len(right)} rows",
            )
            found.append(f"{table}: {first}")
    return found
