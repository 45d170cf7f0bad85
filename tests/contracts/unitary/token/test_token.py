"""The KOL token (§2): ERC-20 + EIP-2612, cumulative issuance caps, no owner."""

from __future__ import annotations

from typing import Any

import boa
import pytest
from eth_account.messages import encode_typed_data

from kol.chain.inprocess import deployer
from tests.contracts.helpers import key
from tests.contracts.unitary.token._util import COUNCIL

KOL = 10**18
GENESIS_CAP = 5_000_000 * KOL
MATCHED_CAP = 16_000_000 * KOL


@pytest.fixture
def issuer() -> str:
    return key("issuer").address


@pytest.fixture
def token(issuer: str) -> Any:
    return deployer("KOLToken").deploy(issuer, COUNCIL)


def _supply_invariant(token: Any) -> None:
    """§11.2: totalSupply = issued_total − burned_total."""
    assert token.totalSupply() == token.issued_total() - token.burned_total()
    assert token.issued_total() == token.issued_genesis() + token.issued_matched()


def test_metadata(token: Any) -> None:
    assert (token.name(), token.symbol(), token.decimals()) == ("KOL Community Alliance", "KOL", 18)
    assert token.totalSupply() == 0


def test_no_owner_no_minter_role_no_public_mint(token: Any) -> None:
    for name in (
        "mint",
        "set_minter",
        "owner",
        "transfer_ownership",
        "renounce_ownership",
        "burn_from",
        "is_minter",
    ):
        assert not hasattr(token, name), name


def test_deploy__zero_issuer__reverts() -> None:
    with boa.reverts("token: issuer is the zero address"):
        deployer("KOLToken").deploy("0x0000000000000000000000000000000000000000", COUNCIL)


@pytest.mark.parametrize("fn", ["mint_genesis", "mint_matched"])
def test_mint__not_the_issuer__reverts(token: Any, fn: str) -> None:
    deployer_address = str(boa.env.eoa)
    with boa.env.prank(deployer_address), boa.reverts("token: only the issuer mints"):
        getattr(token, fn)(deployer_address, KOL)
    assert token.totalSupply() == 0


def test_mint_genesis__up_to_the_cap_exactly(token: Any, issuer: str) -> None:
    with boa.env.prank(issuer):
        token.mint_genesis(issuer, GENESIS_CAP - 1)
        token.mint_genesis(issuer, 1)
        with boa.reverts("token: genesis issuance is capped at 5,000,000 KOL"):
            token.mint_genesis(issuer, 1)
    assert token.issued_genesis() == GENESIS_CAP
    _supply_invariant(token)


def test_mint_matched__up_to_the_cap_exactly(token: Any, issuer: str) -> None:
    with boa.env.prank(issuer):
        token.mint_matched(issuer, MATCHED_CAP)
        with boa.reverts("token: matched issuance is capped at 16,000,000 KOL"):
            token.mint_matched(issuer, 1)
    assert token.issued_total() == MATCHED_CAP
    _supply_invariant(token)


def test_burn__never_makes_room_for_issuance(token: Any, issuer: str) -> None:
    with boa.env.prank(issuer):
        token.mint_matched(issuer, MATCHED_CAP)
        token.burn(1_000 * KOL)
        with boa.reverts("token: matched issuance is capped at 16,000,000 KOL"):
            token.mint_matched(issuer, 1)
    assert token.burned_total() == 1_000 * KOL
    assert token.issued_matched() == MATCHED_CAP
    _supply_invariant(token)


def test_burn__only_the_issuer_and_only_its_own_balance(token: Any, issuer: str) -> None:
    holder = key("holder").address
    with boa.env.prank(issuer):
        token.mint_genesis(holder, 10 * KOL)
    with boa.env.prank(holder), boa.reverts("token: only the issuer burns"):
        token.burn(KOL)
    with boa.env.prank(issuer), boa.reverts("erc20: burn amount exceeds balance"):
        token.burn(KOL)
    assert token.balanceOf(holder) == 10 * KOL
    _supply_invariant(token)


