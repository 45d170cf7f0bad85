"""The relayer's persistent queue: two tables of its own, SQLite by default, PostgreSQL by URL.

``relayer_items`` holds every accepted item and its status; ``relayer_submissions`` every
transaction the relayer signed, with its raw bytes. The tables are created at start when
missing (``create_all`` is idempotent) and touch nothing else in the database, so the relayer
may share the indexer's PostgreSQL or keep its own SQLite file.

An item's life: ``queued`` → ``submitted`` (in a transaction whose hash and raw bytes are
recorded in the *same* database transaction that marks the item, before it is sent) →
``included`` (the receipt is in; the council's own per-item result is kept: recorded, or the
reason it was skipped). An item that can no longer be recorded before it is sent (its stage
closed, its signature expired) ends ``rejected`` with the reason. A transaction that reverted
puts its items back in the queue (a few times at most). After a crash the submitted items are
reconciled against the chain's receipts; an unsent transaction is sent as the very same signed
bytes, so that nothing is ever submitted twice.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

from sqlalchemy import (
    BigInteger,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    create_engine,
    event,
    func,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

__all__ = [
    "DEFAULT_SQLITE",
    "ENV_URL",
    "Duplicate",
    "Item",
    "ItemStatus",
    "Queue",
    "QueueError",
    "Submission",
    "SubmissionStatus",
]

ENV_URL: Final = "KOL_RELAYER_DATABASE_URL"
DEFAULT_SQLITE: Final = Path(".kol") / "relayer.sqlite3"


class QueueError(RuntimeError):
    """The queue's database cannot be opened; the message says what to give."""


class Duplicate(Exception):
    """A live item with the same key (voter and stage, or sponsor and motion) is queued."""

    def __init__(self, existing: int) -> None:
        super().__init__(f"item {existing}")
        self.existing = existing


class ItemStatus(StrEnum):
    QUEUED = "queued"
    SUBMITTED = "submitted"
    INCLUDED = "included"
    REJECTED = "rejected"


class SubmissionStatus(StrEnum):
    PENDING = "pending"
    """Signed and recorded; sent, or about to be."""
    MINED = "mined"
    REVERTED = "reverted"
    DROPPED = "dropped"
    """Its nonce was used by another transaction: it can never land; its items were requeued."""


class _Base(DeclarativeBase):
    pass


class Submission(_Base):
    """A transaction the relayer signed: one batch of one route."""

    __tablename__ = "relayer_submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    route: Mapped[str] = mapped_column(String(32))
    sender: Mapped[str] = mapped_column(String(42))
    nonce: Mapped[int] = mapped_column(BigInteger)
    tx_hash: Mapped[str] = mapped_column(String(66), unique=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), index=True)
    block_number: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    gas_used: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[float] = mapped_column()
    settled_at: Mapped[float | None] = mapped_column(nullable=True)


class Item(_Base):
    """One signed ballot or sponsorship and what became of it."""

    __tablename__ = "relayer_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    route: Mapped[str] = mapped_column(String(32), index=True)
    signer: Mapped[str] = mapped_column(String(42), index=True)
    motion_id: Mapped[int] = mapped_column(BigInteger)
    stage_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    choice: Mapped[int | None] = mapped_column(Integer, nullable=True)
    expiry: Mapped[str] = mapped_column(String(78))
    """Decimal text: a uint256 does not fit a SQL integer."""
    deadline: Mapped[int] = mapped_column(BigInteger)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    dedup_key: Mapped[str | None] = mapped_column(String(96), unique=True, nullable=True)
    """Set while the item is live or was recorded; cleared when it ends unrecorded."""
    status: Mapped[str] = mapped_column(String(16), index=True)
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("relayer_submissions.id"), nullable=True, index=True
    )
    batch_index: Mapped[int | None] = mapped_column(Integer, nullable=True)
    result_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The council's status for the item (0: recorded), once included."""
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[float] = mapped_column()
    updated_at: Mapped[float] = mapped_column()


def default_url() -> str:
    """``KOL_RELAYER_DATABASE_URL``, else the SQLite file ``.kol/relayer.sqlite3`` here."""
    return os.environ.get(ENV_URL) or f"sqlite:///{DEFAULT_SQLITE}"


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # the HTTP side reads while the submitter writes
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=FULL")  # a committed submission survives a power cut
    cursor.close()


