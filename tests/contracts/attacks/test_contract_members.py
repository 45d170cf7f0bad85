"""Members that are contracts: a Safe-like wallet, and wallets whose ERC-1271
answer is hostile (approves anything, garbage, reverts, three bytes, a
return-data bomb, burns all its gas).

Covered elsewhere (not repeated): an m-of-n multisig through
``cast_wallet_ballots`` and ``cast_ballots``, a non-owner, too few owners,
another choice, a replay and an EOA voter — tests/contracts/unitary/ballots/
test_cast_wallet_ballots.py and test_cast_ballots.py; a wallet's own
transaction — test_vote.py::test_vote__wallet_own_transaction__recorded.

Finding kept here: a wallet was given all the gas left, so a member wallet
that burns it starved the rest of a relayed batch, and two such wallets in
one batch made the whole batch revert at any gas limit. A wallet now gets at
most ``MAX_WALLET_GAS`` (500,000) to answer, and a relay that leaves less
than that for a wallet reverts instead of skipping its good ballot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boa
import pytest
from eth_account import Account
from eth_account.messages import encode_defunct
from eth_account.signers.local import LocalAccount

from tests.contracts.attacks._attack import (
    RETURN_DATA_BOMB,
    THREE_BYTE_ANSWER,
    mock,
    raw_code_wallet,
    stage_state,
    world_with_members,
)
from tests.contracts.helpers import AGAINST, FOR, REPLENISH_SUPER_ALTERNATES, World, args, key, keys
from tests.contracts.unitary.ballots._util import (
    ALREADY_VOTED,
    BAD_SIGNATURE,
    MULTISIG_WALLET,
    OK,
    SECP256K1_N,
    ballot,
    ballot_message,
    digest_of,
    later,
    open_node_stages,
    raw_signature,
    relay,
)
from tests.contracts.unitary.motions._util import BAD_SIGNATURE as BAD_SPONSOR_SIGNATURE
from tests.contracts.unitary.motions._util import OK as SPONSORED
from tests.contracts.unitary.motions._util import signed

MAX_WALLET_GAS = 500_000
TOO_LITTLE_GAS = "signatures: too little gas left to ask a wallet (send more gas)"
APPROVES_ANYTHING, GARBAGE, REVERTS, BURNS_GAS = 0, 1, 2, 3


@dataclass(frozen=True)
class Members:
    w: World
    safe: Any  # 2 of 3, Safe's conventions
    safe_twin: Any  # same owners and threshold, another address
    owners: list[LocalAccount]
    yes: list[Any]  # approve every digest
    garbage: Any
    reverts: Any
    burners: list[Any]
    three_bytes: str
    bomb: str
    stage: int

    @property
    def contracts(self) -> list[str]:
        return [
            self.safe.address,
            self.safe_twin.address,
            *[y.address for y in self.yes],
            self.garbage.address,
            self.reverts.address,
            *[b.address for b in self.burners],
            self.three_bytes,
            self.bomb,
        ]


@pytest.fixture(scope="module")
def members() -> Members:
    owners = keys("safe-owner", 3)
    safe_like, hostile = mock("SafeLikeWallet"), mock("HostileWallet")
    safe = safe_like.deploy([o.address for o in owners], 2)
    twin = safe_like.deploy([o.address for o in owners], 2)
    yes = [hostile.deploy(APPROVES_ANYTHING) for _ in range(2)]
    garbage, reverts = hostile.deploy(GARBAGE), hostile.deploy(REVERTS)
    burners = [hostile.deploy(BURNS_GAS) for _ in range(3)]
    three, bomb = raw_code_wallet(THREE_BYTE_ANSWER), raw_code_wallet(RETURN_DATA_BOMB)
    extra = [safe.address, twin.address, *[x.address for x in [*yes, garbage, reverts, *burners]]]
    w = world_with_members(10, [*extra, three, bomb])
    (stage,) = open_node_stages(w, [w.nodes[0]])
    return Members(w, safe, twin, owners, yes, garbage, reverts, burners, three, bomb, stage)


def _digest(m: Members, voter: str, choice: int = FOR, expiry: int | None = None) -> bytes:
    return digest_of(ballot_message(m.w.council, voter, m.stage, choice, expiry or later()))


def _safe_signature(m: Members, safe: Any, digest: bytes, signers: list[LocalAccount]) -> bytes:
    """Owners' signatures of the Safe's message hash, sorted by owner address."""
    h = safe.message_hash(digest)
    ordered = sorted(signers, key=lambda o: int(o.address, 16))
    return b"".join(raw_signature(o, h) for o in ordered)


def _wallet_ballot(m: Members, voter: str, signature: bytes, expiry: int) -> tuple[Any, ...]:
    return (voter, m.stage, FOR, expiry, signature)


# A SAFE #


def test_safe__two_owners_sign_the_safe_message__ballot_recorded(members: Members) -> None:
    m = members
    expiry = later()
    sig = _safe_signature(m, m.safe, _digest(m, m.safe.address, expiry=expiry), m.owners[:2])
    statuses, _ = relay(
        m.w.council.cast_wallet_ballots, [_wallet_ballot(m, m.safe.address, sig, expiry)]
    )
    assert statuses == [OK]
    assert m.w.council.has_voted(m.stage, m.safe.address)
    assert m.w.council.stage(m.stage).votes_for == 1


def test_safe__eth_sign_owner_signatures__ballot_recorded(members: Members) -> None:
    m = members
    expiry = later()
    h = m.safe.message_hash(_digest(m, m.safe.address, expiry=expiry))
    parts = []
    for o in sorted(m.owners[1:], key=lambda o: int(o.address, 16)):
        signed = Account.sign_message(encode_defunct(primitive=h), o.key)
        parts.append(
            signed.r.to_bytes(32, "big") + signed.s.to_bytes(32, "big") + bytes([signed.v + 4])
        )
    statuses, _ = relay(
        m.w.council.cast_wallet_ballots,
        [_wallet_ballot(m, m.safe.address, b"".join(parts), expiry)],
    )
    assert statuses == [OK]


def test_safe__owners_sign_the_raw_digest__is_skipped(members: Members) -> None:
    """The Safe wants its own message signed; owner signatures of the ballot
    digest itself (what a plain multisig takes) are refused, nothing counted."""
    m = members
    expiry = later()
    digest = _digest(m, m.safe.address, expiry=expiry)
    ordered = sorted(m.owners[:2], key=lambda o: int(o.address, 16))
    sig = b"".join(raw_signature(o, digest) for o in ordered)
    before = stage_state(m.w, m.stage, m.contracts)
    statuses, _ = relay(
        m.w.council.cast_wallet_ballots, [_wallet_ballot(m, m.safe.address, sig, expiry)]
    )
    assert statuses == [BAD_SIGNATURE]
    assert stage_state(m.w, m.stage, m.contracts) == before


def test_replay__signatures_for_one_safe__do_not_vote_for_its_twin(members: Members) -> None:
    """Two Safes with the same owners: what the owners signed for one cannot be
    relayed as the other's ballot (the Safe message names its Safe, the ballot its voter)."""
    m = members
    expiry = later()
    for_safe = _safe_signature(m, m.safe, _digest(m, m.safe.address, expiry=expiry), m.owners[:2])
    # the same ballot for the twin, the signatures of the first Safe's message
    twin_digest_for_safe = _safe_signature(
        m, m.safe, _digest(m, m.safe_twin.address, expiry=expiry), m.owners[:2]
    )
    before = stage_state(m.w, m.stage, m.contracts)
    statuses, _ = relay(
        m.w.council.cast_wallet_ballots,
        [
            _wallet_ballot(m, m.safe_twin.address, for_safe, expiry),
            _wallet_ballot(m, m.safe_twin.address, twin_digest_for_safe, expiry),
        ],
    )
    assert statuses == [BAD_SIGNATURE, BAD_SIGNATURE]
    assert stage_state(m.w, m.stage, m.contracts) == before


