"""The public buyback burn (§9): its refusals.

The positive path needs KOL in circulation, which only matched or genesis
issuance can create; it is tested with them."""

from __future__ import annotations

import boa

from tests.contracts.helpers import World


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
