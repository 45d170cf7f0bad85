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
    give,
    give_genesis,
    open_list,
    reverts_unchanged,
)


@pytest.fixture
def held(token: Any, council: Any) -> Any:
    """The issuer holds 100 KOL (bought back), Alice 1,000 (a genesis tranche)."""
    give(token, ISSUER, 100 * KOL)
    give_genesis(token, council, ALICE.address, 1)
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
    assert token.totalSupply() == 1_060 * KOL
    assert token.burned_total() == 40 * KOL
    check_supply(token)


def test_burn__issued_totals_never_decrease(held: Any) -> None:
    token = held
    burn(token, 100 * KOL)
    assert (token.issued_genesis(), token.issued_matched(), token.issued_total()) == (
        1_000 * KOL,
        100 * KOL,
        1_100 * KOL,
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
    assert token.burned_total() == 0 and token.totalSupply() == 1_100 * KOL


def test_burn__kol_in_the_pools_is_out_of_reach(token: Any) -> None:
    """Pools hold 100 KOL, the issuer nothing: there is nothing it can burn."""
    open_list(
        token,
        [(0, ALICE.address, 0, 80 * KOL), (1, ALICE.address, 1, 20 * KOL)],
        80 * KOL,
        20 * KOL,
    )
    with reverts_unchanged(token, BURN_EXCEEDS), boa.env.prank(ISSUER):
        token.burn(1)


def test_burn__escrowed_kol_moved_into_a_batch__cannot_be_burned(held: Any) -> None:
    token = held
    open_list(
        token,
        [(0, ALICE.address, 0, 80 * KOL), (1, ALICE.address, 1, 20 * KOL)],
        80 * KOL,
        20 * KOL,
        minted=False,
    )
    with reverts_unchanged(token, BURN_EXCEEDS), boa.env.prank(ISSUER):
        token.burn(1)
