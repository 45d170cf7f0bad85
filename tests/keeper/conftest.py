"""The roster's devnet for the keeper's tests (``tests/relayer/devnet.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.relayer.devnet import Devnet, roster_devnet, snapshot


@pytest.fixture(scope="session")
def keeper_devnet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Devnet]:
    yield from roster_devnet(tmp_path_factory, "keeper")


@pytest.fixture
def chain(keeper_devnet: Devnet) -> Iterator[Devnet]:
    yield from snapshot(keeper_devnet)
