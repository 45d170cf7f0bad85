"""Module-scoped worlds for the motions tests.

Each world is deployed once per test module, outside the per-test
``boa.env.anchor()`` of ``tests/conftest.py``: every test starts from the
same state and its changes are rolled back when it ends.
"""

from __future__ import annotations

import pytest
from eth_account.signers.local import LocalAccount

from tests.contracts.helpers import World, make_world
from tests.contracts.unitary.motions._util import Banned, make_banned_world, make_pool_world


@pytest.fixture(scope="module")
def world() -> World:
    """30 nodes; nodes 0-20 are the genesis super nodes, 21-23 the super alternates."""
    return make_world(n_nodes=30, n_supers=21, n_alternates=3)


@pytest.fixture(scope="module")
def genesis_world() -> World:
    """30 nodes, no super node, the genesis phase still open."""
    return make_world(n_nodes=30)


@pytest.fixture(scope="module")
def roster_world() -> World:
    """The published roster's sizes: 126 nodes, 21 super nodes, 8 super alternates."""
    return make_world(n_nodes=126, n_supers=21, n_alternates=8)


@pytest.fixture(scope="module")
def pool_world() -> tuple[World, list[LocalAccount]]:
    """``world`` plus a candidate pool of 20 registered candidates."""
    return make_pool_world(20)


@pytest.fixture(scope="module")
def banned() -> Banned:
    """12 nodes with a super-banned node, a node-banned candidate, one super node."""
    return make_banned_world()
