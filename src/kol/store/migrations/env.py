"""Alembic's environment for the store: the models' metadata, the engine the caller passes
(``kol.store.db.upgrade``), or ``sqlalchemy.url`` / ``KOL_DATABASE_URL`` when run by hand."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from kol.store.db import engine_for
from kol.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if not isinstance(engine, Engine):
        engine = engine_for(config.get_main_option("sqlalchemy.url") or None)
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("the store's migrations run online only (kol db upgrade)")
run_migrations_online()
