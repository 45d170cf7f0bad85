"""The economy's side of the demo year (§7–§9): clients, tasks, batches, claims, genesis
months, the books and a buyback burn, played through the SDK by the year's people.

Everything depends only on the year's seed. Nothing here prints: it speaks through the year's
narrator and notes.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak

from kol.alliance import (
    Chamber,
    MotionArgs,
    MotionKind,
    MotionStatus,
    Parameter,
    RuleViolation,
    TaskKind,
    TaskState,
)
from kol.data import DEMO_CLIENTS
from kol.domain.allocation import Allocation
from kol.domain.genesis import (
    PROGRAMME_CAP,
    TRANCHE,
    TRANCHES,
    Decision,
    Entitlement,
    GenesisSchedule,
    Verdict,
)
from kol.domain.types import ONE_KOL, ONE_USDT, Role

if TYPE_CHECKING:
    from kol.cli.year import Person, Year

DAY = 86_400
MONTH = 30 * DAY

CLIENTS = DEMO_CLIENTS

KIND_OF_CLIENT = (
    TaskKind.EXCHANGE_REGISTRATION,
    TaskKind.CANDY_AIRDROP,
    TaskKind.CONFERENCE,
    TaskKind.POSTER_CALL,
    TaskKind.ROADSHOW,
    TaskKind.OTHER,
)


def assess_genesis_month(
    month: int,
    seated: Sequence[str],
    before: Mapping[str, Entitlement],
    decisions: Sequence[Decision],
    rng: random.Random,
) -> list[Decision]:
    """The conference's decisions for month ``month`` on the seated nodes: most paid, some
    deferred or withheld, deferred tranches released with a later payment or once a leader's
    ten tranches are assessed. Every tranche assessed is paid or forfeited in the end, so no
    more are assessed than the 5M KOL of §8 hold (the earlier ``decisions`` count against it);
    past that, only the deferred tranches of leaders assessed ten times are released (§8
    releases the others' only with a later payment)."""
    assessed = (Verdict.PAY, Verdict.DEFER, Verdict.WITHHOLD)
    left = PROGRAMME_CAP // TRANCHE - sum(d.verdict in assessed for d in decisions)
    found: list[Decision] = []
    for leader in seated:
        e = before.get(leader)
        tranches = e.tranches if e is not None else 0
        deferred = e.cum_deferred if e is not None else 0
        if tranches >= TRANCHES:
            if deferred:
                found.append(Decision.of(month, leader, Verdict.RELEASE, deferred))
            continue
        if left <= 0:  # what such a leader deferred waits for a payment there is no room for
            continue
        left -= 1
        roll = rng.random()
        verdict = Verdict.PAY
        if roll >= 0.86:
            verdict = Verdict.DEFER if roll < 0.96 else Verdict.WITHHOLD
        release = 0
        if verdict == Verdict.PAY and deferred and rng.random() < 0.5:
            release = deferred
        found.append(Decision.of(month, leader, verdict, release))
    return found


@dataclass
class EconomyFigures:
    """What the economy did in the year (for the ledger and the report)."""

    tasks: int = 0
    tasks_refunded: int = 0
    fees_usdt: int = 0
    batches: int = 0
    claims_by_proof: int = 0
    claims_pushed: int = 0
    genesis_claims: int = 0
    genesis_months: int = 0
    statements: int = 0
    audits: int = 0
    audits_answered: int = 0
    burns: int = 0
    supply_over_time: list[tuple[int, int, int, int, int]] = field(default_factory=list)
    """(day, issued_genesis, issued_matched, burned, total_supply) after each chapter."""

    @property
    def claims(self) -> int:
        return self.claims_by_proof + self.claims_pushed + self.genesis_claims


class EconomyPlayer:
    """Plays the economy's chapters on the year's alliance."""

    def __init__(self, year: Year) -> None:
        self.y = year
        self.a = year.a
        self.rng = year.rng
        seed = year.seed
        from kol.chain.devkeys import dev_key

        self.clients: list[tuple[str, LocalAccount]] = [
            (name, dev_key(seed, f"client:{i}")) for i, name in enumerate(CLIENTS)
        ]
        self.users = [dev_key(seed, f"user:{i}") for i in range(240)]
        for name, client in self.clients:
            year.names[client.address] = name
        self.figures = EconomyFigures()
        self.decisions: list[Decision] = []
        self.schedule: GenesisSchedule | None = None
        self.approved: list[int] = []
        """Approved tasks not yet in a batch."""
        self.allocations: dict[int, Allocation] = {}
        self._funded = False

    # helpers -------------------------------------------------------------------

    def _fund_clients(self) -> None:
        if self._funded:
            return
        treasury = self.a.treasury_address()
        for _, client in self.clients:
            self.a.mint_test_usdt(client.address, 200_000 * ONE_USDT, by=client.address)
            self.a.approve_usdt(treasury, 2**256 - 1, by=client.address)
        self._funded = True

    def _super(self) -> Person:
        return self.rng.choice([p for p in self.y.seated(Chamber.SUPER) if not p.skips_super])

    def _node(self) -> Person:
        return self.rng.choice(self.y.plain_nodes())

    def _foundation(self) -> Person:
        from kol.cli.year import Person

        return Person("foundation", self.y.foundation, 0.0)

    def snapshot(self) -> None:
        s = self.a.supply()
        self.figures.supply_over_time.append(
            (self.y.day(), s.issued_genesis, s.issued_matched, s.burned, s.total_supply)
        )

    # tasks (§7) ----------------------------------------------------------------

    def tasks(self, count: int, *, rejected: bool = False) -> None:
        """Clients request tasks and escrow their fees; super nodes (51%) approve each. With
        ``rejected``, one more request is voted down and the client takes its fee back."""
        self._fund_clients()
        for _ in range(count):
            i = self.rng.randrange(len(self.clients))
            name, client = self.clients[i]
            fee = self.rng.randrange(5, 60) * 500 * ONE_USDT
            metadata = keccak(text=f"{name}: task {self.figures.tasks + 1}")
            task_id = self.a.request_task(KIND_OF_CLIENT[i], metadata, fee, by=client.address)
            self.figures.tasks += 1
            self.y.note(
                f"{name} requests a {KIND_OF_CLIENT[i].name.lower().replace('_', ' ')} task "
                f"(#{task_id}) and escrows {fee // ONE_USDT:,} USDT"
            )
            motion = self.y.carry(
                MotionKind.APPROVE_TASK, MotionArgs.approve_task(task_id), self._node(), 0.9
            )
            if motion.status == MotionStatus.EXECUTED:
                self.approved.append(task_id)
                self.figures.fees_usdt += fee
        if rejected:
            name, client = self.clients[0]
            fee = 80_000 * ONE_USDT
            task_id = self.a.request_task(
                TaskKind.OTHER, keccak(text=f"{name}: an oversized request"), fee, by=client.address
            )
            self.figures.tasks += 1
            self.y.note(f"{name} requests an oversized task (#{task_id}, {fee // ONE_USDT:,} USDT)")
            self.y.carry(
                MotionKind.APPROVE_TASK, MotionArgs.approve_task(task_id), self._node(), 0.1
            )
            if self.a.task(task_id).state == TaskState.REQUESTED:
                self.a.refund_task(task_id, by=client.address)
                self.figures.tasks_refunded += 1
                self.y.note(
                    f"the approval failed: {name} takes back exactly {fee // ONE_USDT:,} USDT"
                )

    def batch(self) -> None:
        """The foundation proposes the matched batch of the approved tasks (super nodes 51%,
        then nodes 51%): KOL equal to their fees, 80% to the users who did the work, 20% to
        the leaders who led it. Some users claim by proof; the keeper delivers the rest."""
        if not self.approved:
            return
        tasks = sorted(self.approved)
        fees = sum(self.a.task(t).fee for t in tasks)
        total = fees * self.a.parameters().kol_per_usdt
        users = self.rng.sample(self.users, self.rng.randrange(40, 90))
        leaders = self.rng.sample(self.y.seated(Chamber.NODE), self.rng.randrange(4, 9))
        parts: list[tuple[str, Role | str, int]] = [
            (u.address, Role.USER, self.rng.randrange(1, 20)) for u in users
        ]
        parts += [(p.address, Role.LEADER, self.rng.randrange(1, 10)) for p in leaders]
        allocation = Allocation.of(total, parts)
        uri = f"ipfs://kol-demo/batch-{self.figures.batches + 1}.json"
        motion = self.y.carry(
            MotionKind.ISSUE_MATCHED_BATCH,
            MotionArgs.matched_batch(allocation, tasks, uri),
            self._foundation(),
            0.9,
        )
        if motion.status != MotionStatus.EXECUTED:
            return
        self.approved = []
        batch_id = self.a.batch_count()
        self.allocations[batch_id] = allocation
        self.figures.batches += 1
        self.y.note(
            f"batch {batch_id}: {total // ONE_KOL:,} KOL minted for tasks "
            f"{', '.join(f'#{t}' for t in tasks)} — {allocation.user_total // ONE_KOL:,} to "
            f"{len(users)} users, {allocation.leader_total // ONE_KOL:,} to {len(leaders)} leaders"
        )
        own = [i for i in range(len(allocation.leaves)) if self.rng.random() < 0.3]
        for i in own:
            self.a.claim(batch_id, allocation, i, by=allocation.leaves[i].account)
        self.figures.claims_by_proof += len(own)
        pushed = self.a.deliver(
            batch_id, allocation, range(len(allocation.leaves)), by=self.y.keeper.address
        )
        self.figures.claims_pushed += pushed
        left = self.a.batch(batch_id)
        self.y.note(
            f"{len(own)} claims by proof, {pushed} leaves delivered by the keeper in one "
            f"transaction; left in the pools: {left.user_left + left.leader_left} base units"
        )

    # genesis (§8) ----------------------------------------------------------------

    def genesis_month(self, month: int) -> None:
        """The conference assesses every seated node for month ``month`` (pay, defer,
        withhold; deferred tranches paid later), the release passes super nodes (51%) and
        nodes (51%), and leaders claim — some wait and claim several months at once."""
        before: dict[str, Entitlement] = {}
        if self.schedule is not None and month > 1:
            before = {e.leader: e for e in self.schedule.entitlements(month - 1)}
        decided = assess_genesis_month(
            month,
            [p.address for p in self.y.seated(Chamber.NODE)],
            before,
            self.decisions,
            self.rng,
        )
        verdicts = Counter(d.verdict for d in decided)
        self.decisions.extend(decided)
        if not decided:
            self.y.note(f"genesis month {month}: nothing left to assess or release (§8's 5M)")
            return
        schedule = GenesisSchedule.of(self.decisions)
        start = self.a.genesis().start
        begins = start + (month - 1) * MONTH
        if self.a.now() < begins:
            self.a.wait(begins - self.a.now())
        uri = f"ipfs://kol-demo/genesis-month-{month}.json"
        motion = self.y.carry(
            MotionKind.GENESIS_RELEASE,
            MotionArgs.genesis_month(schedule, month, uri),
            self._foundation(),
            0.92,
        )
        if motion.status != MotionStatus.EXECUTED:
            # the month is assessed again next time
            self.decisions = [d for d in self.decisions if d.month != month]
            return
        self.schedule = schedule
        self.figures.genesis_months += 1
        totals = schedule.month_totals(month)
        self.y.note(
            f"genesis month {month}: {verdicts[Verdict.PAY]} paid, {verdicts[Verdict.DEFER]} "
            f"deferred, {verdicts[Verdict.WITHHOLD]} withheld; {totals.paid // ONE_KOL:,} KOL "
            f"released (cumulative {totals.cum_paid // ONE_KOL:,} paid, "
            f"{totals.cum_forfeited // ONE_KOL:,} forfeited)"
        )
        self.claim_genesis(month, everyone=False)

    def claim_genesis(self, month: int, *, everyone: bool) -> None:
        """Leaders (or the keeper for them) claim what the month's list owes them."""
        if self.schedule is None:
            return
        _, release_block = self.a.genesis_month_of(self.schedule.month_tree(month).root)
        claims = 0
        for e in self.schedule.entitlements(month):
            owed = e.cum_paid - self.a.genesis_claimed(e.leader)
            if owed <= 0 or not (everyone or self.rng.random() < 0.7):
                continue
            member = self.y.member(e.leader)
            if not member.is_node or member.since(Chamber.NODE) >= release_block:
                continue
            try:
                self.a.claim_genesis(self.schedule, month, e.leader, by=self.y.keeper.address)
            except RuleViolation as refused:
                self.y.note(f"genesis claim for {self.y.name(e.leader)} refused: {refused.reason}")
                continue
            claims += 1
        self.figures.genesis_claims += claims
        if claims:
            self.y.note(f"{claims} leaders claimed their genesis tranches")

    def close_genesis(self) -> None:
        """After its tenth month, the programme is closed (§8): deferred tranches are
        forfeited for good."""
        if self.figures.genesis_months < TRANCHES:
            return
        self.claim_genesis(self.figures.genesis_months, everyone=True)
        motion = self.y.carry(
            MotionKind.SET_PARAMETERS,
            MotionArgs.parameters({Parameter.CLOSE_GENESIS: 1}),
            self._super(),
            0.9,
        )
        if motion.status == MotionStatus.EXECUTED:
            g = self.a.genesis()
            leaders = len(self.schedule.entitlements(g.month)) if self.schedule else 0
            never = leaders * TRANCHES * TRANCHE - g.cum_paid
            self.y.note(
                f"the genesis programme is closed: {g.cum_paid // ONE_KOL:,} KOL paid to "
                f"{leaders} leaders; {never // ONE_KOL:,} KOL of their allotments never issued"
            )

    # the books (§5, §9) --------------------------------------------------------------

    def statement(self, period_days: int) -> None:
        """The foundation publishes its statement; super nodes (33%) approve it."""
        now = self.a.now()
        treasury = self.a.treasury_address()
        body = {
            "period": [now - period_days * DAY, now],
            "usdt_revenue": self.figures.fees_usdt,
            "usdt_held": self.a.usdt_balance(treasury),
            "supply": self.a.supply().total_supply,
        }
        content = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
        uri = f"ipfs://kol-demo/statement-{self.figures.statements + 1}.json"
        motion = self.y.carry(
            MotionKind.PUBLISH_STATEMENT,
            MotionArgs.statement(now - period_days * DAY, now, keccak(content), uri),
            self._foundation(),
            0.9,
        )
        if motion.status == MotionStatus.EXECUTED:
            self.figures.statements += 1
            self.y.note(f"statement {self.a.statement_count()} published ({uri})")

    def audit(self, *, answered: bool) -> None:
        """Nodes (33%) demand a public audit; the foundation answers within the due date (or
        the demand shows as overdue)."""
        now = self.a.now()
        motion = self.y.carry(
            MotionKind.DEMAND_AUDIT,
            MotionArgs.audit(now - 120 * DAY, now, "the foundation's USDT and KOL accounts"),
            self._node(),
            0.8,
        )
        if motion.status != MotionStatus.EXECUTED:
            return
        self.figures.audits += 1
        demand_id = self.a.audit_count()
        due = self.a.audit(demand_id).due
        self.y.note(f"audit demand {demand_id} opened, due on day {(due - self.y.start) // DAY}")
        if answered:
            self.a.wait(12 * DAY)
            report = keccak(text=f"audit report {demand_id}")
            self.a.answer_audit(
                demand_id,
                report,
                f"ipfs://kol-demo/audit-{demand_id}.pdf",
                by=self.y.foundation.address,
            )
            self.figures.audits_answered += 1
            self.y.note(f"the foundation answered audit demand {demand_id} with its report")

    def buyback(self) -> None:
        """The foundation buys KOL back from a holder with USDT revenue (recorded spending)
        and burns it in public (§9)."""
        holders = [u for u in self.users if self.a.balance(u.address) > 0]
        if not holders:
            return
        seller = max(holders, key=lambda u: self.a.balance(u.address))
        kol = self.a.balance(seller.address) // 2
        price = kol // ONE_KOL * ONE_USDT * 95 // 100
        foundation = self.y.foundation.address
        self.a.spend(seller.address, price, keccak(text="buyback: OTC purchase"), by=foundation)
        self.a.transfer(foundation, kol, by=seller.address)
        self.a.approve_kol(self.a.treasury_address(), kol, by=foundation)
        self.a.buyback_burn(kol, price, keccak(text="OTC buyback 1"), by=foundation)
        self.figures.burns += 1
        self.y.note(
            f"buyback: the foundation paid {price // ONE_USDT:,} USDT for {kol // ONE_KOL:,} KOL "
            f"and burned it in public"
        )
