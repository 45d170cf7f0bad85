"""The sponsorship rows of the boundary table: 10% of 126 nodes is 13, of 500 is 50 (§4)."""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import (
    AWAITING_STAGE,
    REPLENISH_SUPER_ALTERNATES,
    SPONSORING,
    args,
    make_world,
    next_block,
)


@pytest.mark.parametrize(("nodes", "short", "enough"), [(126, 12, 13), (500, 49, 50)])
def test_sponsorship__ten_percent_of_nodes__boundary(nodes: int, short: int, enough: int) -> None:
    w = make_world(n_nodes=nodes, n_supers=3)
    three = [k.address for k in w.nodes[10:13]]
    motion_id = w.propose(w.nodes[20].address, REPLENISH_SUPER_ALTERNATES, args(three))
    next_block()
    sponsors = w.nodes[30 : 30 + enough]
    for k in sponsors[:short]:
        with boa.env.prank(k.address):
            w.council.sponsor(motion_id)
    assert w.council.sponsorship(motion_id).threshold == enough
    assert w.motions.motion_status(motion_id) == SPONSORING
    with boa.reverts(f"motions: sponsorship needs {enough} of {nodes}; {short} so far"):
        w.motions.advance(motion_id)
    with boa.env.prank(sponsors[short].address):
        w.council.sponsor(motion_id)
    assert w.motions.motion_status(motion_id) == AWAITING_STAGE
    w.motions.advance(motion_id)
    assert w.motions.motion(motion_id).stage1 != 0
