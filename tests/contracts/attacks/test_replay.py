"""Signed ballots and sponsorships replayed where they were not signed for: in
another deployment of the alliance (same members, same ids), on the same
contract after a chain split (another chain id), and in the other stage of
the same motion.

Covered elsewhere (forged domains and messages, replays in place):
tests/contracts/unitary/ballots/test_cast_ballots.py (another stage, motion,
chain id, verifying contract, choice, expiry; replayed in a later call;
after an own vote), test_cast_wallet_ballots.py (wallet replay) and
tests/contracts/unitary/motions/test_relay_sponsorships.py (another chain,
contract, name, version, motion; replayed).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import boa
import pytest

from tests.contracts.attacks._attack import stage_state
from tests.contracts.helpers import (
    FOR,
    NODE,
    REPLACE_ADMIN,
    REPLENISH_SUPER_ALTERNATES,
    SET_PARAMETERS,
    SPONSORING,
    SUPER,
    World,
    args,
    key,
    make_world,
)
from tests.contracts.unitary.ballots._util import (
    BAD_SIGNATURE,
    OK,
    ballot,
    later,
    relay,
)
from tests.contracts.unitary.motions._util import BAD_SIGNATURE as BAD_SPONSOR_SIGNATURE
from tests.contracts.unitary.motions._util import OK as SPONSORED
from tests.contracts.unitary.motions._util import relay as relay_sponsorships
from tests.contracts.unitary.motions._util import signed

VOTING_PERIOD = 1
DAY = 86_400


@dataclass(frozen=True)
class Twins:
    """Two deployments with the same 12 nodes (3 super nodes), nominated in the
    same order: the same member ids, motion ids and stage ids in both."""

    a: World
    b: World
    node_stage: int  # REPLACE_ADMIN, open in both, same id
    sponsored: int  # REPLENISH_SUPER_ALTERNATES, gathering sponsors in both, same id


def _open_in(w: World) -> tuple[int, int]:
    stage = w.stage_of(w.propose(w.nodes[0].address, REPLACE_ADMIN, args([key("x").address])))
    three = [k.address for k in w.nodes[4:7]]
    sponsored = w.propose(w.nodes[1].address, REPLENISH_SUPER_ALTERNATES, args(three))
    return stage, sponsored


@pytest.fixture(scope="module")
def twins() -> Twins:
    a, b = make_world(n_nodes=12, n_supers=3), make_world(n_nodes=12, n_supers=3)
    (stage_a, sponsored_a), (stage_b, sponsored_b) = _open_in(a), _open_in(b)
    assert (stage_a, sponsored_a) == (stage_b, sponsored_b)
    assert a.council.member(a.nodes[5].address)[0] == b.council.member(b.nodes[5].address)[0]
    boa.env.time_travel(blocks=1)
    return Twins(a, b, stage_a, sponsored_a)


@contextmanager
def chain_id(value: int) -> Iterator[None]:
    """The same contracts, running on a chain with another id (a split)."""
    patch = boa.env.evm.patch
    before = patch.chain_id
    patch.chain_id = value
    try:
        yield
    finally:
        patch.chain_id = before


def _nodes(w: World) -> list[str]:
    return [k.address for k in w.nodes]


def test_replay__ballot_signed_for_another_deployment__is_skipped(twins: Twins) -> None:
    a, b = twins.a, twins.b
    voter = a.nodes[5]
    for_a = ballot(voter, a.council, twins.node_stage, FOR, later())
    before = stage_state(b, twins.node_stage, _nodes(b))
    assert relay(b.council.cast_ballots, [for_a])[0] == [BAD_SIGNATURE]
    assert stage_state(b, twins.node_stage, _nodes(b)) == before
    # where it was signed, it counts
    assert relay(a.council.cast_ballots, [for_a])[0] == [OK]


def test_replay__sponsorship_signed_for_another_deployment__is_skipped(twins: Twins) -> None:
    a, b = twins.a, twins.b
    for_a = signed(a.nodes[8], a.council, twins.sponsored, later())
    before = (b.council.sponsorship(twins.sponsored), b.motions.motion_status(twins.sponsored))
    assert relay_sponsorships(b, [for_a])[0] == [BAD_SPONSOR_SIGNATURE]
    assert not b.council.has_sponsored(twins.sponsored, b.nodes[8].address)
    assert (b.council.sponsorship(twins.sponsored), b.motions.motion_status(twins.sponsored)) == (
        before
    )
    assert b.motions.motion_status(twins.sponsored) == SPONSORING
    assert relay_sponsorships(a, [for_a])[0] == [SPONSORED]


def test_replay__ballot_signed_before_a_chain_split__is_skipped_on_the_other_chain(
    twins: Twins,
) -> None:
    """The domain separator follows the chain id the contract runs on: a ballot
    signed on the original chain is refused on a chain with another id, and
    a ballot signed there for that id is what counts there."""
    a = twins.a
    voter = a.nodes[6]
    original = boa.env.evm.patch.chain_id
    signed_here = ballot(voter, a.council, twins.node_stage, FOR, later())
    with chain_id(original + 1):
        assert a.council.eip712Domain()[3] == original + 1
        before = stage_state(a, twins.node_stage, _nodes(a))
        assert relay(a.council.cast_ballots, [signed_here])[0] == [BAD_SIGNATURE]
        assert stage_state(a, twins.node_stage, _nodes(a)) == before
        signed_there = ballot(voter, a.council, twins.node_stage, FOR, later())
    # and the other chain's ballot is refused back on the original chain
    assert relay(a.council.cast_ballots, [signed_there])[0] == [BAD_SIGNATURE]
    assert not a.council.has_voted(twins.node_stage, voter.address)
    assert relay(a.council.cast_ballots, [signed_here])[0] == [OK]


def test_replay__sponsorship_signed_before_a_chain_split__is_skipped(twins: Twins) -> None:
    a = twins.a
    original = boa.env.evm.patch.chain_id
    here = signed(a.nodes[9], a.council, twins.sponsored, later())
    with chain_id(original + 1):
        assert relay_sponsorships(a, [here])[0] == [BAD_SPONSOR_SIGNATURE]
        assert not a.council.has_sponsored(twins.sponsored, a.nodes[9].address)


def test_replay__stage_one_ballot_in_stage_two_of_the_same_motion__is_skipped() -> None:
    """A super node (also a node) votes For in stage 1 (super chamber) of a
    two-stage motion; its signature cannot be relayed into stage 2 (nodes)."""
    w = make_world(n_nodes=12, n_supers=3)
    motion_args = args(numbers=[VOTING_PERIOD, 3 * DAY])
    motion_id = w.propose(w.supers[0].address, SET_PARAMETERS, motion_args)
    first = w.stage_of(motion_id, 1)
    boa.env.time_travel(blocks=1)
    signed_first = [ballot(s, w.council, first, FOR, later()) for s in w.supers]
    assert relay(w.council.cast_ballots, signed_first[:2])[0] == [OK, OK]
    w.motions.advance(motion_id)
    second = w.stage_of(motion_id, 2)
    assert (first & 1, second & 1) == (SUPER, NODE)
    before = stage_state(w, second, _nodes(w))
    moved = [(b[0], second, *b[2:]) for b in signed_first]
    assert relay(w.council.cast_ballots, moved)[0] == [BAD_SIGNATURE] * 3
    assert stage_state(w, second, _nodes(w)) == before
