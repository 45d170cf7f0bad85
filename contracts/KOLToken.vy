# pragma version ~=0.4.3
# pragma evm-version prague
"""
@title KOL Community Alliance token
@custom:contract-name KOLToken
@license GNU Affero General Public License v3.0 only
@notice ERC-20 + EIP-2612 token of the alliance (constitution §2).
        Issuance is counted cumulatively in two buckets, genesis
        (5,000,000 KOL) and matched (16,000,000 KOL); burning never
        makes room for new issuance. Only the issuance module named
        at deployment (`issuer`, the alliance treasury) can mint, and
        only within the bucket caps; the treasury in turn mints only
        when an `ISSUE_MATCHED_BATCH` or `GENESIS_RELEASE` motion has
        been executed. Only the issuer can burn, and only tokens it
        holds (the public buyback burn of §9). There is no owner, no
        minter role, no pause: nobody can mint outside these rules.
"""

from snekmate.auth import ownable
from snekmate.tokens import erc20
from .modules import distribution
from ethereum.ercs import IERC20
from ethereum.ercs import IERC20Detailed

implements: IERC20
implements: IERC20Detailed

# snekmate's erc20 `uses` ownable; nothing of ownable is exported,
# and ownership is renounced in the constructor.
initializes: ownable
initializes: erc20[ownable := ownable]
initializes: distribution[erc20 := erc20]


interface ICouncilMembers:
    def member_word(account: address) -> uint256: view
    def take_genesis_tranches(leader: address, entitled: uint256, release_block: uint256) -> uint256: nonpayable

# Deliberately not exported: snekmate's `transfer` and `transferFrom`
# (replaced below: pools cannot receive KOL), `mint`, `set_minter`, `burn`, `burn_from`,
# `is_minter`, `owner`, `transfer_ownership`, `renounce_ownership` —
# minting and burning happen only through the issuer functions below.
exports: (
    erc20.totalSupply,
    erc20.balanceOf,
    erc20.allowance,
    erc20.approve,
    erc20.name,
    erc20.symbol,
    erc20.decimals,
    erc20.permit,
    erc20.nonces,
    erc20.DOMAIN_SEPARATOR,
    erc20.eip712Domain,
)


# CONSTANTS #

# @dev Cumulative issuance cap of the genesis bucket (§2).
GENESIS_CAP: public(constant(uint256)) = 5_000_000 * 10**18
# @dev Cumulative issuance cap of the matched bucket (§2).
MATCHED_CAP: public(constant(uint256)) = 16_000_000 * 10**18
# @dev Cumulative issuance cap of the token (§2).
TOTAL_CAP: public(constant(uint256)) = 21_000_000 * 10**18

# @dev Where the council's member word keeps the genesis tranches a
# leader has claimed (modules/council.vy, MEMBER WORD).
GENESIS_SHIFT: constant(uint256) = 236

# @dev Bucket numbers carried by `Issued`.
BUCKET_GENESIS: constant(uint8) = 0
BUCKET_MATCHED: constant(uint8) = 1


# EVENTS #

event Issued:
    bucket: indexed(uint8)
    amount: uint256
    issued_bucket: uint256
    issued_total: uint256


event Burned:
    amount: uint256
    burned_total: uint256


# STORAGE #

# @dev The only address allowed to mint and burn: the treasury.
issuer: public(immutable(address))
# @dev The council: genesis claims check that the leader is a seated node.
council: public(immutable(address))
# @dev KOL ever minted from the genesis bucket; never decreases.
issued_genesis: public(uint256)
# @dev KOL ever minted from the matched bucket; never decreases.
issued_matched: public(uint256)
# @dev KOL ever burned; never decreases.
burned_total: public(uint256)


@deploy
def __init__(issuer_: address, council_: address):
    """
    @dev Deploys the token with `issuer_` as its only issuer.
    @param issuer_ The treasury contract (it may not be deployed yet:
           the deployer passes its precomputed address).
    @param council_ The council (deployed next, at a precomputed address).
    """
    assert issuer_ != empty(address), "token: issuer is the zero address"
    assert council_ != empty(address), "token: council is the zero address"
    ownable.__init__()
    erc20.__init__("KOL Community Alliance", "KOL", 18, "KOL Community Alliance", "1")
    # snekmate grants the deployer the minter role and ownership; take both back.
    erc20.is_minter[msg.sender] = False
    ownable._transfer_ownership(empty(address))
    issuer = issuer_
    council = council_


