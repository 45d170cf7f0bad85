"""Opening the store: its URL, its engine, its schema (Alembic migrations shipped in the package).

The URL is ``KOL_DATABASE_URL`` or, by default, a SQLite file ``.kol/store.sqlite3`` under the
current directory; a PostgreSQL URL (``postgresql://user@host/db``) is driven by psycopg 3.
The schema is the package's Alembic migrations (``kol/store/migrations``): :func:`upgrade`
brings a database to the latest revision (``kol db upgrade``; ``kol index`` does it at start),
:func:`check_schema` tells a reader whether it may read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

__all__ = [
    "DEFAULT_SQLITE",
    "ENV_URL",
    "StoreError",
    "check_schema",
    "default_url",
    "engine_for",
    "head_revision",
    "revision_of",
    "session_factory",
    "transaction",
    "upgrade",
]

ENV_URL: Final = "KOL_DATABASE_URL"
DEFAULT_SQLITE: Final = Path(".kol") / "store.sqlite3"
MIGRATIONS: Final = Path(__file__).resolve().parent / "migrations"


class StoreError(RuntimeError):
    """The store cannot be opened or is not in a state to be used; the message says what to do."""


def default_url() -> str:
    """``KOL_DATABASE_URL``, else the SQLite file ``.kol/store.sqlite3`` here."""
    return os.environ.get(ENV_URL) or f"sqlite:///{DEFAULT_SQLITE}"


def _normalise(url: str) -> str:
    """PostgreSQL URLs go through psycopg 3 (``postgresql://`` alone would ask for psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    # WAL: the API reads while the indexer writes; a writer waits for a lock instead of failing
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def engine_for(url: str | None = None) -> Engine:
    """An engine for ``url`` (default :func:`default_url`); a SQLite file's folder is made."""
    raw = _normalise(url or default_url())
    try:
        parsed = make_url(raw)
    except ArgumentError:
        raise StoreError(
            f"not a database URL: {raw!r} (sqlite:///path/to/file.sqlite3, or "
            "postgresql://user@host:5432/database)"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except (ArgumentError, ImportError) as error:
        raise StoreError(f"cannot use {parsed.render_as_string()}: {error}") from None


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One database transaction: committed when the block ends, rolled back on an error."""
    with factory() as session, session.begin():
        yield session


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The latest migration of this version of the package."""
    head = ScriptDirectory.from_config(_config_without_engine()).get_current_head()
    assert head is not None
    return head


def _config_without_engine() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def revision_of(engine: Engine) -> str | None:
    """The migration a database is at (None: an empty database)."""
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as error:
        raise StoreError(
            f"cannot read the store at {_shown(engine)}: {_first_line(error)}"
        ) from None


def upgrade(engine: Engine) -> str:
    """Brings the database to the latest migration; returns it."""
    try:
        command.upgrade(_config(engine), "head")
    except SQLAlchemyError as error:
        raise StoreError(
            f"cannot migrate the store at {_shown(engine)}: {_first_line(error)}"
        ) from None
    return head_revision()


def check_schema(engine: Engine) -> None:
    """Raises :class:`StoreError` unless the database is at this package's latest migration."""
    current, head = revision_of(engine), head_revision()
    if current != head:
        where = "empty" if current is None else f"at migration {current}"
        raise StoreError(
            f"the store at {_shown(engine)} is {where}; this kol needs migration {head}: run "
            "`kol db upgrade --database URL` (kol index does it when it starts)"
        )


def _shown(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__
