"""A small external signer for the tests: a JSON-RPC server on 127.0.0.1 that holds keys and
signs with them on request — as web3signer (``eth_*``) or Clef (``account_*``) would — and can
misbehave on purpose: refuse, sign as another key, or sign another transaction."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak

IMPOSTOR: LocalAccount = Account.from_key(keccak(text="kol-external-signer-impostor"))


@dataclass
class SignerServer:
    """What the server holds and how it behaves (change ``mode`` between requests)."""

    keys: Sequence[LocalAccount]
    api: str = "eth"  # "eth" (web3signer, geth, anvil) or "clef"
    mode: str = "sign"  # "sign", "refuse", "impostor", "tamper"
    url: str = ""
    methods: list[str] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)

    def answer(self, request: dict[str, Any]) -> dict[str, Any]:
        method, params = str(request.get("method")), list(request.get("params") or [])
        self.methods.append(method)
        prefix = {"eth": "eth_", "clef": "account_"}.get(self.api, "none_")
        if not method.startswith(prefix):
            return {"error": {"code": -32601, "message": f"the method {method} does not exist"}}
        name = method.removeprefix(prefix)
        if name in ("accounts", "list"):
            return {"result": [k.address for k in self.keys]}
        if self.mode == "refuse" and name.startswith("sign"):
            return {"error": {"code": -32000, "message": "Request denied"}}
        if name == "signTransaction":
            return {"result": self._transaction(params[0])}
        if name in ("signTypedData_v4", "signTypedData"):
            typed = params[1] if isinstance(params[1], dict) else json.loads(params[1])
            key = self._key(str(params[0]))
            return {"result": key.sign_typed_data(full_message=typed).signature.to_0x_hex()}
        return {"error": {"code": -32601, "message": f"the method {method} does not exist"}}

    def _key(self, address: str) -> LocalAccount:
        if self.mode == "impostor":
            return IMPOSTOR
        return next(k for k in self.keys if k.address.lower() == address.lower())

    def _transaction(self, request: dict[str, Any]) -> Any:
        tx: dict[str, Any] = {
            "chainId": int(request["chainId"], 16),
            "nonce": int(request["nonce"], 16),
            "gas": int(request["gas"], 16),
            "value": int(request.get("value", "0x0"), 16),
            "data": bytes.fromhex(str(request.get("data") or request.get("input"))[2:]),
            "maxFeePerGas": int(request["maxFeePerGas"], 16),
            "maxPriorityFeePerGas": int(request["maxPriorityFeePerGas"], 16),
            "type": 2,
        }
        if request.get("to"):
            tx["to"] = request["to"]
        if self.mode == "tamper":
            tx["nonce"] += 1
        raw = self._key(str(request["from"])).sign_transaction(tx).raw_transaction.to_0x_hex()
        return {"raw": raw, "tx": request} if self.api == "clef" else raw


@contextmanager
def external_signer(
    keys: Sequence[LocalAccount], *, api: str = "eth", mode: str = "sign"
) -> Iterator[SignerServer]:
    """A :class:`SignerServer` listening on 127.0.0.1 (a free port) while the block runs."""
    state = SignerServer(list(keys), api=api, mode=mode)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the http.server API)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.bodies.append(body)
            request = json.loads(body)
            reply = {"jsonrpc": "2.0", "id": request.get("id"), **state.answer(request)}
            data = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
