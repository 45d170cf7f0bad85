"""Genesis issuance (§8, §11.1, §11.3): GENESIS_RELEASE, cumulative claims, closing."""

from __future__ import annotations

import boa
import pytest

from kol.alliance import MotionArgs, Parameter
from kol.domain.genesis import LEAF_TYPES, Decision, GenesisSchedule, Verdict
from kol.domain.merkle import StandardMerkleTree
from tests.contracts.helpers import (
    GENESIS_RELEASE,
    SET_PARAMETERS,
    World,
    args,
    key,
    reverts_with,
)
from tests.contracts.unitary.treasury._economy import (
    KOL,
    MONTH,
    TRANCHE,
    URI,
    as_args,
    claim_genesis,
    release_month,
)

PAY, DEFER, WITHHOLD = Verdict.PAY, Verdict.DEFER, Verdict.WITHHOLD
GENESIS_CAP = 5_000_000 * KOL


def _schedule(
    world: World, months: list[list[Verdict]], release: dict[int, int] | None = None
) -> GenesisSchedule:
    """Decisions for nodes 0, 1, 2, …: ``months[m - 1][i]`` is node i's verdict
    in month m; ``release`` maps a month to deferred KOL node 0 is paid then."""
    decisions = []
    for m, verdicts in enumerate(months, start=1):
        for i, verdict in enumerate(verdicts):
            extra = (release or {}).get(m, 0) if i == 0 and verdict == PAY else 0
            decisions.append(Decision.of(m, world.nodes[i].address, verdict, extra))
    return GenesisSchedule.of(decisions)


def _propose_reverts(world: World, motion_args: tuple[object, ...], reason: str) -> None:
    with boa.env.prank(world.nodes[4].address), reverts_with(reason):
        world.motions.propose(GENESIS_RELEASE, motion_args)


def _totals_args(month: int, paid: int, forfeited: int, leaders: int) -> tuple[object, ...]:
    return args(
        numbers=[month, paid, forfeited, leaders], hashes=[b"\x01" * 32, b"\x02" * 32], text=URI
    )


def test_release__mints_what_the_month_pays_into_the_genesis_pool(world: World) -> None:
    token, t = world.a.token, world.a.treasury
    schedule = _schedule(world, [[PAY, PAY, DEFER, WITHHOLD]])
    release_month(world, schedule, 1)
    assert token.issued_genesis() == token.totalSupply() == 2 * TRANCHE
    assert token.balanceOf(token.genesis_pool()) == 2 * TRANCHE
    assert (t.genesis_month(), t.genesis_paid(), t.genesis_forfeited()) == (1, 2 * TRANCHE, TRANCHE)
    month, block = token.genesis_month(schedule.month_tree(1).root)
    assert month == 1 and block == boa.env.evm.patch.block_number


def test_claim__pays_each_leader_its_tranche_once(world: World) -> None:
    token = world.a.token
    schedule = _schedule(world, [[PAY, PAY, DEFER]])
    release_month(world, schedule, 1)
    for i in (0, 1):
        assert claim_genesis(world, schedule, 1, world.nodes[i]) == TRANCHE
        assert token.balanceOf(world.nodes[i].address) == TRANCHE
        assert token.genesis_claimed(world.nodes[i].address) == TRANCHE
    with reverts_with("genesis: this leader has already claimed every tranche"):
        claim_genesis(world, schedule, 1, world.nodes[0])
    # A deferred leader has nothing to claim yet.
    with reverts_with("genesis: this leader has already claimed every tranche"):
        claim_genesis(world, schedule, 1, world.nodes[2])
    assert token.balanceOf(token.genesis_pool()) == 0


def test_claim__cumulative__pays_the_difference_and_deferred_releases(world: World) -> None:
    token = world.a.token
    schedule = _schedule(
        world,
        [[DEFER, PAY], [DEFER, PAY], [PAY, WITHHOLD]],
        release={3: 2 * TRANCHE},
    )
    release_month(world, schedule, 1)
    # Node 1 claims month 1, then months 2 and 3 together from month 3's root.
    assert claim_genesis(world, schedule, 1, world.nodes[1]) == TRANCHE
    release_month(world, schedule, 2)
    release_month(world, schedule, 3)
    assert claim_genesis(world, schedule, 3, world.nodes[1]) == TRANCHE
    # Node 0 deferred twice and is paid all three tranches in month 3.
    assert claim_genesis(world, schedule, 3, world.nodes[0]) == 3 * TRANCHE
    # An older list pays nothing more.
    with reverts_with("genesis: this leader has already claimed every tranche"):
        claim_genesis(world, schedule, 2, world.nodes[1])
    assert token.issued_genesis() == 5 * TRANCHE
    assert token.balanceOf(token.genesis_pool()) == 0


