"""The dev wallet of ``kol up``: try the dapp on the devnet without a wallet of your own.

On a dev chain only (anvil), the web server can offer a wallet whose keys are the public dev
keys ``kol up`` seated the roster with (``kol.cli.year.dev_key``): the page announces it by
EIP-6963 as "KOL dev wallet (devnet)" and a picker in the header says whom you act as — the
administrator, the foundation, any seated node or candidate of the roster, a client or a user.
The page's JavaScript (``static/devwallet.js``) forwards the wallet's EIP-1193 requests to
``POST /web/dev-wallet/rpc``, which signs typed data and transactions with the chosen dev key and
sends the transactions to the devnet; read-only requests pass through to the node.

It is refused on any other chain (its keys are public), answers only requests that carry the
``X-KOL-Dev-Wallet`` header (so another site's page cannot make the browser use it: such a
header needs a CORS preflight that this server never grants), and signs only for its own dev
keys, only typed data for the devnet's chain id, and only transactions from the chosen account.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from eth_account import Account
from eth_account.signers.local import LocalAccount
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from web3 import Web3
from web3.exceptions import ContractLogicError, Web3RPCError

from kol.domain.types import as_checksum_address

__all__ = ["DevWallet", "DevWalletError", "HEADER", "build_router"]

HEADER: Final = "X-KOL-Dev-Wallet"
"""The header every dev-wallet request must carry (a cross-site page cannot send it)."""
GAS_FUNDS: Final = 10_000 * 10**18
"""What an account of the dev wallet is given when it runs short of ether (dev chain only)."""
FAUCET_USDT: Final = 10_000 * 10**6
"""The test USDT a faucet request mints (TestUSDT lets anyone mint on a dev chain)."""
PASS_THROUGH: Final = frozenset(
    {
        "eth_blockNumber",
        "eth_call",
        "eth_chainId",
        "eth_estimateGas",
        "eth_gasPrice",
        "eth_getBalance",
        "eth_getBlockByNumber",
        "eth_getCode",
        "eth_getTransactionByHash",
        "eth_getTransactionCount",
        "eth_getTransactionReceipt",
        "net_version",
    }
)
"""Read-only requests forwarded to the node as they are."""
SIGNING: Final = frozenset(
    {"eth_accounts", "eth_requestAccounts", "eth_signTypedData_v4", "eth_sendTransaction"}
)
MAX_BODY: Final = 64 * 1024


class DevWalletError(Exception):
    """A request the dev wallet refuses: ``status`` and a message that names the rule."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class DevAccount:
    label: str
    """The dev key's label, as ``--dev`` takes it (``node:3``)."""
    name: str
    """Who it is in the demo's story (a roster community, a client …)."""
    key: LocalAccount

    @property
    def address(self) -> str:
        return str(self.key.address)


def dev_accounts(seed: int) -> list[DevAccount]:
    """The people ``kol up`` plays with: the staff, every roster seat and candidate, the demo's
    clients and a few users, each with its dev key of ``seed``."""
    from kol.chain.devkeys import dev_key
    from kol.data import DEMO_CLIENTS, load_roster

    roster = load_roster()
    people: list[tuple[str, str]] = [
        ("administrator", "genesis administrator"),
        ("foundation", "foundation"),
    ]
    people += [(f"node:{i}", name) for i, name in enumerate(roster.node_seats)]
    people += [(f"candidate:{i}", name) for i, name in enumerate(roster.candidates)]
    people += [(f"client:{i}", name) for i, name in enumerate(DEMO_CLIENTS)]
    people += [(f"user:{i}", f"user {i}") for i in range(5)]
    return [DevAccount(label, name, dev_key(seed, label)) for label, name in people]


