"""Module-scoped worlds for the council unit tests.

Each world is deployed once per test module inside its own
``boa.env.anchor()`` (so nothing leaks into the next module) and outside the
per-test anchor of ``tests/conftest.py`` (so every test starts from the same
state and its changes are rolled back when it ends).
"""

from __future__ import annotations

from collections.abc import Iterator

import boa
import pytest

from tests.contracts.helpers import World, make_world
from tests.contracts.unitary.council._util import full_world as _full_world


@pytest.fixture(scope="module")
def genesis_world() -> Iterator[World]:
    """10 nodes, no super node: the genesis phase is open, the admin nominates."""
    with boa.env.anchor():
        yield make_world(n_nodes=10)


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    """30 nodes; nodes 0–20 are the genesis super nodes, 21–23 the super alternates."""
    with boa.env.anchor():
        yield make_world(n_nodes=30, n_supers=21, n_alternates=3)


@pytest.fixture(scope="module")
def partial_world() -> Iterator[World]:
    """30 nodes; a slate of 19 super nodes (nodes 0–18) and five super
    alternates (nodes 19–23): two super seats are free with alternates waiting."""
    with boa.env.anchor():
        yield make_world(n_nodes=30, n_supers=19, n_alternates=5)


@pytest.fixture(scope="module")
def full_world() -> Iterator[World]:
    """All 500 node seats taken, 21 super nodes, 3 super alternates, 20 candidates."""
    with boa.env.anchor():
        yield _full_world()
