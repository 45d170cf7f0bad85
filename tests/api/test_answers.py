"""The API's answer cache (``kol.api.answers``): a repeated GET is served from memory, with
the bytes the endpoint gave; a new range of the indexer, another second, a stored list or a
reorg gives a fresh answer; errors, the lists-folder routes and the web pages are never kept."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from kol.api import create_app
from kol.api.answers import AnswerCache
from kol.chain.anvil import Anvil
from kol.indexer import Indexer, open_source
from kol.store import Store
from kol.store.db import transaction
from kol.store.models import Checkpoint
from kol.web import create_site
from tests.indexer.scenario import NODES, Played


@pytest.fixture
def growing(played: tuple[Anvil, Played], tmp_path: Path) -> tuple[Store, Indexer]:
    """A store the indexer has filled with the scenario's first blocks only."""
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite3'}", migrate=True)
    source, _ = open_source(played[1].deployment)
    indexer = Indexer(store, source, confirmations=0, range_size=40)
    indexer.step()
    return store, indexer


def _clocked(store: Store, at: list[int]) -> TestClient:
    return TestClient(create_app(store, clock=lambda: at[0]))


def test_a_repeated_get__served_from_memory_with_the_same_bytes(
    growing: tuple[Store, Indexer],
) -> None:
    store, _ = growing
    client = _clocked(store, [0])
    plain = TestClient(create_app(store, clock=lambda: 0, answer_cache=False))
    for path in ("/status", "/members?limit=5", "/events?limit=20&order=desc", "/supply"):
        first, second = client.get(path), client.get(path)
        assert (first.status_code, second.status_code) == (200, 200)
        assert first.headers["x-kol-cache"] == "miss" and second.headers["x-kol-cache"] == "hit"
        assert second.content == first.content == plain.get(path).content
        assert "x-kol-cache" not in plain.get(path).headers
    assert client.get("/members?limit=6").headers["x-kol-cache"] == "miss"  # another query


def test_a_new_range__the_next_get_answers_from_it(growing: tuple[Store, Indexer]) -> None:
    store, indexer = growing
    client = _clocked(store, [0])
    before = client.get("/events?limit=1").json()["total"]
    assert client.get("/events?limit=1").headers["x-kol-cache"] == "hit"
    while indexer.step().kind == "ingested" and indexer.checkpoint()[0] < 80:
        pass
    after = client.get("/events?limit=1")
    assert after.headers["x-kol-cache"] == "miss"
    assert after.json()["total"] > before
    assert (
        after.json()["total"]
        == TestClient(create_app(store, answer_cache=False)).get("/events?limit=1").json()["total"]
    )


def test_another_second__a_fresh_answer_judged_then(growing: tuple[Store, Indexer]) -> None:
    store, _ = growing
    at = [0]
    client = _clocked(store, at)
    client.get("/status")
    at[0] = 4_000_000_000  # long after every deadline of the chain
    later = client.get("/status")
    assert later.headers["x-kol-cache"] == "miss"
    assert client.get("/status").headers["x-kol-cache"] == "hit"


def test_a_reorg__another_hash_at_the_same_height_is_another_version(
    growing: tuple[Store, Indexer],
) -> None:
    store, _ = growing
    client = _clocked(store, [0])
    client.get("/status")
    with transaction(store.sessions) as s:
        s.execute(update(Checkpoint).where(Checkpoint.id == 1).values(block_hash="0x" + "ab" * 32))
    assert client.get("/status").headers["x-kol-cache"] == "miss"


def test_errors_and_lists_folder_routes__never_kept(growing: tuple[Store, Indexer]) -> None:
    store, _ = growing
    client = _clocked(store, [0])
    for _ in range(2):
        missing = client.get("/motions/999999")
        assert missing.status_code == 404 and missing.headers["x-kol-cache"] == "miss"
        refused = client.get("/members/0xnothing")
        assert refused.status_code == 422 and refused.headers["x-kol-cache"] == "miss"
        leader = client.get(f"/genesis/leaders/{NODES[0].address}")
        assert "x-kol-cache" not in leader.headers


def test_web_pages__never_kept(growing: tuple[Store, Indexer]) -> None:
    store, _ = growing
    site = TestClient(create_site(store, clock=lambda: 0))
    for _ in range(2):
        page = site.get("/web/?lang=en")
        assert page.status_code == 200 and "x-kol-cache" not in page.headers
    site.get("/status")
    assert site.get("/status").headers["x-kol-cache"] == "hit"  # the API beside them is


async def _counting_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    _counting_app.calls += 1  # type: ignore[attr-defined]
    body = scope["path"].encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def test_bounded__the_least_recently_used_answer_goes_first(
    growing: tuple[Store, Indexer],
) -> None:
    store, _ = growing
    _counting_app.calls = 0  # type: ignore[attr-defined]
    cache = AnswerCache(
        _counting_app, store=store, clock=lambda: 0, paths=[re.compile("^/x/")], entries=2
    )
    client = TestClient(cache)  # type: ignore[arg-type]
    for path in ("/x/1", "/x/2", "/x/1", "/x/3", "/x/1", "/x/2", "/y/1", "/y/1"):
        assert client.get(path).text == path
    # /x/1, /x/2 made; /x/1 kept; /x/3 made (/x/2 out); /x/1 kept; /x/2 made again; /y never
    assert _counting_app.calls == 6  # type: ignore[attr-defined]
    assert (cache.hits, cache.misses) == (2, 4)
