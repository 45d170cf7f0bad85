"""The store's tables: the raw events (the source of truth), the indexer's checkpoint, and the
alliance's state as those events reveal it (derived, rebuilt from the events at will).

Three kinds of table:

- **Raw** — ``events`` (every log of the alliance's contracts, decoded, with its block, block
  hash, transaction, log index and the transaction's sender) and ``blocks`` (the hash of every
  block that has events, and of the checkpoint's block: what reorg detection compares with the
  chain).
- **Indexer** — ``deployment`` (which deployment this store mirrors) and ``checkpoint`` (the last
  processed block and its hash).
- **Derived** — everything else but ``published_lists``: written only by
  :mod:`kol.store.project`, deterministically, from the raw events in (block, log index) order.
  Deleting them and replaying the events gives the same rows; a reorg deletes the events above
  the fork point and replays.

``published_lists`` holds the off-chain lists (a batch's 80/20 list, a genesis month's
cumulative list) that someone gave the API; each is keyed by its content hash, which an
on-chain batch or month names, so it needs no rollback.

Every key is natural (addresses, on-chain ids, or the (block, log index) of the event that
made the row), so two stores fed the same chain hold equal rows, whatever the database.
Integers that may exceed 64 bits (token amounts, uint256 arguments) are stored as decimal text
(:class:`Uint`) so that SQLite and PostgreSQL keep them exactly.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Dialect,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

__all__ = [
    "DERIVED_TABLES",
    "AllianceState",
    "AuditDemand",
    "Ballot",
    "Base",
    "Batch",
    "Block",
    "Body",
    "Burn",
    "Checkpoint",
    "Claim",
    "DeploymentRow",
    "Event",
    "Forfeiture",
    "GenesisMonth",
    "Member",
    "Motion",
    "ParameterValue",
    "Pool",
    "PublishedList",
    "QueueEntry",
    "Spending",
    "Sponsor",
    "Sponsorship",
    "Stage",
    "Statement",
    "Supply",
    "Task",
    "Tenure",
    "Uint",
]

ADDRESS: Final = 42
HASH: Final = 66
UINT_DIGITS: Final = 78
"""Decimal digits of the largest uint256."""
URI: Final = 256


class Uint(TypeDecorator[int]):
    """An unsigned integer of up to 256 bits, stored as its decimal text (exact everywhere)."""

    impl = String(UINT_DIGITS)
    cache_ok = True

    def process_bind_param(self, value: int | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"store: a uint is a non-negative int, not {value!r}")
        return str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> int | None:
        return None if value is None else int(value)


NAMING: Final = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# RAW #


class Event(Base):
    """One log of an alliance contract, decoded: the source of truth of every derived table."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_name", "name"),
        Index("ix_events_tx_hash", "tx_hash"),
    )

    chain_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    block_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    log_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    block_hash: Mapped[str] = mapped_column(String(HASH))
    block_time: Mapped[int] = mapped_column(BigInteger)
    tx_hash: Mapped[str] = mapped_column(String(HASH))
    tx_index: Mapped[int] = mapped_column(Integer)
    tx_from: Mapped[str] = mapped_column(String(ADDRESS))
    """The transaction's sender: a ballot whose voter is someone else was relayed."""
    contract: Mapped[str] = mapped_column(String(16))
    """The deployment's key of the emitting contract: council, motions, token, treasury."""
    address: Mapped[str] = mapped_column(String(ADDRESS))
    name: Mapped[str] = mapped_column(String(64))
    args: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The decoded fields: addresses checksummed, bytes as 0x hex, integers as JSON numbers."""
    topics: Mapped[list[str]] = mapped_column(JSON)
    data: Mapped[str] = mapped_column(Text)


class Block(Base):
    """A block the store relies on (it has events, or it is the checkpoint's): its hash."""

    __tablename__ = "blocks"

    number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hash: Mapped[str] = mapped_column(String(HASH))
    timestamp: Mapped[int] = mapped_column(BigInteger)


# INDEXER #


class DeploymentRow(Base):
    """The deployment this store mirrors (one row): an indexer refuses another's store."""

    __tablename__ = "deployment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chain_id: Mapped[int] = mapped_column(Integer)
    council: Mapped[str] = mapped_column(String(ADDRESS))
    motions: Mapped[str] = mapped_column(String(ADDRESS))
    token: Mapped[str] = mapped_column(String(ADDRESS))
    treasury: Mapped[str | None] = mapped_column(String(ADDRESS))
    start_block: Mapped[int] = mapped_column(BigInteger)
    foundation: Mapped[str | None] = mapped_column(String(ADDRESS))
    """The foundation when the indexer first ran (constructors emit no event for it; a
    ``ParameterChanged`` of parameter 9 supersedes it)."""


class Checkpoint(Base):
    """The last block processed (one row), written in the same transaction as its events."""

    __tablename__ = "checkpoint"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    block_number: Mapped[int] = mapped_column(BigInteger)
    block_hash: Mapped[str | None] = mapped_column(String(HASH))
    block_time: Mapped[int] = mapped_column(BigInteger)


# DERIVED: THE COUNCIL #


class AllianceState(Base):
    """The alliance as a whole (one row)."""

    __tablename__ = "alliance_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    admin: Mapped[str | None] = mapped_column(String(ADDRESS))
    genesis_open: Mapped[bool] = mapped_column(Boolean)
    """The genesis phase (§3): open until the genesis super nodes are ratified."""
    genesis_phase_closed_block: Mapped[int | None] = mapped_column(BigInteger)
    genesis_month: Mapped[int] = mapped_column(Integer)
    genesis_cum_paid: Mapped[int] = mapped_column(Uint)
    genesis_cum_forfeited: Mapped[int] = mapped_column(Uint)
    genesis_program_closed: Mapped[bool] = mapped_column(Boolean)
    """The genesis issuance programme (§8) is closed."""
    member_count: Mapped[int] = mapped_column(Integer)
    motion_count: Mapped[int] = mapped_column(Integer)


class Body(Base):
    """A body of the council: 0 nodes, 1 super nodes, 2 the candidate pool."""

    __tablename__ = "bodies"

    body: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    size: Mapped[int] = mapped_column(Integer)
    stages: Mapped[int] = mapped_column(Integer)
    """Stages opened in this chamber so far (the last one's seq)."""
    last_deadline: Mapped[int] = mapped_column(BigInteger)


class ParameterValue(Base):
    """A parameter of §10: its default until a ``SET_PARAMETERS`` motion changes it."""

    __tablename__ = "parameters"

    parameter: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(32))
    value: Mapped[int] = mapped_column(Uint)
    changed_block: Mapped[int | None] = mapped_column(BigInteger)


