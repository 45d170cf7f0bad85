"""EIP-712 typed data of gasless ballots and sponsorships (constitution §4)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boa
import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils.crypto import keccak
from hypothesis import given
from hypothesis import strategies as st

from kol.domain.eip712 import (
    BALLOT_TYPE,
    BALLOT_TYPEHASH,
    DOMAIN_NAME,
    DOMAIN_TYPEHASH,
    DOMAIN_VERSION,
    SPONSORSHIP_TYPE,
    SPONSORSHIP_TYPEHASH,
    ballot_digest,
    ballot_struct_hash,
    ballot_typed_data,
    domain_data,
    domain_separator,
    sponsorship_digest,
    sponsorship_typed_data,
)
from kol.domain.types import Choice

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
COUNCIL = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
VOTER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
MAX_UINT256 = 2**256 - 1


def _eth_account_hash(full_message: dict[str, Any]) -> bytes:
    """The digest eth_account computes for typed data (header 0x19 0x01 included)."""
    signable = encode_typed_data(full_message=full_message)
    return keccak(b"\x19" + signable.version + signable.header + signable.body)


def _ballot(**overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "chain_id": 31337,
        "verifying_contract": COUNCIL,
        "voter": VOTER,
        "motion_id": 7,
        "stage_id": 15,
        "choice": Choice.FOR,
        "expiry": 1_800_000_000,
    }
    args.update(overrides)
    return args


def _sponsorship(**overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "chain_id": 31337,
        "verifying_contract": COUNCIL,
        "sponsor": VOTER,
        "motion_id": 3,
        "expiry": 1_800_000_000,
    }
    args.update(overrides)
    return args


# TYPE HASHES #


def test_type_hashes__are_keccak_of_the_type_strings() -> None:
    domain = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    assert keccak(text=domain) == DOMAIN_TYPEHASH
    assert keccak(text=BALLOT_TYPE) == BALLOT_TYPEHASH
    assert keccak(text=SPONSORSHIP_TYPE) == SPONSORSHIP_TYPEHASH


@pytest.mark.parametrize(
    ("module", "type_string"),
    [("ballots.vy", BALLOT_TYPE), ("sponsorships.vy", SPONSORSHIP_TYPE)],
)
def test_type_strings__are_the_ones_the_contracts_hash(module: str, type_string: str) -> None:
    source = (CONTRACTS / "modules" / module).read_text(encoding="utf-8")
    assert f'"{type_string}"' in source


def test_domain__is_the_one_the_council_declares() -> None:
    source = (CONTRACTS / "Council.vy").read_text(encoding="utf-8")
    assert f'eip712_domain_separator.__init__("{DOMAIN_NAME}", "{DOMAIN_VERSION}")' in source


# TYPED DATA #


def test_ballot_typed_data__is_the_v4_json_structure() -> None:
    data = ballot_typed_data(**_ballot())
    assert data["primaryType"] == "Ballot"
    assert data["domain"] == {
        "name": "KOL Alliance",
        "version": "1",
        "chainId": 31337,
        "verifyingContract": COUNCIL,
    }
    assert [f["name"] for f in data["types"]["EIP712Domain"]] == [
        "name",
        "version",
        "chainId",
        "verifyingContract",
    ]
    assert data["types"]["Ballot"] == [
        {"name": "voter", "type": "address"},
        {"name": "motionId", "type": "uint256"},
        {"name": "stageId", "type": "uint256"},
        {"name": "choice", "type": "uint8"},
        {"name": "expiry", "type": "uint256"},
    ]
    assert data["message"] == {
        "voter": VOTER,
        "motionId": "7",
        "stageId": "15",
        "choice": 1,
        "expiry": "1800000000",
    }
    # A browser wallet receives it as JSON.
    assert json.loads(json.dumps(data)) == data


def test_sponsorship_typed_data__is_the_v4_json_structure() -> None:
    data = sponsorship_typed_data(**_sponsorship())
    assert data["primaryType"] == "Sponsorship"
    assert data["types"]["Sponsorship"] == [
        {"name": "sponsor", "type": "address"},
        {"name": "motionId", "type": "uint256"},
        {"name": "expiry", "type": "uint256"},
    ]
    assert data["message"] == {"sponsor": VOTER, "motionId": "3", "expiry": "1800000000"}
    assert json.loads(json.dumps(data)) == data


def test_typed_data__lowercase_addresses__are_checksummed() -> None:
    data = ballot_typed_data(**_ballot(voter=VOTER.lower(), verifying_contract=COUNCIL.lower()))
    assert data["message"]["voter"] == VOTER
    assert data["domain"]["verifyingContract"] == COUNCIL


# DIGESTS #


def test_ballot_digest__equals_eth_account_hash() -> None:
    args = _ballot()
    assert ballot_digest(**args) == _eth_account_hash(ballot_typed_data(**args))


def test_sponsorship_digest__equals_eth_account_hash() -> None:
    args = _sponsorship()
    assert sponsorship_digest(**args) == _eth_account_hash(sponsorship_typed_data(**args))


@given(
    chain_id=st.integers(1, 2**64),
    contract=st.binary(min_size=20, max_size=20),
    voter=st.binary(min_size=20, max_size=20),
    motion_id=st.integers(0, MAX_UINT256),
    stage_id=st.integers(0, MAX_UINT256),
    choice=st.sampled_from(Choice),
    expiry=st.integers(0, MAX_UINT256),
)
def test_ballot_digest__equals_eth_account_hash_for_any_ballot(
    chain_id: int,
    contract: bytes,
    voter: bytes,
    motion_id: int,
    stage_id: int,
    choice: Choice,
    expiry: int,
) -> None:
    args = _ballot(
        chain_id=chain_id,
        verifying_contract="0x" + contract.hex(),
        voter="0x" + voter.hex(),
        motion_id=motion_id,
        stage_id=stage_id,
        choice=choice,
        expiry=expiry,
    )
    assert ballot_digest(**args) == _eth_account_hash(ballot_typed_data(**args))


@given(
    chain_id=st.integers(1, 2**64),
    sponsor=st.binary(min_size=20, max_size=20),
    motion_id=st.integers(0, MAX_UINT256),
    expiry=st.integers(0, MAX_UINT256),
)
def test_sponsorship_digest__equals_eth_account_hash_for_any_sponsorship(
    chain_id: int, sponsor: bytes, motion_id: int, expiry: int
) -> None:
    args = _sponsorship(
        chain_id=chain_id, sponsor="0x" + sponsor.hex(), motion_id=motion_id, expiry=expiry
    )
    assert sponsorship_digest(**args) == _eth_account_hash(sponsorship_typed_data(**args))


def test_ballot_digest__signature_recovers_the_voter() -> None:
    account = Account.create("kol-eip712-test")
    args = _ballot(voter=account.address)
    signed = Account.sign_typed_data(account.key, full_message=ballot_typed_data(**args))
    assert signed.message_hash == ballot_digest(**args)
    recovered = Account._recover_hash(ballot_digest(**args), signature=signed.signature)
    assert recovered == account.address


def test_ballot_digest__every_field_is_signed() -> None:
    base = ballot_digest(**_ballot())
    for change in (
        {"chain_id": 1},
        {"verifying_contract": VOTER},
        {"voter": COUNCIL},
        {"motion_id": 8},
        {"stage_id": 16},
        {"choice": Choice.AGAINST},
        {"expiry": 1_800_000_001},
    ):
        assert ballot_digest(**_ballot(**change)) != base, change


def test_sponsorship_digest__differs_from_a_ballot_of_the_same_numbers() -> None:
    assert sponsorship_digest(**_sponsorship(motion_id=7)) != ballot_digest(**_ballot())


def test_domain_separator__matches_eth_account_domain_hash() -> None:
    signable = encode_typed_data(full_message=ballot_typed_data(**_ballot()))
    assert domain_separator(31337, COUNCIL) == signable.header
    assert domain_data(31337, COUNCIL)["chainId"] == 31337


def test_ballot_struct_hash__matches_eth_account_body() -> None:
    signable = encode_typed_data(full_message=ballot_typed_data(**_ballot()))
    args = _ballot()
    del args["chain_id"], args["verifying_contract"]
    assert ballot_struct_hash(**args) == signable.body


# ERRORS #


@pytest.mark.parametrize("choice", [0, 4, True])
def test_ballot__bad_choice__raises(choice: int) -> None:
    with pytest.raises(ValueError, match=r"eip712: choice must be 1 \(For\)"):
        ballot_digest(**_ballot(choice=choice))
    with pytest.raises(ValueError, match="eip712: choice"):
        ballot_typed_data(**_ballot(choice=choice))


@pytest.mark.parametrize("field", ["motion_id", "stage_id", "expiry", "chain_id"])
@pytest.mark.parametrize("value", [-1, 2**256, True])
def test_ballot__number_out_of_range__raises(field: str, value: int) -> None:
    with pytest.raises(ValueError, match=f"eip712: {field} must be an integer"):
        ballot_digest(**_ballot(**{field: value}))
    with pytest.raises(ValueError, match=f"eip712: {field} must be an integer"):
        ballot_typed_data(**_ballot(**{field: value}))


@pytest.mark.parametrize(
    "address",
    ["0x1234", "not an address", VOTER[:-1] + ("8" if VOTER[-1] != "8" else "9"), VOTER.swapcase()],
)
def test_ballot__bad_address__raises(address: str) -> None:
    with pytest.raises(ValueError, match="eip712: voter is not an address"):
        ballot_digest(**_ballot(voter=address))
    with pytest.raises(ValueError, match="eip712: verifying_contract is not an address"):
        ballot_typed_data(**_ballot(verifying_contract=address))


def test_sponsorship__bad_input__raises() -> None:
    with pytest.raises(ValueError, match="eip712: sponsor is not an address"):
        sponsorship_digest(**_sponsorship(sponsor="0x00"))
    with pytest.raises(ValueError, match="eip712: motion_id must be an integer"):
        sponsorship_typed_data(**_sponsorship(motion_id=-1))


# ON-CHAIN #

SIGNER = """
# pragma version ~=0.4.3
from snekmate.utils import eip712_domain_separator
initializes: eip712_domain_separator

