"""Domain types: the on-chain values of the enums and the base units (constitution §2–§7)."""

from __future__ import annotations

import pytest

from kol.domain.types import (
    KOL_DECIMALS,
    ONE_KOL,
    ONE_USDT,
    USDT_DECIMALS,
    Chamber,
    Choice,
    MemberId,
    MotionId,
    Role,
    StageId,
    UsdtUnits,
    Wei,
    as_checksum_address,
)


def test_chamber__values_match_stage_id_encoding() -> None:
    # Stage ids are seq * 2 + chamber (modules/ballots.vy).
    assert (Chamber.NODE, Chamber.SUPER) == (0, 1)


def test_choice__values_match_the_ballot_contract() -> None:
    assert (Choice.FOR, Choice.AGAINST, Choice.ABSTAIN) == (1, 2, 3)
    assert 0 not in {c.value for c in Choice}


def test_role__values_match_the_leaf_encoding() -> None:
    assert (Role.USER, Role.LEADER) == (0, 1)


def test_base_units__kol_18_usdt_6_decimals() -> None:
    assert KOL_DECIMALS == 18 and ONE_KOL == 10**18
    assert USDT_DECIMALS == 6 and ONE_USDT == 10**6


def test_new_types__are_plain_ints_at_runtime() -> None:
    for new_type in (Wei, UsdtUnits, MemberId, MotionId, StageId):
        value = new_type(7)
        assert type(value) is int and value == 7


CHECKSUMMED = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"  # EIP-55's own example


@pytest.mark.parametrize(
    "value", [CHECKSUMMED, CHECKSUMMED.lower(), "0x" + CHECKSUMMED[2:].upper()]
)
def test_as_checksum_address__accepts_one_case_or_a_valid_checksum(value: str) -> None:
    assert as_checksum_address(value) == CHECKSUMMED


@pytest.mark.parametrize(
    "value",
    [
        CHECKSUMMED.replace("a", "A", 1),  # mixed case, wrong checksum
        "0X" + CHECKSUMMED[2:].lower(),
        CHECKSUMMED[2:],
        CHECKSUMMED + "\n",
        CHECKSUMMED[:-1],
        "0x" + "g" * 40,
        bytes(20),
        None,
    ],
)
def test_as_checksum_address__refuses_anything_else(value: object) -> None:
    assert as_checksum_address(value) is None
