# pragma version ~=0.4.3
# pragma evm-version prague
"""
@title Co-sponsorship of motions
@custom:contract-name sponsorships
@license GNU Affero General Public License v3.0 only
@notice Constitution §4 (提议 by a percentage). Some motions must first
        gather sponsors from a body — 10% of the nodes for
        REPLENISH_SUPER_ALTERNATES, 10% of the candidate pool for
        REPLENISH_NODE_ALTERNATES — within `sponsor_window`. The body's
        size and the threshold ceil(pct × size) (≥ 1) are fixed when the
        sponsorship opens, as for a stage; only members of the body since
        before that block may sponsor, once each. Sponsorships are given by
        the member's own transaction or relayed as EIP-712 signatures.
"""

from snekmate.utils import eip712_domain_separator
from . import council
from . import parameters
from . import ballots
from . import signatures

uses: council
uses: parameters
uses: eip712_domain_separator


# CONSTANTS #

# @dev Largest batch of relayed sponsorships in one call.
MAX_SPONSORSHIPS: constant(uint256) = 100

# @dev Sponsorship statuses (0 = recorded); `SponsorshipRejected` carries them.
OK: constant(uint8) = 0
NOT_SPONSORING: constant(uint8) = 1
WINDOW_CLOSED: constant(uint8) = 2
NOT_IN_BODY: constant(uint8) = 3
JOINED_AFTER_PROPOSAL: constant(uint8) = 4
ALREADY_SPONSORED: constant(uint8) = 5
EXPIRED: constant(uint8) = 6
BAD_SIGNATURE: constant(uint8) = 7

SPONSORSHIP_TYPEHASH: constant(bytes32) = keccak256(
    "Sponsorship(address sponsor,uint256 motionId,uint256 expiry)"
)

# SPONSORSHIP WORD: bit layout of `rounds[motion_id]`.
# [0, 40)    block in which the motion was proposed
# [40, 80)   deadline (timestamp)
# [80, 120)  timestamp at which the threshold was reached (0: not yet)
# [120, 152) size of the sponsoring body
# [152, 184) threshold
# [184, 216) sponsors so far
# [216, 224) body (0 nodes, 2 candidate pool)
U32: constant(uint256) = 2**32 - 1
U40: constant(uint256) = 2**40 - 1
DEADLINE_SHIFT: constant(uint256) = 40
REACHED_SHIFT: constant(uint256) = 80
ELECTORATE_SHIFT: constant(uint256) = 120
THRESHOLD_SHIFT: constant(uint256) = 152
COUNT_SHIFT: constant(uint256) = 184
BODY_SHIFT: constant(uint256) = 216


# STRUCTS #

struct SignedSponsorship:
    sponsor: address
    motion_id: uint256
    expiry: uint256
    v: uint8
    r: bytes32
    s: bytes32


struct Sponsorship:
    body: uint256
    proposed_block: uint256
    deadline: uint256
    reached_at: uint256
    electorate: uint256
    threshold: uint256
    sponsors: uint256


# EVENTS #

event SponsorshipOpened:
    motion_id: indexed(uint256)
    body: uint256
    electorate: uint256
    threshold: uint256
    deadline: uint256


event Sponsored:
    motion_id: indexed(uint256)
    sponsor: indexed(address)
    member_id: indexed(uint256)
    sponsors: uint256


event SponsorshipReached:
    motion_id: indexed(uint256)
    sponsors: uint256
    threshold: uint256


event SponsorshipRejected:
    motion_id: indexed(uint256)
    sponsor: indexed(address)
    index: uint256
    status: uint8


# STORAGE #

# @dev One packed word per motion that needs sponsors (SPONSORSHIP WORD).
rounds: HashMap[uint256, uint256]
# @dev Sponsorship receipts: motion id -> member id / 256 -> bits.
sponsored: HashMap[uint256, HashMap[uint256, uint256]]


# EXTERNAL FUNCTIONS #

@external
def sponsor(motion_id: uint256):
    """
    @dev Co-sponsors a motion in its sponsorship window (own transaction).
    @param motion_id The motion.
    """
    status: uint8 = self._record(msg.sender, motion_id, max_value(uint256))
    assert status == OK, self._reason(status)


@external
def relay_sponsorships(items: DynArray[SignedSponsorship, MAX_SPONSORSHIPS]) -> DynArray[uint8, MAX_SPONSORSHIPS]:
    """
    @dev Records EIP-712 sponsorships relayed by anyone; a bad one is
         skipped and reported (`SponsorshipRejected`), the others stand.
    @param items The signed sponsorships.
    @return DynArray The status of each (0: recorded).
    """
    statuses: DynArray[uint8, MAX_SPONSORSHIPS] = []
    for i: uint256 in range(len(items), bound=MAX_SPONSORSHIPS):
        item: SignedSponsorship = items[i]
        status: uint8 = BAD_SIGNATURE
        if signatures._signed_by(item.sponsor, self._digest(item.sponsor, item.motion_id, item.expiry), item.v, item.r, item.s):
            status = self._record(item.sponsor, item.motion_id, item.expiry)
        if status != OK:
            log SponsorshipRejected(motion_id=item.motion_id, sponsor=item.sponsor, index=i, status=status)
        statuses.append(status)
    return statuses


