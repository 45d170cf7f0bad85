"""The deployment plan (``kol.chain.plan``): one order and one wiring for every deploy."""

from __future__ import annotations

import boa
import pytest

from kol.chain.artifacts import create_address
from kol.chain.inprocess import deploy_alliance
from kol.chain.plan import ZERO_ADDRESS, plan_alliance

DEPLOYER = "0x1000000000000000000000000000000000000001"
ADMIN = "0x2000000000000000000000000000000000000002"
FOUNDATION = "0x3000000000000000000000000000000000000003"


def test_plan__dev_chain__test_usdt_first_then_the_core_at_consecutive_nonces() -> None:
    plan = plan_alliance(DEPLOYER, 7, admin=ADMIN, foundation=FOUNDATION)
    assert [(s.key, s.contract, s.nonce) for s in plan.steps] == [
        ("usdt", "dev/TestUSDT", 7),
        ("token", "KOLToken", 8),
        ("council", "Council", 9),
        ("motions", "Motions", 10),
        ("treasury", "Treasury", 11),
    ]
    assert all(s.address == create_address(DEPLOYER, s.nonce) for s in plan.steps)
    at = {s.key: s.address for s in plan.steps}
    assert plan.steps[1].args == (at["treasury"], at["council"])
    assert plan.steps[2].args == (ADMIN, FOUNDATION, at["motions"], at["token"])
    assert plan.steps[3].args == (at["council"], at["treasury"])
    assert plan.steps[4].args == (at["token"], at["usdt"], at["council"], at["motions"])
    assert plan.usdt == at["usdt"] and plan.deploys_test_usdt


def test_plan__existing_usdt__no_test_token_and_the_treasury_takes_it() -> None:
    usdt = "0xdAC17F958D2ee523a2206206994597C13D831ec7"
    plan = plan_alliance(DEPLOYER, 0, admin=ADMIN, foundation=FOUNDATION, usdt=usdt.lower())
    assert [s.key for s in plan.steps] == ["token", "council", "motions", "treasury"]
    assert plan.steps[0].nonce == 0 and plan.steps[3].args[1] == usdt
    assert not plan.deploys_test_usdt and plan.address("usdt") == usdt


def test_plan__governance_only__no_treasury_and_no_economy() -> None:
    plan = plan_alliance(DEPLOYER, 0, admin=ADMIN, foundation=FOUNDATION, with_treasury=False)
    assert [s.key for s in plan.steps] == ["token", "council", "motions"]
    assert plan.steps[2].args[1] == ZERO_ADDRESS
    # the token's issuer is the treasury's address all the same: nobody can mint
    assert plan.steps[0].args[0] == create_address(DEPLOYER, 3)
    assert plan.address("treasury") is None and plan.address("usdt") is None


def test_plan__bad_address__names_the_role() -> None:
    with pytest.raises(ValueError, match="the foundation is not an address"):
        plan_alliance(DEPLOYER, 0, admin=ADMIN, foundation="0x1234")


@pytest.mark.parametrize("with_treasury", [False, True])
def test_deploy_alliance__in_process__lands_where_the_plan_says(with_treasury: bool) -> None:
    deployer = str(boa.env.eoa)
    nonce = boa.env.evm.vm.state.get_nonce(bytes.fromhex(deployer[2:]))
    plan = plan_alliance(
        deployer, nonce, admin=ADMIN, foundation=FOUNDATION, with_treasury=with_treasury
    )
    deployed = deploy_alliance(ADMIN, FOUNDATION, with_treasury=with_treasury)
    for step in plan.steps:
        assert str(getattr(deployed, step.key).address) == step.address
    assert deployed.council.admin() == ADMIN and deployed.council.foundation() == FOUNDATION
    assert (deployed.treasury is None) == (not with_treasury)
