"""``rule``: the power map of §5, one row per motion kind."""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import (
    APPROVE_TASK,
    DEMAND_AUDIT,
    GENESIS_RELEASE,
    ISSUE_MATCHED_BATCH,
    NODE,
    POOL,
    PUBLISH_STATEMENT,
    RATIFY_GENESIS_SUPER_NODES,
    REPLACE_ADMIN,
    REPLACE_NODE,
    REPLACE_SUPER_NODE,
    REPLENISH_NODE_ALTERNATES,
    REPLENISH_SUPER_ALTERNATES,
    SET_PARAMETERS,
    SUPER,
    World,
)
from tests.contracts.unitary.motions._util import (
    BY_CANDIDATE,
    BY_FOUNDATION,
    BY_NODE,
    BY_NODE_OR_FOUNDATION,
    BY_SUPER_NODE,
    UNKNOWN_KIND,
)

# kind: (proposer, sponsor body, sponsor %, chamber 1, % 1, chamber 2, % 2)
POWER_MAP = {
    RATIFY_GENESIS_SUPER_NODES: (BY_NODE, 0, 0, NODE, 33, 0, 0),
    APPROVE_TASK: (BY_NODE, 0, 0, SUPER, 51, 0, 0),
    REPLACE_NODE: (BY_SUPER_NODE, 0, 0, SUPER, 33, 0, 0),
    REPLACE_SUPER_NODE: (BY_NODE, 0, 0, NODE, 51, 0, 0),
    REPLACE_ADMIN: (BY_NODE, 0, 0, NODE, 67, 0, 0),
    ISSUE_MATCHED_BATCH: (BY_NODE_OR_FOUNDATION, 0, 0, SUPER, 51, NODE, 51),
    GENESIS_RELEASE: (BY_NODE_OR_FOUNDATION, 0, 0, SUPER, 51, NODE, 51),
    PUBLISH_STATEMENT: (BY_FOUNDATION, 0, 0, SUPER, 33, 0, 0),
    DEMAND_AUDIT: (BY_NODE, 0, 0, NODE, 33, 0, 0),
    REPLENISH_SUPER_ALTERNATES: (BY_NODE, NODE, 10, SUPER, 33, 0, 0),
    REPLENISH_NODE_ALTERNATES: (BY_CANDIDATE, POOL, 10, NODE, 33, 0, 0),
    SET_PARAMETERS: (BY_SUPER_NODE, 0, 0, SUPER, 51, NODE, 51),
}


@pytest.mark.parametrize("kind", sorted(POWER_MAP))
def test_rule__each_kind__matches_the_constitution(world: World, kind: int) -> None:
    r = world.motions.rule(kind)
    got = (r.proposer, r.sponsor_body, r.sponsor_pct, r.chamber1, r.pct1, r.chamber2, r.pct2)
    assert got == POWER_MAP[kind]


@pytest.mark.parametrize("kind", [0, 13, 255])
def test_rule__unknown_kind__reverts(world: World, kind: int) -> None:
    with boa.reverts(UNKNOWN_KIND):
        world.motions.rule(kind)
