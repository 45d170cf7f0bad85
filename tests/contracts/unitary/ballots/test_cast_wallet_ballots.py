"""``cast_wallet_ballots``: ballots of members that are contract wallets (ERC-1271).

Two multisig wallets (tests/contracts/mocks/MultisigWallet.vy) are seated as
nodes during genesis: a 2-of-3 and a 1-of-1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boa
import pytest
from eth_account.signers.local import LocalAccount

from tests.contracts.helpers import AGAINST, FOR, World, key, keys, make_world, next_block
from tests.contracts.unitary.ballots._util import (
    ALREADY_VOTED,
    BAD_SIGNATURE,
    ERC1271_MAGIC,
    EXPIRED,
    MULTISIG_WALLET,
    NO_SUCH_STAGE,
    OK,
    ballot,
    later,
    now,
    open_node_stages,
    raw_signature,
    relay,
    snapshot,
    stage_id,
    wallet_signature,
)

WalletBallot = tuple[str, int, int, int, bytes]


@dataclass(frozen=True)
class Wallets:
    w: World
    multisig: Any  # 2 of 3
    owners: list[LocalAccount]
    single: Any  # 1 of 1
    single_owner: LocalAccount


@pytest.fixture(scope="module")
def wallets() -> Wallets:
    w = make_world(n_nodes=10)
    owners = keys("owner", 3)
    single_owner = key("single-owner")
    wallet = boa.load_partial(str(MULTISIG_WALLET))
    multisig = wallet.deploy([o.address for o in owners], 2)
    single = wallet.deploy([single_owner.address], 1)
    with boa.env.prank(w.admin):
        w.council.nominate(multisig.address, "multisig community", b"\x00" * 32)
        w.council.nominate(single.address, "single-owner community", b"\x00" * 32)
    next_block()
    return Wallets(w, multisig, owners, single, single_owner)


@pytest.fixture
def stage(wallets: Wallets) -> int:
    """A node-chamber stage (REPLACE_ADMIN) whose electorate holds both wallets."""
    s: int = open_node_stages(wallets.w, [wallets.w.nodes[9]])[0]
    assert wallets.w.council.stage(s).electorate == 12
    return s


def _digest(c: Wallets, voter: str, stage: int, choice: int, expiry: int) -> bytes:
    digest: bytes = c.w.council.ballot_digest(voter, stage, choice, expiry)
    return digest


def _wallet_ballot(
    c: Wallets, signers: list[LocalAccount], stage: int, choice: int = FOR, expiry: int = 0
) -> WalletBallot:
    expiry = expiry or later()
    voter = c.multisig.address
    signature = wallet_signature(signers, _digest(c, voter, stage, choice, expiry))
    return (voter, stage, choice, expiry, signature)


def _relay(c: Wallets, ballots: list[WalletBallot]) -> tuple[list[int], list[Any]]:
    return relay(c.w.council.cast_wallet_ballots, ballots)


def test_multisig_wallet__approves_only_threshold_sorted_owner_signatures(wallets: Wallets) -> None:
    """The mock itself: what the council will be told."""
    c = wallets
    digest = b"\x42" * 32
    a, b, z = c.owners
    assert c.multisig.isValidSignature(digest, wallet_signature([a, b], digest)) == ERC1271_MAGIC
    assert c.multisig.isValidSignature(digest, wallet_signature([b, z], digest)) == ERC1271_MAGIC
    unsorted = b"".join(
        raw_signature(o, digest) for o in sorted([a, b], key=lambda o: -int(o.address, 16))
    )
    rejected = [
        wallet_signature([a], digest),
        wallet_signature([a, b, z], digest),
        raw_signature(a, digest) * 2,
        unsorted,
        wallet_signature([a, key("intruder")], digest),
        wallet_signature([a, b], b"\x43" * 32),
    ]
    for signature in rejected:
        assert c.multisig.isValidSignature(digest, signature) == b"\xff" * 4


# RECORDED #


def test_cast_wallet_ballots__two_of_three_owners__recorded(wallets: Wallets, stage: int) -> None:
    c = wallets
    voter = c.multisig.address

    statuses, rejected = _relay(c, [_wallet_ballot(c, c.owners[:2], stage, AGAINST)])

    assert statuses == [OK]
    assert rejected == []
    assert c.w.council.stage(stage).votes_against == 1
    assert c.w.council.has_voted(stage, voter)


def test_cast_wallet_ballots__any_two_owners__recorded(wallets: Wallets, stage: int) -> None:
    c = wallets
    statuses, _ = _relay(c, [_wallet_ballot(c, [c.owners[0], c.owners[2]], stage)])
    assert statuses == [OK]
    assert c.w.council.stage(stage).votes_for == 1


def test_cast_wallet_ballots__both_wallets_in_one_batch__recorded(
    wallets: Wallets, stage: int
) -> None:
    c = wallets
    expiry = later()
    single_sig = raw_signature(c.single_owner, _digest(c, c.single.address, stage, FOR, expiry))
    batch = [
        _wallet_ballot(c, c.owners[1:], stage, FOR),
        (c.single.address, stage, FOR, expiry, single_sig),
    ]
    statuses, rejected = _relay(c, batch)
    assert statuses == [OK, OK]
    assert rejected == []
    assert c.w.council.stage(stage).votes_for == 2


# REJECTED #


def test_cast_wallet_ballots__one_signature_of_two__bad_signature(
    wallets: Wallets, stage: int
) -> None:
    c = wallets
    voter = c.multisig.address
    before = snapshot(c.w, stage, [voter])

    statuses, (r,) = _relay(c, [_wallet_ballot(c, c.owners[:1], stage)])

    assert statuses == [BAD_SIGNATURE]
    assert (r.stage_id, r.voter, r.index, r.status) == (stage, voter, 0, BAD_SIGNATURE)
    assert snapshot(c.w, stage, [voter]) == before


def test_cast_wallet_ballots__non_owner_signature__bad_signature(
    wallets: Wallets, stage: int
) -> None:
    c = wallets
    before = snapshot(c.w, stage, [c.multisig.address])
    statuses, _ = _relay(c, [_wallet_ballot(c, [c.owners[0], key("intruder")], stage)])
    assert statuses == [BAD_SIGNATURE]
    assert snapshot(c.w, stage, [c.multisig.address]) == before


def test_cast_wallet_ballots__signed_for_another_choice__bad_signature(
    wallets: Wallets, stage: int
) -> None:
    c = wallets
    voter, stage_, _, expiry, signature = _wallet_ballot(c, c.owners[:2], stage, AGAINST)
    before = snapshot(c.w, stage, [voter])
    statuses, _ = _relay(c, [(voter, stage_, FOR, expiry, signature)])
    assert statuses == [BAD_SIGNATURE]
    assert snapshot(c.w, stage, [voter]) == before


def test_cast_wallet_ballots__eoa_voter__bad_signature(wallets: Wallets, stage: int) -> None:
    c = wallets
    node = c.w.nodes[0]
    expiry = later()
    signature = raw_signature(node, _digest(c, node.address, stage, FOR, expiry))
    before = snapshot(c.w, stage, [node.address])

    statuses, _ = _relay(c, [(node.address, stage, FOR, expiry, signature)])

    assert statuses == [BAD_SIGNATURE]  # an EOA uses cast_ballots
    assert snapshot(c.w, stage, [node.address]) == before


def test_cast_wallet_ballots__expired__rejected(wallets: Wallets, stage: int) -> None:
    c = wallets
    before = snapshot(c.w, stage, [c.multisig.address])
    statuses, _ = _relay(c, [_wallet_ballot(c, c.owners[:2], stage, FOR, now() - 1)])
    assert statuses == [EXPIRED]
    assert snapshot(c.w, stage, [c.multisig.address]) == before


def test_cast_wallet_ballots__replay__already_voted(wallets: Wallets, stage: int) -> None:
    c = wallets
    signed = _wallet_ballot(c, c.owners[:2], stage)
    statuses, (r,) = _relay(c, [signed, signed])
    assert statuses == [OK, ALREADY_VOTED]
    assert (r.index, r.status) == (1, ALREADY_VOTED)
    assert c.w.council.stage(stage).votes_for == 1


def test_cast_wallet_ballots__no_such_stage__rejected(wallets: Wallets, stage: int) -> None:
    c = wallets
    missing = stage_id(50, 0)
    statuses, _ = _relay(c, [_wallet_ballot(c, c.owners[:2], missing)])
    assert statuses == [NO_SUCH_STAGE]
    assert c.w.council.stage_status(missing) == 0


# THROUGH cast_ballots AND BY OWN TRANSACTION #


def test_cast_ballots__one_of_one_wallet__accepted_via_erc1271(
    wallets: Wallets, stage: int
) -> None:
    c = wallets
    voter = c.single.address
    expiry = later()
    signed = raw_signature(c.single_owner, _digest(c, voter, stage, FOR, expiry))
    relayed = (voter, stage, FOR, expiry, signed[64], signed[:32], signed[32:64])

    statuses, _ = relay(c.w.council.cast_ballots, [relayed])

    assert statuses == [OK]
    assert c.w.council.stage(stage).votes_for == 1
    assert c.w.council.has_voted(stage, voter)


def test_cast_ballots__two_of_three_wallet_one_owner__bad_signature(
    wallets: Wallets, stage: int
) -> None:
    c = wallets
    voter = c.multisig.address
    expiry = later()
    signed = raw_signature(c.owners[0], _digest(c, voter, stage, FOR, expiry))
    relayed = (voter, stage, FOR, expiry, signed[64], signed[:32], signed[32:64])
    before = snapshot(c.w, stage, [voter])

    statuses, _ = relay(c.w.council.cast_ballots, [relayed])

    assert statuses == [BAD_SIGNATURE]
    assert snapshot(c.w, stage, [voter]) == before


def test_cast_ballots__wallet_owner_signs_as_eoa__bad_signature(
    wallets: Wallets, stage: int
) -> None:
    """One owner's EIP-712 signature, relayed as the 2-of-3 wallet's ballot:
    ECDSA recovers the owner, not the wallet, and the wallet refuses 65 bytes."""
    c = wallets
    relayed = ballot(c.owners[0], c.w.council, stage, FOR, later(), voter=c.multisig.address)
    statuses, _ = relay(c.w.council.cast_ballots, [relayed])
    assert statuses == [BAD_SIGNATURE]


def test_vote__wallet_own_transaction__recorded(wallets: Wallets, stage: int) -> None:
    c = wallets
    with boa.env.prank(c.multisig.address):
        c.w.council.vote(stage, AGAINST)
    assert c.w.council.stage(stage).votes_against == 1
    assert c.w.council.has_voted(stage, c.multisig.address)
    statuses, _ = _relay(c, [_wallet_ballot(c, c.owners[:2], stage)])
    assert statuses == [ALREADY_VOTED]
