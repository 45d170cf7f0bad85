"""``relay_sponsorships``: EIP-712 sponsorships relayed by anyone (§4). A bad
one is skipped and reported (SponsorshipRejected and its status), the good
ones stand."""

from __future__ import annotations

from typing import Any

import boa
import pytest
from eth_account.signers.local import LocalAccount

from tests.contracts.helpers import (
    AWAITING_STAGE,
    REPLENISH_NODE_ALTERNATES,
    REPLENISH_SUPER_ALTERNATES,
    SPONSORING,
    World,
    args,
    key,
)
from tests.contracts.unitary.motions._util import (
    ALREADY_SPONSORED,
    BAD_SIGNATURE,
    EXPIRED,
    JOINED_AFTER_PROPOSAL,
    NOT_IN_BODY,
    NOT_SPONSORING,
    OK,
    WINDOW_CLOSED,
    ZERO_ADDRESS,
    SignedSponsorship,
    digest_of,
    now,
    open_node_stage,
    register,
    relay,
    reverts_unchanged,
    signed,
    sponsor,
    sponsorship_message,
    state,
    warp_to,
)

SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141

Pool = tuple[World, list[LocalAccount]]


def _node_motion(w: World) -> int:
    n = [x.address for x in w.nodes]
    return w.propose(n[29], REPLENISH_SUPER_ALTERNATES, args(n[24:27]))


def _pool_motion(w: World, cands: list[LocalAccount]) -> int:
    named = args([c.address for c in cands[:5]])
    return w.propose(cands[19].address, REPLENISH_NODE_ALTERNATES, named)


def _later() -> int:
    return now() + 3_600


# THE DOMAIN AND THE DIGEST #


def test_relay_sponsorships__domain__is_kol_alliance_v1_on_this_chain(world: World) -> None:
    d = world.council.eip712Domain()
    assert (d[1], d[2], d[3], d[4]) == (
        "KOL Alliance",
        "1",
        boa.env.evm.patch.chain_id,
        world.council.address,
    )


@pytest.mark.parametrize("expiry", [0, 1, 2**40, 2**256 - 1])
@pytest.mark.parametrize("motion_id", [1, 7, 2**32])
def test_relay_sponsorships__typed_data_digest__matches_sponsorship_digest(
    world: World, expiry: int, motion_id: int
) -> None:
    w = world
    who = w.nodes[4].address
    message = sponsorship_message(w.council, who, motion_id, expiry)
    assert digest_of(message) == w.council.sponsorship_digest(who, motion_id, expiry)


# RECORDED #


def test_relay_sponsorships__good_batch__all_recorded_threshold_reached(world: World) -> None:
    w = world
    motion_id = _node_motion(w)
    signers = [w.nodes[i] for i in (2, 11, 27)]
    items = [signed(s, w.council, motion_id, _later()) for s in signers]

    statuses, rejected = relay(w, items)

    assert statuses == [OK, OK, OK]
    assert rejected == []
    assert all(w.council.has_sponsored(motion_id, s.address) for s in signers)
    s = w.council.sponsorship(motion_id)
    assert (s.sponsors, s.reached_at) == (3, now())
    assert w.motions.motion_status(motion_id) == AWAITING_STAGE


def test_relay_sponsorships__expiry_exactly_now__is_recorded(world: World) -> None:
    w = world
    motion_id = _node_motion(w)
    statuses, _ = relay(w, [signed(w.nodes[2], w.council, motion_id, now())])
    assert statuses == [OK]


def test_relay_sponsorships__then_own_sponsorship__reverts(world: World) -> None:
    w = world
    motion_id = _node_motion(w)
    relay(w, [signed(w.nodes[2], w.council, motion_id, _later())])
    with reverts_unchanged(w, "sponsorships: already sponsored"):
        sponsor(w, motion_id, [w.nodes[2].address])
    assert w.council.sponsorship(motion_id).sponsors == 1


def test_relay_sponsorships__empty_batch__returns_nothing(world: World) -> None:
    w = world
    _node_motion(w)
    assert relay(w, []) == ([], [])


# SKIPPED AND REPORTED #


