"""``forfeit``: three consecutive misses lose the seat and start a ban (§3, §6)."""

from __future__ import annotations

from typing import Any

import boa
import pytest

from tests.contracts.helpers import (
    ABSTAIN,
    AGAINST,
    DAY,
    FOR,
    NODE,
    REPLACE_SUPER_NODE,
    REPLENISH_NODE_ALTERNATES,
    REPLENISH_SUPER_ALTERNATES,
    SUPER,
    World,
    args,
    key,
    keys,
    make_world,
    next_block,
)
from tests.contracts.unitary.ballots._util import now, open_stages, warp_to

NODE_BAN = 180 * DAY
SUPER_BAN = 90 * DAY
LEFT_FORFEITED, LEFT_WITH_NODE_SEAT = 3, 4

NOT_SEATED_REASON = "attendance: not seated in that chamber"
VOTED_REASON = "attendance: member voted in one of the three stages"
NOT_OPENED_REASON = "attendance: the three stages must all have opened"
DEADLINE_REASON = "attendance: the third stage's deadline has not passed"
ELECTORATE_REASON = "attendance: member was not in the first stage's electorate"
BANNED_REASON = "council: address is banned from that chamber"
NODE_ALTERNATE_REASON = (
    "motions: node alternates must be registered candidates, not seated, not banned"
)
SUPER_ALTERNATE_REASON = (
    "motions: super alternates must be seated nodes, not super nodes, not banned"
)


def _open(w: World, chamber: int, n: int) -> list[int]:
    """Opens ``n`` stages of ``chamber``, each proposed by a different member
    (the last nodes for the node chamber, the first super nodes for the super one)."""
    proposers = w.supers[:n] if chamber == SUPER else w.nodes[::-1][:n]
    return open_stages(w, chamber, proposers)


def _seq(w: World, stage: int) -> int:
    seq: int = w.council.stage(stage).seq
    return seq


def _after(w: World, stage: int) -> None:
    """Lets the deadline of ``stage`` (and of every earlier stage) pass."""
    warp_to(w.council.stage(stage).deadline + 1)


def _forfeit(w: World, member: str, chamber: int, first_seq: int) -> list[Any]:
    """Records a forfeiture from a stranger; returns the call's logs."""
    with boa.env.prank(key("keeper").address):
        w.council.forfeit(member, chamber, first_seq)
    logs: list[Any] = w.council.get_logs()
    return logs


def _state(w: World, member: str) -> tuple[Any, ...]:
    """What a refused forfeiture must leave unchanged."""
    return (
        w.council.member(member),
        w.council.seats(NODE),
        w.council.seats(SUPER),
        w.council.queue_length(SUPER),
    )


def _refused(w: World, member: str, chamber: int, first_seq: int, reason: str) -> None:
    before = _state(w, member)
    with boa.reverts(reason), boa.env.prank(key("keeper").address):
        w.council.forfeit(member, chamber, first_seq)
    assert _state(w, member) == before


def _named(logs: list[Any], name: str) -> list[Any]:
    return [e for e in logs if type(e).__name__ == name]


def _check_ban_logs(logs: list[Any], member: str, chamber: int, until: int) -> None:
    """The ban is logged: by ``Forfeited.ban_until``, and by ``Banned`` if the
    council emits it (it did before the gas pass; it must then agree)."""
    (forfeited,) = _named(logs, "Forfeited")
    assert (forfeited.member, forfeited.chamber, forfeited.ban_until) == (member, chamber, until)
    for banned in _named(logs, "Banned"):
        assert (banned.member, banned.chamber, banned.until) == (member, chamber, until)


# SEAT LOST, BAN STARTED, SEAT REFILLED #


def test_forfeit__three_node_misses__seat_lost_and_banned_180_days(genesis_world: World) -> None:
    w = genesis_world
    absent = w.nodes[0].address
    member_id = w.council.member(absent)[0]
    stages = _open(w, NODE, 3)
    w.vote(w.nodes[1:7], stages[0], FOR)
    _after(w, stages[-1])

    logs = _forfeit(w, absent, NODE, _seq(w, stages[0]))

    until = now() + NODE_BAN
    assert w.council.member(absent) == (member_id, False, False, False, until, 0)
    assert w.council.seats(NODE) == 9
    (forfeited,) = _named(logs, "Forfeited")
    assert (forfeited.member, forfeited.member_id, forfeited.chamber) == (absent, member_id, NODE)
    assert (forfeited.first_seq, forfeited.ban_until) == (_seq(w, stages[0]), until)
    _check_ban_logs(logs, absent, NODE, until)
    (unseated,) = _named(logs, "Unseated")
    assert (unseated.member, unseated.chamber, unseated.reason) == (absent, NODE, LEFT_FORFEITED)