class DevWallet:
    """Signs for the dev keys of ``seed`` on the dev chain at ``w3`` (refused elsewhere)."""

    def __init__(
        self, w3: Web3, seed: int, *, usdt: str | None = None, accounts: Iterable[DevAccount] = ()
    ) -> None:
        from kol.chain.rpc import is_dev_chain

        if not is_dev_chain(w3):
            raise DevWalletError(
                "the dev wallet signs with public dev keys: it runs on dev chains (anvil) only, "
                f"and the node at {w3.provider} is not one"
            )
        self.w3 = w3
        self.seed = seed
        self.chain_id = int(w3.eth.chain_id)
        self.usdt = usdt
        found = list(accounts) or dev_accounts(seed)
        self.accounts = {a.address.lower(): a for a in found}
        self.default = found[2].address if len(found) > 2 else found[0].address
        """The account the page acts as until another is picked (the roster's first seat)."""
        self._sending = threading.Lock()  # one transaction at a time: nonces stay in order

    @classmethod
    def connect(cls, rpc_url: str, seed: int, *, usdt: str | None = None) -> DevWallet:
        from kol.chain.rpc import connect

        return cls(connect(rpc_url), seed, usdt=usdt)

    # requests --------------------------------------------------------------------------

    def account(self, address: object) -> DevAccount:
        text = address if isinstance(address, str) else ""
        found = self.accounts.get(text.lower()) if as_checksum_address(text) else None
        if found is None:
            raise DevWalletError(
                f"{address!r} is not an account of the dev wallet: pick one of its "
                f"{len(self.accounts)} dev keys"
            )
        return found

    def request(self, address: object, method: object, params: object) -> Any:
        """One EIP-1193 request made as ``address``."""
        if not isinstance(method, str) or not method:
            raise DevWalletError('"method" must be the name of a JSON-RPC method', 400)
        if params is None:
            params = []
        if not isinstance(params, list):
            raise DevWalletError('"params" must be a list', 400)
        who = self.account(address)
        if method in ("eth_accounts", "eth_requestAccounts"):
            return [who.address]
        if method == "eth_chainId":
            return hex(self.chain_id)
        if method == "wallet_switchEthereumChain":
            return self._switch(params)
        if method == "eth_signTypedData_v4":
            return self._sign_typed(who, params)
        if method == "eth_sendTransaction":
            return self._send(who, params)
        if method in PASS_THROUGH:
            return self._forward(method, params)
        raise DevWalletError(
            f"the dev wallet does not offer {method}: it signs typed data "
            "(eth_signTypedData_v4), sends transactions and forwards reads",
            400,
        )

    def faucet(self, address: object) -> dict[str, Any]:
        """Mints test USDT to a dev account (and gives it ether for gas)."""
        who = self.account(address)
        if self.usdt is None:
            raise DevWalletError("the deployment names no USDT contract to mint from", 409)
        selector = Web3.keccak(text="mint(address,uint256)")[:4]
        data = selector + bytes(12) + bytes.fromhex(who.address[2:]) + FAUCET_USDT.to_bytes(32)
        tx = self._send(who, [{"from": who.address, "to": self.usdt, "data": "0x" + data.hex()}])
        return {"account": who.address, "usdt": str(FAUCET_USDT), "tx_hash": tx}

    # the parts ------------------------------------------------------------------------

    def _switch(self, params: list[Any]) -> None:
        wanted = params[0].get("chainId") if params and isinstance(params[0], dict) else None
        try:
            number = int(str(wanted), 16)
        except ValueError:
            number = -1
        if number != self.chain_id:
            raise DevWalletError(
                f"the dev wallet knows only the devnet, chain {self.chain_id} (asked: {wanted})"
            )
        return None

    def _sign_typed(self, who: DevAccount, params: list[Any]) -> str:
        if len(params) != 2:
            raise DevWalletError("eth_signTypedData_v4 takes [address, typed data]", 400)
        signer, data = params
        if not isinstance(signer, str) or signer.lower() != who.address.lower():
            raise DevWalletError(
                f"asked to sign as {signer!r}, but the dev wallet acts as {who.address}"
            )
        try:
            typed = json.loads(data) if isinstance(data, str) else data
            chain = int(typed["domain"]["chainId"])
        except (ValueError, TypeError, KeyError):
            raise DevWalletError(
                "the typed data must be EIP-712 JSON with domain.chainId", 400
            ) from None
        if chain != self.chain_id:
            raise DevWalletError(
                f"the typed data is for chain {chain}; the dev wallet signs for the devnet, "
                f"chain {self.chain_id}, only"
            )
        try:
            signed = Account.sign_typed_data(who.key.key, full_message=typed)
        except Exception as error:  # malformed types or values: eth_account says which
            raise DevWalletError(f"the typed data cannot be signed: {error}", 400) from None
        return "0x" + bytes(signed.signature).hex()

    def _send(self, who: DevAccount, params: list[Any]) -> str:
        tx = params[0] if len(params) == 1 and isinstance(params[0], dict) else None
        if tx is None:
            raise DevWalletError("eth_sendTransaction takes [transaction]", 400)
        sender = tx.get("from")
        if not isinstance(sender, str) or sender.lower() != who.address.lower():
            raise DevWalletError(
                f"the transaction is from {sender!r}, but the dev wallet acts as {who.address}"
            )
        to = as_checksum_address(tx.get("to")) if isinstance(tx.get("to"), str) else None
        if to is None:
            raise DevWalletError('"to" must be a contract address (no deployments here)', 400)
        data = tx.get("data") or tx.get("input") or "0x"
        try:
            value = int(str(tx.get("value") or "0x0"), 16)
            bytes.fromhex(str(data).removeprefix("0x"))
        except ValueError:
            raise DevWalletError('"data" and "value" must be hex', 400) from None
        call: dict[str, Any] = {"from": who.address, "to": to, "data": data, "value": value}
        with self._sending:
            if int(self.w3.eth.get_balance(who.key.address)) < 10**18:
                self.w3.provider.make_request(
                    "anvil_setBalance",  # type: ignore[arg-type]
                    [who.address, hex(GAS_FUNDS)],
                )
            try:
                gas = int(self.w3.eth.estimate_gas(call))  # type: ignore[arg-type]
            except (ContractLogicError, Web3RPCError) as error:
                raise DevWalletError(f"the chain refuses the transaction: {error}") from None
            built = {
                **call,
                "nonce": self.w3.eth.get_transaction_count(who.key.address, "pending"),
                "gas": gas * 13 // 10,
                "gasPrice": self.w3.eth.gas_price,
                "chainId": self.chain_id,
            }
            signed = who.key.sign_transaction(built)
            digest = self.w3.eth.send_raw_transaction(signed.raw_transaction)
        return "0x" + bytes(digest).hex()

    def _forward(self, method: str, params: list[Any]) -> Any:
        answer = self.w3.provider.make_request(method, params)  # type: ignore[arg-type]
        if "error" in answer:
            error = answer["error"]
            message = error.get("message") if isinstance(error, dict) else error
            raise DevWalletError(f"the node refused {method}: {message}")
        return answer.get("result")