def test_relay_sponsorships__mixed_batch__bad_ones_skipped_good_ones_stand(
    pool_world: Pool,
) -> None:
    w, c = pool_world
    motion_id = _pool_motion(w, c)
    other_motion = open_node_stage(w, w.nodes[28].address)  # no sponsorship round
    newcomer = key("newcomer candidate")
    register(w, [newcomer])  # in the proposal's block
    items = [
        signed(c[10], w.council, motion_id, _later()),
        signed(c[12], w.council, motion_id, _later(), sponsor_address=c[11].address),
        signed(c[12], w.council, motion_id, now() - 1),
        signed(w.nodes[25], w.council, motion_id, _later()),
        signed(c[10], w.council, motion_id, _later() + 1),
        signed(c[13], w.council, other_motion, _later()),
        signed(newcomer, w.council, motion_id, _later()),
        signed(c[14], w.council, motion_id, _later()),
    ]
    expected = [
        OK,
        BAD_SIGNATURE,
        EXPIRED,
        NOT_IN_BODY,
        ALREADY_SPONSORED,
        NOT_SPONSORING,
        JOINED_AFTER_PROPOSAL,
        OK,
    ]

    statuses, rejected = relay(w, items)

    assert statuses == expected
    assert [(e.index, e.status) for e in rejected] == [
        (i, st) for i, st in enumerate(expected) if st != OK
    ]
    assert [(e.motion_id, e.sponsor) for e in rejected] == [
        (items[i][1], items[i][0]) for i, st in enumerate(expected) if st != OK
    ]
    assert w.council.sponsorship(motion_id).sponsors == 2
    assert w.council.has_sponsored(motion_id, c[10].address)
    assert w.council.has_sponsored(motion_id, c[14].address)
    for who in (c[11], c[12], newcomer):
        assert not w.council.has_sponsored(motion_id, who.address)
    assert w.motions.motion_status(motion_id) == AWAITING_STAGE  # 2 of a pool of 20


def _forged(w: World, motion_id: int, signer: LocalAccount, how: str) -> SignedSponsorship:
    forge: dict[str, dict[str, Any]] = {
        "another signer": {"sponsor_address": w.nodes[3].address},
        "another chain": {"chain_id": boa.env.evm.patch.chain_id + 1},
        "another contract": {"verifying_contract": w.motions.address},
        "another name": {"name": "KOL"},
        "another version": {"version": "2"},
        "another motion": {"signed_motion_id": motion_id + 1},
    }
    if how in forge:
        return signed(signer, w.council, motion_id, _later(), **forge[how])
    item = signed(signer, w.council, motion_id, _later())
    sponsor_address, mid, expiry, v, r, s = item
    if how == "another expiry":
        return (sponsor_address, mid, expiry + 1, v, r, s)
    if how == "high s":
        high = (SECP256K1_N - int.from_bytes(s, "big")).to_bytes(32, "big")
        return (sponsor_address, mid, expiry, 55 - v, r, high)
    if how == "v 0":
        return (sponsor_address, mid, expiry, v - 27, r, s)
    assert how == "zero sponsor"
    return (ZERO_ADDRESS, mid, expiry, v, r, s)


_FORGERIES = [
    "another signer",
    "another chain",
    "another contract",
    "another name",
    "another version",
    "another motion",
    "another expiry",
    "high s",
    "v 0",
    "zero sponsor",
]


@pytest.mark.parametrize("how", _FORGERIES)
def test_relay_sponsorships__bad_signature__rejected_nothing_recorded(
    world: World, how: str
) -> None:
    w = world
    motion_id = _node_motion(w)
    item = _forged(w, motion_id, w.nodes[2], how)
    before_state, before_round = state(w), w.council.sponsorship(motion_id)

    statuses, rejected = relay(w, [item])

    assert statuses == [BAD_SIGNATURE]
    assert [(e.index, e.status, e.sponsor) for e in rejected] == [(0, BAD_SIGNATURE, item[0])]
    assert w.council.sponsorship(motion_id) == before_round
    assert state(w) == before_state


def test_relay_sponsorships__after_the_window__rejected_window_closed(world: World) -> None:
    w = world
    motion_id = _node_motion(w)
    deadline = w.council.sponsorship(motion_id).deadline
    item = signed(w.nodes[2], w.council, motion_id, deadline + 3_600)
    warp_to(deadline + 1)

    statuses, rejected = relay(w, [item])

    assert statuses == [WINDOW_CLOSED]
    assert len(rejected) == 1
    assert w.council.sponsorship(motion_id).sponsors == 0


def test_relay_sponsorships__replayed__already_sponsored(world: World) -> None:
    w = world
    motion_id = _node_motion(w)
    item = signed(w.nodes[2], w.council, motion_id, _later())
    assert relay(w, [item])[0] == [OK]
    assert relay(w, [item])[0] == [ALREADY_SPONSORED]
    assert w.council.sponsorship(motion_id).sponsors == 1
    assert w.motions.motion_status(motion_id) == SPONSORING
