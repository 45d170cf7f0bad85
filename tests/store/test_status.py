"""What the clock decides (§4, §6), computed from stored rows: stage and motion status as
``ballots.vy`` and ``Motions.vy`` derive them, attendance streaks and forfeiture proofs."""

from __future__ import annotations

from kol.store.models import Motion, Sponsorship, Stage
from kol.store.status import MotionStatus, StageStatus, attendance, motion_status, stage_status

DAY = 86_400


def stage(
    stage_id: int = 3,
    *,
    seq: int = 1,
    opened_block: int = 10,
    deadline: int = 1_000,
    electorate: int = 10,
    threshold: int = 6,
    votes: tuple[int, int, int] = (0, 0, 0),
    passed_at: int | None = None,
    number: int = 1,
) -> Stage:
    return Stage(
        stage_id=stage_id,
        motion_id=1,
        number=number,
        chamber=stage_id & 1,
        seq=seq,
        electorate=electorate,
        threshold=threshold,
        deadline=deadline,
        opened_block=opened_block,
        opened_at=0,
        votes_for=votes[0],
        votes_against=votes[1],
        votes_abstain=votes[2],
        passed_at=passed_at,
        passed_block=None,
        failed_block=None,
    )


def motion(kind: int = 3, closed: int | None = None) -> Motion:
    return Motion(
        motion_id=1,
        kind=kind,
        proposer="0x" + "11" * 20,
        args_hash="0x",
        args={},
        created_block=1,
        created_at=0,
        notice_period=100,
        execution_window=7 * DAY,
        closed_status=closed,
        tx_hash="0x",
    )


def test_stage_status__for_reaches_threshold__passed_even_after_the_deadline() -> None:
    assert stage_status(stage(votes=(6, 0, 0)), now=5_000) == StageStatus.PASSED


def test_stage_status__threshold_out_of_reach__failed_before_the_deadline() -> None:
    # 10 electors, threshold 6: five against or abstaining leave only 5 possible For
    assert stage_status(stage(votes=(0, 3, 2)), now=0) == StageStatus.FAILED
    assert stage_status(stage(votes=(0, 3, 1)), now=0) == StageStatus.OPEN


def test_stage_status__deadline_passed_unmet__failed() -> None:
    assert stage_status(stage(votes=(5, 0, 0)), now=1_000) == StageStatus.OPEN
    assert stage_status(stage(votes=(5, 0, 0)), now=1_001) == StageStatus.FAILED


def test_motion_status__one_stage_passed__executable_then_lapsed() -> None:
    passed = [stage(votes=(6, 0, 0), passed_at=500)]
    m = motion(kind=3)
    assert motion_status(m, passed, None, now=600) == MotionStatus.PASSED
    assert motion_status(m, passed, None, now=500 + 100 + 7 * DAY) == MotionStatus.PASSED
    assert motion_status(m, passed, None, now=501 + 100 + 7 * DAY) == MotionStatus.LAPSED


def test_motion_status__two_stage_kind_after_stage_one__awaits_its_next_stage() -> None:
    passed = [stage(votes=(6, 0, 0), passed_at=500)]
    m = motion(kind=6)  # ISSUE_MATCHED_BATCH
    assert motion_status(m, passed, None, now=600) == MotionStatus.AWAITING_STAGE
    assert motion_status(m, passed, None, now=501 + 7 * DAY) == MotionStatus.LAPSED
    both = [*passed, stage(5, number=2, votes=(6, 0, 0), passed_at=700)]
    assert motion_status(m, both, None, now=800) == MotionStatus.PASSED


def test_motion_status__sponsorship__gathering_reached_or_lapsed() -> None:
    round_ = Sponsorship(
        motion_id=1,
        body=0,
        electorate=20,
        threshold=2,
        deadline=1_000,
        opened_block=1,
        sponsors=1,
        reached_at=None,
        reached_block=None,
    )
    m = motion(kind=10)
    assert motion_status(m, [], round_, now=900) == MotionStatus.SPONSORING
    assert motion_status(m, [], round_, now=1_001) == MotionStatus.LAPSED
    round_.reached_at = 950
    assert motion_status(m, [], round_, now=1_001) == MotionStatus.AWAITING_STAGE


def test_motion_status__closed__as_recorded() -> None:
    assert motion_status(motion(closed=4), [], None, now=0) == MotionStatus.EXECUTED
    assert motion_status(motion(closed=5), [], None, now=0) == MotionStatus.FAILED


def chamber(n: int, *, first_block: int = 10) -> list[Stage]:
    """Stages 1…n of the node chamber, one block and one day apart."""
    return [
        stage(2 * seq, seq=seq, opened_block=first_block + seq, deadline=seq * DAY)
        for seq in range(1, n + 1)
    ]


def test_attendance__three_consecutive_misses__forfeitable_from_the_first() -> None:
    stages = chamber(5)
    seen = attendance(0, since_block=5, stages=stages, voted={2}, now=10 * DAY)
    assert (seen.streak, seen.forfeitable_from) == (4, 2)
    assert seen.warning is not None and "forfeited now" in seen.warning


def test_attendance__a_later_vote__ends_the_streak_but_not_the_proof() -> None:
    stages = chamber(5)
    seen = attendance(0, since_block=5, stages=stages, voted={10}, now=10 * DAY)
    assert (seen.streak, seen.forfeitable_from, seen.ballots_cast) == (0, 1, 1)


def test_attendance__two_misses_and_an_open_stage__warns_before_the_third() -> None:
    stages = chamber(3)
    seen = attendance(0, since_block=5, stages=stages, voted=set(), now=2 * DAY + 1)
    assert (seen.streak, seen.forfeitable_from, seen.pending) == (2, None, (6,))
    assert seen.warning == "two consecutive misses: one more forfeits the seat"


def test_attendance__stages_opened_before_the_seat__not_counted() -> None:
    stages = chamber(4)  # opened in blocks 11…14
    seen = attendance(0, since_block=12, stages=stages, voted=set(), now=10 * DAY)
    assert (seen.stages_in_electorate, seen.streak, seen.forfeitable_from) == (2, 2, None)
