"""What the relayer accepts: signed ballots and sponsorships as JSON, parsed and typed.

A ballot is the EIP-712 ``Ballot`` message a member signed (``kol.domain.eip712``) with its
signature — the shape ``kol motion vote --sign`` writes is accepted as it is::

    {"voter": "0x…", "motion_id": 3, "stage_id": 7, "choice": "for", "expiry": 1767225600,
     "signature": "0x…65 bytes…"}

Numbers may be JSON numbers or decimal strings (as ``eth_signTypedData_v4`` messages carry
``uint256``); the EIP-712 names (``motionId``, ``stageId``) are accepted too; ``choice`` is
1 / 2 / 3 or ``for`` / ``against`` / ``abstain``; the signature is 65 bytes of hex, or ``v``,
``r``, ``s``; a contract wallet (ERC-1271) may sign with up to 1,024 bytes. ``chain_id`` and
``council``, when present, must name this deployment. A sponsorship is ``{"sponsor", "motion_id",
"expiry", "signature"}``.

Everything wrong with the shape raises :class:`Rejection` (HTTP 400) naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from kol.domain.types import Choice, as_checksum_address

__all__ = [
    "MAX_WALLET_SIGNATURE",
    "is_decimal",
    "BallotItem",
    "Kind",
    "Rejection",
    "Route",
    "SponsorshipItem",
    "parse_ballot",
    "parse_choice",
    "parse_sponsorship",
]

MAX_WALLET_SIGNATURE: Final = 1024
"""The longest contract-wallet signature the council takes (``signatures.vy``)."""
_MAX_UINT256: Final = 2**256 - 1
_MAX_ID: Final = 2**63 - 1
_CHOICES: Final = {"for": Choice.FOR, "against": Choice.AGAINST, "abstain": Choice.ABSTAIN}


class Kind(StrEnum):
    """What an item is."""

    BALLOT = "ballot"
    SPONSORSHIP = "sponsorship"


class Route(StrEnum):
    """The council function that relays an item (each batch calls one)."""

    BALLOTS = "cast_ballots"
    """ECDSA ballots of keys (up to 500 a call)."""
    WALLET_BALLOTS = "cast_wallet_ballots"
    """Ballots of contract wallets, ERC-1271 (up to 16 a call, apart from the keys' batches
    so that a wallet's gas cannot weigh on them)."""
    SPONSORSHIPS = "relay_sponsorships"
    """Sponsorships (up to 100 a call)."""


class Rejection(Exception):
    """An item refused before it is queued: an HTTP status, a short code and the reason."""

    def __init__(
        self, status: int, code: str, reason: str, *, retry_after: float | None = None
    ) -> None:
        super().__init__(reason)
        self.status = status
        self.code = code
        self.reason = reason
        self.retry_after = retry_after


def is_decimal(text: str) -> bool:
    """Whether ``text`` is ASCII decimal digits (``str.isdigit`` is true of "²" and "١" too:
    one makes ``int`` raise, the other is read as 1)."""
    return text.isascii() and text.isdigit()


def _bad(field: str, what: str) -> Rejection:
    return Rejection(400, "malformed", f'"{field}": {what}')


@dataclass(frozen=True)
class BallotItem:
    """A signed ballot (§4): ``voter`` votes ``choice`` in stage ``stage_id``."""

    voter: str
    stage_id: int
    choice: Choice
    expiry: int
    signature: bytes
    motion_id: int | None = None
    """The motion the voter signed for (None: the stage's, read from the chain)."""

    @property
    def kind(self) -> Kind:
        return Kind.BALLOT

    @property
    def signer(self) -> str:
        return self.voter


@dataclass(frozen=True)
class SponsorshipItem:
    """A signed co-sponsorship (§4) of motion ``motion_id`` by ``sponsor``."""

    sponsor: str
    motion_id: int
    expiry: int
    signature: bytes

    @property
    def kind(self) -> Kind:
        return Kind.SPONSORSHIP

    @property
    def signer(self) -> str:
        return self.sponsor


def _field(body: dict[str, Any], *names: str) -> Any:
    for name in names:
        if name in body:
            return body[name]
    return None


def _uint(
    body: dict[str, Any], *names: str, high: int = _MAX_UINT256, required: bool = True
) -> Any:
    value = _field(body, *names)
    if value is None:
        if required:
            raise _bad(names[0], "missing")
        return None
    if isinstance(value, str) and is_decimal(value) and len(value) <= 78:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise _bad(names[0], f"a whole number from 0 to {high} (a number or a decimal string)")
    return value


def _address(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if value is None:
        raise _bad(name, "missing")
    address = as_checksum_address(value)
    if address is None:
        raise _bad(name, "an address: 0x and 40 hex digits (mixed case only with a valid checksum)")
    return str(address)


def _hex(value: Any, field: str) -> bytes:
    if not isinstance(value, str) or not value.startswith(("0x", "0X")):
        raise _bad(field, "0x-prefixed hex")
    try:
        return bytes.fromhex(value[2:])
    except ValueError:
        raise _bad(field, "0x-prefixed hex") from None


def _signature(body: dict[str, Any], *, wallets: bool) -> bytes:
    if "signature" in body:
        signature = _hex(body["signature"], "signature")
        longest = MAX_WALLET_SIGNATURE if wallets else 65
        if len(signature) < 65 or len(signature) > longest:
            raise _bad(
                "signature",
                "65 bytes (r, s, v) from a key"
                + (f", or up to {longest} bytes from a contract wallet" if wallets else "")
                + f"; got {len(signature)}",
            )
        return signature
    if all(k in body for k in ("v", "r", "s")):
        v = _uint(body, "v", high=255)
        r, s = _hex(body["r"], "r"), _hex(body["s"], "s")
        for name, word in (("r", r), ("s", s)):
            if len(word) != 32:
                raise _bad(name, f"32 bytes, got {len(word)}")
        return r + s + bytes([v])
    raise _bad("signature", 'missing: give "signature" (65 bytes of hex) or "v", "r" and "s"')


def parse_choice(body: dict[str, Any]) -> Choice:
    value = body.get("choice")
    if isinstance(value, str) and value.strip().lower() in _CHOICES:
        return _CHOICES[value.strip().lower()]
    if isinstance(value, str) and is_decimal(value):
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value in (1, 2, 3):
        return Choice(value)
    raise _bad("choice", "1 or for, 2 or against, 3 or abstain")


def _same_deployment(body: dict[str, Any], chain_id: int, council: str) -> None:
    signed_chain = _uint(body, "chain_id", "chainId", required=False)
    if signed_chain is not None and signed_chain != chain_id:
        raise Rejection(
            422, "wrong_chain", f"signed for chain {signed_chain}; this relayer is on {chain_id}"
        )
    if body.get("council") is not None:
        signed_council = as_checksum_address(body.get("council"))
        if signed_council != council:
            raise Rejection(
                422,
                "wrong_council",
                f"signed for the council {body.get('council')}; this relayer relays to {council}",
            )


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise Rejection(400, "malformed", "the body must be one JSON object")
    return body


def parse_ballot(body: Any, *, chain_id: int, council: str) -> BallotItem:
    """A ballot from its JSON (see the module's docstring)."""
    data = _object(body)
    _same_deployment(data, chain_id, council)
    return BallotItem(
        voter=_address(data, "voter"),
        stage_id=_uint(data, "stage_id", "stageId", high=_MAX_ID),
        choice=parse_choice(data),
        expiry=_uint(data, "expiry"),
        signature=_signature(data, wallets=True),
        motion_id=_uint(data, "motion_id", "motionId", high=_MAX_ID, required=False),
    )


def parse_sponsorship(body: Any, *, chain_id: int, council: str) -> SponsorshipItem:
    """A sponsorship from its JSON (see the module's docstring)."""
    data = _object(body)
    _same_deployment(data, chain_id, council)
    return SponsorshipItem(
        sponsor=_address(data, "sponsor"),
        motion_id=_uint(data, "motion_id", "motionId", high=_MAX_ID),
        expiry=_uint(data, "expiry"),
        signature=_signature(data, wallets=False),
    )
