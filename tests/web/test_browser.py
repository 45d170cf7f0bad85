"""The dapp in Debian's Chromium (Python Playwright) with a test wallet: a node votes For from
the motion page, the relayer submits the signed ballot and, once indexed, the tally shows it;
a user claims from "my claims" with one click; the language switch changes the texts. The
screenshots land in tests/artifacts/web/."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from kol.alliance import MotionArgs, MotionKind
from kol.api.read import Reader
from kol.chain.anvil import Anvil, rpc_request
from kol.chain.rpc import connect
from kol.domain.eip712 import ballot_typed_data
from kol.indexer import Indexer, open_source
from kol.relayer import Relayer, RelayerSettings
from kol.relayer.app import build_router
from kol.store import Store
from kol.web import create_site
from kol.web.devwallet import DevAccount
from kol.web.devwallet import DevWallet as DevWalletServer
from kol.web.i18n import catalogue
from tests.indexer.scenario import NODES, RELAYER, USERS, Played, sdk
from tests.web.browser import ARTIFACTS, CHROMIUM_ARGS, DevWallet, chromium
from tests.web.conftest import indexed_store

playwright = pytest.importorskip("playwright.sync_api")


@dataclass
class Live:
    url: str
    played: Played
    store: Store
    relayer: Relayer
    motion_id: int
    stage_id: int
    voter: Any
    other: Any
    """Another elector, who has not voted."""

    def index(self) -> None:
        source, _ = open_source(self.played.deployment)
        Indexer(self.store, source, confirmations=0).run_once()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(app: Any) -> tuple[str, uvicorn.Server]:
    """``app`` served on a free port of 127.0.0.1 in a thread; stop it with ``should_exit``."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


@pytest.fixture(scope="module")
def live(
    web_played: tuple[Anvil, Played], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Live]:
    """The scenario's chain with a new audit demand open in the node chamber, indexed; the
    site (API, dapp and the relayer's routes) served on 127.0.0.1; the chain put back after."""
    chromium()
    played = web_played[1]
    url = played.deployment.rpc_url
    assert url is not None
    snapshot = rpc_request(url, "evm_snapshot")
    tmp = tmp_path_factory.mktemp("browser")
    server: uvicorn.Server | None = None
    try:
        a = sdk(played.deployment)
        motion_id = a.propose(
            MotionKind.DEMAND_AUDIT,
            MotionArgs.audit(1_700_000_000, 1_700_086_400),
            by=NODES[8].address,
        )
        store = indexed_store(tmp / "store.sqlite3", played)
        with store.sessions() as session:
            reader = Reader(session, 0)
            stage = reader.motion(motion_id).stages[0]
            voters = {e.address for e in reader.electorate(stage.stage_id).members}
        voter, other = [k for k in NODES if k.address in voters and k is not NODES[8]][:2]
        settings = RelayerSettings(
            database_url=f"sqlite:///{tmp / 'relay.sqlite3'}", batch_interval=0.1
        )
        relayer = Relayer.connect(played.deployment, RELAYER, settings, url=url)
        app = create_site(store, deployment=played.deployment, relayer_router=build_router(relayer))
        site_url, server = _serve(app)
        yield Live(
            site_url,
            played,
            store,
            relayer,
            motion_id,
            stage.stage_id,
            voter,
            other,
        )
    finally:
        if server is not None:
            server.should_exit = True
        assert rpc_request(url, "evm_revert", [snapshot]) is True


@pytest.fixture(scope="module")
def browser(live: Live) -> Iterator[Any]:
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _page(browser: Any, live: Live, key: Any, *, phone: bool = True) -> tuple[Any, DevWallet]:
    size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=size, device_scale_factor=1)
    wallet = DevWallet(key, str(live.played.deployment.rpc_url), live.played.deployment.chain_id)
    wallet.install(context)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page, wallet


_CONNECTED = """() => {
  const config = document.getElementById("kol-config");
  return document.readyState === "complete" && config !== null
    && Boolean(JSON.parse(config.textContent).account);
}"""


def _connect(page: Any) -> None:
    """Presses the wallet button and waits until the page, reloaded, is rendered for the account."""
    page.click("#connect")
    _wait_connected(page)


def _wait_connected(page: Any) -> None:
    """Waits until the page is rendered for a connected account.

    The page also connects by itself (eth_accounts, 50 ms after load) and reloads once; so the
    reload may come before or after a click on the wallet button, and the wait is on the
    connected page itself rather than on a navigation."""
    deadline = time.monotonic() + 20
    while True:
        try:
            if page.evaluate(_CONNECTED):
                break
        except playwright.Error:  # the page was navigating: its context went away
            pass
        if time.monotonic() > deadline:
            raise AssertionError("the page never showed the connected account")
        time.sleep(0.05)
    page.wait_for_load_state("load")


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _press_for(stage: Any) -> None:
    """Presses For on a stage of the motion page; the relayer must accept the signed ballot."""
    stage.locator("button.vote.for").click()
    result = stage.locator(".result.ok")
    try:
        result.wait_for()
    except Exception:
        raise AssertionError(stage.locator(".result").inner_text()) from None
    assert "accepted by the relayer" in result.inner_text()


