"""The external signer: it signs transactions and typed data for an account it holds, kol checks
every answer, and a signer that refuses, answers for another key or signs another transaction
is refused before anything is sent — against a small signer server and against anvil itself."""

from __future__ import annotations

import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils.crypto import keccak

from kol.alliance import Alliance, Choice, MotionArgs, MotionKind
from kol.chain.anvil import Anvil, rpc_request
from kol.chain.deployment import Deployment
from kol.chain.rpc import ChainError, RpcBackend
from kol.chain.signer import ExternalSigner, ExternalSignerError, shown_url
from kol.domain.eip712 import ballot_typed_data
from tests.chain.conftest import ADMIN, NODES, RELAYER, key
from tests.chain.external_signer import IMPOSTOR, external_signer

HELD = key("external-signer")
OTHER = key("external-signer-other")
COUNCIL = "0x" + "c0" * 20


def _transaction(nonce: int = 0) -> dict[str, object]:
    return {
        "chainId": 31337,
        "nonce": nonce,
        "gas": 50_000,
        "value": 0,
        "data": b"\x12\x34",
        "type": 2,
        "maxFeePerGas": 3 * 10**9,
        "maxPriorityFeePerGas": 10**9,
        "to": OTHER.address,
    }


def _typed(voter: str) -> dict[str, object]:
    return ballot_typed_data(
        chain_id=31337,
        verifying_contract=COUNCIL,
        voter=voter,
        motion_id=3,
        stage_id=5,
        choice=Choice.FOR,
        expiry=2_000_000_000,
    )


# WHICH ACCOUNT #


def test_connect__the_account_it_holds() -> None:
    with external_signer([HELD, OTHER]) as server:
        signer = ExternalSigner.connect(server.url, HELD.address.lower())
    assert signer.address == HELD.address and signer.api == "eth"
    assert server.methods == ["eth_accounts"]


def test_connect__its_only_account_when_none_is_named() -> None:
    with external_signer([HELD]) as server:
        assert ExternalSigner.connect(server.url).address == HELD.address


def test_connect__several_accounts_and_none_named__asks_which() -> None:
    with external_signer([HELD, OTHER]) as server, pytest.raises(ExternalSignerError) as error:
        ExternalSigner.connect(server.url)
    assert "holds 2 accounts" in str(error.value) and "--signer-account" in str(error.value)


def test_connect__an_account_it_does_not_hold__names_those_it_holds() -> None:
    with external_signer([OTHER]) as server, pytest.raises(ExternalSignerError) as error:
        ExternalSigner.connect(server.url, HELD.address)
    message = str(error.value)
    assert f"does not hold {HELD.address}" in message and OTHER.address in message


def test_connect__nothing_listening__says_so() -> None:
    with external_signer([HELD]) as server:
        url = server.url
    with pytest.raises(ExternalSignerError, match="does not answer"):
        ExternalSigner.connect(url, HELD.address)


def test_connect__not_a_signer__says_so() -> None:
    with external_signer([HELD], api="none") as server, pytest.raises(ExternalSignerError) as e:
        ExternalSigner.connect(server.url, HELD.address)
    assert "answers neither eth_accounts nor account_list" in str(e.value)


def test_connect__only_http__and_credentials_never_shown() -> None:
    with pytest.raises(ExternalSignerError, match="must be http"):
        ExternalSigner.connect("/run/clef.ipc", HELD.address)
    assert (
        shown_url("https://user:s3cret@signer.example:9000/v1") == "https://signer.example:9000/v1"
    )


# SIGNING #


@pytest.mark.parametrize("api", ["eth", "clef"])
def test_sign_transaction__the_transaction_asked_for_as_the_account(api: str) -> None:
    with external_signer([HELD], api=api) as server:
        signer = ExternalSigner.connect(server.url, HELD.address)
        signed = signer.sign_transaction(_transaction())
    assert signer.api == api
    assert server.methods[-1] == ("account_" if api == "clef" else "eth_") + "signTransaction"
    assert Account.recover_transaction(signed.raw_transaction) == HELD.address
    assert bytes(signed.hash) == keccak(bytes(signed.raw_transaction))
    assert HELD.key.hex() not in b"".join(server.bodies).decode()


@pytest.mark.parametrize("api", ["eth", "clef"])
def test_sign_typed_data__the_accounts_signature(api: str) -> None:
    typed = _typed(HELD.address)
    with external_signer([HELD], api=api) as server:
        signed = ExternalSigner.connect(server.url).sign_typed_data(full_message=typed)
    expected = HELD.sign_message(encode_typed_data(full_message=typed))
    assert (signed.v, signed.r, signed.s) == (expected.v, expected.r, expected.s)
    assert server.methods[-1] in ("eth_signTypedData_v4", "account_signTypedData")


