# pragma version ~=0.4.3
# pragma evm-version prague
"""
@title Stages, ballots and attendance
@custom:contract-name ballots
@license GNU Affero General Public License v3.0 only
@notice Constitution §4 (voting arithmetic) and §6 (attendance).
        A stage is one chamber voting on one motion. When it opens it
        stores, in one packed word (see STAGE WORD), its electorate size,
        its threshold ceil(pct × electorate) (≥ 1) and its deadline, never
        earlier than the previous deadline of its chamber; later seatings
        and parameter changes cannot alter it. A stage passes the moment
        For reaches the threshold and fails the moment the threshold is out
        of reach or the deadline passes unmet; voting stays open until the
        deadline either way. Ballots are recorded as one bit per member id.
        Stage ids encode the chamber and the stage's sequence number in it:
        id = seq * 2 + chamber, seq = 1, 2, … in opening order, so that
        three consecutive stages of a chamber can be cited in O(1) to prove
        three consecutive misses (§6).
        Ballots are cast by the member's own transaction or relayed by
        anyone as EIP-712 signatures (ECDSA keys or ERC-1271 wallets, each
        wallet given at most `signatures.MAX_WALLET_GAS` to answer), many
        per transaction; a bad ballot in a batch is skipped and reported.
"""

from snekmate.utils import eip712_domain_separator
from . import council
from . import parameters
from . import signatures

uses: council
uses: parameters
uses: eip712_domain_separator


# CONSTANTS #

CHOICE_FOR: constant(uint8) = 1
CHOICE_AGAINST: constant(uint8) = 2
CHOICE_ABSTAIN: constant(uint8) = 3

# @dev Largest batch of relayed ECDSA ballots in one call.
MAX_BALLOTS: constant(uint256) = 500
# @dev Largest batch of relayed contract-wallet ballots in one call.
MAX_WALLET_BALLOTS: constant(uint256) = 16

# @dev Status codes of a ballot (0 = recorded); `BallotRejected` carries them.
OK: constant(uint8) = 0
NO_SUCH_STAGE: constant(uint8) = 1
STAGE_CLOSED: constant(uint8) = 2
NOT_SEATED: constant(uint8) = 3
SEATED_AFTER_OPENING: constant(uint8) = 4
ALREADY_VOTED: constant(uint8) = 5
BAD_CHOICE: constant(uint8) = 6
EXPIRED: constant(uint8) = 7
BAD_SIGNATURE: constant(uint8) = 8

BALLOT_TYPEHASH: constant(bytes32) = keccak256(
    "Ballot(address voter,uint256 motionId,uint256 stageId,uint8 choice,uint256 expiry)"
)

# STAGE WORD: bit layout of `stages[stage_id]`.
# [0, 32)    motion id
# [32, 72)   block in which the stage opened
# [72, 112)  deadline (timestamp; voting is open while now <= deadline)
# [112, 152) timestamp at which For reached the threshold (0: not yet)
# [152, 168) electorate size
# [168, 184) threshold
# [184, 200) For
# [200, 216) Against
# [216, 232) Abstain
U16: constant(uint256) = 2**16 - 1
U32: constant(uint256) = 2**32 - 1
U40: constant(uint256) = 2**40 - 1
OPENED_SHIFT: constant(uint256) = 32
DEADLINE_SHIFT: constant(uint256) = 72
PASSED_SHIFT: constant(uint256) = 112
ELECTORATE_SHIFT: constant(uint256) = 152
THRESHOLD_SHIFT: constant(uint256) = 168
TALLY_SHIFT: constant(uint256) = 184


# STRUCTS #

struct Ballot:
    voter: address
    stage_id: uint256
    choice: uint8
    expiry: uint256
    v: uint8
    r: bytes32
    s: bytes32


struct WalletBallot:
    voter: address
    stage_id: uint256
    choice: uint8
    expiry: uint256
    signature: Bytes[signatures.MAX_WALLET_SIGNATURE]