class Member(Base):
    """An address the council knows: a member id, a name, seats, candidacy, bans."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("member_id"),)

    address: Mapped[str] = mapped_column(String(ADDRESS), primary_key=True)
    member_id: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(String(64))
    metadata_hash: Mapped[str | None] = mapped_column(String(HASH))
    nominated: Mapped[bool] = mapped_column(Boolean)
    is_node: Mapped[bool] = mapped_column(Boolean)
    is_super: Mapped[bool] = mapped_column(Boolean)
    is_candidate: Mapped[bool] = mapped_column(Boolean)
    node_since: Mapped[int | None] = mapped_column(BigInteger)
    """Block of the current node seat (None when not seated)."""
    super_since: Mapped[int | None] = mapped_column(BigInteger)
    candidate_since: Mapped[int | None] = mapped_column(BigInteger)
    node_ban_until: Mapped[int] = mapped_column(BigInteger)
    """Timestamp until which the node chamber is barred (0: never banned)."""
    super_ban_until: Mapped[int] = mapped_column(BigInteger)
    first_block: Mapped[int] = mapped_column(BigInteger)


class Tenure(Base):
    """One seat held: who, which chamber, from which block, until which block and why."""

    __tablename__ = "tenures"
    __table_args__ = (Index("ix_tenures_address", "address"),)

    chamber: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seated_block: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    seated_log: Mapped[int] = mapped_column(Integer, primary_key=True)
    address: Mapped[str] = mapped_column(String(ADDRESS))
    left_block: Mapped[int | None] = mapped_column(BigInteger)
    left_reason: Mapped[int | None] = mapped_column(Integer)
    """1 resigned, 2 replaced, 3 forfeited, 4 left with the node seat."""


class QueueEntry(Base):
    """A place in an alternate queue (§3): waiting, then seated or dropped."""

    __tablename__ = "queue_entries"

    chamber: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    address: Mapped[str] = mapped_column(String(ADDRESS))
    queued_block: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    """``waiting``, ``seated`` or ``dropped``."""
    drop_reason: Mapped[int | None] = mapped_column(Integer)
    """1 banned, 2 already seated, 3 no longer eligible."""
    closed_block: Mapped[int | None] = mapped_column(BigInteger)


class Forfeiture(Base):
    """A seat forfeited for three consecutive misses (§6) and the ban it started."""

    __tablename__ = "forfeitures"

    block_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    log_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    address: Mapped[str] = mapped_column(String(ADDRESS))
    member_id: Mapped[int] = mapped_column(Integer)
    chamber: Mapped[int] = mapped_column(Integer)
    first_seq: Mapped[int] = mapped_column(BigInteger)
    ban_until: Mapped[int] = mapped_column(BigInteger)
    tx_from: Mapped[str] = mapped_column(String(ADDRESS))


# DERIVED: MOTIONS, STAGES, BALLOTS #


class Motion(Base):
    """A motion (§5) as proposed, with its stages' ids and how it ended."""

    __tablename__ = "motions"

    motion_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[int] = mapped_column(Integer)
    proposer: Mapped[str] = mapped_column(String(ADDRESS))
    args_hash: Mapped[str] = mapped_column(String(HASH))
    args: Mapped[dict[str, Any]] = mapped_column(JSON)
    """accounts, numbers (decimal strings), hashes, text."""
    created_block: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[int] = mapped_column(BigInteger)
    notice_period: Mapped[int] = mapped_column(BigInteger)
    execution_window: Mapped[int] = mapped_column(BigInteger)
    stage1: Mapped[int | None] = mapped_column(BigInteger)
    stage2: Mapped[int | None] = mapped_column(BigInteger)
    executed_block: Mapped[int | None] = mapped_column(BigInteger)
    executed_at: Mapped[int | None] = mapped_column(BigInteger)
    executor: Mapped[str | None] = mapped_column(String(ADDRESS))
    closed_status: Mapped[int | None] = mapped_column(Integer)
    """4 executed, 5 failed, 6 lapsed (closed by ``close``); None while not closed."""
    tx_hash: Mapped[str] = mapped_column(String(HASH))


