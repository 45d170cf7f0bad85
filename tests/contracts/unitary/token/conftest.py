"""The token deployed by itself, its issuer an ordinary key (in the alliance
the issuer is the treasury; here a test plays it)."""

from __future__ import annotations

from typing import Any

import pytest

from kol.chain.inprocess import deployer
from tests.contracts.unitary.token._util import COUNCIL, ISSUER


@pytest.fixture
def issuer() -> str:
    return ISSUER


@pytest.fixture
def token(issuer: str) -> Any:
    """A fresh KOLToken (inside the per-test anchor of tests/conftest.py)."""
    return deployer("KOLToken").deploy(issuer, COUNCIL)
