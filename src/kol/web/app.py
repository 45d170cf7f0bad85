"""The web dapp: server-rendered pages over the API's reader, a little JavaScript for the wallet.

Pages are rendered from the same store the read API serves (``kol.api.read.Reader``), in
Chinese by default or English (``?lang=en``, remembered in a cookie). The connected wallet's
address is remembered in the ``kol_account`` cookie so that the pages that depend on it
(dashboard, my claims, genesis) render for it. The browser talks to the chain only through the
member's own wallet (EIP-6963 / EIP-1193): ballots are EIP-712 signatures POSTed to the
relayer (``/relay/ballots``), claims and task requests are transactions the wallet sends.

:func:`create_site` is the API with the dapp mounted at ``/web`` (and the relayer's routes
when given); :func:`create_web_app` is the dapp alone.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import httpx
from eth_utils.crypto import keccak
from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException

from kol.api import create_app
from kol.api.read import ApiProblem, Reader, TreeCache
from kol.api.schemas import Genesis, LeaderGenesis, MotionDetail, StageOut
from kol.chain.deployment import Deployment
from kol.domain.eip712 import ballot_typed_data
from kol.domain.types import as_checksum_address
from kol.store import Store
from kol.store.models import Checkpoint
from kol.web.devwallet import DevWallet
from kol.web.devwallet import build_router as build_dev_wallet_router
from kol.web.i18n import LANGS, Translator, catalogue, pick_lang
from kol.web.propose import FORM_KINDS, Refusal, Roles, build, claim_genesis_calldata
from kol.web.propose import propose_calldata as _propose_calldata

__all__ = ["create_site", "create_web_app"]

_HERE: Final = Path(__file__).parent
ZERO_ADDRESS: Final = "0x" + "00" * 20
PAGE_SIZE: Final = 50
LANG_COOKIE: Final = "kol_lang"
ACCOUNT_COOKIE: Final = "kol_account"
ROLES: Final = {"user": 0, "leader": 1}
CHAMBERS: Final = {"node": "chamber.node", "super": "chamber.super"}
SELECTORS: Final = {
    name: "0x" + keccak(text=signature)[:4].hex()
    for name, signature in {
        "approve": "approve(address,uint256)",
        "request_task": "request_task(uint8,bytes32,uint256)",
        "claim": "claim(uint256,uint256,address,uint8,uint256,bytes32[])",
    }.items()
}
"""The calls the pages ask the wallet to send (``static/abi.js`` encodes their arguments)."""


def _amount(value: str | int | None, decimals: int = 18) -> str:
    """Base units as a readable decimal: ``1234500000000000000000`` → ``1,234.5``."""
    if value is None:
        return "—"
    exact = Decimal(int(value)) / (Decimal(10) ** decimals)
    whole = int(exact)
    fraction = format(exact - whole, "f")[2:].rstrip("0")[:4] if exact != whole else ""
    return f"{whole:,}" + (f".{fraction}" if fraction else "")


def _date(timestamp: int | None) -> str:
    if not timestamp:
        return "—"
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _short(address: str | None) -> str:
    return "—" if not address else f"{address[:6]}…{address[-4:]}"


def _percent(part: int | str, whole: int | str) -> float:
    whole_n = int(whole)
    return 0.0 if whole_n <= 0 else min(100.0, 100.0 * int(part) / whole_n)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(_HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["kol"] = _amount
    env.filters["usdt"] = lambda v: _amount(v, 6)
    env.filters["date"] = _date
    env.filters["day"] = lambda v: _date(v)[:10]
    env.filters["short"] = _short
    env.globals["percent"] = _percent
    return env


@dataclass(frozen=True)
class _Site:
    store: Store
    trees: TreeCache
    lists_dir: Path | None
    clock: Callable[[], int]
    deployment: Deployment | None
    relay_url: str
    env: Environment


class _Missing(Exception):
    """A page for something that does not exist (bad id or address)."""


def _account(value: str | None) -> str | None:
    address = as_checksum_address(value) if value else None
    return None if address is None else str(address)


def _id(text: str) -> int:
    if not text.isdigit() or len(text) > 18 or int(text) < 1:
        raise _Missing(text)
    return int(text)


def _kind(t: Translator, kind: int) -> str:
    return t(f"mkind.{kind}") if 1 <= kind <= 12 else str(kind)


def create_web_app(
    store: Store,
    *,
    lists_dir: Path | None = None,
    clock: Callable[[], int] | None = None,
    deployment: Deployment | None = None,
    relay_url: str = "/relay",
    dev_wallet: DevWallet | None = None,
) -> FastAPI:
    """The dapp's pages over ``store``. ``deployment`` tells the pages the USDT contract (for
    the client's request form); ``relay_url`` is where ballots are POSTed (``…/ballots``);
    ``dev_wallet`` (a devnet's, ``kol up``) is offered to the pages at ``/dev-wallet``."""
    site = _Site(
        store,
        TreeCache({}),
        lists_dir,
        clock or (lambda: int(time.time())),
        deployment,
        relay_url.rstrip("/"),
        _environment(),
    )
    app = FastAPI(title="KOL Community Alliance — web", docs_url=None, redoc_url=None)
    app.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")
    if dev_wallet is not None:
        app.include_router(build_dev_wallet_router(dev_wallet))

    @contextmanager
    def reading() -> Iterator[Reader]:
        with site.store.sessions() as session:
            checkpoint = session.get(Checkpoint, 1)
            chain_time = checkpoint.block_time if checkpoint is not None else 0
            yield Reader(
                session,
                max(site.clock(), chain_time),
                trees=site.trees,
                lists_dir=site.lists_dir,
            )

    def render(request: Request, template: str, code: int = 200, **context: Any) -> Response:
        lang = pick_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))
        t = Translator(lang)
        base = str(request.scope.get("root_path", "")).rstrip("/")
        account = _account(request.cookies.get(ACCOUNT_COOKIE))
        config = {
            "base": base,
            "lang": lang,
            "relayUrl": site.relay_url,
            "account": account,
            "messages": catalogue(lang),
            **context.pop("config", {}),
        }
        if dev_wallet is not None:
            config["devWallet"] = {"url": f"{base}/dev-wallet", "default": dev_wallet.default}
        other = LANGS[1] if lang == LANGS[0] else LANGS[0]
        html = site.env.get_template(template).render(
            t=t,
            lang=lang,
            other_lang=other,
            base=base,
            path=request.url.path,
            account=account,
            dev_wallet=dev_wallet is not None,
            config_json=Markup(json.dumps(config).replace("</", "<\\/")),
            **context,
        )
        response = HTMLResponse(html, code)
        if request.query_params.get("lang") in LANGS:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86_400, samesite="lax")
        return response

    def error_page(request: Request, status: int, detail: str) -> Response:
        return render(request, "error.html", status, status=status, detail=detail)

    @app.exception_handler(ApiProblem)
    async def problem(request: Request, error: ApiProblem) -> Response:
        status = error.status if error.status in (404, 503) else 400
        return error_page(request, status, error.detail)

    @app.exception_handler(_Missing)
    async def missing(request: Request, error: _Missing) -> Response:
        return error_page(request, 404, f"{request.url.path}")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        status = error.status_code if error.status_code in (404, 405) else 400
        return error_page(request, 404 if status == 404 else status, str(error.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        return error_page(request, 400, "; ".join(str(e.get("msg")) for e in error.errors()))

    @app.exception_handler(SQLAlchemyError)
    async def store_error(request: Request, error: SQLAlchemyError) -> Response:
        return error_page(request, 503, "the store could not be read")

    def chain_config(r: Reader) -> dict[str, Any]:
        status = r.status()
        usdt = None
        if site.deployment is not None:
            try:
                usdt = site.deployment.address("usdt")
            except (KeyError, ValueError):
                usdt = None
        return {
            "chainId": status.chain_id,
            "council": status.council,
            "token": status.token,
            "treasury": status.treasury,
            "usdt": usdt,
            "now": r.now,
            "selectors": SELECTORS,
        }

    def page_args(request: Request) -> tuple[int, int]:
        text = request.query_params.get("page", "1")
        page = int(text) if text.isdigit() and 0 < len(text) < 7 else 1
        return page, (max(page, 1) - 1) * PAGE_SIZE

    # pages -------------------------------------------------------------------------------

    @app.get("/hash")
    def text_hash(text: str = "") -> JSONResponse:
        """``keccak256`` of a task description (the request form's metadata hash)."""
        if not text.strip() or len(text) > 10_000:
            return JSONResponse(
                {"error": "invalid request", "detail": "a text of 1–10,000 characters"}, 422
            )
        return JSONResponse({"hash": task_metadata_hash(text)})

    @app.get("/", response_class=HTMLResponse)
    def dashboard(request: Request) -> Response:
        t = Translator(
            pick_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))
        )
        account = _account(request.cookies.get(ACCOUNT_COOKIE))
        with reading() as r:
            status, supply = r.status(), r.supply()
            waiting: list[dict[str, Any]] = []
            warnings: list[str] = []
            if account is not None:
                try:
                    member = r.member(account)
                except ApiProblem:
                    member = None
                if member is not None:
                    for a in member.attendance:
                        warnings += _warnings(t, a.chamber, a.streak, a.forfeitable_from)
                        for stage_id in a.pending:
                            stage = r.stage(stage_id)
                            motion = r.motion(stage.motion_id)
                            waiting.append(
                                {
                                    "motion_id": stage.motion_id,
                                    "kind": _kind(t, motion.kind),
                                    "number": stage.number,
                                    "deadline": stage.deadline,
                                }
                            )
            config = chain_config(r)
        return render(
            request,
            "dashboard.html",
            status_=status,
            supply=supply,
            waiting=waiting,
            warnings=warnings,
            config=config,
        )

    @app.get("/members", response_class=HTMLResponse)
    def members(request: Request) -> Response:
        role = request.query_params.get("role", "all")
        if role not in ("all", "node", "super", "candidate", "banned"):
            role = "all"
        page, offset = page_args(request)
        with reading() as r:
            found = r.members(role, PAGE_SIZE, offset)
            config = chain_config(r)
        return render(request, "members.html", members=found, role=role, page=page, config=config)

    @app.get("/members/{address}", response_class=HTMLResponse)
    def member(request: Request, address: str) -> Response:
        t = Translator(
            pick_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))
        )
        checked = _account(address)
        if checked is None:
            raise _Missing(address)
        with reading() as r:
            detail = r.member(checked)
            config = chain_config(r)
        warnings: list[str] = []
        for a in detail.attendance:
            warnings += _warnings(t, a.chamber, a.streak, a.forfeitable_from)
        return render(request, "member.html", m=detail, warnings=warnings, config=config)

    @app.get("/motions", response_class=HTMLResponse)
    def motions(request: Request) -> Response:
        page, offset = page_args(request)
        with reading() as r:
            found = r.motions(
                kind=None,
                proposer=None,
                status=None,
                newest_first=True,
                limit=PAGE_SIZE,
                offset=offset,
            )
            config = chain_config(r)
        return render(request, "motions.html", motions=found, page=page, config=config)

    @app.get("/motions/{motion_id}", response_class=HTMLResponse)
    def motion(request: Request, motion_id: str) -> Response:
        number = _id(motion_id)
        account = _account(request.cookies.get(ACCOUNT_COOKIE))
        with reading() as r:
            detail = r.motion(number)
            config = chain_config(r)
            voting = _voting(r, detail, account, config)
        return render(request, "motion.html", m=detail, stages=voting, config=config)

    @app.get("/tasks", response_class=HTMLResponse)
    def tasks(request: Request) -> Response:
        page, offset = page_args(request)
        with reading() as r:
            found = r.tasks(None, None, PAGE_SIZE, offset)
            config = chain_config(r)
        return render(request, "tasks.html", tasks=found, page=page, config=config)

    @app.get("/batches", response_class=HTMLResponse)
    def batches(request: Request) -> Response:
        page, offset = page_args(request)
        with reading() as r:
            found = r.batches(PAGE_SIZE, offset)
            config = chain_config(r)
        return render(request, "batches.html", batches=found, page=page, config=config)

    @app.get("/batches/{batch_id}", response_class=HTMLResponse)
    def batch(request: Request, batch_id: str) -> Response:
        number = _id(batch_id)
        with reading() as r:
            detail = r.batch(number)
            config = chain_config(r)
        return render(request, "batch.html", b=detail, config=config)

    @app.get("/claims", response_class=HTMLResponse)
    def claims(request: Request) -> Response:
        given = request.query_params.get("address")
        account = _account(given) if given else _account(request.cookies.get(ACCOUNT_COOKIE))
        if given and account is None:
            raise ApiProblem(400, "invalid request", f"{given!r} is not an address")
        leaves: list[dict[str, Any]] = []
        with reading() as r:
            config = chain_config(r)
            if account is not None:
                for b in r.batches(500, 0).items:
                    if not b.list_known:
                        continue
                    try:
                        proofs = r.proofs(b.batch_id, account)
                    except ApiProblem:
                        continue
                    for leaf in proofs.leaves:
                        leaves.append(
                            {
                                "batch_id": b.batch_id,
                                "index": leaf.index,
                                "account": leaf.account,
                                "role": leaf.role,
                                "role_number": ROLES.get(leaf.role, 0),
                                "amount": leaf.amount,
                                "proof": json.dumps(leaf.proof),
                                "claimed": leaf.claimed,
                            }
                        )
        return render(request, "claims.html", leaves=leaves, who=account, config=config)

    @app.get("/genesis", response_class=HTMLResponse)
    def genesis(request: Request) -> Response:
        given = request.query_params.get("address")
        account = _account(given) if given else _account(request.cookies.get(ACCOUNT_COOKIE))
        if given and account is None:
            raise ApiProblem(400, "invalid request", f"{given!r} is not an address")
        with reading() as r:
            programme = r.genesis()
            config = chain_config(r)
            leader = None
            if account is not None:
                try:
                    leader = r.leader(account)
                except ApiProblem:
                    leader = None
            claim = _genesis_claim(programme, leader)
        return render(
            request,
            "genesis.html",
            g=programme,
            leader=leader,
            who=account,
            claim=claim,
            config=config,
        )

    @app.get("/propose", response_class=HTMLResponse)
    def propose_page(request: Request) -> Response:
        with reading() as r:
            config = chain_config(r)
            config["motions"] = r.status().motions
        return render(request, "propose.html", kinds=[int(k) for k in FORM_KINDS], config=config)

    @app.post("/propose")
    async def propose(request: Request) -> JSONResponse:
        """The form's fields → ``{to, data}`` for the wallet, or 422 with the rule broken."""
        t = Translator(
            pick_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))
        )
        try:
            form = await request.json()
        except ValueError:
            form = None
        if not isinstance(form, dict):
            return JSONResponse({"rule": "perr.kind", "message": t("perr.kind")}, 422)
        proposer = _account(str(form.get("proposer") or "")) or _account(
            request.cookies.get(ACCOUNT_COOKIE)
        )
        with reading() as r:
            status = r.status()

            def roles(address: str) -> Roles:
                try:
                    m = r.member(address)
                except ApiProblem:
                    return Roles()
                return Roles(
                    m.is_node, m.is_super, m.is_candidate, m.bans.node_banned, m.bans.super_banned
                )

            live = False
            if proposer is not None:
                mine = r.motions(
                    kind=None, proposer=proposer, status=None, newest_first=True, limit=1, offset=0
                )
                live = any(x.status in LIVE for x in mine.items)
            try:
                kind, args = build(
                    form.get("kind"),
                    form,
                    proposer=proposer,
                    roles=roles,
                    admin=status.admin,
                    foundation=status.foundation,
                    live_motion=live,
                )
            except Refusal as refusal:
                message = t(refusal.key, **refusal.fields)
                return JSONResponse({"rule": refusal.key, "message": message}, 422)
        return JSONResponse(
            {
                "to": status.motions,
                "data": _propose_calldata(kind, args),
                "kind": int(kind),
                "accounts": list(args.accounts),
                "numbers": [str(n) for n in args.numbers],
                "text": args.text,
            }
        )

    @app.get("/books", response_class=HTMLResponse)
    def books(request: Request) -> Response:
        with reading() as r:
            statements = r.statements(500, 0)
            audits = r.audits(500, 0)
            config = chain_config(r)
        return render(request, "books.html", statements=statements, audits=audits, config=config)

    return app


