"""The token's identity (§2): ERC-20 "KOL Community Alliance", symbol KOL,
18 decimals, the cumulative caps, and its EIP-712 domain for permits."""

from __future__ import annotations

from typing import Any

import boa
from eth_abi import encode
from eth_utils import keccak

from tests.contracts.unitary.token._util import GENESIS_CAP, MATCHED_CAP, TOTAL_CAP


def test_metadata__name_symbol_decimals(token: Any) -> None:
    assert token.name() == "KOL Community Alliance"
    assert token.symbol() == "KOL"
    assert token.decimals() == 18


def test_metadata__caps_of_section_2(token: Any) -> None:
    assert token.GENESIS_CAP() == GENESIS_CAP == 5_000_000 * 10**18
    assert token.MATCHED_CAP() == MATCHED_CAP == 16_000_000 * 10**18
    assert token.TOTAL_CAP() == TOTAL_CAP == GENESIS_CAP + MATCHED_CAP


def test_metadata__fresh_token__nothing_issued(token: Any, issuer: str) -> None:
    assert token.totalSupply() == 0
    assert (token.issued_genesis(), token.issued_matched(), token.issued_total()) == (0, 0, 0)
    assert token.burned_total() == 0
    assert token.balanceOf(issuer) == token.balanceOf(str(boa.env.eoa)) == 0


def test_metadata__issuer__the_address_given_at_deployment(token: Any, issuer: str) -> None:
    assert token.issuer() == issuer


def test_metadata__eip712_domain(token: Any) -> None:
    fields, name, version, chain_id, contract, salt, extensions = token.eip712Domain()
    assert fields == b"\x0f"
    assert (name, version) == ("KOL Community Alliance", "1")
    assert chain_id == boa.env.evm.patch.chain_id
    assert contract == token.address
    assert salt == b"\x00" * 32 and list(extensions) == []


def test_metadata__domain_separator__eip712_of_the_domain(token: Any) -> None:
    type_hash = keccak(
        text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    )
    expected = keccak(
        encode(
            ["bytes32", "bytes32", "bytes32", "uint256", "address"],
            [
                type_hash,
                keccak(text="KOL Community Alliance"),
                keccak(text="1"),
                boa.env.evm.patch.chain_id,
                token.address,
            ],
        )
    )
    assert token.DOMAIN_SEPARATOR() == expected
