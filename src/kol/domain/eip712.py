"""EIP-712 typed data of gasless ballots and sponsorships (constitution §4).

A member may vote, or co-sponsor a motion, by signing typed data that anyone relays; a
signature is valid for one motion, one stage, one choice, and expires. The contracts
(``modules/ballots.vy``, ``modules/sponsorships.vy``) hash exactly these types under the domain
``{name: "KOL Alliance", version: "1", chainId, verifyingContract}`` (the Council).

This module gives both forms:

- ``*_typed_data`` — the full ``eth_signTypedData_v4`` JSON a browser wallet signs (and that
  ``eth_account.messages.encode_typed_data(full_message=...)`` reads). ``uint256`` message
  fields are decimal strings so that no JavaScript number loses precision; ``chainId`` and
  ``choice`` are small numbers.
- ``*_digest`` — the 32 bytes that are signed, computed here by hand:
  ``keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(message))``.
"""

from __future__ import annotations

from typing import Any, Final

from eth_abi.abi import encode
from eth_typing import ChecksumAddress
from eth_utils.crypto import keccak

from kol.domain.types import Choice, MotionId, StageId, as_checksum_address

DOMAIN_NAME: Final = "KOL Alliance"
"""The EIP-712 domain name of the Council."""

DOMAIN_VERSION: Final = "1"
"""The EIP-712 domain version of the Council."""

DOMAIN_TYPE: Final = (
    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
)
"""The domain's type string (snekmate's ``eip712_domain_separator``)."""

BALLOT_TYPE: Final = (
    "Ballot(address voter,uint256 motionId,uint256 stageId,uint8 choice,uint256 expiry)"
)
"""A signed ballot (§4)."""

SPONSORSHIP_TYPE: Final = "Sponsorship(address sponsor,uint256 motionId,uint256 expiry)"
"""A signed co-sponsorship (§4)."""

DOMAIN_TYPEHASH: Final = keccak(text=DOMAIN_TYPE)
"""``keccak256`` of :data:`DOMAIN_TYPE`."""

BALLOT_TYPEHASH: Final = keccak(text=BALLOT_TYPE)
"""``keccak256`` of :data:`BALLOT_TYPE`, as ``ballots.vy`` declares it."""

SPONSORSHIP_TYPEHASH: Final = keccak(text=SPONSORSHIP_TYPE)
"""``keccak256`` of :data:`SPONSORSHIP_TYPE`, as ``sponsorships.vy`` declares it."""

_MAX_UINT256: Final = 2**256 - 1

_DOMAIN_FIELDS: Final = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]
_BALLOT_FIELDS: Final = [
    {"name": "voter", "type": "address"},
    {"name": "motionId", "type": "uint256"},
    {"name": "stageId", "type": "uint256"},
    {"name": "choice", "type": "uint8"},
    {"name": "expiry", "type": "uint256"},
]
_SPONSORSHIP_FIELDS: Final = [
    {"name": "sponsor", "type": "address"},
    {"name": "motionId", "type": "uint256"},
    {"name": "expiry", "type": "uint256"},
]


def _address(name: str, value: str) -> ChecksumAddress:
    checksummed = as_checksum_address(value)
    if checksummed is None:
        raise ValueError(f"eip712: {name} is not an address (bad hex or checksum): {value!r}")
    return checksummed


def _uint(name: str, value: int, high: int = _MAX_UINT256) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise ValueError(f"eip712: {name} must be an integer in 0..{high}, got {value!r}")
    return value


def _choice(value: Choice | int) -> Choice:
    if isinstance(value, bool) or not isinstance(value, int) or value not in set(Choice):
        raise ValueError(f"eip712: choice must be 1 (For), 2 (Against) or 3 (Abstain): {value!r}")
    return Choice(value)


def domain_data(chain_id: int, verifying_contract: str) -> dict[str, Any]:
    """The EIP-712 domain of the Council at ``verifying_contract`` on chain ``chain_id``."""
    return {
        "name": DOMAIN_NAME,
        "version": DOMAIN_VERSION,
        "chainId": _uint("chain_id", chain_id),
        "verifyingContract": _address("verifying_contract", verifying_contract),
    }


def domain_separator(chain_id: int, verifying_contract: str) -> bytes:
    """``hashStruct(EIP712Domain)``, as snekmate's ``_domain_separator_v4`` computes it."""
    return keccak(
        DOMAIN_TYPEHASH
        + keccak(text=DOMAIN_NAME)
        + keccak(text=DOMAIN_VERSION)
        + encode(
            ["uint256", "address"],
            [_uint("chain_id", chain_id), _address("verifying_contract", verifying_contract)],
        )
    )


