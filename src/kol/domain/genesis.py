"""The genesis issuance schedule (创世发行, constitution §8).

Each leader has an allotment of 10,000 KOL in ten monthly tranches of 1,000. Every month the
conference assesses the leaders (量化考核) and decides, per leader:

- ``PAY`` — the month's 1,000 KOL is paid, plus optionally an amount of KOL the leader has
  deferred earlier (``release``);
- ``DEFER`` (延迟发放) — the month's 1,000 is kept for a later month;
- ``WITHHOLD`` (不发放) — the month's 1,000 is forfeited for good and never minted;
- ``RELEASE`` — **[resolved]** only deferred KOL is paid, no tranche is assessed. §8 says a
  deferred tranche is "kept for a later month", but once a leader's ten tranches are all
  assessed there is no later ``PAY`` to carry it; ``RELEASE`` is that carrier and is allowed
  only then (before, a ``PAY`` with a release does the same).

:class:`GenesisSchedule` folds months 1..m into each leader's cumulative figures: paid,
deferred (outstanding) and forfeited, in KOL base units. Month m is released on-chain by a
``GENESIS_RELEASE`` motion carrying the root of a Merkle tree (OpenZeppelin standard format,
leaf ``(address leader, uint256 cum_paid, uint256 cum_forfeited)``); a leader claims the
difference between its cumulative paid and what it has already claimed.

Rules enforced (``ValueError`` naming the rule, the month and the leader):

- per leader, paid + deferred + forfeited = 1,000 KOL × the months the leader was assessed,
  at most ten (10,000 KOL), so also ≤ 1,000 × months elapsed;
- a release never exceeds the leader's outstanding deferred KOL, and is whole tranches (the
  contracts count claims in tranches);
- over all leaders, paid + forfeited ≤ 5,000,000 KOL (the genesis bucket of §2);
- at most one decision per leader per month; months are numbered 1, 2, … without gaps.

Not checked here, because it needs the chain: that each leader is a seated node at the time
of the release (the contracts check it when a leader claims).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from eth_typing import ChecksumAddress
from eth_utils.address import is_checksum_address

from kol.domain.merkle import StandardMerkleTree
from kol.domain.thresholds import DAY
from kol.domain.types import ONE_KOL, Wei, as_checksum_address

TRANCHE: Final = Wei(1_000 * ONE_KOL)
"""A leader's monthly tranche: 1,000 KOL."""

TRANCHES: Final = 10
"""Tranches in a leader's allotment."""

ALLOTMENT: Final = Wei(TRANCHES * TRANCHE)
"""A leader's allotment: 10,000 KOL."""

PROGRAMME_CAP: Final = Wei(5_000_000 * ONE_KOL)
"""The genesis bucket (§2): 5,000,000 KOL paid or forfeited at most."""

MONTH: Final = 30 * DAY
"""The length of a month of the programme, in seconds (§8)."""

LEAF_TYPES: Final = ("address", "uint256", "uint256")
"""The ABI types of a month's leaf: (leader, cumulative paid, cumulative forfeited)."""


def format_kol(amount: int) -> str:
    """``amount`` base units as KOL for messages: ``1,000 KOL``, ``0.5 KOL``."""
    sign = "-" if amount < 0 else ""
    whole, fraction = divmod(abs(amount), ONE_KOL)
    text = f"{whole:,}"
    if fraction:
        text += "." + f"{fraction:018d}".rstrip("0")
    return f"{sign}{text} KOL"


class Verdict(StrEnum):
    """A month's decision on one leader (§8)."""

    PAY = "pay"
    DEFER = "defer"
    WITHHOLD = "withhold"
    RELEASE = "release"