def test_forfeit__three_super_misses__stays_node_banned_90_days_refilled_from_queue(
    world: World,
) -> None:
    w = world
    absent, head = w.supers[20].address, w.nodes[21].address
    assert w.council.queue_at(SUPER, w.council.queue_head(SUPER)) == head
    stages = _open(w, SUPER, 3)
    _after(w, stages[-1])

    logs = _forfeit(w, absent, SUPER, _seq(w, stages[0]))

    until = now() + SUPER_BAN
    member_id = w.council.member(absent)[0]
    assert w.council.member(absent) == (member_id, True, False, False, 0, until)
    _check_ban_logs(logs, absent, SUPER, until)
    (seated,) = _named(logs, "Seated")  # refilled in the same transaction
    assert (seated.member, seated.chamber, seated.seats) == (head, SUPER, 21)
    assert w.council.member(head)[2]
    assert w.council.seats(SUPER) == 21
    assert w.council.seats(NODE) == 30
    assert w.council.queue_length(SUPER) == 2
    assert not w.council.is_queued(head, SUPER)


def test_forfeit__node_seat_of_super_node__loses_both_seats_super_refilled(world: World) -> None:
    w = world
    absent, head = w.supers[20].address, w.nodes[21].address
    stages = _open(w, NODE, 3)
    _after(w, stages[-1])

    logs = _forfeit(w, absent, NODE, _seq(w, stages[0]))

    member = w.council.member(absent)
    assert member[1:3] == (False, False)
    assert member[4] == now() + NODE_BAN
    reasons = {(e.chamber, e.reason) for e in _named(logs, "Unseated")}
    assert reasons == {(SUPER, LEFT_WITH_NODE_SEAT), (NODE, LEFT_FORFEITED)}
    assert [(e.member, e.chamber) for e in _named(logs, "Seated")] == [(head, SUPER)]
    assert w.council.seats(SUPER) == 21
    assert w.council.seats(NODE) == 29
    assert w.council.member(head)[2]


@pytest.fixture(scope="module")
def full_world() -> World:
    """All 500 node seats taken, genesis still open, no super node."""
    return make_world(n_nodes=500)


def test_forfeit__full_node_chamber__refilled_from_node_alternates(full_world: World) -> None:
    w = full_world
    candidates = keys("candidate", 5)
    for i, c in enumerate(candidates):
        with boa.env.prank(c.address):
            w.council.register_candidate(f"candidate {i}", b"\x00" * 32)
    next_block()
    queue = args([c.address for c in candidates])
    motion_id = w.propose(candidates[0].address, REPLENISH_NODE_ALTERNATES, queue)
    with boa.env.prank(candidates[1].address):
        w.council.sponsor(motion_id)  # 10% of a pool of 5: one sponsor
    replenish = w.motions.advance(motion_id)  # node stage: 33% of 500 = 165
    stages = [replenish, *_open(w, NODE, 2)]
    assert [_seq(w, s) for s in stages] == [1, 2, 3]
    w.vote(w.nodes[:165], replenish, FOR)
    w.motions.execute(motion_id, queue)
    assert w.council.seats(NODE) == 500
    assert w.council.queue_length(NODE) == 5
    absent, head = w.nodes[400].address, candidates[0].address
    _after(w, stages[-1])

    logs = _forfeit(w, absent, NODE, 1)

    assert [(e.member, e.chamber) for e in _named(logs, "Seated")] == [(head, NODE)]
    assert not w.council.member(absent)[1]
    assert w.council.member(head)[1]
    assert w.council.seats(NODE) == 500
    assert w.council.queue_length(NODE) == 4


# ATTENDANCE #


@pytest.mark.parametrize("choice", [FOR, AGAINST, ABSTAIN])
def test_forfeit__miss_miss_vote_miss_miss__keeps_the_seat(
    genesis_world: World, choice: int
) -> None:
    w = genesis_world
    member = w.nodes[0]
    stages = _open(w, NODE, 5)
    w.vote([member], stages[2], choice)  # any ballot is attendance
    _after(w, stages[-1])

    first = _seq(w, stages[0])
    for seq in (first, first + 1, first + 2):
        _refused(w, member.address, NODE, seq, VOTED_REASON)
    _refused(w, member.address, NODE, first + 3, NOT_OPENED_REASON)
    assert w.council.member(member.address)[1]