def _digest(separator: bytes, struct_hash: bytes) -> bytes:
    return keccak(b"\x19\x01" + separator + struct_hash)


# BALLOTS #


def ballot_typed_data(
    *,
    chain_id: int,
    verifying_contract: str,
    voter: str,
    motion_id: MotionId | int,
    stage_id: StageId | int,
    choice: Choice | int,
    expiry: int,
) -> dict[str, Any]:
    """The ``eth_signTypedData_v4`` JSON of a ballot: ``voter`` votes ``choice`` in stage
    ``stage_id`` of motion ``motion_id``, valid until ``expiry`` (a timestamp), §4.

    :raises ValueError: when an address or a number is invalid.
    """
    return {
        "types": {"EIP712Domain": list(_DOMAIN_FIELDS), "Ballot": list(_BALLOT_FIELDS)},
        "primaryType": "Ballot",
        "domain": domain_data(chain_id, verifying_contract),
        "message": {
            "voter": _address("voter", voter),
            "motionId": str(_uint("motion_id", motion_id)),
            "stageId": str(_uint("stage_id", stage_id)),
            "choice": int(_choice(choice)),
            "expiry": str(_uint("expiry", expiry)),
        },
    }


def ballot_struct_hash(
    *,
    voter: str,
    motion_id: MotionId | int,
    stage_id: StageId | int,
    choice: Choice | int,
    expiry: int,
) -> bytes:
    """``hashStruct(Ballot)``."""
    return keccak(
        BALLOT_TYPEHASH
        + encode(
            ["address", "uint256", "uint256", "uint8", "uint256"],
            [
                _address("voter", voter),
                _uint("motion_id", motion_id),
                _uint("stage_id", stage_id),
                int(_choice(choice)),
                _uint("expiry", expiry),
            ],
        )
    )


def ballot_digest(
    *,
    chain_id: int,
    verifying_contract: str,
    voter: str,
    motion_id: MotionId | int,
    stage_id: StageId | int,
    choice: Choice | int,
    expiry: int,
) -> bytes:
    """The 32 bytes a member signs to cast a ballot (the Council's ``ballot_digest``).

    :raises ValueError: when an address or a number is invalid.
    """
    return _digest(
        domain_separator(chain_id, verifying_contract),
        ballot_struct_hash(
            voter=voter, motion_id=motion_id, stage_id=stage_id, choice=choice, expiry=expiry
        ),
    )


# SPONSORSHIPS #


def sponsorship_typed_data(
    *,
    chain_id: int,
    verifying_contract: str,
    sponsor: str,
    motion_id: MotionId | int,
    expiry: int,
) -> dict[str, Any]:
    """The ``eth_signTypedData_v4`` JSON of a co-sponsorship of motion ``motion_id`` by
    ``sponsor``, valid until ``expiry`` (§4).

    :raises ValueError: when an address or a number is invalid.
    """
    return {
        "types": {
            "EIP712Domain": list(_DOMAIN_FIELDS),
            "Sponsorship": list(_SPONSORSHIP_FIELDS),
        },
        "primaryType": "Sponsorship",
        "domain": domain_data(chain_id, verifying_contract),
        "message": {
            "sponsor": _address("sponsor", sponsor),
            "motionId": str(_uint("motion_id", motion_id)),
            "expiry": str(_uint("expiry", expiry)),
        },
    }


def sponsorship_struct_hash(*, sponsor: str, motion_id: MotionId | int, expiry: int) -> bytes:
    """``hashStruct(Sponsorship)``."""
    return keccak(
        SPONSORSHIP_TYPEHASH
        + encode(
            ["address", "uint256", "uint256"],
            [
                _address("sponsor", sponsor),
                _uint("motion_id", motion_id),
                _uint("expiry", expiry),
            ],
        )
    )


def sponsorship_digest(
    *,
    chain_id: int,
    verifying_contract: str,
    sponsor: str,
    motion_id: MotionId | int,
    expiry: int,
) -> bytes:
    """The 32 bytes a member signs to co-sponsor a motion (the Council's
    ``sponsorship_digest``).

    :raises ValueError: when an address or a number is invalid.
    """
    return _digest(
        domain_separator(chain_id, verifying_contract),
        sponsorship_struct_hash(sponsor=sponsor, motion_id=motion_id, expiry=expiry),
    )
