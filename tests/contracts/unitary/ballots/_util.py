"""Helpers shared by the ballots tests: stages, snapshots, EIP-712 ballots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boa
from eth_account import Account
from eth_account.messages import SignableMessage, encode_typed_data
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from tests.contracts.helpers import (
    DAY,
    NODE,
    REPLACE_ADMIN,
    SET_PARAMETERS,
    SUPER,
    World,
    args,
    key,
)

# Status codes of a ballot (contracts/modules/ballots.vy, CONSTANTS).
OK = 0
NO_SUCH_STAGE = 1
STAGE_CLOSED = 2
NOT_SEATED = 3
SEATED_AFTER_OPENING = 4
ALREADY_VOTED = 5
BAD_CHOICE = 6
EXPIRED = 7
BAD_SIGNATURE = 8

# Stage statuses (`stage_status`).
NONE, OPEN, STAGE_PASSED, STAGE_FAILED = 0, 1, 2, 3

# Parameter ids (contracts/modules/parameters.vy).
VOTING_PERIOD = 1

# Revert strings.
NO_STAGE_REASON = "ballots: no such stage"
CLOSED_REASON = "ballots: the stage's deadline has passed"
NOT_SEATED_REASON = "ballots: voter is not seated in the stage's chamber"
SEATED_AFTER_REASON = "ballots: voter was seated after the stage opened"
ALREADY_VOTED_REASON = "ballots: voter already voted in this stage"
BAD_CHOICE_REASON = "ballots: choice is 1 (for), 2 (against) or 3 (abstain)"

SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
ERC1271_MAGIC = bytes.fromhex("1626ba7e")

MULTISIG_WALLET = Path(__file__).resolve().parents[2] / "mocks" / "MultisigWallet.vy"

BALLOT_TYPES = {
    "EIP712Domain": [
        {"name": "name", "type": "string"},
        {"name": "version", "type": "string"},
        {"name": "chainId", "type": "uint256"},
        {"name": "verifyingContract", "type": "address"},
    ],
    "Ballot": [
        {"name": "voter", "type": "address"},
        {"name": "motionId", "type": "uint256"},
        {"name": "stageId", "type": "uint256"},
        {"name": "choice", "type": "uint8"},
        {"name": "expiry", "type": "uint256"},
    ],
}


def stage_id(seq: int, chamber: int) -> int:
    """A stage's id: seq * 2 + chamber (ballots.vy)."""
    return seq * 2 + chamber


def now() -> int:
    timestamp: int = boa.env.evm.patch.timestamp
    return timestamp


def warp_to(timestamp: int) -> None:
    """Moves the clock to exactly ``timestamp`` (and mines at least one block)."""
    seconds = timestamp - now()
    assert seconds >= 0, "cannot travel back in time"
    boa.env.time_travel(seconds=seconds)
    if seconds < 12:
        boa.env.time_travel(blocks=1, block_delta=0)


def snapshot(w: World, stage: int, voters: list[str]) -> tuple[Any, tuple[bool, ...]]:
    """What a rejected ballot must leave unchanged: the stage and the receipts."""
    return w.council.stage(stage), tuple(w.council.has_voted(stage, v) for v in voters)


def events(contract: Any, name: str) -> list[Any]:
    """The decoded logs called ``name`` of ``contract``'s last call."""
    return [e for e in contract.get_logs() if type(e).__name__ == name]


def open_node_stages(w: World, proposers: list[LocalAccount]) -> list[int]:
    """Opens one node-chamber stage (REPLACE_ADMIN, 67%) per proposer."""
    new_admin = key("new-admin").address
    return [w.stage_of(w.propose(p.address, REPLACE_ADMIN, args([new_admin]))) for p in proposers]


def open_super_stages(w: World, proposers: list[LocalAccount]) -> list[int]:
    """Opens one super-chamber stage (SET_PARAMETERS stage 1, 51%) per proposer."""
    motion_args = args(numbers=[VOTING_PERIOD, 3 * DAY])
    return [w.stage_of(w.propose(p.address, SET_PARAMETERS, motion_args)) for p in proposers]


