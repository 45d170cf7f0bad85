"""Ballots a member signed while seated, relayed after it left: resigned,
forfeited (three misses), replaced by motion — and a super node replaced and
then seated again, whose old signature is for a stage it is no longer in the
electorate of. Each is skipped with its status and changes nothing.

Covered elsewhere: own-transaction votes after resigning or resigning and
being seated again — tests/contracts/unitary/ballots/test_vote.py
(test_vote__resigned_before_voting__reverts,
test_vote__resigned_and_seated_again__reverts,
test_vote__resigned_after_voting__ballot_stays_counted); sponsorships of a
node that resigned — tests/contracts/unitary/motions/test_sponsor.py
(test_sponsor__node_who_resigned__not_in_body).
"""

from __future__ import annotations

import boa
import pytest

from tests.contracts.attacks._attack import stage_state
from tests.contracts.helpers import (
    FOR,
    NODE,
    REPLACE_NODE,
    REPLACE_SUPER_NODE,
    SUPER,
    World,
    args,
    key,
    make_world,
)
from tests.contracts.unitary.ballots._util import (
    NOT_SEATED,
    OK,
    SEATED_AFTER_OPENING,
    ballot,
    later,
    open_node_stages,
    open_super_stages,
    relay,
    warp_to,
)


@pytest.fixture(scope="module")
def world() -> World:
    """30 nodes; nodes 0-20 are the super nodes, 21-23 the super alternates."""
    return make_world(n_nodes=30, n_supers=21, n_alternates=3)


def _everyone(w: World) -> list[str]:
    return [k.address for k in w.nodes]


def _relay_refused(w: World, signed: tuple, status: int) -> None:
    stage = signed[1]
    before = stage_state(w, stage, _everyone(w))
    assert relay(w.council.cast_ballots, [signed])[0] == [status]
    assert stage_state(w, stage, _everyone(w)) == before


def test_removed__resigned_after_signing__ballot_skipped(world: World) -> None:
    w = world
    (stage,) = open_node_stages(w, [w.nodes[29]])
    member = w.nodes[24]
    signed = ballot(member, w.council, stage, FOR, later())
    with boa.env.prank(member.address):
        w.council.resign(NODE)
    _relay_refused(w, signed, NOT_SEATED)


def test_removed__forfeited_after_signing__ballot_skipped(world: World) -> None:
    w = world
    member = w.nodes[24]
    missed = open_node_stages(w, w.nodes[27:30])
    warp_to(w.council.stage(missed[-1]).deadline + 1)
    (stage,) = open_node_stages(w, [w.nodes[26]])
    signed = ballot(member, w.council, stage, FOR, later())
    with boa.env.prank(key("keeper").address):
        w.council.forfeit(member.address, NODE, w.council.stage(missed[0]).seq)
    assert not w.council.member(member.address)[1]
    _relay_refused(w, signed, NOT_SEATED)


def test_removed__node_replaced_after_signing__ballot_skipped(world: World) -> None:
    w = world
    member = w.nodes[24]
    (stage,) = open_node_stages(w, [w.nodes[29]])
    signed = ballot(member, w.council, stage, FOR, later())
    w.pass_motion(w.supers[0].address, REPLACE_NODE, args([member.address, key("new").address]))
    assert not w.council.member(member.address)[1]
    _relay_refused(w, signed, NOT_SEATED)


def test_removed__super_node_replaced_after_signing__super_ballot_skipped_node_ballot_stands(
    world: World,
) -> None:
    w = world
    member = w.supers[5]
    (super_stage,) = open_super_stages(w, [w.supers[1]])
    (node_stage,) = open_node_stages(w, [w.nodes[29]])
    as_super = ballot(member, w.council, super_stage, FOR, later())
    as_node = ballot(member, w.council, node_stage, FOR, later())
    w.pass_motion(
        w.nodes[28].address, REPLACE_SUPER_NODE, args([member.address, w.nodes[25].address])
    )
    assert w.council.member(member.address)[1:3] == (True, False)
    _relay_refused(w, as_super, NOT_SEATED)
    assert relay(w.council.cast_ballots, [as_node])[0] == [OK]


def test_removed__super_node_replaced_then_seated_again__old_ballot_skipped(world: World) -> None:
    """Out and back in while the stage is open: the super seat it holds now
    began after the stage opened, so the ballot it signed before is refused."""
    w = world
    member = w.supers[5]
    (super_stage,) = open_super_stages(w, [w.supers[1]])
    signed = ballot(member, w.council, super_stage, FOR, later())
    w.pass_motion(
        w.nodes[28].address, REPLACE_SUPER_NODE, args([member.address, w.nodes[25].address])
    )
    w.pass_motion(
        w.nodes[27].address, REPLACE_SUPER_NODE, args([w.supers[6].address, member.address])
    )
    assert w.council.member(member.address)[1:3] == (True, True)
    assert w.council.stage_status(super_stage) == 1
    _relay_refused(w, signed, SEATED_AFTER_OPENING)
    assert w.council.seats(SUPER) == 21
