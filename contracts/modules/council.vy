# pragma version ~=0.4.3
# pragma evm-version prague
"""
@title The council: seats, chambers, alternates, candidates and bans
@custom:contract-name council
@license GNU Affero General Public License v3.0 only
@notice Constitution §1, §3 and the seat side of §6.
        Two chambers: nodes (≤ 500) and super nodes (≤ 21, each also a
        seated node). A permanent numeric id is given to every address
        the first time it enters the alliance (as a nominated or seated
        node, or as a registered candidate), so that ballots and
        sponsorships are stored as bitmaps.
        Everything about one address lives in a single storage word (see
        MEMBER WORD below) so that a vote reads one slot for its voter.
        Each body (node chamber, super chamber, candidate pool) keeps its
        size together with its size at the start of the current block, so
        that a stage opening in this block fixes the electorate "seated
        before the block in which it opened" (§4) in O(1).
        Vacancies are filled from two ordered alternate queues; heads
        that are no longer eligible are skipped and dropped (§3).
"""


# CONSTANTS #

# @dev Chamber and body numbers (a chamber is a body that votes).
NODE: constant(uint256) = 0
SUPER: constant(uint256) = 1
POOL: constant(uint256) = 2

# @dev Seat caps (§3, fixed constitution).
MAX_NODES: constant(uint256) = 500
MAX_SUPER_NODES: constant(uint256) = 21

# @dev Reasons carried by `Unseated`.
LEFT_RESIGNED: constant(uint8) = 1
LEFT_REPLACED: constant(uint8) = 2
LEFT_FORFEITED: constant(uint8) = 3
LEFT_WITH_NODE_SEAT: constant(uint8) = 4

# @dev Reasons carried by `QueueHeadDropped`.
DROP_BANNED: constant(uint8) = 1
DROP_SEATED: constant(uint8) = 2
DROP_NOT_ELIGIBLE: constant(uint8) = 3
DROP_LEFT_QUEUE: constant(uint8) = 4

# @dev Ineligible queue heads dropped in one refill, at most; a longer run
# of them is cleared by calling `refill` again.
MAX_DROPS: constant(uint256) = 16

# MEMBER WORD: bit layout of `members[address]`.
# [0, 32)    id            permanent member id (0: none yet)
# [32, 72)   node since    block in which the node seat was taken
# [72, 112)  super since   block in which the super seat was taken
# [112, 152) node ban      timestamp until which the node chamber is barred
# [152, 192) super ban     timestamp until which the super chamber is barred
# [192, 232) cand. since   block in which the candidacy was registered
# bit 232 + c              seated in chamber c
# bit 234                  registered candidate
# [236, 240) genesis       genesis tranches claimed so far (0 to 10, §8)
ID_MASK: constant(uint256) = 2**32 - 1
U40: constant(uint256) = 2**40 - 1
SINCE_SHIFT: constant(uint256) = 32
BAN_SHIFT: constant(uint256) = 112
CAND_SINCE_SHIFT: constant(uint256) = 192
SEATED_BIT: constant(uint256) = 232
CANDIDATE_BIT: constant(uint256) = 234
GENESIS_SHIFT: constant(uint256) = 236

# BODY WORD: bit layout of `bodies[body]`.
# [0, 32)    size          members now
# [32, 64)   block size    members at the start of `changed block`
# [64, 104)  changed block last block in which the size changed
# [104, 144) last deadline latest stage deadline in this chamber
# [144, 184) stages        stages opened in this chamber so far
U32: constant(uint256) = 2**32 - 1
U128: constant(uint256) = 2**128 - 1
BLOCK_SIZE_SHIFT: constant(uint256) = 32
CHANGED_SHIFT: constant(uint256) = 64
LAST_DEADLINE_SHIFT: constant(uint256) = 104
STAGES_SHIFT: constant(uint256) = 144


# EVENTS #

event MemberIdAssigned:
    member: indexed(address)
    member_id: indexed(uint256)


event Seated:
    member: indexed(address)
    member_id: indexed(uint256)
    chamber: indexed(uint256)
    seats: uint256


