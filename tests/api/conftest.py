"""The API over the scenario's chain, indexed once per session into SQLite and into the
machine's PostgreSQL; each API test runs against both."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from fastapi.testclient import TestClient

from kol.api import create_app
from kol.chain.anvil import Anvil
from kol.indexer import Indexer, open_source
from kol.store import Store
from tests.conftest import _require_anvil
from tests.indexer.scenario import Played, shared_chain
from tests.store.support import postgres_database


@pytest.fixture(scope="session")
def played(tmp_path_factory: pytest.TempPathFactory) -> tuple[Anvil, Played]:
    _require_anvil()
    return shared_chain(tmp_path_factory.mktemp("indexed-chain"))


@pytest.fixture(scope="session")
def stores(
    played: tuple[Anvil, Played], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Store]]:
    with ExitStack() as stack:
        urls = {
            "sqlite": f"sqlite:///{tmp_path_factory.mktemp('api') / 'store.sqlite3'}",
            "postgresql": stack.enter_context(postgres_database()),
        }
        found: dict[str, Store] = {}
        for backend, url in urls.items():
            store = Store.open(url, migrate=True)
            stack.callback(store.close)
            source, _ = open_source(played[1].deployment)
            Indexer(store, source, confirmations=0).run_once()
            found[backend] = store
        yield found


@pytest.fixture(params=["sqlite", "postgresql"])
def client(request: pytest.FixtureRequest, stores: dict[str, Store]) -> TestClient:
    """The API on one of the two stores; its clock is the chain's (the last block's time)."""
    return TestClient(create_app(stores[request.param], clock=lambda: 0))
