"""The defaults of §10, exactly, as a freshly deployed council holds them."""

from __future__ import annotations

import boa
import pytest

from kol.chain.inprocess import deployer
from tests.contracts.helpers import DAY, World, key
from tests.contracts.unitary.parameters._util import PARAMETERS, value_of

DEFAULTS = {
    "voting_period": 3 * DAY,
    "sponsor_window": 7 * DAY,
    "execution_window": 7 * DAY,
    "notice_period": 0,
    "audit_due": 30 * DAY,
    "kol_per_usdt": 10**12,  # 1 KOL (18 decimals) per 1 USDT (6 decimals)
    "super_ban": 90 * DAY,
    "node_ban": 180 * DAY,
}


@pytest.mark.parametrize("getter", list(DEFAULTS))
def test_defaults__section_10(world: World, getter: str) -> None:
    assert getattr(world.council, getter)() == DEFAULTS[getter]


def test_defaults__kol_per_usdt__one_kol_per_usdt() -> None:
    assert DEFAULTS["kol_per_usdt"] * 10**6 == 10**18


def test_defaults__foundation__the_deployers_choice(world: World) -> None:
    assert world.council.foundation() == world.foundation == key("foundation").address


def test_defaults__another_deployment__its_own_foundation() -> None:
    foundation = key("another foundation").address
    council = deployer("Council").deploy(
        key("admin").address, foundation, key("engine").address, key("token").address
    )
    assert council.foundation() == foundation
    assert council.voting_period() == 3 * DAY


def test_defaults__zero_foundation__deployment_reverts() -> None:
    with boa.reverts("parameters: foundation is the zero address"):
        deployer("Council").deploy(
            key("admin").address,
            "0x0000000000000000000000000000000000000000",
            key("engine").address,
            key("token").address,
        )


def test_defaults__every_default_within_its_own_range(world: World) -> None:
    for p in PARAMETERS:
        assert p.low <= value_of(world, p) <= p.high, p.getter
