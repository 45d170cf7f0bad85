"""Domain types of the constitution, in web3.py's manner: ``NewType`` for amounts and ids.

Amounts are integers in base units, never floats: ``Wei`` counts KOL base units (the token
has 18 decimals, §2) and ``UsdtUnits`` counts USDT base units (6 decimals, §7). Ids are the
contracts' numbers: members get a permanent id at first seating (§3), motions are numbered
(§5) and a stage id encodes its chamber and its sequence number in that chamber (§4, §6).
The enums carry the values the contracts use on-chain.
"""

from __future__ import annotations

import re
from enum import IntEnum
from typing import Final, NewType

from eth_typing import ChecksumAddress
from eth_utils.address import to_checksum_address

Wei = NewType("Wei", int)
"""An amount of KOL in base units (1 KOL = 10**18), §2."""

UsdtUnits = NewType("UsdtUnits", int)
"""An amount of USDT in base units (1 USDT = 10**6), §7."""

MemberId = NewType("MemberId", int)
"""A member's permanent id, assigned at first seating (§3)."""

MotionId = NewType("MotionId", int)
"""A motion's number (§5)."""

StageId = NewType("StageId", int)
"""A stage's id: sequence number in its chamber × 2 + chamber (§4, §6)."""

KOL_DECIMALS = 18
"""Decimals of the KOL token (§2)."""

USDT_DECIMALS = 6
"""Decimals of USDT (§7)."""

ONE_KOL = Wei(10**KOL_DECIMALS)
"""One KOL in base units."""

ONE_USDT = UsdtUnits(10**USDT_DECIMALS)
"""One USDT in base units."""

_HEX_ADDRESS: Final = re.compile(r"0x[0-9a-fA-F]{40}")


def as_checksum_address(value: object) -> ChecksumAddress | None:
    """``value`` as an EIP-55 checksummed address, or None when it is not an address.

    An address is ``0x`` and 40 hex digits, all lower case, all upper case, or mixed case
    carrying a valid checksum (the rule of ethers' ``getAddress``): a mistyped mixed-case
    address is refused rather than silently accepted.
    """
    if not isinstance(value, str) or _HEX_ADDRESS.fullmatch(value) is None:
        return None
    digits = value[2:]
    checksummed = to_checksum_address(value)
    if digits in (digits.lower(), digits.upper()) or value == checksummed:
        return checksummed
    return None


class Chamber(IntEnum):
    """The two voting bodies (§1, §3): the node chamber and the super-node chamber."""

    NODE = 0
    SUPER = 1


class Choice(IntEnum):
    """A ballot (§4). Only ``FOR`` counts toward a threshold; all three count as attendance."""

    FOR = 1
    AGAINST = 2
    ABSTAIN = 3


class Role(IntEnum):
    """Who receives which part of a matched batch (§7): users 80%, KOL leaders 20%."""

    USER = 0
    LEADER = 1
