"""``kol up``'s dev wallet (``src/kol/web/devwallet.py``) over the scenario's anvil chain: it
signs only for its dev keys, only typed data of the devnet's chain and only transactions from
the account acting; it answers only requests that carry its header; it refuses to start on a
chain that is not a dev chain; every refusal is a 4xx JSON with the rule and changes nothing."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from click.testing import CliRunner
from eth_account import Account
from eth_account.messages import encode_typed_data
from fastapi.testclient import TestClient

from kol.chain.anvil import Anvil, rpc_request
from kol.chain.rpc import connect
from kol.domain.eip712 import ballot_typed_data
from kol.store import Store
from kol.web import create_site
from kol.web.devwallet import HEADER, DevAccount, DevWallet, DevWalletError, dev_accounts
from tests.indexer.scenario import CLIENT, NODES, Played

H = {HEADER: "1"}


@pytest.fixture(scope="module")
def wallet(web_played: tuple[Anvil, Played]) -> DevWallet:
    played = web_played[1]
    people = [DevAccount(f"node:{i}", f"node {i}", k) for i, k in enumerate(NODES[:3])]
    people.append(DevAccount("client:0", "client", CLIENT))
    return DevWallet(
        connect(str(played.deployment.rpc_url)), 0, usdt=played.deployment.usdt, accounts=people
    )


@pytest.fixture
def client(web_store: Store, web_played: tuple[Anvil, Played], wallet: DevWallet) -> TestClient:
    app = create_site(
        web_store, clock=lambda: 0, deployment=web_played[1].deployment, dev_wallet=wallet
    )
    return TestClient(app, follow_redirects=False)


def _rpc(client: TestClient, account: str, method: str, params: Any, **kw: Any) -> Any:
    body = {"account": account, "method": method, "params": params}
    return client.post("/web/dev-wallet/rpc", json=body, headers=kw.get("headers", H))


def _typed(played: Played, voter: str, chain_id: int | None = None) -> dict[str, Any]:
    return ballot_typed_data(
        chain_id=chain_id or played.deployment.chain_id,
        verifying_contract=played.deployment.council,
        voter=voter,
        motion_id=1,
        stage_id=1,
        choice=1,
        expiry=2_000_000_000,
    )


def test_accounts__lists_the_dev_keys_with_the_default(client: TestClient) -> None:
    answer = client.get("/web/dev-wallet/accounts").json()
    assert [a["address"] for a in answer["accounts"]] == [k.address for k in NODES[:3]] + [
        CLIENT.address
    ]
    assert answer["default"] == NODES[2].address and answer["chain_id"] == 31_337


def test_dev_accounts__the_roster_the_staff_clients_and_users() -> None:
    found = dev_accounts(2019)
    labels = [a.label for a in found]
    assert labels[:3] == ["administrator", "foundation", "node:0"]
    assert sum(label.startswith("node:") for label in labels) == 149
    assert sum(label.startswith("candidate:") for label in labels) == 47
    assert len({a.address for a in found}) == len(found)


def test_pages__offer_the_picker_only_with_a_dev_wallet(
    client: TestClient, site: TestClient
) -> None:
    page = client.get("/web/?lang=en").text
    assert 'id="dev-account"' in page and "devwallet.js" in page
    assert '"devWallet": {"url": "/web/dev-wallet"' in page
    plain = site.get("/web/?lang=en").text
    assert 'id="dev-account"' not in plain and "devwallet.js" not in plain
    assert site.get("/web/dev-wallet/accounts").status_code == 404


def test_sign_typed__signature_recovers_to_the_account(
    client: TestClient, web_played: tuple[Anvil, Played]
) -> None:
    voter = NODES[1].address
    typed = _typed(web_played[1], voter)
    answer = _rpc(client, voter, "eth_signTypedData_v4", [voter, json.dumps(typed)])
    assert answer.status_code == 200, answer.text
    recovered = Account.recover_message(
        encode_typed_data(full_message=typed), signature=answer.json()["result"]
    )
    assert recovered == voter


@pytest.mark.parametrize(
    ("params", "status", "rule"),
    [
        (lambda p, v: [NODES[0].address, json.dumps(_typed(p, v))], 422, "acts as"),
        (lambda p, v: [v, json.dumps(_typed(p, v, chain_id=1))], 422, "chain 1"),
        (lambda p, v: [v, "{not json"], 400, "EIP-712 JSON"),
        (lambda p, v: [v], 400, "takes [address, typed data]"),
    ],
    ids=["another-signer", "another-chain", "garbage", "arity"],
)
def test_sign_typed__refused(
    client: TestClient,
    web_played: tuple[Anvil, Played],
    params: Any,
    status: int,
    rule: str,
) -> None:
    voter = NODES[1].address
    answer = _rpc(client, voter, "eth_signTypedData_v4", params(web_played[1], voter))
    assert answer.status_code == status and rule in answer.json()["detail"], answer.text


def test_requests__without_the_header_or_for_an_unknown_account__refused(
    client: TestClient,
) -> None:
    voter = NODES[1].address
    no_header = _rpc(client, voter, "eth_accounts", [], headers={})
    assert no_header.status_code == 403 and HEADER in no_header.json()["detail"]
    stranger = Account.create().address
    unknown = _rpc(client, stranger, "eth_accounts", [])
    assert unknown.status_code == 422 and "not an account of the dev wallet" in unknown.text
    bad = client.post("/web/dev-wallet/rpc", content=b"[1, 2", headers=H)
    assert bad.status_code == 400 and "JSON object" in bad.json()["detail"]
    method = _rpc(client, voter, "eth_sign", [voter, "0x00"])
    assert method.status_code == 400 and "does not offer eth_sign" in method.json()["detail"]
    switch = _rpc(client, voter, "wallet_switchEthereumChain", [{"chainId": "0x1"}])
    assert switch.status_code == 422 and "chain 31337" in switch.json()["detail"]
    huge = client.post("/web/dev-wallet/rpc", content=b"{" + b" " * 70_000 + b"}", headers=H)
    assert huge.status_code == 413


def test_reads__pass_through_to_the_node(
    client: TestClient, web_played: tuple[Anvil, Played]
) -> None:
    url = str(web_played[1].deployment.rpc_url)
    voter = NODES[0].address
    assert _rpc(client, voter, "eth_accounts", []).json()["result"] == [voter]
    assert _rpc(client, voter, "eth_chainId", []).json()["result"] == "0x7a69"
    block = _rpc(client, voter, "eth_blockNumber", []).json()["result"]
    assert int(block, 16) == int(rpc_request(url, "eth_blockNumber"), 16)


def test_faucet_and_send__mint_test_usdt_then_a_refused_call_changes_nothing(
    client: TestClient, web_played: tuple[Anvil, Played]
) -> None:
    played = web_played[1]
    url = str(played.deployment.rpc_url)
    snapshot = rpc_request(url, "evm_snapshot")
    try:
        someone = NODES[2].address
        w3 = connect(url)
        usdt = w3.eth.contract(address=played.deployment.usdt, abi=played.deployment.abi("usdt"))
        before = usdt.functions.balanceOf(someone).call()
        minted = client.post("/web/dev-wallet/faucet", json={"account": someone}, headers=H)
        assert minted.status_code == 200, minted.text
        receipt = w3.eth.wait_for_transaction_receipt(minted.json()["tx_hash"])
        assert receipt["status"] == 1
        assert usdt.functions.balanceOf(someone).call() == before + 10_000 * 10**6
        nonce = w3.eth.get_transaction_count(someone)
        # a request_task with a fee of 0: the treasury refuses it, nothing is sent
        data = "0x" + "00" * 4 + "00" * 96
        tx = {"from": someone, "to": played.deployment.treasury, "data": data}
        refused = _rpc(client, someone, "eth_sendTransaction", [tx])
        assert refused.status_code == 422 and "refuses" in refused.json()["detail"]
        forged = _rpc(client, someone, "eth_sendTransaction", [{**tx, "from": CLIENT.address}])
        assert forged.status_code == 422 and "acts as" in forged.json()["detail"]
        assert w3.eth.get_transaction_count(someone) == nonce
    finally:
        assert rpc_request(url, "evm_revert", [snapshot]) is True


class _Geth(BaseHTTPRequestHandler):
    """A node that says it is Geth on chain 1: not a dev chain."""

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        result = {"web3_clientVersion": "Geth/v1.14.0", "eth_chainId": "0x1"}.get(request["method"])
        body = json.dumps({"jsonrpc": "2.0", "id": request["id"], "result": result}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def mainnet_like() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Geth)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_dev_wallet__on_a_chain_that_is_not_a_dev_chain__refused(mainnet_like: str) -> None:
    with pytest.raises(DevWalletError, match="dev chains \\(anvil\\) only"):
        DevWallet.connect(mainnet_like, 2019)


def test_kol_web__dev_wallet_without_a_deployment__usage_error() -> None:
    from kol.cli import main

    result = CliRunner().invoke(main, ["web", "--dev-wallet", "--database", "sqlite://"])
    assert result.exit_code == 2 and "--dev-wallet needs --deployment" in result.output
    seed = CliRunner().invoke(main, ["web", "--seed", "3", "--database", "sqlite://"])
    assert seed.exit_code == 2 and "--seed goes with --dev-wallet" in seed.output
