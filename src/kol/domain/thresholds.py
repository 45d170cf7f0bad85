"""Voting arithmetic (constitution §4) and the default parameters (§10).

Everything is integer arithmetic, exactly as the contracts compute it, so that the platform
and the chain never disagree by a rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from kol.domain.types import ONE_KOL, ONE_USDT

StageOutcome = Literal["open", "passed", "failed"]
"""The state of a stage (§4): still undecided, passed, or failed."""

DAY: Final = 86_400
"""Seconds in a day."""


def _check_count(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative (got {value})")


def threshold(pct: int, electorate: int) -> int:
    """The number of For votes a stage needs (§4): ceil(pct × electorate / 100), at least 1.

    Percentages are of the whole electorate, not of the votes cast. Examples from §4: 21 super
    nodes at 51% need 11; 126 nodes at 10% need 13; 500 nodes at 67% need 335.

    :param pct: the motion's percentage, 1 to 100.
    :param electorate: the number of members in the stage's electorate (0 or more).
    :raises ValueError: when ``pct`` is outside 1..100 or ``electorate`` is negative.
    """
    _check_count("threshold: pct", pct)
    _check_count("threshold: electorate", electorate)
    if not 1 <= pct <= 100:
        raise ValueError(f"threshold: a percentage is between 1 and 100 (got {pct})")
    return max(1, -(-pct * electorate // 100))


def stage_outcome(
    electorate: int,
    threshold: int,
    for_: int,
    against: int,
    abstain: int,
    deadline_passed: bool,
) -> StageOutcome:
    """Whether a stage is open, passed or failed (§4).

    A stage passes the moment For reaches the threshold (even when counted after the
    deadline, For can only have been cast before it); it fails the moment the threshold is
    out of reach (Against + Abstain > electorate − threshold) or when the deadline has passed
    without passing. Voting stays open until the deadline either way; this function only says
    what the stage decided.

    :raises ValueError: when the counts are negative, the threshold is below 1, or more
        ballots were cast than there are members in the electorate.
    """
    for name, value in (
        ("electorate", electorate),
        ("threshold", threshold),
        ("for_", for_),
        ("against", against),
        ("abstain", abstain),
    ):
        _check_count(f"stage_outcome: {name}", value)
    if threshold < 1:
        raise ValueError(f"stage_outcome: a threshold is at least 1 (got {threshold})")
    cast = for_ + against + abstain
    if cast > electorate:
        raise ValueError(
            f"stage_outcome: {cast} ballots cast but the electorate has only {electorate} members"
        )
    if for_ >= threshold:
        return "passed"
    if against + abstain + threshold > electorate or deadline_passed:
        return "failed"
    return "open"


@dataclass(frozen=True)
class Parameters:
    """The parameters of §10, durations in seconds, with their defaults.

    Only a ``SET_PARAMETERS`` motion changes them; a change never alters a stage already open
    (§4). The foundation's address is also a parameter but has no default (the deployer
    chooses it), so it is not here.
    """

    voting_period: int = 3 * DAY
    """How long a stage stays open for ballots (§4)."""
    sponsor_window: int = 7 * DAY
    """How long a motion has to gather its sponsors (§4)."""
    execution_window: int = 7 * DAY
    """How long a passed motion can be executed before it lapses (§4)."""
    notice_period: int = 0
    """Public notice (公示) between passing and execution (§4)."""
    audit_due: int = 30 * DAY
    """How long the foundation has to answer an audit demand (§5)."""
    super_ban: int = 90 * DAY
    """Ban after forfeiting a super-node seat (§3, §6)."""
    node_ban: int = 180 * DAY
    """Ban after forfeiting a node seat (§3, §6)."""
    kol_per_usdt: int = ONE_KOL // ONE_USDT
    """KOL base units issued per USDT base unit (§7): 1 KOL per USDT is 10**12."""


DEFAULT_PARAMETERS: Final = Parameters()
"""The defaults of §10, as the contracts are deployed with them."""
