"""The roster's devnet for the relayer's tests (``tests/relayer/devnet.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.relayer.devnet import Devnet, roster_devnet, snapshot


@pytest.fixture(scope="session")
def relayer_devnet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Devnet]:
    yield from roster_devnet(tmp_path_factory, "relayer")


@pytest.fixture
def chain(relayer_devnet: Devnet) -> Iterator[Devnet]:
    yield from snapshot(relayer_devnet)
