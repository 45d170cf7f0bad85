"""Voting arithmetic and default parameters (constitution §4, §10)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kol.domain.thresholds import (
    DAY,
    DEFAULT_PARAMETERS,
    Parameters,
    stage_outcome,
    threshold,
)
from kol.domain.types import ONE_KOL, ONE_USDT

# THRESHOLD #


@pytest.mark.parametrize(
    ("electorate", "pct", "expected"),
    [
        # §4's examples, verbatim.
        (21, 51, 11),
        (21, 33, 7),
        (21, 67, 15),
        (126, 51, 65),
        (126, 33, 42),
        (126, 67, 85),
        (126, 10, 13),
        (500, 51, 255),
        (500, 33, 165),
        (500, 67, 335),
        (500, 10, 50),
    ],
)
def test_threshold__constitution_examples(electorate: int, pct: int, expected: int) -> None:
    assert threshold(pct, electorate) == expected


def test_threshold__exact_percentage__is_not_rounded_up() -> None:
    assert threshold(50, 10) == 5
    assert threshold(100, 21) == 21


def test_threshold__empty_or_tiny_electorate__is_at_least_one() -> None:
    assert threshold(51, 0) == 1
    assert threshold(10, 1) == 1
    assert threshold(1, 5) == 1


@pytest.mark.parametrize("pct", [0, 101])
def test_threshold__percentage_out_of_range__raises(pct: int) -> None:
    with pytest.raises(ValueError, match="threshold: a percentage is between 1 and 100"):
        threshold(pct, 21)


def test_threshold__negative_percentage__raises() -> None:
    with pytest.raises(ValueError, match="threshold: pct cannot be negative"):
        threshold(-1, 21)


def test_threshold__negative_electorate__raises() -> None:
    with pytest.raises(ValueError, match="threshold: electorate cannot be negative"):
        threshold(51, -1)


@pytest.mark.parametrize("bad", [True, 1.5, "51"])
def test_threshold__non_int__raises_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="must be an int"):
        threshold(bad, 21)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be an int"):
        threshold(51, bad)  # type: ignore[arg-type]


@given(st.integers(1, 100), st.integers(0, 10_000))
def test_threshold__is_the_smallest_count_reaching_pct(pct: int, electorate: int) -> None:
    t = threshold(pct, electorate)
    assert t >= 1
    # t members are at least pct% of the electorate (integer arithmetic, no floats) ...
    assert t * 100 >= pct * electorate
    # ... and one fewer is not (unless the "at least 1" floor decided).
    assert t == 1 or (t - 1) * 100 < pct * electorate
    assert t <= max(electorate, 1)


# STAGE OUTCOME #


def test_stage_outcome__nothing_cast__is_open() -> None:
    assert stage_outcome(21, 11, 0, 0, 0, deadline_passed=False) == "open"


def test_stage_outcome__for_reaches_threshold__passes() -> None:
    assert stage_outcome(21, 11, 10, 0, 0, deadline_passed=False) == "open"
    assert stage_outcome(21, 11, 11, 0, 0, deadline_passed=False) == "passed"


def test_stage_outcome__passed__stays_passed_after_deadline() -> None:
    assert stage_outcome(21, 11, 11, 10, 0, deadline_passed=True) == "passed"


def test_stage_outcome__threshold_out_of_reach__fails_before_deadline() -> None:
    # 21 members, threshold 11: 10 Against/Abstain still leave 11 who could vote For.
    assert stage_outcome(21, 11, 0, 6, 4, deadline_passed=False) == "open"
    # 11 Against/Abstain leave only 10.
    assert stage_outcome(21, 11, 0, 6, 5, deadline_passed=False) == "failed"
    assert stage_outcome(21, 11, 0, 0, 11, deadline_passed=False) == "failed"


def test_stage_outcome__abstain_counts_against_reachability_not_for() -> None:
    # 6 For, 14 Abstain: the last member can still bring For to 7.
    assert stage_outcome(21, 7, 6, 0, 14, deadline_passed=False) == "open"
    # 6 For, 15 Abstain: nobody is left.
    assert stage_outcome(21, 7, 6, 0, 15, deadline_passed=False) == "failed"


def test_stage_outcome__minority_motion__passes_whatever_the_others_think() -> None:
    # §4: a 33% motion passes with 7 of 21 even when 14 vote Against.
    assert stage_outcome(21, 7, 7, 14, 0, deadline_passed=False) == "passed"


def test_stage_outcome__deadline_without_passing__fails() -> None:
    assert stage_outcome(21, 11, 10, 0, 0, deadline_passed=True) == "failed"
    assert stage_outcome(21, 11, 0, 0, 0, deadline_passed=True) == "failed"


def test_stage_outcome__threshold_above_electorate__fails_at_once() -> None:
    assert stage_outcome(0, 1, 0, 0, 0, deadline_passed=False) == "failed"


def test_stage_outcome__more_ballots_than_electorate__raises() -> None:
    with pytest.raises(ValueError, match="22 ballots cast but the electorate has only 21"):
        stage_outcome(21, 11, 11, 11, 0, deadline_passed=False)


def test_stage_outcome__threshold_zero__raises() -> None:
    with pytest.raises(ValueError, match="a threshold is at least 1"):
        stage_outcome(21, 0, 0, 0, 0, deadline_passed=False)


@pytest.mark.parametrize("position", range(5))
def test_stage_outcome__negative_count__raises(position: int) -> None:
    counts = [21, 11, 0, 0, 0]
    counts[position] = -1
    electorate, threshold_, for_, against, abstain = counts
    with pytest.raises(ValueError, match="cannot be negative"):
        stage_outcome(electorate, threshold_, for_, against, abstain, deadline_passed=False)


@given(
    electorate=st.integers(0, 600),
    pct=st.integers(1, 100),
    data=st.data(),
    deadline_passed=st.booleans(),
)
def test_stage_outcome__agrees_with_the_definition(
    electorate: int, pct: int, data: st.DataObject, deadline_passed: bool
) -> None:
    t = threshold(pct, electorate)
    for_ = data.draw(st.integers(0, electorate))
    against = data.draw(st.integers(0, electorate - for_))
    abstain = data.draw(st.integers(0, electorate - for_ - against))
    outcome = stage_outcome(electorate, t, for_, against, abstain, deadline_passed)
    # Those who have not voted could all still vote For.
    could_reach = for_ + (electorate - for_ - against - abstain) >= t
    if for_ >= t:
        assert outcome == "passed"
    elif deadline_passed or not could_reach:
        assert outcome == "failed"
    else:
        assert outcome == "open"


# PARAMETERS #


def test_parameters__defaults_of_section_10() -> None:
    p = DEFAULT_PARAMETERS
    assert p.voting_period == 3 * 86_400
    assert p.sponsor_window == 7 * 86_400
    assert p.execution_window == 7 * 86_400
    assert p.notice_period == 0
    assert p.audit_due == 30 * 86_400
    assert p.super_ban == 90 * 86_400
    assert p.node_ban == 180 * 86_400
    assert p.kol_per_usdt == 10**12
    assert DAY == 86_400


def test_parameters__kol_per_usdt__converts_one_usdt_to_one_kol() -> None:
    assert ONE_USDT * DEFAULT_PARAMETERS.kol_per_usdt == ONE_KOL


def test_parameters__are_frozen() -> None:
    with pytest.raises(AttributeError):
        DEFAULT_PARAMETERS.voting_period = 1  # type: ignore[misc]
    assert Parameters(voting_period=DAY).voting_period == DAY
