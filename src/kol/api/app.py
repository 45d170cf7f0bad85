"""The read API (FastAPI): the alliance as the store holds it, for the web dapp and anyone else.

Every answer is JSON; every error is ``{"error": ..., "detail": ...}`` with a 4xx status for
bad input (validation errors are reworded), 404 for unknown ids, 503 when the store cannot be
read — never a bare 500. Lists are paged with ``limit`` (1–500, default 50) and ``offset``.
Deadlines are judged at ``now`` = the later of the wall clock and the last indexed block's
time (a devnet's clock may run ahead of the wall clock). API processes hold no state: run as
many side by side as needed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Final, Literal

from fastapi import Body, Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException

from kol import __version__
from kol.api import schemas as out
from kol.api.answers import AnswerCache
from kol.api.read import MOTION_STATUSES, ApiProblem, Reader, TreeCache
from kol.domain.types import as_checksum_address
from kol.store import Store
from kol.store.models import Checkpoint

__all__ = ["create_app"]

MAX_LIMIT: Final = 500
MAX_ID: Final = 2**62
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page (1–500).")]
Offset = Annotated[int, Query(ge=0, le=MAX_ID, description="Items to skip.")]
Id = Annotated[int, PathParam(ge=1, le=MAX_ID)]
ADDRESS_PATTERN: Final = r"^0x[0-9a-fA-F]{40}$"
_ADDRESS_DOC: Final = "0x and 40 hex digits; a mixed-case address must carry its EIP-55 checksum."
# The pattern is stated in the document but checked by ``_address`` (with the checksum, which
# no pattern can state), so that a bad address is refused with the API's own words.
AddressPath = Annotated[
    str, PathParam(description=_ADDRESS_DOC, json_schema_extra={"pattern": ADDRESS_PATTERN})
]


def _address_query(what: str) -> Any:
    return Query(
        description=f"{what}: {_ADDRESS_DOC}", json_schema_extra={"pattern": ADDRESS_PATTERN}
    )


Order = Annotated[Literal["asc", "desc"], Query(description="By id or block: asc or desc.")]
TASK_STATES: Final = {"requested": 1, "approved": 2, "refunded": 3, "matched": 4}
STANDARD_V1: Final[dict[str, Any]] = {
    "type": "object",
    "required": ["format", "leafEncoding", "tree", "values"],
    "properties": {
        "format": {"const": "standard-v1"},
        "leafEncoding": {"type": "array", "items": {"type": "string"}},
        "tree": {
            "type": "array",
            "items": {"type": "string", "pattern": "^0x[0-9a-fA-F]{64}$"},
        },
        "values": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["value", "treeIndex"],
                "properties": {
                    "value": {"type": "array"},
                    "treeIndex": {"type": "integer", "minimum": 0},
                },
            },
        },
    },
}
"""The shape of a published list (OpenZeppelin's ``standard-v1`` dump), for the document; the
reader checks it (and that the tree is the one stated on-chain) with its own messages."""
ListBody = Annotated[
    Any,
    Body(
        description="The list: OpenZeppelin standard-v1 JSON, the one whose Merkle root and "
        "content hash are stated on-chain.",
        json_schema_extra=STANDARD_V1,
    ),
]
UNCACHED: Final = frozenset({"/batches/{batch_id}/proofs/{address}", "/genesis/leaders/{address}"})
"""GET routes whose answers may depend on the lists folder, not only on the store."""
ERRORS: Final = {400: "bad request", 404: "not found", 405: "method not allowed", 409: "conflict"}


def _address(value: str, what: str = "address") -> str:
    address = as_checksum_address(value)
    if address is None:
        raise ApiProblem(
            422,
            "invalid request",
            f"{what} {value!r} is not an address (0x and 40 hex digits; a mixed-case address "
            "must carry a valid checksum)",
        )
    return str(address)


def _where(location: tuple[Any, ...]) -> str:
    parts = [str(p) for p in location]
    if parts and parts[0] in ("query", "path", "body", "header"):
        kind = {"query": "query parameter", "path": "path parameter"}.get(parts[0], parts[0])
        rest = ".".join(parts[1:])
        return f"{kind} {rest}".strip()
    return ".".join(parts) or "request"


def _wall_clock() -> int:
    return int(time.time())


@dataclass(frozen=True)
class _Context:
    store: Store
    trees: TreeCache
    lists_dir: Path | None
    clock: Callable[[], int]


def _reader(request: Request) -> Iterator[Reader]:
    """One session per request, and the instant deadlines are judged at."""
    context: _Context = request.app.state.kol
    with context.store.sessions() as session:
        checkpoint = session.get(Checkpoint, 1)
        chain_time = checkpoint.block_time if checkpoint is not None else 0
        # the answer cache names the instant its key was made at (kol.api.answers)
        keyed_at = getattr(request.state, "kol_now", None)
        now = max(context.clock() if keyed_at is None else int(keyed_at), chain_time)
        yield Reader(session, now, trees=context.trees, lists_dir=context.lists_dir)


Read = Annotated[Reader, Depends(_reader)]


def create_app(
    store: Store,
    *,
    lists_dir: Path | None = None,
    clock: Callable[[], int] | None = None,
    answer_cache: bool = True,
) -> FastAPI:
    """The API over ``store``. ``lists_dir`` is a folder of published lists that batch and
    genesis URIs may name; ``clock`` replaces the wall clock (tests); ``answer_cache`` keeps
    each GET's answer for the store's version and second (:mod:`kol.api.answers`)."""
    app = FastAPI(
        title="KOL Community Alliance API",
        version=__version__,
        description=(
            "The alliance's state as its contracts' events reveal it: members, motions, "
            "stages and ballots, tasks, batches and proofs, genesis entitlements, the "
            "foundation's books, supply and history. Amounts are decimal strings of base units."
        ),
        responses={
            400: {"model": out.ErrorBody},
            404: {"model": out.ErrorBody},
            422: {"model": out.ErrorBody},
            503: {"model": out.ErrorBody},
        },
    )
    app.state.kol = _Context(store, TreeCache({}), lists_dir, clock or _wall_clock)

    # errors ------------------------------------------------------------------------------

    @app.exception_handler(ApiProblem)
    async def problem(request: Request, error: ApiProblem) -> JSONResponse:
        return JSONResponse({"error": error.error, "detail": error.detail}, error.status)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        details = [f"{_where(tuple(e.get('loc', ())))}: {e.get('msg')}" for e in error.errors()]
        return JSONResponse(
            {"error": "invalid request", "detail": "; ".join(details) or "invalid request"}, 422
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        word = ERRORS.get(error.status_code, "error")
        detail = str(error.detail)
        if error.status_code == 404 and detail == "Not Found":
            detail = f"no such endpoint: {request.url.path} (the endpoints are listed at /docs)"
        allow = (error.headers or {}).get("Allow")
        if error.status_code == 405 and allow and detail == "Method Not Allowed":
            detail = f"{request.method} is not served at {request.url.path}: it takes {allow}"
        # keeps the headers the error carries: a 405's Allow (RFC 9110) names the methods
        return JSONResponse({"error": word, "detail": detail}, error.status_code, error.headers)

    @app.exception_handler(SQLAlchemyError)
    async def store_error(request: Request, error: SQLAlchemyError) -> JSONResponse:
        return JSONResponse(
            {"error": "store unavailable", "detail": f"the store could not be read: {error}"}, 503
        )

    # the alliance ------------------------------------------------------------------------

    @app.get("/status", response_model=out.Status, summary="The alliance at a glance")
    def status(r: Read) -> out.Status:
        return r.status()

    @app.get("/parameters", response_model=out.Parameters, summary="Parameters of §10")
    def parameters(r: Read) -> out.Parameters:
        return r.parameters()

    @app.get("/supply", response_model=out.SupplyOut, summary="Supply per issuance bucket")
    def supply(r: Read) -> out.SupplyOut:
        return r.supply()

    # members -----------------------------------------------------------------------------

    @app.get("/members", response_model=out.Page[out.MemberOut], summary="Members")
    def members(
        r: Read,
        limit: Limit = 50,
        offset: Offset = 0,
        role: Annotated[
            Literal["all", "node", "super", "candidate", "banned"],
            Query(description="Seated nodes, super nodes, the candidate pool, or the banned."),
        ] = "all",
    ) -> out.Page[out.MemberOut]:
        return r.members(role, limit, offset)

    @app.get("/members/{address}", response_model=out.MemberDetail, summary="One member")
    def member(r: Read, address: AddressPath) -> out.MemberDetail:
        return r.member(_address(address))

    @app.get(
        "/members/{address}/ballots",
        response_model=out.Page[out.BallotOut],
        summary="A member's ballots, newest first",
    )
    def member_ballots(
        r: Read, address: AddressPath, limit: Limit = 50, offset: Offset = 0
    ) -> out.Page[out.BallotOut]:
        return r.ballots_of(_address(address), limit, offset)

    @app.get("/queues", response_model=out.Queues, summary="The alternate queues, in order")
    def queues(r: Read) -> out.Queues:
        return r.queues()

    @app.get(
        "/forfeitures", response_model=out.Page[out.ForfeitureOut], summary="Seats forfeited (§6)"
    )
    def forfeitures(r: Read, limit: Limit = 50, offset: Offset = 0) -> out.Page[out.ForfeitureOut]:
        return r.forfeitures(limit, offset)

    # motions -----------------------------------------------------------------------------

    @app.get("/motions", response_model=out.Page[out.MotionOut], summary="Motions")
    def motions(
        r: Read,
        limit: Limit = 50,
        offset: Offset = 0,
        kind: Annotated[int | None, Query(ge=1, le=12, description="Motion kind, 1–12.")] = None,
        proposer: Annotated[str | None, _address_query("The proposer")] = None,
        status: Annotated[
            Literal[
                "sponsoring", "voting", "passed", "executed", "failed", "lapsed", "awaiting_stage"
            ]
            | None,
            Query(description="The status now."),
        ] = None,
        order: Order = "desc",
    ) -> out.Page[out.MotionOut]:
        return r.motions(
            kind=kind,
            proposer=None if proposer is None else _address(proposer, "proposer"),
            status=None if status is None else MOTION_STATUSES[status],
            newest_first=order == "desc",
            limit=limit,
            offset=offset,
        )

    @app.get("/motions/{motion_id}", response_model=out.MotionDetail, summary="One motion")
    def motion(r: Read, motion_id: Id) -> out.MotionDetail:
        return r.motion(motion_id)

    @app.get("/stages/{stage_id}", response_model=out.StageDetail, summary="One stage")
    def stage(r: Read, stage_id: Id) -> out.StageDetail:
        return r.stage(stage_id)

    @app.get(
        "/stages/{stage_id}/electorate",
        response_model=out.Electorate,
        summary="Who may vote in a stage, and how each voted",
    )
    def electorate(r: Read, stage_id: Id) -> out.Electorate:
        return r.electorate(stage_id)

    # tasks, batches, claims --------------------------------------------------------------

    @app.get("/tasks", response_model=out.Page[out.TaskOut], summary="Client tasks")
    def tasks(
        r: Read,
        limit: Limit = 50,
        offset: Offset = 0,
        state: Annotated[
            Literal["requested", "approved", "refunded", "matched"] | None, Query()
        ] = None,
        client: Annotated[str | None, _address_query("The client")] = None,
    ) -> out.Page[out.TaskOut]:
        return r.tasks(
            None if state is None else TASK_STATES[state],
            None if client is None else _address(client, "client"),
            limit,
            offset,
        )

    @app.get("/tasks/{task_id}", response_model=out.TaskOut, summary="One task")
    def task(r: Read, task_id: Id) -> out.TaskOut:
        return r.task(task_id)

    @app.get("/batches", response_model=out.Page[out.BatchOut], summary="Distribution batches")
    def batches(r: Read, limit: Limit = 50, offset: Offset = 0) -> out.Page[out.BatchOut]:
        return r.batches(limit, offset)

    @app.get("/batches/{batch_id}", response_model=out.BatchDetail, summary="One batch")
    def batch(r: Read, batch_id: Id) -> out.BatchDetail:
        return r.batch(batch_id)

    @app.get(
        "/batches/{batch_id}/proofs/{address}",
        response_model=out.Proofs,
        summary="An account's leaves in a batch's list, with their Merkle proofs",
    )
    def proofs(r: Read, batch_id: Id, address: AddressPath) -> out.Proofs:
        return r.proofs(batch_id, _address(address))

    @app.post(
        "/batches/{batch_id}/list",
        response_model=out.ListStored,
        summary="Give the API a batch's published list (checked against root and hash)",
    )
    def batch_list(
        r: Read,
        batch_id: Id,
        body: ListBody,
    ) -> out.ListStored:
        return r.store_list("batch", batch_id, body)

    @app.get("/claims", response_model=out.Page[out.ClaimOut], summary="KOL paid from pools")
    def claims(
        r: Read,
        limit: Limit = 50,
        offset: Offset = 0,
        account: Annotated[str | None, _address_query("The recipient")] = None,
        batch_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
        kind: Annotated[Literal["user", "leader", "genesis"] | None, Query()] = None,
    ) -> out.Page[out.ClaimOut]:
        return r.claims(
            None if account is None else _address(account, "account"),
            batch_id,
            kind,
            limit,
            offset,
        )

    # genesis -----------------------------------------------------------------------------

    @app.get("/genesis", response_model=out.Genesis, summary="The genesis programme (§8)")
    def genesis(r: Read) -> out.Genesis:
        return r.genesis()

    @app.get(
        "/genesis/months/{month}", response_model=out.GenesisMonthOut, summary="A released month"
    )
    def genesis_month(
        r: Read, month: Annotated[int, PathParam(ge=1, le=255)]
    ) -> out.GenesisMonthOut:
        return r.genesis_month(month)

    @app.post(
        "/genesis/months/{month}/list",
        response_model=out.ListStored,
        summary="Give the API a month's published list (checked against root and hash)",
    )
    def genesis_list(
        r: Read,
        month: Annotated[int, PathParam(ge=1, le=255)],
        body: ListBody,
    ) -> out.ListStored:
        return r.store_list("genesis", month, body)

    @app.get(
        "/genesis/leaders/{address}",
        response_model=out.LeaderGenesis,
        summary="A leader's genesis entitlement, claims and proof",
    )
    def leader(r: Read, address: AddressPath) -> out.LeaderGenesis:
        return r.leader(_address(address))

    # the books ---------------------------------------------------------------------------

    @app.get("/statements", response_model=out.Page[out.StatementOut], summary="Statements")
    def statements(r: Read, limit: Limit = 50, offset: Offset = 0) -> out.Page[out.StatementOut]:
        return r.statements(limit, offset)

    @app.get("/audits", response_model=out.Page[out.AuditOut], summary="Audit demands")
    def audits(r: Read, limit: Limit = 50, offset: Offset = 0) -> out.Page[out.AuditOut]:
        return r.audits(limit, offset)

    @app.get("/audits/{demand_id}", response_model=out.AuditOut, summary="One audit demand")
    def audit(r: Read, demand_id: Id) -> out.AuditOut:
        return r.audit(demand_id)

    @app.get("/burns", response_model=out.Page[out.BurnOut], summary="Buyback burns (§9)")
    def burns(r: Read, limit: Limit = 50, offset: Offset = 0) -> out.Page[out.BurnOut]:
        return r.burns(limit, offset)

    @app.get("/spendings", response_model=out.Page[out.SpendingOut], summary="Foundation payments")
    def spendings(r: Read, limit: Limit = 50, offset: Offset = 0) -> out.Page[out.SpendingOut]:
        return r.spendings(limit, offset)

    # history -----------------------------------------------------------------------------

    @app.get("/events", response_model=out.Page[out.EventOut], summary="History: raw events")
    def events(
        r: Read,
        limit: Limit = 50,
        offset: Offset = 0,
        name: Annotated[
            str | None, Query(max_length=64, pattern=r"^[A-Za-z]+$", description="Event name.")
        ] = None,
        contract: Annotated[
            Literal["council", "motions", "token", "treasury"] | None, Query()
        ] = None,
        from_block: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
        to_block: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
        tx_hash: Annotated[str | None, Query(pattern=r"^0x[0-9a-fA-F]{64}$")] = None,
        order: Order = "asc",
    ) -> out.Page[out.EventOut]:
        if from_block is not None and to_block is not None and from_block > to_block:
            raise ApiProblem(
                422,
                "invalid request",
                f"from_block {from_block} is after to_block {to_block}",
            )
        return r.events(
            name=name,
            contract=contract,
            from_block=from_block,
            to_block=to_block,
            tx_hash=tx_hash,
            newest_first=order == "desc",
            limit=limit,
            offset=offset,
        )

    cached = [
        route.path_regex
        for route in app.routes
        if isinstance(route, APIRoute)
        and "GET" in (route.methods or ())
        and route.path not in UNCACHED
    ]
    if answer_cache:
        app.add_middleware(AnswerCache, store=store, clock=app.state.kol.clock, paths=cached)
    return app