def test_sign__a_signer_that_refuses__says_so() -> None:
    with external_signer([HELD], mode="refuse") as server:
        signer = ExternalSigner.connect(server.url, HELD.address)
        with pytest.raises(
            ExternalSignerError, match="refused eth_signTransaction: Request denied"
        ):
            signer.sign_transaction(_transaction())
        with pytest.raises(ExternalSignerError, match="refused eth_signTypedData_v4"):
            signer.sign_typed_data(full_message=_typed(HELD.address))


def test_sign__a_signer_answering_for_another_key__refused() -> None:
    with external_signer([HELD], mode="impostor") as server:
        signer = ExternalSigner.connect(server.url, HELD.address)
        with pytest.raises(ExternalSignerError) as tx:
            signer.sign_transaction(_transaction())
        with pytest.raises(ExternalSignerError) as typed:
            signer.sign_typed_data(full_message=_typed(HELD.address))
    assert f"signed the transaction as {IMPOSTOR.address}, not as {HELD.address}" in str(tx.value)
    assert f"as {IMPOSTOR.address}, not as {HELD.address}" in str(typed.value)


def test_sign__a_signer_signing_another_transaction__refused() -> None:
    with external_signer([HELD], mode="tamper") as server:
        signer = ExternalSigner.connect(server.url, HELD.address)
        with pytest.raises(ExternalSignerError, match=r"a different transaction \(its nonce"):
            signer.sign_transaction(_transaction())


def test_sign_message__a_bare_digest__refused() -> None:
    with external_signer([HELD]) as server:
        signer = ExternalSigner.connect(server.url)
        with pytest.raises(ExternalSignerError, match="never a bare digest"):
            signer.sign_message(encode_typed_data(full_message=_typed(HELD.address)))


# ANVIL AS THE EXTERNAL SIGNER, AND THE SDK SIGNING THROUGH IT #


def test_anvil_as_the_signer__its_unlocked_account_signs_a_transaction_and_typed_data(
    anvil: Anvil,
) -> None:
    account = rpc_request(anvil.url, "eth_accounts")[0]
    signer = ExternalSigner.connect(anvil.url, account)
    nonce = int(rpc_request(anvil.url, "eth_getTransactionCount", [account, "pending"]), 16)
    signed = signer.sign_transaction({**_transaction(nonce), "data": b""})
    assert Account.recover_transaction(signed.raw_transaction) == signer.address
    typed = signer.sign_typed_data(full_message=_typed(signer.address))
    assert (
        Account.recover_message(
            encode_typed_data(full_message=_typed(signer.address)), signature=typed.signature
        )
        == signer.address
    )
    assert int(rpc_request(anvil.url, "eth_getTransactionCount", [account, "pending"]), 16) == nonce


def test_sdk_over_an_external_signer__own_vote_and_signed_ballot(
    rpc_deployment: Deployment, anvil_snapshot: Anvil
) -> None:
    local = RpcBackend.connect(rpc_deployment, signers=[ADMIN, RELAYER, *NODES])
    a = Alliance(local)
    for i, k in enumerate(NODES):
        a.nominate(k.address, f"n{i}", by=ADMIN.address)
    a.wait(12)
    slate = MotionArgs.ratify([k.address for k in NODES[:21]])
    motion_id = a.propose(MotionKind.RATIFY_GENESIS_SUPER_NODES, slate, by=NODES[29].address)
    with external_signer(NODES[:2]) as server:
        remote = RpcBackend.connect(rpc_deployment)
        b = Alliance(remote)
        remote.add_signer(ExternalSigner.connect(server.url, NODES[0].address))
        b.vote(motion_id, 1, Choice.FOR, by=NODES[0].address)
        ballot = b.sign_ballot(
            ExternalSigner.connect(server.url, NODES[1].address), motion_id, 1, Choice.AGAINST
        )
    assert a.relay([ballot], by=RELAYER.address) == 1
    stage = a.motion(motion_id).stage(1)
    assert (stage.votes_for, stage.votes_against) == (1, 1)
    assert "eth_signTransaction" in server.methods and "eth_signTypedData_v4" in server.methods


def test_sdk_over_an_impostor_signer__nothing_sent(
    rpc_deployment: Deployment, anvil_snapshot: Anvil
) -> None:
    with external_signer([NODES[0]], mode="impostor") as server:
        remote = RpcBackend.connect(rpc_deployment)
        remote.add_signer(ExternalSigner.connect(server.url, NODES[0].address))
        before = remote.next_nonce(NODES[0].address)
        with pytest.raises(ChainError, match="not as"):
            Alliance(remote).register_candidate("x", b"\0" * 32, by=NODES[0].address)
        assert remote.next_nonce(NODES[0].address) == before
