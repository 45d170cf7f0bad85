"""What the clock decides, computed from the stored rows when asked (never stored).

A stage fails when its deadline passes, a motion lapses when its window closes, an audit
demand becomes overdue, and a member's absences add up — none of these emits an event, so the
store keeps the facts (deadlines, tallies, ballots) and these functions, mirroring
``Motions.vy`` and ``ballots.vy``, say what they mean at a given time.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Final

from kol.store.models import AuditDemand, Motion, Sponsorship, Stage

__all__ = [
    "TWO_STAGE_KINDS",
    "Attendance",
    "MotionStatus",
    "StageStatus",
    "attendance",
    "audit_overdue",
    "motion_status",
    "stage_status",
]

TWO_STAGE_KINDS: Final = frozenset({6, 7, 12})
"""ISSUE_MATCHED_BATCH, GENESIS_RELEASE and SET_PARAMETERS: super nodes, then nodes (§5)."""
MISSES_TO_FORFEIT: Final = 3


class StageStatus(IntEnum):
    OPEN = 1
    PASSED = 2
    FAILED = 3


class MotionStatus(IntEnum):
    """As ``Motions.motion_status`` numbers them."""

    SPONSORING = 1
    VOTING = 2
    PASSED = 3
    EXECUTED = 4
    FAILED = 5
    LAPSED = 6
    AWAITING_STAGE = 7


def stage_status(stage: Stage, now: int) -> StageStatus:
    """Passed the moment For reaches the threshold; failed the moment it is out of reach or
    the deadline passes unmet (§4, ``ballots._status``)."""
    if stage.votes_for >= stage.threshold:
        return StageStatus.PASSED
    if stage.votes_against + stage.votes_abstain + stage.threshold > stage.electorate:
        return StageStatus.FAILED
    if now > stage.deadline:
        return StageStatus.FAILED
    return StageStatus.OPEN


def motion_status(
    motion: Motion,
    stages: Sequence[Stage],
    sponsorship: Sponsorship | None,
    now: int,
) -> MotionStatus:
    """The motion's status at ``now`` (``Motions._status``); ``stages`` are its stages in
    order."""
    if motion.closed_status is not None:
        return MotionStatus(motion.closed_status)
    if not stages:
        if sponsorship is None:
            return MotionStatus.SPONSORING
        if sponsorship.reached_at is not None:
            if now > sponsorship.reached_at + motion.execution_window:
                return MotionStatus.LAPSED
            return MotionStatus.AWAITING_STAGE
        if now > sponsorship.deadline:
            return MotionStatus.LAPSED
        return MotionStatus.SPONSORING
    last = stages[-1]
    status = stage_status(last, now)
    if status == StageStatus.OPEN:
        return MotionStatus.VOTING
    if status == StageStatus.FAILED:
        return MotionStatus.FAILED
    passed_at = last.passed_at if last.passed_at is not None else last.opened_at
    if len(stages) == 1 and motion.kind in TWO_STAGE_KINDS:
        if now > passed_at + motion.execution_window:
            return MotionStatus.LAPSED
        return MotionStatus.AWAITING_STAGE
    if now > passed_at + motion.notice_period + motion.execution_window:
        return MotionStatus.LAPSED
    return MotionStatus.PASSED


def audit_overdue(demand: AuditDemand, now: int) -> bool:
    """Past its due date without an answer (``Treasury.audit_overdue``)."""
    return demand.answered_at is None and now > demand.due


@dataclass(frozen=True)
class Attendance:
    """A seated member's attendance in one chamber (§6)."""

    chamber: int
    since_block: int
    streak: int
    """Consecutive misses up to the latest stage whose deadline has passed."""
    forfeitable_from: int | None
    """The seq of the first of three consecutive missed stages, when there are such: anyone
    may record the forfeiture citing it (the proof never expires)."""
    pending: tuple[int, ...]
    """Stage ids still open in which the member has not voted."""
    stages_in_electorate: int
    ballots_cast: int

    @property
    def warning(self) -> str | None:
        """What the member should know, in §6's words."""
        if self.forfeitable_from is not None:
            return (
                f"three consecutive misses from stage {self.forfeitable_from} of the chamber: "
                "the seat can be forfeited now"
            )
        if self.streak == MISSES_TO_FORFEIT - 1:
            return "two consecutive misses: one more forfeits the seat"
        return None


def attendance(
    chamber: int,
    since_block: int,
    stages: Sequence[Stage],
    voted: Collection[int],
    now: int,
) -> Attendance:
    """Attendance of a member seated in ``chamber`` since ``since_block``: ``stages`` are the
    chamber's stages in seq order, ``voted`` the stage ids the member voted in.

    A member is in a stage's electorate when seated before the block in which it opened, so
    only the stages opened after ``since_block`` count (``ballots.forfeit``); a stage is
    missed once its deadline has passed without the member's ballot."""
    streak = 0
    run = 0
    forfeitable: int | None = None
    pending: list[int] = []
    counted = cast = 0
    for stage in stages:
        if stage.opened_block <= since_block:
            continue
        counted += 1
        if stage.stage_id in voted:
            cast += 1
            streak = run = 0
            continue
        if now <= stage.deadline:
            pending.append(stage.stage_id)
            continue
        streak += 1
        run += 1
        if run >= MISSES_TO_FORFEIT and forfeitable is None:
            forfeitable = stage.seq - (MISSES_TO_FORFEIT - 1)
    return Attendance(
        chamber=chamber,
        since_block=since_block,
        streak=streak,
        forfeitable_from=forfeitable,
        pending=tuple(pending),
        stages_in_electorate=counted,
        ballots_cast=cast,
    )