def test_vote__signed_in_the_wallet_relayed_and_the_tally_updates(browser: Any, live: Live) -> None:
    page, wallet = _page(browser, live, live.voter)
    page.goto(f"{live.url}/web/?lang=en")
    _connect(page)
    waiting = page.locator("#waiting a")
    assert waiting.count() == 1 and f"Motion #{live.motion_id}" in waiting.inner_text()
    _shot(page, "dashboard-waiting-en-phone")
    waiting.click()
    page.wait_for_load_state("load")
    stage = page.locator(f'section.stage[data-stage="{live.stage_id}"]')
    assert stage.locator('[data-test="votes-for"]').inner_text() == "0"
    _shot(page, "motion-before-vote-en-phone")
    _press_for(stage)
    (typed,) = wallet.signed
    with live.store.sessions() as session:
        deadline = Reader(session, 0).stage(live.stage_id).deadline
    assert typed == ballot_typed_data(
        chain_id=live.played.deployment.chain_id,
        verifying_contract=live.played.deployment.council,
        voter=live.voter.address,
        motion_id=live.motion_id,
        stage_id=live.stage_id,
        choice=1,
        expiry=deadline,
    )
    assert live.relayer.flush() == 1
    live.index()
    page.reload()
    stage = page.locator(f'section.stage[data-stage="{live.stage_id}"]')
    assert stage.locator('[data-test="votes-for"]').inner_text() == "1"
    assert "You voted: For." in stage.inner_text()
    _shot(page, "motion-after-vote-en-phone")


def test_claim__one_click_from_my_claims(browser: Any, live: Live) -> None:
    page, wallet = _page(browser, live, USERS[1], phone=False)
    page.goto(f"{live.url}/web/claims?lang=en")
    _connect(page)
    button = page.locator(".claim-button")
    assert button.count() == 1
    _shot(page, "claims-before-en-desktop")
    button.click()
    result = page.locator(".claim .result.ok")
    result.wait_for()
    assert "Claim sent" in result.inner_text() and len(wallet.sent) == 1
    live.index()
    page.reload()
    assert page.locator('[data-test="claimed"]').count() == 1
    assert page.locator(".claim-button").count() == 0
    _shot(page, "claims-after-en-desktop")


def test_task_form__validated_like_the_contract_before_the_wallet(browser: Any, live: Live) -> None:
    page, wallet = _page(browser, live, NODES[9])
    page.goto(f"{live.url}/web/tasks?lang=en")
    # The wallet connects on load and the page reloads once to render for the account:
    # fill the form only after that, or the reload empties it.
    _wait_connected(page)
    page.select_option("#task-form select[name=kind]", "4")
    page.fill("#task-form input[name=fee]", "0")
    page.fill("#task-form textarea[name=description]", "roadshow")
    page.click("#task-form button[type=submit]")
    assert page.locator("#task-form .result.bad").inner_text() == catalogue("en")["err.fee"]
    page.fill("#task-form input[name=fee]", "1.1234567")
    page.click("#task-form button[type=submit]")
    assert page.locator("#task-form .result.bad").inner_text() == catalogue("en")["err.fee"]
    assert wallet.sent == []


def test_language__switch_changes_the_texts(browser: Any, live: Live) -> None:
    page, _ = _page(browser, live, USERS[2])
    page.goto(f"{live.url}/web/motions/{live.motion_id}")
    _wait_connected(page)  # the wallet connects on load and the page reloads once
    zh = catalogue("zh-CN")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("button.vote.for").first.inner_text() == zh["motion.for"]
    _shot(page, "motion-zh-phone")
    with page.expect_navigation():
        page.click("#lang-switch")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("button.vote.for").first.inner_text() == "For"
    page.goto(f"{live.url}/web/books")  # the cookie keeps English
    assert "Statements & audits" in page.locator("h1").inner_text()
    with page.expect_navigation():
        page.click("#lang-switch")
    assert page.locator("h1").inner_text() == zh["books.title"]
    _shot(page, "books-zh-phone")
    page.goto(f"{live.url}/web/")
    _shot(page, "dashboard-zh-phone")
    page.goto(f"{live.url}/web/members?role=super")
    _shot(page, "members-zh-phone")


