"""Smoke tests of `make bench` (issue 6): each benchmark at a tiny scale prints the JSON it
should, and its numbers agree with each other — ballots cast are the ballots the chain counted,
the relayed year is the same year as the own one, the Governor got as many proposals and
ballots as the year, every indexed run holds the same events, every API request answered 200.
Timings are only checked for being positive; never for being fast.

The platform test needs anvil and the machine's PostgreSQL (``make setup``; it skips, or in CI
fails, without them, like the indexer's tests).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import _require_anvil
from tests.store.support import require_postgres

BENCH = Path(__file__).resolve().parents[2] / "bench"
TINY = 0.02


def _load(name: str) -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _spread_ok(figure: dict[str, float]) -> None:
    assert set(figure) == {"median", "min", "max"}
    assert 0 < figure["min"] <= figure["median"] <= figure["max"]


def test_spread_counts__caps_a_proposal_at_one_ballot_per_holder() -> None:
    year = _load("year")
    assert year.spread_counts([521, 21, 100], 500) == [500, 42, 100]
    assert year.spread_counts([900, 10, 10], 500) == [500, 410, 10]
    with pytest.raises(ValueError):
        year.spread_counts([600], 500)


def test_percentile__nearest_rank() -> None:
    load = _load("load")
    values = [float(i) for i in range(1, 101)]
    assert load.percentile(values, 0.5) == 50.0
    assert load.percentile(values, 0.99) == 99.0
    assert load.percentile([3.0], 0.99) == 3.0


@pytest.fixture(scope="module")
def year_report() -> dict[str, Any]:
    return _load("year").measure(scale=TINY, repeats=1)


def test_year__own_relayed_and_governor__count_the_same_ballots(
    year_report: dict[str, Any],
) -> None:
    r = year_report
    assert {
        "scale",
        "seed",
        "repeats",
        "year",
        "own",
        "relayed",
        "oz_governor",
        "ratio_to_oz",
    } <= set(r)
    (own,) = r["own"]["runs"]
    (relayed,) = r["relayed"]["runs"]
    (governor,) = r["oz_governor"]["runs"]
    for run in (own, relayed):
        assert run["ballots"] == run["ballots_counted"] > 0
        assert run["genesis_months"] == 12
        assert run["super_nodes"] == 21
    # the same seeded year, voted two ways
    for key in ("motions", "stages", "ballots", "motion_kinds", "claims", "tasks", "batches"):
        assert own[key] == relayed[key], key
    assert own["ballot_transactions"] == own["ballots"]
    assert relayed["ballot_transactions"] < relayed["ballots"]
    assert relayed["signing_seconds"] > 0 and own["signing_seconds"] == 0
    # the Governor: one proposal per motion, the same ballots, each counted
    assert governor["proposals"] == own["motions"]
    assert governor["ballots"] == governor["ballots_counted"] == own["ballots"]
    for part in ("own", "relayed"):
        _spread_ok(r[part]["ballot_seconds"])
        _spread_ok(r[part]["ballots_per_second"])
    _spread_ok(r["oz_governor"]["cast_vote_seconds"])
    ratio = own["ballot_seconds"] / governor["cast_vote_seconds"]
    assert r["ratio_to_oz"]["own"]["median"] == pytest.approx(ratio, rel=1e-3)


def test_platform__indexes_the_year_everywhere_and_serves_it() -> None:
    _require_anvil()
    require_postgres()
    r = _load("pipeline").measure(scale=TINY, repeats=1, requests=120, concurrency=4)
    assert {"anvil_year", "indexer", "api", "api_uncached"} <= set(r)
    played = r["anvil_year"]
    assert played["ballots"] > 0 and played["motions"] > 0
    sqlite, postgres = r["indexer"]["sqlite"], r["indexer"]["postgresql"]
    assert sqlite["events"] == postgres["events"] > played["ballots"]
    for ingested in (sqlite, postgres):
        (run,) = ingested["runs"]
        assert run["events"] == ingested["events"]
        _spread_ok(ingested["events_per_second"])
    for api in (r["api"], r["api_uncached"]):
        (load,) = api["runs"]
        assert load["requests"] == 120
        assert load["statuses"] == {"200": 120}
        assert sum(p["requests"] for p in load["paths"].values()) == 120
        assert 0 < load["p50_ms"] <= load["p99_ms"] <= load["p999_ms"] <= load["max_ms"]
        _spread_ok(api["requests_per_second"])
    assert r["api_uncached"]["server"].endswith("--no-answer-cache")
    assert r["api"]["runs"][0]["bytes"] == r["api_uncached"]["runs"][0]["bytes"]
