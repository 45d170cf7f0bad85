"""A seeded year of the governance constitution, played through the SDK.

The published roster is seated with real names and dev keys derived from the seed; then the
year follows the constitution's membership motions (§5), attendance (§6) and the
administrator's replacement. Members behave realistically — most vote, some miss, a few often
miss; a share of the ballots is signed and relayed in batches — and a keeper records every
forfeiture as soon as the third deadline has passed. Everything depends only on the seed.

Nothing here prints: progress goes to a :class:`Narrator`.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Protocol

import boa
from eth_account.signers.local import LocalAccount

from kol.alliance import (
    Alliance,
    Body,
    Chamber,
    Choice,
    Member,
    Motion,
    MotionArgs,
    MotionKind,
    MotionStatus,
    Parameter,
    SignedBallot,
    StageStatus,
)
from kol.chain.devkeys import dev_key as dev_key  # re-exported: the CLI's --dev keys
from kol.cli.economy_year import EconomyFigures, EconomyPlayer
from kol.data import Roster, load_roster

DAY = 86_400
START = 1_577_836_800
"""The year starts on 2020-01-01 00:00 UTC (the roster was published in the winter of 2019)."""
START_BLOCK = 9_200_000
RELAY_SHARE = 0.3
"""Share of ballots signed (EIP-712) and relayed in batches rather than sent by the member."""
RELAY_BATCH = 100


class Narrator(Protocol):
    """Where the year reports its progress (the CLI's rich console, or nothing)."""

    def phase(self, title: str, about: str) -> AbstractContextManager[None]: ...

    def task(self, label: str, total: int) -> int: ...

    def advance(self, task: int, steps: int = 1) -> None: ...

    def note(self, text: str) -> None: ...

    def motion(self, motion: Motion, names: dict[str, str]) -> None: ...


class Silent:
    """A narrator that says nothing (``kol demo --json``)."""

    @contextmanager
    def phase(self, title: str, about: str) -> Iterator[None]:
        yield

    def task(self, label: str, total: int) -> int:
        return 0

    def advance(self, task: int, steps: int = 1) -> None:
        pass

    def note(self, text: str) -> None:
        pass

    def motion(self, motion: Motion, names: dict[str, str]) -> None:
        pass


@dataclass
class Person:
    """A community with its dev key and its habit of attendance."""

    name: str
    key: LocalAccount
    miss: float
    """Probability of missing a stage."""
    skips_super: bool = False
    """Never votes in the super chamber (the year's absent super node)."""

    @property
    def address(self) -> str:
        return str(self.key.address)


@dataclass(frozen=True)
class Forfeiture:
    """A seat lost for three consecutive misses (§6), as the keeper recorded it."""

    name: str
    chamber: Chamber
    first_seq: int
    day: int
    refilled_by: str | None
    """The alternate seated in the same transaction, if the queue had one."""
    super_seat_refilled_by: str | None = None
    """For a super node losing its node seat: who took its super seat."""
    lost_super_seat: bool = False


@dataclass(frozen=True)
class Phase:
    """One chapter of the year, for the report."""

    title: str
    day: int
    about: str
    notes: tuple[str, ...]
    motions: tuple[int, ...]


@dataclass
class Outcome:
    """What the year leaves: the ledger and the record of every motion."""

    seed: int
    roster: Roster
    alliance: Alliance
    names: dict[str, str]
    phases: list[Phase]
    motions: list[Motion]
    executed: Counter[str]
    failed: Counter[str]
    forfeitures: list[Forfeiture]
    ballots_own: int
    ballots_relayed: int
    sponsorships_own: int
    sponsorships_relayed: int
    economy: EconomyFigures = field(default_factory=EconomyFigures)
    ledger: dict[str, Any] = field(default_factory=dict)


class Year:
    """One seeded year of the alliance on a fresh in-process EVM.

    Given an ``alliance`` (deployed elsewhere, e.g. on a devnet, with this year's
    administrator and foundation and every dev key funded), the year's people act on it
    instead: ``kol up`` seats the roster that way (:meth:`seat_roster`).
    """

    def __init__(
        self, seed: int, narrator: Narrator | None = None, alliance: Alliance | None = None
    ) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.say: Narrator = narrator if narrator is not None else Silent()
        self.roster = load_roster()
        self.admin = dev_key(seed, "administrator")
        self.foundation = dev_key(seed, "foundation")
        self.relayer = dev_key(seed, "relayer")
        self.keeper = dev_key(seed, "keeper")
        self.env: Any = None
        if alliance is None:
            self.env = boa.Env()
            self.env.eoa = dev_key(seed, "deployer").address
            self.env.evm.patch.timestamp = START
            self.env.evm.patch.block_number = START_BLOCK
            with boa.swap_env(self.env):
                self.a = Alliance.in_process(
                    self.admin.address, self.foundation.address, with_treasury=True
                )
        else:
            self.a = alliance
        self.start = START if alliance is None else alliance.now()
        """Day 0 of the year (a devnet's year starts when it is seated)."""
        self.nodes = [
            Person(name, dev_key(seed, f"node:{i}"), self._habit())
            for i, name in enumerate(self.roster.node_seats)
        ]
        self.candidates = [
            Person(name, dev_key(seed, f"candidate:{i}"), self._habit())
            for i, name in enumerate(self.roster.candidates)
        ]
        self.people = {p.address: p for p in self.nodes + self.candidates}
        self.by_name = {p.name: p for p in self.nodes}
        self.order = {p.address: i for i, p in enumerate(self.nodes + self.candidates)}
        self.names: dict[str, str] = {p.address: p.name for p in self.people.values()}
        self.names[self.admin.address] = "genesis administrator"
        self.names[self.foundation.address] = "foundation"
        self.phases: list[Phase] = []
        self.executed: Counter[str] = Counter()
        self.failed: Counter[str] = Counter()
        self.forfeitures: list[Forfeiture] = []
        self.ballots_own = 0
        self.ballots_relayed = 0
        self.sponsorships_own = 0
        self.sponsorships_relayed = 0
        self._checked = {Chamber.NODE: 0, Chamber.SUPER: 0}
        self._notes: list[str] = []
        self._members: dict[str, Member] | None = None
        self._motions: list[int] = []
        self.economy = EconomyPlayer(self)

    def _habit(self) -> float:
        """Most members rarely miss a vote; some often do."""
        return 0.2 if self.rng.random() < 0.15 else 0.03

    # clock and people -------------------------------------------------------

    def day(self) -> int:
        return (self.a.now() - self.start) // DAY

    def until_day(self, day: int) -> None:
        target = self.start + day * DAY
        if self.a.now() < target:
            self.a.wait(target - self.a.now())

    def tick(self) -> None:
        """One block passes."""
        self.a.wait(12)

    def member(self, address: str) -> Member:
        """The council's record of one of the year's people (cached until seats change)."""
        if self._members is None:
            self._members = {p.address: self.a.member(p.address) for p in self.people.values()}
        return self._members[address]

    def changed(self, accounts: Sequence[str] | None = None) -> None:
        """Seats changed: read ``accounts`` again (all of the year's people when None).

        Only the accounts an action names and the queued alternates (a freed seat is refilled
        from the queues) can change seats, so the callers name exactly those."""
        if accounts is None or self._members is None:
            self._members = None
            return
        for account in accounts:
            if account in self._members:
                self._members[account] = self.a.member(account)

    def queued(self) -> list[str]:
        """Every queued alternate of both chambers."""
        return list(self.a.queue(Chamber.NODE) + self.a.queue(Chamber.SUPER))

    def seated(self, chamber: Chamber) -> list[Person]:
        return [p for p in self.nodes + self.candidates if self.member(p.address).seated(chamber)]

    def pool(self) -> list[Person]:
        return [p for p in self.candidates if self.member(p.address).in_pool]

    def plain_nodes(self) -> list[Person]:
        """Seated nodes that are neither super nodes nor queued super alternates."""
        queued = set(self.a.queue(Chamber.SUPER))
        return [
            p
            for p in self.seated(Chamber.NODE)
            if p.address not in queued and not self.member(p.address).is_super_node
        ]

    def name(self, address: str) -> str:
        return self.names.get(address, address)

    def note(self, text: str) -> None:
        self._notes.append(text)
        self.say.note(text)

    @contextmanager
    def chapter(self, title: str, about: str, day: int) -> Iterator[None]:
        """A chapter of the year starting on ``day``; the keeper's round comes first."""
        self._notes, self._motions = [], []
        with self.say.phase(title, about):
            self.until_day(day)
            self.keep()
            yield
        self.phases.append(Phase(title, day, about, tuple(self._notes), tuple(self._motions)))
        self.economy.snapshot()

    # voting -------------------------------------------------------------------

    def hold_stage(self, motion_id: int, number: int, support: float) -> StageStatus:
        """Every member of the stage's electorate decides: most vote (For with probability
        ``support``), some miss; a share of the ballots is signed and relayed in batches."""
        stage = self.a.motion(motion_id).stage(number)
        voters = [
            p for p in self.nodes + self.candidates if self.member(p.address).may_vote_in(stage)
        ]
        task = self.say.task(
            f"motion {motion_id} stage {number}: {stage.describe().split(';')[0]}", len(voters)
        )
        signed: list[SignedBallot] = []
        for p in voters:
            absent = p.skips_super and stage.chamber == Chamber.SUPER
            if absent or self.rng.random() < p.miss:
                self.say.advance(task)
                continue
            roll = self.rng.random()
            if roll < support:
                choice = Choice.FOR
            elif roll < support + (1 - support) * 2 / 3:
                choice = Choice.AGAINST
            else:
                choice = Choice.ABSTAIN
            if self.rng.random() < RELAY_SHARE:
                signed.append(
                    self.a.sign_ballot(p.key, motion_id, number, choice, expiry=stage.deadline)
                )
            else:
                self.a.vote(motion_id, number, choice, by=p.address)
                self.ballots_own += 1
                self.say.advance(task)
        for start in range(0, len(signed), RELAY_BATCH):
            batch = signed[start : start + RELAY_BATCH]
            self.ballots_relayed += self.a.relay(batch, by=self.relayer.address)
            self.say.advance(task, len(batch))
        return self.a.stage(stage.stage_id).status

    def gather_sponsors(self, motion_id: int) -> bool:
        """Enough of the sponsoring body co-sponsors within the window: some by their own
        transaction, the others by signatures relayed together."""
        sponsorship = self.a.sponsorship(motion_id)
        assert sponsorship is not None
        self.tick()  # sponsors must belong to the body since before the proposal's block
        body = self.pool() if sponsorship.body == Body.POOL else self.seated(Chamber.NODE)
        wanted = min(len(body), sponsorship.threshold + self.rng.randint(0, 3))
        sponsors = self.rng.sample(body, wanted)
        task = self.say.task(
            f"motion {motion_id}: sponsors, {sponsorship.threshold} of "
            f"{sponsorship.electorate} needed",
            len(sponsors),
        )
        signed = []
        for p in sponsors:
            if self.rng.random() < 0.5:
                signed.append(self.a.sign_sponsorship(p.key, motion_id))
            else:
                self.a.sponsor(motion_id, by=p.address)
                self.sponsorships_own += 1
                self.say.advance(task)
        statuses = self.a.relay_sponsorships(signed, by=self.relayer.address)
        self.sponsorships_relayed += sum(1 for s in statuses if s == 0)
        self.say.advance(task, len(signed))
        reached = self.a.sponsorship(motion_id)
        return reached is not None and reached.reached

    def carry(self, kind: MotionKind, args: MotionArgs, proposer: Person, support: float) -> Motion:
        """Proposes a motion, gathers its sponsors, holds its stages, executes it if they
        pass (after the notice period) — or, if it fails, the keeper closes it."""
        motion_id = self.a.propose(kind, args, by=proposer.address)
        self._motions.append(motion_id)
        rule = self.a.rule(kind)
        self.note(f"motion {motion_id} {kind.name} proposed by {proposer.name} ({rule.describe()})")
        if rule.sponsor_body is not None:
            if not self.gather_sponsors(motion_id):
                self.note(f"motion {motion_id}: too few sponsors")
                return self._settle(motion_id)
            self.a.advance(motion_id, by=self.relayer.address)
        for number in range(1, len(rule.stages) + 1):
            if number > 1:
                self.a.advance(motion_id, by=self.relayer.address)
            status = self.hold_stage(motion_id, number, support)
            if status != StageStatus.PASSED:
                return self._settle(motion_id)
        notice = self.a.motion(motion_id).notice_period
        if notice:
            self.note(f"motion {motion_id}: public notice of {notice // DAY} days (公示)")
            self.a.wait(notice)
        queued = self.queued()
        self.a.execute(motion_id, by=self.relayer.address)
        self.changed([*args.accounts, *queued])
        self.executed[kind.name] += 1
        motion = self.a.motion(motion_id)
        self.say.motion(motion, self.names)
        return motion

    def _settle(self, motion_id: int) -> Motion:
        """A motion that did not pass: wait for its end, then the keeper closes it."""
        motion = self.a.motion(motion_id)
        if motion.status not in (MotionStatus.FAILED, MotionStatus.LAPSED):
            last = motion.stages[-1].deadline if motion.stages else motion.created_at
            window = motion.sponsorship.deadline if motion.sponsorship else last
            self.a.wait(max(last, window) - self.a.now() + 1)
        self.a.close(motion_id, by=self.keeper.address)
        motion = self.a.motion(motion_id)
        self.failed[motion.kind.name] += 1
        self.note(f"motion {motion_id} {motion.kind.name} {motion.status.name.lower()}; closed")
        self.say.motion(motion, self.names)
        return motion

    # the keeper (§6) ------------------------------------------------------------

    def keep(self) -> None:
        """Records every forfeiture whose third deadline has passed (O(1) proof each)."""
        now = self.a.now()
        for chamber in (Chamber.NODE, Chamber.SUPER):
            seated = [self.member(p.address) for p in self.seated(chamber)]
            due, self._checked[chamber] = self.a.forfeitures_due(
                chamber, seated, after=self._checked[chamber], now=now
            )
            for address, first_seq in due:
                self._forfeit(self.people[address], chamber, first_seq)

    def _forfeit(self, p: Person, chamber: Chamber, first_seq: int) -> None:
        queue = self.a.queue(chamber)
        super_queue = self.a.queue(Chamber.SUPER)
        was_super = self.member(p.address).is_super_node
        self.a.forfeit(p.address, chamber, first_seq, by=self.keeper.address)
        self.changed([p.address, *queue, *super_queue])
        refilled = next((q for q in queue if self.member(q).seated(chamber)), None)
        super_refilled = None
        if chamber == Chamber.NODE and was_super:
            super_refilled = next((q for q in super_queue if self.member(q).is_super_node), None)
        record = Forfeiture(
            name=p.name,
            chamber=chamber,
            first_seq=first_seq,
            day=self.day(),
            refilled_by=None if refilled is None else self.name(refilled),
            super_seat_refilled_by=None if super_refilled is None else self.name(super_refilled),
            lost_super_seat=chamber == Chamber.NODE and was_super,
        )
        self.forfeitures.append(record)
        seat = "super-node seat" if chamber == Chamber.SUPER else "node seat"
        ban = "90" if chamber == Chamber.SUPER else "180"
        text = (
            f"keeper: {p.name} missed stages {first_seq}–{first_seq + 2} of the "
            f"{'super' if chamber == Chamber.SUPER else 'node'} chamber: {seat} forfeited, "
            f"banned {ban} days"
        )
        if record.refilled_by:
            text += f"; {record.refilled_by} seated from the queue in the same transaction"
        elif chamber == Chamber.NODE:
            text += "; the node-alternate queue is empty: the seat stays free"
        if record.lost_super_seat:
            text += f"; its super seat went to {record.super_seat_refilled_by or 'nobody'}"
        self.note(text)

    def dev_keys(self) -> list[LocalAccount]:
        """Every dev key that acts in the year (they all need gas on a real chain)."""
        staff = [self.admin, self.foundation, self.relayer, self.keeper]
        return staff + [p.key for p in self.nodes + self.candidates]

    def seat_roster(self) -> None:
        """Genesis as the year plays it: the administrator nominates every node seat, the
        contributing communities register as candidates, and the nodes ratify the 21 genesis
        super nodes with their 8 ranked alternates (§3, §5)."""
        self._genesis()
        self._ratify()

    # the year -------------------------------------------------------------------------

    def run(self) -> Outcome:
        with boa.swap_env(self.env) if self.env is not None else nullcontext():
            self._genesis()
            self._ratify()
            for _, chapter in sorted(self._chapters(), key=lambda item: item[0]):
                chapter()
            self._year_end()
            motions = list(self.a.motions())
        return Outcome(
            seed=self.seed,
            roster=self.roster,
            alliance=self.a,
            names=self.names,
            phases=self.phases,
            motions=motions,
            executed=self.executed,
            failed=self.failed,
            forfeitures=self.forfeitures,
            ballots_own=self.ballots_own,
            ballots_relayed=self.ballots_relayed,
            sponsorships_own=self.sponsorships_own,
            sponsorships_relayed=self.sponsorships_relayed,
            economy=self.economy.figures,
        )

    def _chapters(self) -> list[tuple[int, Callable[[], None]]]:
        """The year after genesis, by day: membership, the economy and the books."""
        e = self.economy

        def month(m: int) -> tuple[int, Callable[[], None]]:
            day = 30 * (m - 1) + 8

            def chapter() -> None:
                about = (
                    "the conference assesses every leader (pay, defer, withhold); super nodes "
                    "(51%) then nodes (51%) release the month; leaders claim their tranches"
                )
                with self.chapter(f"Genesis month {m} (§8 GENESIS_RELEASE)", about, day):
                    e.genesis_month(m)

            return day, chapter

        def economy(day: int, title: str, about: str, act: Callable[[], None]) -> Any:
            def chapter() -> None:
                with self.chapter(title, about, day):
                    act()

            return day, chapter

        tasks_about = (
            "clients request service tasks and escrow their USDT fees; super nodes (51%) "
            "approve each (APPROVE_TASK)"
        )
        batch_about = (
            "the foundation proposes KOL equal to the approved fees, 80% to the users and 20% "
            "to the leaders (an OpenZeppelin Merkle list); super nodes (51%) then nodes (51%); "
            "claims by proof and the keeper's delivery"
        )
        return [
            (35, self._replace_node),
            (65, self._replace_super_node),
            (100, self._node_alternates),
            (130, self._super_alternates),
            (180, self._parameters),
            (190, self._attendance),
            (240, self._administrator),
            *(month(m) for m in range(1, 11)),
            economy(
                12, "Client tasks (§7 APPROVE_TASK)", tasks_about, lambda: e.tasks(3, rejected=True)
            ),
            economy(50, "A matched batch (§7 ISSUE_MATCHED_BATCH)", batch_about, e.batch),
            economy(80, "Client tasks (§7 APPROVE_TASK)", tasks_about, lambda: e.tasks(3)),
            economy(110, "A matched batch (§7 ISSUE_MATCHED_BATCH)", batch_about, e.batch),
            economy(
                120,
                "The foundation's statement (§5 PUBLISH_STATEMENT)",
                "the foundation publishes its statement; super nodes (33%) approve",
                lambda: e.statement(120),
            ),
            economy(
                150,
                "A public audit (§5 DEMAND_AUDIT)",
                "nodes (33%) demand an audit; the foundation answers before it is due",
                lambda: e.audit(answered=True),
            ),
            economy(200, "Client tasks (§7 APPROVE_TASK)", tasks_about, lambda: e.tasks(2)),
            economy(205, "A matched batch (§7 ISSUE_MATCHED_BATCH)", batch_about, e.batch),
            economy(
                225,
                "Buyback and burn (§9)",
                "the foundation buys KOL back with USDT revenue and burns it in public",
                e.buyback,
            ),
            economy(
                300,
                "The genesis programme closed (§8, §5 SET_PARAMETERS)",
                "after its tenth month, super nodes (51%) and nodes (51%) close the programme",
                e.close_genesis,
            ),
            economy(
                320,
                "A second audit demand (§5 DEMAND_AUDIT)",
                "nodes (33%) demand another audit; this one is not answered and shows overdue",
                lambda: e.audit(answered=False),
            ),
            economy(
                330,
                "The foundation's statement (§5 PUBLISH_STATEMENT)",
                "the foundation publishes its second statement",
                lambda: e.statement(210),
            ),
        ]

    def _genesis(self) -> None:
        about = (
            f"the genesis administrator nominates {len(self.nodes)} communities "
            f"({len(self.roster.super_nodes)} super nodes, {len(self.roster.nodes)} nodes, "
            f"{len(self.roster.extra_nodes)} super alternates not on the node list); "
            f"{len(self.candidates)} contributing communities register as candidates"
        )
        with self.chapter("Genesis (§3)", about, 0):
            task = self.say.task("nominations", len(self.nodes))
            for p in self.nodes:
                self.a.nominate(p.address, p.name, by=self.admin.address)
                self.say.advance(task)
            task = self.say.task("candidate registrations", len(self.candidates))
            for p in self.candidates:
                self.a.register_candidate(p.name, by=p.address)
                self.say.advance(task)
            self.changed()
            self.tick()
            self.note(
                f"{self.a.seats(Chamber.NODE)} nodes seated, "
                f"{self.a.seats(Body.POOL)} candidates in the pool"
            )

    def _ratify(self) -> None:
        about = "nodes (33%) ratify the 21 genesis super nodes and the 8 ranked alternates"
        with self.chapter("Genesis super nodes (§5 RATIFY_GENESIS_SUPER_NODES)", about, 3):
            slate = [self.by_name[n].address for n in self.roster.super_nodes]
            alternates = [
                self.by_name[self.roster.alternate_seat(a)].address
                for a in self.roster.super_alternates
            ]
            proposer = self.rng.choice(self.nodes[len(slate) :])
            motion = self.carry(
                MotionKind.RATIFY_GENESIS_SUPER_NODES,
                MotionArgs.ratify(slate, alternates),
                proposer,
                support=0.9,
            )
            if motion.status != MotionStatus.EXECUTED:
                raise RuntimeError("the genesis super nodes were not ratified")
            absent = self.rng.choice(self.nodes[: len(slate)])
            absent.skips_super = True  # ... but it never misses a vote of the node chamber
            absent.miss = 0.0
            self.note(
                f"{self.a.seats(Chamber.SUPER)} super nodes seated, "
                f"{len(self.a.queue(Chamber.SUPER))} super alternates queued; "
                f"the genesis phase is {'open' if self.a.genesis_open() else 'closed'}"
            )

    def _super_nodes(self, *, present: bool = True) -> list[Person]:
        return [p for p in self.seated(Chamber.SUPER) if not (present and p.skips_super)]

    def _replace_node(self) -> None:
        about = "super nodes (33%) replace a node with a community from the candidate pool"
        with self.chapter("A node replaced (§5 REPLACE_NODE)", about, 35):
            old = self.rng.choice(self.plain_nodes())
            new = self.rng.choice(self.pool())
            self.carry(
                MotionKind.REPLACE_NODE,
                MotionArgs.replace(old.address, new.address),
                self.rng.choice(self._super_nodes()),
                support=0.85,
            )
            if self.member(new.address).is_node:
                self.note(f"{old.name} leaves the node chamber; {new.name} takes the seat")

    def _replace_super_node(self) -> None:
        about = "nodes (51%) replace a super node with another node"
        with self.chapter("A super node replaced (§5 REPLACE_SUPER_NODE)", about, 65):
            old = self.rng.choice(self._super_nodes())
            new = self.rng.choice(self.plain_nodes())
            supers = {p.address for p in self.seated(Chamber.SUPER)}
            proposer = self.rng.choice([p for p in self.plain_nodes() if p.address not in supers])
            self.carry(
                MotionKind.REPLACE_SUPER_NODE,
                MotionArgs.replace(old.address, new.address),
                proposer,
                support=0.85,
            )
            if self.member(new.address).is_super_node:
                self.note(f"{old.name} stays a node; {new.name} takes the super seat")

    def _node_alternates(self) -> None:
        about = (
            "10% of the candidate pool sponsor five named candidates, in order; "
            "nodes (33%) approve; free node seats are filled from the queue at once"
        )
        with self.chapter("Node alternates (§5 REPLENISH_NODE_ALTERNATES)", about, 100):
            pool = self.pool()
            proposer = self.rng.choice(pool)
            five = [p for p in pool if p is not proposer][:5]
            before = self.a.seats(Chamber.NODE)
            motion = self.carry(
                MotionKind.REPLENISH_NODE_ALTERNATES,
                MotionArgs.alternates([p.address for p in five]),
                proposer,
                support=0.85,
            )
            if motion.status == MotionStatus.EXECUTED:
                self.note(
                    f"{', '.join(p.name for p in five)} queued and seated "
                    f"({before} → {self.a.seats(Chamber.NODE)} nodes; "
                    f"{len(self.a.queue(Chamber.NODE))} node alternates wait)"
                )

    def _super_alternates(self) -> None:
        about = "10% of the nodes sponsor three named nodes, in order; super nodes (33%) approve"
        with self.chapter("Super alternates (§5 REPLENISH_SUPER_ALTERNATES)", about, 130):
            candidates = self.plain_nodes()
            three = sorted(self.rng.sample(candidates, 3), key=lambda p: self.order[p.address])
            proposer = self.rng.choice([p for p in candidates if p not in three])
            motion = self.carry(
                MotionKind.REPLENISH_SUPER_ALTERNATES,
                MotionArgs.alternates([p.address for p in three]),
                proposer,
                support=0.85,
            )
            if motion.status == MotionStatus.EXECUTED:
                self.note(
                    f"{', '.join(p.name for p in three)} join the super-alternate queue "
                    f"({len(self.a.queue(Chamber.SUPER))} waiting)"
                )

    def _parameters(self) -> None:
        about = (
            "a super node proposes a 5-day voting period and a 2-day public notice (公示); "
            "super nodes (51%), then nodes (51%)"
        )
        with self.chapter("Parameters (§5 SET_PARAMETERS, two stages)", about, 180):
            motion = self.carry(
                MotionKind.SET_PARAMETERS,
                MotionArgs.parameters(
                    {Parameter.VOTING_PERIOD: 5 * DAY, Parameter.NOTICE_PERIOD: 2 * DAY}
                ),
                self.rng.choice(self._super_nodes()),
                support=0.9,
            )
            if motion.status == MotionStatus.EXECUTED:
                params = self.a.parameters()
                self.note(
                    f"voting period {params.voting_period // DAY} days, "
                    f"notice period {params.notice_period // DAY} days"
                )

    def _attendance(self) -> None:
        absent = next(p for p in self.nodes if p.skips_super)
        about = (
            f"{absent.name} has not voted in the super chamber since genesis; once the third "
            "deadline has passed, the keeper records the forfeiture and the head of the "
            "super-alternate queue takes the seat in the same transaction"
        )
        with self.chapter("Attendance (§6)", about, 190):
            if not any(f.name == absent.name for f in self.forfeitures):
                self.note(f"{absent.name} still holds its seat")
            self.note(
                f"{self.a.seats(Chamber.SUPER)} super nodes, "
                f"{len(self.a.queue(Chamber.SUPER))} super alternates waiting"
            )

    def _administrator(self) -> None:
        about = (
            "nodes (67%) replace the genesis administrator: a first motion falls short and is "
            "closed; a second one passes and is executed after the public notice"
        )
        with self.chapter("The administrator replaced (§5 REPLACE_ADMIN)", about, 240):
            new_admin = dev_key(self.seed, "administrator 2").address
            self.names[new_admin] = f"a new administrator ({new_admin[:10]}…)"
            first = self.rng.choice(self.plain_nodes())
            self.carry(MotionKind.REPLACE_ADMIN, MotionArgs.new_admin(new_admin), first, 0.5)
            self.until_day(self.day() + 20)
            second = self.rng.choice([p for p in self.plain_nodes() if p is not first])
            self.carry(MotionKind.REPLACE_ADMIN, MotionArgs.new_admin(new_admin), second, 0.95)
            if self.a.admin() == new_admin:
                self.note("the new administrator is in office")

    def _year_end(self) -> None:
        about = "the last deadlines pass; the keeper checks attendance once more"
        with self.chapter("Year end", about, 365):
            self.note(
                f"{self.a.seats(Chamber.NODE)} nodes, {self.a.seats(Chamber.SUPER)} super nodes, "
                f"{len(self.forfeitures)} forfeitures this year"
            )


def play(seed: int, narrator: Narrator | None = None) -> Outcome:
    """Plays the year for ``seed``; the outcome's ``ledger`` is filled by :func:`ledger`."""
    outcome = Year(seed, narrator).run()
    outcome.ledger = ledger(outcome)
    return outcome


def _by_chamber(items: Sequence[Forfeiture]) -> dict[str, int]:
    return {
        "nodes": sum(1 for f in items if f.chamber == Chamber.NODE),
        "super_nodes": sum(1 for f in items if f.chamber == Chamber.SUPER),
    }


def ledger(outcome: Outcome) -> dict[str, Any]:
    """The year's figures (the JSON of ``kol demo --json``)."""
    a = outcome.alliance
    supply = a.supply()
    params = a.parameters()
    refills = {
        "nodes": sum(1 for f in outcome.forfeitures if f.chamber == Chamber.NODE and f.refilled_by),
        "super_nodes": sum(
            1
            for f in outcome.forfeitures
            if (f.chamber == Chamber.SUPER and f.refilled_by) or f.super_seat_refilled_by
        ),
    }
    return {
        "seed": outcome.seed,
        "roster": {
            "super_nodes": len(outcome.roster.super_nodes),
            "super_alternates": len(outcome.roster.super_alternates),
            "nodes": len(outcome.roster.nodes),
            "extra_nodes": len(outcome.roster.extra_nodes),
            "node_seats": len(outcome.roster.node_seats),
            "candidates": len(outcome.roster.candidates),
        },
        "motions_executed": {k.name: outcome.executed.get(k.name, 0) for k in MotionKind},
        "motions_failed": {k.name: outcome.failed.get(k.name, 0) for k in MotionKind},
        "supply": {
            "issued_total": supply.issued_total,
            "issued_genesis": supply.issued_genesis,
            "issued_matched": supply.issued_matched,
            "burned": supply.burned,
            "total_supply": supply.total_supply,
        },
        "seats": {
            "nodes": a.seats(Chamber.NODE),
            "super_nodes": a.seats(Chamber.SUPER),
            "node_alternates": len(a.queue(Chamber.NODE)),
            "super_alternates": len(a.queue(Chamber.SUPER)),
            "candidates": a.seats(Body.POOL),
        },
        "forfeitures": len(outcome.forfeitures),
        "forfeitures_by_chamber": _by_chamber(outcome.forfeitures),
        "refills": refills,
        "ballots": {"own_transactions": outcome.ballots_own, "relayed": outcome.ballots_relayed},
        "sponsorships": {
            "own_transactions": outcome.sponsorships_own,
            "relayed": outcome.sponsorships_relayed,
        },
        "administrator_replaced": a.admin() != dev_key(outcome.seed, "administrator").address,
        "parameters": {
            "voting_period": params.voting_period,
            "notice_period": params.notice_period,
        },
        "tasks": outcome.economy.tasks,
        "claims": outcome.economy.claims,
        "economy": _economy(outcome),
    }


def _economy(outcome: Outcome) -> dict[str, Any]:
    a, e = outcome.alliance, outcome.economy
    genesis = a.genesis()
    audits = [a.audit(i) for i in range(1, a.audit_count() + 1)]
    return {
        "tasks_refunded": e.tasks_refunded,
        "fees_approved_usdt": e.fees_usdt,
        "batches": e.batches,
        "claims_by_proof": e.claims_by_proof,
        "claims_pushed": e.claims_pushed,
        "genesis_claims": e.genesis_claims,
        "genesis": {
            "months_released": genesis.month,
            "cum_paid": genesis.cum_paid,
            "cum_forfeited": genesis.cum_forfeited,
            "closed": genesis.closed,
        },
        "treasury_usdt": a.usdt_balance(a.treasury_address()),
        "statements": a.statement_count(),
        "audits": {
            "demanded": len(audits),
            "answered": sum(1 for d in audits if d.answered_at),
            "overdue": sum(1 for d in audits if d.overdue),
        },
        "burns": e.burns,
        "circulation_mode": a.circulation_mode(),
        "issuance_complete": a.issuance_complete(),
    }
