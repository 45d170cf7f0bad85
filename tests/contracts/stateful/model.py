"""A small, pure Python reference model of the constitution's §3–§6.

It knows nothing of the contracts' storage layout: it is written from
``CONSTITUTION.md`` (seats, candidates, alternate queues, bans, stages,
ballots, attendance, the membership motions of §5 and ``SET_PARAMETERS``).
The state machine in ``test_governance_stateful.py`` drives the contracts and
this model side by side and compares every outcome.

Where the constitution leaves a choice open, the model takes the reading the
contracts document (each one is marked **[reading]** below); where the
constitution decides, the model follows the constitution even when the
contracts disagree.

Conventions: every operation first checks everything, then changes state, so
an operation that raises ``Revert`` leaves the model untouched (as a reverted
transaction leaves the chain untouched). Relayed ballots and sponsorships do
not revert: the model returns, per item, the set of reasons that make it
invalid (empty: it is recorded). The contract must report one of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

DAY = 86_400

# Chambers and bodies (§1, §3).
NODE, SUPER, POOL = 0, 1, 2
CHAMBERS = (NODE, SUPER)
CAPS = {NODE: 500, SUPER: 21}

# Ballot choices (§4).
FOR, AGAINST, ABSTAIN = 1, 2, 3
CHOICES = (FOR, AGAINST, ABSTAIN)

# Motion kinds (§5) — the numbering of the motions engine.
RATIFY_GENESIS_SUPER_NODES = 1
REPLACE_NODE = 3
REPLACE_SUPER_NODE = 4
REPLACE_ADMIN = 5
REPLENISH_SUPER_ALTERNATES = 10
REPLENISH_NODE_ALTERNATES = 11
SET_PARAMETERS = 12

# Who may propose.
BY_NODE, BY_SUPER_NODE, BY_CANDIDATE = "node", "super node", "candidate"


@dataclass(frozen=True)
class Rule:
    """One row of the power map (§5)."""

    proposer: str
    sponsor_body: int | None
    sponsor_pct: int
    chamber1: int
    pct1: int
    chamber2: int | None = None
    pct2: int = 0


RULES: dict[int, Rule] = {
    RATIFY_GENESIS_SUPER_NODES: Rule(BY_NODE, None, 0, NODE, 33),
    REPLACE_NODE: Rule(BY_SUPER_NODE, None, 0, SUPER, 33),
    REPLACE_SUPER_NODE: Rule(BY_NODE, None, 0, NODE, 51),
    REPLACE_ADMIN: Rule(BY_NODE, None, 0, NODE, 67),
    REPLENISH_SUPER_ALTERNATES: Rule(BY_NODE, NODE, 10, SUPER, 33),
    REPLENISH_NODE_ALTERNATES: Rule(BY_CANDIDATE, POOL, 10, NODE, 33),
    SET_PARAMETERS: Rule(BY_SUPER_NODE, None, 0, SUPER, 51, NODE, 51),
}

# Motion statuses (the engine's numbering).
SPONSORING, VOTING, PASSED, EXECUTED, FAILED, LAPSED, AWAITING_STAGE = 1, 2, 3, 4, 5, 6, 7
LIVE = (SPONSORING, VOTING, AWAITING_STAGE)

# Stage statuses.
STAGE_OPEN, STAGE_PASSED, STAGE_FAILED = 1, 2, 3

# Why a ballot is refused (the codes ``cast_ballots`` reports).
NO_SUCH_STAGE = 1
STAGE_CLOSED = 2
NOT_SEATED = 3
SEATED_AFTER_OPENING = 4
ALREADY_VOTED = 5
BAD_CHOICE = 6
EXPIRED = 7
BAD_SIGNATURE = 8

BALLOT_FAULTS = {
    NO_SUCH_STAGE: "no such stage",
    STAGE_CLOSED: "the stage's deadline has passed",
    NOT_SEATED: "the voter is not seated in the stage's chamber",
    SEATED_AFTER_OPENING: "the voter was not in the electorate (seated after the stage opened)",
    ALREADY_VOTED: "the voter already voted in this stage",
    BAD_CHOICE: "the choice is not For, Against or Abstain",
    EXPIRED: "the signed ballot has expired",
    BAD_SIGNATURE: "the signature is not the voter's",
}

# Why a sponsorship is refused (the codes ``relay_sponsorships`` reports).
NOT_SPONSORING = 1
WINDOW_CLOSED = 2
NOT_IN_BODY = 3
JOINED_AFTER_PROPOSAL = 4
ALREADY_SPONSORED = 5
SPONSOR_EXPIRED = 6
SPONSOR_BAD_SIGNATURE = 7
SPONSORSHIP_FAULTS = {
    NOT_SPONSORING: "the motion is not gathering sponsors",
    WINDOW_CLOSED: "the sponsorship window has closed",
    NOT_IN_BODY: "the sponsor is not in the sponsoring body",
    JOINED_AFTER_PROPOSAL: "the sponsor joined the sponsoring body after the motion was "
    "proposed (§4: sponsors are counted over the body as it was then, as for a stage)",
    ALREADY_SPONSORED: "already sponsored",
    SPONSOR_EXPIRED: "the signed sponsorship has expired",
    SPONSOR_BAD_SIGNATURE: "the signature is not the sponsor's",
}


def explain(faults: set[int], reasons: dict[int, str]) -> str:
    return "; ".join(f"{reasons[f]} [{f}]" for f in sorted(faults))


# Parameters (§10) that SET_PARAMETERS may change here, with their defaults
# and the ranges the contracts accept [reading: the constitution gives no ranges].
VOTING_PERIOD, SPONSOR_WINDOW, EXECUTION_WINDOW, NOTICE_PERIOD = 1, 2, 3, 4
SUPER_BAN, NODE_BAN = 7, 8
DEFAULTS = {
    VOTING_PERIOD: 3 * DAY,
    SPONSOR_WINDOW: 7 * DAY,
    EXECUTION_WINDOW: 7 * DAY,
    NOTICE_PERIOD: 0,
    SUPER_BAN: 90 * DAY,
    NODE_BAN: 180 * DAY,
}
RANGES = {
    VOTING_PERIOD: (3_600, 30 * DAY),
    SPONSOR_WINDOW: (3_600, 30 * DAY),
    EXECUTION_WINDOW: (DAY, 30 * DAY),
    NOTICE_PERIOD: (0, 14 * DAY),
    SUPER_BAN: (0, 3_650 * DAY),
    NODE_BAN: (0, 3_650 * DAY),
}
BAN_PARAMETER = {NODE: NODE_BAN, SUPER: SUPER_BAN}

# A refill passes over at most this many ineligible heads [reading: a bounded
# loop, documented in council.vy; calling refill again clears the rest].
MAX_DROPS = 16
REFILL_STEPS = MAX_DROPS + CAPS[SUPER] + 5

ZERO = "0x0000000000000000000000000000000000000000"

MotionArgs = tuple[tuple[str, ...], tuple[int, ...]]


class Revert(Exception):
    """The model expects the transaction to revert (the message says why)."""


def threshold(pct: int, electorate: int) -> int:
    """§4: ceil(pct × electorate / 100), and at least 1."""
    return max(1, -(-pct * electorate // 100))


def stage_id(seq: int, chamber: int) -> int:
    """The contracts' stage id: seq * 2 + chamber."""
    return seq * 2 + chamber


