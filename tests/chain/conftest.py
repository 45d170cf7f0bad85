"""The alliance deployed once per session on the session's anvil (``tests/conftest.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak

from kol.chain.anvil import Anvil
from kol.chain.deployment import Deployment
from kol.chain.rpc import RpcBackend, connect, deploy
from tests.conftest import fund


def key(label: str) -> LocalAccount:
    account: LocalAccount = Account.from_key(keccak(text=f"kol-chain-test:{label}"))
    return account


DEPLOYER, ADMIN, FOUNDATION, RELAYER = (
    key("deployer"),
    key("admin"),
    key("foundation"),
    key("relayer"),
)
NODES = [key(f"node{i}") for i in range(30)]
CANDIDATES = [key(f"candidate{i}") for i in range(10)]
EVERYONE = [ADMIN, FOUNDATION, RELAYER, *NODES, *CANDIDATES]


@pytest.fixture(scope="session")
def rpc_deployment(anvil: Anvil) -> Deployment:
    """The alliance (with a TestUSDT and the Treasury) on the session's anvil, every test key
    funded."""
    fund(anvil.url, DEPLOYER.address)
    for account in EVERYONE:
        fund(anvil.url, account.address)
    return deploy(
        connect(anvil.url),
        DEPLOYER,
        admin=ADMIN.address,
        foundation=FOUNDATION.address,
        rpc_url=anvil.url,
    )


@pytest.fixture
def rpc_backend(rpc_deployment: Deployment, anvil_snapshot: Anvil) -> Iterator[RpcBackend]:
    """A backend holding every test key, on a chain put back after the test."""
    yield RpcBackend.connect(rpc_deployment, signers=EVERYONE)
