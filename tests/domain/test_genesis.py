"""The genesis issuance schedule (constitution §8)."""

from __future__ import annotations

import pytest
from eth_typing import ChecksumAddress
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from hypothesis import given
from hypothesis import strategies as st

from kol.domain.genesis import (
    ALLOTMENT,
    LEAF_TYPES,
    MONTH,
    PROGRAMME_CAP,
    TRANCHE,
    TRANCHES,
    Decision,
    Entitlement,
    GenesisSchedule,
    MonthTotals,
    Verdict,
    format_kol,
)
from kol.domain.merkle import verify
from kol.domain.types import ONE_KOL, Wei

KOL = ONE_KOL
PAY, DEFER, WITHHOLD, RELEASE = Verdict.PAY, Verdict.DEFER, Verdict.WITHHOLD, Verdict.RELEASE


def _address(i: int) -> ChecksumAddress:
    return to_checksum_address(keccak(text=f"genesis test {i}")[:20])


A, B, C = (_address(i) for i in range(3))


def _d(month: int, leader: str, verdict: Verdict, release: int = 0) -> Decision:
    return Decision.of(month, leader, verdict, release)


def _ten_months(leader: str, verdict: Verdict) -> list[Decision]:
    return [_d(m, leader, verdict) for m in range(1, 11)]


def test_constants__of_section_8() -> None:
    assert TRANCHE == 1_000 * 10**18
    assert TRANCHES == 10
    assert ALLOTMENT == 10_000 * 10**18
    assert PROGRAMME_CAP == 5_000_000 * 10**18
    assert MONTH == 30 * 86_400
    assert LEAF_TYPES == ("address", "uint256", "uint256")


