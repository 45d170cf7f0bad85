"""The store's first schema: raw events, the checkpoint, the derived state.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 10:20:08.210233
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alliance_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("admin", sa.String(length=42), nullable=True),
        sa.Column("genesis_open", sa.Boolean(), nullable=False),
        sa.Column("genesis_phase_closed_block", sa.BigInteger(), nullable=True),
        sa.Column("genesis_month", sa.Integer(), nullable=False),
        sa.Column("genesis_cum_paid", sa.String(length=78), nullable=False),
        sa.Column("genesis_cum_forfeited", sa.String(length=78), nullable=False),
        sa.Column("genesis_program_closed", sa.Boolean(), nullable=False),
        sa.Column("member_count", sa.Integer(), nullable=False),
        sa.Column("motion_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alliance_state")),
    )
    op.create_table(
        "audit_demands",
        sa.Column("demand_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("motion_id", sa.BigInteger(), nullable=False),
        sa.Column("period_start", sa.String(length=78), nullable=False),
        sa.Column("period_end", sa.String(length=78), nullable=False),
        sa.Column("due", sa.BigInteger(), nullable=False),
        sa.Column("demanded_block", sa.BigInteger(), nullable=False),
        sa.Column("demanded_at", sa.BigInteger(), nullable=False),
        sa.Column("answered_at", sa.BigInteger(), nullable=True),
        sa.Column("answered_block", sa.BigInteger(), nullable=True),
        sa.Column("report_hash", sa.String(length=66), nullable=True),
        sa.Column("report_uri", sa.String(length=256), nullable=True),
        sa.Column("answered_overdue", sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint("demand_id", name=op.f("pk_audit_demands")),
    )
    op.create_table(
        "ballots",
        sa.Column("stage_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("voter", sa.String(length=42), nullable=False),
        sa.Column("motion_id", sa.BigInteger(), nullable=False),
        sa.Column("choice", sa.Integer(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("cast_at", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", sa.String(length=66), nullable=False),
        sa.Column("relayer", sa.String(length=42), nullable=True),
        sa.PrimaryKeyConstraint("stage_id", "voter", name=op.f("pk_ballots")),
    )
    op.create_index("ix_ballots_voter", "ballots", ["voter"], unique=False)

    op.create_table(
        "batches",
        sa.Column("batch_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("motion_id", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.Integer(), nullable=True),
        sa.Column("total", sa.String(length=78), nullable=False),
        sa.Column("user_total", sa.String(length=78), nullable=False),
        sa.Column("leader_total", sa.String(length=78), nullable=False),
        sa.Column("root", sa.String(length=66), nullable=False),
        sa.Column("content_hash", sa.String(length=66), nullable=True),
        sa.Column("uri", sa.String(length=256), nullable=True),
        sa.Column("user_pool", sa.String(length=42), nullable=False),
        sa.Column("leader_pool", sa.String(length=42), nullable=False),
        sa.Column("minted", sa.Boolean(), nullable=False),
        sa.Column("opened_block", sa.BigInteger(), nullable=False),
        sa.Column("opened_at", sa.BigInteger(), nullable=False),
        sa.Column("user_claimed", sa.String(length=78), nullable=False),
        sa.Column("leader_claimed", sa.String(length=78), nullable=False),
        sa.PrimaryKeyConstraint("batch_id", name=op.f("pk_batches")),
    )
    op.create_table(
        "blocks",
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=66), nullable=False),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_blocks")),
    )
    op.create_table(
        "bodies",
        sa.Column("body", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("stages", sa.Integer(), nullable=False),
        sa.Column("last_deadline", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("body", name=op.f("pk_bodies")),
    )
    op.create_table(
        "burns",
        sa.Column("burn_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kol_amount", sa.String(length=78), nullable=False),
        sa.Column("usdt_spent", sa.String(length=78), nullable=False),
        sa.Column("reference", sa.String(length=66), nullable=False),
        sa.Column("burned_block", sa.BigInteger(), nullable=False),
        sa.Column("burned_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("burn_id", name=op.f("pk_burns")),
    )
    op.create_table(
        "checkpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_hash", sa.String(length=66), nullable=True),
        sa.Column("block_time", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkpoint")),
    )
    op.create_table(
        "claims",
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("pool", sa.String(length=42), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column("month", sa.Integer(), nullable=True),
        sa.Column("account", sa.String(length=42), nullable=False),
        sa.Column("amount", sa.String(length=78), nullable=False),
        sa.Column("claimed_at", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", sa.String(length=66), nullable=False),
        sa.Column("tx_from", sa.String(length=42), nullable=False),
        sa.PrimaryKeyConstraint("block_number", "log_index", name=op.f("pk_claims")),
    )
    op.create_index("ix_claims_account", "claims", ["account"], unique=False)

    op.create_table(
        "deployment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("council", sa.String(length=42), nullable=False),
        sa.Column("motions", sa.String(length=42), nullable=False),
        sa.Column("token", sa.String(length=42), nullable=False),
        sa.Column("treasury", sa.String(length=42), nullable=True),
        sa.Column("start_block", sa.BigInteger(), nullable=False),
        sa.Column("foundation", sa.String(length=42), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deployment")),
    )
    op.create_table(
        "events",
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("block_hash", sa.String(length=66), nullable=False),
        sa.Column("block_time", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", sa.String(length=66), nullable=False),
        sa.Column("tx_index", sa.Integer(), nullable=False),
        sa.Column("tx_from", sa.String(length=42), nullable=False),
        sa.Column("contract", sa.String(length=16), nullable=False),
        sa.Column("address", sa.String(length=42), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("chain_id", "block_number", "log_index", name=op.f("pk_events")),
    )
    op.create_index("ix_events_name", "events", ["name"], unique=False)
    op.create_index("ix_events_tx_hash", "events", ["tx_hash"], unique=False)

    op.create_table(
        "forfeitures",
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=42), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("chamber", sa.Integer(), nullable=False),
        sa.Column("first_seq", sa.BigInteger(), nullable=False),
        sa.Column("ban_until", sa.BigInteger(), nullable=False),
        sa.Column("tx_from", sa.String(length=42), nullable=False),
        sa.PrimaryKeyConstraint("block_number", "log_index", name=op.f("pk_forfeitures")),
    )
    op.create_table(
        "genesis_months",
        sa.Column("month", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("motion_id", sa.BigInteger(), nullable=True),
        sa.Column("root", sa.String(length=66), nullable=False),
        sa.Column("content_hash", sa.String(length=66), nullable=True),
        sa.Column("uri", sa.String(length=256), nullable=True),
        sa.Column("pool", sa.String(length=42), nullable=False),
        sa.Column("released", sa.String(length=78), nullable=False),
        sa.Column("carried", sa.String(length=78), nullable=False),
        sa.Column("cum_paid", sa.String(length=78), nullable=True),
        sa.Column("cum_forfeited", sa.String(length=78), nullable=True),
        sa.Column("released_block", sa.BigInteger(), nullable=False),
        sa.Column("released_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_genesis_months")),
    )
    op.create_table(
        "members",
        sa.Column("address", sa.String(length=42), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=64), nullable=True),
        sa.Column("metadata_hash", sa.String(length=66), nullable=True),
        sa.Column("nominated", sa.Boolean(), nullable=False),
        sa.Column("is_node", sa.Boolean(), nullable=False),
        sa.Column("is_super", sa.Boolean(), nullable=False),
        sa.Column("is_candidate", sa.Boolean(), nullable=False),
        sa.Column("node_since", sa.BigInteger(), nullable=True),
        sa.Column("super_since", sa.BigInteger(), nullable=True),
        sa.Column("candidate_since", sa.BigInteger(), nullable=True),
        sa.Column("node_ban_until", sa.BigInteger(), nullable=False),
        sa.Column("super_ban_until", sa.BigInteger(), nullable=False),
        sa.Column("first_block", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("address", name=op.f("pk_members")),
        sa.UniqueConstraint("member_id", name=op.f("uq_members_member_id")),
    )
    op.create_table(
        "motions",
        sa.Column("motion_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.Integer(), nullable=False),
        sa.Column("proposer", sa.String(length=42), nullable=False),
        sa.Column("args_hash", sa.String(length=66), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("created_block", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("notice_period", sa.BigInteger(), nullable=False),
        sa.Column("execution_window", sa.BigInteger(), nullable=False),
        sa.Column("stage1", sa.BigInteger(), nullable=True),
        sa.Column("stage2", sa.BigInteger(), nullable=True),
        sa.Column("executed_block", sa.BigInteger(), nullable=True),
        sa.Column("executed_at", sa.BigInteger(), nullable=True),
        sa.Column("executor", sa.String(length=42), nullable=True),
        sa.Column("closed_status", sa.Integer(), nullable=True),
        sa.Column("tx_hash", sa.String(length=66), nullable=False),
        sa.PrimaryKeyConstraint("motion_id", name=op.f("pk_motions")),
    )
    op.create_table(
        "parameters",
        sa.Column("parameter", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=78), nullable=False),
        sa.Column("changed_block", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("parameter", name=op.f("pk_parameters")),
    )
    op.create_table(
        "pools",
        sa.Column("address", sa.String(length=42), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column("month", sa.Integer(), nullable=True),
        sa.Column("balance", sa.String(length=78), nullable=False),
        sa.PrimaryKeyConstraint("address", name=op.f("pk_pools")),
    )
    op.create_table(
        "published_lists",
        sa.Column("content_hash", sa.String(length=66), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("root", sa.String(length=66), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("content_hash", name=op.f("pk_published_lists")),
    )
    op.create_table(
        "queue_entries",
        sa.Column("chamber", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("position", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("address", sa.String(length=42), nullable=False),
        sa.Column("queued_block", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("drop_reason", sa.Integer(), nullable=True),
        sa.Column("closed_block", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("chamber", "position", name=op.f("pk_queue_entries")),
    )
    op.create_table(
        "spendings",
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("to", sa.String(length=42), nullable=False),
        sa.Column("amount", sa.String(length=78), nullable=False),
        sa.Column("memo_hash", sa.String(length=66), nullable=False),
        sa.Column("revenue_left", sa.String(length=78), nullable=False),
        sa.Column("spent_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("block_number", "log_index", name=op.f("pk_spendings")),
    )
    op.create_table(
        "sponsors",
        sa.Column("motion_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("sponsor", sa.String(length=42), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("tx_hash", sa.String(length=66), nullable=False),
        sa.Column("relayer", sa.String(length=42), nullable=True),
        sa.PrimaryKeyConstraint("motion_id", "sponsor", name=op.f("pk_sponsors")),
    )
    op.create_table(
        "sponsorships",
        sa.Column("motion_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("body", sa.Integer(), nullable=False),
        sa.Column("electorate", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.BigInteger(), nullable=False),
        sa.Column("opened_block", sa.BigInteger(), nullable=False),
        sa.Column("sponsors", sa.Integer(), nullable=False),
        sa.Column("reached_at", sa.BigInteger(), nullable=True),
        sa.Column("reached_block", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("motion_id", name=op.f("pk_sponsorships")),
    )
    op.create_table(
        "stages",
        sa.Column("stage_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("motion_id", sa.BigInteger(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("chamber", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("electorate", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.BigInteger(), nullable=False),
        sa.Column("opened_block", sa.BigInteger(), nullable=False),
        sa.Column("opened_at", sa.BigInteger(), nullable=False),
        sa.Column("votes_for", sa.Integer(), nullable=False),
        sa.Column("votes_against", sa.Integer(), nullable=False),
        sa.Column("votes_abstain", sa.Integer(), nullable=False),
        sa.Column("passed_at", sa.BigInteger(), nullable=True),
        sa.Column("passed_block", sa.BigInteger(), nullable=True),
        sa.Column("failed_block", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("stage_id", name=op.f("pk_stages")),
        sa.UniqueConstraint("chamber", "seq", name=op.f("uq_stages_chamber")),
    )
    op.create_index("ix_stages_motion_id", "stages", ["motion_id"], unique=False)

    op.create_table(
        "statements",
        sa.Column("statement_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("motion_id", sa.BigInteger(), nullable=False),
        sa.Column("period_start", sa.String(length=78), nullable=False),
        sa.Column("period_end", sa.String(length=78), nullable=False),
        sa.Column("content_hash", sa.String(length=66), nullable=False),
        sa.Column("uri", sa.String(length=256), nullable=False),
        sa.Column("published_block", sa.BigInteger(), nullable=False),
        sa.Column("published_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("statement_id", name=op.f("pk_statements")),
    )
    op.create_table(
        "supply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issued_genesis", sa.String(length=78), nullable=False),
        sa.Column("issued_matched", sa.String(length=78), nullable=False),
        sa.Column("burned", sa.String(length=78), nullable=False),
        sa.Column("total_supply", sa.String(length=78), nullable=False),
        sa.Column("in_pools", sa.String(length=78), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supply")),
    )
    op.create_table(
        "tasks",
        sa.Column("task_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("client", sa.String(length=42), nullable=False),
        sa.Column("kind", sa.Integer(), nullable=False),
        sa.Column("currency", sa.Integer(), nullable=False),
        sa.Column("fee", sa.String(length=78), nullable=False),
        sa.Column("metadata_hash", sa.String(length=66), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("requested_block", sa.BigInteger(), nullable=False),
        sa.Column("requested_at", sa.BigInteger(), nullable=False),
        sa.Column("motion_id", sa.BigInteger(), nullable=True),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column("settled_block", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("task_id", name=op.f("pk_tasks")),
    )
    op.create_table(
        "tenures",
        sa.Column("chamber", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seated_block", sa.BigInteger(), nullable=False),
        sa.Column("seated_log", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=42), nullable=False),
        sa.Column("left_block", sa.BigInteger(), nullable=True),
        sa.Column("left_reason", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("chamber", "seated_block", "seated_log", name=op.f("pk_tenures")),
    )
    op.create_index("ix_tenures_address", "tenures", ["address"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_tenures_address", table_name="tenures")

    op.drop_table("tenures")
    op.drop_table("tasks")
    op.drop_table("supply")
    op.drop_table("statements")
    op.drop_index("ix_stages_motion_id", table_name="stages")

    op.drop_table("stages")
    op.drop_table("sponsorships")
    op.drop_table("sponsors")
    op.drop_table("spendings")
    op.drop_table("queue_entries")
    op.drop_table("published_lists")
    op.drop_table("pools")
    op.drop_table("parameters")
    op.drop_table("motions")
    op.drop_table("members")
    op.drop_table("genesis_months")
    op.drop_table("forfeitures")
    op.drop_index("ix_events_tx_hash", table_name="events")
    op.drop_index("ix_events_name", table_name="events")

    op.drop_table("events")
    op.drop_table("deployment")
    op.drop_index("ix_claims_account", table_name="claims")

    op.drop_table("claims")
    op.drop_table("checkpoint")
    op.drop_table("burns")
    op.drop_table("bodies")
    op.drop_table("blocks")
    op.drop_table("batches")
    op.drop_index("ix_ballots_voter", table_name="ballots")

    op.drop_table("ballots")
    op.drop_table("audit_demands")
    op.drop_table("alliance_state")