# ISSUANCE (only the issuer; the treasury calls these when an
# ISSUE_MATCHED_BATCH or GENESIS_RELEASE motion is executed) #

@external
def open_batch(root: bytes32, user_total: uint256, leader_total: uint256, minted: bool) -> uint256:
    """
    @dev Opens a distribution batch under the Merkle root of its list: the
         80% user part and the 20% leader part go into the batch's two
         pools, minted from the matched bucket (`minted`) or, in
         circulation mode, moved from the issuer's escrowed KOL.
    @notice Only the issuer; the matched bucket's cumulative cap holds.
    @param root The OpenZeppelin standard Merkle root of the list.
    @param user_total The users' part: (user_total + leader_total) * 4 // 5.
    @param leader_total The leaders' part: the rest.
    @param minted True to mint from the matched bucket.
    @return uint256 The batch id.
    """
    assert msg.sender == issuer, "token: only the issuer opens batches"
    if not minted:
        return distribution._open_batch(root, user_total, leader_total, msg.sender)
    amount: uint256 = user_total + leader_total
    issued: uint256 = self.issued_matched + amount
    assert issued <= MATCHED_CAP, "token: matched issuance is capped at 16,000,000 KOL"
    self.issued_matched = issued
    log Issued(bucket=BUCKET_MATCHED, amount=amount, issued_bucket=issued, issued_total=issued + self.issued_genesis)
    return distribution._open_batch(root, user_total, leader_total, empty(address))


@external
def release_genesis(root: bytes32, month: uint256, amount: uint256):
    """
    @dev Releases genesis month `month`: records its cumulative-entitlement
         root and mints the tranches it newly pays into the genesis pool.
    @notice Only the issuer; the genesis bucket's cumulative cap holds.
    @param root The OpenZeppelin standard Merkle root of the month's list.
    @param month The month of the programme (1, 2, …).
    @param amount KOL newly paid this month (base units).
    """
    assert msg.sender == issuer, "token: only the issuer releases genesis months"
    issued: uint256 = self.issued_genesis + amount
    assert issued <= GENESIS_CAP, "token: genesis issuance is capped at 5,000,000 KOL"
    self.issued_genesis = issued
    if amount != 0:
        log Issued(bucket=BUCKET_GENESIS, amount=amount, issued_bucket=issued, issued_total=issued + self.issued_matched)
    distribution._open_genesis_month(root, month, amount)


# CLAIMS (anyone may send them; the KOL goes to the leaf's account) #

@external
def claim(batch_id: uint256, index: uint256, account: address, role: uint8, amount: uint256, proof: DynArray[bytes32, distribution.MAX_PROOF]):
    """
    @dev Pays leaf `index` of batch `batch_id` to its account.
    @param proof The leaf's OpenZeppelin Merkle proof.
    """
    distribution._claim(batch_id, distribution.Leaf(index=index, account=account, role=role, amount=amount), proof)


@external
def deliver(
    batch_id: uint256,
    leaves: DynArray[distribution.Leaf, distribution.MAX_DELIVERY],
    proof: DynArray[bytes32, distribution.MAX_DELIVERY],
    flags: DynArray[bool, 2 * distribution.MAX_DELIVERY],
) -> uint256:
    """
    @dev Pays many leaves of a batch in one transaction (the platform's
         automatic distribution), proven by one OpenZeppelin multiproof;
         leaves already claimed are skipped.
    @param leaves The leaves, in the multiproof's order.
    @return uint256 The number of leaves paid.
    """
    return distribution._deliver(batch_id, leaves, proof, flags)


