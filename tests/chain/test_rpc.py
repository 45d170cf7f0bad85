"""``RpcBackend`` against a real anvil: calls, signed transactions, receipts, the contract's
reason in every refusal, the clock, and the refusals of a live chain."""

from __future__ import annotations

from dataclasses import replace

import pytest
from web3 import Web3

from kol.alliance import Alliance, Chamber, Choice, MotionArgs, MotionKind, RuleViolation
from kol.chain.anvil import Anvil, rpc_request
from kol.chain.deployment import Deployment
from kol.chain.rpc import ChainError, RpcBackend, connect, is_dev_chain
from tests.chain.conftest import ADMIN, DEPLOYER, FOUNDATION, NODES, RELAYER, key


def nonce(url: str, account: str) -> int:
    return int(rpc_request(url, "eth_getTransactionCount", [account, "latest"]), 16)


def test_deploy__every_contract_where_the_description_says_and_wired(
    rpc_deployment: Deployment, rpc_backend: RpcBackend
) -> None:
    w3 = rpc_backend.w3
    for role in ("token", "council", "motions", "treasury", "usdt"):
        address = rpc_deployment.address(role)  # type: ignore[arg-type]
        assert address is not None and w3.eth.get_code(Web3.to_checksum_address(address))
    assert rpc_deployment.chain_id == 31_337 and rpc_deployment.test_usdt
    assert rpc_deployment.start_block >= 1
    assert rpc_backend.call("council", "admin") == ADMIN.address
    assert rpc_backend.call("council", "foundation") == FOUNDATION.address
    assert rpc_backend.call("treasury", "usdt") == rpc_deployment.usdt
    assert rpc_deployment.deployer == DEPLOYER.address


def test_transact__refused__raises_the_councils_reason_and_sends_nothing(
    anvil: Anvil, rpc_backend: RpcBackend
) -> None:
    before = nonce(anvil.url, NODES[0].address)
    with pytest.raises(RuleViolation) as refused:
        rpc_backend.transact(
            "council", "nominate", NODES[1].address, "x", b"\0" * 32, sender=NODES[0].address
        )
    assert refused.value.reason == "council: only the genesis administrator nominates"
    assert refused.value.action == "nominate"
    assert nonce(anvil.url, NODES[0].address) == before


def test_transact__returns_the_functions_value(rpc_backend: RpcBackend) -> None:
    a = Alliance(rpc_backend)
    for i, k in enumerate(NODES[:5]):
        a.nominate(k.address, f"n{i}", by=ADMIN.address)
    a.wait(12)
    args = MotionArgs.new_admin(key("new admin").address)
    first = a.propose(MotionKind.REPLACE_ADMIN, args, by=NODES[0].address)
    second = a.propose(MotionKind.REPLACE_ADMIN, args, by=NODES[1].address)
    assert (first, second) == (1, 2) and a.motion_count() == 2
    assert a.motion(2).proposer == NODES[1].address


def test_transact__without_a_trace__returns_the_simulated_value(rpc_backend: RpcBackend) -> None:
    a = Alliance(rpc_backend)
    a.nominate(NODES[0].address, "n0", by=ADMIN.address)
    a.wait(12)
    rpc_backend._tx._trace = False  # a node without debug_traceTransaction
    motion_id = a.propose(
        MotionKind.REPLACE_ADMIN, MotionArgs.new_admin(RELAYER.address), by=NODES[0].address
    )
    assert motion_id == 1 == a.motion_count()


def test_transact__a_sender_without_a_key__is_refused_before_sending(
    rpc_backend: RpcBackend,
) -> None:
    stranger = key("stranger").address
    with pytest.raises(ChainError, match=f"no key for {stranger}"):
        rpc_backend.transact("council", "register_candidate", "x", b"\0" * 32, sender=stranger)


def test_call__unknown_function__names_it(rpc_backend: RpcBackend) -> None:
    with pytest.raises(ChainError, match="no function mint_everything taking 0 arguments"):
        rpc_backend.call("token", "mint_everything")


def test_wait__moves_the_clock_and_mines_a_block(rpc_backend: RpcBackend) -> None:
    before, block = rpc_backend.clock()
    rpc_backend.wait(3 * 86_400)
    after, next_block = rpc_backend.clock()
    assert after >= before + 3 * 86_400 and next_block == block + 1


def test_wait__on_a_live_chain__is_refused(rpc_backend: RpcBackend) -> None:
    live = RpcBackend(rpc_backend.w3, rpc_backend.deployment, dev=False)
    with pytest.raises(ChainError, match="waiting is for dev chains .* only as its blocks come"):
        live.wait(60)
    with pytest.raises(ChainError, match="setting a balance is for dev chains"):
        live.set_balance(RELAYER.address, 1)
    assert is_dev_chain(rpc_backend.w3)


def test_connect__another_chain__is_refused(rpc_deployment: Deployment, anvil: Anvil) -> None:
    with pytest.raises(ChainError, match="is on chain 31337; the deployment is on chain 1"):
        RpcBackend.connect(replace(rpc_deployment, chain_id=1))
    moved = replace(rpc_deployment, council=key("nowhere").address)
    with pytest.raises(ChainError, match="no Council at"):
        RpcBackend.connect(moved, anvil.url)
    with pytest.raises(ChainError, match="no RPC URL"):
        RpcBackend.connect(replace(rpc_deployment, rpc_url=None))


def test_connect__nothing_listening__says_so() -> None:
    with pytest.raises(ChainError, match="no Ethereum node answers at http://127.0.0.1:9"):
        connect("http://127.0.0.1:9", timeout=2)


def test_votes_over_rpc__own_and_relayed_ballots_count(rpc_backend: RpcBackend) -> None:
    a = Alliance(rpc_backend)
    for i, k in enumerate(NODES):
        a.nominate(k.address, f"n{i}", by=ADMIN.address)
    a.wait(12)
    slate = MotionArgs.ratify([k.address for k in NODES[:21]])
    motion_id = a.propose(MotionKind.RATIFY_GENESIS_SUPER_NODES, slate, by=NODES[29].address)
    a.vote(motion_id, 1, Choice.FOR, by=NODES[0].address)
    signed = [a.sign_ballot(k, motion_id, 1, Choice.FOR) for k in NODES[1:10]]
    assert a.relay(signed, by=RELAYER.address) == 9
    stage = a.motion(motion_id).stage(1)
    assert (stage.votes_for, stage.threshold, stage.electorate) == (10, 10, 30)
    a.execute(motion_id, by=FOUNDATION.address)
    assert a.seats(Chamber.SUPER) == 21


def test_call__structs_and_arrays__decoded_as_the_in_process_evm_returns_them(
    rpc_backend: RpcBackend,
) -> None:
    a = Alliance(rpc_backend)
    a.nominate(NODES[0].address, "n0", by=ADMIN.address)
    assert rpc_backend.call("council", "member_by_id", 1) == NODES[0].address
    domain = rpc_backend.call("council", "eip712Domain")
    assert (domain[3], domain[4]) == (31_337, rpc_backend.deployment.council)
