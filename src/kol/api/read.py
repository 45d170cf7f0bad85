"""Reading the store for the API: queries and their answers as response bodies.

:class:`Reader` works on one session at one instant (``now``, the time deadlines are judged
by); it never writes derived rows. The only thing the API stores is a published list
(:meth:`Reader.store_list`), checked against the root and content hash its batch or genesis
month states on-chain.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal, TypeVar
from urllib.parse import unquote, urlparse

from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kol.alliance import MotionKind, TaskKind
from kol.api import schemas as out
from kol.domain import allocation as batch_list
from kol.domain import genesis as month_list
from kol.domain.merkle import StandardMerkleTree
from kol.store import models as m
from kol.store.project import PARAMETER_NAMES
from kol.store.status import (
    MotionStatus,
    StageStatus,
    attendance,
    audit_overdue,
    motion_status,
    stage_status,
)

__all__ = ["ApiProblem", "Reader", "TreeCache"]

CHAMBERS: Final = {0: "node", 1: "super"}
BODIES: Final = {0: "node", 1: "super", 2: "candidate pool"}
CHAMBER_WORDS: Final = {0: "nodes", 1: "super nodes"}
CHOICES: Final = {1: "for", 2: "against", 3: "abstain"}
LEFT: Final = {1: "resigned", 2: "replaced", 3: "forfeited", 4: "left with the node seat"}
DROPPED: Final = {1: "banned", 2: "already seated", 3: "no longer eligible"}
TASK_STATES: Final = {1: "requested", 2: "approved", 3: "refunded", 4: "matched"}
CURRENCIES: Final = {0: "USDT", 1: "KOL"}
ROLES: Final = {0: "user", 1: "leader"}
KOL: Final = 10**18
GENESIS_CAP: Final = 5_000_000 * KOL
MATCHED_CAP: Final = 16_000_000 * KOL
TOTAL_CAP: Final = 21_000_000 * KOL
MAX_LIST_BYTES: Final = 32 * 1024 * 1024

ListKind = Literal["batch", "genesis"]
LEAF_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "batch": tuple(batch_list.LEAF_TYPES),
    "genesis": tuple(month_list.LEAF_TYPES),
}
T = TypeVar("T")


class ApiProblem(Exception):
    """A request the API cannot answer: ``status`` (4xx) and a message for a person."""

    def __init__(self, status: int, error: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.error = error
        self.detail = detail


def not_found(what: str, hint: str = "") -> ApiProblem:
    return ApiProblem(404, "not found", f"{what} is not in the store{hint}")


def _kind_name(kind: int) -> str:
    try:
        return MotionKind(kind).name
    except ValueError:
        return f"KIND_{kind}"


def _task_kind_name(kind: int) -> str:
    try:
        return TaskKind(kind).name
    except ValueError:
        return f"KIND_{kind}"


@dataclass
class TreeCache:
    """Parsed published lists by content hash (parsing a 500-leaf tree checks every node)."""

    trees: dict[str, StandardMerkleTree]
    limit: int = 64

    def get(self, content_hash: str) -> StandardMerkleTree | None:
        return self.trees.get(content_hash)

    def put(self, content_hash: str, tree: StandardMerkleTree) -> None:
        if len(self.trees) >= self.limit:
            self.trees.pop(next(iter(self.trees)))
        self.trees[content_hash] = tree


class Reader:
    """The store as the API reads it, at ``now``."""

    def __init__(
        self,
        session: Session,
        now: int,
        *,
        trees: TreeCache | None = None,
        lists_dir: Path | None = None,
    ) -> None:
        self.s = session
        self.now = now
        self.trees = trees if trees is not None else TreeCache({})
        self.lists_dir = lists_dir
        self._names: dict[str, str | None] = {}

    # helpers -----------------------------------------------------------------------------

    def _page(self, query: Select[T], limit: int, offset: int) -> tuple[list[T], int]:
        total = int(
            self.s.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
        )
        return list(self.s.scalars(query.limit(limit).offset(offset))), total

    def names(self, addresses: Iterable[str | None]) -> dict[str, str | None]:
        wanted = {a for a in addresses if a is not None and a not in self._names}
        if wanted:
            rows = self.s.execute(
                select(m.Member.address, m.Member.name).where(m.Member.address.in_(wanted))
            )
            found: dict[str, str | None] = {address: name for address, name in rows}
            for address in wanted:
                self._names[address] = found.get(address)
        return self._names

    def name(self, address: str | None) -> str | None:
        return None if address is None else self.names([address]).get(address)

    def checkpoint(self) -> m.Checkpoint:
        row = self.s.get(m.Checkpoint, 1)
        if row is None:
            raise ApiProblem(
                503, "store not indexed", "the indexer has not run on this store yet (kol index)"
            )
        return row

    def _state(self) -> m.AllianceState:
        state = self.s.get(m.AllianceState, 1)
        if state is None:
            raise ApiProblem(
                503, "store not indexed", "the indexer has not run on this store yet (kol index)"
            )
        return state

    # the alliance ------------------------------------------------------------------------

    def status(self) -> out.Status:
        deployment = self.s.get(m.DeploymentRow, 1)
        checkpoint = self.checkpoint()
        state = self._state()
        if deployment is None:
            raise ApiProblem(503, "store not indexed", "the store names no deployment yet")
        sizes = {b.body: b.size for b in self.s.scalars(select(m.Body))}
        waiting: dict[int, int] = {
            chamber: count
            for chamber, count in self.s.execute(
                select(m.QueueEntry.chamber, func.count())
                .where(m.QueueEntry.status == "waiting")
                .group_by(m.QueueEntry.chamber)
            )
        }
        events = int(self.s.scalar(select(func.count()).select_from(m.Event)) or 0)
        return out.Status(
            chain_id=deployment.chain_id,
            council=deployment.council,
            motions=deployment.motions,
            token=deployment.token,
            treasury=deployment.treasury,
            start_block=deployment.start_block,
            checkpoint=out.Checkpoint(
                block_number=checkpoint.block_number,
                block_hash=checkpoint.block_hash,
                block_time=checkpoint.block_time,
            ),
            now=self.now,
            events=events,
            admin=state.admin,
            foundation=self.foundation(),
            genesis_open=state.genesis_open,
            seats=out.Seats(
                nodes=sizes.get(0, 0),
                super_nodes=sizes.get(1, 0),
                candidates=sizes.get(2, 0),
                node_alternates=int(waiting.get(0, 0)),
                super_alternates=int(waiting.get(1, 0)),
            ),
            members=state.member_count,
            motions_proposed=state.motion_count,
        )

    def foundation(self) -> str | None:
        row = self.s.get(m.ParameterValue, 9)
        if row is None:
            return None
        return str(to_checksum_address("0x" + format(row.value, "040x"))) if row.value else None

    def parameters(self) -> out.Parameters:
        rows = self.s.scalars(select(m.ParameterValue).order_by(m.ParameterValue.parameter))
        foundation = self.foundation()
        return out.Parameters(
            items=[
                out.ParameterOut(
                    parameter=r.parameter,
                    name=PARAMETER_NAMES.get(r.parameter, r.name),
                    value=str(r.value),
                    changed_block=r.changed_block,
                )
                for r in rows
            ],
            foundation=foundation,
        )

    # members -----------------------------------------------------------------------------

    def _chamber_stages(self) -> dict[int, list[m.Stage]]:
        stages: dict[int, list[m.Stage]] = {0: [], 1: []}
        for stage in self.s.scalars(select(m.Stage).order_by(m.Stage.chamber, m.Stage.seq)):
            stages[stage.chamber].append(stage)
        return stages

    def _voted(self, addresses: Sequence[str]) -> dict[str, set[int]]:
        voted: dict[str, set[int]] = defaultdict(set)
        if addresses:
            rows = self.s.execute(
                select(m.Ballot.voter, m.Ballot.stage_id).where(m.Ballot.voter.in_(addresses))
            )
            for voter, stage_id in rows:
                voted[voter].add(stage_id)
        return voted

    def _member(
        self, member: m.Member, stages: dict[int, list[m.Stage]], voted: set[int]
    ) -> dict[str, Any]:
        seen: list[out.AttendanceOut] = []
        for chamber, since in ((0, member.node_since), (1, member.super_since)):
            if since is None:
                continue
            a = attendance(chamber, since, stages[chamber], voted, self.now)
            seen.append(
                out.AttendanceOut(
                    chamber=CHAMBERS[chamber],
                    since_block=a.since_block,
                    streak=a.streak,
                    forfeitable_from=a.forfeitable_from,
                    pending=list(a.pending),
                    stages_in_electorate=a.stages_in_electorate,
                    ballots_cast=a.ballots_cast,
                    warning=a.warning,
                )
            )
        return {
            "address": member.address,
            "member_id": member.member_id,
            "name": member.name,
            "nominated": member.nominated,
            "is_node": member.is_node,
            "is_super": member.is_super,
            "is_candidate": member.is_candidate,
            "node_since": member.node_since,
            "super_since": member.super_since,
            "candidate_since": member.candidate_since,
            "bans": out.Bans(
                node_until=member.node_ban_until,
                super_until=member.super_ban_until,
                node_banned=member.node_ban_until > self.now,
                super_banned=member.super_ban_until > self.now,
            ),
            "attendance": seen,
        }

    def members(self, role: str, limit: int, offset: int) -> out.Page[out.MemberOut]:
        query = select(m.Member)
        if role == "node":
            query = query.where(m.Member.is_node)
        elif role == "super":
            query = query.where(m.Member.is_super)
        elif role == "candidate":
            query = query.where(m.Member.is_candidate, ~m.Member.is_node)
        elif role == "banned":
            query = query.where(
                (m.Member.node_ban_until > self.now) | (m.Member.super_ban_until > self.now)
            )
        query = query.order_by(m.Member.member_id.is_(None), m.Member.member_id, m.Member.address)
        rows, total = self._page(query, limit, offset)
        stages = self._chamber_stages()
        voted = self._voted([r.address for r in rows])
        items = [out.MemberOut(**self._member(r, stages, voted[r.address])) for r in rows]
        return out.Page[out.MemberOut](items=items, total=total, limit=limit, offset=offset)

    def member(self, address: str) -> out.MemberDetail:
        member = self.s.get(m.Member, address)
        if member is None:
            raise not_found(f"{address}", " (the council has never seen this address)")
        stages = self._chamber_stages()
        fields = self._member(member, stages, self._voted([address])[address])
        tenures = self.s.scalars(
            select(m.Tenure)
            .where(m.Tenure.address == address)
            .order_by(m.Tenure.seated_block, m.Tenure.seated_log)
        )
        forfeitures = self.s.scalars(
            select(m.Forfeiture)
            .where(m.Forfeiture.address == address)
            .order_by(m.Forfeiture.block_number)
        )
        entries = self.s.scalars(
            select(m.QueueEntry)
            .where(m.QueueEntry.address == address)
            .order_by(m.QueueEntry.queued_block)
        )
        return out.MemberDetail(
            **fields,
            tenures=[
                out.TenureOut(
                    chamber=CHAMBERS[t.chamber],
                    seated_block=t.seated_block,
                    left_block=t.left_block,
                    left_reason=None if t.left_reason is None else LEFT.get(t.left_reason),
                )
                for t in tenures
            ],
            forfeitures=[self._forfeiture(f) for f in forfeitures],
            queue_entries=[self._queue_entry(e) for e in entries],
        )

    def _forfeiture(self, f: m.Forfeiture) -> out.ForfeitureOut:
        return out.ForfeitureOut(
            address=f.address,
            name=self.name(f.address),
            chamber=CHAMBERS[f.chamber],
            first_seq=f.first_seq,
            ban_until=f.ban_until,
            block_number=f.block_number,
            recorded_by=f.tx_from,
        )

    def _queue_entry(self, e: m.QueueEntry) -> out.QueueEntryOut:
        return out.QueueEntryOut(
            chamber=CHAMBERS[e.chamber],
            position=e.position,
            address=e.address,
            name=self.name(e.address),
            queued_block=e.queued_block,
            status=e.status,
            drop_reason=None if e.drop_reason is None else DROPPED.get(e.drop_reason),
            closed_block=e.closed_block,
        )

    def queues(self) -> out.Queues:
        entries = list(
            self.s.scalars(
                select(m.QueueEntry)
                .where(m.QueueEntry.status == "waiting")
                .order_by(m.QueueEntry.chamber, m.QueueEntry.position)
            )
        )
        self.names(e.address for e in entries)
        return out.Queues(
            node=[self._queue_entry(e) for e in entries if e.chamber == 0],
            super=[self._queue_entry(e) for e in entries if e.chamber == 1],
        )

    def forfeitures(self, limit: int, offset: int) -> out.Page[out.ForfeitureOut]:
        query = select(m.Forfeiture).order_by(m.Forfeiture.block_number, m.Forfeiture.log_index)
        rows, total = self._page(query, limit, offset)
        items = [self._forfeiture(f) for f in rows]
        return out.Page[out.ForfeitureOut](items=items, total=total, limit=limit, offset=offset)

    def ballots_of(self, address: str, limit: int, offset: int) -> out.Page[out.BallotOut]:
        if self.s.get(m.Member, address) is None:
            raise not_found(f"{address}", " (the council has never seen this address)")
        query = (
            select(m.Ballot)
            .where(m.Ballot.voter == address)
            .order_by(m.Ballot.block_number.desc(), m.Ballot.log_index.desc())
        )
        rows, total = self._page(query, limit, offset)
        items = [self._ballot(b) for b in rows]
        return out.Page[out.BallotOut](items=items, total=total, limit=limit, offset=offset)

    # motions and stages ------------------------------------------------------------------

    def _ballot(self, b: m.Ballot) -> out.BallotOut:
        return out.BallotOut(
            stage_id=b.stage_id,
            motion_id=b.motion_id,
            voter=b.voter,
            name=self.name(b.voter),
            choice=CHOICES.get(b.choice, str(b.choice)),
            cast_at=b.cast_at,
            block_number=b.block_number,
            tx_hash=b.tx_hash,
            relayed_by=b.relayer,
        )

    def _stage(self, stage: m.Stage) -> dict[str, Any]:
        status = stage_status(stage, self.now)
        return {
            "stage_id": stage.stage_id,
            "motion_id": stage.motion_id,
            "number": stage.number,
            "chamber": CHAMBERS[stage.chamber],
            "seq": stage.seq,
            "electorate": stage.electorate,
            "threshold": stage.threshold,
            "deadline": stage.deadline,
            "opened_block": stage.opened_block,
            "opened_at": stage.opened_at,
            "votes_for": stage.votes_for,
            "votes_against": stage.votes_against,
            "votes_abstain": stage.votes_abstain,
            "status": status.name.lower(),
            "passed_at": stage.passed_at,
            "describe": (
                f"needs {stage.threshold} of {stage.electorate} {CHAMBER_WORDS[stage.chamber]}; "
                f"{stage.votes_for} voted for"
            ),
        }

    def _stage_detail(self, stage: m.Stage) -> out.StageDetail:
        ballots = list(
            self.s.scalars(
                select(m.Ballot)
                .where(m.Ballot.stage_id == stage.stage_id)
                .order_by(m.Ballot.block_number, m.Ballot.log_index)
            )
        )
        self.names(b.voter for b in ballots)
        return out.StageDetail(**self._stage(stage), ballots=[self._ballot(b) for b in ballots])

    def stage(self, stage_id: int) -> out.StageDetail:
        stage = self.s.get(m.Stage, stage_id)
        if stage is None:
            raise not_found(f"stage {stage_id}")
        return self._stage_detail(stage)

    def electorate(self, stage_id: int) -> out.Electorate:
        """The members in a stage's electorate: seated in its chamber before the block in
        which it opened (§4), with their ballots."""
        stage = self.s.get(m.Stage, stage_id)
        if stage is None:
            raise not_found(f"stage {stage_id}")
        tenures = self.s.scalars(
            select(m.Tenure)
            .where(
                m.Tenure.chamber == stage.chamber,
                m.Tenure.seated_block < stage.opened_block,
                m.Tenure.left_block.is_(None) | (m.Tenure.left_block >= stage.opened_block),
            )
            .order_by(m.Tenure.seated_block, m.Tenure.seated_log)
        )
        addresses = list(dict.fromkeys(t.address for t in tenures))
        choices: dict[str, int] = {
            voter: choice
            for voter, choice in self.s.execute(
                select(m.Ballot.voter, m.Ballot.choice).where(m.Ballot.stage_id == stage_id)
            )
        }
        names = self.names(addresses)
        return out.Electorate(
            stage_id=stage_id,
            electorate=stage.electorate,
            members=[
                out.ElectorOut(
                    address=a,
                    name=names.get(a),
                    choice=CHOICES.get(choices[a]) if a in choices else None,
                )
                for a in addresses
            ],
        )

    def _sponsorship(self, s: m.Sponsorship | None) -> out.SponsorshipOut | None:
        if s is None:
            return None
        return out.SponsorshipOut(
            body=BODIES.get(s.body, str(s.body)),
            electorate=s.electorate,
            threshold=s.threshold,
            deadline=s.deadline,
            sponsors=s.sponsors,
            reached_at=s.reached_at,
        )

    def _motion_parts(
        self, motions: Sequence[m.Motion]
    ) -> tuple[dict[int, list[m.Stage]], dict[int, m.Sponsorship]]:
        ids = [x.motion_id for x in motions]
        stages: dict[int, list[m.Stage]] = defaultdict(list)
        rounds: dict[int, m.Sponsorship] = {}
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            for stage in self.s.scalars(
                select(m.Stage).where(m.Stage.motion_id.in_(chunk)).order_by(m.Stage.number)
            ):
                stages[stage.motion_id].append(stage)
            for r in self.s.scalars(
                select(m.Sponsorship).where(m.Sponsorship.motion_id.in_(chunk))
            ):
                rounds[r.motion_id] = r
        return stages, rounds

    def _motion(
        self, motion: m.Motion, stages: list[m.Stage], round_: m.Sponsorship | None
    ) -> dict[str, Any]:
        status = motion_status(motion, stages, round_, self.now)
        return {
            "motion_id": motion.motion_id,
            "kind": motion.kind,
            "kind_name": _kind_name(motion.kind),
            "proposer": motion.proposer,
            "proposer_name": self.name(motion.proposer),
            "status": status.name.lower(),
            "created_block": motion.created_block,
            "created_at": motion.created_at,
            "stages": [out.StageOut(**self._stage(s)) for s in stages],
            "sponsorship": self._sponsorship(round_),
        }

    def motions(
        self,
        *,
        kind: int | None,
        proposer: str | None,
        status: MotionStatus | None,
        newest_first: bool,
        limit: int,
        offset: int,
    ) -> out.Page[out.MotionOut]:
        query = select(m.Motion)
        if kind is not None:
            query = query.where(m.Motion.kind == kind)
        if proposer is not None:
            query = query.where(m.Motion.proposer == proposer)
        order = m.Motion.motion_id.desc() if newest_first else m.Motion.motion_id
        if status is None:
            rows, total = self._page(query.order_by(order), limit, offset)
            stages, rounds = self._motion_parts(rows)
        else:
            # the status depends on the clock: filtered here, not in SQL
            every = list(self.s.scalars(query.order_by(order)))
            stages, rounds = self._motion_parts(every)
            matching = [
                x
                for x in every
                if motion_status(x, stages[x.motion_id], rounds.get(x.motion_id), self.now)
                == status
            ]
            rows, total = matching[offset : offset + limit], len(matching)
        self.names(x.proposer for x in rows)
        items = [
            out.MotionOut(**self._motion(x, stages[x.motion_id], rounds.get(x.motion_id)))
            for x in rows
        ]
        return out.Page[out.MotionOut](items=items, total=total, limit=limit, offset=offset)

    def motion(self, motion_id: int) -> out.MotionDetail:
        motion = self.s.get(m.Motion, motion_id)
        if motion is None:
            raise not_found(f"motion {motion_id}")
        stages, rounds = self._motion_parts([motion])
        sponsors = list(
            self.s.scalars(
                select(m.Sponsor)
                .where(m.Sponsor.motion_id == motion_id)
                .order_by(m.Sponsor.block_number, m.Sponsor.log_index)
            )
        )
        self.names([motion.proposer, *(x.sponsor for x in sponsors)])
        args = motion.args
        return out.MotionDetail(
            **self._motion(motion, stages[motion_id], rounds.get(motion_id)),
            args=out.MotionArgsOut(
                accounts=list(args.get("accounts", [])),
                numbers=[str(n) for n in args.get("numbers", [])],
                hashes=list(args.get("hashes", [])),
                text=str(args.get("text", "")),
            ),
            args_hash=motion.args_hash,
            notice_period=motion.notice_period,
            execution_window=motion.execution_window,
            executed_at=motion.executed_at,
            executor=motion.executor,
            stage_details=[self._stage_detail(s) for s in stages[motion_id]],
            sponsors=[
                out.SponsorOut(
                    sponsor=x.sponsor,
                    name=self.name(x.sponsor),
                    block_number=x.block_number,
                    relayed_by=x.relayer,
                )
                for x in sponsors
            ],
        )

    # tasks -------------------------------------------------------------------------------

    @staticmethod
    def _task(t: m.Task) -> out.TaskOut:
        return out.TaskOut(
            task_id=t.task_id,
            client=t.client,
            kind=t.kind,
            kind_name=_task_kind_name(t.kind),
            currency=CURRENCIES.get(t.currency, str(t.currency)),
            fee=str(t.fee),
            metadata_hash=t.metadata_hash,
            state=TASK_STATES.get(t.state, str(t.state)),
            requested_at=t.requested_at,
            requested_block=t.requested_block,
            motion_id=t.motion_id,
            batch_id=t.batch_id,
        )

    def tasks(
        self, state: int | None, client: str | None, limit: int, offset: int
    ) -> out.Page[out.TaskOut]:
        query = select(m.Task).order_by(m.Task.task_id)
        if state is not None:
            query = query.where(m.Task.state == state)
        if client is not None:
            query = query.where(m.Task.client == client)
        rows, total = self._page(query, limit, offset)
        return out.Page[out.TaskOut](
            items=[self._task(t) for t in rows], total=total, limit=limit, offset=offset
        )

    def task(self, task_id: int) -> out.TaskOut:
        task = self.s.get(m.Task, task_id)
        if task is None:
            raise not_found(f"task {task_id}")
        return self._task(task)

    # batches, lists and claims -----------------------------------------------------------

    def _list_known(self, content_hash: str | None) -> bool:
        return content_hash is not None and self.s.get(m.PublishedList, content_hash) is not None

    def _batch(self, b: m.Batch) -> dict[str, Any]:
        return {
            "batch_id": b.batch_id,
            "motion_id": b.motion_id,
            "currency": None if b.currency is None else CURRENCIES.get(b.currency),
            "total": str(b.total),
            "user_total": str(b.user_total),
            "leader_total": str(b.leader_total),
            "user_claimed": str(b.user_claimed),
            "leader_claimed": str(b.leader_claimed),
            "root": b.root,
            "content_hash": b.content_hash,
            "uri": b.uri,
            "user_pool": b.user_pool,
            "leader_pool": b.leader_pool,
            "minted": b.minted,
            "opened_at": b.opened_at,
            "list_known": self._list_known(b.content_hash),
        }

    def batches(self, limit: int, offset: int) -> out.Page[out.BatchOut]:
        rows, total = self._page(select(m.Batch).order_by(m.Batch.batch_id), limit, offset)
        return out.Page[out.BatchOut](
            items=[out.BatchOut(**self._batch(b)) for b in rows],
            total=total,
            limit=limit,
            offset=offset,
        )

    def _get_batch(self, batch_id: int) -> m.Batch:
        batch = self.s.get(m.Batch, batch_id)
        if batch is None:
            raise not_found(f"batch {batch_id}")
        return batch

    def batch(self, batch_id: int) -> out.BatchDetail:
        batch = self._get_batch(batch_id)
        claims = self.s.scalars(
            select(m.Claim)
            .where(m.Claim.batch_id == batch_id)
            .order_by(m.Claim.block_number, m.Claim.log_index)
        )
        tasks = self.s.scalars(
            select(m.Task.task_id).where(m.Task.batch_id == batch_id).order_by(m.Task.task_id)
        )
        return out.BatchDetail(
            **self._batch(batch),
            claims=[self._claim(c) for c in claims],
            tasks=list(tasks),
        )

    @staticmethod
    def _claim(c: m.Claim) -> out.ClaimOut:
        return out.ClaimOut(
            block_number=c.block_number,
            log_index=c.log_index,
            kind=c.kind,
            batch_id=c.batch_id,
            month=c.month,
            account=c.account,
            amount=str(c.amount),
            claimed_at=c.claimed_at,
            tx_hash=c.tx_hash,
            sent_by=c.tx_from,
        )

    def claims(
        self, account: str | None, batch_id: int | None, kind: str | None, limit: int, offset: int
    ) -> out.Page[out.ClaimOut]:
        query = select(m.Claim).order_by(m.Claim.block_number, m.Claim.log_index)
        if account is not None:
            query = query.where(m.Claim.account == account)
        if batch_id is not None:
            query = query.where(m.Claim.batch_id == batch_id)
        if kind is not None:
            query = query.where(m.Claim.kind == kind)
        rows, total = self._page(query, limit, offset)
        return out.Page[out.ClaimOut](
            items=[self._claim(c) for c in rows], total=total, limit=limit, offset=offset
        )

    def tree(self, kind: ListKind, content_hash: str | None, uri: str | None) -> StandardMerkleTree:
        """The published list of a batch or month, from the store, or from the lists folder
        when its URI names a file there (checked, then stored)."""
        what = "batch" if kind == "batch" else "genesis month"
        if content_hash is None:
            raise ApiProblem(404, "list unknown", f"the {what} states no content hash yet")
        cached = self.trees.get(content_hash)
        if cached is not None:
            return cached
        row = self.s.get(m.PublishedList, content_hash)
        if row is not None:
            tree = StandardMerkleTree.load(json.loads(row.body))
            self.trees.put(content_hash, tree)
            return tree
        path = self._listed_file(uri)
        if path is not None:
            try:
                data = json.loads(path.read_bytes()[:MAX_LIST_BYTES])
            except (OSError, ValueError):
                data = None
            if data is not None:
                try:
                    found = self.check_list(kind, data, None, content_hash)
                except ApiProblem:
                    found = None
                if found is not None:
                    self._save(kind, found)
                    return found
        raise ApiProblem(
            404,
            "list unknown",
            f"this API does not hold the {what}'s published list (content hash {content_hash}):"
            f" POST it (standard-v1 JSON) to its /list endpoint",
        )

    def _listed_file(self, uri: str | None) -> Path | None:
        """The file a URI names inside the lists folder (``file://`` URIs and bare names
        only; nothing outside the folder)."""
        if self.lists_dir is None or not uri:
            return None
        parsed = urlparse(uri)
        if parsed.scheme not in ("", "file"):
            return None
        name = unquote(parsed.path if parsed.scheme == "file" else uri)
        root = self.lists_dir.resolve()
        candidate = (root / Path(name).name).resolve()
        if candidate.parent != root or not candidate.is_file():
            return None
        return candidate

    def check_list(
        self, kind: ListKind, data: object, root: str | None, content_hash: str
    ) -> StandardMerkleTree:
        """The tree of ``data`` if it is the list stating ``root`` and ``content_hash``."""
        if not isinstance(data, dict):
            raise ApiProblem(422, "invalid list", "a published list is a JSON object (standard-v1)")
        try:
            tree = StandardMerkleTree.load(data)
        except (ValueError, TypeError, KeyError) as error:
            raise ApiProblem(
                422, "invalid list", f"not an OpenZeppelin standard-v1 Merkle dump: {error}"
            ) from None
        types = LEAF_TYPES[kind]
        if tree.leaf_types != types:
            raise ApiProblem(
                422,
                "invalid list",
                f"the leaves are ({', '.join(tree.leaf_types)}); a {kind} list has "
                f"({', '.join(types)})",
            )
        if root is not None and tree.root_hex != root.lower():
            raise ApiProblem(
                422,
                "wrong list",
                f"the list's Merkle root {tree.root_hex} is not the one stated on-chain ({root})",
            )
        digest = "0x" + tree.content_hash().hex()
        if digest != content_hash.lower():
            raise ApiProblem(
                422,
                "wrong list",
                f"the list's content hash {digest} is not the one stated on-chain ({content_hash})",
            )
        return tree

    def _save(self, kind: ListKind, tree: StandardMerkleTree) -> bool:
        content_hash = "0x" + tree.content_hash().hex()
        self.trees.put(content_hash, tree)
        if self.s.get(m.PublishedList, content_hash) is not None:
            return False
        body = tree.dump_json()
        assert "0x" + keccak(body.encode()).hex() == content_hash
        try:
            self.s.add(
                m.PublishedList(content_hash=content_hash, kind=kind, root=tree.root_hex, body=body)
            )
            self.s.commit()
        except IntegrityError:  # another API process stored it in between
            self.s.rollback()
            return False
        return True

    def store_list(self, kind: ListKind, number: int, data: object) -> out.ListStored:
        if kind == "batch":
            batch = self._get_batch(number)
            root, content_hash = batch.root, batch.content_hash
        else:
            month = self.s.get(m.GenesisMonth, number)
            if month is None:
                raise not_found(f"genesis month {number}")
            root, content_hash = month.root, month.content_hash
        if content_hash is None:
            raise ApiProblem(409, "not ready", "its content hash is not indexed yet")
        tree = self.check_list(kind, data, root, content_hash)
        stored = self._save(kind, tree)
        return out.ListStored(
            kind=kind,
            content_hash=content_hash,
            root=tree.root_hex,
            leaves=len(tree),
            stored=stored,
        )

    def proofs(self, batch_id: int, account: str) -> out.Proofs:
        batch = self._get_batch(batch_id)
        tree = self.tree("batch", batch.content_hash, batch.uri)
        mine = [(i, v) for i, v in enumerate(tree.values) if str(v[1]).lower() == account.lower()]
        if not mine:
            raise not_found(f"{account} in the list of batch {batch_id}")
        paid: dict[tuple[int, int], int] = defaultdict(int)
        for c in self.s.scalars(
            select(m.Claim).where(m.Claim.batch_id == batch_id, m.Claim.account == account)
        ):
            paid[(1 if c.kind == "leader" else 0, c.amount)] += 1
        leaves: list[out.LeafProof] = []
        for i, value in sorted(mine, key=lambda pair: int(pair[1][0])):
            role, amount = int(value[2]), int(value[3])
            claimed = paid[(role, amount)] > 0  # one transfer of this amount per leaf paid
            if claimed:
                paid[(role, amount)] -= 1
            leaves.append(
                out.LeafProof(
                    index=int(value[0]),
                    account=str(value[1]),
                    role=ROLES.get(role, str(role)),
                    amount=str(amount),
                    proof=["0x" + node.hex() for node in tree.get_proof(i)],
                    claimed=claimed,
                )
            )
        return out.Proofs(batch_id=batch_id, root=batch.root, account=account, leaves=leaves)

    # genesis -----------------------------------------------------------------------------

    def _month(self, g: m.GenesisMonth) -> out.GenesisMonthOut:
        return out.GenesisMonthOut(
            month=g.month,
            motion_id=g.motion_id,
            root=g.root,
            content_hash=g.content_hash,
            uri=g.uri,
            pool=g.pool,
            released=str(g.released),
            carried=str(g.carried),
            cum_paid=None if g.cum_paid is None else str(g.cum_paid),
            cum_forfeited=None if g.cum_forfeited is None else str(g.cum_forfeited),
            released_at=g.released_at,
            released_block=g.released_block,
            list_known=self._list_known(g.content_hash),
        )

    def genesis(self) -> out.Genesis:
        state = self._state()
        months = self.s.scalars(select(m.GenesisMonth).order_by(m.GenesisMonth.month))
        return out.Genesis(
            month=state.genesis_month,
            cum_paid=str(state.genesis_cum_paid),
            cum_forfeited=str(state.genesis_cum_forfeited),
            closed=state.genesis_program_closed,
            cap=str(GENESIS_CAP),
            months=[self._month(g) for g in months],
        )

    def genesis_month(self, month: int) -> out.GenesisMonthOut:
        row = self.s.get(m.GenesisMonth, month)
        if row is None:
            raise not_found(f"genesis month {month}")
        return self._month(row)

    def leader(self, address: str) -> out.LeaderGenesis:
        state = self._state()
        months = list(self.s.scalars(select(m.GenesisMonth).order_by(m.GenesisMonth.month)))
        entitlements: list[out.EntitlementOut] = []
        latest: tuple[int, int, StandardMerkleTree | None] | None = None
        for g in months:
            try:
                tree = self.tree("genesis", g.content_hash, g.uri)
            except ApiProblem:
                continue
            leaf = next((v for v in tree.values if str(v[0]).lower() == address.lower()), None)
            if leaf is None:
                continue
            entitlements.append(
                out.EntitlementOut(
                    month=g.month, cum_paid=str(int(leaf[1])), cum_forfeited=str(int(leaf[2]))
                )
            )
            if g.month == state.genesis_month:
                latest = (int(leaf[1]), int(leaf[2]), tree)
        latest_known = any(
            g.month == state.genesis_month and self._list_known(g.content_hash) for g in months
        )
        claims = list(
            self.s.scalars(
                select(m.Claim)
                .where(m.Claim.kind == "genesis", m.Claim.account == address)
                .order_by(m.Claim.block_number, m.Claim.log_index)
            )
        )
        if not entitlements and not claims and self.s.get(m.Member, address) is None:
            raise not_found(f"{address}", " (no genesis entitlement or claim)")
        claimed = sum(c.amount for c in claims)
        claimable: str | None = None
        proof: list[str] | None = None
        if latest is not None:
            claimable = str(max(latest[0] - claimed, 0))
            assert latest[2] is not None
            value = (address, latest[0], latest[1])
            proof = ["0x" + n.hex() for n in latest[2].get_proof(value)]
        elif latest_known or not months:
            claimable = "0"  # the latest list does not name this leader
        return out.LeaderGenesis(
            leader=address,
            name=self.name(address),
            latest_month=state.genesis_month,
            entitlements=entitlements,
            claimed=str(claimed),
            claimable=claimable,
            proof=proof,
            claims=[self._claim(c) for c in claims],
        )

    # the books ---------------------------------------------------------------------------

    def statements(self, limit: int, offset: int) -> out.Page[out.StatementOut]:
        query = select(m.Statement).order_by(m.Statement.statement_id)
        rows, total = self._page(query, limit, offset)
        items = [
            out.StatementOut(
                statement_id=x.statement_id,
                motion_id=x.motion_id,
                period_start=str(x.period_start),
                period_end=str(x.period_end),
                content_hash=x.content_hash,
                uri=x.uri,
                published_at=x.published_at,
                published_block=x.published_block,
            )
            for x in rows
        ]
        return out.Page[out.StatementOut](items=items, total=total, limit=limit, offset=offset)

    def _audit(self, d: m.AuditDemand) -> out.AuditOut:
        overdue = audit_overdue(d, self.now)
        if d.answered_at is not None:
            status = "answered late" if d.answered_overdue else "answered"
        else:
            status = "overdue" if overdue else "open"
        return out.AuditOut(
            demand_id=d.demand_id,
            motion_id=d.motion_id,
            period_start=str(d.period_start),
            period_end=str(d.period_end),
            due=d.due,
            demanded_at=d.demanded_at,
            answered_at=d.answered_at,
            report_hash=d.report_hash,
            report_uri=d.report_uri,
            answered_overdue=d.answered_overdue,
            overdue=overdue,
            status=status,
        )

    def audits(self, limit: int, offset: int) -> out.Page[out.AuditOut]:
        rows, total = self._page(
            select(m.AuditDemand).order_by(m.AuditDemand.demand_id), limit, offset
        )
        return out.Page[out.AuditOut](
            items=[self._audit(d) for d in rows], total=total, limit=limit, offset=offset
        )

    def audit(self, demand_id: int) -> out.AuditOut:
        demand = self.s.get(m.AuditDemand, demand_id)
        if demand is None:
            raise not_found(f"audit demand {demand_id}")
        return self._audit(demand)

    def burns(self, limit: int, offset: int) -> out.Page[out.BurnOut]:
        rows, total = self._page(select(m.Burn).order_by(m.Burn.burn_id), limit, offset)
        items = [
            out.BurnOut(
                burn_id=b.burn_id,
                kol_amount=str(b.kol_amount),
                usdt_spent=str(b.usdt_spent),
                reference=b.reference,
                burned_at=b.burned_at,
                burned_block=b.burned_block,
            )
            for b in rows
        ]
        return out.Page[out.BurnOut](items=items, total=total, limit=limit, offset=offset)

    def spendings(self, limit: int, offset: int) -> out.Page[out.SpendingOut]:
        query = select(m.Spending).order_by(m.Spending.block_number, m.Spending.log_index)
        rows, total = self._page(query, limit, offset)
        items = [
            out.SpendingOut(
                block_number=x.block_number,
                to=x.to,
                amount=str(x.amount),
                memo_hash=x.memo_hash,
                revenue_left=str(x.revenue_left),
                spent_at=x.spent_at,
            )
            for x in rows
        ]
        return out.Page[out.SpendingOut](items=items, total=total, limit=limit, offset=offset)

    def supply(self) -> out.SupplyOut:
        row = self.s.get(m.Supply, 1)
        if row is None:
            raise ApiProblem(503, "store not indexed", "the indexer has not run on this store yet")
        return out.SupplyOut(
            genesis=out.Bucket(
                issued=str(row.issued_genesis),
                cap=str(GENESIS_CAP),
                remaining=str(GENESIS_CAP - row.issued_genesis),
            ),
            matched=out.Bucket(
                issued=str(row.issued_matched),
                cap=str(MATCHED_CAP),
                remaining=str(MATCHED_CAP - row.issued_matched),
            ),
            issued_total=str(row.issued_genesis + row.issued_matched),
            total_cap=str(TOTAL_CAP),
            burned=str(row.burned),
            total_supply=str(row.total_supply),
            in_pools=str(row.in_pools),
            circulating=str(row.total_supply - row.in_pools),
        )

    # history -----------------------------------------------------------------------------

    def events(
        self,
        *,
        name: str | None,
        contract: str | None,
        from_block: int | None,
        to_block: int | None,
        tx_hash: str | None,
        newest_first: bool,
        limit: int,
        offset: int,
    ) -> out.Page[out.EventOut]:
        query = select(m.Event)
        if name is not None:
            query = query.where(m.Event.name == name)
        if contract is not None:
            query = query.where(m.Event.contract == contract)
        if from_block is not None:
            query = query.where(m.Event.block_number >= from_block)
        if to_block is not None:
            query = query.where(m.Event.block_number <= to_block)
        if tx_hash is not None:
            query = query.where(func.lower(m.Event.tx_hash) == tx_hash.lower())
        if newest_first:
            query = query.order_by(m.Event.block_number.desc(), m.Event.log_index.desc())
        else:
            query = query.order_by(m.Event.block_number, m.Event.log_index)
        rows, total = self._page(query, limit, offset)
        items = [
            out.EventOut(
                block_number=e.block_number,
                log_index=e.log_index,
                block_hash=e.block_hash,
                block_time=e.block_time,
                tx_hash=e.tx_hash,
                tx_from=e.tx_from,
                contract=e.contract,
                address=e.address,
                name=e.name,
                args=_json_safe(e.args),
            )
            for e in rows
        ]
        return out.Page[out.EventOut](items=items, total=total, limit=limit, offset=offset)


def _json_safe(value: Any) -> Any:
    """Integers beyond 2**53 as decimal strings (a browser's JSON keeps them exact)."""
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        return str(value)
    return value


STAGE_STATUSES: Final = {s.name.lower(): s for s in StageStatus}
MOTION_STATUSES: Final = {s.name.lower(): s for s in MotionStatus}
