"""The token deployed by itself: its issuer an ordinary key (in the alliance the
treasury; here a test plays it), its council ``MockCouncil`` (member words
written by the test)."""

from __future__ import annotations

from typing import Any

import pytest

from kol.chain.inprocess import deployer
from tests.contracts.unitary.token._util import ISSUER, deploy_council


@pytest.fixture
def issuer() -> str:
    return ISSUER


@pytest.fixture
def council() -> Any:
    """A fresh MockCouncil (inside the per-test anchor of tests/conftest.py)."""
    return deploy_council()


@pytest.fixture
def token(issuer: str, council: Any) -> Any:
    """A fresh KOLToken naming the mock council."""
    return deployer("KOLToken").deploy(issuer, council.address)
