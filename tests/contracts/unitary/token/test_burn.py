"""``burn``: only the issuer burns, only KOL it holds (the public buyback
burn of §9); burning is counted and never undoes issuance (§2, §11.2)."""

from __future__ import annotations

from typing import Any

import boa
import pytest

from tests.contracts.unitary.token._util import (
    ALICE,
    BURN_EXCEEDS,
    ISSUER,
    KOL,
    ONLY_ISSUER_BURNS,
    ZERO,
    burn,
    check_supply,
    events,
    mint_genesis,
    mint_matched,
    reverts_unchanged,
)


@pytest.fixture
def held(token: Any) -> Any:
    """The issuer holds 100 KOL (bought back), Alice 50."""
    mint_matched(token, ISSUER, 100 * KOL)
    mint_genesis(token, ALICE.address, 50 * KOL)
    return token


def test_burn__by_the_issuer__destroys_its_own_kol(held: Any) -> None:
    token = held
    with boa.env.prank(ISSUER):
        token.burn(40 * KOL)
    burned = [(e.amount, e.burned_total) for e in events(token, "Burned")]
    transfers = [(e.sender, e.receiver, e.value) for e in events(token, "Transfer")]
    assert burned == [(40 * KOL, 40 * KOL)]
    assert transfers == [(ISSUER, ZERO, 40 * KOL)]
    assert token.balanceOf(ISSUER) == 60 * KOL
    assert token.totalSupply() == 110 * KOL
    assert token.burned_total() == 40 * KOL
    check_supply(token)


def test_burn__issued_totals_never_decrease(held: Any) -> None:
    token = held
    burn(token, 100 * KOL)
    assert (token.issued_genesis(), token.issued_matched(), token.issued_total()) == (
        50 * KOL,
        100 * KOL,
        150 * KOL,
    )


def test_burn__burned_total_accumulates(held: Any) -> None:
    token = held
    burn(token, 10 * KOL)
    with boa.env.prank(ISSUER):
        token.burn(15 * KOL)
    assert [(e.amount, e.burned_total) for e in events(token, "Burned")] == [(15 * KOL, 25 * KOL)]
    assert token.burned_total() == 25 * KOL
    check_supply(token)


@pytest.mark.parametrize("who", ["holder", "deployer"])
def test_burn__not_the_issuer__reverts(held: Any, who: str) -> None:
    token = held
    caller = ALICE.address if who == "holder" else str(boa.env.eoa)
    with reverts_unchanged(token, ONLY_ISSUER_BURNS), boa.env.prank(caller):
        token.burn(1)


def test_burn__more_than_the_issuer_holds__reverts(held: Any) -> None:
    """The issuer cannot burn holders' KOL: only its own balance counts."""
    token = held
    with reverts_unchanged(token, BURN_EXCEEDS), boa.env.prank(ISSUER):
        token.burn(100 * KOL + 1)


def test_burn__zero__changes_nothing_but_the_log(held: Any) -> None:
    token = held
    burn(token, 0)
    assert token.burned_total() == 0 and token.totalSupply() == 150 * KOL
