"""A module-scoped world for the parameter tests: 25 nodes, 21 of them super
nodes, so that SET_PARAMETERS (super 51%, then nodes 51%) can pass.

Deployed once per module inside its own ``boa.env.anchor()``; the per-test
anchor of ``tests/conftest.py`` rolls every test's changes back.
"""

from __future__ import annotations

from collections.abc import Iterator

import boa
import pytest

from tests.contracts.helpers import World, make_world


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with boa.env.anchor():
        yield make_world(n_nodes=25, n_supers=21)
