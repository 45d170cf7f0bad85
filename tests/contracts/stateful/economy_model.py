"""A small, pure Python reference model of the economy: §7 (tasks, fees, matched
batches, circulation mode), §8 (genesis months and cumulative claims), §9 (the
foundation's spending and the buyback burn) and the invariants of §11 that
concern them.

The state machine in ``test_economy_stateful.py`` drives the contracts and this
model side by side: every operation is run on both, both must succeed or both
must revert (the model names a fragment of the reason), and after every step
the visible state — issuance figures, the treasury's books, every task, batch,
pool, genesis figure and balance — is compared with the model.

Conventions (as in ``model.py``): every operation first checks everything, in
the order the contracts check it, then changes state; an operation that raises
``Revert`` leaves the model untouched, as a reverted transaction leaves the
chain untouched. Balances of both tokens are kept for every account the
machine uses, the treasury and the pools included, so the model also knows
where every KOL is: ``supply == Σ balances`` at all times.

Motions are modelled only as far as the economy needs them: the machine votes
a motion's stages in the step that proposes it (passed, rejected, or left
without ballots), so a motion's status is a function of the clock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from eth_abi import encode
from eth_utils import keccak, to_checksum_address

from kol.domain.allocation import LEAF_TYPES as BATCH_LEAF_TYPES
from kol.domain.allocation import Allocation
from kol.domain.genesis import LEAF_TYPES as GENESIS_LEAF_TYPES
from kol.domain.genesis import GenesisSchedule
from kol.domain.merkle import (
    MultiProof,
    process_proof,
    standard_leaf_hash,
    verify_multi_proof,
)

DAY = 86_400
MONTH = 30 * DAY
KOL = 10**18
USDT = 10**6
TRANCHE = 1_000 * KOL
TRANCHES = 10
GENESIS_CAP = 5_000_000 * KOL
MATCHED_CAP = 16_000_000 * KOL
TOTAL_CAP = 21_000_000 * KOL
MAX_UINT = 2**256 - 1

# Currencies, task states (modules/tasks.vy).
USDT_FEE, KOL_FEE = 0, 1
REQUESTED, APPROVED, REFUNDED, MATCHED = 1, 2, 3, 4

# Motion kinds and statuses (Motions.vy).
APPROVE_TASK, ISSUE_MATCHED_BATCH, GENESIS_RELEASE, SET_PARAMETERS = 2, 6, 7, 12
VOTING, PASSED, EXECUTED, FAILED, LAPSED = 2, 3, 4, 5, 6
LIVE = (VOTING,)

# Parameters (§10) the machine changes.
KOL_PER_USDT, CLOSE_GENESIS = 6, 10
DEFAULT_RATE = 10**12
VOTING_PERIOD = 3 * DAY
EXECUTION_WINDOW = 7 * DAY

# Batch leaf roles.
USER, LEADER = 0, 1

# Pool addresses (modules/distribution.vy): "KOL-POOL" in the top 64 bits;
# a batch pool has its number in the low bits, a genesis pool bit 95 and 95
# bits of its month's hash.
POOL_TAG = 0x4B4F4C2D504F4F4C
GENESIS_BIT = 2**95


class Revert(Exception):
    """The operation must revert; ``fragment`` is part of the contract's reason
    (empty: any reason will do, e.g. a motion's status explained)."""

    def __init__(self, fragment: str) -> None:
        super().__init__(fragment)
        self.fragment = fragment


def batch_pool(batch_id: int, role: int) -> str:
    """The address of batch ``batch_id``'s user (0) or leader (1) pool."""
    return _address((POOL_TAG << 96) | (batch_id << 1) | role)


def genesis_pool(root: bytes, month: int, release_block: int) -> str:
    """The address of the pool of the genesis month (root, month, release block)."""
    digest = keccak(encode(["bytes32", "uint256", "uint256"], [root, month, release_block]))
    hashed = int.from_bytes(digest, "big") & (GENESIS_BIT - 1)
    return _address((POOL_TAG << 96) | GENESIS_BIT | hashed)


def is_pool(address: str) -> bool:
    """Whether ``address`` is a distribution pool (it cannot receive KOL)."""
    return int(address, 16) >> 96 == POOL_TAG


def _address(number: int) -> str:
    return to_checksum_address("0x" + number.to_bytes(20, "big").hex())


@dataclass
class Task:
    """A client's task and its escrowed fee (§7)."""

    task_id: int
    client: str
    kind: int
    currency: int
    fee: int
    requested_at: int
    state: int = REQUESTED
    motion_id: int = 0  # the latest approval motion proposed for it


@dataclass
class Motion:
    """An economy motion whose ballots the machine cast in the step that
    proposed it: ``passed_at`` when every stage passed, ``rejected`` when
    stage 1 failed on its ballots, neither when nobody voted."""

    motion_id: int
    kind: int
    proposer: str
    opened_at: int
    payload: object
    passed_at: int | None = None
    rejected: bool = False
    executed: bool = False

    def status(self, now: int) -> int:
        if self.executed:
            return EXECUTED
        if self.rejected:
            return FAILED
        if self.passed_at is None:
            return FAILED if now > self.opened_at + VOTING_PERIOD else VOTING
        if now > self.passed_at + EXECUTION_WINDOW:
            return LAPSED
        return PASSED


@dataclass(frozen=True)
class BatchPlan:
    """The arguments of an ISSUE_MATCHED_BATCH motion."""

    total: int
    user_total: int
    leader_total: int
    task_ids: tuple[int, ...]
    root: bytes
    content_hash: bytes
    allocation: Allocation


@dataclass(frozen=True)
class GenesisPlan:
    """The arguments of a GENESIS_RELEASE motion (and the schedule behind them)."""

    month: int
    cum_paid: int
    cum_forfeited: int
    leaders: int
    root: bytes
    content_hash: bytes
    schedule: GenesisSchedule


@dataclass(frozen=True)
class ParameterPlan:
    """The pairs of a SET_PARAMETERS motion."""

    pairs: tuple[tuple[int, int], ...]


@dataclass
class Batch:
    """An issued batch: its two parts, its list, and the leaves paid so far."""

    batch_id: int
    currency: int
    total: int
    user_total: int
    leader_total: int
    root: bytes
    allocation: Allocation
    claimed: set[int] = field(default_factory=set)
    claimed_users: int = 0
    claimed_leaders: int = 0

    @property
    def user_left(self) -> int:
        return self.user_total - self.claimed_users

    @property
    def leader_left(self) -> int:
        return self.leader_total - self.claimed_leaders


@dataclass(frozen=True)
class ReleasedMonth:
    """A released genesis month: its list, and the block of its release."""

    month: int
    root: bytes
    release_block: int
    schedule: GenesisSchedule

    @property
    def pool(self) -> str:
        return genesis_pool(self.root, self.month, self.release_block)


@dataclass
class Economy:
    """The economy as the constitution (and the contracts' documented
    readings) says it must be."""

    now: int
    block: int
    treasury: str
    foundation: str
    genesis_start: int
    motion_count: int
    nodes: dict[str, int]  # seated node -> block in which it was seated
    supers: set[str]
    kol: Counter[str] = field(default_factory=Counter)
    usdt: Counter[str] = field(default_factory=Counter)
    # Allowances given to the treasury, per token (MAX_UINT: unlimited).
    kol_allowance: Counter[str] = field(default_factory=Counter)
    usdt_allowance: Counter[str] = field(default_factory=Counter)
    kol_per_usdt: int = DEFAULT_RATE
    tasks: dict[int, Task] = field(default_factory=dict)
    escrowed: list[int] = field(default_factory=lambda: [0, 0])
    approved: list[int] = field(default_factory=lambda: [0, 0])
    matched: list[int] = field(default_factory=lambda: [0, 0])
    spent_usdt: int = 0
    motions: dict[int, Motion] = field(default_factory=dict)
    latest_motion: dict[str, int] = field(default_factory=dict)
    batches: dict[int, Batch] = field(default_factory=dict)
    issued_genesis: int = 0
    issued_matched: int = 0
    burned: int = 0
    burn_count: int = 0
    # Genesis programme (§8).
    genesis_month: int = 0
    genesis_paid: int = 0
    genesis_forfeited: int = 0
    genesis_closed: bool = False
    released: dict[int, ReleasedMonth] = field(default_factory=dict)
    genesis_claimed: Counter[str] = field(default_factory=Counter)  # tranches
    # What the current step minted (§11.3) and touched (for the cheap checks).
    minted: int = 0
    touched_accounts: set[str] = field(default_factory=set)
    touched_tasks: set[int] = field(default_factory=set)
    touched_batches: set[int] = field(default_factory=set)
    touched_leaves: set[tuple[int, int]] = field(default_factory=set)
    # The supply when issuance became complete (§11.8).
    final_supply: int | None = None

    # DERIVED #

    @property
    def supply(self) -> int:
        return self.issued_genesis + self.issued_matched - self.burned

    @property
    def circulation(self) -> bool:
        return self.issued_matched >= MATCHED_CAP

    @property
    def issuance_complete(self) -> bool:
        return self.genesis_closed and self.circulation

    @property
    def genesis_pool(self) -> str | None:
        if not self.genesis_month:
            return None
        return self.released[self.genesis_month].pool

    def status(self, motion_id: int) -> int:
        return self.motions[motion_id].status(self.now)

    def live(self, proposer: str) -> bool:
        latest = self.latest_motion.get(proposer)
        return latest is not None and self.status(latest) in LIVE

    def tasks_in(self, *states: int, currency: int | None = None) -> list[int]:
        return [
            t.task_id
            for t in self.tasks.values()
            if t.state in states and (currency is None or t.currency == currency)
        ]

    def begin_step(self) -> None:
        self.minted = 0
        self.touched_accounts = set()
        self.touched_tasks = set()
        self.touched_batches = set()
        self.touched_leaves = set()

    def tick(self, now: int, block: int) -> None:
        self.now, self.block = now, block

    # TOKEN MOVES #

    def _move(self, ledger: Counter[str], source: str, to: str, amount: int) -> None:
        ledger[source] -= amount
        ledger[to] += amount
        self.touched_accounts |= {source, to}

    def _pull(self, currency: int, owner: str, amount: int, *, check_only: bool = False) -> None:
        """``transferFrom(owner, treasury, amount)`` of the fee's token."""
        if currency == USDT_FEE:
            allowance, ledger = self.usdt_allowance, self.usdt
            no_allowance, no_balance = "usdt: allowance", "usdt: balance"
        else:
            allowance, ledger = self.kol_allowance, self.kol
            no_allowance, no_balance = "insufficient allowance", "exceeds balance"
        if allowance[owner] < amount:
            raise Revert(no_allowance)
        if ledger[owner] < amount:
            raise Revert(no_balance)
        if check_only:
            return
        if allowance[owner] != MAX_UINT:
            allowance[owner] -= amount
        self._move(ledger, owner, self.treasury, amount)

    def transfer_kol(self, sender: str, to: str, amount: int) -> None:
        """An ERC-20 ``transfer`` of KOL (a batch pool cannot receive it)."""
        if is_pool(to):
            raise Revert("token: KOL cannot be sent to a distribution pool")
        if self.kol[sender] < amount:
            raise Revert("exceeds balance")
        self._move(self.kol, sender, to, amount)

    def approve_kol(self, owner: str, amount: int) -> None:
        self.kol_allowance[owner] = amount

    # TASKS (§7) #

    def request_task(self, client: str, kind: int, fee: int) -> int:
        currency = KOL_FEE if self.circulation else USDT_FEE
        if not 1 <= kind <= 6:
            raise Revert("tasks: kind is 1 to 6")
        if fee == 0:
            raise Revert("tasks: the fee must be more than 0")
        if fee >= 2**128:
            raise Revert("tasks: fee too large")
        self._pull(currency, client, fee, check_only=True)
        task_id = len(self.tasks) + 1
        self.tasks[task_id] = Task(task_id, client, kind, currency, fee, self.now)
        self.escrowed[currency] += fee
        self._pull(currency, client, fee)
        self.touched_tasks.add(task_id)
        return task_id

    def refundable(self, task_id: int) -> bool:
        t = self.tasks[task_id]
        if t.state != REQUESTED:
            return False
        if t.motion_id == 0:
            return self.now > t.requested_at + EXECUTION_WINDOW
        return self.status(t.motion_id) in (FAILED, LAPSED)

    def refund_task(self, task_id: int) -> None:
        t = self.tasks.get(task_id)
        if t is None or t.state != REQUESTED:
            raise Revert("tasks: only a task awaiting approval can be refunded")
        # Only one approval motion is open at a time (see _check_approvable), so
        # the latest one linked decides.
        if t.motion_id == 0:
            if not self.now > t.requested_at + EXECUTION_WINDOW:
                raise Revert("tasks: no approval motion yet")
        elif self.status(t.motion_id) not in (FAILED, LAPSED):
            raise Revert("tasks: the approval motion has not failed or lapsed")
        t.state = REFUNDED
        self.escrowed[t.currency] -= t.fee
        ledger = self.kol if t.currency == KOL_FEE else self.usdt
        self._move(ledger, self.treasury, t.client, t.fee)
        self.touched_tasks.add(task_id)

    def _check_approvable(self, task_id: int) -> Task:
        t = self.tasks.get(task_id)
        if t is None:
            raise Revert("tasks: no such task")
        if t.state != REQUESTED:
            raise Revert("tasks: the task is not awaiting approval")
        return t

    # MOTIONS #

    def _check_proposer(self, kind: int, proposer: str) -> None:
        if kind == APPROVE_TASK and proposer not in self.nodes:
            raise Revert("motions: only a seated node may propose this motion")
        if kind == SET_PARAMETERS and proposer not in self.supers:
            raise Revert("motions: only a super node may propose this motion")
        if kind in (ISSUE_MATCHED_BATCH, GENESIS_RELEASE) and not (
            proposer in self.nodes or proposer == self.foundation
        ):
            raise Revert("motions: only a node or the foundation may propose this motion")
        if self.live(proposer):
            raise Revert("motions: the proposer already has a live motion (one at a time)")

    def _validate(self, kind: int, payload: object, executing: bool) -> None:
        if kind == APPROVE_TASK:
            assert isinstance(payload, int)
            t = self._check_approvable(payload)
            if (
                not executing
                and t.motion_id
                and self.status(t.motion_id)
                not in (
                    FAILED,
                    LAPSED,
                    EXECUTED,
                )
            ):
                raise Revert("tasks: an approval motion for this task is still open")
        elif kind == ISSUE_MATCHED_BATCH:
            assert isinstance(payload, BatchPlan)
            self._check_batch(payload)
        elif kind == GENESIS_RELEASE:
            assert isinstance(payload, GenesisPlan)
            self._check_genesis_month(payload, executing)
        else:
            assert isinstance(payload, ParameterPlan)
            self._check_parameters(payload, executing)

    def propose(self, proposer: str, kind: int, payload: object) -> int:
        """Proposes an economy motion; returns its id (stage 1 opens now)."""
        self._check_proposer(kind, proposer)
        self._validate(kind, payload, executing=False)
        motion_id = self.motion_count + 1
        self.motion_count = motion_id
        self.motions[motion_id] = Motion(motion_id, kind, proposer, self.now, payload)
        self.latest_motion[proposer] = motion_id
        if kind == APPROVE_TASK:
            assert isinstance(payload, int)
            self.tasks[payload].motion_id = motion_id
            self.touched_tasks.add(payload)
        return motion_id

    def passed(self, motion_id: int) -> None:
        self.motions[motion_id].passed_at = self.now

    def rejected(self, motion_id: int) -> None:
        self.motions[motion_id].rejected = True

    def execute(self, motion_id: int, release_block: int) -> None:
        m = self.motions.get(motion_id)
        if m is None:
            raise Revert("motions: no such motion")
        if m.status(self.now) != PASSED:
            raise Revert("")
        self._validate(m.kind, m.payload, executing=True)
        if m.kind == APPROVE_TASK:
            assert isinstance(m.payload, int)
            self._approve(m.payload)
        elif m.kind == ISSUE_MATCHED_BATCH:
            assert isinstance(m.payload, BatchPlan)
            self._issue_batch(m.payload)
        elif m.kind == GENESIS_RELEASE:
            assert isinstance(m.payload, GenesisPlan)
            self._release_genesis(m.payload, release_block)
        else:
            assert isinstance(m.payload, ParameterPlan)
            self._apply_parameters(m.payload)
        m.executed = True

    def _approve(self, task_id: int) -> None:
        t = self.tasks[task_id]
        t.state = APPROVED
        self.escrowed[t.currency] -= t.fee
        self.approved[t.currency] += t.fee
        self.touched_tasks.add(task_id)

    # MATCHED BATCHES (§7) #

    def batch_total(self, task_ids: Sequence[int]) -> int:
        """What a batch of these (matchable, same-currency) tasks must state."""
        fees = sum(self.tasks[i].fee for i in task_ids)
        if self.tasks[task_ids[0]].currency == KOL_FEE:
            return fees
        return min(fees * self.kol_per_usdt, MATCHED_CAP - self.issued_matched)

    def _check_matchable(self, task_id: int) -> Task:
        t = self.tasks.get(task_id)
        if t is None or task_id == 0:
            raise Revert("tasks: no such task")
        if t.state != APPROVED:
            raise Revert("tasks: a batch names only approved tasks not already in a batch")
        return t

    def _check_batch(self, plan: BatchPlan) -> None:
        total = plan.total
        if plan.user_total != total * 4 // 5 or plan.leader_total != total - plan.user_total:
            raise Revert("treasury: a batch states its user part")
        currency = self._check_matchable(plan.task_ids[0]).currency
        fees, previous = 0, 0
        for task_id in plan.task_ids:
            if task_id <= previous:
                raise Revert("treasury: a batch names its task ids once each, in increasing order")
            previous = task_id
            t = self._check_matchable(task_id)
            if t.currency != currency:
                raise Revert("treasury: a batch names tasks paid in one currency")
            fees += t.fee
        expected = fees
        if currency == USDT_FEE:
            capacity = MATCHED_CAP - self.issued_matched
            if capacity == 0:
                raise Revert("treasury: the matched bucket is exhausted")
            expected = min(fees * self.kol_per_usdt, capacity)
        if total != expected:
            raise Revert("treasury: a batch's KOL is the named tasks' fees x kol_per_usdt")

    def _issue_batch(self, plan: BatchPlan) -> None:
        currency = self.tasks[plan.task_ids[0]].currency
        batch_id = len(self.batches) + 1
        users, leaders = batch_pool(batch_id, USER), batch_pool(batch_id, LEADER)
        if currency == USDT_FEE:
            self.issued_matched += plan.total
            self.minted += plan.total
            self.kol[users] += plan.user_total
            self.kol[leaders] += plan.leader_total
        else:
            self._move(self.kol, self.treasury, users, plan.user_total)
            self._move(self.kol, self.treasury, leaders, plan.leader_total)
        self.batches[batch_id] = Batch(
            batch_id,
            currency,
            plan.total,
            plan.user_total,
            plan.leader_total,
            plan.root,
            plan.allocation,
        )
        for task_id in plan.task_ids:
            t = self.tasks[task_id]
            t.state = MATCHED
            self.matched[t.currency] += t.fee
            self.touched_tasks.add(task_id)
        self.touched_batches.add(batch_id)
        self._note_completion()

    # CLAIMS AND DELIVERY (§7, §11.4) #

    def claim(
        self, batch_id: int, value: tuple[int, str, int, int], proof: Sequence[bytes]
    ) -> None:
        index, account, role, amount = value
        b = self.batches.get(batch_id)
        if b is None:
            raise Revert("distribution: no such batch")
        if role not in (USER, LEADER):
            raise Revert("distribution: a leaf's role is 0 (user) or 1 (leader)")
        if index in b.claimed:
            raise Revert("distribution: this leaf is already claimed")
        leaf = standard_leaf_hash(BATCH_LEAF_TYPES, value)
        if process_proof(leaf, proof) != b.root:
            raise Revert("distribution: the proof does not prove this leaf")
        self._pay_leaf(b, value, check_only=True)
        b.claimed.add(index)
        self._pay_leaf(b, value)

    def _pay_leaf(
        self, b: Batch, value: tuple[int, str, int, int], *, check_only: bool = False
    ) -> None:
        index, account, role, amount = value
        left = b.user_left if role == USER else b.leader_left
        if left < amount:
            raise Revert("distribution: the claims would exceed the batch's stated part")
        if check_only:
            return
        self._move(self.kol, batch_pool(b.batch_id, role), account, amount)
        if role == USER:
            b.claimed_users += amount
        else:
            b.claimed_leaders += amount
        self.touched_batches.add(b.batch_id)
        self.touched_leaves.add((b.batch_id, index))

    def deliver(self, batch_id: int, multi: MultiProof) -> int:
        """Pays every leaf of the multiproof not yet claimed; returns how many."""
        b = self.batches.get(batch_id)
        if b is None:
            raise Revert("distribution: no such batch")
        for value in multi.leaves:
            if value[2] not in (USER, LEADER):
                raise Revert("distribution: a leaf's role is 0 (user) or 1 (leader)")
        try:
            valid = verify_multi_proof(b.root, BATCH_LEAF_TYPES, multi)
        except (ValueError, IndexError):
            valid = False
        if not valid:
            raise Revert("distribution: the multiproof does not prove these leaves")
        # Check the whole delivery before paying anything.
        fresh = []
        seen: set[int] = set()
        left = {USER: b.user_left, LEADER: b.leader_left}
        for value in multi.leaves:
            index, _, role, amount = (int(value[0]), str(value[1]), int(value[2]), int(value[3]))
            if index in b.claimed or index in seen:
                continue
            seen.add(index)
            if left[role] < amount:
                raise Revert("distribution: the claims would exceed the batch's stated part")
            left[role] -= amount
            fresh.append((index, str(value[1]), role, amount))
        for value in fresh:
            b.claimed.add(value[0])
            self._pay_leaf(b, value)
        self.touched_batches.add(batch_id)
        return len(fresh)

    # GENESIS (§8) #

    def _check_genesis_month(self, plan: GenesisPlan, executing: bool) -> None:
        if self.genesis_closed:
            raise Revert("genesis: the programme is closed")
        if plan.month != self.genesis_month + 1:
            raise Revert("genesis: months are released in order")
        if executing and self.now < self.genesis_start + (plan.month - 1) * MONTH:
            raise Revert("genesis: this month of the programme has not begun")
        if plan.cum_paid < self.genesis_paid or plan.cum_forfeited < self.genesis_forfeited:
            raise Revert("genesis: cumulative paid and forfeited KOL never decrease")
        if plan.cum_paid % TRANCHE or plan.cum_forfeited % TRANCHE:
            raise Revert("genesis: entitlements are whole tranches of 1,000 KOL")
        if (
            plan.leaders == 0
            or plan.cum_paid + plan.cum_forfeited
            > min(plan.month, TRANCHES) * TRANCHE * plan.leaders
        ):
            raise Revert("genesis: at most 1,000 KOL per leader per month elapsed")
        if plan.cum_paid + plan.cum_forfeited > GENESIS_CAP:
            raise Revert("genesis: at most 5,000,000 KOL are paid or forfeited")

    def _release_genesis(self, plan: GenesisPlan, release_block: int) -> None:
        released = plan.cum_paid - self.genesis_paid
        if self.issued_genesis + released > GENESIS_CAP:
            raise Revert("token: genesis issuance is capped")
        month = ReleasedMonth(plan.month, plan.root, release_block, plan.schedule)
        previous = self.genesis_pool
        if previous is not None and self.kol[previous]:
            self._move(self.kol, previous, month.pool, self.kol[previous])
        self.genesis_month = plan.month
        self.genesis_paid = plan.cum_paid
        self.genesis_forfeited = plan.cum_forfeited
        self.released[plan.month] = month
        self.issued_genesis += released
        self.minted += released
        self.kol[month.pool] += released
        self.touched_accounts.add(month.pool)
        if plan.cum_paid + plan.cum_forfeited == GENESIS_CAP:
            self.genesis_closed = True
        self._note_completion()

    def claim_genesis(
        self,
        root: bytes,
        month: int,
        release_block: int,
        leader: str,
        cum_paid: int,
        cum_forfeited: int,
        proof: Sequence[bytes],
    ) -> int:
        if cum_paid % TRANCHE or cum_forfeited % TRANCHE:
            raise Revert("genesis: entitlements are whole tranches of 1,000 KOL")
        if cum_paid + cum_forfeited > min(month, TRANCHES) * TRANCHE:
            raise Revert("genesis: a leader's paid and forfeited tranches are at most")
        leaf = standard_leaf_hash(GENESIS_LEAF_TYPES, (leader, cum_paid, cum_forfeited))
        if process_proof(leaf, proof) != root:
            raise Revert("genesis: the proof does not prove this leader's entitlement")
        since = self.nodes.get(leader)
        if since is None or not since < release_block:
            raise Revert("genesis: only nodes seated before the month's release receive")
        entitled = cum_paid // TRANCHE
        claimed = self.genesis_claimed[leader]
        if entitled <= claimed:
            raise Revert("genesis: this leader has already claimed every tranche")
        if entitled > TRANCHES:
            raise Revert("genesis: a leader receives ten tranches at most")
        amount = (entitled - claimed) * TRANCHE
        pool = genesis_pool(root, month, release_block)
        if self.kol[pool] < amount:
            raise Revert("genesis: not the latest released month")
        self.genesis_claimed[leader] = entitled
        self._move(self.kol, pool, leader, amount)
        return amount

    # SET_PARAMETERS (§8 closing, §10 kol_per_usdt) #

    def _check_parameters(self, plan: ParameterPlan, executing: bool) -> None:
        closes = any(p == CLOSE_GENESIS for p, _ in plan.pairs)
        for p, value in plan.pairs:
            if p == KOL_PER_USDT and not 1 <= value <= 10**15:
                raise Revert("parameters: kol_per_usdt must be 1 to 10**15")
        if closes:
            if self.genesis_closed:
                raise Revert("genesis: the programme is already closed")
            if executing and self.genesis_month < TRANCHES:
                raise Revert("genesis: the programme can be closed only after its tenth month")

    def _apply_parameters(self, plan: ParameterPlan) -> None:
        for p, value in plan.pairs:
            if p == KOL_PER_USDT:
                self.kol_per_usdt = value
            elif p == CLOSE_GENESIS:
                self.genesis_closed = True
        self._note_completion()

    # FOUNDATION (§9) #

    def spend(self, sender: str, to: str, amount: int) -> None:
        if sender != self.foundation:
            raise Revert("treasury: only the foundation spends")
        left = self.approved[USDT_FEE] - self.spent_usdt
        if amount == 0 or amount > left:
            raise Revert("treasury: the amount exceeds the foundation's approved USDT revenue")
        self.spent_usdt += amount
        self._move(self.usdt, self.treasury, to, amount)

    def buyback_burn(self, sender: str, amount: int) -> None:
        if sender != self.foundation:
            raise Revert("treasury: only the foundation burns bought-back KOL")
        if self.issuance_complete:
            raise Revert("treasury: issuance is complete")
        if amount == 0:
            raise Revert("treasury: nothing to burn")
        self._pull(KOL_FEE, sender, amount)
        self.kol[self.treasury] -= amount
        self.burned += amount
        self.burn_count += 1

    def _note_completion(self) -> None:
        if self.issuance_complete and self.final_supply is None:
            self.final_supply = self.supply