def test_no_relayer__the_page_says_so(browser: Any, live: Live, tmp_path: Path) -> None:
    app = create_site(live.store, deployment=live.played.deployment)  # no relayer mounted
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        page, _ = _page(browser, live, live.other)
        page.goto(f"http://127.0.0.1:{port}/web/motions/{live.motion_id}?lang=en")
        _connect(page)
        page.locator("button.vote.against").first.click()
        error = page.locator(".stage .result.bad")
        error.wait_for()
        assert "No relayer answers at /relay/ballots (HTTP 404)" in error.inner_text()
    finally:
        server.should_exit = True


def test_propose__replace_admin_from_the_form(browser: Any, live: Live) -> None:
    proposer, new_admin = NODES[9], USERS[2].address
    page, wallet = _page(browser, live, proposer, phone=False)
    page.goto(f"{live.url}/web/propose?lang=en")
    _connect(page)
    form = page.locator("#propose-form")
    form.locator("select[name=kind]").select_option(str(int(MotionKind.REPLACE_ADMIN)))
    form.locator("textarea[name=accounts]").fill(new_admin[:-1] + "Z")
    form.locator("button[type=submit]").click()
    bad = form.locator(".result.bad")
    bad.wait_for()
    assert bad.inner_text() == catalogue("en")["perr.address"].format(value=new_admin[:-1] + "Z")
    assert wallet.sent == []
    form.locator("textarea[name=accounts]").fill(new_admin)
    form.locator("button[type=submit]").click()
    ok = form.locator(".result.ok")
    try:
        ok.wait_for()
    except Exception:
        raise AssertionError(form.locator(".result").inner_text()) from None
    assert "Proposal sent" in ok.inner_text() and len(wallet.sent) == 1
    _shot(page, "propose-sent-en-desktop")
    live.index()
    with live.store.sessions() as session:
        mine = Reader(session, 0).motions(
            kind=int(MotionKind.REPLACE_ADMIN),
            proposer=proposer.address,
            status=None,
            newest_first=True,
            limit=1,
            offset=0,
        )
    (motion,) = mine.items
    assert motion.status in ("voting", "sponsoring")
    page.goto(f"{live.url}/web/motions/{motion.motion_id}?lang=en")
    assert catalogue("en")["mkind.5"] in page.locator("main").inner_text()


def test_genesis_claim__one_click_for_the_leader(browser: Any, live: Live) -> None:
    page, wallet = _page(browser, live, NODES[1], phone=False)
    page.goto(f"{live.url}/web/genesis?lang=en")
    _connect(page)
    button = page.locator(".genesis-claim-button")
    assert button.count() == 1 and "1,000 KOL" in button.inner_text()
    button.click()
    ok = page.locator(".genesis-claim .result.ok")
    try:
        ok.wait_for()
    except Exception:
        raise AssertionError(page.locator(".genesis-claim .result").inner_text()) from None
    assert "Claim sent" in ok.inner_text() and len(wallet.sent) == 1
    live.index()
    page.reload()
    assert page.locator(".genesis-claim-button").count() == 0
    _shot(page, "genesis-claimed-en-desktop")


def test_dev_wallet__act_as_a_node_and_vote__no_wallet_of_ones_own(
    browser: Any, live: Live
) -> None:
    """kol up's dev wallet: the page itself offers the devnet's dev keys (no wallet injected by
    the test); picking a node in the header and pressing For signs in the server's dev wallet,
    the relayer takes the ballot and, indexed, the tally counts it."""
    played = live.played
    people = [DevAccount(f"node:{i}", f"node {i}", k) for i, k in enumerate(NODES)]
    wallet = DevWalletServer(connect(str(played.deployment.rpc_url)), 0, accounts=people)
    app = create_site(
        live.store,
        deployment=played.deployment,
        relayer_router=build_router(live.relayer),
        dev_wallet=wallet,
    )
    url, server = _serve(app)
    try:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{url}/web/motions/{live.motion_id}?lang=en")
        _wait_connected(page)  # the dev wallet connects its first account by itself
        picker = page.locator("#dev-account")
        picker.locator("option").nth(len(people) - 1).wait_for(state="attached")
        assert picker.locator("option").count() == len(people)
        with page.expect_navigation():
            picker.select_option(live.other.address)
        page.wait_for_load_state("load")
        assert page.locator("#dev-account").input_value() == live.other.address
        stage = page.locator(f'section.stage[data-stage="{live.stage_id}"]')
        before = int(stage.locator('[data-test="votes-for"]').inner_text())
        _shot(page, "dev-wallet-motion-en-phone")
        _press_for(stage)
        assert live.relayer.flush() == 1
        live.index()
        page.reload()
        stage = page.locator(f'section.stage[data-stage="{live.stage_id}"]')
        assert int(stage.locator('[data-test="votes-for"]').inner_text()) == before + 1
        assert "You voted: For." in stage.inner_text()
        _shot(page, "dev-wallet-after-vote-en-phone")
        context.close()
    finally:
        server.should_exit = True