def test_forfeit__vote_in_a_fourth_stage__does_not_undo_three_misses(genesis_world: World) -> None:
    w = genesis_world
    absent = w.nodes[0]
    stages = _open(w, NODE, 3)
    _after(w, stages[-1])
    fourth = open_stages(w, NODE, [w.nodes[9]])[0]  # its first motion failed: not live
    w.vote([absent], fourth, FOR)

    _forfeit(w, absent.address, NODE, _seq(w, stages[0]))

    assert not w.council.member(absent.address)[1]
    assert w.council.has_voted(fourth, absent.address)


def test_forfeit__proof_stays_valid_years_later(genesis_world: World) -> None:
    w = genesis_world
    absent = w.nodes[0].address
    stages = _open(w, NODE, 3)
    warp_to(now() + 3 * 365 * DAY)

    _forfeit(w, absent, NODE, _seq(w, stages[0]))

    assert not w.council.member(absent)[1]


def test_forfeit__any_three_consecutive_of_a_longer_run(genesis_world: World) -> None:
    w = genesis_world
    absent = w.nodes[0].address
    stages = _open(w, NODE, 5)
    w.vote([w.nodes[0]], stages[0], FOR)
    _after(w, stages[-1])

    _refused(w, absent, NODE, _seq(w, stages[0]), VOTED_REASON)
    _forfeit(w, absent, NODE, _seq(w, stages[2]))

    assert not w.council.member(absent)[1]


# REFUSED PROOFS #


def test_forfeit__third_deadline_not_passed__reverts(genesis_world: World) -> None:
    w = genesis_world
    absent = w.nodes[0].address
    first_two = _open(w, NODE, 2)
    warp_to(now() + DAY)
    third = open_stages(w, NODE, [w.nodes[7]])[0]
    _after(w, first_two[-1])
    deadline = w.council.stage(third).deadline
    assert now() < deadline

    _refused(w, absent, NODE, _seq(w, first_two[0]), DEADLINE_REASON)
    warp_to(deadline)  # voting is still open at the deadline
    _refused(w, absent, NODE, _seq(w, first_two[0]), DEADLINE_REASON)
    warp_to(deadline + 1)
    _forfeit(w, absent, NODE, _seq(w, first_two[0]))
    assert not w.council.member(absent)[1]


def test_forfeit__no_deadline_passed__reverts(world: World) -> None:
    w = world
    stages = _open(w, SUPER, 3)
    _refused(w, w.supers[20].address, SUPER, _seq(w, stages[0]), DEADLINE_REASON)


def test_forfeit__seated_in_the_block_the_first_stage_opened__reverts(
    genesis_world: World,
) -> None:
    w = genesis_world
    late = key("late").address
    with boa.env.prank(w.admin):
        w.council.nominate(late, "late", b"\x00" * 32)
    stages = _open(w, NODE, 3)  # same block
    _after(w, stages[-1])

    _refused(w, late, NODE, _seq(w, stages[0]), ELECTORATE_REASON)


def test_forfeit__seated_after_the_first_stage_opened__reverts(genesis_world: World) -> None:
    w = genesis_world
    late = key("late").address
    first = open_stages(w, NODE, [w.nodes[9]])[0]
    next_block()
    with boa.env.prank(w.admin):
        w.council.nominate(late, "late", b"\x00" * 32)
    next_block()
    later_stages = open_stages(w, NODE, w.nodes[6:9])
    _after(w, later_stages[-1])

    _refused(w, late, NODE, _seq(w, first), ELECTORATE_REASON)
    _forfeit(w, late, NODE, _seq(w, later_stages[0]))  # in the electorate of all three
    assert not w.council.member(late)[1]


def test_forfeit__first_seq_0__reverts(genesis_world: World) -> None:
    w = genesis_world
    stages = _open(w, NODE, 3)
    _after(w, stages[-1])
    _refused(w, w.nodes[0].address, NODE, 0, "attendance: stage numbers start at 1")


@pytest.mark.parametrize("opened", [0, 1, 2])
def test_forfeit__fewer_than_three_stages__reverts(genesis_world: World, opened: int) -> None:
    w = genesis_world
    stages = _open(w, NODE, opened)
    if stages:
        _after(w, stages[-1])
    _refused(w, w.nodes[0].address, NODE, 1, NOT_OPENED_REASON)


def test_forfeit__stage_numbers_far_ahead__reverts(genesis_world: World) -> None:
    w = genesis_world
    stages = _open(w, NODE, 3)
    _after(w, stages[-1])
    for first_seq in (2, 3, 2**40, 2**200):
        _refused(w, w.nodes[0].address, NODE, first_seq, NOT_OPENED_REASON)


