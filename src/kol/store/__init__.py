"""The SQL store: the alliance's events and the state they reveal (SQLAlchemy 2, Alembic).

- :mod:`kol.store.models` — the tables (raw events, checkpoint, derived state);
- :mod:`kol.store.project` — events → derived tables (the only writer of derived rows);
- :mod:`kol.store.status` — what the clock decides (stage and motion status, attendance);
- :mod:`kol.store.db` — URLs, engines, migrations.

:class:`Store` bundles an engine and its sessions. The indexer writes (one writer per
deployment); the API and anyone else only read.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from kol.store.db import (
    ENV_URL,
    StoreError,
    check_schema,
    default_url,
    engine_for,
    session_factory,
    upgrade,
)

__all__ = ["ENV_URL", "Store", "StoreError", "default_url"]


@dataclass(frozen=True)
class Store:
    """A database holding the store's schema."""

    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = False) -> Store:
        """Opens the store at ``url`` (default: ``KOL_DATABASE_URL`` or ``.kol/store.sqlite3``).
        With ``migrate`` the schema is brought to the latest migration first; without, a
        store that is not at it is refused (:class:`StoreError` says what to run)."""
        engine = engine_for(url)
        if migrate:
            upgrade(engine)
        else:
            check_schema(engine)
        return cls(engine, session_factory(engine))

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()