BALLOT_TYPEHASH: constant(bytes32) = keccak256(
    "Ballot(address voter,uint256 motionId,uint256 stageId,uint8 choice,uint256 expiry)"
)
SPONSORSHIP_TYPEHASH: constant(bytes32) = keccak256(
    "Sponsorship(address sponsor,uint256 motionId,uint256 expiry)"
)

@deploy
def __init__():
    eip712_domain_separator.__init__("KOL Alliance", "1")

@external
@view
def chain_id() -> uint256:
    return chain.id

@external
@view
def ballot_digest(
    voter: address, motion_id: uint256, stage_id: uint256, choice: uint8, expiry: uint256
) -> bytes32:
    return eip712_domain_separator._hash_typed_data_v4(
        keccak256(abi_encode(BALLOT_TYPEHASH, voter, motion_id, stage_id, choice, expiry))
    )

@external
@view
def sponsorship_digest(sponsor: address, motion_id: uint256, expiry: uint256) -> bytes32:
    return eip712_domain_separator._hash_typed_data_v4(
        keccak256(abi_encode(SPONSORSHIP_TYPEHASH, sponsor, motion_id, expiry))
    )
"""


def test_digests__equal_snekmates_hash_typed_data_v4_on_chain() -> None:
    # The same hashing as modules/ballots.vy and modules/sponsorships.vy `_digest`.
    signer = boa.loads(SIGNER)
    chain_id = signer.chain_id()
    args = _ballot(chain_id=chain_id, verifying_contract=str(signer.address))
    assert signer.ballot_digest(VOTER, 7, 15, 1, 1_800_000_000) == ballot_digest(**args)
    args = _sponsorship(chain_id=chain_id, verifying_contract=str(signer.address))
    assert signer.sponsorship_digest(VOTER, 3, 1_800_000_000) == sponsorship_digest(**args)
