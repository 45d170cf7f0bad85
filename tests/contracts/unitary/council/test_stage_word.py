"""``stage_word``: the packed STAGE WORD the motions engine reads (layout
in contracts/modules/ballots.vy)."""

from __future__ import annotations

from tests.contracts.helpers import (
    ABSTAIN,
    AGAINST,
    DAY,
    FOR,
    NODE,
    REPLACE_ADMIN,
    REPLACE_NODE,
    SUPER,
    World,
    args,
)
from tests.contracts.unitary.council._util import U40, block, field, now, stranger

U16 = 2**16 - 1


def _decode(word: int) -> tuple[int, ...]:
    """(motion id, opened block, deadline, passed at, electorate, threshold,
    For, Against, Abstain)."""
    return (
        word & (2**32 - 1),
        field(word, 32, U40),
        field(word, 72, U40),
        field(word, 112, U40),
        field(word, 152, U16),
        field(word, 168, U16),
        field(word, 184, U16),
        field(word, 200, U16),
        field(word, 216, U16),
    )


def _as_stage(s: object) -> tuple[int, ...]:
    return tuple(
        getattr(s, f)
        for f in (
            "motion_id",
            "opened_block",
            "deadline",
            "passed_at",
            "electorate",
            "threshold",
            "votes_for",
            "votes_against",
            "votes_abstain",
        )
    )


def test_stage_word__no_such_stage__zero(world: World) -> None:
    c = world.council
    assert c.stage_word(0) == 0 and c.stage_word(2**40) == 0


def test_stage_word__opened_super_stage__fixed_fields(world: World) -> None:
    w, c = world, world.council
    motion_id = w.propose(
        w.nodes[0].address, REPLACE_NODE, args([w.nodes[29].address, stranger("new")])
    )
    stage_id = w.stage_of(motion_id)
    assert stage_id & 1 == SUPER
    expected = (motion_id, block(), now() + 3 * DAY, 0, 21, 7, 0, 0, 0)
    assert _decode(c.stage_word(stage_id)) == expected
    assert _as_stage(c.stage(stage_id)) == expected


def test_stage_word__ballots__tallies_and_passed_at(world: World) -> None:
    w, c = world, world.council
    motion_id = w.propose(w.nodes[25].address, REPLACE_ADMIN, args([stranger("new admin")]))
    stage_id = w.stage_of(motion_id)
    assert stage_id & 1 == NODE
    w.vote(w.nodes[:20], stage_id, FOR)
    w.vote(w.nodes[20:22], stage_id, AGAINST)
    w.vote(w.nodes[22:23], stage_id, ABSTAIN)
    assert _decode(c.stage_word(stage_id))[3:] == (0, 30, 21, 20, 2, 1)
    w.vote(w.nodes[23:24], stage_id, FOR)
    decoded = _decode(c.stage_word(stage_id))
    assert decoded[3:] == (now(), 30, 21, 21, 2, 1)
    assert _as_stage(c.stage(stage_id)) == decoded
