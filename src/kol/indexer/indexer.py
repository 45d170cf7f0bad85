"""The indexer: mirrors the alliance's events into the store, resumably and reorg-safe.

One step (:meth:`Indexer.step`):

1. **Reorg check.** The checkpoint's block hash is compared with the chain's block at that
   height. If they differ (or the chain is now shorter), the stored blocks are compared from
   the highest down until one matches the chain: that block is the common ancestor (a block
   hash commits to every block before it). The events above it are deleted and the derived
   tables are rebuilt from the events that remain, in one transaction that also moves the
   checkpoint back to the ancestor.
2. **One range.** Blocks ``checkpoint + 1`` … ``min(checkpoint + range, head − confirmations)``:
   the range's end header is read before and after the logs and must not change, every log's
   block hash must be its header's, and the range's first block must be a child of the
   checkpoint — otherwise the chain moved under the query and the step is retried.
3. **One transaction.** The range's events, the hashes of its blocks with events and of its
   end block (the new checkpoint's; the previous checkpoint's is dropped unless it has
   events), the derived rows (:class:`~kol.store.project.Projector`) and the checkpoint are
   written together. A stop at any moment (even SIGKILL) loses at most the range being
   written, and the next start resumes from the checkpoint; writing a range twice is
   impossible because the rows above the checkpoint do not exist.

Confirmations: by default 0 on a dev chain (anvil mines a block per transaction, so waiting
for later blocks would hold the latest transactions back until someone sends another; its only
reorgs are snapshot reverts, which step 1 catches) and 12 elsewhere (about 2.5 minutes on
Ethereum mainnet; an L2 may well use fewer). ``--confirmations`` overrides both.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Final, Literal, cast

from sqlalchemy import delete, exists, select
from sqlalchemy.exc import OperationalError

from kol.chain.deployment import Deployment
from kol.indexer.source import Block, ChainSource, Log, SourceError, TooManyLogs
from kol.store import Store
from kol.store.db import transaction
from kol.store.models import Block as BlockRow
from kol.store.models import Checkpoint, DeploymentRow, Event
from kol.store.project import Applicable, Projector, insert_rows, rebuild

__all__ = [
    "DEFAULT_RANGE",
    "DEV_CONFIRMATIONS",
    "LIVE_CONFIRMATIONS",
    "Indexer",
    "IndexerError",
    "Step",
]

DEFAULT_RANGE: Final = 2_000
"""Blocks per ``eth_getLogs`` query (halved automatically when a node refuses a range)."""
DEV_CONFIRMATIONS: Final = 0
LIVE_CONFIRMATIONS: Final = 12
DEV_CLIENTS: Final = ("anvil/", "hardhatnetwork/")


class IndexerError(RuntimeError):
    """The indexer cannot go on (a store of another deployment, a node on another chain)."""


class _Moved(Exception):
    """The chain changed while a range was read: read again."""


@dataclass(frozen=True)
class Step:
    """What one step did."""

    kind: Literal["ingested", "rolled_back", "caught_up", "moved"]
    checkpoint: int
    """The checkpoint after the step."""
    head: int
    first: int | None = None
    last: int | None = None
    events: int = 0
    rolled_back_from: int | None = None


def default_confirmations(client_version: str) -> int:
    """0 on a dev chain (anvil, Hardhat), 12 elsewhere (see the module's docstring)."""
    return (
        DEV_CONFIRMATIONS if client_version.lower().startswith(DEV_CLIENTS) else LIVE_CONFIRMATIONS
    )


class Indexer:
    """Mirrors one deployment into one store (one writer per deployment)."""

    def __init__(
        self,
        store: Store,
        source: ChainSource,
        *,
        confirmations: int,
        range_size: int = DEFAULT_RANGE,
    ) -> None:
        if confirmations < 0:
            raise IndexerError(f"confirmations must be 0 or more, not {confirmations}")
        if range_size < 1:
            raise IndexerError(f"the range must be at least 1 block, not {range_size}")
        self.store = store
        self.source = source
        self.deployment: Deployment = source.deployment
        self.confirmations = confirmations
        self.range_size = range_size
        self._prepared = False

    # setup -------------------------------------------------------------------------------

    def prepare(self) -> None:
        """Checks that the node and the store are this deployment's, and writes the store's
        deployment row, checkpoint and initial state on the first run."""
        d = self.deployment
        chain_id = self.source.chain_id()
        if chain_id != d.chain_id:
            raise IndexerError(
                f"the node is on chain {chain_id}; the deployment is on chain {d.chain_id}"
            )
        with transaction(self.store.sessions) as s:
            row = s.get(DeploymentRow, 1)
            if row is None:
                s.add(
                    DeploymentRow(
                        id=1,
                        chain_id=d.chain_id,
                        council=d.council,
                        motions=d.motions,
                        token=d.token,
                        treasury=d.treasury,
                        start_block=d.start_block,
                        foundation=self._foundation(),
                    )
                )
                s.add(
                    Checkpoint(id=1, block_number=d.start_block - 1, block_hash=None, block_time=0)
                )
                s.flush()
                Projector(s).ensure_initial()
            elif (row.chain_id, row.council) != (d.chain_id, d.council):
                raise IndexerError(
                    f"the store at {self.store.url} mirrors the council {row.council} on chain "
                    f"{row.chain_id}, not this deployment's ({d.council} on chain {d.chain_id}):"
                    " give each deployment its own database"
                )
        self._prepared = True

    def _foundation(self) -> str | None:
        try:
            value = self.source.call("council", "foundation")
        except SourceError:
            return None
        return str(value)

    # stepping ----------------------------------------------------------------------------

    def checkpoint(self) -> tuple[int, str | None]:
        with self.store.sessions() as s:
            row = s.get(Checkpoint, 1)
            if row is None:
                return self.deployment.start_block - 1, None
            return row.block_number, row.block_hash

    def step(self) -> Step:
        """One reorg check and at most one range (see the module's docstring)."""
        if not self._prepared:
            self.prepare()
        head = self.source.head()
        number, digest = self.checkpoint()
        if digest is not None:
            on_chain = self.source.block(number) if number <= head else None
            if on_chain is None or on_chain.hash != digest:
                return self._roll_back(head, number)
        target = head - self.confirmations
        if target <= number:
            return Step("caught_up", number, head)
        first = number + 1
        size = self.range_size
        while True:
            last = min(first + size - 1, target)
            try:
                headers, logs, senders = self._read(first, last, digest)
                break
            except TooManyLogs:
                if last == first:
                    raise
                size = max(1, (last - first + 1) // 2)
            except _Moved:
                return Step("moved", number, head)
        self._write(first, last, headers, logs, senders)
        return Step("ingested", last, head, first, last, len(logs))

    def _read(
        self, first: int, last: int, parent: str | None
    ) -> tuple[dict[int, Block], list[Log], dict[str, str]]:
        before = self.source.block(last)
        if before is None:
            raise _Moved
        logs = self.source.logs(first, last)
        # the headers and the senders in parallel: two batches the node can answer at once
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="kol-indexer-read") as pool:
            asked_senders = pool.submit(self.source.senders, [log.tx_hash for log in logs])
            found = self.source.blocks({first, last} | {log.block_number for log in logs})
            try:
                senders = asked_senders.result()
            except SourceError as error:
                if "does not know transaction" in str(error):
                    raise _Moved from None
                raise
        headers: dict[int, Block] = {}
        for n, header in found.items():
            if header is None:
                raise _Moved
            headers[n] = header
        if headers[last].hash != before.hash:
            raise _Moved
        if parent is not None and headers[first].parent_hash != parent:
            raise _Moved
        if any(headers[log.block_number].hash != log.block_hash for log in logs):
            raise _Moved
        return headers, logs, senders

    def _write(
        self,
        first: int,
        last: int,
        headers: dict[int, Block],
        logs: list[Log],
        senders: dict[str, str],
    ) -> None:
        chain_id = self.deployment.chain_id
        with transaction(self.store.sessions) as s:
            # locked until commit (PostgreSQL): a second writer waits here, then sees it moved
            checkpoint = s.get(Checkpoint, 1, with_for_update=True)
            if checkpoint is None or checkpoint.block_number != first - 1:
                moved = None if checkpoint is None else checkpoint.block_number
                raise IndexerError(
                    f"the checkpoint moved to {moved} while blocks {first}…{last} were read: is "
                    f"another indexer writing to {self.store.url}? (one writer per deployment)"
                )
            # nothing above the checkpoint exists; this keeps a retried range harmless anyway
            s.execute(delete(Event).where(Event.block_number >= first))
            s.execute(delete(BlockRow).where(BlockRow.number >= first))
            insert_rows(
                s,
                BlockRow,
                [
                    {"number": n, "hash": headers[n].hash, "timestamp": headers[n].timestamp}
                    for n in sorted({last} | {log.block_number for log in logs})
                ],
            )
            rows = [
                {
                    "chain_id": chain_id,
                    "block_number": log.block_number,
                    "log_index": log.log_index,
                    "block_hash": log.block_hash,
                    "block_time": headers[log.block_number].timestamp,
                    "tx_hash": log.tx_hash,
                    "tx_index": log.tx_index,
                    "tx_from": senders[log.tx_hash],
                    "contract": log.contract,
                    "address": log.address,
                    "name": log.name,
                    "args": log.args,
                    "topics": list(log.topics),
                    "data": log.data,
                }
                for log in logs
            ]
            # the raw rows in one statement, then what they derive (Projector.project), read
            # from the same rows (a namespace each: no ORM object is made for an event)
            insert_rows(s, Event, rows)
            records = cast("list[Applicable]", [SimpleNamespace(**row) for row in rows])
            projector = Projector(s)
            projector.ensure_initial()
            projector.project(records)
            checkpoint.block_number = last
            checkpoint.block_hash = headers[last].hash
            checkpoint.block_time = headers[last].timestamp
            # the previous checkpoint's block stays only if it has events: the blocks kept
            # are those with events and the checkpoint's, however the ranges were cut
            s.execute(
                delete(BlockRow).where(
                    BlockRow.number == first - 1,
                    ~exists().where(Event.block_number == first - 1),
                )
            )

    def _roll_back(self, head: int, was: int) -> Step:
        ancestor = self._common_ancestor()
        with transaction(self.store.sessions) as s:
            number = ancestor.number if ancestor is not None else self.deployment.start_block - 1
            s.execute(delete(Event).where(Event.block_number > number))
            s.execute(delete(BlockRow).where(BlockRow.number > number))
            checkpoint = s.get(Checkpoint, 1, with_for_update=True)
            rebuild(s)
            assert checkpoint is not None
            checkpoint.block_number = number
            checkpoint.block_hash = ancestor.hash if ancestor is not None else None
            checkpoint.block_time = ancestor.timestamp if ancestor is not None else 0
        return Step("rolled_back", number, head, rolled_back_from=was)

    def _common_ancestor(self, page: int = 64) -> BlockRow | None:
        """The highest stored block that the chain still has (None: none of them)."""
        below: int | None = None
        while True:
            with self.store.sessions() as s:
                query = select(BlockRow).order_by(BlockRow.number.desc()).limit(page)
                if below is not None:
                    query = query.where(BlockRow.number < below)
                rows = list(s.scalars(query))
            if not rows:
                return None
            chain = self.source.blocks(row.number for row in rows)
            for row in rows:
                header = chain[row.number]
                if header is not None and header.hash == row.hash:
                    return row
            below = rows[-1].number

    # running -----------------------------------------------------------------------------

    def run_once(self, progress: Callable[[Step], None] | None = None) -> Step:
        """Steps until caught up with ``head − confirmations``; returns the last step."""
        while True:
            step = self.step()
            if progress is not None:
                progress(step)
            if step.kind == "caught_up":
                return step

    def follow(
        self,
        stop: threading.Event,
        *,
        poll: float = 2.0,
        progress: Callable[[Step], None] | None = None,
        trouble: Callable[[Exception], None] | None = None,
    ) -> None:
        """Steps until ``stop`` is set, waiting ``poll`` seconds whenever caught up; a node
        that does not answer, or a database that cannot be reached, is retried after the same
        pause (the transaction in flight was rolled back: nothing is half-written)."""
        while not stop.is_set():
            try:
                step = self.step()
            except (SourceError, OperationalError) as error:
                if trouble is not None:
                    trouble(error)
                stop.wait(poll)
                continue
            if progress is not None:
                progress(step)
            if step.kind == "caught_up":
                stop.wait(poll)