def test_claim__from_a_superseded_month__reverts_then_the_latest_pays(world: World) -> None:
    token = world.a.token
    schedule = _schedule(world, [[PAY, PAY], [PAY, PAY]])
    release_month(world, schedule, 1)
    pool_1 = token.genesis_pool()
    release_month(world, schedule, 2)
    # Month 1's unclaimed tranches moved into month 2's pool.
    assert token.balanceOf(pool_1) == 0
    assert token.balanceOf(token.genesis_pool()) == 4 * TRANCHE
    with reverts_with("genesis: not the latest released month"):
        claim_genesis(world, schedule, 1, world.nodes[0])
    assert claim_genesis(world, schedule, 2, world.nodes[0]) == 2 * TRANCHE


def test_claim__anyone_may_send_it_but_the_leader_is_paid(world: World) -> None:
    token = world.a.token
    schedule = _schedule(world, [[PAY]])
    release_month(world, schedule, 1)
    e = schedule.entitlement(1, world.nodes[0].address)
    tree = schedule.month_tree(1)
    keeper = key("keeper").address
    block = token.genesis_month(tree.root)[1]
    with boa.env.prank(keeper):
        proof = list(tree.get_proof(e.value()))
        token.claim_genesis(tree.root, 1, block, e.leader, e.cum_paid, e.cum_forfeited, proof)
    assert token.balanceOf(world.nodes[0].address) == TRANCHE and token.balanceOf(keeper) == 0


def test_claim__not_a_node__reverts_and_pays_nothing(world: World) -> None:
    token = world.a.token
    outsider = key("not a node").address
    schedule = GenesisSchedule.of(
        [Decision.of(1, world.nodes[0].address, PAY), Decision.of(1, outsider, PAY)]
    )
    release_month(world, schedule, 1)
    with reverts_with("genesis: only nodes seated before the month's release receive"):
        claim_genesis(world, schedule, 1, outsider)
    assert token.balanceOf(outsider) == 0
    assert token.balanceOf(token.genesis_pool()) == 2 * TRANCHE


def test_claim__forged_proof__reverts(world: World) -> None:
    token = world.a.token
    schedule = _schedule(world, [[PAY, PAY]])
    release_month(world, schedule, 1)
    tree = schedule.month_tree(1)
    leader = world.nodes[0].address
    proof = list(tree.get_proof((leader, TRANCHE, 0)))
    block = token.genesis_month(tree.root)[1]
    with reverts_with("genesis: the proof does not prove this leader's entitlement"):
        token.claim_genesis(tree.root, 1, block, leader, TRANCHE, 0, [b"\x07" * 32])
    with reverts_with("genesis: the proof does not prove this leader's entitlement"):
        token.claim_genesis(tree.root, 1, block, leader, 2 * TRANCHE, 0, proof)
    # A forged root with a matching proof holds no released KOL.
    forged = StandardMerkleTree.of([(leader, TRANCHE, 0), (leader, 0, 0)], LEAF_TYPES)
    with reverts_with("genesis: not the latest released month"):
        token.claim_genesis(forged.root, 1, block, leader, TRANCHE, 0, list(forged.get_proof(0)))
    # The real root named with another month or block is not a released month.
    with reverts_with("genesis: not the latest released month"):
        token.claim_genesis(tree.root, 1, block - 1, leader, TRANCHE, 0, proof)
    assert token.balanceOf(leader) == 0


def test_claim__leaf_over_the_months_elapsed__reverts(world: World) -> None:
    """A list voted through with a leader paid 2,000 KOL in month 1 cannot be claimed."""
    token = world.a.token
    leader = world.nodes[0].address
    tree = StandardMerkleTree.of(
        [(leader, 2 * TRANCHE, 0), (world.nodes[1].address, 0, 0)], LEAF_TYPES
    )
    world.pass_motion(
        world.nodes[0].address,
        GENESIS_RELEASE,
        args(numbers=[1, 2 * TRANCHE, 0, 2], hashes=[tree.root, tree.content_hash()], text=URI),
    )
    block = token.genesis_month(tree.root)[1]
    proof = list(tree.get_proof(0))
    with reverts_with(
        "genesis: a leader's paid and forfeited tranches are at most 1,000 KOL a month"
    ):
        token.claim_genesis(tree.root, 1, block, leader, 2 * TRANCHE, 0, proof)
    with reverts_with("genesis: entitlements are whole tranches of 1,000 KOL"):
        token.claim_genesis(tree.root, 1, block, leader, TRANCHE + 1, 0, proof)


def test_release__months_in_order__skipping_reverts(world: World) -> None:
    _propose_reverts(world, _totals_args(2, 0, 0, 3), "genesis: months are released in order")