LIVE: Final = ("sponsoring", "voting", "awaiting_stage")


def _genesis_claim(programme: Genesis, leader: LeaderGenesis | None) -> str | None:
    """``claim_genesis`` calldata for the latest released month, when something is claimable
    and the API holds the month's list (its root, release block and the leader's proof)."""
    if leader is None or leader.proof is None or not leader.claimable:
        return None
    if int(leader.claimable) <= 0:
        return None
    month = next((mo for mo in programme.months if mo.month == leader.latest_month), None)
    leaf = next((e for e in leader.entitlements if e.month == leader.latest_month), None)
    if month is None or leaf is None:
        return None
    return claim_genesis_calldata(
        month.root,
        month.month,
        month.released_block,
        leader.leader,
        int(leaf.cum_paid),
        int(leaf.cum_forfeited),
        leader.proof,
    )


def _warnings(t: Translator, chamber: str, streak: int, forfeitable: int | None) -> list[str]:
    """§6's warnings, in the page's language (the API's ``warning`` is English)."""
    name = t(CHAMBERS.get(chamber, "chamber.node"))
    if forfeitable is not None:
        return [t("warn.forfeitable", chamber=name)]
    if streak == 2:
        return [t("warn.two", chamber=name)]
    return []


def _voting(
    r: Reader, motion: MotionDetail, account: str | None, config: dict[str, Any]
) -> list[dict[str, Any]]:
    """Each stage with what the connected account may do in it, and the typed data to sign."""
    shown: list[dict[str, Any]] = []
    for stage in motion.stages:
        open_ = r.now <= stage.deadline
        elector, choice = False, None
        if account is not None:
            for e in r.electorate(stage.stage_id).members:
                if e.address.lower() == account.lower():
                    elector, choice = True, e.choice
                    break
        shown.append(
            {
                "s": stage,
                "open": open_,
                "elector": elector,
                "choice": choice,
                "typed": _ballot_template(stage, motion, config),
            }
        )
    return shown


