"""Deployment (§2): nobody — not the deployer — can mint outside the rules.
There is no owner, no minter role, no pause, no public mint."""

from __future__ import annotations

from typing import Any

import boa
import pytest

from kol.chain.inprocess import deployer
from tests.contracts.unitary.token._util import COUNCIL, ISSUER, ZERO, events

#: The whole external surface of the token.
ABI = {
    "totalSupply",
    "balanceOf",
    "allowance",
    "transfer",
    "approve",
    "transferFrom",
    "name",
    "symbol",
    "decimals",
    "permit",
    "nonces",
    "DOMAIN_SEPARATOR",
    "eip712Domain",
    "GENESIS_CAP",
    "MATCHED_CAP",
    "TOTAL_CAP",
    "issuer",
    "council",
    "issued_genesis",
    "issued_matched",
    "burned_total",
    "issued_total",
    "open_batch",
    "release_genesis",
    "claim",
    "deliver",
    "claim_genesis",
    "burn",
    "batch_count",
    "batch",
    "is_claimed",
    "genesis_pool",
    "genesis_month",
    "genesis_claimed",
    "is_pool",
}


@pytest.mark.parametrize(
    "name",
    [
        "mint",
        "set_minter",
        "is_minter",
        "owner",
        "transfer_ownership",
        "renounce_ownership",
        "burn_from",
        "pause",
        "unpause",
        "mint_genesis",
        "mint_matched",
    ],
)
def test_deploy__no_owner_minter_or_pause_function(token: Any, name: str) -> None:
    assert not hasattr(token, name)
    assert name not in {f["name"] for f in token.abi if f["type"] == "function"}


def test_deploy__external_functions__exactly_the_erc20_permit_issuance_and_pool_ones(
    token: Any,
) -> None:
    assert {f["name"] for f in token.abi if f["type"] == "function"} == ABI


def test_deploy__deployer__holds_no_minter_role_and_no_ownership(token: Any) -> None:
    """snekmate's erc20 grants both to the deployer; the constructor takes them back."""
    assert token.eval(f"erc20.is_minter[{boa.env.eoa}]") is False
    assert token.eval(f"erc20.is_minter[{ISSUER}]") is False
    assert token.eval("ownable.owner") == ZERO


def test_deploy__renounces_ownership_in_its_events() -> None:
    """(The minter role is taken back by a plain storage write, without a
    ``RoleMinterChanged`` event: the state is checked above.)"""
    token = deployer("KOLToken").deploy(ISSUER, COUNCIL)
    owners = [(e.previous_owner, e.new_owner) for e in events(token, "OwnershipTransferred")]
    assert owners[-1] == (str(boa.env.eoa), ZERO)


def test_deploy__zero_issuer__reverts() -> None:
    with boa.reverts("token: issuer is the zero address"):
        deployer("KOLToken").deploy(ZERO, COUNCIL)


def test_deploy__deployer__cannot_issue_or_burn(token: Any) -> None:
    with boa.reverts("token: only the issuer opens batches"):
        token.open_batch(b"\x01" * 32, 8, 2, True)
    with boa.reverts("token: only the issuer releases genesis months"):
        token.release_genesis(b"\x01" * 32, 1, 1)
    with boa.reverts("token: only the issuer burns"):
        token.burn(0)
    assert token.totalSupply() == 0 and token.batch_count() == 0


def test_deploy__zero_council__reverts() -> None:
    with boa.reverts("token: council is the zero address"):
        deployer("KOLToken").deploy(ISSUER, ZERO)


def test_deploy__names_its_council() -> None:
    token = deployer("KOLToken").deploy(ISSUER, COUNCIL)
    assert token.council() == COUNCIL