def test_safe__one_owner_of_two__is_skipped(members: Members) -> None:
    m = members
    expiry = later()
    sig = _safe_signature(m, m.safe, _digest(m, m.safe.address, expiry=expiry), m.owners[:1])
    before = stage_state(m.w, m.stage, m.contracts)
    statuses, _ = relay(
        m.w.council.cast_wallet_ballots, [_wallet_ballot(m, m.safe.address, sig, expiry)]
    )
    assert statuses == [BAD_SIGNATURE]
    assert stage_state(m.w, m.stage, m.contracts) == before


# HOSTILE ANSWERS #


def test_wallet_that_approves_anything__votes_once_and_only_as_itself(members: Members) -> None:
    """Its own ballot is its own business and counts once; it cannot vote as
    an EOA member or as another wallet (the digest names the voter)."""
    m = members
    yes, other_yes = m.yes
    expiry = later()
    own = (yes.address, m.stage, FOR, expiry, b"")
    as_node = (m.w.nodes[3].address, m.stage, FOR, expiry, b"")
    statuses, _ = relay(m.w.council.cast_wallet_ballots, [own, own, as_node])
    assert statuses == [OK, ALREADY_VOTED, BAD_SIGNATURE]
    # an ECDSA ballot carrying the wallet's "signature" for a key-held node
    forged = ballot(
        key("anyone"), m.w.council, m.stage, AGAINST, expiry, voter=m.w.nodes[4].address
    )
    assert relay(m.w.council.cast_ballots, [forged])[0] == [BAD_SIGNATURE]
    s = m.w.council.stage(m.stage)
    assert (s.votes_for, s.votes_against) == (1, 0)
    assert not m.w.council.has_voted(m.stage, other_yes.address)
    assert not m.w.council.has_voted(m.stage, m.w.nodes[3].address)