def _ballot_template(stage: StageOut, motion: MotionDetail, config: dict[str, Any]) -> Markup:
    """The ``eth_signTypedData_v4`` JSON of a ballot in ``stage`` (``kol.domain.eip712``), with
    the zero address as voter and For as choice: the page puts in the wallet's address and the
    button's choice, nothing else."""
    typed = ballot_typed_data(
        chain_id=int(config["chainId"]),
        verifying_contract=str(config["council"]),
        voter=ZERO_ADDRESS,
        motion_id=motion.motion_id,
        stage_id=stage.stage_id,
        choice=1,
        expiry=stage.deadline,
    )
    return Markup(json.dumps(typed).replace("</", "<\\/"))  # JSON inside <script>


def task_metadata_hash(description: str) -> str:
    """What the request form puts on-chain for a description: ``keccak256`` of its UTF-8."""
    return "0x" + keccak(text=description).hex()


def _relay_proxy(upstream: str) -> APIRouter:
    """``/relay/…`` forwarded to a relayer that runs elsewhere (``kol relayer serve``), so that
    the browser posts to its own origin."""
    router = APIRouter(prefix="/relay", include_in_schema=False)
    base = upstream.rstrip("/")

    async def forward(request: Request, rest: str) -> Response:
        url = f"{base}/{rest}" if rest else base
        try:
            async with httpx.AsyncClient(timeout=15) as client:
                answer = await client.request(
                    request.method,
                    url,
                    params=request.query_params,
                    content=await request.body(),
                    headers={"content-type": request.headers.get("content-type", "")},
                )
        except httpx.HTTPError as error:
            body = {"error": "relayer_unavailable", "detail": f"{url}: {error}"}
            return Response(json.dumps(body), 503, media_type="application/json")
        return Response(
            answer.content,
            answer.status_code,
            media_type=answer.headers.get("content-type", "application/json"),
        )

    @router.api_route("", methods=["GET"])
    async def info(request: Request) -> Response:
        return await forward(request, "")

    @router.api_route("/{rest:path}", methods=["GET", "POST"])
    async def anything(request: Request, rest: str) -> Response:
        return await forward(request, rest)

    return router


def create_site(
    store: Store,
    *,
    lists_dir: Path | None = None,
    clock: Callable[[], int] | None = None,
    deployment: Deployment | None = None,
    relayer_router: APIRouter | None = None,
    relay_upstream: str | None = None,
    dev_wallet: DevWallet | None = None,
    answer_cache: bool = True,
) -> FastAPI:
    """The read API with the dapp at ``/web`` (``/`` redirects there) and the relayer's
    ``/relay/…`` routes: the router itself when given, else a proxy to ``relay_upstream``, else
    none (the motion page then says that no relayer answers)."""
    app = create_app(store, lists_dir=lists_dir, clock=clock, answer_cache=answer_cache)
    if relayer_router is not None:
        app.include_router(relayer_router)
    elif relay_upstream is not None:
        app.include_router(_relay_proxy(relay_upstream))

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/web/")

    app.mount(
        "/web",
        create_web_app(
            store, lists_dir=lists_dir, clock=clock, deployment=deployment, dev_wallet=dev_wallet
        ),
    )
    return app