@dataclass(frozen=True)
class Decision:
    """The conference's decision on one leader in one month (§8)."""

    month: int
    """The programme month, 1, 2, …"""
    leader: ChecksumAddress
    """The leader assessed."""
    verdict: Verdict
    """``PAY``, ``DEFER``, ``WITHHOLD`` or ``RELEASE``."""
    release: Wei = Wei(0)
    """Deferred KOL paid out with a ``PAY`` (optional) or a ``RELEASE`` (required), base units."""

    def __post_init__(self) -> None:
        if isinstance(self.month, bool) or not isinstance(self.month, int) or self.month < 1:
            raise ValueError(f"genesis: months are numbered from 1 (got {self.month!r})")
        where = f"genesis: month {self.month}"
        if not isinstance(self.leader, str) or not is_checksum_address(self.leader):
            raise ValueError(f"{where}: {self.leader!r} is not a checksummed address")
        if not isinstance(self.verdict, Verdict):
            raise ValueError(f"{where}: {self.verdict!r} is not a Verdict")
        release = self.release
        if isinstance(release, bool) or not isinstance(release, int) or release < 0:
            raise ValueError(f"{where}: {self.leader}: a release is a whole number ≥ 0")
        if release % TRANCHE:
            raise ValueError(
                f"{where}: {self.leader}: deferred KOL is released in whole tranches of "
                f"{format_kol(TRANCHE)}"
            )
        if release and self.verdict in (Verdict.DEFER, Verdict.WITHHOLD):
            raise ValueError(
                f"{where}: {self.leader}: only PAY or RELEASE pays deferred KOL, "
                f"not {self.verdict.name}"
            )
        if not release and self.verdict == Verdict.RELEASE:
            raise ValueError(f"{where}: {self.leader}: a RELEASE needs an amount to release")

    @classmethod
    def of(cls, month: int, leader: str, verdict: Verdict | str, release: int = 0) -> Decision:
        """A decision from loose input: an address in any case (a mixed-case one must carry a
        valid checksum), a verdict name (``pay``, ``defer``, ``withhold``, ``release``).

        :raises ValueError: when an input is invalid.
        """
        checksummed = as_checksum_address(leader)
        if checksummed is None:
            raise ValueError(
                f"genesis: month {month}: {leader!r} is not an address (bad hex or checksum)"
            )
        if not isinstance(verdict, Verdict):
            try:
                verdict = Verdict(str(verdict).strip().lower())
            except ValueError:
                raise ValueError(
                    f"genesis: month {month}: {verdict!r} is not one of pay, defer, withhold, "
                    "release"
                ) from None
        return cls(month, checksummed, verdict, Wei(release))


@dataclass(frozen=True)
class Entitlement:
    """A leader's cumulative figures after a month (§8), in KOL base units."""

    leader: ChecksumAddress
    """The leader."""
    tranches: int
    """Months in which the leader was assessed (PAY, DEFER or WITHHOLD), at most 10."""
    cum_paid: Wei
    """KOL paid so far (what the leader can have claimed in total)."""
    cum_deferred: Wei
    """KOL deferred and not yet released."""
    cum_forfeited: Wei
    """KOL withheld for good."""

    def value(self) -> tuple[ChecksumAddress, int, int]:
        """The month's Merkle leaf value for :data:`LEAF_TYPES`."""
        return (self.leader, int(self.cum_paid), int(self.cum_forfeited))


@dataclass(frozen=True)
class MonthTotals:
    """The figures a ``GENESIS_RELEASE`` of one month states (§8), in KOL base units."""

    month: int
    """The month."""
    cum_paid: Wei
    """Σ cumulative paid over all leaders after the month."""
    cum_forfeited: Wei
    """Σ cumulative forfeited over all leaders after the month."""
    cum_deferred: Wei
    """Σ outstanding deferred over all leaders after the month."""
    paid: Wei
    """KOL newly paid in the month (what its release mints)."""
    forfeited: Wei
    """KOL newly forfeited in the month."""


