"""An external signer: a JSON-RPC service that holds the key and signs on request, so that kol
never sees it.

Three kinds answer the same way and are told apart by what they answer to:

- an Ethereum JSON-RPC signer — web3signer, a node with an unlocked account (geth, anvil) —
  ``eth_accounts``, ``eth_signTransaction``, ``eth_signTypedData_v4`` (``eth_signTypedData``
  where only that exists);
- Clef's external API (``clef --http``): ``account_list``, ``account_signTransaction``,
  ``account_signTypedData``; each request waits for its owner's approval in Clef.

:class:`ExternalSigner` signs transactions (``TransactionSigner`` of ``kol.chain.rpc``) and
EIP-712 typed data (``sign_typed_data``, as ``eth_account``'s accounts do), and sends nothing:
it never calls ``eth_sendTransaction``. Everything it gets back is checked here before it is
used — the signed transaction must be the one asked for and recover to the account, the
typed-data signature must recover to the account — so a signer that answers for another
address, or signs something else, is refused and nothing is sent.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit, urlunsplit

from eth_account import Account
from eth_account.datastructures import SignedMessage
from eth_account.messages import encode_typed_data
from eth_account.typed_transactions.typed_transaction import TypedTransaction
from eth_typing import ChecksumAddress
from eth_utils.address import is_address, to_checksum_address
from eth_utils.crypto import keccak
from hexbytes import HexBytes

from kol.chain.rpc import ChainError

__all__ = [
    "DEFAULT_TIMEOUT",
    "ExternalSigner",
    "ExternalSignerError",
    "SignedByExternal",
    "shown_url",
]

DEFAULT_TIMEOUT: Final = 120.0
"""Seconds to wait for an answer (Clef waits for a person to approve each request)."""
_METHOD_NOT_FOUND: Final = (-32601,)
_SECP256K1_N: Final = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
_COMPARED: Final = ("chainId", "nonce", "to", "value", "data", "gas")
_FEES: Final = ("maxFeePerGas", "maxPriorityFeePerGas")


class ExternalSignerError(ChainError):
    """The external signer could not be used: unreachable, refused, or answered wrongly. The
    message names the signer (its URL without credentials) and what to do."""


@dataclass(frozen=True)
class SignedByExternal:
    """A transaction the external signer signed: what ``kol.chain.rpc`` records and sends."""

    raw_transaction: HexBytes
    hash: HexBytes


def shown_url(url: str) -> str:
    """``url`` without its user and password, for messages."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port is not None else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _quantity(value: int) -> str:
    return hex(int(value))