def open_stages(w: World, chamber: int, proposers: list[LocalAccount]) -> list[int]:
    if chamber == NODE:
        return open_node_stages(w, proposers)
    assert chamber == SUPER
    return open_super_stages(w, proposers)


# EIP-712 BALLOTS #


def domain(council: Any) -> tuple[str, str, int, str]:
    """(name, version, chainId, verifyingContract) from ERC-5267 ``eip712Domain``."""
    d = council.eip712Domain()
    return d[1], d[2], d[3], str(d[4])


def ballot_message(
    council: Any,
    voter: str,
    stage: int,
    choice: int,
    expiry: int,
    *,
    motion_id: int | None = None,
    chain_id: int | None = None,
    verifying_contract: str | None = None,
) -> SignableMessage:
    """The EIP-712 message of a ballot; the keywords forge other domains/motions."""
    name, version, domain_chain_id, domain_contract = domain(council)
    if motion_id is None:
        motion_id = council.stage(stage).motion_id
    return encode_typed_data(
        full_message={
            "types": BALLOT_TYPES,
            "primaryType": "Ballot",
            "domain": {
                "name": name,
                "version": version,
                "chainId": domain_chain_id if chain_id is None else chain_id,
                "verifyingContract": verifying_contract or domain_contract,
            },
            "message": {
                "voter": voter,
                "motionId": motion_id,
                "stageId": stage,
                "choice": choice,
                "expiry": expiry,
            },
        }
    )


def digest_of(message: SignableMessage) -> bytes:
    """keccak256(0x19 ‖ version ‖ header ‖ body): the EIP-712 digest."""
    digest: bytes = keccak(b"\x19" + message.version + message.header + message.body)
    return digest


def ballot(
    signer: LocalAccount,
    council: Any,
    stage: int,
    choice: int,
    expiry: int,
    *,
    voter: str | None = None,
    **forge: Any,
) -> tuple[str, int, int, int, int, bytes, bytes]:
    """A relayed ``Ballot`` struct signed by ``signer`` (for ``voter``, default the signer)."""
    voter = voter or signer.address
    message = ballot_message(council, voter, stage, choice, expiry, **forge)
    signed = Account.sign_message(message, signer.key)
    return (
        voter,
        stage,
        choice,
        expiry,
        signed.v,
        signed.r.to_bytes(32, "big"),
        signed.s.to_bytes(32, "big"),
    )


def raw_signature(signer: LocalAccount, digest: bytes) -> bytes:
    """65 bytes r ‖ s ‖ v of ``digest`` signed as is (no prefix)."""
    signed = Account.unsafe_sign_hash(digest, signer.key)
    rsv: bytes = signed.r.to_bytes(32, "big") + signed.s.to_bytes(32, "big") + bytes([signed.v])
    return rsv


def wallet_signature(owners: list[LocalAccount], digest: bytes) -> bytes:
    """The MultisigWallet signature: owners' signatures sorted by owner address."""
    ordered = sorted(owners, key=lambda o: int(o.address, 16))
    return b"".join(raw_signature(o, digest) for o in ordered)


def later() -> int:
    """An expiry one day from now."""
    return now() + DAY


def relay(method: Any, batch: list[Any]) -> tuple[list[int], list[Any]]:
    """Relays ``batch`` through ``method`` (``cast_ballots`` / ``cast_wallet_ballots``)
    from a stranger; returns each ballot's status and the ``BallotRejected`` logs.

    Statuses are read from the ``BallotRejected`` logs (index, status) and
    checked against the return value, whichever form it takes: a status per
    ballot, or the number of ballots recorded.
    """
    with boa.env.prank(key("relayer").address):
        result = method(batch)
    rejected = events(method.contract, "BallotRejected")
    statuses = [OK] * len(batch)
    for r in rejected:
        assert statuses[r.index] == OK, "one BallotRejected per ballot"
        assert r.status != OK
        statuses[r.index] = r.status
    if isinstance(result, int):
        assert result == statuses.count(OK)
    else:
        assert list(result) == statuses
    return statuses, rejected
