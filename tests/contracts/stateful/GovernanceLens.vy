# pragma version ~=0.4.3
# pragma evm-version prague
"""
@title Read-only lens over the council and the motions engine (tests only)
@custom:contract-name GovernanceLens
@license GNU Affero General Public License v3.0 only
@notice Reads, in one call and only through the contracts' public views,
        everything the stateful test compares with its model after every
        step: seats, members, queues, stages and motions. One call instead
        of hundreds keeps the property test fast.
"""


# STRUCTS #

# @dev The layout of `ballots.Stage` (returned by `Council.stage`).
struct StageView:
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


# @dev The layout of `Motions.Motion` (returned by `Motions.motion`).
struct MotionView:
    kind: uint8
    proposer: address
    args_hash: bytes32
    created_block: uint256
    created_at: uint256
    stage1: uint256
    stage2: uint256
    notice_period: uint256
    execution_window: uint256
    closed: uint8


struct MemberRow:
    account: address
    member_id: uint256
    node: bool
    super_node: bool
    candidate: bool
    node_ban: uint256
    super_ban: uint256
    node_since: uint256
    super_since: uint256
    queued_node: bool
    queued_super: bool


struct StageRow:
    stage_id: uint256
    stage: StageView
    status: uint8


struct MotionRow:
    motion_id: uint256
    motion: MotionView
    status: uint8


struct Header:
    seats: uint256[3]
    stage_count: uint256[2]
    last_deadline: uint256[2]
    member_count: uint256
    motion_count: uint256
    admin: address
    genesis_open: bool
    # voting_period, sponsor_window, execution_window, notice_period, super_ban, node_ban
    params: uint256[6]


# INTERFACES #

interface ICouncil:
    def member(account: address) -> (uint256, bool, bool, bool, uint256, uint256): view
    def seated_since(account: address, chamber: uint256) -> uint256: view
    def is_queued(account: address, chamber: uint256) -> bool: view
    def seats(body: uint256) -> uint256: view
    def queue_at(chamber: uint256, position: uint256) -> address: view
    def queue_head(chamber: uint256) -> uint256: view
    def queue_tail(chamber: uint256) -> uint256: view
    def stage(stage_id: uint256) -> StageView: view
    def stage_status(stage_id: uint256) -> uint8: view
    def stage_count(chamber: uint256) -> uint256: view
    def last_deadline(chamber: uint256) -> uint256: view
    def member_count() -> uint256: view
    def admin() -> address: view
    def genesis_open() -> bool: view
    def voting_period() -> uint256: view
    def sponsor_window() -> uint256: view
    def execution_window() -> uint256: view
    def notice_period() -> uint256: view
    def super_ban() -> uint256: view
    def node_ban() -> uint256: view


interface IMotions:
    def motion_count() -> uint256: view
    def motion(motion_id: uint256) -> MotionView: view
    def motion_status(motion_id: uint256) -> uint8: view


# CONSTANTS #

MAX_ACCOUNTS: constant(uint256) = 128
MAX_STAGES: constant(uint256) = 1024
MAX_MOTIONS: constant(uint256) = 1024
MAX_QUEUE: constant(uint256) = 512


@external
@view
def header(council: ICouncil, motions: IMotions) -> Header:
    """
    @dev Body sizes, stage counters, ids, admin, genesis flag, parameters.
    """
    return Header(
        seats=[staticcall council.seats(0), staticcall council.seats(1), staticcall council.seats(2)],
        stage_count=[staticcall council.stage_count(0), staticcall council.stage_count(1)],
        last_deadline=[staticcall council.last_deadline(0), staticcall council.last_deadline(1)],
        member_count=staticcall council.member_count(),
        motion_count=staticcall motions.motion_count(),
        admin=staticcall council.admin(),
        genesis_open=staticcall council.genesis_open(),
        params=[
            staticcall council.voting_period(),
            staticcall council.sponsor_window(),
            staticcall council.execution_window(),
            staticcall council.notice_period(),
            staticcall council.super_ban(),
            staticcall council.node_ban(),
        ],
    )


@external
@view
def members(council: ICouncil, accounts: DynArray[address, MAX_ACCOUNTS]) -> DynArray[MemberRow, MAX_ACCOUNTS]:
    """
    @dev Everything the council says of each account: `member`, the blocks
         its seats were taken in, whether it waits in each queue.
    """
    rows: DynArray[MemberRow, MAX_ACCOUNTS] = []
    for a: address in accounts:
        member_id: uint256 = 0
        node: bool = False
        super_node: bool = False
        candidate: bool = False
        node_ban: uint256 = 0
        super_ban: uint256 = 0
        member_id, node, super_node, candidate, node_ban, super_ban = staticcall council.member(a)
        rows.append(MemberRow(
            account=a,
            member_id=member_id,
            node=node,
            super_node=super_node,
            candidate=candidate,
            node_ban=node_ban,
            super_ban=super_ban,
            node_since=staticcall council.seated_since(a, 0),
            super_since=staticcall council.seated_since(a, 1),
            queued_node=staticcall council.is_queued(a, 0),
            queued_super=staticcall council.is_queued(a, 1),
        ))
    return rows


@external
@view
def stages(council: ICouncil, stage_ids: DynArray[uint256, MAX_STAGES]) -> DynArray[StageRow, MAX_STAGES]:
    """
    @dev The given stages, each with its status.
    """
    rows: DynArray[StageRow, MAX_STAGES] = []
    for stage_id: uint256 in stage_ids:
        rows.append(StageRow(
            stage_id=stage_id,
            stage=staticcall council.stage(stage_id),
            status=staticcall council.stage_status(stage_id),
        ))
    return rows


@external
@view
def motions(motions_: IMotions, motion_ids: DynArray[uint256, MAX_MOTIONS]) -> DynArray[MotionRow, MAX_MOTIONS]:
    """
    @dev The given motions, each with its status.
    """
    rows: DynArray[MotionRow, MAX_MOTIONS] = []
    for motion_id: uint256 in motion_ids:
        rows.append(MotionRow(
            motion_id=motion_id,
            motion=staticcall motions_.motion(motion_id),
            status=staticcall motions_.motion_status(motion_id),
        ))
    return rows


@external
@view
def queue(council: ICouncil, chamber: uint256) -> DynArray[address, MAX_QUEUE]:
    """
    @dev The raw entries of `chamber`'s alternate queue, head first (an entry
         whose address has left the queue is still listed; see `is_queued`).
    """
    entries: DynArray[address, MAX_QUEUE] = []
    head: uint256 = staticcall council.queue_head(chamber)
    tail: uint256 = staticcall council.queue_tail(chamber)
    for p: uint256 in range(head, head + MAX_QUEUE, bound=MAX_QUEUE):
        if p >= tail:
            break
        entries.append(staticcall council.queue_at(chamber, p))
    return entries
