"""The demo year's genesis assessment (``kol.cli.economy_year.assess_genesis_month``): with
more leaders seated over the year than the 5M KOL of §8 can pay ten tranches each (the full
roster, with replacements seated late), it stops assessing at the cap and then only releases
what was deferred by leaders assessed ten times — every month's schedule stays valid."""

from __future__ import annotations

import random

from eth_account import Account

from kol.cli.economy_year import assess_genesis_month
from kol.domain.genesis import PROGRAMME_CAP, TRANCHE, TRANCHES, Decision, GenesisSchedule, Verdict

ASSESSED = (Verdict.PAY, Verdict.DEFER, Verdict.WITHHOLD)


def _leaders(n: int) -> list[str]:
    return [Account.from_key(i.to_bytes(32, "big")).address for i in range(1, n + 1)]


def test_full_roster_and_late_seats__assessed_up_to_the_cap_then_releases_only() -> None:
    founders, late = _leaders(500), _leaders(540)[500:]
    rng = random.Random(7)
    decisions: list[Decision] = []
    schedule: GenesisSchedule | None = None
    for month in range(1, 13):
        seated = founders + (late if month >= 3 else [])  # 40 replacements from month 3 on
        before = {e.leader: e for e in schedule.entitlements(month - 1)} if schedule else {}
        found = assess_genesis_month(month, seated, before, decisions, rng)
        assert len({d.leader for d in found}) == len(found)  # one decision a leader a month
        for d in found:
            if d.verdict in ASSESSED:
                assert before.get(d.leader) is None or before[d.leader].tranches < TRANCHES
        if not found:
            break
        decisions.extend(found)
        schedule = GenesisSchedule.of(decisions)  # raises if a month breaks §8
        totals = schedule.month_totals(month)
        assert totals.cum_paid + totals.cum_forfeited <= PROGRAMME_CAP
    assessed = sum(d.verdict in ASSESSED for d in decisions)
    assert assessed == PROGRAMME_CAP // TRANCHE  # 540 leaders would want 5,400 tranches
    assert schedule is not None
    last = max(d.month for d in decisions)
    assert last > TRANCHES  # months 11 and 12 assessed the late leaders, then released only
    finals = schedule.entitlements(last)
    # released: every deferred tranche of a leader assessed ten times; the others wait
    assert all(e.cum_deferred == 0 for e in finals if e.tranches == TRANCHES)
    totals = schedule.month_totals(last)
    deferred = sum(e.cum_deferred for e in finals)
    assert totals.cum_paid + totals.cum_forfeited + deferred == PROGRAMME_CAP