def test_format_kol() -> None:
    assert format_kol(1_000 * KOL) == "1,000 KOL"
    assert format_kol(KOL // 2) == "0.5 KOL"
    assert format_kol(5_000_000 * KOL + 1) == "5,000,000.000000000000000001 KOL"
    assert format_kol(-KOL) == "-1 KOL"


# FOLDING #


def test_month_1__pay_defer_withhold() -> None:
    schedule = GenesisSchedule.of([_d(1, A, PAY), _d(1, B, DEFER), _d(1, C, WITHHOLD)])
    assert schedule.months == 1
    assert schedule.entitlements(1) == (
        Entitlement(A, 1, TRANCHE, Wei(0), Wei(0)),
        Entitlement(B, 1, Wei(0), TRANCHE, Wei(0)),
        Entitlement(C, 1, Wei(0), Wei(0), TRANCHE),
    )


def test_pay__releases_deferred_with_the_months_tranche() -> None:
    schedule = GenesisSchedule.of(
        [_d(1, A, DEFER), _d(2, A, DEFER), _d(3, A, PAY, 1_000 * KOL), _d(4, A, PAY, 1_000 * KOL)]
    )
    assert schedule.entitlement(2, A) == Entitlement(A, 2, Wei(0), Wei(2_000 * KOL), Wei(0))
    assert schedule.entitlement(3, A) == Entitlement(
        A, 3, Wei(2_000 * KOL), Wei(1_000 * KOL), Wei(0)
    )
    assert schedule.entitlement(4, A) == Entitlement(A, 4, Wei(4_000 * KOL), Wei(0), Wei(0))


def test_release__pays_deferred_after_the_tenth_tranche() -> None:
    decisions = _ten_months(A, DEFER) + [_d(11, A, RELEASE, 4_000 * KOL)]
    decisions += [_d(12, A, RELEASE, 6_000 * KOL)]
    schedule = GenesisSchedule.of(decisions)
    assert schedule.entitlement(10, A) == Entitlement(A, 10, Wei(0), ALLOTMENT, Wei(0))
    assert schedule.entitlement(11, A) == Entitlement(
        A, 10, Wei(4_000 * KOL), Wei(6_000 * KOL), Wei(0)
    )
    assert schedule.entitlement(12, A) == Entitlement(A, 10, ALLOTMENT, Wei(0), Wei(0))


def test_withhold__is_forfeited_for_good() -> None:
    schedule = GenesisSchedule.of(_ten_months(A, WITHHOLD))
    assert schedule.entitlement(10, A) == Entitlement(A, 10, Wei(0), Wei(0), ALLOTMENT)


def test_leader_assessed_later__starts_with_its_first_month() -> None:
    schedule = GenesisSchedule.of([_d(1, A, PAY), _d(2, A, PAY), _d(2, B, PAY)])
    assert schedule.entitlement(1, B) == Entitlement(B, 0, Wei(0), Wei(0), Wei(0))
    assert schedule.entitlement(2, B).tranches == 1
    assert [e.leader for e in schedule.entitlements(1)] == [A]
    assert [e.leader for e in schedule.entitlements(2)] == [A, B]


def test_leader_not_assessed_in_a_month__keeps_its_figures() -> None:
    schedule = GenesisSchedule.of([_d(1, A, PAY), _d(1, B, PAY), _d(2, B, PAY)])
    assert schedule.entitlement(2, A) == schedule.entitlement(1, A)


def test_of__decisions_in_any_order__same_schedule() -> None:
    decisions = [_d(2, A, PAY), _d(1, B, DEFER), _d(1, A, PAY), _d(2, B, PAY, TRANCHE)]
    schedule = GenesisSchedule.of(decisions)
    assert schedule == GenesisSchedule.of(sorted(decisions, key=lambda d: d.month))
    assert [d.month for d in schedule.decisions] == [1, 1, 2, 2]


def test_decision_of__reads_loose_input() -> None:
    assert Decision.of(3, A.lower(), " Pay ", TRANCHE) == Decision(3, A, PAY, TRANCHE)
    assert Decision.of(1, A, "withhold").verdict is WITHHOLD


# MONTH TREES AND TOTALS #

TWO_MONTHS = [
    _d(1, A, PAY),
    _d(1, B, DEFER),
    _d(2, A, WITHHOLD),
    _d(2, B, PAY, TRANCHE),
    _d(2, C, DEFER),
]


def test_month_tree__one_leaf_per_leader_with_cumulative_paid_and_forfeited() -> None:
    schedule = GenesisSchedule.of(TWO_MONTHS)
    tree1 = schedule.month_tree(1)
    assert tree1.leaf_types == LEAF_TYPES
    assert tree1.values == ((A, TRANCHE, 0), (B, 0, 0))
    tree2 = schedule.month_tree(2)
    assert tree2.values == ((A, TRANCHE, TRANCHE), (B, 2 * TRANCHE, 0), (C, 0, 0))
    for i, value in enumerate(tree2.values):
        assert verify(tree2.root, LEAF_TYPES, value, tree2.get_proof(i))
    assert tree1.root != tree2.root
    # A claim of more than the cumulative paid does not verify.
    assert not verify(tree2.root, LEAF_TYPES, (A, 2 * TRANCHE, TRANCHE), tree2.get_proof(0))


def test_month_totals__cumulative_sums_and_what_the_month_added() -> None:
    schedule = GenesisSchedule.of(TWO_MONTHS)
    assert schedule.month_totals(1) == MonthTotals(
        month=1,
        cum_paid=TRANCHE,
        cum_forfeited=Wei(0),
        cum_deferred=TRANCHE,
        paid=TRANCHE,
        forfeited=Wei(0),
    )
    assert schedule.month_totals(2) == MonthTotals(
        month=2,
        cum_paid=Wei(3 * TRANCHE),
        cum_forfeited=TRANCHE,
        cum_deferred=TRANCHE,
        paid=Wei(2 * TRANCHE),
        forfeited=TRANCHE,
    )


@pytest.mark.parametrize("month", [0, 3, -1, True])
def test_month__not_in_schedule__raises(month: int) -> None:
    schedule = GenesisSchedule.of([_d(1, A, PAY), _d(2, A, PAY)])
    for query in (schedule.month_tree, schedule.month_totals, schedule.entitlements):
        with pytest.raises(ValueError, match="genesis: month .* is not in the schedule"):
            query(month)


def test_entitlement__bad_address__raises() -> None:
    schedule = GenesisSchedule.of([_d(1, A, PAY)])
    with pytest.raises(ValueError, match="genesis: '0x12' is not an address"):
        schedule.entitlement(1, "0x12")


# RULES #


def test_eleventh_tranche__raises() -> None:
    decisions = _ten_months(A, PAY) + [_d(11, A, PAY)]
    with pytest.raises(
        ValueError,
        match=f"genesis: month 11: {A}: all 10 tranches of 1,000 KOL are assessed "
        r"\(allotment 10,000 KOL\)",
    ):
        GenesisSchedule.of(decisions)


def test_release__more_than_deferred__raises() -> None:
    with pytest.raises(
        ValueError,
        match=f"genesis: month 2: {A}: releases 2,000 KOL but only 1,000 KOL is deferred",
    ):
        GenesisSchedule.of([_d(1, A, DEFER), _d(2, A, PAY, 2 * TRANCHE)])


def test_release__part_of_a_tranche__raises() -> None:
    with pytest.raises(
        ValueError, match=f"genesis: month 2: {A}: deferred KOL is released in whole tranches"
    ):
        GenesisSchedule.of([_d(1, A, DEFER), _d(2, A, PAY, KOL // 2)])


def test_release__with_nothing_deferred__raises() -> None:
    with pytest.raises(ValueError, match="releases 1,000 KOL but only 0 KOL is deferred"):
        GenesisSchedule.of([_d(1, A, PAY, TRANCHE)])


def test_release_verdict__before_the_tenth_tranche__raises() -> None:
    with pytest.raises(
        ValueError, match=f"genesis: month 2: {A}: RELEASE is for a leader whose 10 tranches"
    ):
        GenesisSchedule.of([_d(1, A, DEFER), _d(2, A, RELEASE, TRANCHE)])


def test_release_verdict__after_tenth__more_than_deferred__raises() -> None:
    decisions = _ten_months(A, PAY) + [_d(11, A, RELEASE, TRANCHE)]
    with pytest.raises(ValueError, match="releases 1,000 KOL but only 0 KOL"):
        GenesisSchedule.of(decisions)


def test_two_decisions_for_a_leader_in_a_month__raises() -> None:
    with pytest.raises(
        ValueError,
        match=f"genesis: month 1: {A} has two decisions \\(at most one per leader per month\\)",
    ):
        GenesisSchedule.of([_d(1, A, PAY), _d(1, B, PAY), _d(1, A.lower(), DEFER)])


def test_months_with_a_gap__raises() -> None:
    with pytest.raises(
        ValueError, match="genesis: months are consecutive from 1; month 2 has no decisions"
    ):
        GenesisSchedule.of([_d(1, A, PAY), _d(3, A, PAY)])


def test_months_not_starting_at_1__raises() -> None:
    with pytest.raises(ValueError, match="month 1 has no decisions"):
        GenesisSchedule.of([_d(2, A, PAY)])


def test_schedule__not_decisions__raises() -> None:
    with pytest.raises(ValueError, match="genesis: .* is not a Decision"):
        GenesisSchedule.of([(1, A, PAY)])  # type: ignore[list-item]


def test_no_decisions__raises() -> None:
    with pytest.raises(ValueError, match="genesis: a schedule needs at least month 1"):
        GenesisSchedule.of([])


def test_programme_cap__500_leaders_times_10_months__is_exactly_reached() -> None:
    leaders = [_address(1_000 + i) for i in range(500)]
    verdicts = (PAY, WITHHOLD)
    decisions = [
        _d(m, leader, verdicts[i % 2]) for m in range(1, 11) for i, leader in enumerate(leaders)
    ]
    schedule = GenesisSchedule.of(decisions)
    totals = schedule.month_totals(10)
    assert totals.cum_paid + totals.cum_forfeited == PROGRAMME_CAP
    assert len(schedule.month_tree(10)) == 500
    # Forfeited tranches used the programme up too: a 501st leader gets nothing more.
    with pytest.raises(
        ValueError,
        match="genesis: month 11: leaders would be paid or forfeit 5,001,000 KOL in all, "
        "over the programme's 5,000,000 KOL",
    ):
        GenesisSchedule.of([*decisions, _d(11, _address(2_000), WITHHOLD)])


def test_programme_cap__deferred_does_not_count_until_paid() -> None:
    leaders = [_address(1_000 + i) for i in range(500)]
    decisions = [_d(m, leader, PAY) for m in range(1, 11) for leader in leaders[:-1]]
    decisions += _ten_months(leaders[-1], DEFER)
    decisions += [_d(11, _address(2_000), PAY)]
    schedule = GenesisSchedule.of(decisions)
    assert schedule.month_totals(11).cum_paid == PROGRAMME_CAP - ALLOTMENT + TRANCHE
    # Releasing the deferred allotment now would pass the cap.
    with pytest.raises(ValueError, match="over the programme's 5,000,000 KOL"):
        GenesisSchedule.of([*decisions, _d(12, leaders[-1], RELEASE, ALLOTMENT)])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0, A, PAY), r"genesis: months are numbered from 1 \(got 0\)"),
        ((True, A, PAY), "genesis: months are numbered from 1"),
        ((1, "0x12", PAY), "genesis: month 1: '0x12' is not an address"),
        ((1, A, "pause"), "genesis: month 1: 'pause' is not one of pay, defer, withhold, release"),
        ((1, A, DEFER, TRANCHE), f"genesis: month 1: {A}: only PAY or RELEASE pays deferred KOL"),
        ((1, A, WITHHOLD, TRANCHE), "only PAY or RELEASE pays deferred KOL, not WITHHOLD"),
        ((1, A, PAY, 1), "deferred KOL is released in whole tranches of 1,000 KOL"),
        ((1, A, RELEASE), "a RELEASE needs an amount to release"),
        ((1, A, PAY, -1), "a release is a whole number"),
    ],
)
def test_decision__bad_input__raises(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Decision.of(*args)  # type: ignore[arg-type]


def test_decision__not_checksummed_or_not_a_verdict__raises() -> None:
    with pytest.raises(ValueError, match="is not a checksummed address"):
        Decision(1, A.lower(), PAY)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="is not a Verdict"):
        Decision(1, A, "pay")  # type: ignore[arg-type]


