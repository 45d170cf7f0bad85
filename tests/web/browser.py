"""Debian's Chromium driven by Python Playwright, with a test EIP-1193 wallet injected into the
page: it announces itself by EIP-6963, signs typed data with a dev key (in Python, through an
exposed binding) and sends transactions to anvil signed with the same key."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount

from kol.chain.anvil import rpc_request
from kol.chain.rpc import connect

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "web"
"""Screenshots (not committed: tests/artifacts/ is ignored)."""


def chromium() -> str:
    """Debian's Chromium (``make setup`` installs it); skipped when missing, failed in CI."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or ""):
        if candidate and Path(candidate).is_file():
            return candidate
    reason = "Chromium is not installed (make setup runs apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


WALLET_JS = """
(() => {
  const address = %(address)s;
  const chainId = %(chain)s;
  const provider = {
    isKolDevWallet: true,
    async request({ method, params }) {
      params = params || [];
      if (method === "eth_requestAccounts" || method === "eth_accounts") return [address];
      if (method === "eth_chainId") return chainId;
      if (method === "wallet_switchEthereumChain") return null;
      if (method === "eth_signTypedData_v4") return await window.kolTestSign(params[0], params[1]);
      if (method === "eth_sendTransaction")
        return await window.kolTestSend(JSON.stringify(params[0]));
      return JSON.parse(await window.kolTestRpc(method, JSON.stringify(params)));
    },
    on() {}, removeListener() {},
  };
  const info = { uuid: "6f4b1c1e-0000-4000-8000-000000000001", name: "KOL test wallet",
    icon: "data:image/svg+xml,%%3Csvg xmlns='http://www.w3.org/2000/svg'/%%3E",
    rdns: "org.kol.test" };
  const announce = () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider",
    { detail: Object.freeze({ info, provider }) }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
})();
"""


class DevWallet:
    """What the injected provider does in Python: sign with ``key``, send to ``rpc_url``."""

    def __init__(self, key: LocalAccount, rpc_url: str, chain_id: int) -> None:
        self.key = key
        self.rpc_url = rpc_url
        self.chain_id = chain_id
        self.signed: list[dict[str, Any]] = []
        self.sent: list[str] = []

    def script(self) -> str:
        return WALLET_JS % {
            "address": json.dumps(self.key.address),
            "chain": json.dumps(hex(self.chain_id)),
        }

    def sign(self, signer: str, data: str) -> str:
        assert signer.lower() == self.key.address.lower(), signer
        typed = json.loads(data)
        self.signed.append(typed)
        signed = Account.sign_typed_data(self.key.key, full_message=typed)
        return "0x" + bytes(signed.signature).hex()

    def send(self, raw: str) -> str:
        tx = json.loads(raw)
        assert tx["from"].lower() == self.key.address.lower()
        w3 = connect(self.rpc_url)
        call = {
            "from": self.key.address,
            "to": w3.to_checksum_address(tx["to"]),
            "data": tx["data"],
        }
        built = {
            **call,
            "nonce": w3.eth.get_transaction_count(self.key.address),
            "gas": int(w3.eth.estimate_gas(call) * 1.3),  # type: ignore[arg-type]
            "gasPrice": w3.eth.gas_price,
            "chainId": self.chain_id,
        }
        signed = self.key.sign_transaction(built)
        digest = w3.eth.send_raw_transaction(signed.raw_transaction)
        self.sent.append("0x" + bytes(digest).hex())
        return self.sent[-1]

    def rpc(self, method: str, params: str) -> str:
        return json.dumps(rpc_request(self.rpc_url, method, json.loads(params)))

    def install(self, context: Any) -> None:
        context.expose_function("kolTestSign", self.sign)
        context.expose_function("kolTestSend", self.send)
        context.expose_function("kolTestRpc", self.rpc)
        context.add_init_script(self.script())
