"""The checks an item passes before it is queued — the council's own rules, read from the chain.

A ballot (§4) is queued only when: its stage exists and belongs to the motion signed for; the
stage's deadline and the signature's expiry have not passed; the signature is the voter's
(ECDSA with a low ``s``, ``v`` 27 or 28, never the zero address — or, for a contract wallet,
its ERC-1271 ``isValidSignature`` approves the digest, asked by an ``eth_call``); the voter was
seated in the stage's chamber before the block in which the stage opened (its electorate); and
it has not voted in that stage. A sponsorship likewise: the motion gathers sponsors, the
window is open, the signature is the sponsor's, the sponsor was in the sponsoring body before
the motion was proposed, and has not sponsored it. The council checks all of this again when
the batch lands; these checks only keep what would be skipped out of the queue and tell the
signer why, at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from eth_abi.abi import encode
from eth_keys.datatypes import Signature
from eth_keys.exceptions import BadSignature
from eth_utils.crypto import keccak
from eth_utils.exceptions import ValidationError
from web3 import Web3
from web3.exceptions import Web3Exception

from kol.alliance import Alliance, Body, Chamber
from kol.chain.rpc import ChainError, RpcBackend
from kol.domain.eip712 import ballot_digest, sponsorship_digest
from kol.relayer.items import BallotItem, Rejection, Route, SponsorshipItem

__all__ = ["Checked", "Checker", "SECP256K1_HALF_N"]

SECP256K1_HALF_N: Final = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0
"""secp256k1n / 2: a larger ``s`` is a malleable copy, refused (``signatures.vy``: MAX_S)."""
ERC1271_MAGIC: Final = bytes.fromhex("1626ba7e")
"""``isValidSignature(bytes32,bytes)``'s selector, the answer of a wallet that approves."""

# MEMBER WORD of the council (``modules/council.vy``): the fields read here.
_ID_MASK: Final = 2**32 - 1
_U40: Final = 2**40 - 1
_SINCE_SHIFT: Final = 32
_CAND_SINCE_SHIFT: Final = 192
_SEATED_BIT: Final = 232
_CANDIDATE_BIT: Final = 234
_CHAMBER: Final = {Chamber.NODE: "nodes", Chamber.SUPER: "super nodes"}


@dataclass(frozen=True)
class Checked:
    """An item that passed: how to relay it and what identifies it in its stage or motion."""

    route: Route
    motion_id: int
    dedup_key: str
    """``ballot:<stage>:<voter>`` or ``sponsorship:<motion>:<sponsor>``: one live item each."""
    deadline: int
    """The stage's deadline, or the end of the sponsorship window."""


@dataclass(frozen=True)
class _MemberWord:
    member_id: int
    seated: tuple[bool, bool]
    since: tuple[int, int]
    candidate: bool
    candidate_since: int

    @classmethod
    def of(cls, word: int) -> _MemberWord:
        return cls(
            member_id=word & _ID_MASK,
            seated=(bool(word >> _SEATED_BIT & 1), bool(word >> (_SEATED_BIT + 1) & 1)),
            since=(word >> _SINCE_SHIFT & _U40, word >> (_SINCE_SHIFT + 40) & _U40),
            candidate=bool(word >> _CANDIDATE_BIT & 1),
            candidate_since=word >> _CAND_SINCE_SHIFT & _U40,
        )


def _when(timestamp: int) -> str:
    return datetime.fromtimestamp(min(timestamp, 253_402_300_799), UTC).strftime(
        "%Y-%m-%d %H:%M:%S UTC"
    )


