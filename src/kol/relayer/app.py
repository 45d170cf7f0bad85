"""The relayer over HTTP: a FastAPI router to mount in the API, or an application of its own.

=========================================  ==================================================
``GET  /relay``                            chain id, council, the relayer's address, limits,
                                           queue counts
``GET  /relay/typed-data/ballot``          the ``eth_signTypedData_v4`` JSON of a ballot
                                           (``voter``, ``stage_id``, ``choice``[, ``expiry``])
``GET  /relay/typed-data/sponsorship``     the same for a sponsorship (``sponsor``,
                                           ``motion_id``[, ``expiry``])
``POST /relay/ballots``                    a signed ballot → 202 and the queued item
``POST /relay/sponsorships``               a signed sponsorship → 202 and the queued item
``GET  /relay/items/{id}``                 an item: queued, submitted (tx hash), included
                                           (with the council's result), or rejected (reason)
``GET  /relay/items?signer=0x…``           a signer's latest items
=========================================  ==================================================

Every refusal is JSON ``{"error": code, "reason": "…", "detail": "…"}`` (``detail`` repeats
the reason, as the read API words its errors) with a 4xx status: 400 malformed,
404 unknown item, 409 duplicate, 413 body too large, 422 refused by a rule (signature,
electorate, window, expiry), 429 rate limited (with ``Retry-After``); 503 when the chain cannot
be read. Nothing refused is queued.
"""

from __future__ import annotations

import json
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from kol.chain.rpc import ChainError
from kol.domain.eip712 import ballot_typed_data, sponsorship_typed_data
from kol.relayer.items import Kind, Rejection, is_decimal, parse_choice
from kol.relayer.service import Relayer

__all__ = ["build_router", "create_app"]


def _refusal(rejection: Rejection) -> JSONResponse:
    headers = {}
    if rejection.retry_after is not None:
        headers["Retry-After"] = str(max(1, math.ceil(rejection.retry_after)))
    return JSONResponse(
        {"error": rejection.code, "reason": rejection.reason, "detail": rejection.reason},
        status_code=rejection.status,
        headers=headers,
    )


async def _body(request: Request, limit: int) -> Any:
    """The request's JSON, read no further than ``limit`` bytes."""
    too_large = Rejection(413, "too_large", f"the body is larger than {limit:,} bytes")
    declared = request.headers.get("content-length")
    if declared is not None:
        if not is_decimal(declared):
            raise Rejection(400, "malformed", "Content-Length is not a number")
        if int(declared) > limit:
            raise too_large
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            raise too_large
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise Rejection(400, "malformed", "the body is not JSON (UTF-8)") from None


def _whole(params: Any, name: str, *, required: bool = True) -> int | None:
    text = params.get(name)
    if text is None:
        if required:
            raise Rejection(400, "malformed", f'"{name}": missing')
        return None
    if not is_decimal(text) or len(text) > 78:
        raise Rejection(400, "malformed", f'"{name}": a whole number')
    return int(text)


