"""Every percentage threshold of §4 at every electorate a chamber can have:
ceil(pct × electorate / 100), at least 1, for 51%, 33% and 67% stages and
10% sponsorship rounds, electorates 0 to 500 — as the council stores them
when a stage or round opens (opened through the motions engine's own entry
points, one electorate after another as the genesis nodes are nominated).

Covered elsewhere (each cap at its exact boundary, not repeated):
500 node seats — council/test_nominate.py (test_nominate__the_500th_seat__is_taken,
test_nominate__cap_of_500_nodes, test_nominate__a_freed_500th_seat__can_be_taken_again);
21 super seats — motions/test_ratify_genesis_super_nodes.py ("slate 22" refused,
seats 1..21); 5M genesis — token/test_release_genesis.py
(test_release_genesis__exactly_the_cap__accepted, …cap_plus_one_wei__reverts);
16M matched — token/test_open_batch.py (…exactly_the_cap__accepted,
…cap_plus_one_wei__reverts), treasury/test_matched_batch.py
(test_batch__fills_16_million_exactly_and_the_next_is_refused); 21M —
token/test_issued_total.py (test_issued_total__both_buckets_full__21_million);
sponsorship one short / enough at 126 and 500 nodes —
motions/test_sponsor_boundaries.py; pass/fail one short of and at the
threshold at 21, 126 and 500 — ballots/test_open_stage.py
(test_open_stage__threshold_table__one_short_stays_open_threshold_passes).
"""

from __future__ import annotations

import boa

from tests.contracts.helpers import NODE, key, make_world, next_block

STAGE_PERCENTAGES = (51, 33, 67)
SPONSOR_PERCENTAGE = 10
MAX_NODES = 500


def _ceil_pct(pct: int, electorate: int) -> int:
    """§4: the smallest whole number of members that is at least pct% of the electorate."""
    return max(1, -(-pct * electorate // 100))


def test_thresholds__every_electorate_0_to_500__ceil_of_51_33_67_and_10_percent() -> None:
    w = make_world(n_nodes=0)
    engine = w.motions.address
    motion_id = 10**6
    seen: list[tuple[int, int, int, int, int]] = []
    for electorate in range(MAX_NODES + 1):
        if electorate:
            with boa.env.prank(w.admin):
                w.council.nominate(key(f"cap-node{electorate}").address, "n", b"\x00" * 32)
            next_block()
        assert w.council.seats(NODE) == electorate
        row = [electorate]
        with boa.env.prank(engine):
            for pct in STAGE_PERCENTAGES:
                stage_id = w.council.open_stage(motion_id, NODE, pct)
                s = w.council.stage(stage_id)
                assert s.electorate == electorate
                assert s.threshold == _ceil_pct(pct, electorate), (pct, electorate, s.threshold)
                row.append(s.threshold)
                motion_id += 1
            w.council.open_sponsorship(motion_id, NODE, SPONSOR_PERCENTAGE)
        sp = w.council.sponsorship(motion_id)
        assert (sp.electorate, sp.threshold) == (
            electorate,
            _ceil_pct(SPONSOR_PERCENTAGE, electorate),
        )
        row.append(sp.threshold)
        motion_id += 1
        seen.append((row[0], row[1], row[2], row[3], row[4]))
    # the thresholds never fall as the electorate grows, and never exceed it
    for (_, *t0), (n1, *t1) in zip(seen, seen[1:], strict=False):
        assert all(a <= b for a, b in zip(t0, t1, strict=True))
        assert all(t <= max(n1, 1) for t in t1)
