"""Whatever is sent, the API answers with JSON and never a 5xx: every route of its OpenAPI
document is called with hostile path and query values; ``kol api`` serves over HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from kol.chain.anvil import free_port
from kol.store import Store

HOSTILE = [
    "0",
    "-1",
    "abc",
    "1e3",
    "99999999999999999999999999999999",
    "0x",
    "0x" + "g" * 40,
    "%00",
    "' OR 1=1 --",
    "社区",
    " ",
    "1.5",
]


def _routes(spec: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    found = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            queries = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            found.append((method.upper(), path, queries))
    return found


def test_every_route__hostile_values__4xx_json_never_5xx(client: TestClient) -> None:
    routes = _routes(client.get("/openapi.json").json())
    assert len(routes) >= 28
    for method, path, queries in routes:
        for value in HOSTILE:
            url = path
            while "{" in url:
                start, end = url.index("{"), url.index("}")
                url = url[:start] + value + url[end + 1 :]
            params = {name: value for name in queries}
            if method == "GET":
                response = client.get(url, params=params)
            else:
                response = client.post(url, params=params, content=value.encode())
            assert response.status_code < 500, (method, url, params, response.text)
            body = response.json()
            if response.status_code >= 400:
                assert set(body) == {"error", "detail"}, (method, url, body)


def test_post_list__huge_or_nested_garbage__refused_not_crashed(client: TestClient) -> None:
    for body in (
        {"format": "standard-v1", "leafEncoding": ["uint256"], "tree": [], "values": []},
        {"format": "standard-v1", "leafEncoding": "uint256", "tree": "x", "values": 3},
        {"format": "standard-v1", "leafEncoding": ["address"], "tree": ["0x00"], "values": [{}]},
        {"format": ["x"] * 1_000},
        [[[[[]]]]],
        "a string",
        None,
    ):
        response = client.post("/batches/1/list", json=body)
        assert 400 <= response.status_code < 500, response.text
        assert set(response.json()) == {"error", "detail"}


def test_kol_api__serves_the_store_over_http(stores: dict[str, Store], tmp_path: Path) -> None:
    port = free_port()
    kol = str(Path(sys.executable).parent / "kol")
    url = stores["sqlite"].url
    process = subprocess.Popen(
        [kol, "api", "--database", url, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/status", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "kol api did not answer"
                time.sleep(0.1)
        assert response.status_code == 200 and response.json()["chain_id"] == 31_337
        missing = httpx.get(f"http://127.0.0.1:{port}/motions/999", timeout=5)
        assert missing.status_code == 404 and json.loads(missing.text)["error"] == "not found"
    finally:
        process.terminate()
        process.wait(10)


def test_kol_api__store_not_migrated__refused_with_what_to_run(tmp_path: Path) -> None:
    kol = str(Path(sys.executable).parent / "kol")
    done = subprocess.run(
        [kol, "api", "--database", f"sqlite:///{tmp_path / 'empty.sqlite3'}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "kol db upgrade" in done.stderr


@pytest.mark.parametrize("limit", [1, 500])
def test_pages__bounds_accepted(client: TestClient, limit: int) -> None:
    page = client.get("/events", params={"limit": limit}).json()
    assert len(page["items"]) == min(limit, page["total"]) and page["limit"] == limit