def build_router(relayer: Relayer) -> APIRouter:
    """The relayer's routes under ``/relay`` (see the module's docstring). Mounting the router
    does not submit anything: run the submitter with ``relayer.start()`` (or ``kol relayer
    serve``, which does)."""
    router = APIRouter(prefix="/relay", tags=["relayer"])
    limit = relayer.settings.max_body_bytes

    async def accept(request: Request, kind: Kind) -> JSONResponse:
        try:
            relayer.limit_client(request.client.host if request.client else "unknown")
            body = await _body(request, limit)
            item = await run_in_threadpool(relayer.accept, kind, body)
            view = await run_in_threadpool(relayer.describe, item)
        except Rejection as rejection:
            return _refusal(rejection)
        return JSONResponse(view, status_code=202, headers={"Location": f"/relay/items/{item.id}"})

    @router.get("", summary="The relayer: chain, council, its address, limits, queue")
    def info() -> JSONResponse:
        return JSONResponse(relayer.info())

    @router.post("/ballots", status_code=202, summary="Queue a signed ballot")
    async def ballots(request: Request) -> JSONResponse:
        return await accept(request, Kind.BALLOT)

    @router.post("/sponsorships", status_code=202, summary="Queue a signed sponsorship")
    async def sponsorships(request: Request) -> JSONResponse:
        return await accept(request, Kind.SPONSORSHIP)

    @router.get("/items/{item_id}", summary="An item's status")
    def item(item_id: str) -> JSONResponse:
        if not is_decimal(item_id) or len(item_id) > 18:
            return _refusal(Rejection(400, "malformed", "an item id is a whole number"))
        found = relayer.queue.get(int(item_id))
        if found is None:
            return _refusal(Rejection(404, "not_found", f"no item {item_id}"))
        return JSONResponse(relayer.describe(found))

    @router.get("/items", summary="A signer's latest items")
    def items(request: Request) -> JSONResponse:
        from kol.domain.types import as_checksum_address

        signer = as_checksum_address(request.query_params.get("signer"))
        if signer is None:
            return _refusal(Rejection(400, "malformed", '"signer": an address'))
        try:
            count = _whole(request.query_params, "limit", required=False) or 50
        except Rejection as rejection:
            return _refusal(rejection)
        found = relayer.queue.by_signer(str(signer), min(count, 500))
        return JSONResponse({"items": [relayer.describe(i) for i in found]})

    @router.get("/typed-data/ballot", summary="The EIP-712 typed data of a ballot to sign")
    def ballot_data(request: Request) -> JSONResponse:
        params = request.query_params
        try:
            stage_id = _whole(params, "stage_id")
            assert stage_id is not None
            choice = parse_choice({"choice": params.get("choice")})
            stage = relayer.checker.alliance.stage(stage_id)
            if stage.motion_id == 0:
                raise Rejection(422, "no_such_stage", f"no stage {stage_id} has opened")
            expiry = _whole(params, "expiry", required=False) or stage.deadline
            typed = ballot_typed_data(
                chain_id=relayer.checker.chain_id,
                verifying_contract=relayer.checker.council,
                voter=str(params.get("voter", "")),
                motion_id=stage.motion_id,
                stage_id=stage_id,
                choice=choice,
                expiry=expiry,
            )
        except Rejection as rejection:
            return _refusal(rejection)
        except ValueError as error:
            return _refusal(Rejection(400, "malformed", str(error)))
        except ChainError as error:
            return _refusal(Rejection(503, "chain_unavailable", str(error)))
        return JSONResponse(typed)

    @router.get("/typed-data/sponsorship", summary="The EIP-712 typed data of a sponsorship")
    def sponsorship_data(request: Request) -> JSONResponse:
        params = request.query_params
        try:
            motion_id = _whole(params, "motion_id")
            assert motion_id is not None
            round_ = relayer.checker.alliance.sponsorship(motion_id)
            if round_ is None:
                raise Rejection(
                    422, "not_sponsoring", f"motion {motion_id} does not gather sponsors"
                )
            expiry = _whole(params, "expiry", required=False) or round_.deadline
            typed = sponsorship_typed_data(
                chain_id=relayer.checker.chain_id,
                verifying_contract=relayer.checker.council,
                sponsor=str(params.get("sponsor", "")),
                motion_id=motion_id,
                expiry=expiry,
            )
        except Rejection as rejection:
            return _refusal(rejection)
        except ValueError as error:
            return _refusal(Rejection(400, "malformed", str(error)))
        except ChainError as error:
            return _refusal(Rejection(503, "chain_unavailable", str(error)))
        return JSONResponse(typed)

    return router


def create_app(relayer: Relayer, *, submit: bool = True) -> FastAPI:
    """The relayer as an application of its own: the router, and (with ``submit`` and a key)
    the submitter running beside it for the application's lifetime."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        running = relayer.start() if submit and relayer.sender is not None else None
        try:
            yield
        finally:
            if running is not None:
                thread, stop = running
                stop.set()
                thread.join(timeout=30)

    app = FastAPI(
        title="KOL Alliance relayer",
        summary="Gasless ballots and sponsorships (constitution §4), relayed in batches",
        lifespan=lifespan,
    )
    app.include_router(build_router(relayer))
    return app
