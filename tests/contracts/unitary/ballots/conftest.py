"""Module-scoped worlds for the ballots tests.

Each world is deployed once per test module, outside the per-test
``boa.env.anchor()`` of ``tests/conftest.py``, so every test starts from the
same state and its changes are rolled back when it ends.
"""

from __future__ import annotations

import pytest

from tests.contracts.helpers import World, make_world


@pytest.fixture(scope="module")
def world() -> World:
    """30 nodes; nodes 0-20 are the genesis super nodes, 21-23 the super alternates."""
    return make_world(n_nodes=30, n_supers=21, n_alternates=3)


@pytest.fixture(scope="module")
def genesis_world() -> World:
    """10 nodes, no super node, the genesis phase still open (the admin nominates)."""
    return make_world(n_nodes=10)