# STATE #


@dataclass
class Member:
    """Everything the model knows of one address."""

    address: str
    id: int = 0
    seated: list[bool] = field(default_factory=lambda: [False, False])
    # block in which the current seat of each chamber was taken
    since: list[int] = field(default_factory=lambda: [0, 0])
    candidate: bool = False
    # block in which the address last entered the candidate pool
    pool_since: int = 0
    # timestamp until which each chamber is barred
    ban_until: list[int] = field(default_factory=lambda: [0, 0])

    def in_pool(self) -> bool:
        return self.candidate and not self.seated[NODE]


@dataclass
class Stage:
    """One chamber voting on one motion (§4)."""

    id: int
    motion_id: int
    chamber: int
    seq: int
    opened_block: int
    opened_at: int
    deadline: int
    electorate: frozenset[str]
    threshold: int
    tally: dict[int, int] = field(default_factory=lambda: {FOR: 0, AGAINST: 0, ABSTAIN: 0})
    ballots: dict[str, int] = field(default_factory=dict)
    passed_at: int = 0

    def status(self, now: int) -> int:
        if self.tally[FOR] >= self.threshold:
            return STAGE_PASSED
        if self.tally[AGAINST] + self.tally[ABSTAIN] > len(self.electorate) - self.threshold:
            return STAGE_FAILED
        if now > self.deadline:
            return STAGE_FAILED
        return STAGE_OPEN


