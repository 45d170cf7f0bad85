"""Shared fixtures: deterministic dev keys and a fresh in-process EVM per test."""

from __future__ import annotations

from collections.abc import Iterator

import boa
import pytest


@pytest.fixture(autouse=True)
def _isolated_evm() -> Iterator[None]:
    """Every test starts from the same EVM state and leaves nothing behind."""
    with boa.env.anchor():
        yield