# PROPERTIES #

leaders = st.sampled_from([_address(i) for i in range(6)])
verdicts = st.sampled_from(list(Verdict))
releases = st.sampled_from([0, TRANCHE, 2 * TRANCHE, 5 * TRANCHE])
Figures = dict[int, dict[str, tuple[int, ...]]]
"""Month -> leader -> (tranches, paid, deferred, forfeited)."""


@st.composite
def any_decisions(draw: st.DrawFn) -> list[Decision]:
    """Decisions of any kind, many of them breaking a rule."""
    decisions = []
    for month in range(1, draw(st.integers(1, 14)) + 1):
        for leader in draw(st.lists(leaders, min_size=1, unique=True)):
            verdict = draw(verdicts)
            release = draw(releases)
            if verdict in (DEFER, WITHHOLD):
                release = 0
            if verdict == RELEASE and release == 0:
                release = TRANCHE
            decisions.append(Decision(month, leader, verdict, Wei(release)))
    return decisions


@st.composite
def valid_decisions(
    draw: st.DrawFn,
) -> tuple[list[Decision], dict[int, dict[str, tuple[int, ...]]]]:
    """Decisions that keep every rule, with a reference model's figures after each month:
    leader -> (tranches, paid, deferred, forfeited)."""
    state: dict[str, tuple[int, int, int, int]] = {}
    decisions = []
    expected: Figures = {}
    for month in range(1, draw(st.integers(1, 14)) + 1):
        for leader in draw(st.lists(leaders, min_size=1, unique=True)):
            tranches, paid, deferred, forfeited = state.get(leader, (0, 0, 0, 0))
            if tranches == TRANCHES:
                if deferred == 0:
                    continue
                release = draw(
                    st.sampled_from([deferred, max(1, deferred // TRANCHE // 3) * TRANCHE])
                )
                decisions.append(Decision(month, leader, RELEASE, Wei(release)))
                state[leader] = (tranches, paid + release, deferred - release, forfeited)
                continue
            verdict = draw(st.sampled_from([PAY, DEFER, WITHHOLD]))
            if verdict == PAY:
                release = draw(st.sampled_from([0, deferred, deferred // TRANCHE // 2 * TRANCHE]))
                state[leader] = (
                    tranches + 1,
                    paid + TRANCHE + release,
                    deferred - release,
                    forfeited,
                )
            elif verdict == DEFER:
                release = 0
                state[leader] = (tranches + 1, paid, deferred + TRANCHE, forfeited)
            else:
                release = 0
                state[leader] = (tranches + 1, paid, deferred, forfeited + TRANCHE)
            decisions.append(Decision(month, leader, verdict, Wei(release)))
        if not any(d.month == month for d in decisions):
            # Every month has at least one decision: assess or pay someone new.
            fresh = _address(100 + month)
            decisions.append(Decision(month, fresh, PAY))
            state[fresh] = (1, TRANCHE, 0, 0)
        expected[month] = dict(state)
    return decisions, expected


def _check_section_8(schedule: GenesisSchedule) -> None:
    previous: dict[str, Entitlement] = {}
    for month in range(1, schedule.months + 1):
        totals = schedule.month_totals(month)
        entitlements = schedule.entitlements(month)
        for e in entitlements:
            assert e.cum_paid + e.cum_deferred + e.cum_forfeited == TRANCHE * e.tranches
            assert e.tranches <= min(TRANCHES, month)
            assert min(e.cum_paid, e.cum_deferred, e.cum_forfeited) >= 0
            before = previous.get(e.leader)
            if before is not None:
                assert e.cum_paid >= before.cum_paid
                assert e.cum_forfeited >= before.cum_forfeited
            previous[e.leader] = e
        assert totals.cum_paid == sum(e.cum_paid for e in entitlements)
        assert totals.cum_forfeited == sum(e.cum_forfeited for e in entitlements)
        assert totals.cum_paid + totals.cum_forfeited <= PROGRAMME_CAP
        assert schedule.month_tree(month).values == tuple(e.value() for e in entitlements)


@given(valid_decisions())
def test_schedule__valid_decisions__match_the_reference_model(
    case: tuple[list[Decision], Figures],
) -> None:
    decisions, expected = case
    schedule = GenesisSchedule.of(decisions)
    assert schedule.months == len(expected)
    for month, figures in expected.items():
        got = {
            e.leader: (e.tranches, e.cum_paid, e.cum_deferred, e.cum_forfeited)
            for e in schedule.entitlements(month)
        }
        assert got == figures
    _check_section_8(schedule)


@given(any_decisions())
def test_schedule__any_decisions__valid_or_refused_never_breaks_section_8(
    decisions: list[Decision],
) -> None:
    try:
        schedule = GenesisSchedule.of(decisions)
    except ValueError as refused:
        assert str(refused).startswith("genesis: month ")
        return
    _check_section_8(schedule)