@dataclass
class Sponsorship:
    """A motion gathering its co-sponsors (§4)."""

    body: int
    proposed_block: int
    deadline: int
    electorate: frozenset[str]
    threshold: int
    sponsors: set[str] = field(default_factory=set)
    reached_at: int = 0


@dataclass
class Motion:
    id: int
    kind: int
    proposer: str
    args: MotionArgs
    created_at: int
    notice_period: int
    execution_window: int
    sponsorship: Sponsorship | None = None
    stage1: int = 0
    stage2: int = 0
    closed: int = 0
    executions: int = 0


@dataclass
class Queue:
    """An ordered alternate queue (§3).

    ``entries`` keeps every address ever appended (the head moves forward);
    ``live`` maps a queued address to the index of its entry. An alternate
    that takes the seat by another path leaves the queue at once; its old
    entry is passed over (and counts as a drop) when it reaches the head.
    """

    entries: list[str] = field(default_factory=list)
    head: int = 0
    live: dict[str, int] = field(default_factory=dict)

    def waiting(self) -> list[str]:
        """The queued addresses, head first (eligible or not)."""
        return [a for i, a in enumerate(self.entries) if i >= self.head and self.live.get(a) == i]


# THE MODEL #


class Alliance:
    """The model of one deployed alliance."""

    def __init__(self, admin: str, now: int, block: int) -> None:
        self.admin = admin
        self.genesis_open = True
        self.now = now
        self.block = block
        self.params = dict(DEFAULTS)
        self.members: dict[str, Member] = {}
        self.member_count = 0
        self.queues = {NODE: Queue(), SUPER: Queue()}
        self.stages: dict[int, Stage] = {}
        self.stage_count = {NODE: 0, SUPER: 0}
        self.last_deadline = {NODE: 0, SUPER: 0}
        self.motions: dict[int, Motion] = {}
        self.latest_motion: dict[str, int] = {}
        # Members of each body at the start of the current block.
        self.start_of_block: dict[int, frozenset[str]] = {b: frozenset() for b in (0, 1, 2)}
        # Effects applied, in order: (motion id, kind) — §11.7.
        self.effects: list[tuple[int, int]] = []
        # What changed since the test last looked (it re-reads only that,
        # and everything every few steps).
        self.touched: set[str] = set()
        self.touched_stages: set[int] = set()
        self.touched_motions: set[int] = set()

    def drain_touched(self) -> tuple[set[str], set[int], set[int]]:
        touched = (self.touched, self.touched_stages, self.touched_motions)
        self.touched, self.touched_stages, self.touched_motions = set(), set(), set()
        return touched

    # CLOCK #

    def tick(self, now: int, block: int) -> None:
        """Time passes: a new block starts (the chain's clock is the truth)."""
        assert now >= self.now and block >= self.block, "time runs forward"
        if block != self.block:
            self.start_of_block = {b: frozenset(self.body(b)) for b in (NODE, SUPER, POOL)}
        self.now, self.block = now, block

    # READING #

    def m(self, address: str) -> Member:
        """The member record of ``address`` (a blank one if unknown; not stored)."""
        return self.members.get(address) or Member(address)

    def body(self, body: int) -> Iterator[str]:
        for a, m in self.members.items():
            if (body == POOL and m.in_pool()) or (body != POOL and m.seated[body]):
                yield a

    def size(self, body: int) -> int:
        return sum(1 for _ in self.body(body))

    def banned(self, address: str, chamber: int) -> bool:
        return self.m(address).ban_until[chamber] > self.now

    def is_queued(self, address: str, chamber: int) -> bool:
        return address in self.queues[chamber].live

    def has_voted(self, sid: int, address: str) -> bool:
        st = self.stages.get(sid)
        return st is not None and address in st.ballots

    def stage_ids(self) -> list[int]:
        return [stage_id(s, c) for c in CHAMBERS for s in range(1, self.stage_count[c] + 1)]

    def motion_status(self, motion_id: int) -> int:
        """§4: a motion's status from its stages and the clock (0: no such motion)."""
        mo = self.motions.get(motion_id)
        if mo is None:
            return 0
        if mo.closed:
            return mo.closed
        if mo.stage1 == 0:
            sp = mo.sponsorship
            assert sp is not None
            if sp.reached_at:
                # [reading] stage 1 must be opened within the execution window.
                return LAPSED if self.now > sp.reached_at + mo.execution_window else AWAITING_STAGE
            return LAPSED if self.now > sp.deadline else SPONSORING
        last = self.stages[mo.stage2 or mo.stage1]
        status = last.status(self.now)
        if status == STAGE_OPEN:
            return VOTING
        if status == STAGE_FAILED:
            return FAILED
        if mo.stage2 == 0 and RULES[mo.kind].chamber2 is not None:
            # [reading] stage 2 must be opened within the execution window.
            return LAPSED if self.now > last.passed_at + mo.execution_window else AWAITING_STAGE
        if self.now > last.passed_at + mo.notice_period + mo.execution_window:
            return LAPSED
        return PASSED

    def motion_stages(self, motion_id: int) -> list[Stage]:
        mo = self.motions[motion_id]
        return [self.stages[s] for s in (mo.stage1, mo.stage2) if s]

    # SEATS (internal) #

    def _member(self, address: str) -> Member:
        self.touched.add(address)
        if address not in self.members:
            self.members[address] = Member(address)
        return self.members[address]

    def _give_id(self, m: Member) -> None:
        if m.id == 0:
            self.member_count += 1
            m.id = self.member_count

    def _seat(self, address: str, chamber: int) -> None:
        m = self._member(address)
        assert not m.seated[chamber] and not self.banned(address, chamber)
        assert self.size(chamber) < CAPS[chamber]
        assert chamber == NODE or m.seated[NODE], "a super node is a seated node"
        self.queues[chamber].live.pop(address, None)
        self._give_id(m)
        m.seated[chamber] = True
        m.since[chamber] = self.block

    def _leave(self, address: str, chamber: int) -> None:
        m = self._member(address)
        m.seated[chamber] = False
        if chamber == NODE and m.candidate:
            m.pool_since = self.block

    def _unseat(self, address: str, chamber: int) -> None:
        """§3: a node who leaves the node chamber leaves the super chamber too."""
        if chamber == NODE and self.members[address].seated[SUPER]:
            self._leave(address, SUPER)
        self._leave(address, chamber)

    def _queue_ineligible(self, address: str, chamber: int) -> bool:
        """§3: already seated, banned, or (node) not a candidate / (super) not a node."""
        m = self.m(address)
        if m.seated[chamber] or self.banned(address, chamber):
            return True
        if chamber == NODE:
            return not m.candidate
        return not m.seated[NODE]

    def _enqueue(self, address: str, chamber: int) -> None:
        q = self.queues[chamber]
        assert address not in q.live and not self._queue_ineligible(address, chamber)
        q.live[address] = len(q.entries)
        q.entries.append(address)
        self._give_id(self._member(address))

    def _refill(self, chamber: int, limit: int) -> int:
        """§3: seats the queue's heads in order while seats are free; ineligible
        heads are skipped and dropped."""
        q = self.queues[chamber]
        seated = drops = 0
        for _ in range(REFILL_STEPS):
            if q.head == len(q.entries) or seated == limit or self.size(chamber) >= CAPS[chamber]:
                break
            address = q.entries[q.head]
            live = q.live.get(address) == q.head
            if live:
                del q.live[address]
                self.touched.add(address)
            q.head += 1
            if not live or self._queue_ineligible(address, chamber):
                drops += 1
                if drops == MAX_DROPS:
                    break
                continue
            self._seat(address, chamber)
            seated += 1
        return seated

    def _refill_after_leaving(self, chamber: int, was_super: bool) -> None:
        """§6: a freed seat is refilled from the queue in the same transaction."""
        if chamber == NODE and was_super:
            self._refill(SUPER, 1)
        self._refill(chamber, 1)

    # SEATS (actions) #

    def nominate(self, sender: str, node: str) -> None:
        """§3: the administrator seats nodes directly while genesis is open."""
        if sender != self.admin:
            raise Revert("only the genesis administrator nominates")
        if not self.genesis_open:
            raise Revert("the genesis phase is closed")
        m = self.m(node)
        if node == ZERO or m.seated[NODE] or self.banned(node, NODE):
            raise Revert("cannot seat that address")
        if self.size(NODE) >= CAPS[NODE]:
            raise Revert("all 500 node seats are taken")
        self._seat(node, NODE)

    def register_candidate(self, address: str, name: str) -> None:
        m = self.m(address)
        if m.candidate:
            raise Revert("already a registered candidate")
        if m.seated[NODE]:
            raise Revert("a seated node is not a candidate")
        if not name:
            raise Revert("a candidate needs a name")
        m = self._member(address)
        self._give_id(m)
        m.candidate = True
        m.pool_since = self.block

    def withdraw_candidacy(self, address: str) -> None:
        if not self.m(address).candidate:
            raise Revert("not a registered candidate")
        self._member(address).candidate = False

    def resign(self, address: str, chamber: int) -> None:
        """§3: a member may always resign."""
        if chamber not in CHAMBERS:
            raise Revert("chamber is 0 or 1")
        m = self.m(address)
        if not m.seated[chamber]:
            raise Revert("not seated in that chamber")
        was_super = m.seated[SUPER]
        self._unseat(address, chamber)
        self._refill_after_leaving(chamber, was_super)

    def refill(self, chamber: int) -> int:
        if chamber not in CHAMBERS:
            raise Revert("chamber is 0 or 1")
        return self._refill(chamber, 1 << 256)

    # STAGES AND BALLOTS #

    def _open_stage(self, motion_id: int, chamber: int, pct: int) -> int:
        """§4: the electorate is fixed when the stage opens — the members seated
        before this block — with its threshold and a deadline never earlier than
        the chamber's previous one."""
        electorate = self.start_of_block[chamber]
        deadline = max(self.now + self.params[VOTING_PERIOD], self.last_deadline[chamber])
        seq = self.stage_count[chamber] + 1
        sid = stage_id(seq, chamber)
        self.stages[sid] = Stage(
            id=sid,
            motion_id=motion_id,
            chamber=chamber,
            seq=seq,
            opened_block=self.block,
            opened_at=self.now,
            deadline=deadline,
            electorate=electorate,
            threshold=threshold(pct, len(electorate)),
        )
        self.stage_count[chamber] = seq
        self.last_deadline[chamber] = deadline
        self.touched_stages.add(sid)
        self.touched_motions.add(motion_id)
        return sid

    def ballot_faults(self, voter: str, sid: int, choice: int, expiry: int | None) -> set[int]:
        """Why a ballot cannot be recorded (empty: it can). ``expiry`` None: own tx."""
        st = self.stages.get(sid)
        if st is None:
            return {NO_SUCH_STAGE}
        faults = set()
        if choice not in CHOICES:
            faults.add(BAD_CHOICE)
        if self.now > st.deadline:
            faults.add(STAGE_CLOSED)
        if expiry is not None and self.now > expiry:
            faults.add(EXPIRED)
        m = self.m(voter)
        if not m.seated[st.chamber]:
            faults.add(NOT_SEATED)
        elif m.since[st.chamber] >= st.opened_block:
            faults.add(SEATED_AFTER_OPENING)
        if voter in st.ballots:
            faults.add(ALREADY_VOTED)
        return faults

    def _record(self, voter: str, sid: int, choice: int) -> None:
        st = self.stages[sid]
        # §11.6: only electorate members vote, once, before the deadline.
        assert voter in st.electorate and voter not in st.ballots and self.now <= st.deadline
        st.ballots[voter] = choice
        st.tally[choice] += 1
        self.touched_stages.add(sid)
        self.touched_motions.add(st.motion_id)
        if choice == FOR and st.passed_at == 0 and st.tally[FOR] >= st.threshold:
            st.passed_at = self.now

    def vote(self, voter: str, sid: int, choice: int) -> None:
        """A member's own ballot: reverts unless it can be recorded."""
        faults = self.ballot_faults(voter, sid, choice, None)
        if faults:
            raise Revert(f"ballot refused: {explain(faults, BALLOT_FAULTS)}")
        self._record(voter, sid, choice)

    def cast_ballots(self, batch: Iterable[tuple[str, int, int, int, bool]]) -> list[set[int]]:
        """Relayed ballots (voter, stage, choice, expiry, signature valid), in order;
        each bad one is skipped. Returns each ballot's faults."""
        result = []
        for voter, sid, choice, expiry, signed in batch:
            # Every fault that applies (the contract may report any one of them).
            faults = self.ballot_faults(voter, sid, choice, expiry)
            if not signed:
                faults.add(BAD_SIGNATURE)
            if not faults:
                self._record(voter, sid, choice)
            result.append(faults)
        return result

    # SPONSORSHIPS #

    def sponsorship_faults(self, sponsor: str, motion_id: int, expiry: int | None) -> set[int]:
        mo = self.motions.get(motion_id)
        sp = mo.sponsorship if mo else None
        if sp is None:
            return {NOT_SPONSORING}
        faults = set()
        if self.now > sp.deadline:
            faults.add(WINDOW_CLOSED)
        if expiry is not None and self.now > expiry:
            faults.add(SPONSOR_EXPIRED)
        m = self.m(sponsor)
        if sp.body == NODE:
            member, joined = m.seated[NODE], m.since[NODE]
        else:
            member, joined = m.in_pool(), m.pool_since
        if not member:
            faults.add(NOT_IN_BODY)
        elif joined >= sp.proposed_block:
            # §4: sponsors are counted over the body as it was when the motion
            # was proposed ("threshold computed the same way"), as for a stage.
            faults.add(JOINED_AFTER_PROPOSAL)
        if sponsor in sp.sponsors:
            faults.add(ALREADY_SPONSORED)
        return faults

    def _sponsor(self, sponsor: str, motion_id: int) -> None:
        sp = self.motions[motion_id].sponsorship
        assert sp is not None and sponsor in sp.electorate
        sp.sponsors.add(sponsor)
        self.touched_motions.add(motion_id)
        if len(sp.sponsors) == sp.threshold:
            sp.reached_at = self.now

    def sponsor(self, sponsor: str, motion_id: int) -> None:
        faults = self.sponsorship_faults(sponsor, motion_id, None)
        if faults:
            raise Revert(f"sponsorship refused: {explain(faults, SPONSORSHIP_FAULTS)}")
        self._sponsor(sponsor, motion_id)

    def relay_sponsorships(self, items: Iterable[tuple[str, int, int, bool]]) -> list[set[int]]:
        result = []
        for sponsor, motion_id, expiry, signed in items:
            faults = self.sponsorship_faults(sponsor, motion_id, expiry)
            if not signed:
                faults.add(SPONSOR_BAD_SIGNATURE)
            if not faults:
                self._sponsor(sponsor, motion_id)
            result.append(faults)
        return result

    # ATTENDANCE (§6) #

    def forfeit_faults(self, address: str, chamber: int, first_seq: int) -> str | None:
        """Why (member, chamber, first_seq) does not prove three consecutive misses;
        None when it does."""
        if chamber not in CHAMBERS:
            return "no such chamber"
        m = self.m(address)
        if not m.seated[chamber]:
            return "not seated in that chamber"
        if first_seq < 1 or first_seq + 2 > self.stage_count[chamber]:
            return "the three stages have not all opened"
        three = [self.stages[stage_id(first_seq + k, chamber)] for k in range(3)]
        if any(self.now <= s.deadline for s in three):
            return "a deadline has not passed"
        # [reading] the misses count against the seat held now: the member held
        # it, without a break, since before each of the three stages opened.
        if any(m.since[chamber] >= s.opened_block for s in three):
            return "not in every electorate with the seat held now"
        assert all(address in s.electorate for s in three)
        if any(address in s.ballots for s in three):
            return "voted in one of the three"
        return None

    def valid_forfeits(self) -> list[tuple[str, int, int]]:
        found = []
        for chamber in CHAMBERS:
            for address in list(self.body(chamber)):
                for seq in range(1, self.stage_count[chamber] - 1):
                    if self.forfeit_faults(address, chamber, seq) is None:
                        found.append((address, chamber, seq))
        return found

    def forfeit(self, address: str, chamber: int, first_seq: int) -> None:
        """§6: the seat is lost, the §3 ban starts, the seat is refilled."""
        fault = self.forfeit_faults(address, chamber, first_seq)
        if fault:
            raise Revert(fault)
        was_super = self.members[address].seated[SUPER]
        self._unseat(address, chamber)
        # [reading] the ban is on the chamber cited (a node ban also keeps the
        # address out of the super chamber, which needs a node seat).
        self._member(address).ban_until[chamber] = self.now + self.params[BAN_PARAMETER[chamber]]
        self._refill_after_leaving(chamber, was_super)

    # MOTIONS (§4, §5) #

    def _check_proposer(self, role: str, proposer: str) -> None:
        m = self.m(proposer)
        if role == BY_NODE and not m.seated[NODE]:
            raise Revert("only a seated node may propose this motion")
        if role == BY_SUPER_NODE and not m.seated[SUPER]:
            raise Revert("only a super node may propose this motion")
        if role == BY_CANDIDATE and not m.in_pool():
            raise Revert("only a registered candidate may propose this motion")

    def _validate(self, kind: int, args: MotionArgs) -> None:
        """§5: a motion's typed arguments, checked at proposal and at execution."""
        accounts, numbers = args
        if kind == RATIFY_GENESIS_SUPER_NODES:
            if len(numbers) != 1:
                raise Revert("the slate size is the only number")
            slate = numbers[0]
            if not 1 <= slate <= CAPS[SUPER] or slate > len(accounts):
                raise Revert("bad slate size")
            if self.size(SUPER) != 0:
                raise Revert("only while no super node is seated")
            self._distinct(accounts)
            for i, a in enumerate(accounts):
                if not self.m(a).seated[NODE] or self.banned(a, SUPER):
                    raise Revert("slate and alternates must be seated nodes, not super-banned")
                if i >= slate and self.is_queued(a, SUPER):
                    raise Revert("already a super alternate")
        elif kind == REPLACE_NODE:
            self._shape(args, 2)
            old, new = accounts
            if not self.m(old).seated[NODE]:
                raise Revert("the node to replace is not seated")
            if new == ZERO or self.m(new).seated[NODE] or self.banned(new, NODE):
                raise Revert("the new node must be a non-member, not banned")
        elif kind == REPLACE_SUPER_NODE:
            self._shape(args, 2)
            old, new = accounts
            if not self.m(old).seated[SUPER]:
                raise Revert("the super node to replace is not seated")
            mn = self.m(new)
            if not mn.seated[NODE] or mn.seated[SUPER] or self.banned(new, SUPER):
                raise Revert("the new super node must be a seated node, not super, not banned")
        elif kind == REPLACE_ADMIN:
            self._shape(args, 1)
            if accounts[0] in (ZERO, self.admin):
                raise Revert("bad new administrator")
        elif kind in (REPLENISH_SUPER_ALTERNATES, REPLENISH_NODE_ALTERNATES):
            chamber = SUPER if kind == REPLENISH_SUPER_ALTERNATES else NODE
            self._shape(args, 3 if chamber == SUPER else 5)
            self._distinct(accounts)
            for a in accounts:
                if self.is_queued(a, chamber) or self._queue_ineligible(a, chamber):
                    raise Revert("not eligible as an alternate of that chamber")
        elif kind == SET_PARAMETERS:
            if accounts or len(numbers) < 2 or len(numbers) % 2:
                raise Revert("pairs of (parameter, value) only")
            ids = numbers[::2]
            if len(set(ids)) != len(ids):
                raise Revert("a parameter is named twice")
            for p, v in zip(ids, numbers[1::2], strict=True):
                if p not in RANGES or not RANGES[p][0] <= v <= RANGES[p][1]:
                    raise Revert(f"parameter {p} = {v} refused")
        else:
            raise Revert("kind not modelled")

    @staticmethod
    def _shape(args: MotionArgs, n: int) -> None:
        if len(args[0]) != n or args[1]:
            raise Revert(f"takes {n} accounts and nothing else")

    @staticmethod
    def _distinct(accounts: tuple[str, ...]) -> None:
        if ZERO in accounts or len(set(accounts)) != len(accounts):
            raise Revert("accounts must be distinct members")

    def propose(self, proposer: str, kind: int, args: MotionArgs) -> int:
        rule = RULES.get(kind)
        if rule is None:
            raise Revert("kind not modelled")
        self._check_proposer(rule.proposer, proposer)
        previous = self.latest_motion.get(proposer)
        # §4: at most one motion of one's own sponsoring or voting at a time
        # [reading: until it is decided — passed, failed, lapsed].
        if previous is not None and self.motion_status(previous) in LIVE:
            raise Revert("the proposer already has a live motion")
        self._validate(kind, args)
        motion_id = len(self.motions) + 1
        mo = Motion(
            id=motion_id,
            kind=kind,
            proposer=proposer,
            args=args,
            created_at=self.now,
            notice_period=self.params[NOTICE_PERIOD],
            execution_window=self.params[EXECUTION_WINDOW],
        )
        self.motions[motion_id] = mo
        self.latest_motion[proposer] = motion_id
        self.touched_motions.add(motion_id)
        if rule.sponsor_body is not None:
            electorate = self.start_of_block[rule.sponsor_body]
            mo.sponsorship = Sponsorship(
                body=rule.sponsor_body,
                proposed_block=self.block,
                deadline=self.now + self.params[SPONSOR_WINDOW],
                electorate=electorate,
                threshold=threshold(rule.sponsor_pct, len(electorate)),
            )
        else:
            mo.stage1 = self._open_stage(motion_id, rule.chamber1, rule.pct1)
        return motion_id

    def advance(self, motion_id: int) -> int:
        """§4: stage 1 opens once the sponsors are gathered, stage 2 once stage 1
        has passed."""
        if self.motion_status(motion_id) != AWAITING_STAGE:
            raise Revert("not awaiting its next stage")
        mo = self.motions[motion_id]
        rule = RULES[mo.kind]
        if mo.stage1 == 0:
            mo.stage1 = self._open_stage(motion_id, rule.chamber1, rule.pct1)
            return mo.stage1
        assert rule.chamber2 is not None
        mo.stage2 = self._open_stage(motion_id, rule.chamber2, rule.pct2)
        return mo.stage2

    def execute(self, motion_id: int, args: MotionArgs) -> None:
        """§4: every stage passed, after the notice period, within the window;
        arguments validated again; the effect happens at most once (§11.7)."""
        if self.motion_status(motion_id) != PASSED:
            raise Revert("the motion is not passed (executable)")
        mo = self.motions[motion_id]
        last = self.stages[mo.stage2 or mo.stage1]
        if self.now < last.passed_at + mo.notice_period:
            raise Revert("the notice period has not ended")
        if args != mo.args:
            raise Revert("arguments differ from those proposed")
        self._validate(mo.kind, args)
        assert all(s.status(self.now) == STAGE_PASSED for s in self.motion_stages(motion_id))
        assert mo.executions == 0
        mo.closed = EXECUTED
        mo.executions += 1
        self.touched_motions.add(motion_id)
        self.effects.append((motion_id, mo.kind))
        self._apply(mo.kind, args)

    def _apply(self, kind: int, args: MotionArgs) -> None:
        accounts, numbers = args
        if kind == RATIFY_GENESIS_SUPER_NODES:
            slate = numbers[0]
            for i, a in enumerate(accounts):
                if i < slate:
                    self._seat(a, SUPER)
                else:
                    self._enqueue(a, SUPER)
            self.genesis_open = False
        elif kind == REPLACE_NODE:
            old, new = accounts
            was_super = self.members[old].seated[SUPER]
            self._unseat(old, NODE)
            self._seat(new, NODE)
            if was_super:
                self._refill(SUPER, 1)
        elif kind == REPLACE_SUPER_NODE:
            old, new = accounts
            self._unseat(old, SUPER)
            self._seat(new, SUPER)
        elif kind == REPLACE_ADMIN:
            self.admin = accounts[0]
        elif kind in (REPLENISH_SUPER_ALTERNATES, REPLENISH_NODE_ALTERNATES):
            chamber = SUPER if kind == REPLENISH_SUPER_ALTERNATES else NODE
            for a in accounts:
                self._enqueue(a, chamber)
            self._refill(chamber, len(accounts))
        elif kind == SET_PARAMETERS:
            for p, v in zip(numbers[::2], numbers[1::2], strict=True):
                self.params[p] = v

    def close(self, motion_id: int) -> None:
        status = self.motion_status(motion_id)
        if status not in (FAILED, LAPSED):
            raise Revert("only a failed or lapsed motion can be closed")
        if self.motions[motion_id].closed:
            raise Revert("already closed")
        self.motions[motion_id].closed = status
        self.touched_motions.add(motion_id)
