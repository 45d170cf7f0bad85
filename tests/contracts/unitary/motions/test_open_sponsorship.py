"""Opening a sponsorship round (§4 co-sponsorship): the REPLENISH_* motions fix
their sponsoring body's size, the threshold ceil(10% × size) and the deadline
when proposed; members who join in that block are not counted."""

from __future__ import annotations

import boa
import pytest
from eth_account.signers.local import LocalAccount

from tests.contracts.helpers import (
    DAY,
    NODE,
    POOL,
    REPLENISH_NODE_ALTERNATES,
    REPLENISH_SUPER_ALTERNATES,
    SPONSORING,
    World,
    args,
    key,
    keys,
    next_block,
)
from tests.contracts.unitary.motions._util import (
    NO_HASH,
    SPONSOR_WINDOW,
    block,
    events,
    now,
    register,
    set_parameters,
)

Pool = tuple[World, list[LocalAccount]]


def _super_motion(w: World, proposer: int, named: list[int]) -> int:
    n = [x.address for x in w.nodes]
    return w.propose(n[proposer], REPLENISH_SUPER_ALTERNATES, args([n[i] for i in named]))


def _pool_motion(w: World, cands: list[LocalAccount]) -> int:
    return w.propose(
        cands[19].address, REPLENISH_NODE_ALTERNATES, args([c.address for c in cands[:5]])
    )


def _opened(w: World) -> tuple[int, int, int, int]:
    (e,) = events(w.motions, "SponsorshipOpened")
    return e.body, e.electorate, e.threshold, e.deadline


def test_open_sponsorship__126_nodes__threshold_13(roster_world: World) -> None:
    w = roster_world
    motion_id = _super_motion(w, 100, [40, 41, 42])
    assert _opened(w) == (NODE, 126, 13, now() + 7 * DAY)
    s = w.council.sponsorship(motion_id)
    assert (s.body, s.proposed_block, s.deadline, s.reached_at) == (
        NODE,
        block(),
        now() + 7 * DAY,
        0,
    )
    assert (s.electorate, s.threshold, s.sponsors) == (126, 13, 0)
    assert w.motions.motion_status(motion_id) == SPONSORING


def test_open_sponsorship__30_nodes__threshold_3(world: World) -> None:
    w = world
    _super_motion(w, 29, [24, 25, 26])
    assert _opened(w)[:3] == (NODE, 30, 3)


def test_open_sponsorship__candidate_pool_of_20__threshold_2(pool_world: Pool) -> None:
    w, cands = pool_world
    motion_id = _pool_motion(w, cands)
    assert _opened(w) == (POOL, 20, 2, now() + 7 * DAY)
    assert w.council.sponsorship(motion_id).electorate == 20


@pytest.mark.parametrize(("extra", "threshold"), [(1, 3), (10, 3), (11, 4), (30, 5)])
def test_open_sponsorship__pool_size__threshold_is_ceil_10_percent(
    pool_world: Pool, extra: int, threshold: int
) -> None:
    w, cands = pool_world
    register(w, keys("extra candidate", extra))
    next_block()
    _pool_motion(w, cands)
    assert _opened(w)[1:3] == (20 + extra, threshold)


def test_open_sponsorship__node_seated_in_the_same_block__not_counted(genesis_world: World) -> None:
    w = genesis_world
    with boa.env.prank(w.admin):
        w.council.nominate(key("same-block node").address, "late", NO_HASH)
    assert w.council.seats(NODE) == 31
    _super_motion(w, 29, [24, 25, 26])
    assert _opened(w)[1:3] == (30, 3)


def test_open_sponsorship__candidate_registered_in_the_same_block__not_counted(
    pool_world: Pool,
) -> None:
    w, cands = pool_world
    register(w, [key("same-block candidate")])
    assert w.council.seats(POOL) == 21
    _pool_motion(w, cands)
    assert _opened(w)[1:3] == (20, 2)


def test_open_sponsorship__deadline__uses_the_sponsor_window_of_the_moment(world: World) -> None:
    w = world
    set_parameters(w, [SPONSOR_WINDOW, 2 * DAY])
    motion_id = _super_motion(w, 29, [24, 25, 26])
    assert _opened(w)[3] == now() + 2 * DAY
    assert w.council.sponsorship(motion_id).deadline == now() + 2 * DAY


def test_open_sponsorship__motion_without_sponsors__has_no_round(world: World) -> None:
    w = world
    s = w.council.sponsorship(1)  # the genesis ratification
    assert tuple(s) == (0, 0, 0, 0, 0, 0, 0)
