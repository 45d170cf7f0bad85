# pragma version ~=0.4.3
# pragma evm-version prague
"""
@title The KOL Community Alliance council
@custom:contract-name Council
@license GNU Affero General Public License v3.0 only
@notice The chambers and everything a vote touches, in one contract so
        that a ballot costs one call: seats, candidates, alternate queues
        and bans (module `council`, §1, §3), stages, ballots and attendance
        (module `ballots`, §4, §6), co-sponsorship (module `sponsorships`,
        §4) and the parameters (module `parameters`, §10). What motions decide reaches the council only through the
        `Motions` contract (`motions`), by the functions in the section
        MOTION EFFECTS; everything else is either the member's own act
        (vote, resign, register) or permissionless (relay ballots, record
        a forfeiture, refill a seat).
"""

from snekmate.utils import eip712_domain_separator
from .modules import council
from .modules import parameters
from .modules import ballots
from .modules import sponsorships

initializes: parameters
initializes: council
initializes: eip712_domain_separator
initializes: ballots[
    council := council,
    parameters := parameters,
    eip712_domain_separator := eip712_domain_separator,
]
initializes: sponsorships[
    council := council,
    parameters := parameters,
    eip712_domain_separator := eip712_domain_separator,
]

exports: (
    # seats, candidates, queues, bans (§1, §3)
    council.nominate,
    council.register_candidate,
    council.withdraw_candidacy,
    council.resign,
    council.refill,
    council.member,
    council.seated_since,
    council.is_queued,
    council.seats,
    council.queue_at,
    council.queue_length,
    council.queue_head,
    council.queue_tail,
    council.member_by_id,
    council.member_count,
    council.admin,
    council.genesis_open,
    # stages, ballots, attendance (§4, §6)
    ballots.vote,
    ballots.cast_ballots,
    ballots.cast_wallet_ballots,
    ballots.forfeit,
    ballots.stage,
    ballots.stage_status,
    ballots.has_voted,
    ballots.stage_count,
    ballots.last_deadline,
    ballots.ballot_digest,
    # co-sponsorship of motions (§4)
    sponsorships.sponsor,
    sponsorships.relay_sponsorships,
    sponsorships.sponsorship,
    sponsorships.has_sponsored,
    sponsorships.sponsorship_digest,
    # parameters (§10)
    parameters.voting_period,
    parameters.sponsor_window,
    parameters.execution_window,
    parameters.notice_period,
    parameters.audit_due,
    parameters.kol_per_usdt,
    parameters.super_ban,
    parameters.node_ban,
    parameters.foundation,
    # EIP-712 domain of ballots and sponsorships (ERC-5267)
    eip712_domain_separator.eip712Domain,
)


# STORAGE #

# @dev The motions engine: the only caller of the MOTION EFFECTS.
motions: public(immutable(address))
# @dev The KOL token: the only caller of `take_genesis_tranches`.
token: public(immutable(address))


@deploy
def __init__(admin_: address, foundation_: address, motions_: address, token_: address):
    """
    @dev Opens the alliance in its genesis phase.
    @param admin_ The genesis administrator.
    @param foundation_ The foundation's address.
    @param motions_ The motions engine (deployed next, at a precomputed address).
    @param token_ The KOL token (deployed just before, naming this council).
    """
    assert motions_ != empty(address), "council: motions engine is the zero address"
    assert token_ != empty(address), "council: token is the zero address"
    parameters.__init__(foundation_)
    council.__init__(admin_)
    eip712_domain_separator.__init__("KOL Alliance", "1")
    ballots.__init__()
    motions = motions_
    token = token_


# GENESIS CLAIMS (§8) #

