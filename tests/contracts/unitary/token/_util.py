"""Helpers shared by the token unit tests: amounts, holders, lists, issuance, state, permits.

The token is deployed by itself, an ordinary key playing its issuer (in the alliance the
treasury) and ``tests/contracts/mocks/MockCouncil.vy`` playing its council. KOL reaches an
address only the way the token allows: the issuer opens a batch whose list pays it (or
releases a genesis month that pays it) and the leaves are claimed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import boa
from eth_abi import encode
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address

from kol.domain.allocation import Allocation
from kol.domain.allocation import Leaf as ListLeaf
from kol.domain.genesis import LEAF_TYPES as GENESIS_LEAF_TYPES
from kol.domain.merkle import StandardMerkleTree
from tests.contracts.helpers import key

KOL = 10**18
TRANCHE = 1_000 * KOL
GENESIS_CAP = 5_000_000 * KOL
MATCHED_CAP = 16_000_000 * KOL
TOTAL_CAP = 21_000_000 * KOL
MAX_UINT = 2**256 - 1
MAX_INDEX = 2**32
ZERO = "0x0000000000000000000000000000000000000000"
USER, LEADER = 0, 1
BUCKET_GENESIS, BUCKET_MATCHED = 0, 1

ISSUER: str = key("token-unit:issuer").address
COUNCIL: str = key("token-unit:council").address
ALICE: LocalAccount = key("token-unit:alice")
BOB: LocalAccount = key("token-unit:bob")
CAROL: LocalAccount = key("token-unit:carol")
KEEPER: str = key("token-unit:keeper").address

# Revert reasons (KOLToken.vy, modules/distribution.vy, the council's genesis
# check mirrored by MockCouncil.vy; snekmate erc20.vy and ecdsa.vy).
ONLY_ISSUER_OPENS = "token: only the issuer opens batches"
ONLY_ISSUER_RELEASES = "token: only the issuer releases genesis months"
ONLY_ISSUER_BURNS = "token: only the issuer burns"
GENESIS_CAPPED = "token: genesis issuance is capped at 5,000,000 KOL"
MATCHED_CAPPED = "token: matched issuance is capped at 16,000,000 KOL"
TO_POOL = "token: KOL cannot be sent to a distribution pool"
NO_ROOT = "distribution: a batch needs a Merkle root"
NOTHING = "distribution: a batch distributes more than 0 KOL"
NOT_80_20 = (
    "distribution: the user part is 80% of the batch (total * 4 // 5) and the leader part the rest"
)
NO_MONTH_ROOT = "distribution: a genesis month needs a Merkle root"
MONTH_RANGE = "distribution: genesis months are numbered 1 to 255"
NO_BATCH = "distribution: no such batch"
BAD_ROLE = "distribution: a leaf's role is 0 (user) or 1 (leader)"
BAD_INDEX = "distribution: a leaf index is below 2**32"
CLAIMED = "distribution: this leaf is already claimed"
BAD_PROOF = "distribution: the proof does not prove this leaf in the batch's list"
OVER_PART = "distribution: the claims would exceed the batch's stated part (80% users, 20% leaders)"
MALFORMED = "distribution: malformed multiproof (leaves + proof != flags + 1)"
BAD_MULTIPROOF = "distribution: the multiproof does not prove these leaves in the batch's list"
NOT_TRANCHES = "genesis: entitlements are whole tranches of 1,000 KOL"
OVER_MONTHS = (
    "genesis: a leader's paid and forfeited tranches are at most 1,000 KOL a month elapsed "
    "and 10,000 KOL in all"
)
BAD_GENESIS_PROOF = (
    "genesis: the proof does not prove this leader's entitlement in the month's list"
)
NOT_A_NODE = "genesis: only nodes seated before the month's release receive its tranches"
ALL_CLAIMED = "genesis: this leader has already claimed every tranche this month's list pays it"
NOT_RELEASED = (
    "genesis: not the latest released month (claim from its list), or the claims would "
    "exceed the tranches released"
)
EXCEEDS_BALANCE = "erc20: transfer amount exceeds balance"
BURN_EXCEEDS = "erc20: burn amount exceeds balance"
TO_ZERO = "erc20: transfer to the zero address"
APPROVE_TO_ZERO = "erc20: approve to the zero address"
INSUFFICIENT_ALLOWANCE = "erc20: insufficient allowance"
EXPIRED_DEADLINE = "erc20: expired deadline"
INVALID_SIGNATURE = "erc20: invalid signature"
INVALID_S = "ecdsa: invalid signature `s` value"

SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141

BATCH_LEAF_TYPES = ("uint256", "address", "uint8", "uint256")
"""A batch leaf: (index, account, role, amount)."""

# The pool address space (modules/distribution.vy, POOLS).
POOL_TAG = 0x4B4F4C2D504F4F4C
"""The top 64 bits of every pool address: "KOL-POOL"."""
GENESIS_BIT = 2**95
"""Set in every genesis pool address, never in a batch pool's."""