class Sponsorship(Base):
    """A motion's co-sponsorship round (§4)."""

    __tablename__ = "sponsorships"

    motion_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    body: Mapped[int] = mapped_column(Integer)
    electorate: Mapped[int] = mapped_column(Integer)
    threshold: Mapped[int] = mapped_column(Integer)
    deadline: Mapped[int] = mapped_column(BigInteger)
    opened_block: Mapped[int] = mapped_column(BigInteger)
    sponsors: Mapped[int] = mapped_column(Integer)
    reached_at: Mapped[int | None] = mapped_column(BigInteger)
    reached_block: Mapped[int | None] = mapped_column(BigInteger)


class Sponsor(Base):
    """One co-sponsorship, given by the sponsor's own transaction or relayed."""

    __tablename__ = "sponsors"

    motion_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    sponsor: Mapped[str] = mapped_column(String(ADDRESS), primary_key=True)
    member_id: Mapped[int] = mapped_column(Integer)
    block_number: Mapped[int] = mapped_column(BigInteger)
    log_index: Mapped[int] = mapped_column(Integer)
    tx_hash: Mapped[str] = mapped_column(String(HASH))
    relayer: Mapped[str | None] = mapped_column(String(ADDRESS))
    """Who sent the transaction when it was not the sponsor (None: the sponsor's own)."""


class Stage(Base):
    """One chamber voting on one motion (§4): what it fixed when it opened, and its tallies."""

    __tablename__ = "stages"
    __table_args__ = (
        Index("ix_stages_motion_id", "motion_id"),
        UniqueConstraint("chamber", "seq"),
    )

    stage_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    motion_id: Mapped[int] = mapped_column(BigInteger)
    number: Mapped[int] = mapped_column(Integer)
    """1 or 2: the stage's place in its motion."""
    chamber: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(BigInteger)
    electorate: Mapped[int] = mapped_column(Integer)
    threshold: Mapped[int] = mapped_column(Integer)
    deadline: Mapped[int] = mapped_column(BigInteger)
    opened_block: Mapped[int] = mapped_column(BigInteger)
    opened_at: Mapped[int] = mapped_column(BigInteger)
    votes_for: Mapped[int] = mapped_column(Integer)
    votes_against: Mapped[int] = mapped_column(Integer)
    votes_abstain: Mapped[int] = mapped_column(Integer)
    passed_at: Mapped[int | None] = mapped_column(BigInteger)
    passed_block: Mapped[int | None] = mapped_column(BigInteger)
    failed_block: Mapped[int | None] = mapped_column(BigInteger)
    """Block in which the threshold went out of reach (a deadline failure has no event)."""


