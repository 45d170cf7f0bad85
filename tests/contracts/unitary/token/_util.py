"""Helpers shared by the token unit tests: amounts, holders, state, permits."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import boa
from eth_account import Account
from eth_account.signers.local import LocalAccount

from tests.contracts.helpers import key

KOL = 10**18
GENESIS_CAP = 5_000_000 * KOL
MATCHED_CAP = 16_000_000 * KOL
TOTAL_CAP = 21_000_000 * KOL
MAX_UINT = 2**256 - 1
ZERO = "0x0000000000000000000000000000000000000000"

ISSUER: str = key("token-unit:issuer").address
COUNCIL: str = key("token-unit:council").address
ALICE: LocalAccount = key("token-unit:alice")
BOB: LocalAccount = key("token-unit:bob")
CAROL: LocalAccount = key("token-unit:carol")

# Revert reasons (KOLToken.vy; snekmate erc20.vy and ecdsa.vy).
ONLY_ISSUER_MINTS = "token: only the issuer mints"
ONLY_ISSUER_BURNS = "token: only the issuer burns"
GENESIS_CAPPED = "token: genesis issuance is capped at 5,000,000 KOL"
MATCHED_CAPPED = "token: matched issuance is capped at 16,000,000 KOL"
EXCEEDS_BALANCE = "erc20: transfer amount exceeds balance"
BURN_EXCEEDS = "erc20: burn amount exceeds balance"
TO_ZERO = "erc20: transfer to the zero address"
MINT_TO_ZERO = "erc20: mint to the zero address"
APPROVE_TO_ZERO = "erc20: approve to the zero address"
INSUFFICIENT_ALLOWANCE = "erc20: insufficient allowance"
EXPIRED_DEADLINE = "erc20: expired deadline"
INVALID_SIGNATURE = "erc20: invalid signature"
INVALID_S = "ecdsa: invalid signature `s` value"

SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def now() -> int:
    timestamp: int = boa.env.evm.patch.timestamp
    return timestamp


def events(contract: Any, name: str) -> list[Any]:
    """The decoded logs called ``name`` of ``contract``'s last call."""
    return [e for e in contract.get_logs() if type(e).__name__ == name]


def mint_genesis(token: Any, to: str, amount: int) -> None:
    with boa.env.prank(ISSUER):
        token.mint_genesis(to, amount)


def mint_matched(token: Any, to: str, amount: int) -> None:
    with boa.env.prank(ISSUER):
        token.mint_matched(to, amount)


def burn(token: Any, amount: int) -> None:
    with boa.env.prank(ISSUER):
        token.burn(amount)


HOLDERS: tuple[str, ...] = (ISSUER, ALICE.address, BOB.address, CAROL.address)


def state(token: Any, holders: Sequence[str] = HOLDERS) -> dict[str, Any]:
    """Everything a refused token call must leave as it was."""
    return {
        "supply": token.totalSupply(),
        "issued": (token.issued_genesis(), token.issued_matched(), token.issued_total()),
        "burned": token.burned_total(),
        "balances": [token.balanceOf(h) for h in holders],
        "allowances": [token.allowance(o, s) for o in holders for s in holders],
        "nonces": [token.nonces(h) for h in holders],
    }


@contextmanager
def reverts_unchanged(token: Any, reason: str) -> Iterator[None]:
    """The block reverts with exactly ``reason`` and changes nothing."""
    before = state(token)
    with boa.reverts(reason):
        yield
    assert state(token) == before


def check_supply(token: Any, holders: Sequence[str] = HOLDERS) -> None:
    """§11.1–2: totalSupply = issued_total − burned_total; buckets within caps."""
    g, m = token.issued_genesis(), token.issued_matched()
    assert token.issued_total() == g + m <= TOTAL_CAP
    assert g <= GENESIS_CAP and m <= MATCHED_CAP
    assert token.totalSupply() == token.issued_total() - token.burned_total()
    assert sum(token.balanceOf(h) for h in holders) == token.totalSupply()


# EIP-2612 #

PERMIT_TYPES = {
    "EIP712Domain": [
        {"name": "name", "type": "string"},
        {"name": "version", "type": "string"},
        {"name": "chainId", "type": "uint256"},
        {"name": "verifyingContract", "type": "address"},
    ],
    "Permit": [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ],
}


def permit_message(
    token: Any,
    owner: str,
    spender: str,
    value: int,
    deadline: int,
    *,
    nonce: int | None = None,
    verifying_contract: str | None = None,
) -> dict[str, Any]:
    """The EIP-712 typed data of a permit, domain read from ERC-5267 ``eip712Domain``."""
    d = token.eip712Domain()
    return {
        "types": PERMIT_TYPES,
        "primaryType": "Permit",
        "domain": {
            "name": d[1],
            "version": d[2],
            "chainId": d[3],
            "verifyingContract": verifying_contract or str(d[4]),
        },
        "message": {
            "owner": owner,
            "spender": spender,
            "value": value,
            "nonce": token.nonces(owner) if nonce is None else nonce,
            "deadline": deadline,
        },
    }


def sign_permit(
    signer: LocalAccount,
    token: Any,
    spender: str,
    value: int,
    deadline: int,
    *,
    owner: str | None = None,
    **forge: Any,
) -> tuple[int, bytes, bytes]:
    """(v, r, s) of ``signer``'s permit for ``owner`` (default: the signer)."""
    message = permit_message(token, owner or signer.address, spender, value, deadline, **forge)
    signed = Account.sign_typed_data(signer.key, full_message=message)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")
