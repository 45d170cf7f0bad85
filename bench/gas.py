"""`make bench-gas`: our receipt gas and the peers', measured side by side in one run.

Ours comes from the same scenario as the committed snapshot (``bench/gas_snapshot.py``: 500
nodes, 21 super nodes, every motion type, a 500-leaf matched batch and genesis month); the
peers' from ``bench/peers.py`` (OpenZeppelin Governor 5.x over an ERC20Votes token held by 500
self-delegated voters; Uniswap's MerkleDistributor on a 500-leaf list), on the same titanoboa
EVM with the same EVM version. Writes ``bench/results/gas.json`` and prints the same JSON, then
the ratios the benchmarks issue sets as targets (on stderr).

    python bench/gas.py
"""

from __future__ import annotations

import importlib.metadata
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gas_snapshot import measure  # noqa: E402
from peers import PeersNotInstalled, run_peers  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "gas.json"

#: (ours, peer, at most this ratio): the issue's targets.
TARGETS = (
    ("vote", "oz_castVote", 0.6),
    ("relayed_ballot_100", "oz_castVoteBySig", 0.15),
    ("claim_matched", "uniswap_claim", 1.0),
    ("push_per_recipient", "uniswap_claim", 0.5),
)


def ours(figures: dict[str, int]) -> dict[str, Any]:
    """The issue's shape: flat figures, then motion creation and execution per type."""
    flat = (
        "vote",
        "relayed_ballot_100",
        "relayed_ballot_500",
        "sponsor",
        "attendance_forfeit",
        "task_request",
        "claim_matched",
        "push_per_recipient",
        "claim_genesis",
    )
    result: dict[str, Any] = {name: figures[name] for name in flat}
    for group in ("motion_create", "motion_execute"):
        result[group] = {
            name.split(".", 1)[1]: value
            for name, value in figures.items()
            if name.startswith(group + ".")
        }
    result["more"] = {k: v for k, v in figures.items() if k not in flat and "." not in k} | {
        k: v for k, v in figures.items() if k.endswith(".first_in_word") or "bitmap" in k
    }
    return result


def main() -> int:
    started = time.perf_counter()
    figures = measure()
    try:
        peer_run = run_peers()
    except PeersNotInstalled as error:
        print(error, file=sys.stderr)
        return 1
    report = {
        "ours": ours(figures),
        "peers": {k: peer_run.figures[k] for k in sorted(peer_run.figures)},
        "conditions": {
            **peer_run.conditions,
            "vyper": importlib.metadata.version("vyper"),
            "receipt_gas": "intrinsic 21,000 and calldata included; fresh transaction per call",
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2) + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    print(text, end="")
    failed = False
    for mine, theirs, limit in TARGETS:
        ratio = figures[mine] / peer_run.figures[theirs]
        ok = ratio <= limit
        failed |= not ok
        print(
            f"{mine} / {theirs} = {figures[mine]:,} / {peer_run.figures[theirs]:,} = "
            f"{ratio:.3f} (target ≤ {limit}) {'ok' if ok else 'MISSED'}",
            file=sys.stderr,
        )
    print(f"measured in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
