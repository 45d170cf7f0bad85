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
from ethereum.ercs import IERC20
from ethereum.ercs import IERC20Detailed

implements: IERC20
implements: IERC20Detailed

# snekmate's erc20 `uses` ownable; nothing of ownable is exported,
# and ownership is renounced in the constructor.
initializes: ownable
initializes: erc20[ownable := ownable]

# Deliberately not exported: `mint`, `set_minter`, `burn`, `burn_from`,
# `is_minter`, `owner`, `transfer_ownership`, `renounce_ownership` —
# minting and burning happen only through the issuer functions below.
exports: (
    erc20.totalSupply,
    erc20.balanceOf,
    erc20.allowance,
    erc20.transfer,
    erc20.approve,
    erc20.transferFrom,
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

# @dev Bucket numbers carried by `Issued`.
BUCKET_GENESIS: constant(uint8) = 0
BUCKET_MATCHED: constant(uint8) = 1


# EVENTS #

event Issued:
    bucket: indexed(uint8)
    to: indexed(address)
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


@external
def mint_genesis(to: address, amount: uint256):
    """
    @dev Mints `amount` KOL from the genesis bucket to `to`.
    @notice Only the issuer; the bucket's cumulative cap holds.
    @param to The recipient (a leader claiming a tranche).
    @param amount The amount in base units.
    """
    assert msg.sender == issuer, "token: only the issuer mints"
    issued: uint256 = self.issued_genesis + amount
    assert issued <= GENESIS_CAP, "token: genesis issuance is capped at 5,000,000 KOL"
    self.issued_genesis = issued
    erc20._mint(to, amount)
    log Issued(
        bucket=BUCKET_GENESIS,
        to=to,
        amount=amount,
        issued_bucket=issued,
        issued_total=issued + self.issued_matched,
    )


@external
def mint_matched(to: address, amount: uint256):
    """
    @dev Mints `amount` KOL from the matched bucket to `to`.
    @notice Only the issuer; the bucket's cumulative cap holds.
    @param to The recipient (the treasury's distributor escrow).
    @param amount The amount in base units.
    """
    assert msg.sender == issuer, "token: only the issuer mints"
    issued: uint256 = self.issued_matched + amount
    assert issued <= MATCHED_CAP, "token: matched issuance is capped at 16,000,000 KOL"
    self.issued_matched = issued
    erc20._mint(to, amount)
    log Issued(
        bucket=BUCKET_MATCHED,
        to=to,
        amount=amount,
        issued_bucket=issued,
        issued_total=issued + self.issued_genesis,
    )


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