@external
def claim_genesis(
    root: bytes32,
    month: uint256,
    release_block: uint256,
    leader: address,
    cum_paid: uint256,
    cum_forfeited: uint256,
    proof: DynArray[bytes32, distribution.MAX_PROOF],
) -> uint256:
    """
    @dev Pays a leader the genesis tranches that the latest released month
         entitles it to and that it has not claimed yet. The leader must be
         a node seated before that month's release.
    @param root The month's list root; `month` and `release_block` as
           `genesis_month(root)` returns them.
    @param cum_paid The leader's cumulative paid entitlement in that list.
    @param cum_forfeited The leader's cumulative forfeited tranches.
    @return uint256 The KOL paid.
    """
    entitled: uint256 = distribution._genesis_entitlement(root, month, leader, cum_paid, cum_forfeited, proof)
    claimed: uint256 = extcall ICouncilMembers(council).take_genesis_tranches(leader, entitled, release_block)
    amount: uint256 = (entitled - claimed) * distribution.TRANCHE
    distribution._pay_genesis(root, month, release_block, leader, amount)
    return amount


# TRANSFERS (ERC-20; KOL cannot be sent to a pool) #

@external
def transfer(to: address, amount: uint256) -> bool:
    """
    @dev ERC-20 `transfer`; a distribution pool cannot receive KOL.
    """
    assert not distribution._is_pool(to), "token: KOL cannot be sent to a distribution pool"
    erc20._transfer(msg.sender, to, amount)
    return True


@external
def transferFrom(owner: address, to: address, amount: uint256) -> bool:
    """
    @dev ERC-20 `transferFrom`; a distribution pool cannot receive KOL.
    """
    assert not distribution._is_pool(to), "token: KOL cannot be sent to a distribution pool"
    erc20._spend_allowance(owner, msg.sender, amount)
    erc20._transfer(owner, to, amount)
    return True


@external
def burn(amount: uint256):
    """
    @dev Burns `amount` KOL held by the issuer (the public buyback burn).
    @param amount The amount in base units.
    """
    assert msg.sender == issuer, "token: only the issuer burns"
    erc20._burn(msg.sender, amount)
    burned: uint256 = self.burned_total + amount
    self.burned_total = burned
    log Burned(amount=amount, burned_total=burned)


@external
@view
def issued_total() -> uint256:
    """
    @dev Returns the cumulative issuance of both buckets.
    @return uint256 issued_genesis + issued_matched (≤ 21,000,000 KOL).
    """
    return self.issued_genesis + self.issued_matched


# DISTRIBUTION VIEWS #

@external
@view
def batch_count() -> uint256:
    """
    @dev Returns the number of batches opened so far (ids 1 … count).
    """
    return distribution.batch_count


@external
@view
def batch(batch_id: uint256) -> (bytes32, address, address, uint256, uint256):
    """
    @dev Returns a batch's root, its user and leader pools and what each
         part has left to claim.
    """
    user_pool: address = distribution._batch_pool(batch_id, distribution.USER)
    leader_pool: address = distribution._batch_pool(batch_id, distribution.LEADER)
    return (
        distribution.batch_roots[batch_id],
        user_pool,
        leader_pool,
        erc20.balanceOf[user_pool],
        erc20.balanceOf[leader_pool],
    )


@external
@view
def is_claimed(batch_id: uint256, index: uint256) -> bool:
    """
    @dev Whether leaf `index` of batch `batch_id` has been paid.
    """
    if index >= distribution.MAX_INDEX:
        return False
    return (distribution.claimed_words[(batch_id << 32) | (index >> 8)] >> (index & 255)) & 1 == 1


@external
@view
def genesis_pool() -> address:
    """
    @dev Returns the pool holding the released, unclaimed genesis tranches
         (the latest month's; the zero address before month 1).
    """
    return distribution.genesis_pool


@external
@view
def genesis_month(root: bytes32) -> (uint256, uint256):
    """
    @dev Returns the month a genesis root released and the block of its
         release ((0, 0) if it is not a genesis root).
    """
    info: uint256 = distribution.genesis_months[root]
    return (info & 255, info >> 8)


@external
@view
def genesis_claimed(leader: address) -> uint256:
    """
    @dev Returns the genesis KOL a leader has claimed so far.
    """
    word: uint256 = staticcall ICouncilMembers(council).member_word(leader)
    return ((word >> GENESIS_SHIFT) & 15) * distribution.TRANCHE


@external
@view
def is_pool(account: address) -> bool:
    """
    @dev Whether `account` is a distribution pool (it cannot receive KOL).
    """
    return distribution._is_pool(account)
