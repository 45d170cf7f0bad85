"""``sponsorship_word``: the packed SPONSORSHIP WORD the motions engine reads
(layout in contracts/modules/sponsorships.vy)."""

from __future__ import annotations

import boa

from tests.contracts.helpers import (
    DAY,
    NODE,
    POOL,
    REPLENISH_NODE_ALTERNATES,
    REPLENISH_SUPER_ALTERNATES,
    World,
    args,
    next_block,
)
from tests.contracts.unitary.council._util import (
    U40,
    addresses,
    block,
    field,
    now,
    register,
    stranger,
)

U32 = 2**32 - 1


def _decode(word: int) -> tuple[int, ...]:
    """(body, proposed block, deadline, reached at, electorate, threshold, sponsors)."""
    return (
        field(word, 216, 255),
        word & U40,
        field(word, 40, U40),
        field(word, 80, U40),
        field(word, 120, U32),
        field(word, 152, U32),
        field(word, 184, U32),
    )


def _as_round(s: object) -> tuple[int, ...]:
    return tuple(
        getattr(s, f)
        for f in (
            "body",
            "proposed_block",
            "deadline",
            "reached_at",
            "electorate",
            "threshold",
            "sponsors",
        )
    )


def test_sponsorship_word__no_sponsorship__zero(world: World) -> None:
    assert world.council.sponsorship_word(1) == 0  # the ratification needed no sponsors
    assert world.council.sponsorship_word(2**32) == 0


def test_sponsorship_word__node_body__opened_then_reached(world: World) -> None:
    w, c = world, world.council
    three = addresses(w.nodes[26:29])
    motion_id = w.propose(w.nodes[25].address, REPLENISH_SUPER_ALTERNATES, args(three))
    opened = (NODE, block(), now() + 7 * DAY, 0, 30, 3, 0)
    assert _decode(c.sponsorship_word(motion_id)) == opened
    next_block()
    for k in w.nodes[:3]:
        with boa.env.prank(k.address):
            c.sponsor(motion_id)
    decoded = _decode(c.sponsorship_word(motion_id))
    assert decoded == (*opened[:3], now(), 30, 3, 3)
    assert _as_round(c.sponsorship(motion_id)) == decoded


def test_sponsorship_word__candidate_pool_body(world: World) -> None:
    w, c = world, world.council
    pool = [stranger(f"candidate {i}") for i in range(6)]
    register(w, pool)
    next_block()
    motion_id = w.propose(pool[0], REPLENISH_NODE_ALTERNATES, args(pool[1:]))
    assert _decode(c.sponsorship_word(motion_id)) == (POOL, block(), now() + 7 * DAY, 0, 6, 1, 0)