def test_issued_event(token: Any, issuer: str) -> None:
    with boa.env.prank(issuer):
        token.mint_genesis(issuer, 7 * KOL)
    issued = [e for e in token.get_logs() if type(e).__name__ == "Issued"]
    assert len(issued) == 1
    assert (issued[0].bucket, issued[0].amount, issued[0].issued_total) == (0, 7 * KOL, 7 * KOL)


def test_transfer_approve_transfer_from(token: Any, issuer: str) -> None:
    a, b = key("a").address, key("b").address
    with boa.env.prank(issuer):
        token.mint_genesis(a, 100 * KOL)
    with boa.env.prank(a):
        assert token.transfer(b, 30 * KOL)
        assert token.approve(issuer, 50 * KOL)
    with boa.env.prank(issuer):
        assert token.transferFrom(a, b, 20 * KOL)
        with boa.reverts("erc20: insufficient allowance"):
            token.transferFrom(a, b, 31 * KOL)
    assert (token.balanceOf(a), token.balanceOf(b), token.allowance(a, issuer)) == (
        50 * KOL,
        50 * KOL,
        30 * KOL,
    )
    with boa.env.prank(b), boa.reverts("erc20: transfer amount exceeds balance"):
        token.transfer(a, 51 * KOL)


def _permit_signature(token: Any, owner: Any, spender: str, value: int, deadline: int) -> Any:
    _, name, version, chain_id, verifying, _, _ = token.eip712Domain()
    typed = {
        "types": {
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
        },
        "primaryType": "Permit",
        "domain": {
            "name": name,
            "version": version,
            "chainId": chain_id,
            "verifyingContract": verifying,
        },
        "message": {
            "owner": owner.address,
            "spender": spender,
            "value": value,
            "nonce": token.nonces(owner.address),
            "deadline": deadline,
        },
    }
    return owner.sign_message(encode_typed_data(full_message=typed))


def test_permit__sets_allowance_once(token: Any) -> None:
    owner, spender = key("permit owner"), key("spender").address
    deadline = boa.env.evm.patch.timestamp + 3_600
    sig = _permit_signature(token, owner, spender, 5 * KOL, deadline)
    r, s = sig.r.to_bytes(32, "big"), sig.s.to_bytes(32, "big")
    token.permit(owner.address, spender, 5 * KOL, deadline, sig.v, r, s)
    assert token.allowance(owner.address, spender) == 5 * KOL
    assert token.nonces(owner.address) == 1
    with boa.reverts("erc20: invalid signature"):
        token.permit(owner.address, spender, 5 * KOL, deadline, sig.v, r, s)


def test_permit__expired__reverts(token: Any) -> None:
    owner, spender = key("permit owner"), key("spender").address
    deadline = boa.env.evm.patch.timestamp - 1
    sig = _permit_signature(token, owner, spender, KOL, deadline)
    with boa.reverts("erc20: expired deadline"):
        token.permit(
            owner.address,
            spender,
            KOL,
            deadline,
            sig.v,
            sig.r.to_bytes(32, "big"),
            sig.s.to_bytes(32, "big"),
        )
    assert token.allowance(owner.address, spender) == 0


def test_permit__wrong_signer__reverts(token: Any) -> None:
    owner, spender = key("permit owner"), key("spender").address
    deadline = boa.env.evm.patch.timestamp + 3_600
    sig = _permit_signature(token, key("impostor"), spender, KOL, deadline)
    with boa.reverts("erc20: invalid signature"):
        token.permit(
            owner.address,
            spender,
            KOL,
            deadline,
            sig.v,
            sig.r.to_bytes(32, "big"),
            sig.s.to_bytes(32, "big"),
        )
    assert token.allowance(owner.address, spender) == 0
