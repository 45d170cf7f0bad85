"""``parse_decisions_csv``: a genesis schedule's decisions from the CSV people write (§8)."""

from __future__ import annotations

import pytest

from kol.domain.genesis import TRANCHE, GenesisSchedule, Verdict, parse_decisions_csv

A = "0x" + "11" * 20
B = "0x" + "22" * 20


def test_parse__verdicts_and_releases_in_whole_kol() -> None:
    text = (
        "\ufeffmonth,leader,verdict,release\n"
        f"1,{A},pay,\n1,{B},defer,\n\n2,{A},withhold,\n2,{B},pay,1000\n"
    )
    decisions = parse_decisions_csv(text)
    assert [(d.month, d.verdict) for d in decisions] == [
        (1, Verdict.PAY), (1, Verdict.DEFER), (2, Verdict.WITHHOLD), (2, Verdict.PAY),
    ]  # fmt: skip
    assert decisions[3].release == TRANCHE
    schedule = GenesisSchedule.of(decisions)
    assert schedule.month_totals(2).cum_paid == 3 * TRANCHE


def test_parse__release_column_is_optional() -> None:
    [decision] = parse_decisions_csv(f"month,leader,verdict\n1,{A},pay\n")
    assert decision.release == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"leader,verdict\n{A},pay\n", "line 1: the header must be month,leader,verdict,release"),
        (f"month,leader,verdict\none,{A},pay\n", "line 2: month must be a whole number"),
        (f"month,leader,verdict\n1,{A},maybe\n", "line 2: month 1: 'maybe' is not one of"),
        (f"month,leader,verdict\n1,{A}\n", "line 2: expected 3 fields"),
        (f"month,leader,verdict,release\n1,{A},pay,500\n", "line 2: month 1:"),
        ("month,leader,verdict\n", "the CSV lists no decisions"),
        ("", "the CSV needs the header"),
    ],
)
def test_parse__bad_input__names_the_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="genesis: ") as raised:
        parse_decisions_csv(text)
    assert message in str(raised.value)
