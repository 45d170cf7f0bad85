"""The indexer's chain: the scenario played once per session on its own anvil."""

from __future__ import annotations

import pytest

from kol.chain.anvil import Anvil
from tests.conftest import _require_anvil
from tests.indexer.scenario import Played, shared_chain


@pytest.fixture(scope="session")
def played(tmp_path_factory: pytest.TempPathFactory) -> tuple[Anvil, Played]:
    _require_anvil()
    return shared_chain(tmp_path_factory.mktemp("indexed-chain"))
