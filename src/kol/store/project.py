"""Events → derived tables: the one function that writes the alliance's state into the store.

:class:`Projector` applies raw events (``kol.store.models.Event``), a range at a time and in
chain order (block number, then log index), to the derived tables. It reads nothing but the events
and the rows it wrote itself, so applying events one range at a time and replaying all of them
from scratch (:func:`rebuild`) give the same rows: a reorg deletes the events above the fork
point and calls :func:`rebuild`.

What no event says is taken from the constitution (the §10 defaults of the parameters) or from
the deployment row (the foundation's address at the first run). What depends on the clock
(a stage failed by its deadline, a motion lapsed, an audit overdue, attendance streaks) is not
stored: :mod:`kol.store.status` computes it when asked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final, Protocol, TypeVar, cast

from sqlalchemy import Select, Table, delete, insert, select
from sqlalchemy.orm import Session

from kol.store.models import (
    DERIVED_TABLES,
    AllianceState,
    AuditDemand,
    Ballot,
    Base,
    Batch,
    Body,
    Burn,
    Claim,
    DeploymentRow,
    Event,
    Forfeiture,
    GenesisMonth,
    Member,
    Motion,
    ParameterValue,
    Pool,
    QueueEntry,
    Spending,
    Sponsor,
    Sponsorship,
    Stage,
    Statement,
    Supply,
    Task,
    Tenure,
)

__all__ = [
    "DEFAULT_PARAMETERS",
    "Applicable",
    "insert_rows",
    "PARAMETER_NAMES",
    "Projector",
    "pool_kind",
    "rebuild",
]

DAY: Final = 86_400
ZERO: Final = "0x0000000000000000000000000000000000000000"
POOL_TAG: Final = 0x4B4F4C2D504F4F4C
"""The top 64 bits of every distribution pool's address ("KOL-POOL", ``distribution.vy``)."""
GENESIS_BIT: Final = 1 << 95

PARAMETER_NAMES: Final = {
    1: "voting_period",
    2: "sponsor_window",
    3: "execution_window",
    4: "notice_period",
    5: "audit_due",
    6: "kol_per_usdt",
    7: "super_ban",
    8: "node_ban",
    9: "foundation",
}
"""Parameter ids of ``SET_PARAMETERS`` (``parameters.vy``; 10 closes the genesis programme and
is not stored as a parameter)."""
DEFAULT_PARAMETERS: Final = {
    1: 3 * DAY,
    2: 7 * DAY,
    3: 7 * DAY,
    4: 0,
    5: 30 * DAY,
    6: 10**12,
    7: 90 * DAY,
    8: 180 * DAY,
}
"""§10's defaults, as ``parameters.vy``'s constructor sets them (it emits no event)."""

SEATED: Final = "seated"
WAITING: Final = "waiting"
DROPPED: Final = "dropped"
EXECUTED: Final = 4


def pool_kind(address: str) -> tuple[str, int | None] | None:
    """``("user" | "leader", batch id)`` or ``("genesis", None)`` when ``address`` is a
    distribution pool, else None (``distribution.vy``: the "KOL-POOL" prefix)."""
    value = int(address, 16)
    if value >> 96 != POOL_TAG:
        return None
    if value & GENESIS_BIT:
        return "genesis", None
    number = value & ((1 << 64) - 1)
    return ("leader" if number & 1 else "user"), number >> 1