def build_router(wallet: DevWallet) -> APIRouter:
    """``GET /dev-wallet/accounts``, ``POST /dev-wallet/rpc`` and ``POST /dev-wallet/faucet``;
    every answer is JSON, refusals ``{"error", "detail"}`` with a 4xx."""
    router = APIRouter(prefix="/dev-wallet")

    def refused(error: DevWalletError) -> JSONResponse:
        return JSONResponse(
            {"error": "refused by the dev wallet", "detail": str(error)}, error.status
        )

    async def body_of(request: Request) -> dict[str, Any]:
        if request.headers.get(HEADER) != "1":
            raise DevWalletError(
                f"the dev wallet answers its own page only (header {HEADER}: 1 missing)", 403
            )
        raw = await request.body()
        if len(raw) > MAX_BODY:
            raise DevWalletError(f"the request is over {MAX_BODY:,} bytes", 413)
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise DevWalletError("the body must be a JSON object", 400) from None
        if not isinstance(body, dict):
            raise DevWalletError("the body must be a JSON object", 400)
        return body

    @router.get("/accounts")
    def accounts() -> JSONResponse:
        return JSONResponse(
            {
                "chain_id": wallet.chain_id,
                "default": wallet.default,
                "accounts": [
                    {"label": a.label, "name": a.name, "address": a.address}
                    for a in wallet.accounts.values()
                ],
            }
        )

    @router.post("/rpc")
    async def rpc(request: Request) -> JSONResponse:
        try:
            body = await body_of(request)
            result = await run_in_threadpool(
                wallet.request, body.get("account"), body.get("method"), body.get("params")
            )
        except DevWalletError as error:
            return refused(error)
        except OSError as error:  # the node does not answer (requests' errors are OSErrors)
            return refused(DevWalletError(f"the devnet does not answer: {error}", 503))
        return JSONResponse({"result": result})

    @router.post("/faucet")
    async def faucet(request: Request) -> JSONResponse:
        try:
            body = await body_of(request)
            return JSONResponse(await run_in_threadpool(wallet.faucet, body.get("account")))
        except DevWalletError as error:
            return refused(error)
        except OSError as error:
            return refused(DevWalletError(f"the devnet does not answer: {error}", 503))

    return router