MOCK_COUNCIL = Path(__file__).resolve().parents[2] / "mocks" / "MockCouncil.vy"

# Member word fields (modules/council.vy, MEMBER WORD).
SINCE_SHIFT = 32
SEATED_BIT = 232  # + chamber: 0 node, 1 super
CANDIDATE_BIT = 234
GENESIS_SHIFT = 236


def now() -> int:
    timestamp: int = boa.env.evm.patch.timestamp
    return timestamp


def block() -> int:
    number: int = boa.env.evm.patch.block_number
    return number


def events(contract: Any, name: str) -> list[Any]:
    """The decoded logs called ``name`` of ``contract``'s last call."""
    return [e for e in contract.get_logs() if type(e).__name__ == name]


def transfers(token: Any) -> list[tuple[str, str, int]]:
    """(sender, receiver, value) of the ``Transfer`` logs of the token's last call."""
    return [(str(e.sender), str(e.receiver), e.value) for e in events(token, "Transfer")]


@cache
def _mock_council() -> Any:
    return boa.load_partial(str(MOCK_COUNCIL))


def deploy_council() -> Any:
    """A fresh ``MockCouncil`` (compiled once per process)."""
    return _mock_council().deploy()


# POOLS #


def pool(number: int) -> str:
    """The pool address with ``number`` in its low 64 bits."""
    return to_checksum_address((POOL_TAG << 96 | number).to_bytes(20, "big"))


def batch_pool(batch_id: int, role: int) -> str:
    """Pool 2b holds batch b's user part, pool 2b + 1 its leader part."""
    return pool(batch_id << 1 | role)


def genesis_pool_of(root: bytes, month: int, release_block: int) -> str:
    """A genesis month's pool: "KOL-POOL", bit 95, and the low 95 bits of
    keccak256(abi.encode(root, month, block))."""
    digest = keccak(encode(["bytes32", "uint256", "uint256"], [root, month, release_block]))
    low = int.from_bytes(digest, "big") & (GENESIS_BIT - 1)
    return to_checksum_address((POOL_TAG << 96 | GENESIS_BIT | low).to_bytes(20, "big"))


# BATCHES #


def batch_tree(leaves: Sequence[tuple[int, str, int, int]]) -> StandardMerkleTree:
    """The OpenZeppelin tree of hand-written batch leaves (index, account, role, amount)."""
    return StandardMerkleTree.of(list(leaves), BATCH_LEAF_TYPES)


def proof_of(tree: StandardMerkleTree, value: Sequence[Any]) -> list[bytes]:
    return list(tree.get_proof(value))


@dataclass(frozen=True)
class Batch:
    """An opened batch and the list it committed."""

    id: int
    tree: StandardMerkleTree
    leaves: tuple[tuple[int, str, int, int], ...]

    def claim(self, token: Any, i: int, sender: str | None = None) -> None:
        """Claims leaf ``i`` (of :attr:`leaves`) with its proof."""
        value = self.leaves[i]
        with boa.env.prank(sender or KEEPER):
            token.claim(self.id, *value, proof_of(self.tree, value))


def leaf_values(allocation: Allocation) -> tuple[tuple[int, str, int, int], ...]:
    return tuple(_leaf_value(leaf) for leaf in allocation.leaves)


def _leaf_value(leaf: ListLeaf) -> tuple[int, str, int, int]:
    index, account, role, amount = leaf.value()
    return (index, str(account), role, amount)