# VIEWS #

@external
@view
def sponsorship(motion_id: uint256) -> Sponsorship:
    """
    @dev Returns a motion's sponsorship round, unpacked (all zero if none).
    """
    w: uint256 = self.rounds[motion_id]
    return Sponsorship(
        body=(w >> BODY_SHIFT) & 255,
        proposed_block=w & U40,
        deadline=(w >> DEADLINE_SHIFT) & U40,
        reached_at=(w >> REACHED_SHIFT) & U40,
        electorate=(w >> ELECTORATE_SHIFT) & U32,
        threshold=(w >> THRESHOLD_SHIFT) & U32,
        sponsors=(w >> COUNT_SHIFT) & U32,
    )


@external
@view
def has_sponsored(motion_id: uint256, account: address) -> bool:
    """
    @dev Whether `account` sponsored the motion.
    """
    member_id: uint256 = council.members[account] & council.ID_MASK
    return member_id != 0 and (self.sponsored[motion_id][member_id >> 8] >> (member_id & 255)) & 1 == 1


@external
@view
def sponsorship_digest(sponsor: address, motion_id: uint256, expiry: uint256) -> bytes32:
    """
    @dev The EIP-712 digest a member signs to sponsor a motion.
    """
    return self._digest(sponsor, motion_id, expiry)


# INTERNAL #

@internal
def _open(motion_id: uint256, body: uint256, pct: uint256):
    """
    @dev Opens the sponsorship round of a motion proposed in this block.
    """
    electorate: uint256 = council._electorate(body)
    threshold: uint256 = ballots._threshold(pct, electorate)
    deadline: uint256 = block.timestamp + parameters.sponsor_window
    self.rounds[motion_id] = (
        block.number
        | (deadline << DEADLINE_SHIFT)
        | (electorate << ELECTORATE_SHIFT)
        | (threshold << THRESHOLD_SHIFT)
        | (body << BODY_SHIFT)
    )
    log SponsorshipOpened(motion_id=motion_id, body=body, electorate=electorate, threshold=threshold, deadline=deadline)


@internal
@view
def _digest(sponsor: address, motion_id: uint256, expiry: uint256) -> bytes32:
    return eip712_domain_separator._hash_typed_data_v4(
        keccak256(abi_encode(SPONSORSHIP_TYPEHASH, sponsor, motion_id, expiry))
    )


@internal
def _record(sponsor: address, motion_id: uint256, expiry: uint256) -> uint8:
    """
    @dev Checks and records one sponsorship; returns a status (0: recorded).
    """
    w: uint256 = self.rounds[motion_id]
    if w == 0:
        return NOT_SPONSORING
    if block.timestamp > (w >> DEADLINE_SHIFT) & U40:
        return WINDOW_CLOSED
    if block.timestamp > expiry:
        return EXPIRED
    word: uint256 = council.members[sponsor]
    since: uint256 = 0
    if (w >> BODY_SHIFT) & 255 == council.NODE:
        if not council._flag(word, council.SEATED_BIT + council.NODE):
            return NOT_IN_BODY
        since = council._field(word, council.SINCE_SHIFT, U40)
    else:
        if not council._flag(word, council.CANDIDATE_BIT) or council._flag(word, council.SEATED_BIT + council.NODE):
            return NOT_IN_BODY
        since = council._field(word, council.CAND_SINCE_SHIFT, U40)
    if since >= w & U40:
        return JOINED_AFTER_PROPOSAL
    member_id: uint256 = word & council.ID_MASK
    receipts: uint256 = self.sponsored[motion_id][member_id >> 8]
    bit: uint256 = 1 << (member_id & 255)
    if receipts & bit != 0:
        return ALREADY_SPONSORED
    self.sponsored[motion_id][member_id >> 8] = receipts | bit
    # Sponsors never exceed the body's size (< 2**32): no carry.
    w = unsafe_add(w, 1 << COUNT_SHIFT)
    count: uint256 = (w >> COUNT_SHIFT) & U32
    threshold: uint256 = (w >> THRESHOLD_SHIFT) & U32
    log Sponsored(motion_id=motion_id, sponsor=sponsor, member_id=member_id, sponsors=count)
    if count == threshold:
        w = w | (block.timestamp << REACHED_SHIFT)
        log SponsorshipReached(motion_id=motion_id, sponsors=count, threshold=threshold)
    self.rounds[motion_id] = w
    return OK


@internal
@pure
def _reason(status: uint8) -> String[80]:
    if status == NOT_SPONSORING:
        return "sponsorships: the motion is not gathering sponsors"
    if status == WINDOW_CLOSED:
        return "sponsorships: the sponsorship window has closed"
    if status == NOT_IN_BODY:
        return "sponsorships: sponsor is not in the sponsoring body"
    if status == JOINED_AFTER_PROPOSAL:
        return "sponsorships: sponsor joined after the motion was proposed"
    if status == ALREADY_SPONSORED:
        return "sponsorships: already sponsored"
    return "sponsorships: the signed sponsorship has expired"