event Unseated:
    member: indexed(address)
    member_id: indexed(uint256)
    chamber: indexed(uint256)
    reason: uint8
    seats: uint256


event CandidateRegistered:
    candidate: indexed(address)
    member_id: indexed(uint256)
    name: String[64]
    metadata_hash: bytes32
    pool_size: uint256


event CandidacyWithdrawn:
    candidate: indexed(address)
    member_id: indexed(uint256)
    pool_size: uint256


event Queued:
    member: indexed(address)
    chamber: indexed(uint256)
    position: uint256


event QueueHeadDropped:
    member: indexed(address)
    chamber: indexed(uint256)
    reason: uint8


event Nominated:
    member: indexed(address)
    member_id: indexed(uint256)
    name: String[64]
    metadata_hash: bytes32


event AdminChanged:
    previous: indexed(address)
    admin: indexed(address)


event GenesisClosed:
    nodes: uint256
    super_nodes: uint256


# STORAGE #

# @dev One packed word per address (MEMBER WORD layout).
members: HashMap[address, uint256]
# @dev Member id -> address, for bitmaps read back by id.
member_by_id: public(HashMap[uint256, address])
# @dev Ids given so far (the next id is this + 1).
member_count: public(uint256)
# @dev One packed word per body (BODY WORD layout).
bodies: HashMap[uint256, uint256]
# @dev Alternate queues: chamber -> position -> address.
queue: HashMap[uint256, HashMap[uint256, address]]
# @dev Each queue's ends, packed: head position (low 128 bits) and the
# position one past its tail (high 128 bits). Positions start at 1 so
# that moving the head never writes a zero slot back to non-zero.
queue_ends: HashMap[uint256, uint256]
# @dev Position of each address's live entry in a chamber's queue (0: none).
# An alternate seated by another path (a replacement motion) leaves the
# queue at once: its old entry no longer matches and is passed over.
queue_position: HashMap[uint256, HashMap[address, uint256]]
# @dev The genesis administrator (§1).
admin: public(address)
# @dev True until the genesis super-node slate is ratified (§3).
genesis_open: public(bool)


@deploy
def __init__(admin_: address):
    """
    @dev Opens the genesis phase under `admin_`.
    @param admin_ The genesis administrator.
    """
    assert admin_ != empty(address), "council: admin is the zero address"
    self.admin = admin_
    self.genesis_open = True
    self.queue_ends[NODE] = 1 | (1 << 128)
    self.queue_ends[SUPER] = 1 | (1 << 128)
    log AdminChanged(previous=empty(address), admin=admin_)


# EXTERNAL FUNCTIONS #

@external
def nominate(node: address, name: String[64], metadata_hash: bytes32):
    """
    @dev Seats `node` directly as a node (genesis phase only, §3).
    @param node The community leader's address.
    @param name The community's name.
    @param metadata_hash Hash of the community's published metadata.
    """
    assert msg.sender == self.admin, "council: only the genesis administrator nominates"
    assert self.genesis_open, "council: the genesis phase is closed; seats are filled from the alternates"
    self._seat(node, NODE)
    log Nominated(member=node, member_id=self._id(node), name=name, metadata_hash=metadata_hash)


@external
def register_candidate(name: String[64], metadata_hash: bytes32):
    """
    @dev Registers the caller's community in the candidate pool (§1).
    @param name The community's name (non-empty).
    @param metadata_hash Hash of the community's published metadata.
    """
    word: uint256 = self.members[msg.sender]
    assert not self._flag(word, CANDIDATE_BIT), "council: already a registered candidate"
    assert not self._flag(word, SEATED_BIT + NODE), "council: a seated node is not a candidate"
    assert len(name) > 0, "council: a candidate needs a name"
    word = self._with_id(msg.sender, word)
    word = self._set_field(word, CAND_SINCE_SHIFT, U40, block.number)
    word = word | (1 << CANDIDATE_BIT)
    self.members[msg.sender] = word
    self._resize(POOL, True)
    log CandidateRegistered(
        candidate=msg.sender,
        member_id=word & ID_MASK,
        name=name,
        metadata_hash=metadata_hash,
        pool_size=self._size(POOL),
    )