def open_list(
    token: Any,
    leaves: Sequence[tuple[int, str, int, int]],
    user_total: int,
    leader_total: int,
    *,
    minted: bool = True,
) -> Batch:
    """The issuer opens a batch of hand-written ``leaves`` with the stated sub-totals."""
    tree = batch_tree(leaves)
    with boa.env.prank(ISSUER):
        batch_id: int = token.open_batch(tree.root, user_total, leader_total, minted)
    return Batch(batch_id, tree, tuple(leaves))


def open_allocation(token: Any, allocation: Allocation, *, minted: bool = True) -> Batch:
    """The issuer opens the batch of ``allocation`` (80/20 split, OpenZeppelin list)."""
    return open_list(
        token,
        leaf_values(allocation),
        allocation.user_total,
        allocation.leader_total,
        minted=minted,
    )


def give(token: Any, to: str, amount: int, *, minted: bool = True) -> Batch:
    """``to`` receives ``amount`` KOL: the issuer opens a batch whose list pays ``to`` as
    both its user and its leader (minted from the matched bucket, or moved from the
    issuer's own KOL), and both leaves are claimed."""
    allocation = Allocation.of(amount, [(to, "user", 1), (to, "leader", 1)])
    batch = open_allocation(token, allocation, minted=minted)
    for i in range(len(batch.leaves)):
        batch.claim(token, i)
    return batch


# GENESIS #


def member_word(
    member_id: int = 1,
    node_since: int = 0,
    *,
    node: bool = True,
    super_node: bool = False,
    candidate: bool = False,
    claimed: int = 0,
) -> int:
    """A member word (modules/council.vy, MEMBER WORD): id in bits 0-32, the node seat's
    block in bits 32-72, bit 232 + c seated in chamber c, bit 234 candidate, genesis
    tranches claimed in bits 236-240."""
    return (
        member_id
        | node_since << SINCE_SHIFT
        | int(node) << SEATED_BIT
        | int(super_node) << (SEATED_BIT + 1)
        | int(candidate) << CANDIDATE_BIT
        | claimed << GENESIS_SHIFT
    )


def seat(council: Any, leader: str, member_id: int = 1, since: int | None = None) -> None:
    """Makes ``leader`` a node seated in block ``since`` (default: the block before this one)."""
    council.set_member_word(leader, member_word(member_id, block() - 1 if since is None else since))


def genesis_tree(entitlements: Sequence[tuple[str, int, int]]) -> StandardMerkleTree:
    """A month's list: (leader, cumulative paid, cumulative forfeited) leaves."""
    return StandardMerkleTree.of(list(entitlements), GENESIS_LEAF_TYPES)


def release(token: Any, tree: StandardMerkleTree, month: int, amount: int) -> int:
    """The issuer releases ``month`` under ``tree``'s root, minting ``amount``; returns the
    release block."""
    with boa.env.prank(ISSUER):
        token.release_genesis(tree.root, month, amount)
    return block()


def claim_genesis(
    token: Any,
    tree: StandardMerkleTree,
    leader: str,
    cum_paid: int,
    cum_forfeited: int = 0,
    *,
    sender: str | None = None,
) -> int:
    """Claims ``leader``'s leaf of ``tree`` (month and block as the token recorded them)."""
    month, release_block = token.genesis_month(tree.root)
    proof = proof_of(tree, (leader, cum_paid, cum_forfeited))
    with boa.env.prank(sender or KEEPER):
        paid: int = token.claim_genesis(
            tree.root, month, release_block, leader, cum_paid, cum_forfeited, proof
        )
    return paid


def give_genesis(token: Any, council: Any, to: str, tranches: int, member_id: int = 1) -> None:
    """``to`` (seated as a node by the mock council) is paid ``tranches`` genesis tranches:
    one month listing it with that many paid (the month number large enough)."""
    seat(council, to, member_id)
    tree = genesis_tree([(to, tranches * TRANCHE, 0)])
    release(token, tree, max(tranches, 1), tranches * TRANCHE)
    claim_genesis(token, tree, to, tranches * TRANCHE)


def burn(token: Any, amount: int) -> None:
    with boa.env.prank(ISSUER):
        token.burn(amount)


# STATE #

HOLDERS: tuple[str, ...] = (ISSUER, ALICE.address, BOB.address, CAROL.address, KEEPER)
CLAIM_INDICES = tuple(range(8)) + (255, 256, MAX_INDEX - 1)