class Checker:
    """Checks items against one deployment's council (reads only)."""

    def __init__(self, backend: RpcBackend) -> None:
        self.backend = backend
        self.alliance = Alliance(backend)
        self.chain_id = backend.deployment.chain_id
        self.council = backend.deployment.council

    # chain reads (a ChainError is the caller's 503) ---------------------------------------

    def now(self) -> int:
        return self.alliance.now()

    def _member(self, account: str) -> _MemberWord:
        return _MemberWord.of(int(self.backend.call("council", "member_word", account)))

    def is_contract(self, account: str) -> bool:
        try:
            return bool(self.backend.w3.eth.get_code(Web3.to_checksum_address(account)))
        except Web3Exception as error:
            raise ChainError(f"reading the code of {account}: {error}") from None

    def wallet_approves(self, wallet: str, digest: bytes, signature: bytes) -> bool:
        """ERC-1271: whether the contract ``wallet`` approves ``signature`` over ``digest``."""
        data = keccak(text="isValidSignature(bytes32,bytes)")[:4] + encode(
            ["bytes32", "bytes"], [digest, signature]
        )
        params: Any = {"to": Web3.to_checksum_address(wallet), "data": data}
        try:
            answer = bytes(self.backend.w3.eth.call(params))
        except Web3Exception:
            return False  # a wallet that reverts does not approve
        return len(answer) == 32 and answer[:4] == ERC1271_MAGIC

    # the signature ------------------------------------------------------------------------

    def signed_by(self, signer: str, digest: bytes, signature: bytes, what: str) -> bool:
        """Whether ``signer`` signed ``digest``: True for a key's ECDSA signature, False for a
        contract wallet's approval (ERC-1271); otherwise :class:`Rejection` says why."""
        if int(signer, 16) == 0:
            raise Rejection(422, "bad_signature", "the zero address signs nothing")
        recovered, problem = None, ""
        if len(signature) == 65:
            r = int.from_bytes(signature[:32], "big")
            s = int.from_bytes(signature[32:64], "big")
            v = signature[64]
            if s > SECP256K1_HALF_N:
                problem = (
                    "the signature's s is in the upper half of the curve order (a malleable "
                    "high-s signature): the council refuses it; sign again with a standard wallet"
                )
            elif v not in (27, 28):
                problem = f"the signature's v is {v}; the council takes 27 or 28"
            elif r == 0 or s == 0:
                problem = "the signature's r or s is zero"
            else:
                try:
                    key = Signature(vrs=(v - 27, r, s)).recover_public_key_from_msg_hash(digest)
                    recovered = key.to_checksum_address()
                except (BadSignature, ValidationError, ValueError):
                    problem = "the signature recovers to no key"
            if recovered == signer:
                return True
        if self.is_contract(signer):
            if self.wallet_approves(signer, digest, signature):
                return False
            raise Rejection(
                422,
                "bad_signature",
                f"the contract wallet {signer} does not approve this {what} (ERC-1271 "
                "isValidSignature did not answer 0x1626ba7e)",
            )
        if problem:
            raise Rejection(422, "bad_signature", problem)
        if len(signature) != 65:
            raise Rejection(
                422,
                "bad_signature",
                f"{signer} is not a contract wallet: a key signs with 65 bytes, got "
                f"{len(signature)}",
            )
        raise Rejection(
            422,
            "bad_signature",
            f"the signature is not {signer}'s (it recovers to {recovered}): the {what} must be "
            "signed by its own key over this council's EIP-712 domain "
            f"(chain {self.chain_id}, council {self.council})",
        )

    # ballots ------------------------------------------------------------------------------

    def ballot(self, item: BallotItem, *, signed: Callable[[str], None] | None = None) -> Checked:
        """Checks a ballot; :class:`Rejection` when it cannot be recorded. ``signed`` is told
        the voter once the signature is known to be its own (the rate limit)."""
        a = self.alliance
        stage = a.stage(item.stage_id)
        if stage.motion_id == 0:
            raise Rejection(422, "no_such_stage", f"no stage {item.stage_id} has opened")
        if item.motion_id is not None and item.motion_id != stage.motion_id:
            raise Rejection(
                422,
                "wrong_motion",
                f"stage {item.stage_id} is a stage of motion {stage.motion_id}, not of motion "
                f"{item.motion_id}",
            )
        now = self.now()
        if now > stage.deadline:
            raise Rejection(
                422,
                "stage_closed",
                f"stage {item.stage_id} (motion {stage.motion_id}) closed at "
                f"{_when(stage.deadline)}: its deadline has passed",
            )
        if now > item.expiry:
            raise Rejection(
                422, "expired", f"the signed ballot expired at {_when(item.expiry)}; sign again"
            )
        digest = ballot_digest(
            chain_id=self.chain_id,
            verifying_contract=self.council,
            voter=item.voter,
            motion_id=stage.motion_id,
            stage_id=item.stage_id,
            choice=item.choice,
            expiry=item.expiry,
        )
        by_key = self.signed_by(item.voter, digest, item.signature, "ballot")
        if signed is not None:
            signed(item.voter)
        member = self._member(item.voter)
        chamber = stage.chamber
        if not member.seated[chamber]:
            raise Rejection(
                422,
                "not_in_electorate",
                f"{item.voter} is not seated among the {_CHAMBER[chamber]}: stage "
                f"{item.stage_id} is voted by the {_CHAMBER[chamber]} seated before it opened",
            )
        if member.since[chamber] >= stage.opened_block:
            raise Rejection(
                422,
                "not_in_electorate",
                f"{item.voter} took its seat in block {member.since[chamber]}, not before stage "
                f"{item.stage_id} opened (block {stage.opened_block}): it is not in that "
                "stage's electorate (§4)",
            )
        if a.has_voted(item.stage_id, item.voter):
            raise Rejection(
                409, "duplicate", f"{item.voter} has already voted in stage {item.stage_id}"
            )
        return Checked(
            route=Route.BALLOTS if by_key else Route.WALLET_BALLOTS,
            motion_id=stage.motion_id,
            dedup_key=f"ballot:{item.stage_id}:{item.voter}",
            deadline=stage.deadline,
        )

    # sponsorships -------------------------------------------------------------------------

    def sponsorship(
        self, item: SponsorshipItem, *, signed: Callable[[str], None] | None = None
    ) -> Checked:
        """Checks a sponsorship; :class:`Rejection` when it cannot be recorded (``signed``:
        as for :meth:`ballot`)."""
        round_ = self.alliance.sponsorship(item.motion_id)
        if round_ is None:
            raise Rejection(
                422,
                "not_sponsoring",
                f"motion {item.motion_id} does not gather sponsors (no such motion, or one "
                "that needs none)",
            )
        now = self.now()
        if now > round_.deadline:
            raise Rejection(
                422,
                "window_closed",
                f"the sponsorship window of motion {item.motion_id} closed at "
                f"{_when(round_.deadline)}",
            )
        if now > item.expiry:
            raise Rejection(
                422,
                "expired",
                f"the signed sponsorship expired at {_when(item.expiry)}; sign again",
            )
        digest = sponsorship_digest(
            chain_id=self.chain_id,
            verifying_contract=self.council,
            sponsor=item.sponsor,
            motion_id=item.motion_id,
            expiry=item.expiry,
        )
        self.signed_by(item.sponsor, digest, item.signature, "sponsorship")
        if signed is not None:
            signed(item.sponsor)
        member = self._member(item.sponsor)
        if round_.body == Body.NODE:
            body, inside, since = "seated nodes", member.seated[Chamber.NODE], member.since[0]
        else:
            body = "candidate pool"
            inside = member.candidate and not member.seated[Chamber.NODE]
            since = member.candidate_since
        if not inside:
            raise Rejection(
                422,
                "not_in_body",
                f"{item.sponsor} is not in the {body}, which sponsors motion {item.motion_id}",
            )
        if since >= round_.proposed_block:
            raise Rejection(
                422,
                "not_in_body",
                f"{item.sponsor} joined the {body} in block {since}, not before motion "
                f"{item.motion_id} was proposed (block {round_.proposed_block})",
            )
        if self.backend.call("council", "has_sponsored", item.motion_id, item.sponsor):
            raise Rejection(
                409,
                "duplicate",
                f"{item.sponsor} has already sponsored motion {item.motion_id}",
            )
        return Checked(
            route=Route.SPONSORSHIPS,
            motion_id=item.motion_id,
            dedup_key=f"sponsorship:{item.motion_id}:{item.sponsor}",
            deadline=round_.deadline,
        )