struct Stage:
    motion_id: uint256
    chamber: uint256
    seq: uint256
    opened_block: uint256
    deadline: uint256
    passed_at: uint256
    electorate: uint256
    threshold: uint256
    votes_for: uint256
    votes_against: uint256
    votes_abstain: uint256


# EVENTS #

event StageOpened:
    stage_id: indexed(uint256)
    motion_id: indexed(uint256)
    chamber: indexed(uint256)
    seq: uint256
    electorate: uint256
    threshold: uint256
    deadline: uint256


# @dev Lean on purpose (it is paid once per ballot): tallies are the
# count of `Voted` per choice, and `StagePassed` / `StageFailed` carry
# them at the decision; `stage()` returns them at any time.
event Voted:
    stage_id: indexed(uint256)
    voter: indexed(address)
    choice: uint8


event StagePassed:
    stage_id: indexed(uint256)
    motion_id: indexed(uint256)
    votes_for: uint256
    threshold: uint256


event StageFailed:
    stage_id: indexed(uint256)
    motion_id: indexed(uint256)
    votes_against: uint256
    votes_abstain: uint256
    threshold: uint256


event BallotRejected:
    stage_id: indexed(uint256)
    voter: indexed(address)
    index: uint256
    status: uint8


event Forfeited:
    member: indexed(address)
    member_id: indexed(uint256)
    chamber: indexed(uint256)
    first_seq: uint256
    ban_until: uint256


# STORAGE #

# @dev One packed word per stage (STAGE WORD layout).
stages: HashMap[uint256, uint256]
# @dev Ballot receipts: stage id -> member id / 256 -> bits.
voted: HashMap[uint256, HashMap[uint256, uint256]]


@deploy
def __init__():
    """
    @dev Nothing to set: stages are numbered from 1 in each chamber.
    """
    pass


# EXTERNAL FUNCTIONS #

@external
def vote(stage_id: uint256, choice: uint8):
    """
    @dev Casts the caller's ballot in a stage (own transaction).
    @param stage_id The stage (seq * 2 + chamber).
    @param choice 1 For, 2 Against, 3 Abstain.
    """
    status: uint8 = self._record(msg.sender, stage_id, self.stages[stage_id], choice, max_value(uint256))
    assert status == OK, self._reason(status)


@external
def cast_ballots(ballots: DynArray[Ballot, MAX_BALLOTS]) -> uint256:
    """
    @dev Records EIP-712 ballots signed by members and relayed by anyone.
         A ballot that cannot be recorded is skipped and reported by
         `BallotRejected` (with its index and status); the others stand.
    @param ballots The signed ballots (v, r, s of the typed-data digest).
    @return uint256 The number of ballots recorded.
    """
    recorded: uint256 = 0
    for i: uint256 in range(len(ballots), bound=MAX_BALLOTS):
        b: Ballot = ballots[i]
        stage: uint256 = self.stages[b.stage_id]
        status: uint8 = NO_SUCH_STAGE
        if stage != 0:
            status = BAD_SIGNATURE
            if signatures._signed_by(b.voter, self._digest(b.voter, stage & U32, b.stage_id, b.choice, b.expiry), b.v, b.r, b.s):
                status = self._record(b.voter, b.stage_id, stage, b.choice, b.expiry)
        if status == OK:
            recorded += 1
        else:
            log BallotRejected(stage_id=b.stage_id, voter=b.voter, index=i, status=status)
    return recorded


@external
def cast_wallet_ballots(ballots: DynArray[WalletBallot, MAX_WALLET_BALLOTS]) -> uint256:
    """
    @dev Records ballots of members that are contract wallets (ERC-1271,
         e.g. a multisig whose signature is longer than 65 bytes); bad ones
         are skipped and reported as in `cast_ballots`.
    @param ballots The ballots with each wallet's signature bytes.
    @return uint256 The number of ballots recorded.
    """
    recorded: uint256 = 0
    for i: uint256 in range(len(ballots), bound=MAX_WALLET_BALLOTS):
        b: WalletBallot = ballots[i]
        stage: uint256 = self.stages[b.stage_id]
        status: uint8 = NO_SUCH_STAGE
        if stage != 0:
            status = BAD_SIGNATURE
            if signatures._wallet_signed(b.voter, self._digest(b.voter, stage & U32, b.stage_id, b.choice, b.expiry), b.signature):
                status = self._record(b.voter, b.stage_id, stage, b.choice, b.expiry)
        if status == OK:
            recorded += 1
        else:
            log BallotRejected(stage_id=b.stage_id, voter=b.voter, index=i, status=status)
    return recorded