@external
def withdraw_candidacy():
    """
    @dev Leaves the candidate pool. A queued alternate that withdraws is
         dropped when it reaches the head of the queue.
    """
    word: uint256 = self.members[msg.sender]
    assert self._flag(word, CANDIDATE_BIT), "council: not a registered candidate"
    self.members[msg.sender] = word & ~(1 << CANDIDATE_BIT)
    if not self._flag(word, SEATED_BIT + NODE):
        self._resize(POOL, False)
    log CandidacyWithdrawn(candidate=msg.sender, member_id=word & ID_MASK, pool_size=self._size(POOL))


@external
def resign(chamber: uint256):
    """
    @dev Gives up the caller's seat in `chamber` (§3: a member may always
         resign). Leaving the node chamber leaves the super chamber too.
         The freed seat is refilled from the queue in the same transaction.
    @param chamber 0 for the node seat, 1 for the super seat.
    """
    assert chamber <= SUPER, "council: chamber is 0 (nodes) or 1 (super nodes)"
    word: uint256 = self.members[msg.sender]
    assert self._flag(word, SEATED_BIT + chamber), "council: not seated in that chamber"
    self._unseat(msg.sender, chamber, LEFT_RESIGNED)
    self._refill_after_leaving(chamber, self._flag(word, SEATED_BIT + SUPER))


@external
def refill(chamber: uint256) -> uint256:
    """
    @dev Seats queued alternates of `chamber` in order while seats are
         free (§3: anyone may seat the head of the queue).
    @param chamber 0 for nodes, 1 for super nodes.
    @return uint256 The number of alternates seated.
    """
    assert chamber <= SUPER, "council: chamber is 0 (nodes) or 1 (super nodes)"
    return self._refill(chamber, max_value(uint256))


# VIEWS #

@external
@view
def member(account: address) -> (uint256, bool, bool, bool, uint256, uint256):
    """
    @dev Returns what the council knows of `account`.
    @return (id, is node, is super node, is candidate,
             node ban end, super ban end)
    """
    word: uint256 = self.members[account]
    return (
        word & ID_MASK,
        self._flag(word, SEATED_BIT + NODE),
        self._flag(word, SEATED_BIT + SUPER),
        self._flag(word, CANDIDATE_BIT),
        self._field(word, BAN_SHIFT + NODE * 40, U40),
        self._field(word, BAN_SHIFT + SUPER * 40, U40),
    )


@external
@view
def seated_since(account: address, chamber: uint256) -> uint256:
    """
    @dev Returns the block in which `account` took its seat in `chamber`.
    @return uint256 The block number (meaningful only while seated).
    """
    return self._field(self.members[account], SINCE_SHIFT + chamber * 40, U40)


@external
@view
def is_queued(account: address, chamber: uint256) -> bool:
    """
    @dev Whether `account` waits in the alternate queue of `chamber`.
    """
    return self.queue_position[chamber][account] != 0


@external
@view
def seats(body: uint256) -> uint256:
    """
    @dev Returns the size of a body: 0 nodes, 1 super nodes, 2 candidate pool
         (registered candidates who are not seated nodes).
    """
    return self._size(body)


@external
@view
def queue_at(chamber: uint256, position: uint256) -> address:
    """
    @dev Returns the alternate at `position` of the queue of `chamber`.
    """
    return self.queue[chamber][position]


@external
@view
def queue_length(chamber: uint256) -> uint256:
    """
    @dev Returns how many alternates (eligible or not) wait in `chamber`'s queue.
    """
    ends: uint256 = self.queue_ends[chamber]
    return (ends >> 128) - (ends & U128)


@external
@view
def queue_head(chamber: uint256) -> uint256:
    """
    @dev Returns the position of the head of `chamber`'s queue (see `queue_at`).
    """
    return self.queue_ends[chamber] & U128


@external
@view
def queue_tail(chamber: uint256) -> uint256:
    """
    @dev Returns the position one past the tail of `chamber`'s queue.
    """
    return self.queue_ends[chamber] >> 128