class Ballot(Base):
    """One member's ballot in one stage: the choice, and whether it was relayed."""

    __tablename__ = "ballots"
    __table_args__ = (Index("ix_ballots_voter", "voter"),)

    stage_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    voter: Mapped[str] = mapped_column(String(ADDRESS), primary_key=True)
    motion_id: Mapped[int] = mapped_column(BigInteger)
    choice: Mapped[int] = mapped_column(Integer)
    """1 For, 2 Against, 3 Abstain."""
    block_number: Mapped[int] = mapped_column(BigInteger)
    log_index: Mapped[int] = mapped_column(Integer)
    cast_at: Mapped[int] = mapped_column(BigInteger)
    tx_hash: Mapped[str] = mapped_column(String(HASH))
    relayer: Mapped[str | None] = mapped_column(String(ADDRESS))
    """Who sent the transaction when it was not the voter (None: the voter's own)."""


# DERIVED: THE ECONOMY #


class Task(Base):
    """A client's service task and its escrowed fee (§7)."""

    __tablename__ = "tasks"

    task_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    client: Mapped[str] = mapped_column(String(ADDRESS))
    kind: Mapped[int] = mapped_column(Integer)
    currency: Mapped[int] = mapped_column(Integer)
    """0 USDT, 1 KOL (circulation mode)."""
    fee: Mapped[int] = mapped_column(Uint)
    metadata_hash: Mapped[str] = mapped_column(String(HASH))
    state: Mapped[int] = mapped_column(Integer)
    """1 requested, 2 approved, 3 refunded, 4 matched."""
    requested_block: Mapped[int] = mapped_column(BigInteger)
    requested_at: Mapped[int] = mapped_column(BigInteger)
    motion_id: Mapped[int | None] = mapped_column(BigInteger)
    batch_id: Mapped[int | None] = mapped_column(BigInteger)
    settled_block: Mapped[int | None] = mapped_column(BigInteger)
    """Block of the last change of state."""


class Batch(Base):
    """A distribution batch (§7): its list's root and hash, its parts, what has been claimed."""

    __tablename__ = "batches"

    batch_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    motion_id: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[int | None] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Uint)
    user_total: Mapped[int] = mapped_column(Uint)
    leader_total: Mapped[int] = mapped_column(Uint)
    root: Mapped[str] = mapped_column(String(HASH))
    content_hash: Mapped[str | None] = mapped_column(String(HASH))
    uri: Mapped[str | None] = mapped_column(String(URI))
    user_pool: Mapped[str] = mapped_column(String(ADDRESS))
    leader_pool: Mapped[str] = mapped_column(String(ADDRESS))
    minted: Mapped[bool] = mapped_column(Boolean)
    opened_block: Mapped[int] = mapped_column(BigInteger)
    opened_at: Mapped[int] = mapped_column(BigInteger)
    user_claimed: Mapped[int] = mapped_column(Uint)
    leader_claimed: Mapped[int] = mapped_column(Uint)


class GenesisMonth(Base):
    """A released genesis month (§8): its cumulative list and its pool."""

    __tablename__ = "genesis_months"

    month: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    motion_id: Mapped[int | None] = mapped_column(BigInteger)
    root: Mapped[str] = mapped_column(String(HASH))
    content_hash: Mapped[str | None] = mapped_column(String(HASH))
    uri: Mapped[str | None] = mapped_column(String(URI))
    pool: Mapped[str] = mapped_column(String(ADDRESS))
    released: Mapped[int] = mapped_column(Uint)
    """KOL minted by this month's release."""
    carried: Mapped[int] = mapped_column(Uint)
    """Unclaimed KOL moved into this month's pool from the previous one."""
    cum_paid: Mapped[int | None] = mapped_column(Uint)
    cum_forfeited: Mapped[int | None] = mapped_column(Uint)
    released_block: Mapped[int] = mapped_column(BigInteger)
    released_at: Mapped[int] = mapped_column(BigInteger)