@pytest.mark.parametrize(
    "who", ["garbage", "reverts", "three_bytes"], ids=["garbage-answer", "reverts", "three-bytes"]
)
def test_hostile_wallet__bad_answer__is_skipped_and_the_batch_stands(
    members: Members, who: str
) -> None:
    m = members
    hostile = getattr(m, who)
    hostile = hostile if isinstance(hostile, str) else hostile.address
    good = (m.yes[0].address, m.stage, FOR, later(), b"")
    bad = (hostile, m.stage, FOR, later(), b"\x01" * 65)
    before_hostile = stage_state(m.w, m.stage, [hostile])
    statuses, _ = relay(m.w.council.cast_wallet_ballots, [bad, good])
    assert statuses == [BAD_SIGNATURE, OK]
    after = stage_state(m.w, m.stage, [hostile])
    assert after[2:] == before_hostile[2:]  # no receipt, seats unchanged
    assert m.w.council.stage(m.stage).votes_for == before_hostile[0].votes_for + 1
    # and through the ECDSA batch (a contract voter falls back to ERC-1271)
    signed = ballot(key("anyone"), m.w.council, m.stage, FOR, later(), voter=hostile)
    assert relay(m.w.council.cast_ballots, [signed])[0] == [BAD_SIGNATURE]


def test_return_data_bomb__read_as_its_first_word__batch_not_blown(members: Members) -> None:
    """A wallet answering the magic value and 100 kB more is read as its first
    32 bytes (an approval by that wallet); the rest costs the caller nothing."""
    m = members
    statuses, _ = relay(
        m.w.council.cast_wallet_ballots,
        [(m.bomb, m.stage, FOR, later(), b""), (m.yes[0].address, m.stage, FOR, later(), b"")],
    )
    assert statuses == [OK, OK]


def test_gas_burning_wallets__each_gets_at_most_the_cap__the_rest_of_the_batch_stands(
    members: Members,
) -> None:
    """Finding (fixed): three wallets that burn every unit of gas they are
    given, between two good ballots; with 10M gas the batch goes through,
    the burners skipped, the good ballots recorded."""
    m = members
    burners = [(b.address, m.stage, FOR, later(), b"") for b in m.burners]
    good = [(y.address, m.stage, FOR, later(), b"") for y in m.yes]
    before = stage_state(m.w, m.stage, [b.address for b in m.burners])
    with boa.env.prank(key("relayer").address):
        recorded = m.w.council.cast_wallet_ballots([good[0], *burners, good[1]], gas=10_000_000)
    assert recorded == 2
    after = stage_state(m.w, m.stage, [b.address for b in m.burners])
    assert after[2:] == before[2:]
    assert after[0].votes_for == before[0].votes_for + 2
    # each burner used what it was given and no more: the whole call stays
    # below what three uncapped burners would take from a 10M budget
    assert m.w.council._computation.get_gas_used() < 3 * MAX_WALLET_GAS + 1_000_000