# INTERNAL: MEMBER WORD #

@internal
@pure
def _field(word: uint256, at: uint256, mask: uint256) -> uint256:
    return (word >> at) & mask


@internal
@pure
def _set_field(word: uint256, at: uint256, mask: uint256, x: uint256) -> uint256:
    assert x <= mask, "council: value out of range"
    return (word & ~(mask << at)) | (x << at)


@internal
@pure
def _flag(word: uint256, bit: uint256) -> bool:
    return (word >> bit) & 1 == 1


@internal
@view
def _id(account: address) -> uint256:
    return self.members[account] & ID_MASK


@internal
def _with_id(account: address, word: uint256) -> uint256:
    """
    @dev Gives `account` its permanent id if it has none yet.
    @return uint256 The member word with the id set (not yet stored).
    """
    if word & ID_MASK != 0:
        return word
    new_id: uint256 = self.member_count + 1
    assert new_id <= ID_MASK, "council: member ids exhausted"
    self.member_count = new_id
    self.member_by_id[new_id] = account
    log MemberIdAssigned(member=account, member_id=new_id)
    return word | new_id


@internal
@view
def _is_banned(word: uint256, chamber: uint256) -> bool:
    return self._field(word, BAN_SHIFT + chamber * 40, U40) > block.timestamp


# INTERNAL: BODIES #

@internal
@view
def _size(body: uint256) -> uint256:
    return self.bodies[body] & U32


@internal
@view
def _electorate(body: uint256) -> uint256:
    """
    @dev The size of `body` at the start of the current block (§4: the
         electorate is the members seated before the block of opening).
    """
    word: uint256 = self.bodies[body]
    if self._field(word, CHANGED_SHIFT, U40) == block.number:
        return self._field(word, BLOCK_SIZE_SHIFT, U32)
    return word & U32


@internal
def _resize(body: uint256, grow: bool):
    """
    @dev Adds or removes one member of `body`, remembering the size the
         body had at the start of this block.
    """
    word: uint256 = self.bodies[body]
    size: uint256 = word & U32
    if self._field(word, CHANGED_SHIFT, U40) != block.number:
        word = self._set_field(word, BLOCK_SIZE_SHIFT, U32, size)
        word = self._set_field(word, CHANGED_SHIFT, U40, block.number)
    if grow:
        size += 1
    else:
        size -= 1
    self.bodies[body] = (word & ~U32) | size


# INTERNAL: SEATS #

@internal
def _seat(account: address, chamber: uint256):
    """
    @dev Seats `account` in `chamber`, enforcing caps, bans and §3.
    """
    assert account != empty(address), "council: the zero address cannot be seated"
    word: uint256 = self.members[account]
    assert not self._flag(word, SEATED_BIT + chamber), "council: already seated in that chamber"
    assert not self._is_banned(word, chamber), "council: address is banned from that chamber"
    if chamber == NODE:
        assert self._size(NODE) < MAX_NODES, "council: all 500 node seats are taken"
        if self._flag(word, CANDIDATE_BIT):
            self._resize(POOL, False)
    else:
        assert self._flag(word, SEATED_BIT + NODE), "council: a super node must be a seated node"
        assert self._size(SUPER) < MAX_SUPER_NODES, "council: all 21 super-node seats are taken"
    if self.queue_position[chamber][account] != 0:
        # a queued alternate seated by another path leaves the queue
        self.queue_position[chamber][account] = 0
    word = self._with_id(account, word)
    word = self._set_field(word, SINCE_SHIFT + chamber * 40, U40, block.number)
    word = word | (1 << (SEATED_BIT + chamber))
    self.members[account] = word
    self._resize(chamber, True)
    log Seated(member=account, member_id=word & ID_MASK, chamber=chamber, seats=self._size(chamber))


@internal
def _unseat(account: address, chamber: uint256, reason: uint8):
    """
    @dev Removes `account` from `chamber`; leaving the node chamber also
         leaves the super chamber (§3).
    """
    if chamber == NODE and self._flag(self.members[account], SEATED_BIT + SUPER):
        self._leave(account, SUPER, LEFT_WITH_NODE_SEAT)
    self._leave(account, chamber, reason)