class Pool(Base):
    """A distribution pool of the token (a batch part, or a genesis month) and its balance."""

    __tablename__ = "pools"

    address: Mapped[str] = mapped_column(String(ADDRESS), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    """``user``, ``leader`` or ``genesis``."""
    batch_id: Mapped[int | None] = mapped_column(BigInteger)
    month: Mapped[int | None] = mapped_column(Integer)
    balance: Mapped[int] = mapped_column(Uint)


class Claim(Base):
    """KOL paid out of a pool to a recipient (a claim, or the keeper's delivery)."""

    __tablename__ = "claims"
    __table_args__ = (Index("ix_claims_account", "account"),)

    block_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    log_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    pool: Mapped[str] = mapped_column(String(ADDRESS))
    kind: Mapped[str] = mapped_column(String(8))
    batch_id: Mapped[int | None] = mapped_column(BigInteger)
    month: Mapped[int | None] = mapped_column(Integer)
    account: Mapped[str] = mapped_column(String(ADDRESS))
    amount: Mapped[int] = mapped_column(Uint)
    claimed_at: Mapped[int] = mapped_column(BigInteger)
    tx_hash: Mapped[str] = mapped_column(String(HASH))
    tx_from: Mapped[str] = mapped_column(String(ADDRESS))


class Statement(Base):
    """A financial statement published by a ``PUBLISH_STATEMENT`` motion (§5)."""

    __tablename__ = "statements"

    statement_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    motion_id: Mapped[int] = mapped_column(BigInteger)
    period_start: Mapped[int] = mapped_column(Uint)
    period_end: Mapped[int] = mapped_column(Uint)
    content_hash: Mapped[str] = mapped_column(String(HASH))
    uri: Mapped[str] = mapped_column(String(URI))
    published_block: Mapped[int] = mapped_column(BigInteger)
    published_at: Mapped[int] = mapped_column(BigInteger)


class AuditDemand(Base):
    """A public-audit demand on the foundation (§5) and its answer."""

    __tablename__ = "audit_demands"

    demand_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    motion_id: Mapped[int] = mapped_column(BigInteger)
    period_start: Mapped[int] = mapped_column(Uint)
    period_end: Mapped[int] = mapped_column(Uint)
    due: Mapped[int] = mapped_column(BigInteger)
    demanded_block: Mapped[int] = mapped_column(BigInteger)
    demanded_at: Mapped[int] = mapped_column(BigInteger)
    answered_at: Mapped[int | None] = mapped_column(BigInteger)
    answered_block: Mapped[int | None] = mapped_column(BigInteger)
    report_hash: Mapped[str | None] = mapped_column(String(HASH))
    report_uri: Mapped[str | None] = mapped_column(String(URI))
    answered_overdue: Mapped[bool | None] = mapped_column(Boolean)


class Burn(Base):
    """A public buyback burn (§9)."""

    __tablename__ = "burns"

    burn_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kol_amount: Mapped[int] = mapped_column(Uint)
    usdt_spent: Mapped[int] = mapped_column(Uint)
    reference: Mapped[str] = mapped_column(String(HASH))
    burned_block: Mapped[int] = mapped_column(BigInteger)
    burned_at: Mapped[int] = mapped_column(BigInteger)


class Spending(Base):
    """A payment by the foundation from approved USDT revenue."""

    __tablename__ = "spendings"

    block_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    log_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    to: Mapped[str] = mapped_column(String(ADDRESS))
    amount: Mapped[int] = mapped_column(Uint)
    memo_hash: Mapped[str] = mapped_column(String(HASH))
    revenue_left: Mapped[int] = mapped_column(Uint)
    spent_at: Mapped[int] = mapped_column(BigInteger)


class Supply(Base):
    """The token's supply (one row): issued per bucket, burned, in circulation (§2, §11)."""

    __tablename__ = "supply"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issued_genesis: Mapped[int] = mapped_column(Uint)
    issued_matched: Mapped[int] = mapped_column(Uint)
    burned: Mapped[int] = mapped_column(Uint)
    total_supply: Mapped[int] = mapped_column(Uint)
    """Minted minus burned, as the token's ``Transfer`` events from and to zero say."""
    in_pools: Mapped[int] = mapped_column(Uint)
    """Issued KOL still waiting in distribution pools (unclaimed)."""


# OFF-CHAIN LISTS #


class PublishedList(Base):
    """A published list (standard-v1 Merkle dump) given to the API, keyed by its content hash."""

    __tablename__ = "published_lists"

    content_hash: Mapped[str] = mapped_column(String(HASH), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    """``batch`` or ``genesis``."""
    root: Mapped[str] = mapped_column(String(HASH))
    body: Mapped[str] = mapped_column(Text)
    """The list's canonical JSON (its keccak-256 is the content hash)."""


DERIVED_TABLES: Final = (
    AllianceState,
    Body,
    ParameterValue,
    Member,
    Tenure,
    QueueEntry,
    Forfeiture,
    Motion,
    Sponsorship,
    Sponsor,
    Stage,
    Ballot,
    Task,
    Batch,
    GenesisMonth,
    Pool,
    Claim,
    Statement,
    AuditDemand,
    Burn,
    Spending,
    Supply,
)
"""The tables :mod:`kol.store.project` writes (and a rebuild empties)."""
