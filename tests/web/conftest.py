"""The web dapp over the indexer scenario's chain (``tests/indexer/scenario.py``), indexed once
per session into SQLite, with the batch's and the genesis month's published lists given."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kol.api.read import Reader
from kol.chain.anvil import Anvil
from kol.indexer import Indexer, open_source
from kol.store import Store
from kol.web import create_site
from tests.conftest import _require_anvil
from tests.indexer.scenario import Played, shared_chain


@pytest.fixture(scope="session")
def web_played(tmp_path_factory: pytest.TempPathFactory) -> tuple[Anvil, Played]:
    _require_anvil()
    return shared_chain(tmp_path_factory.mktemp("web-chain"))


def give_lists(store: Store, played: Played) -> None:
    """The batch's and the genesis month's published lists, as an operator gives them."""
    with store.sessions() as session:
        reader = Reader(session, 0)
        reader.store_list("batch", played.batch_id, played.allocation.tree().dump())
        reader.store_list("genesis", 1, played.schedule.month_tree(1).dump())


def indexed_store(path: Path, played: Played) -> Store:
    store = Store.open(f"sqlite:///{path}", migrate=True)
    source, _ = open_source(played.deployment)
    Indexer(store, source, confirmations=0).run_once()
    give_lists(store, played)
    return store


@pytest.fixture(scope="session")
def web_store(
    web_played: tuple[Anvil, Played], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    store = indexed_store(tmp_path_factory.mktemp("web") / "store.sqlite3", web_played[1])
    yield store
    store.close()


@pytest.fixture
def site(web_store: Store, web_played: tuple[Anvil, Played]) -> TestClient:
    """The API with the dapp at /web; its clock is the chain's."""
    app = create_site(web_store, clock=lambda: 0, deployment=web_played[1].deployment)
    return TestClient(app, follow_redirects=False)
