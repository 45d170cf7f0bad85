"""`make bench`: the constitution year against OpenZeppelin's Governor (``bench/year.py``),
the indexer and the API (``bench/pipeline.py``), with the machine they ran on; writes
``bench/results/latest.json`` and prints the targets of the benchmarks issue (on stderr).
`make bench` runs ``bench/gas.py`` (the receipt gas, ``bench/results/gas.json``) first.

    python bench/bench.py --scale 1 --platform-scale 1 --repeats 3
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform as host
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pipeline  # noqa: E402
import year  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "latest.json"


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "memory_gib": memory,
        "cpu_model": cpu,
        "os": f"{host.system()} {host.release()}",
        "python": host.python_version(),
        "vyper": _version("vyper"),
        "titanoboa": _version("titanoboa"),
        "py_evm": _version("py-evm"),
        "coincurve": _version("coincurve"),
        "sqlalchemy": _version("sqlalchemy"),
        "fastapi": _version("fastapi"),
        "uvicorn": _version("uvicorn"),
    }


def targets(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, each with the measured median and how far it is met or missed."""
    y, p = report["constitution_year"], report["platform"]
    found = [
        (
            "year ballots, own / OZ castVote (wall time)",
            y["ratio_to_oz"]["own"]["median"],
            0.5,
            "≤",
        ),
        (
            "year ballots, relayed / OZ castVote (wall time)",
            y["ratio_to_oz"]["relayed"]["median"],
            0.5,
            "≤",
        ),
        (
            "indexer into SQLite, events/s",
            p["indexer"]["sqlite"]["events_per_second"]["median"],
            5_000,
            "≥",
        ),
        ("API requests/s", p["api"]["requests_per_second"]["median"], 1_000, "≥"),
        ("API p99 ms", p["api"]["p99_ms"]["median"], 50, "≤"),
    ]
    rows = []
    for name, value, target, sense in found:
        met = value <= target if sense == "≤" else value >= target
        rows.append(
            {
                "name": name,
                "measured": value,
                "target": f"{sense} {target}",
                "met": met,
                "measured_over_target": round(value / target, 3),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="the in-process year")
    parser.add_argument("--platform-scale", type=float, default=1.0, help="the year on anvil")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--requests", type=int, default=5_000, help="API requests per repeat")
    parser.add_argument("--out", type=Path, default=RESULTS)
    ns = parser.parse_args(argv)
    started = time.perf_counter()
    load_before = os.getloadavg()
    report: dict[str, Any] = {"machine": machine()}
    report["constitution_year"] = year.measure(ns.scale, ns.repeats)
    report["platform"] = pipeline.measure(ns.platform_scale, ns.repeats, requests=ns.requests)
    report["targets"] = targets(report)
    report["run"] = {
        "seconds": round(time.perf_counter() - started, 1),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    ns.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    ns.out.write_text(text, encoding="utf-8")
    print(text, end="")
    for row in report["targets"]:
        verdict = "met" if row["met"] else "MISSED"
        print(
            f"{row['name']}: {row['measured']} (target {row['target']}) {verdict}", file=sys.stderr
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