def test_release__before_the_month_begins__reverts_at_execution(world: World) -> None:
    schedule = _schedule(world, [[PAY], [PAY]])
    release_month(world, schedule, 1)
    month_2 = world.a.treasury.genesis_start() + MONTH
    boa.env.time_travel(seconds=month_2 - 86_400 - boa.env.evm.patch.timestamp)
    motion_args = as_args(MotionArgs.genesis_month(schedule, 2, URI))
    mid = world.propose(world.nodes[0].address, GENESIS_RELEASE, motion_args)
    world.vote(world.supers, world.stage_of(mid, 1))
    world.motions.advance(mid)
    world.vote(world.nodes, world.stage_of(mid, 2))
    with reverts_with("genesis: this month of the programme has not begun"):
        world.motions.execute(mid, motion_args)
    boa.env.time_travel(seconds=86_400)
    world.motions.execute(mid, motion_args)
    assert world.a.treasury.genesis_month() == 2


@pytest.mark.parametrize(
    ("totals", "reason"),
    [
        ((1, 1, 0, 3), "genesis: entitlements are whole tranches of 1,000 KOL"),
        ((1, 4 * TRANCHE, 0, 3), "genesis: at most 1,000 KOL per leader per month elapsed"),
        ((1, TRANCHE, 0, 0), "genesis: at most 1,000 KOL per leader per month elapsed"),
        ((1, 3 * TRANCHE, TRANCHE, 3), "genesis: at most 1,000 KOL per leader per month elapsed"),
    ],
)
def test_release__totals_breaking_a_rule__revert(
    world: World, totals: tuple[int, int, int, int], reason: str
) -> None:
    _propose_reverts(world, _totals_args(*totals), reason)


def test_release__decreasing_totals__revert(world: World) -> None:
    schedule = _schedule(world, [[PAY, WITHHOLD]])
    release_month(world, schedule, 1)
    _propose_reverts(
        world, _totals_args(2, 0, TRANCHE, 2), "genesis: cumulative paid and forfeited"
    )
    _propose_reverts(
        world, _totals_args(2, TRANCHE, 0, 2), "genesis: cumulative paid and forfeited"
    )


def test_release__over_five_million__reverts(world: World) -> None:
    _propose_reverts(
        world, _totals_args(1, GENESIS_CAP + TRANCHE, 0, 6_000), "genesis: at most 5,000,000 KOL"
    )


def test_release__malformed__reverts(world: World) -> None:
    _propose_reverts(
        world,
        args(numbers=[1, 0, 0], hashes=[b"\x01" * 32, b"\x02" * 32], text=URI),
        "treasury: GENESIS_RELEASE takes (month, cumulative paid",
    )
    _propose_reverts(
        world,
        args(numbers=[1, 0, 0, 1], hashes=[b"\x00" * 32, b"\x02" * 32], text=URI),
        "genesis: a month needs its list's Merkle root and content hash",
    )


def _release_totals(world: World, month: int, paid: int, forfeited: int, leaders: int) -> None:
    begins = world.a.treasury.genesis_start() + (month - 1) * MONTH
    if boa.env.evm.patch.timestamp < begins:
        boa.env.time_travel(seconds=begins - boa.env.evm.patch.timestamp)
    root = month.to_bytes(32, "big")
    world.pass_motion(
        world.nodes[0].address,
        GENESIS_RELEASE,
        args(numbers=[month, paid, forfeited, leaders], hashes=[root, b"\x02" * 32], text=URI),
    )


def test_programme__closes_when_five_million_are_paid_or_forfeited(world: World) -> None:
    t, token = world.a.treasury, world.a.token
    for m in range(1, 11):
        _release_totals(world, m, m * 450 * TRANCHE, m * 50 * TRANCHE, 500)
    assert t.genesis_closed()
    assert token.issued_genesis() == 4_500_000 * KOL
    assert t.genesis_paid() + t.genesis_forfeited() == GENESIS_CAP
    _propose_reverts(world, _totals_args(11, 0, 0, 1), "genesis: the programme is closed")


def test_programme__closed_by_set_parameters_after_the_tenth_month(world: World) -> None:
    t = world.a.treasury
    close = as_args(MotionArgs.parameters({Parameter.CLOSE_GENESIS: 1}))
    for m in range(1, 10):
        _release_totals(world, m, m * 10 * TRANCHE, 0, 30)
    with reverts_with("genesis: the programme can be closed only after its tenth month"):
        world.pass_motion(world.supers[0].address, SET_PARAMETERS, close)
    _release_totals(world, 10, 100 * TRANCHE, 0, 30)
    world.pass_motion(world.supers[0].address, SET_PARAMETERS, close)
    assert t.genesis_closed()
    assert world.a.token.issued_genesis() == 100 * TRANCHE
    _propose_reverts(
        world, _totals_args(11, 100 * TRANCHE, 0, 30), "genesis: the programme is closed"
    )
    with (
        boa.env.prank(world.supers[1].address),
        reverts_with("genesis: the programme is already closed"),
    ):
        world.motions.propose(SET_PARAMETERS, close)