@external
def forfeit(member: address, chamber: uint256, first_seq: uint256):
    """
    @dev Records a forfeiture for three consecutive misses (§6): `member`
         was in the electorate of stages first_seq, first_seq + 1 and
         first_seq + 2 of `chamber`, all their deadlines have passed, and it
         voted in none. Anyone may call it; the proof never expires. The
         seat is lost, the ban of §3 starts, and the seat is refilled from
         the alternate queue in the same transaction.
    @param member The absent member.
    @param chamber 0 nodes, 1 super nodes.
    @param first_seq The sequence number of the first of the three stages.
    """
    assert chamber <= council.SUPER, "attendance: chamber is 0 (nodes) or 1 (super nodes)"
    word: uint256 = council.members[member]
    assert council._flag(word, council.SEATED_BIT + chamber), "attendance: not seated in that chamber"
    assert first_seq != 0, "attendance: stage numbers start at 1"
    member_id: uint256 = word & council.ID_MASK
    # Stages of a chamber are numbered in opening order, so opening blocks
    # and deadlines never decrease along them: seated before the first
    # opened means in all three electorates, and the third's deadline past
    # means all three are. The third existing means all three exist.
    first: uint256 = self.stages[first_seq * 2 + chamber]
    third: uint256 = self.stages[(first_seq + 2) * 2 + chamber]
    assert third != 0, "attendance: the three stages must all have opened"
    assert (third >> DEADLINE_SHIFT) & U40 < block.timestamp, "attendance: the third stage's deadline has not passed"
    since: uint256 = council._field(word, council.SINCE_SHIFT + chamber * 40, U40)
    assert since < (first >> OPENED_SHIFT) & U40, "attendance: member was not in the first stage's electorate"
    for k: uint256 in range(3):
        assert not self._has_voted((first_seq + k) * 2 + chamber, member_id), "attendance: member voted in one of the three stages"
    until: uint256 = block.timestamp
    if chamber == council.SUPER:
        until += parameters.super_ban
    else:
        until += parameters.node_ban
    council._unseat(member, chamber, council.LEFT_FORFEITED)
    council._ban(member, chamber, until)
    log Forfeited(member=member, member_id=member_id, chamber=chamber, first_seq=first_seq, ban_until=until)
    council._refill_after_leaving(chamber, council._flag(word, council.SEATED_BIT + council.SUPER))


# VIEWS #

@external
@view
def stage(stage_id: uint256) -> Stage:
    """
    @dev Returns a stage, unpacked.
    """
    return self._unpack(stage_id)


@external
@view
def stage_status(stage_id: uint256) -> uint8:
    """
    @dev 0 no such stage, 1 open, 2 passed, 3 failed (§4).
    """
    return self._status(self.stages[stage_id])


@external
@view
def has_voted(stage_id: uint256, member: address) -> bool:
    """
    @dev Whether `member` cast a ballot in the stage.
    """
    member_id: uint256 = council.members[member] & council.ID_MASK
    return member_id != 0 and self._has_voted(stage_id, member_id)


@external
@view
def stage_count(chamber: uint256) -> uint256:
    """
    @dev Stages opened so far in `chamber`; the last one has seq = this.
    """
    return council._field(council.bodies[chamber], council.STAGES_SHIFT, U40)


@external
@view
def last_deadline(chamber: uint256) -> uint256:
    """
    @dev The latest deadline of `chamber`; new stages never end earlier.
    """
    return council._field(council.bodies[chamber], council.LAST_DEADLINE_SHIFT, U40)


