"""The keeper: the permissionless chores the constitution leaves to anyone, done promptly.

Each round it

1. records every attendance forfeiture due (§6) as soon as the third deadline has passed —
   the SDK finds them (``Alliance.forfeitures_due``, from the newly decided stages only) and
   each is checked again (``misses_three``) and recorded with its O(1) proof (``forfeit``); the
   seat is refilled from its queue in the same transaction;
2. seats queued alternates wherever a seat is free (``refill``, §3);
3. closes every failed or lapsed motion (``close``, §4) so that its end is on record.

Everything is idempotent and safe to run beside another keeper: a chore someone else did first
reverts in the simulation (nothing is sent) or on-chain, and is reported as ``already done``,
never raised. A chain error ends the chore for this round; the next round tries again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Final

from kol.alliance import Alliance, Chamber, Member, MotionStatus, RuleViolation
from kol.chain.rpc import ChainError

__all__ = ["Action", "Keeper", "Outcome", "SEAT_CAPS"]

log = logging.getLogger("kol.keeper")

SEAT_CAPS: Final = {Chamber.NODE: 500, Chamber.SUPER: 21}
"""Seats of each chamber (§3, fixed constitution)."""
_ALREADY_DONE: Final = (
    "attendance: not seated in that chamber",  # the seat was forfeited (or left) already
    "motions: already closed",
)
_CHAMBER_WORDS: Final = {Chamber.NODE: "node", Chamber.SUPER: "super-node"}


class Outcome(StrEnum):
    DONE = "done"
    ALREADY_DONE = "already done"
    """Another keeper (or anyone) did it first: the call reverted or was not needed."""
    FAILED = "failed"
    """The chain refused for another reason or could not be reached; tried again next round."""


@dataclass(frozen=True)
class Action:
    """One chore of a round and how it ended."""

    kind: str
    """``forfeit``, ``refill`` or ``close``."""
    subject: str
    """What it was about (``0x… super-node seat, stages 1–3``, ``motion 4``, ``node seats``)."""
    outcome: Outcome
    detail: str = ""

    def describe(self) -> str:
        text = f"{self.kind} {self.subject}: {self.outcome.value}"
        return f"{text} ({self.detail})" if self.detail else text


class Keeper:
    """Does the chores of one alliance with the key of ``sender`` (any funded address: the
    calls are permissionless)."""

    def __init__(self, alliance: Alliance, sender: str) -> None:
        self.a = alliance
        self.sender = sender
        self._checked = {Chamber.NODE: 0, Chamber.SUPER: 0}
        """Per chamber: the last stage whose deadline had passed when it was scanned."""
        self._settled_below = 1
        """Motions below this id are executed or closed: nothing more to do for them."""

    def run_once(self) -> list[Action]:
        """One round of every chore; what was done (or found done)."""
        actions: list[Action] = []
        for chore in (self.forfeitures, self.refills, self.closures):
            try:
                actions += chore()
            except Exception as error:  # a node gone, a bad answer: this chore waits a round
                log.warning("keeper: %s stopped this round: %s", chore.__name__, error)
                actions.append(Action(chore.__name__, "round", Outcome.FAILED, str(error)))
                self._forget_nonces()
        return actions

    def follow(
        self,
        interval: float,
        stop: threading.Event,
        report: Callable[[list[Action]], None] | None = None,
    ) -> None:
        """Runs a round every ``interval`` seconds until ``stop`` is set; never raises."""
        while not stop.is_set():
            try:
                actions = self.run_once()
                if report is not None and actions:
                    report(actions)
            except Exception as error:  # the keeper outlives a bad round
                log.exception("keeper round failed: %s", error)
                self._forget_nonces()
            stop.wait(interval)

    def _forget_nonces(self) -> None:
        forget = getattr(self.a.backend, "forget_nonces", None)
        if forget is not None:
            forget()  # a nonce taken by another process of the same key: read it again

    def _attempt(self, kind: str, subject: str, call: Callable[[], object]) -> Action:
        try:
            result = call()
        except RuleViolation as violation:
            if violation.reason in _ALREADY_DONE:
                return Action(kind, subject, Outcome.ALREADY_DONE, violation.reason)
            return Action(kind, subject, Outcome.FAILED, violation.reason)
        except ChainError as error:
            self._forget_nonces()
            return Action(kind, subject, Outcome.FAILED, str(error))
        detail = f"{result} seated" if isinstance(result, int) else ""
        return Action(kind, subject, Outcome.DONE, detail)

    # §6 attendance ----------------------------------------------------------------------------

    def forfeitures(self) -> list[Action]:
        """Records the forfeitures whose third deadline passed since the last round."""
        actions: list[Action] = []
        now = self.a.now()
        members: list[Member] | None = None  # read once a round, only when a stage was decided
        for chamber in (Chamber.NODE, Chamber.SUPER):
            checked = self._checked[chamber]
            if checked >= self.a.stage_count(chamber):
                continue
            if self.a.chamber_stage(chamber, checked + 1).deadline >= now:
                continue  # no new stage decided: nothing can be due (members not even read)
            if members is None:
                members = self.a.members()
            # records read before this round's node forfeitures may be stale for the super
            # chamber: misses_three reads the member again before anything is sent
            seated = [m for m in members if m.seated(chamber)]
            due, decided = self.a.forfeitures_due(chamber, seated, after=checked, now=now)
            done: list[Action] = []
            for member, first_seq in due:
                subject = (
                    f"{member} {_CHAMBER_WORDS[chamber]} seat, stages {first_seq}–{first_seq + 2}"
                )
                if not self.a.misses_three(member, chamber, first_seq):
                    done.append(Action("forfeit", subject, Outcome.ALREADY_DONE))
                    continue
                done.append(
                    self._attempt(
                        "forfeit",
                        subject,
                        partial(self.a.forfeit, member, chamber, first_seq, by=self.sender),
                    )
                )
            if not any(x.outcome == Outcome.FAILED for x in done):
                self._checked[chamber] = decided  # a failed one is found again next round
            actions += done
        return actions

    # §3 refills -------------------------------------------------------------------------------

    def refills(self) -> list[Action]:
        """Seats queued alternates where seats are free."""
        actions: list[Action] = []
        for chamber in (Chamber.NODE, Chamber.SUPER):
            if self.a.queue_length(chamber) == 0:
                continue
            if self.a.seats(chamber) >= SEAT_CAPS[chamber]:
                continue
            subject = f"{_CHAMBER_WORDS[chamber]} seats"
            action = self._attempt(
                "refill", subject, partial(self.a.refill, chamber, by=self.sender)
            )
            if action.outcome == Outcome.DONE and action.detail == "0 seated":
                action = Action("refill", subject, Outcome.ALREADY_DONE, "nobody left to seat")
            actions.append(action)
        return actions

    # §4 closing -------------------------------------------------------------------------------

    def closures(self) -> list[Action]:
        """Closes failed and lapsed motions not yet closed."""
        actions: list[Action] = []
        count = self.a.motion_count()
        settled = True
        for motion_id in range(self._settled_below, count + 1):
            status = self.a.motion_status(motion_id)
            closed = int(self.a.backend.call("motions", "motion", motion_id)[9]) != 0
            if status in (MotionStatus.FAILED, MotionStatus.LAPSED) and not closed:
                action = self._attempt(
                    "close",
                    f"motion {motion_id} ({status.name.lower()})",
                    partial(self.a.close, motion_id, by=self.sender),
                )
                actions.append(action)
                closed = action.outcome != Outcome.FAILED
            if settled and (closed or status == MotionStatus.EXECUTED):
                self._settled_below = motion_id + 1
            else:
                settled = False
        return actions