def engine_for(url: str | None = None) -> Engine:
    """An engine for ``url``: ``sqlite:///file`` (its folder is made) or a PostgreSQL URL
    (``postgresql://`` goes through psycopg 3)."""
    raw = url or default_url()
    for prefix in ("postgresql://", "postgres://"):
        if raw.startswith(prefix):
            raw = "postgresql+psycopg://" + raw[len(prefix) :]
    try:
        parsed = make_url(raw)
    except ArgumentError:
        raise QueueError(
            f"not a database URL: {raw!r} (sqlite:///path/relayer.sqlite3, or "
            "postgresql://user@host:5432/database)"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise QueueError("the relayer's queue must outlive the process: give a SQLite file")
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except (ArgumentError, ImportError) as error:
        raise QueueError(f"cannot use {parsed.render_as_string()}: {error}") from None


class Queue:
    """The relayer's tables in one database."""

    def __init__(self, url: str | None = None, *, engine: Engine | None = None) -> None:
        self.engine = engine if engine is not None else engine_for(url)
        _Base.metadata.create_all(self.engine)  # checkfirst: creates only what is missing
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One database transaction: committed when the block ends, rolled back on an error."""
        with self.sessions() as session, session.begin():
            yield session

    # accepting -----------------------------------------------------------------------------

    def live(self, dedup_key: str) -> Item | None:
        with self.sessions() as session:
            return session.scalars(select(Item).where(Item.dedup_key == dedup_key)).first()

    def add(self, item: Item) -> Item:
        """Queues ``item``; :class:`Duplicate` when its key is live already."""
        now = time.time()
        item.status, item.created_at, item.updated_at = ItemStatus.QUEUED, now, now
        item.attempts = 0
        try:
            with self.transaction() as session:
                session.add(item)
        except IntegrityError:
            existing = self.live(item.dedup_key or "")
            raise Duplicate(existing.id if existing is not None else 0) from None
        return item

    def get(self, item_id: int) -> Item | None:
        with self.sessions() as session:
            return session.get(Item, item_id)

    def submission(self, submission_id: int) -> Submission | None:
        with self.sessions() as session:
            return session.get(Submission, submission_id)

    def by_signer(self, signer: str, limit: int) -> list[Item]:
        with self.sessions() as session:
            query = select(Item).where(Item.signer == signer).order_by(Item.id.desc()).limit(limit)
            return list(session.scalars(query))

    def counts(self) -> dict[str, int]:
        with self.sessions() as session:
            rows = session.execute(select(Item.status, func.count()).group_by(Item.status)).all()
        counts = {status.value: 0 for status in ItemStatus}
        counts.update({str(status): int(n) for status, n in rows})
        return counts

    # submitting ----------------------------------------------------------------------------

    def queued(self, route: str, limit: int) -> list[Item]:
        """The oldest queued items of ``route``."""
        with self.sessions() as session:
            query = (
                select(Item)
                .where(Item.status == ItemStatus.QUEUED, Item.route == route)
                .order_by(Item.id)
                .limit(limit)
            )
            return list(session.scalars(query))

    def reject(self, items: Sequence[Item], reason: str) -> None:
        """Ends queued items unsent (their key is freed for a new signature)."""
        now = time.time()
        with self.transaction() as session:
            session.execute(
                update(Item)
                .where(Item.id.in_([i.id for i in items]), Item.status == ItemStatus.QUEUED)
                .values(status=ItemStatus.REJECTED, reason=reason, dedup_key=None, updated_at=now)
            )

    def record_submission(self, submission: Submission, items: Sequence[Item]) -> bool:
        """Records a signed transaction and marks its items submitted, in one database
        transaction. False (nothing recorded) when another submitter took any of them."""
        now = time.time()
        submission.status, submission.created_at = SubmissionStatus.PENDING, now
        with self.transaction() as session:
            session.add(submission)
            session.flush()
            for index, item in enumerate(items):
                taken = session.execute(
                    update(Item)
                    .where(Item.id == item.id, Item.status == ItemStatus.QUEUED)
                    .values(
                        status=ItemStatus.SUBMITTED,
                        submission_id=submission.id,
                        batch_index=index,
                        attempts=Item.attempts + 1,
                        updated_at=now,
                    )
                )
                if taken.rowcount != 1:  # type: ignore[attr-defined]
                    session.rollback()
                    return False
        return True

    def pending(self) -> list[Submission]:
        """Transactions signed and recorded whose fate is not yet known, oldest first."""
        with self.sessions() as session:
            query = (
                select(Submission)
                .where(Submission.status == SubmissionStatus.PENDING)
                .order_by(Submission.nonce, Submission.id)
            )
            return list(session.scalars(query))

    def items_of(self, submission_id: int) -> list[Item]:
        with self.sessions() as session:
            query = (
                select(Item).where(Item.submission_id == submission_id).order_by(Item.batch_index)
            )
            return list(session.scalars(query))

    def settle_mined(
        self,
        submission_id: int,
        block_number: int,
        gas_used: int,
        results: dict[int, tuple[int, str | None]],
    ) -> None:
        """The transaction landed: each item is included with the council's result for it
        (``results``: batch index → (code, reason); 0 is recorded). One database transaction."""
        now = time.time()
        with self.transaction() as session:
            submission = session.get(Submission, submission_id)
            if submission is None or submission.status != SubmissionStatus.PENDING:
                return
            submission.status = SubmissionStatus.MINED
            submission.block_number, submission.gas_used = block_number, gas_used
            submission.settled_at = now
            for item in session.scalars(select(Item).where(Item.submission_id == submission_id)):
                code, reason = results.get(item.batch_index or 0, (0, None))
                item.status = ItemStatus.INCLUDED
                item.result_code, item.reason, item.updated_at = code, reason, now
                if code != 0:
                    item.dedup_key = None  # skipped on-chain: a new signature may be queued

    def settle_failed(
        self, submission_id: int, status: SubmissionStatus, reason: str, max_attempts: int
    ) -> None:
        """The transaction reverted or can never land: its items go back to the queue (or,
        after ``max_attempts``, end rejected with ``reason``). One database transaction."""
        now = time.time()
        with self.transaction() as session:
            submission = session.get(Submission, submission_id)
            if submission is None or submission.status != SubmissionStatus.PENDING:
                return
            submission.status, submission.settled_at = status, now
            for item in session.scalars(select(Item).where(Item.submission_id == submission_id)):
                item.updated_at = now
                if item.attempts >= max_attempts:
                    item.status, item.reason, item.dedup_key = ItemStatus.REJECTED, reason, None
                else:
                    item.status, item.submission_id, item.batch_index = (
                        ItemStatus.QUEUED,
                        None,
                        None,
                    )
