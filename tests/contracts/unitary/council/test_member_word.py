"""``member_word``: the packed MEMBER WORD the motions engine reads
(layout in contracts/modules/council.vy)."""

from __future__ import annotations

from tests.contracts.helpers import DAY, NODE, SUPER, World
from tests.contracts.unitary.council._util import (
    BAN_SHIFT,
    CAND_SINCE_SHIFT,
    CANDIDATE_BIT,
    ID_MASK,
    SEATED_BIT,
    SINCE_SHIFT,
    U40,
    addresses,
    block,
    field,
    flag,
    forfeit_seat,
    member,
    now,
    register,
    stranger,
)


def _decode(word: int) -> dict[str, int | bool]:
    return {
        "id": word & ID_MASK,
        "node_since": field(word, SINCE_SHIFT, U40),
        "super_since": field(word, SINCE_SHIFT + 40, U40),
        "node_ban": field(word, BAN_SHIFT, U40),
        "super_ban": field(word, BAN_SHIFT + 40, U40),
        "candidate_since": field(word, CAND_SINCE_SHIFT, U40),
        "node": flag(word, SEATED_BIT + NODE),
        "super": flag(word, SEATED_BIT + SUPER),
        "candidate": flag(word, CANDIDATE_BIT),
        "rest": word >> (CANDIDATE_BIT + 1),
    }


def test_member_word__stranger__zero(world: World) -> None:
    assert world.council.member_word(stranger()) == 0


def test_member_word__super_node__every_field(world: World) -> None:
    w, c = world, world.council
    a = w.nodes[4].address
    assert _decode(c.member_word(a)) == {
        "id": 5,
        "node_since": c.seated_since(a, NODE),
        "super_since": c.seated_since(a, SUPER),
        "node_ban": 0,
        "super_ban": 0,
        "candidate_since": 0,
        "node": True,
        "super": True,
        "candidate": False,
        "rest": 0,
    }
    assert 0 < c.seated_since(a, NODE) < c.seated_since(a, SUPER)


def test_member_word__agrees_with_member_for_every_node(world: World) -> None:
    w, c = world, world.council
    for k in w.nodes:
        d = _decode(c.member_word(k.address))
        m = member(w, k.address)
        assert (d["id"], d["node"], d["super"], d["candidate"]) == m[:4]
        assert (d["node_ban"], d["super_ban"]) == m[4:]


def test_member_word__candidate__since_and_flag(world: World) -> None:
    w, c = world, world.council
    register(w, [stranger("candidate")])
    d = _decode(c.member_word(stranger("candidate")))
    assert (d["id"], d["candidate"], d["candidate_since"]) == (31, True, block())
    assert (d["node"], d["super"], d["node_since"]) == (False, False, 0)


def test_member_word__forfeited_super_seat__super_ban_field(world: World) -> None:
    w, c = world, world.council
    absentee = w.nodes[20].address
    forfeit_seat(w, absentee, SUPER, addresses(w.nodes[:3]))
    d = _decode(c.member_word(absentee))
    assert (d["node"], d["super"], d["super_ban"], d["node_ban"]) == (
        True,
        False,
        now() + 90 * DAY,
        0,
    )