class ExternalSigner:
    """The account ``address`` of the external signer at ``url`` (see the module's docstring).

    Build it with :meth:`connect`, which asks the signer which accounts it holds."""

    def __init__(
        self, url: str, address: str, *, api: str = "eth", timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        if api not in ("eth", "clef"):
            raise ValueError(f"unknown external signer API {api!r} (eth or clef)")
        self.url = url
        self._address: ChecksumAddress = to_checksum_address(address)
        self.api = api
        self.timeout = timeout
        self._typed_method: str | None = None
        self._id = 0

    @classmethod
    def connect(
        cls, url: str, address: str | None = None, *, timeout: float = DEFAULT_TIMEOUT
    ) -> ExternalSigner:
        """The signer at ``url`` signing for ``address`` — which it must hold; without an
        address, the one account it holds (an error when it holds several)."""
        scheme = urlsplit(url).scheme
        if scheme not in ("http", "https"):
            raise ExternalSignerError(
                f"the external signer's URL must be http:// or https:// (got {shown_url(url)!r}; "
                "for Clef, start it with --http)"
            )
        if address is not None and not is_address(address):
            raise ExternalSignerError(
                f"--signer-account {address!r} is not an address (0x and 40 hex digits)"
            )
        probe = cls(url, address or "0x" + "00" * 20, timeout=timeout)
        try:
            accounts, api = probe._call("eth_accounts", []), "eth"
        except _MethodNotFound:
            try:
                accounts, api = probe._call("account_list", []), "clef"
            except _MethodNotFound:
                raise ExternalSignerError(
                    f"{probe.where} answers neither eth_accounts nor account_list: it is not an "
                    "external signer (web3signer, Clef, or a node with an unlocked account)"
                ) from None
        held = [str(to_checksum_address(a)) for a in accounts or [] if is_address(a)]
        if address is None:
            if len(held) != 1:
                listed = ", ".join(held) if held else "none"
                raise ExternalSignerError(
                    f"{probe.where} holds {len(held)} accounts ({listed}): name the one to sign "
                    "with, --signer-account ADDR"
                )
            address = held[0]
        wanted = str(to_checksum_address(address))
        if wanted not in held:
            listed = ", ".join(held) if held else "none"
            raise ExternalSignerError(
                f"{probe.where} does not hold {wanted} (it holds: {listed}): unlock or import "
                "that account in the signer, or name one it holds with --signer-account"
            )
        return cls(url, wanted, api=api, timeout=timeout)

    @property
    def address(self) -> ChecksumAddress:
        return self._address

    @property
    def where(self) -> str:
        return f"the external signer at {shown_url(self.url)}"

    def __repr__(self) -> str:
        return f"ExternalSigner({shown_url(self.url)!r}, {self._address!r}, api={self.api!r})"

    # signing ---------------------------------------------------------------------------

    def sign_transaction(self, transaction_dict: dict[str, Any]) -> SignedByExternal:
        """Has the signer sign ``transaction_dict`` (an EIP-1559 transaction as
        ``kol.chain.rpc`` builds it) and checks that it signed exactly that, as this account."""
        request = self._transaction_json(transaction_dict)
        method = "account_signTransaction" if self.api == "clef" else "eth_signTransaction"
        answer = self._signing(method, [request])
        text = answer.get("raw") if isinstance(answer, dict) else answer
        try:
            raw = HexBytes(str(text))
        except (TypeError, ValueError):
            raw = HexBytes(b"")
        if not raw:
            raise ExternalSignerError(f"{self.where} answered {method} with no transaction")
        self._check_transaction(raw, transaction_dict)
        return SignedByExternal(raw_transaction=raw, hash=HexBytes(keccak(raw)))

    def sign_typed_data(
        self,
        domain_data: dict[str, Any] | None = None,
        message_types: dict[str, Any] | None = None,
        message_data: dict[str, Any] | None = None,
        full_message: dict[str, Any] | None = None,
    ) -> SignedMessage:
        """Has the signer sign the EIP-712 ``full_message`` (the ``eth_signTypedData_v4`` JSON)
        and checks that the signature is this account's."""
        if full_message is None:
            raise ValueError("an external signer signs the full typed data (full_message=…)")
        digest = encode_typed_data(full_message=full_message)
        answer = self._typed(full_message)
        try:
            signature = HexBytes(str(answer))
        except (TypeError, ValueError):
            signature = HexBytes(b"")
        if len(signature) != 65:
            raise ExternalSignerError(f"{self.where} answered with no 65-byte signature")
        r = int.from_bytes(signature[:32], "big")
        s = int.from_bytes(signature[32:64], "big")
        v = signature[64]
        v = v + 27 if v in (0, 1) else v
        if s > _SECP256K1_N // 2:  # the same signature in its low-s form (the contract's)
            s, v = _SECP256K1_N - s, 55 - v
        if v not in (27, 28):
            raise ExternalSignerError(f"{self.where} answered with a malformed signature")
        normal = r.to_bytes(32, "big") + s.to_bytes(32, "big") + bytes([v])
        try:
            signer = Account.recover_message(digest, signature=normal)
        except Exception:  # noqa: BLE001 (any malformed signature is the same refusal)
            signer = None
        if signer != self._address:
            raise ExternalSignerError(
                f"{self.where} signed the typed data as {signer or 'nobody'}, not as "
                f"{self._address}: nothing was signed or sent"
            )
        message_hash = keccak(b"\x19" + digest.version + digest.header + digest.body)
        return SignedMessage(
            message_hash=HexBytes(message_hash), r=r, s=s, v=v, signature=HexBytes(normal)
        )

    def sign_message(self, signable_message: Any) -> SignedMessage:
        """Refused: an external signer is shown what it signs (the typed data), never a bare
        digest. The SDK calls :meth:`sign_typed_data`."""
        raise ExternalSignerError(
            f"{self.where} signs typed data (eth_signTypedData_v4) and transactions only, never "
            "a bare digest"
        )

    # the wire --------------------------------------------------------------------------

    def _typed(self, full_message: dict[str, Any]) -> Any:
        if self.api == "clef":
            return self._signing("account_signTypedData", [self._address, full_message])
        methods = [self._typed_method] if self._typed_method else []
        methods += [m for m in ("eth_signTypedData_v4", "eth_signTypedData") if m not in methods]
        for method in methods:
            try:
                answer = self._signing(method, [self._address, full_message], fallback=True)
            except _MethodNotFound:
                continue
            self._typed_method = method
            return answer
        raise ExternalSignerError(
            f"{self.where} does not sign typed data (no eth_signTypedData_v4): use a signer "
            "that does (web3signer, Clef, geth)"
        )

    def _transaction_json(self, tx: dict[str, Any]) -> dict[str, Any]:
        request: dict[str, Any] = {
            "from": self._address,
            "chainId": _quantity(tx["chainId"]),
            "nonce": _quantity(tx["nonce"]),
            "gas": _quantity(tx["gas"]),
            "value": _quantity(tx.get("value", 0)),
            "type": _quantity(tx.get("type", 2)),
            **{fee: _quantity(tx[fee]) for fee in _FEES},
        }
        data = "0x" + bytes(HexBytes(tx.get("data", b""))).hex()
        request["data" if self.api == "eth" else "input"] = data
        if self.api == "eth":
            request["input"] = data
        if tx.get("to") is not None:
            request["to"] = str(to_checksum_address(tx["to"]))
        return request

    def _check_transaction(self, raw: HexBytes, asked: dict[str, Any]) -> None:
        try:
            signed = TypedTransaction.from_bytes(raw).as_dict()
            sender = Account.recover_transaction(raw)
        except Exception:  # noqa: BLE001 (legacy, malformed: the same refusal)
            raise ExternalSignerError(
                f"{self.where} answered with a transaction that is not the EIP-1559 one asked "
                "for: nothing was sent"
            ) from None
        if sender != self._address:
            raise ExternalSignerError(
                f"{self.where} signed the transaction as {sender}, not as {self._address}: "
                "nothing was sent"
            )
        expected = {
            "chainId": int(asked["chainId"]),
            "nonce": int(asked["nonce"]),
            "to": None if asked.get("to") is None else str(to_checksum_address(asked["to"])),
            "value": int(asked.get("value", 0)),
            "data": bytes(HexBytes(asked.get("data", b""))),
            "gas": int(asked["gas"]),
            **{fee: int(asked[fee]) for fee in _FEES},
        }
        got = {
            **{k: signed.get(k) for k in (*_COMPARED, *_FEES)},
            "to": to_checksum_address(signed["to"]) if signed.get("to") else None,
            "data": bytes(signed.get("data") or b""),
        }
        changed = [k for k in expected if got.get(k) != expected[k]]
        if changed:
            raise ExternalSignerError(
                f"{self.where} signed a different transaction (its {', '.join(changed)} "
                "changed): nothing was sent"
            )

    def _signing(self, method: str, params: list[Any], *, fallback: bool = False) -> Any:
        try:
            return self._call(method, params)
        except _MethodNotFound:
            if fallback:
                raise
            raise ExternalSignerError(
                f"{self.where} does not offer {method}: it is not an external signer kol can use"
            ) from None

    def _call(self, method: str, params: list[Any]) -> Any:
        self._id += 1
        body = json.dumps({"jsonrpc": "2.0", "id": self._id, "method": method, "params": params})
        request = urllib.request.Request(
            self.url, data=body.encode(), headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                text = response.read()
        except urllib.error.HTTPError as error:
            text = error.read()
            if not text.strip().startswith(b"{"):
                raise ExternalSignerError(
                    f"{self.where} refused {method} (HTTP {error.code}): nothing was sent"
                ) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise ExternalSignerError(
                f"{self.where} does not answer ({reason}): start it, or check --signer-url"
            ) from None
        try:
            answer = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ExternalSignerError(f"{self.where} answered {method} with no JSON") from None
        if not isinstance(answer, dict):
            raise ExternalSignerError(f"{self.where} answered {method} with no JSON-RPC object")
        error_field = answer.get("error")
        if error_field is not None:
            code = error_field.get("code") if isinstance(error_field, dict) else None
            message = (
                error_field.get("message", error_field)
                if isinstance(error_field, dict)
                else error_field
            )
            text = str(message).lower()
            unknown = "method" in text and ("not found" in text or "does not exist" in text)
            if code in _METHOD_NOT_FOUND or unknown:
                raise _MethodNotFound(method)
            raise ExternalSignerError(f"{self.where} refused {method}: {message}")
        return answer.get("result")


class _MethodNotFound(Exception):
    """The signer does not offer the method (another kind of signer, or an older one)."""
