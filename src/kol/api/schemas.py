"""The API's response bodies (they make its OpenAPI document).

Amounts and other integers that may exceed 2**53 (KOL and USDT base units, uint256 motion
numbers) are decimal strings, so that a browser's JSON reader keeps them exact. Addresses are
checksummed; hashes are 0x hex; times are Unix seconds.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class ErrorBody(BaseModel):
    error: str = Field(description="What kind of error, in a few words.")
    detail: str = Field(description="What was wrong and what to do, for a person.")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="Items matching the query, over all pages.")
    limit: int
    offset: int


class Checkpoint(BaseModel):
    block_number: int
    block_hash: str | None
    block_time: int


class Seats(BaseModel):
    nodes: int
    super_nodes: int
    candidates: int
    node_alternates: int
    super_alternates: int


class Status(BaseModel):
    chain_id: int
    council: str
    motions: str
    token: str
    treasury: str | None
    start_block: int
    checkpoint: Checkpoint
    now: int = Field(description="The time the API judges deadlines by.")
    events: int
    admin: str | None
    foundation: str | None
    genesis_open: bool
    seats: Seats
    members: int
    motions_proposed: int


class ParameterOut(BaseModel):
    parameter: int
    name: str
    value: str
    changed_block: int | None


class Parameters(BaseModel):
    items: list[ParameterOut]
    foundation: str | None


class AttendanceOut(BaseModel):
    chamber: str
    since_block: int
    streak: int = Field(description="Consecutive misses up to the latest stage that closed.")
    forfeitable_from: int | None = Field(
        description="Seq of the first of three consecutive missed stages (forfeit proof)."
    )
    pending: list[int] = Field(description="Open stages in which the member has not voted.")
    stages_in_electorate: int
    ballots_cast: int
    warning: str | None


class Bans(BaseModel):
    node_until: int
    super_until: int
    node_banned: bool
    super_banned: bool


class MemberOut(BaseModel):
    address: str
    member_id: int | None
    name: str | None
    nominated: bool
    is_node: bool
    is_super: bool
    is_candidate: bool
    node_since: int | None
    super_since: int | None
    candidate_since: int | None
    bans: Bans
    attendance: list[AttendanceOut]


class TenureOut(BaseModel):
    chamber: str
    seated_block: int
    left_block: int | None
    left_reason: str | None


class ForfeitureOut(BaseModel):
    address: str
    name: str | None
    chamber: str
    first_seq: int
    ban_until: int
    block_number: int
    recorded_by: str


class QueueEntryOut(BaseModel):
    chamber: str
    position: int
    address: str
    name: str | None
    queued_block: int
    status: str
    drop_reason: str | None
    closed_block: int | None


class MemberDetail(MemberOut):
    tenures: list[TenureOut]
    forfeitures: list[ForfeitureOut]
    queue_entries: list[QueueEntryOut]


class Queues(BaseModel):
    node: list[QueueEntryOut]
    super: list[QueueEntryOut]


class BallotOut(BaseModel):
    stage_id: int
    motion_id: int
    voter: str
    name: str | None
    choice: str
    cast_at: int
    block_number: int
    tx_hash: str
    relayed_by: str | None = Field(description="The relayer, when the ballot was signed.")


class StageOut(BaseModel):
    stage_id: int
    motion_id: int
    number: int
    chamber: str
    seq: int
    electorate: int
    threshold: int
    deadline: int
    opened_block: int
    opened_at: int
    votes_for: int
    votes_against: int
    votes_abstain: int
    status: str
    passed_at: int | None
    describe: str


class StageDetail(StageOut):
    ballots: list[BallotOut]


class ElectorOut(BaseModel):
    address: str
    name: str | None
    choice: str | None


class Electorate(BaseModel):
    stage_id: int
    electorate: int
    members: list[ElectorOut]


class SponsorOut(BaseModel):
    sponsor: str
    name: str | None
    block_number: int
    relayed_by: str | None


class SponsorshipOut(BaseModel):
    body: str
    electorate: int
    threshold: int
    deadline: int
    sponsors: int
    reached_at: int | None


class SponsorshipDetail(SponsorshipOut):
    sponsor_list: list[SponsorOut]


class MotionArgsOut(BaseModel):
    accounts: list[str]
    numbers: list[str]
    hashes: list[str]
    text: str


class MotionOut(BaseModel):
    motion_id: int
    kind: int
    kind_name: str
    proposer: str
    proposer_name: str | None
    status: str
    created_block: int
    created_at: int
    stages: list[StageOut]
    sponsorship: SponsorshipOut | None


class MotionDetail(MotionOut):
    args: MotionArgsOut
    args_hash: str
    notice_period: int
    execution_window: int
    executed_at: int | None
    executor: str | None
    stage_details: list[StageDetail]
    sponsors: list[SponsorOut]


class TaskOut(BaseModel):
    task_id: int
    client: str
    kind: int
    kind_name: str
    currency: str
    fee: str
    metadata_hash: str
    state: str
    requested_at: int
    requested_block: int
    motion_id: int | None
    batch_id: int | None


class ClaimOut(BaseModel):
    block_number: int
    log_index: int
    kind: str
    batch_id: int | None
    month: int | None
    account: str
    amount: str
    claimed_at: int
    tx_hash: str
    sent_by: str


class BatchOut(BaseModel):
    batch_id: int
    motion_id: int | None
    currency: str | None
    total: str
    user_total: str
    leader_total: str
    user_claimed: str
    leader_claimed: str
    root: str
    content_hash: str | None
    uri: str | None
    user_pool: str
    leader_pool: str
    minted: bool
    opened_at: int
    list_known: bool = Field(description="Whether this API holds the batch's published list.")


class BatchDetail(BatchOut):
    claims: list[ClaimOut]
    tasks: list[int]


class LeafProof(BaseModel):
    index: int
    account: str
    role: str
    amount: str
    proof: list[str]
    claimed: bool = Field(
        description="Paid already (matched against the pool's transfers to the account)."
    )


class Proofs(BaseModel):
    batch_id: int
    root: str
    account: str
    leaves: list[LeafProof]


class ListStored(BaseModel):
    kind: str
    content_hash: str
    root: str
    leaves: int
    stored: bool = Field(description="False when the API already held this list.")


class GenesisMonthOut(BaseModel):
    month: int
    motion_id: int | None
    root: str
    content_hash: str | None
    uri: str | None
    pool: str
    released: str
    carried: str
    cum_paid: str | None
    cum_forfeited: str | None
    released_at: int
    released_block: int
    list_known: bool


class Genesis(BaseModel):
    month: int
    cum_paid: str
    cum_forfeited: str
    closed: bool
    cap: str
    months: list[GenesisMonthOut]


class EntitlementOut(BaseModel):
    month: int
    cum_paid: str
    cum_forfeited: str


class LeaderGenesis(BaseModel):
    leader: str
    name: str | None
    latest_month: int
    entitlements: list[EntitlementOut] = Field(
        description="The leader's leaf in each released month whose list the API holds."
    )
    claimed: str
    claimable: str | None = Field(
        description="Latest cumulative paid minus claimed (null: the latest list is unknown)."
    )
    proof: list[str] | None
    claims: list[ClaimOut]


class StatementOut(BaseModel):
    statement_id: int
    motion_id: int
    period_start: str
    period_end: str
    content_hash: str
    uri: str
    published_at: int
    published_block: int


class AuditOut(BaseModel):
    demand_id: int
    motion_id: int
    period_start: str
    period_end: str
    due: int
    demanded_at: int
    answered_at: int | None
    report_hash: str | None
    report_uri: str | None
    answered_overdue: bool | None
    overdue: bool = Field(description="Past due without an answer, now.")
    status: str


class BurnOut(BaseModel):
    burn_id: int
    kol_amount: str
    usdt_spent: str
    reference: str
    burned_at: int
    burned_block: int


class SpendingOut(BaseModel):
    block_number: int
    to: str
    amount: str
    memo_hash: str
    revenue_left: str
    spent_at: int


class Bucket(BaseModel):
    issued: str
    cap: str
    remaining: str


class SupplyOut(BaseModel):
    genesis: Bucket
    matched: Bucket
    issued_total: str
    total_cap: str
    burned: str
    total_supply: str
    in_pools: str = Field(description="Issued KOL waiting in distribution pools, unclaimed.")
    circulating: str = Field(description="Total supply less the pools.")


class EventOut(BaseModel):
    block_number: int
    log_index: int
    block_hash: str
    block_time: int
    tx_hash: str
    tx_from: str
    contract: str
    address: str
    name: str
    args: dict[str, Any]
