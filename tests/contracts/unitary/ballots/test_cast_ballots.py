"""``cast_ballots``: EIP-712 ballots relayed by anyone, many per call (§4).

A bad ballot in a batch is skipped, reported in the returned statuses and by
``BallotRejected``; the others stand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boa
import pytest

from tests.contracts.helpers import ABSTAIN, AGAINST, DAY, FOR, NODE, SUPER, World, key
from tests.contracts.unitary.ballots._util import (
    ALREADY_VOTED,
    ALREADY_VOTED_REASON,
    BAD_CHOICE,
    BAD_SIGNATURE,
    EXPIRED,
    NO_SUCH_STAGE,
    NOT_SEATED,
    OK,
    SEATED_AFTER_OPENING,
    SECP256K1_N,
    STAGE_CLOSED,
    STAGE_PASSED,
    ZERO_ADDRESS,
    ballot,
    ballot_message,
    digest_of,
    domain,
    later,
    now,
    open_node_stages,
    open_super_stages,
    relay,
    snapshot,
    stage_id,
    warp_to,
)

Ballot = tuple[str, int, int, int, int, bytes, bytes]


@dataclass(frozen=True)
class Ctx:
    """Stages of one test: ``a`` and ``b`` open, ``closed`` past its deadline, ``sup`` super."""

    w: World
    a: int
    b: int
    closed: int
    sup: int


@pytest.fixture
def ctx(world: World) -> Ctx:
    w = world
    closed = open_node_stages(w, [w.nodes[27]])[0]
    warp_to(w.council.stage(closed).deadline + 1)
    a, b = open_node_stages(w, [w.nodes[29], w.nodes[28]])
    sup = open_super_stages(w, [w.supers[0]])[0]
    return Ctx(w, a, b, closed, sup)


def _relay(w: World, ballots: list[Ballot]) -> tuple[list[int], list[Any]]:
    """Relays ``ballots`` from a stranger; returns the statuses and BallotRejected logs."""
    return relay(w.council.cast_ballots, ballots)


def _with(b: Ballot, **fields: Any) -> Ballot:
    names = ("voter", "stage", "choice", "expiry", "v", "r", "s")
    values = dict(zip(names, b, strict=True)) | fields
    return tuple(values[n] for n in names)  # type: ignore[return-value]


# THE DIGEST #


def test_cast_ballots__domain__is_kol_alliance_v1_on_this_chain(world: World) -> None:
    name, version, chain_id, verifying_contract = domain(world.council)
    assert (name, version) == ("KOL Alliance", "1")
    assert chain_id == boa.env.evm.patch.chain_id
    assert verifying_contract == world.council.address


@pytest.mark.parametrize("choice", [FOR, AGAINST, ABSTAIN])
@pytest.mark.parametrize("expiry", [0, 1, 2**40])
def test_cast_ballots__eth_account_typed_data__matches_ballot_digest(
    ctx: Ctx, choice: int, expiry: int
) -> None:
    w = ctx.w
    voter = w.nodes[4].address
    for stage in (ctx.a, ctx.sup):
        message = ballot_message(w.council, voter, stage, choice, expiry)
        assert digest_of(message) == w.council.ballot_digest(voter, stage, choice, expiry)


# RECORDED #


def test_cast_ballots__batch_of_a_whole_chamber__all_recorded(ctx: Ctx) -> None:
    w = ctx.w
    choices = [FOR] * 21 + [AGAINST] * 5 + [ABSTAIN] * 4  # 30 nodes, threshold 21
    batch = [ballot(k, w.council, ctx.a, c, later()) for k, c in zip(w.nodes, choices, strict=True)]

    with boa.env.prank(key("relayer").address):
        w.council.cast_ballots(batch)
    logs = w.council.get_logs()

    names = [type(e).__name__ for e in logs]
    assert names.count("Voted") == 30
    assert names.count("StagePassed") == 1
    assert "BallotRejected" not in names
    assert [(e.voter, e.choice) for e in logs if type(e).__name__ == "Voted"] == [
        (k.address, c) for k, c in zip(w.nodes, choices, strict=True)
    ]
    s = w.council.stage(ctx.a)
    assert (s.votes_for, s.votes_against, s.votes_abstain) == (21, 5, 4)
    assert w.council.stage_status(ctx.a) == STAGE_PASSED
    assert all(w.council.has_voted(ctx.a, k.address) for k in w.nodes)


def test_cast_ballots__ballots_for_several_stages__all_recorded(ctx: Ctx) -> None:
    w = ctx.w
    batch = [
        ballot(w.supers[0], w.council, ctx.a, FOR, later()),
        ballot(w.supers[0], w.council, ctx.b, AGAINST, later()),
        ballot(w.supers[0], w.council, ctx.sup, ABSTAIN, later()),
    ]
    statuses, rejected = _relay(w, batch)
    assert statuses == [OK, OK, OK]
    assert rejected == []
    assert w.council.stage(ctx.a).votes_for == 1
    assert w.council.stage(ctx.b).votes_against == 1
    assert w.council.stage(ctx.sup).votes_abstain == 1


def test_cast_ballots__empty_batch__returns_nothing(ctx: Ctx) -> None:
    statuses, rejected = _relay(ctx.w, [])
    assert statuses == []
    assert rejected == []


def test_cast_ballots__expiry_exactly_now__is_recorded(ctx: Ctx) -> None:
    w = ctx.w
    statuses, _ = _relay(w, [ballot(w.nodes[2], w.council, ctx.a, FOR, now())])
    assert statuses == [OK]
    assert w.council.has_voted(ctx.a, w.nodes[2].address)


def test_cast_ballots__at_the_deadline__is_recorded(ctx: Ctx) -> None:
    w = ctx.w
    deadline = w.council.stage(ctx.a).deadline
    signed = ballot(w.nodes[2], w.council, ctx.a, AGAINST, deadline + DAY)
    warp_to(deadline)
    statuses, _ = _relay(w, [signed])
    assert statuses == [OK]
    assert w.council.stage(ctx.a).votes_against == 1


def test_cast_ballots__replayed_in_a_later_call__already_voted(ctx: Ctx) -> None:
    w = ctx.w
    signed = ballot(w.nodes[2], w.council, ctx.a, FOR, later())
    assert _relay(w, [signed])[0] == [OK]
    before = snapshot(w, ctx.a, [w.nodes[2].address])

    statuses, (rejected,) = _relay(w, [signed])

    assert statuses == [ALREADY_VOTED]
    assert (rejected.stage_id, rejected.voter, rejected.index) == (ctx.a, w.nodes[2].address, 0)
    assert rejected.status == ALREADY_VOTED
    assert snapshot(w, ctx.a, [w.nodes[2].address]) == before


def test_cast_ballots__after_own_vote__already_voted(ctx: Ctx) -> None:
    w = ctx.w
    with boa.env.prank(w.nodes[2].address):
        w.council.vote(ctx.a, AGAINST)
    statuses, _ = _relay(w, [ballot(w.nodes[2], w.council, ctx.a, FOR, later())])
    assert statuses == [ALREADY_VOTED]
    assert (w.council.stage(ctx.a).votes_for, w.council.stage(ctx.a).votes_against) == (0, 1)


def test_cast_ballots__then_own_vote__reverts(ctx: Ctx) -> None:
    w = ctx.w
    _relay(w, [ballot(w.nodes[2], w.council, ctx.a, FOR, later())])
    with boa.reverts(ALREADY_VOTED_REASON), boa.env.prank(w.nodes[2].address):
        w.council.vote(ctx.a, AGAINST)
    assert (w.council.stage(ctx.a).votes_for, w.council.stage(ctx.a).votes_against) == (1, 0)


# A BAD BALLOT IN THE MIDDLE IS SKIPPED #


def _good(c: Ctx, i: int) -> Ballot:
    return ballot(c.w.nodes[i], c.w.council, c.a, FOR, later())


def _wrong_signer(c: Ctx) -> Ballot:
    return ballot(c.w.nodes[3], c.w.council, c.a, FOR, later(), voter=c.w.nodes[2].address)


def _high_s(c: Ctx) -> Ballot:
    b = ballot(c.w.nodes[2], c.w.council, c.a, FOR, later())
    s = SECP256K1_N - int.from_bytes(b[6], "big")
    return _with(b, v=55 - b[4], s=s.to_bytes(32, "big"))  # 27 <-> 28


def _v(value: int) -> Callable[[Ctx], Ballot]:
    def build(c: Ctx) -> Ballot:
        return _with(ballot(c.w.nodes[2], c.w.council, c.a, FOR, later()), v=value)

    return build


def _v_parity(c: Ctx) -> Ballot:
    """The right signature with v as a y-parity bit (0/1) instead of 27/28."""
    b = ballot(c.w.nodes[2], c.w.council, c.a, FOR, later())
    return _with(b, v=b[4] - 27)


def _zero_voter(c: Ctx) -> Ballot:
    # r = s = 0 is no signature: ecrecover returns the zero address for it.
    return (ZERO_ADDRESS, c.a, FOR, later(), 27, b"\x00" * 32, b"\x00" * 32)


def _expired(c: Ctx) -> Ballot:
    return ballot(c.w.nodes[2], c.w.council, c.a, FOR, now() - 1)


def _replay(c: Ctx) -> Ballot:
    return _good(c, 0)


def _signed_for_another_stage(c: Ctx) -> Ballot:
    motion_a = c.w.council.stage(c.a).motion_id
    b = ballot(c.w.nodes[2], c.w.council, c.b, FOR, later(), motion_id=motion_a)
    return _with(b, stage=c.a)


def _signed_for_another_motion(c: Ctx) -> Ballot:
    motion_b = c.w.council.stage(c.b).motion_id
    return ballot(c.w.nodes[2], c.w.council, c.a, FOR, later(), motion_id=motion_b)


def _signed_for_another_chain(c: Ctx) -> Ballot:
    chain_id = boa.env.evm.patch.chain_id + 1
    return ballot(c.w.nodes[2], c.w.council, c.a, FOR, later(), chain_id=chain_id)


def _signed_for_another_contract(c: Ctx) -> Ballot:
    other = c.w.motions.address
    return ballot(c.w.nodes[2], c.w.council, c.a, FOR, later(), verifying_contract=other)


def _signed_for_another_choice(c: Ctx) -> Ballot:
    return _with(ballot(c.w.nodes[2], c.w.council, c.a, AGAINST, later()), choice=FOR)


def _signed_for_another_expiry(c: Ctx) -> Ballot:
    b = ballot(c.w.nodes[2], c.w.council, c.a, FOR, now() + 60)
    return _with(b, expiry=now() + 365 * DAY)


def _non_member(c: Ctx) -> Ballot:
    return ballot(key("stranger"), c.w.council, c.a, FOR, later())


def _plain_node_in_super_stage(c: Ctx) -> Ballot:
    return ballot(c.w.nodes[25], c.w.council, c.sup, FOR, later())


def _closed_stage(c: Ctx) -> Ballot:
    return ballot(c.w.nodes[2], c.w.council, c.closed, FOR, later())


def _no_such_stage(c: Ctx) -> Ballot:
    return ballot(c.w.nodes[2], c.w.council, stage_id(99, NODE), FOR, later())


def _bad_choice(c: Ctx) -> Ballot:
    return ballot(c.w.nodes[2], c.w.council, c.a, 4, later())


def _seated_after_opening(c: Ctx) -> Ballot:
    with boa.env.prank(c.w.supers[20].address):
        c.w.council.resign(SUPER)  # the first super alternate takes the seat
    alternate = c.w.nodes[21]
    assert c.w.council.member(alternate.address)[2]
    return ballot(alternate, c.w.council, c.sup, FOR, later())


BAD = {
    "wrong-signer": (_wrong_signer, BAD_SIGNATURE),
    "malleable-high-s": (_high_s, BAD_SIGNATURE),
    "v-0": (_v(0), BAD_SIGNATURE),
    "v-1": (_v(1), BAD_SIGNATURE),
    "v-as-y-parity": (_v_parity, BAD_SIGNATURE),
    "v-29": (_v(29), BAD_SIGNATURE),
    "v-255": (_v(255), BAD_SIGNATURE),
    "zero-address-voter": (_zero_voter, BAD_SIGNATURE),
    "expired": (_expired, EXPIRED),
    "replay": (_replay, ALREADY_VOTED),
    "signed-for-another-stage": (_signed_for_another_stage, BAD_SIGNATURE),
    "signed-for-another-motion": (_signed_for_another_motion, BAD_SIGNATURE),
    "signed-for-another-chain-id": (_signed_for_another_chain, BAD_SIGNATURE),
    "signed-for-another-verifying-contract": (_signed_for_another_contract, BAD_SIGNATURE),
    "signed-for-another-choice": (_signed_for_another_choice, BAD_SIGNATURE),
    "signed-for-another-expiry": (_signed_for_another_expiry, BAD_SIGNATURE),
    "non-member": (_non_member, NOT_SEATED),
    "plain-node-in-super-stage": (_plain_node_in_super_stage, NOT_SEATED),
    "seated-after-opening": (_seated_after_opening, SEATED_AFTER_OPENING),
    "closed-stage": (_closed_stage, STAGE_CLOSED),
    "no-such-stage": (_no_such_stage, NO_SUCH_STAGE),
    "bad-choice": (_bad_choice, BAD_CHOICE),
}


@pytest.mark.parametrize(("build", "status"), list(BAD.values()), ids=list(BAD))
def test_cast_ballots__bad_ballot_in_the_middle__skipped_and_reported(
    ctx: Ctx, build: Callable[[Ctx], Ballot], status: int
) -> None:
    w = ctx.w
    good0, good1 = _good(ctx, 0), _good(ctx, 1)
    bad = build(ctx)
    bad_voter, bad_stage = bad[0], bad[1]
    before = snapshot(w, bad_stage, [bad_voter])

    statuses, rejected = _relay(w, [good0, bad, good1])

    assert statuses == [OK, status, OK]
    assert len(rejected) == 1
    r = rejected[0]
    assert (r.stage_id, r.voter, r.index, r.status) == (bad_stage, bad_voter, 1, status)
    s = w.council.stage(ctx.a)
    assert (s.votes_for, s.votes_against, s.votes_abstain) == (2, 0, 0)
    assert w.council.has_voted(ctx.a, w.nodes[0].address)
    assert w.council.has_voted(ctx.a, w.nodes[1].address)
    if bad_stage != ctx.a:
        assert snapshot(w, bad_stage, [bad_voter]) == before
    elif status != ALREADY_VOTED:
        assert not w.council.has_voted(ctx.a, bad_voter)


def test_cast_ballots__signature_of_another_stage__not_counted_there_either(ctx: Ctx) -> None:
    w = ctx.w
    signed = _signed_for_another_stage(ctx)
    before_b = snapshot(w, ctx.b, [w.nodes[2].address])
    statuses, _ = _relay(w, [signed, _with(signed, stage=ctx.b)])
    assert statuses == [BAD_SIGNATURE, BAD_SIGNATURE]  # motion id of a does not match b
    assert snapshot(w, ctx.b, [w.nodes[2].address]) == before_b


def test_cast_ballots__whole_batch_bad__nothing_recorded(ctx: Ctx) -> None:
    w = ctx.w
    batch = [_wrong_signer(ctx), _expired(ctx), _non_member(ctx), _closed_stage(ctx)]
    before = snapshot(w, ctx.a, [k.address for k in w.nodes])

    statuses, rejected = _relay(w, batch)

    assert statuses == [BAD_SIGNATURE, EXPIRED, NOT_SEATED, STAGE_CLOSED]
    assert [r.index for r in rejected] == [0, 1, 2, 3]
    assert snapshot(w, ctx.a, [k.address for k in w.nodes]) == before