@dataclass(frozen=True)
class GenesisSchedule:
    """Months 1..m of decisions folded into cumulative figures (§8).

    The constructor checks every rule of the module docstring; build one with :meth:`of`.
    """

    decisions: tuple[Decision, ...]
    """All decisions, by month, in input order within a month."""
    _months: tuple[tuple[Entitlement, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for d in self.decisions:
            if not isinstance(d, Decision):
                raise ValueError(f"genesis: {d!r} is not a Decision")
        decisions = tuple(sorted(self.decisions, key=lambda d: d.month))  # stable
        if not decisions:
            raise ValueError("genesis: a schedule needs at least month 1")
        months = sorted({d.month for d in decisions})
        if months != list(range(1, len(months) + 1)):
            missing = sorted(set(range(1, months[-1] + 1)) - set(months))
            raise ValueError(
                f"genesis: months are consecutive from 1; month {missing[0]} has no decisions"
            )
        positions: dict[ChecksumAddress, Entitlement] = {}
        folded: list[tuple[Entitlement, ...]] = []
        at = 0
        for month in months:
            decided: set[ChecksumAddress] = set()
            while at < len(decisions) and decisions[at].month == month:
                d = decisions[at]
                at += 1
                if d.leader in decided:
                    raise ValueError(
                        f"genesis: month {month}: {d.leader} has two decisions "
                        "(at most one per leader per month)"
                    )
                decided.add(d.leader)
                before = positions.get(d.leader, Entitlement(d.leader, 0, Wei(0), Wei(0), Wei(0)))
                positions[d.leader] = _apply(before, d)
            folded.append(tuple(positions.values()))
            used = sum(e.cum_paid + e.cum_forfeited for e in positions.values())
            if used > PROGRAMME_CAP:
                raise ValueError(
                    f"genesis: month {month}: leaders would be paid or forfeit "
                    f"{format_kol(used)} in all, over the programme's {format_kol(PROGRAMME_CAP)}"
                )
        object.__setattr__(self, "decisions", decisions)
        object.__setattr__(self, "_months", tuple(folded))

    @classmethod
    def of(cls, decisions: Iterable[Decision]) -> GenesisSchedule:
        """The schedule of ``decisions`` (any order; grouped by month).

        :raises ValueError: naming the rule of §8 that the decisions break.
        """
        return cls(tuple(decisions))

    @property
    def months(self) -> int:
        """The last month decided."""
        return len(self._months)

    def _month(self, month: int) -> tuple[Entitlement, ...]:
        if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= self.months:
            raise ValueError(f"genesis: month {month!r} is not in the schedule (1..{self.months})")
        return self._months[month - 1]

    def entitlements(self, month: int) -> tuple[Entitlement, ...]:
        """Every leader assessed in months 1..``month``, in order of first assessment, with
        their cumulative figures after ``month``."""
        return self._month(month)

    def entitlement(self, month: int, leader: str) -> Entitlement:
        """One leader's cumulative figures after ``month`` (all zero if never assessed)."""
        account = as_checksum_address(leader)
        if account is None:
            raise ValueError(f"genesis: {leader!r} is not an address (bad hex or checksum)")
        for e in self._month(month):
            if e.leader == account:
                return e
        return Entitlement(account, 0, Wei(0), Wei(0), Wei(0))

    def month_tree(self, month: int) -> StandardMerkleTree:
        """The Merkle tree of ``month``: one leaf (leader, cum_paid, cum_forfeited) per leader
        assessed so far, leaders whose figures are still zero included."""
        return StandardMerkleTree.of([e.value() for e in self._month(month)], LEAF_TYPES)

    def month_totals(self, month: int) -> MonthTotals:
        """The sums over all leaders after ``month``, and what the month itself added."""
        now = self._month(month)
        paid = sum(e.cum_paid for e in now)
        forfeited = sum(e.cum_forfeited for e in now)
        deferred = sum(e.cum_deferred for e in now)
        before = self._months[month - 2] if month > 1 else ()
        paid_before = sum(e.cum_paid for e in before)
        forfeited_before = sum(e.cum_forfeited for e in before)
        return MonthTotals(
            month=month,
            cum_paid=Wei(paid),
            cum_forfeited=Wei(forfeited),
            cum_deferred=Wei(deferred),
            paid=Wei(paid - paid_before),
            forfeited=Wei(forfeited - forfeited_before),
        )


def _apply(before: Entitlement, d: Decision) -> Entitlement:
    """``before`` after the decision ``d``; raises ValueError when ``d`` breaks a rule."""
    where = f"genesis: month {d.month}: {d.leader}"
    if d.release > before.cum_deferred:
        raise ValueError(
            f"{where}: releases {format_kol(d.release)} but only "
            f"{format_kol(before.cum_deferred)} is deferred"
        )
    if d.verdict == Verdict.RELEASE:
        if before.tranches < TRANCHES:
            raise ValueError(
                f"{where}: RELEASE is for a leader whose {TRANCHES} tranches are all assessed "
                f"({before.tranches} so far); use PAY with a release"
            )
        tranches = before.tranches
        paid, deferred, forfeited = int(d.release), -d.release, 0
    else:
        if before.tranches >= TRANCHES:
            raise ValueError(
                f"{where}: all {TRANCHES} tranches of {format_kol(TRANCHE)} are assessed "
                f"(allotment {format_kol(ALLOTMENT)}); only a RELEASE of deferred KOL remains"
            )
        tranches = before.tranches + 1
        if d.verdict == Verdict.PAY:
            paid, deferred, forfeited = TRANCHE + d.release, -d.release, 0
        elif d.verdict == Verdict.DEFER:
            paid, deferred, forfeited = 0, TRANCHE, 0
        else:
            paid, deferred, forfeited = 0, 0, TRANCHE
    after = Entitlement(
        d.leader,
        tranches,
        Wei(before.cum_paid + paid),
        Wei(before.cum_deferred + deferred),
        Wei(before.cum_forfeited + forfeited),
    )
    # The identity of §8, true by construction: every assessed tranche is in one place.
    assert after.cum_paid + after.cum_deferred + after.cum_forfeited == TRANCHE * after.tranches
    assert after.tranches <= TRANCHES
    return after


CSV_HEADER: Final = ("month", "leader", "verdict", "release")
"""The header of a decisions CSV; ``release`` (whole KOL, may be left empty) is optional."""


def parse_decisions_csv(text: str) -> tuple[Decision, ...]:
    """The decisions of a CSV text with the header ``month,leader,verdict[,release]``.

    ``verdict`` is ``pay``, ``defer``, ``withhold`` or ``release``; ``release`` is deferred KOL
    paid out, in whole KOL (``2000``), empty or absent for none. Blank lines are skipped; a
    leading byte-order mark is ignored. Errors name the line (the header is line 1).

    :raises ValueError: when the header, a field or the number of fields is wrong, or the list
        is empty.
    """
    reader = csv.reader(text.removeprefix("\ufeff").splitlines())
    header: list[str] | None = None
    decisions: list[Decision] = []
    for row in reader:
        line = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in row]
            if tuple(header) not in (CSV_HEADER, CSV_HEADER[:3]):
                raise ValueError(
                    f"genesis: line {line}: the header must be {','.join(CSV_HEADER)} "
                    f"(release optional), not {','.join(row)}"
                )
            continue
        if len(row) not in (3, len(header)):
            raise ValueError(
                f"genesis: line {line}: expected {len(header)} fields ({','.join(header)}), "
                f"got {len(row)}"
            )
        cells = [cell.strip() for cell in row] + [""]
        month, leader, verdict, release = cells[:4]
        for name, value in (("month", month), ("release", release or "0")):
            if not value.isascii() or not value.isdigit():
                raise ValueError(
                    f"genesis: line {line}: {name} must be a whole number, not {value!r}"
                )
        try:
            decisions.append(
                Decision.of(int(month), leader, verdict, int(release or "0") * ONE_KOL)
            )
        except ValueError as error:
            raise ValueError(
                f"genesis: line {line}: {str(error).removeprefix('genesis: ')}"
            ) from None
    if header is None:
        raise ValueError(f"genesis: the CSV needs the header {','.join(CSV_HEADER)}")
    if not decisions:
        raise ValueError("genesis: the CSV lists no decisions")
    return tuple(decisions)