@external
@view
def ballot_digest(voter: address, stage_id: uint256, choice: uint8, expiry: uint256) -> bytes32:
    """
    @dev The EIP-712 digest a member signs to vote `choice` in a stage.
    """
    return self._digest(voter, self.stages[stage_id] & U32, stage_id, choice, expiry)


# INTERNAL #

@internal
@pure
def _get(word: uint256, at: uint256, mask: uint256) -> uint256:
    return (word >> at) & mask


@internal
@view
def _has_voted(stage_id: uint256, member_id: uint256) -> bool:
    return (self.voted[stage_id][member_id >> 8] >> (member_id & 255)) & 1 == 1


@internal
@view
def _status(stage: uint256) -> uint8:
    if stage == 0:
        return 0
    threshold: uint256 = self._get(stage, THRESHOLD_SHIFT, U16)
    if self._get(stage, TALLY_SHIFT, U16) >= threshold:
        return 2
    no: uint256 = self._get(stage, TALLY_SHIFT + 16, U16) + self._get(stage, TALLY_SHIFT + 32, U16)
    if no + threshold > self._get(stage, ELECTORATE_SHIFT, U16):
        return 3
    if block.timestamp > self._get(stage, DEADLINE_SHIFT, U40):
        return 3
    return 1


@internal
@view
def _unpack(stage_id: uint256) -> Stage:
    w: uint256 = self.stages[stage_id]
    return Stage(
        motion_id=w & U32,
        chamber=stage_id & 1,
        seq=stage_id >> 1,
        opened_block=self._get(w, OPENED_SHIFT, U40),
        deadline=self._get(w, DEADLINE_SHIFT, U40),
        passed_at=self._get(w, PASSED_SHIFT, U40),
        electorate=self._get(w, ELECTORATE_SHIFT, U16),
        threshold=self._get(w, THRESHOLD_SHIFT, U16),
        votes_for=self._get(w, TALLY_SHIFT, U16),
        votes_against=self._get(w, TALLY_SHIFT + 16, U16),
        votes_abstain=self._get(w, TALLY_SHIFT + 32, U16),
    )


@internal
@pure
def _threshold(pct: uint256, electorate: uint256) -> uint256:
    """
    @dev ceil(pct × electorate / 100), and at least 1 (§4).
    """
    # electorate ≤ 500 and pct ≤ 100, so nothing here can overflow.
    t: uint256 = unsafe_div(unsafe_add(unsafe_mul(pct, electorate), 99), 100)
    return max(t, 1)


@internal
def _open_stage(motion_id: uint256, chamber: uint256, pct: uint256) -> uint256:
    """
    @dev Opens a stage of `chamber` for `motion_id` and fixes its
         electorate, threshold and deadline (§4).
    @return uint256 The new stage id.
    """
    body: uint256 = council.bodies[chamber]
    electorate: uint256 = council._electorate(chamber)
    threshold: uint256 = self._threshold(pct, electorate)
    deadline: uint256 = max(
        block.timestamp + parameters.voting_period,
        council._field(body, council.LAST_DEADLINE_SHIFT, U40),
    )
    seq: uint256 = council._field(body, council.STAGES_SHIFT, U40) + 1
    body = council._set_field(body, council.LAST_DEADLINE_SHIFT, U40, deadline)
    body = council._set_field(body, council.STAGES_SHIFT, U40, seq)
    council.bodies[chamber] = body
    stage_id: uint256 = seq * 2 + chamber
    assert motion_id <= U32, "ballots: motion id out of range"
    self.stages[stage_id] = (
        motion_id
        | (block.number << OPENED_SHIFT)
        | (deadline << DEADLINE_SHIFT)
        | (electorate << ELECTORATE_SHIFT)
        | (threshold << THRESHOLD_SHIFT)
    )
    log StageOpened(
        stage_id=stage_id,
        motion_id=motion_id,
        chamber=chamber,
        seq=seq,
        electorate=electorate,
        threshold=threshold,
        deadline=deadline,
    )
    return stage_id