class Applicable(Protocol):
    """What the projector reads of an event: an ``Event`` row, or the indexer's record of a
    log it is about to insert."""

    @property
    def block_number(self) -> int: ...
    @property
    def log_index(self) -> int: ...
    @property
    def block_time(self) -> int: ...
    @property
    def tx_hash(self) -> str: ...
    @property
    def tx_from(self) -> str: ...
    @property
    def contract(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def args(self) -> dict[str, Any]: ...


Handler = Callable[[Applicable, dict[str, Any]], None]
R = TypeVar("R", bound=Base)
_MISSING: Final = object()
_MEMBER_ARG: Final = {
    ("council", "MemberIdAssigned"): "member",
    ("council", "Nominated"): "member",
    ("council", "CandidateRegistered"): "candidate",
    ("council", "CandidacyWithdrawn"): "candidate",
    ("council", "Seated"): "member",
    ("council", "Unseated"): "member",
    ("council", "Queued"): "member",
    ("council", "Forfeited"): "member",
}
"""The argument that names the member, of the events whose handler looks a member up."""


class Projector:
    """Applies events to the derived tables of one session (the caller commits)."""

    def __init__(self, session: Session) -> None:
        self.s = session
        self._rows: dict[tuple[type[Base], Any], Base | None] = {}
        self._groups: dict[tuple[Any, ...], list[Base]] = {}
        self._appended: dict[type[Base], list[dict[str, Any]]] = {}
        self._handlers: dict[tuple[str, str], Handler] = {
            ("council", "AdminChanged"): self._admin_changed,
            ("council", "MemberIdAssigned"): self._member_id,
            ("council", "Nominated"): self._nominated,
            ("council", "CandidateRegistered"): self._candidate_registered,
            ("council", "CandidacyWithdrawn"): self._candidacy_withdrawn,
            ("council", "Seated"): self._seated,
            ("council", "Unseated"): self._unseated,
            ("council", "Queued"): self._queued,
            ("council", "QueueHeadDropped"): self._queue_head_dropped,
            ("council", "GenesisClosed"): self._genesis_phase_closed,
            ("council", "ParameterChanged"): self._parameter_changed,
            ("council", "StageOpened"): self._stage_opened,
            ("council", "Voted"): self._voted,
            ("council", "StagePassed"): self._stage_passed,
            ("council", "StageFailed"): self._stage_failed,
            ("council", "Forfeited"): self._forfeited,
            ("council", "SponsorshipOpened"): self._sponsorship_opened,
            ("council", "Sponsored"): self._sponsored,
            ("council", "SponsorshipReached"): self._sponsorship_reached,
            ("motions", "MotionProposed"): self._motion_proposed,
            ("motions", "MotionExecuted"): self._motion_executed,
            ("motions", "MotionClosed"): self._motion_closed,
            ("token", "Transfer"): self._transfer,
            ("token", "Issued"): self._issued,
            ("token", "Burned"): self._burned,
            ("token", "BatchOpened"): self._batch_opened,
            ("token", "GenesisMonthOpened"): self._genesis_month_opened,
            ("treasury", "TaskRequested"): self._task_requested,
            ("treasury", "TaskApprovalProposed"): self._task_approval_proposed,
            ("treasury", "TaskApproved"): self._task_approved,
            ("treasury", "TaskMatched"): self._task_matched,
            ("treasury", "TaskRefunded"): self._task_refunded,
            ("treasury", "Spent"): self._spent,
            ("treasury", "StatementPublished"): self._statement_published,
            ("treasury", "BuybackBurned"): self._buyback_burned,
            ("treasury", "BatchIssued"): self._batch_issued,
            ("treasury", "GenesisReleased"): self._genesis_released,
            ("treasury", "GenesisClosed"): self._genesis_program_closed,
            ("treasury", "AuditDemanded"): self._audit_demanded,
            ("treasury", "AuditAnswered"): self._audit_answered,
        }
        # Events that change nothing derived: rejected ballots and sponsorships are reported
        # per transaction; approvals are the token's business.

    # the initial state -------------------------------------------------------------------

    def ensure_initial(self) -> None:
        """The rows that exist before any event: the alliance, its bodies, the §10 defaults,
        the supply."""
        s = self.s
        if s.get(AllianceState, 1) is None:
            s.add(
                AllianceState(
                    id=1,
                    admin=None,
                    genesis_open=True,
                    genesis_phase_closed_block=None,
                    genesis_month=0,
                    genesis_cum_paid=0,
                    genesis_cum_forfeited=0,
                    genesis_program_closed=False,
                    member_count=0,
                    motion_count=0,
                )
            )
        for body in (0, 1, 2):
            if s.get(Body, body) is None:
                s.add(Body(body=body, size=0, stages=0, last_deadline=0))
        deployment = s.get(DeploymentRow, 1)
        defaults = dict(DEFAULT_PARAMETERS)
        if deployment is not None and deployment.foundation is not None:
            defaults[9] = int(deployment.foundation, 16)
        for parameter, value in defaults.items():
            if s.get(ParameterValue, parameter) is None:
                s.add(
                    ParameterValue(
                        parameter=parameter,
                        name=PARAMETER_NAMES[parameter],
                        value=value,
                        changed_block=None,
                    )
                )
        if s.get(Supply, 1) is None:
            s.add(
                Supply(
                    id=1, issued_genesis=0, issued_matched=0, burned=0, total_supply=0, in_pools=0
                )
            )
        s.flush()

    def project(self, events: Sequence[Applicable]) -> None:
        """Applies ``events`` (in chain order, after those already applied) and writes what
        they derive into the session: the rows that are updated later through the unit of
        work, the rows that are only ever appended (ballots, claims, sponsors…) in one
        multi-row INSERT per table."""
        self._prefetch(events)
        for event in events:
            handler = self._handlers.get((event.contract, event.name))
            if handler is not None:
                handler(event, event.args)
        self.s.flush()
        for model, rows in self._appended.items():
            if rows:
                insert_rows(self.s, model, rows)
        self._appended = {}

    # helpers -----------------------------------------------------------------------------

    def _get(self, model: type[R], key: Any) -> R | None:
        """The row of ``model`` with primary key ``key``: from this projector's rows, else
        from the database (without flushing: what this projector added is in its rows)."""
        found: object = self._rows.get((model, key), _MISSING)
        if found is _MISSING:
            with self.s.no_autoflush:
                found = self.s.get(model, key)
            self._rows[(model, key)] = cast("Base | None", found)
        return cast("R | None", found)

    def _new(self, row: R, key: Any) -> R:
        """Adds a row that :meth:`_get` will find before it is flushed."""
        self.s.add(row)
        self._rows[(type(row), key)] = row
        return row

    def _state(self) -> AllianceState:
        state = self._get(AllianceState, 1)
        assert state is not None, "store: ensure_initial() first"
        return state

    def _body(self, body: int) -> Body:
        row = self._get(Body, body)
        assert row is not None, "store: ensure_initial() first"
        return row

    def _supply(self) -> Supply:
        row = self._get(Supply, 1)
        assert row is not None, "store: ensure_initial() first"
        return row

    def _parameter(self, parameter: int) -> int:
        row = self._get(ParameterValue, parameter)
        return DEFAULT_PARAMETERS.get(parameter, 0) if row is None else row.value

    def _member(self, address: str, block: int) -> Member:
        member = self._get(Member, address)
        if member is None:
            member = Member(
                address=address,
                member_id=None,
                name=None,
                metadata_hash=None,
                nominated=False,
                is_node=False,
                is_super=False,
                is_candidate=False,
                node_since=None,
                super_since=None,
                candidate_since=None,
                node_ban_until=0,
                super_ban_until=0,
                first_block=block,
            )
            self._new(member, address)
        return member

    def _waiting(self, address: str, chamber: int) -> QueueEntry | None:
        """The member's live queue entry in ``chamber`` (the lowest position still waiting)."""
        entries = self._open(
            select(QueueEntry).where(
                QueueEntry.chamber == chamber,
                QueueEntry.address == address,
                QueueEntry.status == WAITING,
            ),
            (QueueEntry, chamber, address),
            lambda entry: entry.status == WAITING,
        )
        return min(entries, key=lambda entry: entry.position, default=None)

    def _open_tenure(self, address: str, chamber: int) -> Tenure | None:
        tenures = self._open(
            select(Tenure).where(
                Tenure.address == address,
                Tenure.chamber == chamber,
                Tenure.left_block.is_(None),
            ),
            (Tenure, chamber, address),
            lambda tenure: tenure.left_block is None,
        )
        return tenures[0] if tenures else None

    def _open(self, query: Select[R], group: tuple[Any, ...], keep: Callable[[R], bool]) -> list[R]:
        """The rows that ``query`` finds in the database, with those this projector added to
        ``group`` and has not flushed, as they are now in memory (``keep``)."""
        with self.s.no_autoflush:
            stored = list(self.s.scalars(query))
        added = cast("list[R]", [row for row in self._groups.get(group, ()) if row not in stored])
        return [row for row in stored + added if keep(row)]

    def _append(self, model: type[Base], **values: Any) -> None:
        """A row that no later event reads or changes: inserted by :meth:`project`."""
        self._appended.setdefault(model, []).append(values)

    def _grouped(self, row: R, group: tuple[Any, ...]) -> R:
        """Adds a row that :meth:`_open` will find before it is flushed."""
        self.s.add(row)
        self._groups.setdefault(group, []).append(row)
        return row

    def _prefetch(self, events: Iterable[Applicable]) -> None:
        """Loads, in a few queries, the members that ``events`` name (most ranges seat,
        nominate or register members that the store has not seen yet; one query per member
        would be the range's slowest part)."""
        wanted = {
            e.args[field]
            for e in events
            if (field := _MEMBER_ARG.get((e.contract, e.name))) is not None
        }
        wanted -= {key for model, key in self._rows if model is Member}
        ordered = sorted(wanted)
        for i in range(0, len(ordered), 500):
            chunk = ordered[i : i + 500]
            with self.s.no_autoflush:
                found = {
                    m.address: m
                    for m in self.s.scalars(select(Member).where(Member.address.in_(chunk)))
                }
            for address in chunk:
                self._rows[(Member, address)] = found.get(address)

    def _pool(self, address: str) -> Pool | None:
        kind = pool_kind(address)
        if kind is None:  # most transfers are between people: no lookup at all
            return None
        pool = self._get(Pool, address)
        if pool is None:
            pool = Pool(address=address, kind=kind[0], batch_id=kind[1], month=None, balance=0)
            self._new(pool, address)
        return pool

    @staticmethod
    def _relayer(event: Applicable, signer: str) -> str | None:
        return None if event.tx_from == signer else event.tx_from

    # the council -------------------------------------------------------------------------

    def _admin_changed(self, e: Applicable, a: dict[str, Any]) -> None:
        self._state().admin = a["admin"]

    def _member_id(self, e: Applicable, a: dict[str, Any]) -> None:
        self._member(a["member"], e.block_number).member_id = a["member_id"]
        state = self._state()
        state.member_count = max(state.member_count, a["member_id"])

    def _nominated(self, e: Applicable, a: dict[str, Any]) -> None:
        member = self._member(a["member"], e.block_number)
        member.name = a["name"]
        member.metadata_hash = a["metadata_hash"]
        member.nominated = True

    def _candidate_registered(self, e: Applicable, a: dict[str, Any]) -> None:
        member = self._member(a["candidate"], e.block_number)
        member.name = a["name"]
        member.metadata_hash = a["metadata_hash"]
        member.is_candidate = True
        member.candidate_since = e.block_number
        self._body(2).size = a["pool_size"]

    def _candidacy_withdrawn(self, e: Applicable, a: dict[str, Any]) -> None:
        member = self._member(a["candidate"], e.block_number)
        member.is_candidate = False
        member.candidate_since = None
        self._body(2).size = a["pool_size"]

    def _seated(self, e: Applicable, a: dict[str, Any]) -> None:
        chamber = a["chamber"]
        member = self._member(a["member"], e.block_number)
        if chamber == 0:
            if member.is_candidate:  # a candidate seated as a node leaves the pool
                self._body(2).size -= 1
            member.is_node, member.node_since = True, e.block_number
        else:
            member.is_super, member.super_since = True, e.block_number
        self._body(chamber).size = a["seats"]
        self._grouped(
            Tenure(
                chamber=chamber,
                seated_block=e.block_number,
                seated_log=e.log_index,
                address=member.address,
                left_block=None,
                left_reason=None,
            ),
            (Tenure, chamber, member.address),
        )
        entry = self._waiting(member.address, chamber)
        if entry is not None:  # seated from the queue, or by another path: it leaves the queue
            entry.status, entry.closed_block = SEATED, e.block_number

    def _unseated(self, e: Applicable, a: dict[str, Any]) -> None:
        chamber = a["chamber"]
        member = self._member(a["member"], e.block_number)
        if chamber == 0:
            member.is_node, member.node_since = False, None
            if member.is_candidate:  # back in the candidate pool from now on
                member.candidate_since = e.block_number
                self._body(2).size += 1
        else:
            member.is_super, member.super_since = False, None
        self._body(chamber).size = a["seats"]
        tenure = self._open_tenure(member.address, chamber)
        if tenure is not None:
            tenure.left_block, tenure.left_reason = e.block_number, a["reason"]

    def _queued(self, e: Applicable, a: dict[str, Any]) -> None:
        self._member(a["member"], e.block_number)
        self._grouped(
            QueueEntry(
                chamber=a["chamber"],
                position=a["position"],
                address=a["member"],
                queued_block=e.block_number,
                status=WAITING,
                drop_reason=None,
                closed_block=None,
            ),
            (QueueEntry, a["chamber"], a["member"]),
        )

    def _queue_head_dropped(self, e: Applicable, a: dict[str, Any]) -> None:
        # Reason 4 (left the queue) names an entry already closed when its member was seated
        # by another path; reasons 1–3 drop the member's live entry.
        if a["reason"] == 4:
            return
        entry = self._waiting(a["member"], a["chamber"])
        if entry is not None:
            entry.status, entry.drop_reason = DROPPED, a["reason"]
            entry.closed_block = e.block_number

    def _genesis_phase_closed(self, e: Applicable, a: dict[str, Any]) -> None:
        state = self._state()
        state.genesis_open = False
        state.genesis_phase_closed_block = e.block_number

    def _parameter_changed(self, e: Applicable, a: dict[str, Any]) -> None:
        parameter = a["parameter"]
        row = self._get(ParameterValue, parameter)
        if row is None:
            row = ParameterValue(
                parameter=parameter,
                name=PARAMETER_NAMES.get(parameter, f"parameter {parameter}"),
                value=0,
                changed_block=None,
            )
            self._new(row, parameter)
        row.value, row.changed_block = a["new_value"], e.block_number

    def _forfeited(self, e: Applicable, a: dict[str, Any]) -> None:
        member = self._member(a["member"], e.block_number)
        if a["chamber"] == 1:
            member.super_ban_until = a["ban_until"]
        else:
            member.node_ban_until = a["ban_until"]
        self._append(
            Forfeiture,
            block_number=e.block_number,
            log_index=e.log_index,
            address=member.address,
            member_id=a["member_id"],
            chamber=a["chamber"],
            first_seq=a["first_seq"],
            ban_until=a["ban_until"],
            tx_from=e.tx_from,
        )

    # stages and ballots ------------------------------------------------------------------

    def _stage_opened(self, e: Applicable, a: dict[str, Any]) -> None:
        motion = self._get(Motion, a["motion_id"])
        number = 1
        if motion is not None:
            if motion.stage1 is None:
                motion.stage1 = a["stage_id"]
            else:
                motion.stage2, number = a["stage_id"], 2
        body = self._body(a["chamber"])
        body.stages, body.last_deadline = a["seq"], a["deadline"]
        self._new(
            Stage(
                stage_id=a["stage_id"],
                motion_id=a["motion_id"],
                number=number,
                chamber=a["chamber"],
                seq=a["seq"],
                electorate=a["electorate"],
                threshold=a["threshold"],
                deadline=a["deadline"],
                opened_block=e.block_number,
                opened_at=e.block_time,
                votes_for=0,
                votes_against=0,
                votes_abstain=0,
                passed_at=None,
                passed_block=None,
                failed_block=None,
            ),
            a["stage_id"],
        )

    def _voted(self, e: Applicable, a: dict[str, Any]) -> None:
        stage = self._get(Stage, a["stage_id"])
        choice = a["choice"]
        if stage is not None:
            if choice == 1:
                stage.votes_for += 1
            elif choice == 2:
                stage.votes_against += 1
            else:
                stage.votes_abstain += 1
        self._append(
            Ballot,
            stage_id=a["stage_id"],
            voter=a["voter"],
            motion_id=stage.motion_id if stage is not None else 0,
            choice=choice,
            block_number=e.block_number,
            log_index=e.log_index,
            cast_at=e.block_time,
            tx_hash=e.tx_hash,
            relayer=self._relayer(e, a["voter"]),
        )

    def _stage_passed(self, e: Applicable, a: dict[str, Any]) -> None:
        stage = self._get(Stage, a["stage_id"])
        if stage is not None:
            stage.passed_at, stage.passed_block = e.block_time, e.block_number

    def _stage_failed(self, e: Applicable, a: dict[str, Any]) -> None:
        stage = self._get(Stage, a["stage_id"])
        if stage is not None:
            stage.failed_block = e.block_number

    # sponsorships ------------------------------------------------------------------------

    def _sponsorship_opened(self, e: Applicable, a: dict[str, Any]) -> None:
        self._new(
            Sponsorship(
                motion_id=a["motion_id"],
                body=a["body"],
                electorate=a["electorate"],
                threshold=a["threshold"],
                deadline=a["deadline"],
                opened_block=e.block_number,
                sponsors=0,
                reached_at=None,
                reached_block=None,
            ),
            a["motion_id"],
        )

    def _sponsored(self, e: Applicable, a: dict[str, Any]) -> None:
        round_ = self._get(Sponsorship, a["motion_id"])
        if round_ is not None:
            round_.sponsors = a["sponsors"]
        self._append(
            Sponsor,
            motion_id=a["motion_id"],
            sponsor=a["sponsor"],
            member_id=a["member_id"],
            block_number=e.block_number,
            log_index=e.log_index,
            tx_hash=e.tx_hash,
            relayer=self._relayer(e, a["sponsor"]),
        )

    def _sponsorship_reached(self, e: Applicable, a: dict[str, Any]) -> None:
        round_ = self._get(Sponsorship, a["motion_id"])
        if round_ is not None:
            round_.reached_at, round_.reached_block = e.block_time, e.block_number

    # motions -----------------------------------------------------------------------------

    def _motion_proposed(self, e: Applicable, a: dict[str, Any]) -> None:
        args = a["args"]
        self._new(
            Motion(
                motion_id=a["motion_id"],
                kind=a["kind"],
                proposer=a["proposer"],
                args_hash=a["args_hash"],
                args={
                    "accounts": list(args["accounts"]),
                    "numbers": [str(n) for n in args["numbers"]],
                    "hashes": list(args["hashes"]),
                    "text": args["text"],
                },
                created_block=e.block_number,
                created_at=e.block_time,
                # the motion stores the parameters in force when it is created (Motions.vy)
                notice_period=self._parameter(4),
                execution_window=self._parameter(3),
                stage1=None,
                stage2=None,
                executed_block=None,
                executed_at=None,
                executor=None,
                closed_status=None,
                tx_hash=e.tx_hash,
            ),
            a["motion_id"],
        )
        state = self._state()
        state.motion_count = max(state.motion_count, a["motion_id"])

    def _motion_executed(self, e: Applicable, a: dict[str, Any]) -> None:
        motion = self._get(Motion, a["motion_id"])
        if motion is not None:
            motion.executed_block, motion.executed_at = e.block_number, e.block_time
            motion.executor, motion.closed_status = a["executor"], EXECUTED

    def _motion_closed(self, e: Applicable, a: dict[str, Any]) -> None:
        motion = self._get(Motion, a["motion_id"])
        if motion is not None:
            motion.closed_status = a["status"]

    # the token ---------------------------------------------------------------------------

    def _transfer(self, e: Applicable, a: dict[str, Any]) -> None:
        sender, receiver, value = a["sender"], a["receiver"], a["value"]
        supply = self._supply()
        if sender == ZERO:
            supply.total_supply += value
        if receiver == ZERO:
            supply.total_supply -= value
        source = self._pool(sender) if sender != ZERO else None
        target = self._pool(receiver) if receiver != ZERO else None
        if source is not None:
            source.balance -= value
        if target is not None:
            target.balance += value
        if target is not None and source is None:
            supply.in_pools += value
        if source is not None and target is None:
            supply.in_pools -= value
            self._claimed(e, source, receiver, value)

    def _claimed(self, e: Applicable, pool: Pool, account: str, value: int) -> None:
        self._append(
            Claim,
            block_number=e.block_number,
            log_index=e.log_index,
            pool=pool.address,
            kind=pool.kind,
            batch_id=pool.batch_id,
            month=pool.month,
            account=account,
            amount=value,
            claimed_at=e.block_time,
            tx_hash=e.tx_hash,
            tx_from=e.tx_from,
        )
        if pool.batch_id is not None:
            batch = self._get(Batch, pool.batch_id)
            if batch is not None:
                if pool.kind == "leader":
                    batch.leader_claimed += value
                else:
                    batch.user_claimed += value

    def _issued(self, e: Applicable, a: dict[str, Any]) -> None:
        supply = self._supply()
        if a["bucket"] == 0:
            supply.issued_genesis = a["issued_bucket"]
        else:
            supply.issued_matched = a["issued_bucket"]

    def _burned(self, e: Applicable, a: dict[str, Any]) -> None:
        self._supply().burned = a["burned_total"]

    def _batch_opened(self, e: Applicable, a: dict[str, Any]) -> None:
        for address in (a["user_pool"], a["leader_pool"]):
            self._pool(address)
        self._new(
            Batch(
                batch_id=a["batch_id"],
                motion_id=None,
                currency=None,
                total=a["user_total"] + a["leader_total"],
                user_total=a["user_total"],
                leader_total=a["leader_total"],
                root=a["root"],
                content_hash=None,
                uri=None,
                user_pool=a["user_pool"],
                leader_pool=a["leader_pool"],
                minted=a["minted"],
                opened_block=e.block_number,
                opened_at=e.block_time,
                user_claimed=0,
                leader_claimed=0,
            ),
            a["batch_id"],
        )

    def _genesis_month_opened(self, e: Applicable, a: dict[str, Any]) -> None:
        pool = self._pool(a["pool"])
        carried = 0
        if pool is not None:
            pool.month = a["month"]
            carried = pool.balance - a["released"]  # the previous pool moved in, then the mint
        self._new(
            GenesisMonth(
                month=a["month"],
                motion_id=None,
                root=a["root"],
                content_hash=None,
                uri=None,
                pool=a["pool"],
                released=a["released"],
                carried=max(carried, 0),
                cum_paid=None,
                cum_forfeited=None,
                released_block=e.block_number,
                released_at=e.block_time,
            ),
            a["month"],
        )

    # the treasury ------------------------------------------------------------------------

    def _task_requested(self, e: Applicable, a: dict[str, Any]) -> None:
        self._new(
            Task(
                task_id=a["task_id"],
                client=a["client"],
                kind=a["kind"],
                currency=a["currency"],
                fee=a["fee"],
                metadata_hash=a["metadata_hash"],
                state=1,
                requested_block=e.block_number,
                requested_at=e.block_time,
                motion_id=None,
                batch_id=None,
                settled_block=None,
            ),
            a["task_id"],
        )

    def _task(self, task_id: int) -> Task | None:
        return self._get(Task, task_id)

    def _task_approval_proposed(self, e: Applicable, a: dict[str, Any]) -> None:
        task = self._task(a["task_id"])
        if task is not None:
            task.motion_id = a["motion_id"]

    def _task_approved(self, e: Applicable, a: dict[str, Any]) -> None:
        task = self._task(a["task_id"])
        if task is not None:
            task.state, task.motion_id, task.settled_block = 2, a["motion_id"], e.block_number

    def _task_matched(self, e: Applicable, a: dict[str, Any]) -> None:
        task = self._task(a["task_id"])
        if task is not None:
            task.state, task.batch_id, task.settled_block = 4, a["batch_id"], e.block_number

    def _task_refunded(self, e: Applicable, a: dict[str, Any]) -> None:
        task = self._task(a["task_id"])
        if task is not None:
            task.state, task.settled_block = 3, e.block_number

    def _spent(self, e: Applicable, a: dict[str, Any]) -> None:
        self._append(
            Spending,
            block_number=e.block_number,
            log_index=e.log_index,
            to=a["to"],
            amount=a["amount"],
            memo_hash=a["memo_hash"],
            revenue_left=a["revenue_left"],
            spent_at=e.block_time,
        )

    def _statement_published(self, e: Applicable, a: dict[str, Any]) -> None:
        self._append(
            Statement,
            statement_id=a["statement_id"],
            motion_id=a["motion_id"],
            period_start=a["period_start"],
            period_end=a["period_end"],
            content_hash=a["content_hash"],
            uri=a["uri"],
            published_block=e.block_number,
            published_at=e.block_time,
        )

    def _buyback_burned(self, e: Applicable, a: dict[str, Any]) -> None:
        self._append(
            Burn,
            burn_id=a["burn_id"],
            kol_amount=a["kol_amount"],
            usdt_spent=a["usdt_spent"],
            reference=a["reference"],
            burned_block=e.block_number,
            burned_at=e.block_time,
        )

    def _batch_issued(self, e: Applicable, a: dict[str, Any]) -> None:
        batch = self._get(Batch, a["batch_id"])
        if batch is not None:
            batch.motion_id, batch.currency, batch.total = a["motion_id"], a["currency"], a["total"]
            batch.content_hash, batch.uri = a["content_hash"], a["uri"]

    def _genesis_released(self, e: Applicable, a: dict[str, Any]) -> None:
        month = self._get(GenesisMonth, a["month"])
        if month is not None:
            month.motion_id, month.content_hash, month.uri = (
                a["motion_id"],
                a["content_hash"],
                a["uri"],
            )
            month.cum_paid, month.cum_forfeited = a["cum_paid"], a["cum_forfeited"]
        state = self._state()
        state.genesis_month = a["month"]
        state.genesis_cum_paid, state.genesis_cum_forfeited = a["cum_paid"], a["cum_forfeited"]

    def _genesis_program_closed(self, e: Applicable, a: dict[str, Any]) -> None:
        state = self._state()
        state.genesis_program_closed = True
        state.genesis_cum_paid, state.genesis_cum_forfeited = a["cum_paid"], a["cum_forfeited"]

    def _audit_demanded(self, e: Applicable, a: dict[str, Any]) -> None:
        self._new(
            AuditDemand(
                demand_id=a["demand_id"],
                motion_id=a["motion_id"],
                period_start=a["period_start"],
                period_end=a["period_end"],
                due=a["due"],
                demanded_block=e.block_number,
                demanded_at=e.block_time,
                answered_at=None,
                answered_block=None,
                report_hash=None,
                report_uri=None,
                answered_overdue=None,
            ),
            a["demand_id"],
        )

    def _audit_answered(self, e: Applicable, a: dict[str, Any]) -> None:
        demand = self._get(AuditDemand, a["demand_id"])
        if demand is not None:
            demand.answered_at, demand.answered_block = e.block_time, e.block_number
            demand.report_hash, demand.report_uri = a["report_hash"], a["report_uri"]
            demand.answered_overdue = a["overdue"]


def insert_rows(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """One multi-row INSERT of ``rows`` into ``model``'s table (Core: no ORM objects made)."""
    if rows:
        session.execute(insert(cast("Table", model.__table__)), rows)


def rebuild(session: Session, *, chunk: int = 2_000) -> int:
    """Empties the derived tables and replays every stored event into them, in chain order;
    returns the number of events replayed. The caller commits."""
    for table in DERIVED_TABLES:
        session.execute(delete(table))
    session.flush()
    projector = Projector(session)
    projector.ensure_initial()
    replayed = 0
    after: tuple[int, int] = (-1, -1)
    while True:
        rows = session.scalars(
            select(Event)
            .where(
                (Event.block_number > after[0])
                | ((Event.block_number == after[0]) & (Event.log_index > after[1]))
            )
            .order_by(Event.block_number, Event.log_index)
            .limit(chunk)
        ).all()
        if not rows:
            return replayed
        projector.project(rows)
        replayed += len(rows)
        after = (rows[-1].block_number, rows[-1].log_index)