@external
def take_genesis_tranches(leader: address, entitled: uint256, release_block: uint256) -> uint256:
    """
    @dev Records that `leader` has now claimed `entitled` genesis tranches
         in all, and returns how many it had claimed before. Only nodes
         seated before the month's release receive (§8). The count lives in
         the leader's member word, which this check reads anyway. Only the
         token calls it, when a leader claims.
    @param entitled The leader's cumulative paid tranches in the month's list.
    @param release_block The block in which that month was released.
    @return uint256 Tranches claimed before this claim.
    """
    assert msg.sender == token, "council: only the token records genesis claims"
    word: uint256 = council.members[leader]
    assert (word >> (council.SEATED_BIT + council.NODE)) & 1 == 1 and (word >> council.SINCE_SHIFT) & council.U40 < release_block, "genesis: only nodes seated before the month's release receive its tranches"
    claimed: uint256 = (word >> council.GENESIS_SHIFT) & 15
    assert entitled > claimed, "genesis: this leader has already claimed every tranche this month's list pays it"
    assert entitled <= 10, "genesis: a leader receives ten tranches at most"
    council.members[leader] = (word & ~(15 << council.GENESIS_SHIFT)) | (entitled << council.GENESIS_SHIFT)
    return claimed


# RAW VIEWS FOR THE MOTIONS ENGINE #

@external
@view
def member_word(account: address) -> uint256:
    """
    @dev The packed member word of `account` (layout in module `council`).
    """
    return council.members[account]


@external
@view
def stage_word(stage_id: uint256) -> uint256:
    """
    @dev The packed stage word (layout in module `ballots`).
    """
    return ballots.stages[stage_id]


@external
@view
def sponsorship_word(motion_id: uint256) -> uint256:
    """
    @dev The packed sponsorship word (layout in module `sponsorships`).
    """
    return sponsorships.rounds[motion_id]


@external
@view
def electorate(body: uint256) -> uint256:
    """
    @dev The size `body` had at the start of this block: the electorate of
         a stage or sponsorship opened now (§4).
    """
    return council._electorate(body)


# MOTION EFFECTS #

@internal
@view
def _only_motions():
    assert msg.sender == motions, "council: only the motions engine"


@external
def open_stage(motion_id: uint256, chamber: uint256, pct: uint256) -> uint256:
    """
    @dev Opens a stage of `chamber` with threshold `pct`% for a motion.
    @return uint256 The stage id.
    """
    self._only_motions()
    return ballots._open_stage(motion_id, chamber, pct)


@external
def open_sponsorship(motion_id: uint256, body: uint256, pct: uint256):
    """
    @dev Opens the sponsorship round of a motion: `pct`% of `body`.
    """
    self._only_motions()
    sponsorships._open(motion_id, body, pct)


@external
def ratify_super_slate(accounts: DynArray[address, 32], slate: uint256):
    """
    @dev RATIFY_GENESIS_SUPER_NODES: seats accounts[:slate] as super nodes,
         queues the rest in order as super alternates, closes genesis (§3).
    """
    self._only_motions()
    for i: uint256 in range(len(accounts), bound=32):
        if i < slate:
            council._seat(accounts[i], council.SUPER)
        else:
            council._enqueue(accounts[i], council.SUPER)
    if council.genesis_open:
        council.genesis_open = False
        log council.GenesisClosed(nodes=council._size(council.NODE), super_nodes=council._size(council.SUPER))


@external
def replace(chamber: uint256, old: address, new: address):
    """
    @dev REPLACE_NODE (chamber 0) / REPLACE_SUPER_NODE (chamber 1): `old`
         leaves the chamber, `new` takes the seat; a super seat freed by a
         replaced node is refilled from the queue.
    """
    self._only_motions()
    was_super: bool = chamber == council.NODE and council._flag(council.members[old], council.SEATED_BIT + council.SUPER)
    council._unseat(old, chamber, council.LEFT_REPLACED)
    council._seat(new, chamber)
    if was_super:
        council._refill(council.SUPER, 1)


@external
def enqueue(chamber: uint256, accounts: DynArray[address, 32]):
    """
    @dev REPLENISH_*_ALTERNATES: appends `accounts` in order to the queue
         of `chamber`, then seats them while seats are free (§3).
    """
    self._only_motions()
    for a: address in accounts:
        council._enqueue(a, chamber)
    council._refill(chamber, len(accounts))


@external
def set_admin(new_admin: address):
    """
    @dev REPLACE_ADMIN: the administrator is replaced.
    """
    self._only_motions()
    log council.AdminChanged(previous=council.admin, admin=new_admin)
    council.admin = new_admin


@external
def set_parameter(parameter: uint256, new_value: uint256):
    """
    @dev SET_PARAMETERS: one checked parameter change.
    """
    self._only_motions()
    parameters._set(parameter, new_value)