@internal
def _record(voter: address, stage_id: uint256, stage: uint256, choice: uint8, expiry: uint256) -> uint8:
    """
    @dev Checks and records one ballot in the stage whose word is `stage`;
         returns a status instead of reverting so that relayed batches can
         skip bad ballots. An own-transaction vote passes `expiry` = max_value(uint256);
         a relayed one must carry a real expiry (0 has expired).
         Relayed ballots have their signature checked before this is called.
    """
    if stage == 0:
        return NO_SUCH_STAGE
    if choice == 0 or choice > CHOICE_ABSTAIN:
        return BAD_CHOICE
    if block.timestamp > (stage >> DEADLINE_SHIFT) & U40:
        return STAGE_CLOSED
    if block.timestamp > expiry:
        return EXPIRED
    word: uint256 = council.members[voter]
    chamber: uint256 = stage_id & 1
    if (word >> (council.SEATED_BIT + chamber)) & 1 == 0:
        return NOT_SEATED
    # chamber ≤ 1: the shift is at most 72.
    if (word >> unsafe_add(council.SINCE_SHIFT, unsafe_mul(chamber, 40))) & U40 >= (stage >> OPENED_SHIFT) & U40:
        return SEATED_AFTER_OPENING
    member_id: uint256 = word & council.ID_MASK
    receipt_word: uint256 = self.voted[stage_id][member_id >> 8]
    bit: uint256 = 1 << (member_id & 255)
    if receipt_word & bit != 0:
        return ALREADY_VOTED
    self.voted[stage_id][member_id >> 8] = receipt_word | bit
    # 1 ≤ choice ≤ 3, so the tally field is at TALLY_SHIFT + 0, 16 or 32;
    # a tally is at most the electorate (≤ 500 < 2**16): no carry into the
    # next field.
    tally_at: uint256 = unsafe_add(TALLY_SHIFT, unsafe_mul(16, unsafe_sub(convert(choice, uint256), 1)))
    updated: uint256 = unsafe_add(stage, 1 << tally_at)
    threshold: uint256 = (updated >> THRESHOLD_SHIFT) & U16
    if choice == CHOICE_FOR:
        votes_for: uint256 = (updated >> TALLY_SHIFT) & U16
        if votes_for == threshold:
            updated = updated | (block.timestamp << PASSED_SHIFT)
            log StagePassed(stage_id=stage_id, motion_id=updated & U32, votes_for=votes_for, threshold=threshold)
    else:
        votes_against: uint256 = (updated >> (TALLY_SHIFT + 16)) & U16
        votes_abstain: uint256 = (updated >> (TALLY_SHIFT + 32)) & U16
        # Each term is < 2**16: the sum cannot overflow.
        if unsafe_add(unsafe_add(votes_against, votes_abstain), threshold) == unsafe_add((updated >> ELECTORATE_SHIFT) & U16, 1):
            log StageFailed(
                stage_id=stage_id,
                motion_id=updated & U32,
                votes_against=votes_against,
                votes_abstain=votes_abstain,
                threshold=threshold,
            )
    self.stages[stage_id] = updated
    log Voted(stage_id=stage_id, voter=voter, choice=choice)
    return OK


@internal
@view
def _digest(voter: address, motion_id: uint256, stage_id: uint256, choice: uint8, expiry: uint256) -> bytes32:
    return eip712_domain_separator._hash_typed_data_v4(
        keccak256(abi_encode(BALLOT_TYPEHASH, voter, motion_id, stage_id, choice, expiry))
    )


@internal
@pure
def _reason(status: uint8) -> String[80]:
    if status == NO_SUCH_STAGE:
        return "ballots: no such stage"
    if status == STAGE_CLOSED:
        return "ballots: the stage's deadline has passed"
    if status == NOT_SEATED:
        return "ballots: voter is not seated in the stage's chamber"
    if status == SEATED_AFTER_OPENING:
        return "ballots: voter was seated after the stage opened"
    if status == ALREADY_VOTED:
        return "ballots: voter already voted in this stage"
    if status == BAD_CHOICE:
        return "ballots: choice is 1 (for), 2 (against) or 3 (abstain)"
    if status == EXPIRED:
        return "ballots: the signed ballot has expired"
    return "ballots: bad signature"