def pools(token: Any) -> list[str]:
    """Every pool that can hold KOL: each batch's two, and the latest genesis month's."""
    found = [batch_pool(b, r) for b in range(1, token.batch_count() + 1) for r in (USER, LEADER)]
    genesis = str(token.genesis_pool())
    return found + ([genesis] if genesis != ZERO else [])


def state(
    token: Any, holders: Sequence[str] = HOLDERS, roots: Sequence[bytes] = ()
) -> dict[str, Any]:
    """Everything a refused token call must leave as it was (``roots``: genesis roots to read)."""
    count = token.batch_count()
    return {
        "supply": token.totalSupply(),
        "issued": (token.issued_genesis(), token.issued_matched(), token.issued_total()),
        "burned": token.burned_total(),
        "balances": [token.balanceOf(h) for h in holders],
        "allowances": [token.allowance(o, s) for o in holders for s in holders],
        "nonces": [token.nonces(h) for h in holders],
        "batches": [token.batch(b) for b in range(count + 2)],
        "claimed": [token.is_claimed(b, i) for b in range(1, count + 1) for i in CLAIM_INDICES],
        "genesis_pool": (token.genesis_pool(), token.balanceOf(token.genesis_pool())),
        "genesis_months": [token.genesis_month(r) for r in roots],
        "genesis_claimed": [token.genesis_claimed(h) for h in holders],
        "pool_balances": [token.balanceOf(p) for p in pools(token)],
    }


@contextmanager
def reverts_unchanged(
    token: Any, reason: str | None, *, roots: Sequence[bytes] = (), extra: Any = None
) -> Iterator[None]:
    """The block reverts with exactly ``reason`` (any revert if None) and changes nothing
    (``extra``: a callable whose result must not change either)."""
    before = state(token, roots=roots), extra() if extra else None
    with boa.reverts(reason) if reason is not None else boa.reverts():
        yield
    assert (state(token, roots=roots), extra() if extra else None) == before


def check_supply(token: Any, holders: Sequence[str] = HOLDERS) -> None:
    """§11.1–2: totalSupply = issued_total − burned_total, buckets within their caps, and
    every KOL is with a holder or in a pool."""
    g, m = token.issued_genesis(), token.issued_matched()
    assert token.issued_total() == g + m <= TOTAL_CAP
    assert g <= GENESIS_CAP and m <= MATCHED_CAP
    assert token.totalSupply() == token.issued_total() - token.burned_total()
    held = sum(token.balanceOf(h) for h in holders) + sum(token.balanceOf(p) for p in pools(token))
    assert held == token.totalSupply()


# EIP-2612 #

PERMIT_TYPES = {
    "EIP712Domain": [
        {"name": "name", "type": "string"},
        {"name": "version", "type": "string"},
        {"name": "chainId", "type": "uint256"},
        {"name": "verifyingContract", "type": "address"},
    ],
    "Permit": [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ],
}


def permit_message(
    token: Any,
    owner: str,
    spender: str,
    value: int,
    deadline: int,
    *,
    nonce: int | None = None,
    verifying_contract: str | None = None,
) -> dict[str, Any]:
    """The EIP-712 typed data of a permit, domain read from ERC-5267 ``eip712Domain``."""
    d = token.eip712Domain()
    return {
        "types": PERMIT_TYPES,
        "primaryType": "Permit",
        "domain": {
            "name": d[1],
            "version": d[2],
            "chainId": d[3],
            "verifyingContract": verifying_contract or str(d[4]),
        },
        "message": {
            "owner": owner,
            "spender": spender,
            "value": value,
            "nonce": token.nonces(owner) if nonce is None else nonce,
            "deadline": deadline,
        },
    }


def sign_permit(
    signer: LocalAccount,
    token: Any,
    spender: str,
    value: int,
    deadline: int,
    *,
    owner: str | None = None,
    **forge: Any,
) -> tuple[int, bytes, bytes]:
    """(v, r, s) of ``signer``'s permit for ``owner`` (default: the signer)."""
    message = permit_message(token, owner or signer.address, spender, value, deadline, **forge)
    signed = Account.sign_typed_data(signer.key, full_message=message)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")
