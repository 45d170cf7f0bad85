"""schemathesis against the read API's own OpenAPI document, over a store indexed from anvil
(SQLite and PostgreSQL): every operation, examples, coverage and fuzzing phases with valid and
invalid data, a bounded number of examples each (``tests/api/fuzzing.py``). No 5xx; every
status, content type, header and body is one the document declares; invalid data is refused
and valid data accepted; every 4xx is ``{"error", "detail"}`` with a message. What it found is
kept below as regression cases."""

from __future__ import annotations

from typing import Any, Final

import pytest
from fastapi.testclient import TestClient

from kol.api import create_app
from kol.store import Store
from tests.api import fuzzing

MAX_EXAMPLES: Final = 20
"""Fuzzed examples per operation and mode; the coverage phase adds its own per parameter."""


def _tolerated(case: Any, response: Any) -> str | None:
    """The refusals of schema-valid requests that the document cannot state."""
    if response.status_code != 422:
        return None
    body = response.json()
    if "checksum" in body["detail"]:
        return "a mixed-case address whose EIP-55 checksum is wrong"
    if "is after to_block" in body["detail"]:
        return "a block range that ends before it starts"
    if body["error"] in ("invalid list", "wrong list"):
        return "a list that is not the one stated on-chain (root, content hash, leaf types)"
    return None


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_every_operation__schemathesis__conforms_never_5xx_errors_json(
    stores: dict[str, Store], backend: str
) -> None:
    app = create_app(stores[backend], clock=lambda: 0)
    report = fuzzing.run(app, max_examples=MAX_EXAMPLES, tolerated=_tolerated)
    print(f"schemathesis, {backend}: {report.summary()}; statuses {dict(report.statuses)}")
    documented = {
        f"{method.upper()} {path}"
        for path, methods in app.openapi()["paths"].items()
        for method in methods
    }
    assert len(documented) >= 29 and report.operations == documented
    assert all(report.per_operation[o] > 0 for o in documented)
    assert not report.errors, "\n".join(report.errors)
    assert not report.failures, "\n\n".join(report.failures)
    assert not any(status >= 500 for status in report.statuses)


# FOUND BY SCHEMATHESIS #


@pytest.fixture
def api(stores: dict[str, Store]) -> TestClient:
    return TestClient(create_app(stores["sqlite"], clock=lambda: 0))


def test_post_list__not_json__400_is_documented(api: TestClient) -> None:
    """A body that is not JSON got a 400 the document did not declare."""
    response = api.post(
        "/batches/1/list",
        content=b"\x11\x19\xffX\x0e",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400 and set(response.json()) == {"error", "detail"}
    declared = api.get("/openapi.json").json()["paths"]["/batches/{batch_id}/list"]["post"]
    assert declared["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"
    }


@pytest.mark.parametrize("method", ["TRACE", "DELETE", "PUT", "PATCH"])
def test_undeclared_method__405_names_the_allowed_ones(api: TestClient, method: str) -> None:
    """A 405 carried no ``Allow`` header (RFC 9110) and said only "Method Not Allowed"."""
    for path, allowed in (("/status", "GET"), ("/batches/1/list", "POST")):
        response = api.request(method, path)
        assert response.status_code == 405 and response.headers["Allow"] == allowed
        body = response.json()
        assert body["error"] == "method not allowed"
        assert body["detail"] == f"{method} is not served at {path}: it takes {allowed}"


def test_document__addresses_and_lists_have_a_shape(api: TestClient) -> None:
    """The document called an address any string and a published list any JSON, so that
    schema-valid requests were refused: it states their shape now (the API checks them)."""
    spec = api.get("/openapi.json").json()
    parameters = {
        (path, p["name"]): p["schema"]
        for path, methods in spec["paths"].items()
        for operation in methods.values()
        for p in operation.get("parameters", [])
    }
    for where in (
        ("/members/{address}", "address"),
        ("/members/{address}/ballots", "address"),
        ("/batches/{batch_id}/proofs/{address}", "address"),
        ("/genesis/leaders/{address}", "address"),
        ("/motions", "proposer"),
        ("/tasks", "client"),
        ("/claims", "account"),
    ):
        assert parameters[where]["pattern"] == "^0x[0-9a-fA-F]{40}$", where
    for path in ("/batches/{batch_id}/list", "/genesis/months/{month}/list"):
        body = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        assert body["schema"]["required"] == ["format", "leafEncoding", "tree", "values"]
    # the pattern is documented, the API's own words still say what is wrong
    refused = api.get("/members/0x1234")
    assert refused.status_code == 422 and "not an address" in refused.json()["detail"]
