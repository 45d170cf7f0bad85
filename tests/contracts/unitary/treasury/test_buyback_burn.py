"""The public buyback burn (§9, §11.2, §11.8): burned in public, refused once
issuance is complete."""

from __future__ import annotations

import boa

from kol.alliance import MotionArgs, Parameter
from kol.domain.allocation import Allocation
from tests.contracts.helpers import GENESIS_RELEASE, SET_PARAMETERS, World, args
from tests.contracts.unitary.treasury._economy import (
    KOL,
    MONTH,
    URI,
    USDT,
    approved_tasks,
    as_args,
    claim,
    issue,
)


def test_buyback_burn__not_the_foundation__reverts(world: World) -> None:
    with (
        boa.env.prank(world.nodes[0].address),
        boa.reverts("treasury: only the foundation burns bought-back KOL"),
    ):
        world.a.treasury.buyback_burn(1, 1, b"\x01" * 32)
    assert world.a.treasury.burn_count() == 0


def test_buyback_burn__zero__reverts(world: World) -> None:
    with boa.env.prank(world.foundation), boa.reverts("treasury: nothing to burn"):
        world.a.treasury.buyback_burn(0, 1, b"\x01" * 32)


def test_buyback_burn__without_kol__reverts_and_changes_nothing(world: World) -> None:
    with boa.env.prank(world.foundation), boa.reverts():
        world.a.treasury.buyback_burn(10**18, 1, b"\x01" * 32)
    assert world.a.treasury.burn_count() == 0
    assert world.a.token.burned_total() == 0
    assert world.a.token.totalSupply() == 0


def test_issuance_complete__false_while_buckets_have_room(world: World) -> None:
    assert not world.a.treasury.issuance_complete()
    assert not world.a.treasury.circulation_mode()


def _foundation_holds(world: World, client: str, kol: int) -> None:
    """Issues a batch whose single user is the foundation (it bought KOL back)."""
    ids = approved_tasks(world, client, [kol // KOL * USDT])
    alloc = Allocation.of(
        kol, [(world.foundation, "user", 1), (world.nodes[1].address, "leader", 1)]
    )
    batch_id = issue(world, alloc, ids)
    claim(world, batch_id, alloc, 0)


def test_buyback_burn__burns_in_public_and_supply_falls(world: World, client: str) -> None:
    t, token = world.a.treasury, world.a.token
    _foundation_holds(world, client, 1_000 * KOL)
    supply = token.totalSupply()
    with boa.env.prank(world.foundation):
        token.approve(t.address, 300 * KOL)
        t.buyback_burn(300 * KOL, 290 * USDT, b"\x0e" * 32)
    logs = [e for e in t.get_logs() if type(e).__name__ == "BuybackBurned"]
    assert [(e.burn_id, e.kol_amount, e.usdt_spent, e.reference) for e in logs] == [
        (1, 300 * KOL, 290 * USDT, b"\x0e" * 32)
    ]
    assert token.totalSupply() == supply - 300 * KOL
    assert token.burned_total() == 300 * KOL
    # §11.2 and burning never makes room for issuance (§2).
    assert token.totalSupply() == token.issued_total() - token.burned_total()
    assert token.issued_matched() == 1_000 * KOL
    assert token.balanceOf(t.address) == 0


def test_buyback_burn__refused_once_issuance_is_complete(world: World, client: str) -> None:
    t, token = world.a.treasury, world.a.token
    world.a.usdt.mint(client, 16_000_000 * USDT)
    _foundation_holds(world, client, 16_000_000 * KOL)
    assert t.circulation_mode() and not t.issuance_complete()
    close = as_args(MotionArgs.parameters({Parameter.CLOSE_GENESIS: 1}))
    for month in range(1, 11):
        begins = t.genesis_start() + (month - 1) * MONTH
        if boa.env.evm.patch.timestamp < begins:
            boa.env.time_travel(seconds=begins - boa.env.evm.patch.timestamp)
        world.pass_motion(
            world.nodes[0].address,
            GENESIS_RELEASE,
            args(
                numbers=[month, 0, 0, 1], hashes=[month.to_bytes(32, "big"), b"\x02" * 32], text=URI
            ),
        )
    world.pass_motion(world.supers[0].address, SET_PARAMETERS, close)
    assert t.issuance_complete()
    supply = token.totalSupply()
    with boa.env.prank(world.foundation):
        token.approve(t.address, 10 * KOL)
        with boa.reverts(
            "treasury: issuance is complete; the supply no longer changes (no buyback, no burn)"
        ):
            t.buyback_burn(10 * KOL, 10 * USDT, b"\x0e" * 32)
    assert token.totalSupply() == supply and token.burned_total() == 0