@pytest.mark.parametrize("chamber", [2, 3, 2**255])
def test_forfeit__chamber_not_0_or_1__reverts(world: World, chamber: int) -> None:
    w = world
    stages = _open(w, SUPER, 3)
    _after(w, stages[-1])
    reason = "attendance: chamber is 0 (nodes) or 1 (super nodes)"
    _refused(w, w.supers[20].address, chamber, 1, reason)


def test_forfeit__stranger__reverts(world: World) -> None:
    w = world
    stages = _open(w, NODE, 3)
    _after(w, stages[-1])
    _refused(w, key("stranger").address, NODE, _seq(w, stages[0]), NOT_SEATED_REASON)


def test_forfeit__plain_node_in_super_chamber__reverts(world: World) -> None:
    w = world
    stages = _open(w, SUPER, 3)
    _after(w, stages[-1])
    _refused(w, w.nodes[25].address, SUPER, _seq(w, stages[0]), NOT_SEATED_REASON)


def test_forfeit__twice__second_reverts(world: World) -> None:
    w = world
    stages = _open(w, SUPER, 3)
    _after(w, stages[-1])
    _forfeit(w, w.supers[20].address, SUPER, 1)
    _refused(w, w.supers[20].address, SUPER, 1, NOT_SEATED_REASON)


def test_forfeit__resigned_member__reverts(world: World) -> None:
    w = world
    stages = _open(w, NODE, 3)
    with boa.env.prank(w.nodes[25].address):
        w.council.resign(NODE)
    _after(w, stages[-1])
    _refused(w, w.nodes[25].address, NODE, _seq(w, stages[0]), NOT_SEATED_REASON)
    assert w.council.member(w.nodes[25].address)[4] == 0  # resigning is not banned


# THE BAN #


def test_forfeit__node_ban__no_seat_or_queue_until_it_ends(genesis_world: World) -> None:
    w = genesis_world
    absent = w.nodes[0]
    stages = _open(w, NODE, 3)
    _after(w, stages[-1])
    _forfeit(w, absent.address, NODE, 1)
    until = w.council.member(absent.address)[4]
    with boa.env.prank(absent.address):
        w.council.register_candidate("back", b"\x00" * 32)
    others = keys("hopeful", 4)
    for c in others:
        with boa.env.prank(c.address):
            w.council.register_candidate("hopeful", b"\x00" * 32)
    next_block()
    queue = args([absent.address] + [c.address for c in others])

    warp_to(until - 1)
    with boa.reverts(BANNED_REASON), boa.env.prank(w.admin):
        w.council.nominate(absent.address, "back", b"\x00" * 32)
    with boa.reverts(NODE_ALTERNATE_REASON):
        w.propose(others[0].address, REPLENISH_NODE_ALTERNATES, queue)
    assert not w.council.member(absent.address)[1]
    assert not w.council.is_queued(absent.address, NODE)

    warp_to(until)
    w.propose(others[0].address, REPLENISH_NODE_ALTERNATES, queue)  # accepted: gathers sponsors
    with boa.env.prank(w.admin):
        w.council.nominate(absent.address, "back", b"\x00" * 32)
    assert w.council.member(absent.address)[1]
    next_block()
    # The old proof cannot unseat it again: it was not in those electorates.
    _refused(w, absent.address, NODE, 1, ELECTORATE_REASON)


def test_forfeit__super_ban__no_super_seat_or_queue_until_it_ends(world: World) -> None:
    w = world
    absent = w.supers[20].address
    stages = _open(w, SUPER, 3)
    _after(w, stages[-1])
    _forfeit(w, absent, SUPER, 1)
    until = w.council.member(absent)[5]
    queue = args([absent, w.nodes[25].address, w.nodes[26].address])
    replace = args([w.supers[0].address, absent])

    warp_to(until - 1)
    with boa.reverts(SUPER_ALTERNATE_REASON):
        w.propose(w.nodes[29].address, REPLENISH_SUPER_ALTERNATES, queue)
    with boa.reverts("motions: the new super node is banned from the super chamber"):
        w.propose(w.nodes[29].address, REPLACE_SUPER_NODE, replace)
    assert not w.council.is_queued(absent, SUPER)

    warp_to(until)
    motion_id = w.propose(w.nodes[29].address, REPLENISH_SUPER_ALTERNATES, queue)
    for k in w.nodes[:3]:  # 10% of 30 nodes
        with boa.env.prank(k.address):
            w.council.sponsor(motion_id)
    stage = w.motions.advance(motion_id)  # super 33% of 21 = 7
    w.vote(w.chamber(SUPER)[:7], stage, FOR)
    w.motions.execute(motion_id, queue)
    assert w.council.is_queued(absent, SUPER)
    assert not w.council.member(absent)[2]  # the 21 seats are full