@internal
def _leave(account: address, chamber: uint256, reason: uint8):
    word: uint256 = self.members[account]
    updated: uint256 = word & ~(1 << (SEATED_BIT + chamber))
    if chamber == NODE and self._flag(word, CANDIDATE_BIT):
        # back in the candidate pool: its membership of the pool starts now
        updated = self._set_field(updated, CAND_SINCE_SHIFT, U40, block.number)
        self._resize(POOL, True)
    self.members[account] = updated
    self._resize(chamber, False)
    log Unseated(member=account, member_id=word & ID_MASK, chamber=chamber, reason=reason, seats=self._size(chamber))


@internal
def _ban(account: address, chamber: uint256, until: uint256):
    """
    @dev Bars `account` from `chamber` until the timestamp `until` (§3).
         The caller's event (`Forfeited`) carries the ban.
    """
    self.members[account] = self._set_field(self.members[account], BAN_SHIFT + chamber * 40, U40, until)


# INTERNAL: QUEUES #

@internal
@view
def _queue_drop_reason(word: uint256, chamber: uint256) -> uint8:
    """
    @dev Why a queued address can no longer take a seat in `chamber`, or 0.
    """
    if self._flag(word, SEATED_BIT + chamber):
        return DROP_SEATED
    if self._is_banned(word, chamber):
        return DROP_BANNED
    if chamber == NODE and not self._flag(word, CANDIDATE_BIT):
        return DROP_NOT_ELIGIBLE
    if chamber == SUPER and not self._flag(word, SEATED_BIT + NODE):
        return DROP_NOT_ELIGIBLE
    return 0


@internal
def _enqueue(account: address, chamber: uint256):
    """
    @dev Appends `account` to the alternate queue of `chamber`.
    """
    word: uint256 = self.members[account]
    assert self.queue_position[chamber][account] == 0, "council: already queued as an alternate"
    assert self._queue_drop_reason(word, chamber) == 0, "council: not eligible as an alternate of that chamber"
    ends: uint256 = self.queue_ends[chamber]
    position: uint256 = ends >> 128
    self.queue[chamber][position] = account
    self.queue_position[chamber][account] = position
    self.queue_ends[chamber] = (ends & U128) | ((position + 1) << 128)
    self.members[account] = self._with_id(account, word)
    log Queued(member=account, chamber=chamber, position=position)


@internal
def _refill(chamber: uint256, limit: uint256) -> uint256:
    """
    @dev Seats up to `limit` alternates from the head of `chamber`'s queue
         while seats are free, dropping ineligible heads (at most MAX_DROPS).
    @return uint256 The number seated.
    """
    cap: uint256 = MAX_NODES
    if chamber == SUPER:
        cap = MAX_SUPER_NODES
    ends: uint256 = self.queue_ends[chamber]
    head: uint256 = ends & U128
    tail: uint256 = ends >> 128
    if head == tail:
        return 0
    seated: uint256 = 0
    drops: uint256 = 0
    for _: uint256 in range(MAX_DROPS + MAX_SUPER_NODES + 5):
        if head == tail or seated == limit or self._size(chamber) >= cap:
            break
        account: address = self.queue[chamber][head]
        reason: uint8 = DROP_LEFT_QUEUE
        if self.queue_position[chamber][account] == head:
            self.queue_position[chamber][account] = 0
            reason = self._queue_drop_reason(self.members[account], chamber)
        head += 1
        if reason != 0:
            log QueueHeadDropped(member=account, chamber=chamber, reason=reason)
            drops += 1
            if drops == MAX_DROPS:
                break
            continue
        self._seat(account, chamber)
        seated += 1
    self.queue_ends[chamber] = head | (tail << 128)
    return seated


@internal
def _refill_after_leaving(chamber: uint256, was_super: bool):
    """
    @dev After a seat in `chamber` is freed, refill it from the queue — and
         when a super node lost its node seat, its super seat too (§6).
    """
    if chamber == NODE and was_super:
        self._refill(SUPER, 1)
    self._refill(chamber, 1)