def test_gas_burning_wallet__in_an_ecdsa_batch__skipped_the_rest_stands(members: Members) -> None:
    m = members
    w = m.w
    good = [ballot(n, w.council, m.stage, FOR, later()) for n in w.nodes[5:7]]
    burner = ballot(key("anyone"), w.council, m.stage, FOR, later(), voter=m.burners[0].address)
    with boa.env.prank(key("relayer").address):
        recorded = w.council.cast_ballots([good[0], burner, burner, good[1]], gas=5_000_000)
    assert recorded == 2
    assert not w.council.has_voted(m.stage, m.burners[0].address)


def test_relayer_sending_too_little_gas__cannot_get_a_good_wallet_ballot_skipped(
    members: Members,
) -> None:
    """With less gas left than a wallet may need, the relay reverts as a whole
    instead of recording the wallet's good ballot as a bad signature; the
    ballot can then be relayed with enough gas."""
    m = members
    expiry = later()
    sig = _safe_signature(m, m.safe, _digest(m, m.safe.address, expiry=expiry), m.owners[:2])
    wb = _wallet_ballot(m, m.safe.address, sig, expiry)
    before = stage_state(m.w, m.stage, m.contracts)
    with boa.reverts(TOO_LITTLE_GAS), boa.env.prank(key("relayer").address):
        m.w.council.cast_wallet_ballots([wb], gas=300_000)
    assert stage_state(m.w, m.stage, m.contracts) == before
    assert relay(m.w.council.cast_wallet_ballots, [wb])[0] == [OK]


def test_gas_burning_wallets__as_sponsors__skipped_and_good_sponsorships_stand(
    members: Members,
) -> None:
    """The same cap guards relayed sponsorships (one signature check for both)."""
    m = members
    w = m.w
    three = args([n.address for n in w.nodes[6:9]])
    motion_id = w.propose(w.nodes[1].address, REPLENISH_SUPER_ALTERNATES, three)
    boa.env.time_travel(blocks=1)
    burner = signed(
        key("anyone"), w.council, motion_id, later(), sponsor_address=m.burners[0].address
    )
    burner2 = signed(
        key("anyone"), w.council, motion_id, later(), sponsor_address=m.burners[1].address
    )
    good = signed(w.nodes[2], w.council, motion_id, later())
    approving = signed(
        key("anyone"), w.council, motion_id, later(), sponsor_address=m.yes[0].address
    )
    with boa.env.prank(key("relayer").address):
        statuses = list(
            w.council.relay_sponsorships([burner, good, burner2, approving], gas=10_000_000)
        )
    assert statuses == [BAD_SPONSOR_SIGNATURE, SPONSORED, BAD_SPONSOR_SIGNATURE, SPONSORED]
    assert not w.council.has_sponsored(motion_id, m.burners[0].address)
    assert w.council.has_sponsored(motion_id, w.nodes[2].address)


def test_malleable_copy__through_a_wallet_that_accepts_high_s__same_ballot_counted_once(
    members: Members,
) -> None:
    """The council refuses high-s itself, but a wallet's own check may not: a
    malleated copy of the owner's signature reaches the wallet, which
    approves it. It can only say what the owner signed — the same voter,
    stage and choice — so the ballot counts once and the copy is a replay."""
    m = members
    w = m.w
    owner = key("malleable-owner")
    wallet = boa.load_partial(str(MULTISIG_WALLET)).deploy([owner.address], 1)
    with boa.env.prank(w.admin):
        w.council.nominate(wallet.address, "lenient wallet", b"\x00" * 32)
    boa.env.time_travel(blocks=1)
    (stage,) = open_node_stages(w, [w.nodes[1]])
    boa.env.time_travel(blocks=1)
    expiry = later()
    good = ballot(owner, w.council, stage, FOR, expiry, voter=wallet.address)
    s = SECP256K1_N - int.from_bytes(good[6], "big")
    copy = (*good[:4], 55 - good[4], good[5], s.to_bytes(32, "big"))
    statuses, _ = relay(w.council.cast_ballots, [copy, good])
    assert statuses == [OK, ALREADY_VOTED]
    assert w.council.stage(stage).votes_for == 1
