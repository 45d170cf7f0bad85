"""The economy (§7–§9) against the reference model, with §11's invariants after every step.

A hypothesis ``RuleBasedStateMachine`` drives a deployed alliance with its
treasury (30 nodes, 21 of them super nodes, deployed once per test; every
example runs in its own ``boa.env.anchor()``, rolled back in ``teardown``):

- clients request tasks of random kinds and fees — USDT while the matched
  bucket has room, KOL in circulation mode, big fees now and then so that a
  long run fills the 16,000,000 KOL bucket — and bad requests (fee 0, a bad
  kind, no allowance, more than the client holds);
- APPROVE_TASK motions pass and are executed, are left passed (and lapse),
  are voted down, or get no ballots at all; fees are refunded after a failed
  or lapsed motion, or after the window with no motion — and too early;
- ISSUE_MATCHED_BATCH over random subsets of the approved unmatched tasks with
  random participant lists (``Allocation.of``), honest or with a wrong total,
  a wrong split, a task already matched (also when two motions race for it),
  not approved, unknown, named twice, or of the other currency;
- claims by proof (by the recipient or by anyone), pushed deliveries by
  multiproof over random subsets, double claims, tampered leaves and proofs of
  other lists;
- genesis months of random PAY / DEFER / WITHHOLD / release decisions
  (``GenesisSchedule``), released in order with time travel (and once too
  early), cumulative genesis claims from the latest list, from superseded
  lists, with inflated figures, forged proofs or forged roots;
- SET_PARAMETERS closing the programme (refused before month 10) or changing
  ``kol_per_usdt``; the foundation spending revenue and burning bought-back
  KOL; KOL changing hands; time passing.

Every action runs on the model (``economy_model.py``) and on the contracts:
both succeed or both revert (the contract's reason must contain the model's),
and a revert must leave every balance involved unchanged. After every step
the chain is compared with the model and §11 is checked on the contracts'
own figures:

- §11.1 issued_genesis ≤ 5M, issued_matched ≤ 16M, issued_total = their sum
  ≤ 21M, none ever decreasing;
- §11.2 totalSupply = issued_total − burned_total;
- §11.3 issuance grows only in a step that executed ISSUE_MATCHED_BATCH or
  GENESIS_RELEASE, by what that motion minted, as its ``Issued`` events say;
- §11.4 per batch: what each pool holds is its part less what its leaves
  claimed (never below 0), user part = total * 4 // 5, no leaf paid twice;
- §11.8 once issuance is complete, the supply never changes;
- §11.10 the treasury holds escrowed + approved − spent USDT and
  escrowed + approved − matched KOL; every task is in exactly one state and
  the per-currency sums are the sums over the tasks in each state;
- §8 per leader: genesis claimed ≤ 10,000 KOL and ≤ 1,000 × months released;
- every balance of both tokens (people, treasury, pools) is the model's, and
  the supply is the sum of them: no KOL appears or vanishes.

What the step may have touched is read at once; everything every eighth step.

The replays after the machine run chosen sequences through it in every run:
the matched bucket filled to the last KOL, circulation mode, ten genesis
months, the programme closed and issuance complete; approvals that fail,
lapse or race.

Profiles: ``KOL_HYPOTHESIS_PROFILE=ci`` (default) or ``long`` (see conftest);
the ci profile of this file is lighter (``ECONOMY_CI``).

The findings at the end are contract behaviours that break the constitution,
each kept as a regression test now that the contracts are fixed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import boa
import pytest
from boa.contracts.base_evm_contract import BoaError
from eth_utils import keccak
from hypothesis import currently_in_test_context, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from kol.alliance import MotionArgs
from kol.chain.inprocess import deploy_alliance
from kol.domain.allocation import Allocation
from kol.domain.genesis import LEAF_TYPES as GENESIS_LEAF_TYPES
from kol.domain.genesis import Decision, GenesisSchedule, Verdict
from kol.domain.merkle import MultiProof, StandardMerkleTree
from kol.domain.types import Role
from tests.contracts.helpers import (
    RATIFY_GENESIS_SUPER_NODES,
    World,
    args,
    key,
    keys,
    make_world,
    next_block,
)
from tests.contracts.stateful import economy_model as E
from tests.contracts.stateful.steps import CountsSteps
from tests.contracts.unitary.treasury._economy import release_month, request

PROFILE = os.environ.get("KOL_HYPOTHESIS_PROFILE", "ci")
T = TypeVar("T")

# The ci profile of this machine: every motion costs some thirty
# transactions, so fewer examples than the governance machine's.
ECONOMY_CI = settings(settings.get_profile("ci"), max_examples=20, stateful_step_count=40)

# PEOPLE #

ADMIN = key("admin").address
FOUNDATION = key("foundation").address
NODES = [k.address for k in keys("node", 30)]
SUPERS = NODES[:21]
CLIENTS = [k.address for k in keys("eco-client", 3)]
POOR = key("eco-poor-client").address  # 100 USDT, treasury approved
STINGY = key("eco-stingy-client").address  # plenty of USDT, nothing approved
USERS = [k.address for k in keys("eco-user", 5)]
KEEPER = key("eco-keeper").address  # sends claims, deliveries, refunds, executions
VENDOR = key("eco-vendor").address  # paid by the foundation
OUTSIDERS = [k.address for k in keys("eco-outsider", 2)]  # genesis leaders who are not nodes
# Batch users: users, clients (so that they hold KOL for circulation mode)
# and the foundation (so that it holds KOL to burn).
BATCH_USERS = [*USERS, *CLIENTS, FOUNDATION]
GENESIS_LEADERS = [*NODES[:10], OUTSIDERS[0]]
PEOPLE = [*NODES, *CLIENTS, POOR, STINGY, *USERS, FOUNDATION, KEEPER, VENDOR, *OUTSIDERS]

NAME = {
    **{a: f"node{i}" for i, a in enumerate(NODES)},
    **{a: f"client{i}" for i, a in enumerate(CLIENTS)},
    **{a: f"user{i}" for i, a in enumerate(USERS)},
    **{a: f"outsider{i}" for i, a in enumerate(OUTSIDERS)},
    POOR: "poor client",
    STINGY: "stingy client",
    FOUNDATION: "foundation",
    KEEPER: "keeper",
    VENDOR: "vendor",
    ADMIN: "admin",
}

USDT = E.USDT
KOL = E.KOL
URI = "ipfs://bafy-economy-list"
RICH = 10**9 * USDT  # each client's USDT
FOR, AGAINST = 1, 2
SUPER_THRESHOLD, NODE_THRESHOLD = 11, 16  # 51% of 21 and of 30
# Everything is read again every FULL_EVERY steps (the first included).
FULL_EVERY = 8
KIND_NAME = {
    E.APPROVE_TASK: "APPROVE_TASK",
    E.ISSUE_MATCHED_BATCH: "ISSUE_MATCHED_BATCH",
    E.GENESIS_RELEASE: "GENESIS_RELEASE",
    E.SET_PARAMETERS: "SET_PARAMETERS",
}
TIME_STEPS = [1, 3_600, E.DAY, 3 * E.DAY + 1, 7 * E.DAY + 1, 30 * E.DAY]
RATES = [10**12, 2 * 10**12, 10**11, 10**13, 10**15]


def note(label: str) -> None:
    """Counts an outcome (``--hypothesis-show-statistics`` lists them)."""
    if currently_in_test_context():
        event(label)


def now() -> int:
    timestamp: int = boa.env.evm.patch.timestamp
    return timestamp


def block() -> int:
    number: int = boa.env.evm.patch.block_number
    return number


def name(address: str) -> str:
    return NAME.get(str(address), str(address))


def reason_of(error: BoaError) -> str:
    """The revert reason of ``error`` (the innermost frame's), else its text."""
    trace = error.stack_trace
    if trace is not None:
        reason = trace.last_frame.pretty_vm_reason
        if reason:
            return str(reason)
    return str(error)


@dataclass(frozen=True)
class Deployment:
    """An alliance with its treasury: 30 nodes seated by the administrator,
    nodes 0–20 ratified as super nodes (21–23 their alternates), clients
    funded with test USDT."""

    token: Any
    council: Any
    motions: Any
    treasury: Any
    usdt: Any

    @classmethod
    def fresh(cls) -> Deployment:
        a = deploy_alliance(ADMIN, FOUNDATION, with_treasury=True)
        with boa.env.prank(ADMIN):
            for i, node in enumerate(NODES):
                a.council.nominate(node, f"community {i}", b"\x00" * 32)
        next_block()
        world = World(a, ADMIN, FOUNDATION, keys("node", 30), [])
        world.pass_motion(NODES[0], RATIFY_GENESIS_SUPER_NODES, args(NODES[:24], [21]))
        next_block()
        for client in [*CLIENTS, STINGY]:
            a.usdt.mint(client, RICH)
        a.usdt.mint(POOR, 100 * USDT)
        for client in [*CLIENTS, POOR]:
            with boa.env.prank(client):
                a.usdt.approve(a.treasury.address, 2**256 - 1)
                a.token.approve(a.treasury.address, 2**256 - 1)
        next_block()
        return cls(a.token, a.council, a.motions, a.treasury, a.usdt)


class Economy(CountsSteps, RuleBasedStateMachine):
    """One alliance's economy, its people, and the model beside it."""

    def __init__(self, deployment: Deployment) -> None:
        super().__init__()
        self._anchor = boa.env.anchor()
        self._anchor.__enter__()
        d = deployment
        self.token, self.council, self.motions = d.token, d.council, d.motions
        self.treasury, self.usdt = d.treasury, d.usdt
        t = self.treasury.address
        self.model = E.Economy(
            now=now(),
            block=block(),
            treasury=t,
            foundation=FOUNDATION,
            genesis_start=self.treasury.genesis_start(),
            motion_count=self.motions.motion_count(),
            nodes={n: self.council.seated_since(n, 0) for n in NODES},
            supers=set(SUPERS),
        )
        for who in [*PEOPLE, t]:
            self.model.usdt[who] = self.usdt.balanceOf(who)
        for client in [*CLIENTS, POOR]:
            self.model.usdt_allowance[client] = E.MAX_UINT
            self.model.kol_allowance[client] = E.MAX_UINT
        # The arguments each motion was proposed with (to execute it later).
        self.motion_args: dict[int, tuple[Any, ...]] = {}
        # Genesis decisions of the months released so far.
        self.decisions: list[Decision] = []
        self.late_leaders = 0
        self._steps = 0
        self._settled: set[int] = set()
        self._previous: tuple[int, int, int, int] = (0, 0, 0, 0)
        self.model.begin_step()

    def teardown(self) -> None:
        self.record_steps()
        self._anchor.__exit__(None, None, None)

    # DRIVING BOTH SIDES #

    def _balances(self, accounts: Sequence[str]) -> list[tuple[int, int]]:
        return [(self.token.balanceOf(a), self.usdt.balanceOf(a)) for a in accounts]

    def _step(
        self,
        what: str,
        sender: str,
        call: Callable[..., T],
        arguments: tuple[Any, ...],
        on_model: Callable[[], Any],
        watch: Sequence[str] = (),
    ) -> tuple[Any, T | None, bool]:
        """Runs ``on_model`` on the model and ``call(*arguments)`` from
        ``sender`` on the chain: both must succeed or both revert, the
        contract's reason containing the model's. A revert must leave the
        balances of ``watch`` (and the sender, the treasury, the supply)
        unchanged. Returns (model result, chain result, succeeded)."""
        watched = list(dict.fromkeys([sender, self.treasury.address, *watch]))
        before = self._balances(watched)
        supply = self.token.totalSupply()
        try:
            expected, refused = on_model(), None
        except E.Revert as e:
            expected, refused = None, e.fragment
        try:
            with boa.env.prank(sender):
                result = call(*arguments)
        except BoaError as error:
            reason = reason_of(error)
            assert refused is not None, (
                f"{what} by {name(sender)}: the contract reverted ({reason[:300]}) "
                "but the model says it must succeed"
            )
            assert refused in reason, (
                f"{what} by {name(sender)}: the contract reverted with {reason[:300]!r}; "
                f"the model expected {refused!r}"
            )
            after = self._balances(watched)
            assert after == before and self.token.totalSupply() == supply, (
                f"{what} by {name(sender)} reverted but balances changed: "
                f"{[(name(a), b, c) for a, b, c in zip(watched, before, after, strict=True)]}"
            )
            note(f"{what.split('(')[0].strip()}: reverted ({refused[:60]})")
            return None, None, False
        assert refused is None, (
            f"{what} by {name(sender)}: the contract accepted it but the model says "
            f"it must revert ({refused!r})"
        )
        note(f"{what.split('(')[0].strip()}: done")
        return expected, result, True

    def _tick(self, seconds: int) -> None:
        """Lets ``seconds`` pass, mining at least one block."""
        boa.env.time_travel(seconds=seconds)
        if seconds < 12:
            boa.env.time_travel(blocks=1, block_delta=0)
        self.model.tick(now(), block())

    @staticmethod
    def _rarely(data: st.DataObject, label: str, one_in: int = 10) -> bool:
        """True about once in ``one_in`` draws (hypothesis favours small
        integers, so the rare branch is the largest one)."""
        return data.draw(st.integers(0, one_in - 1), label=label) == one_in - 1

    @classmethod
    def _some(
        cls, data: st.DataObject, preferred: Sequence[T], others: Sequence[T], label: str
    ) -> T:
        """One of ``preferred`` nine times in ten (when there is one), else one of ``others``."""
        if preferred and (not others or not cls._rarely(data, f"{label}: another?")):
            return data.draw(st.sampled_from(list(preferred)), label=label)
        return data.draw(st.sampled_from(list(others)), label=label)

    # MOTIONS #

    def _proposer(self, data: st.DataObject, kind: int) -> str:
        """Usually someone allowed to propose ``kind`` with no live motion."""
        if kind == E.SET_PARAMETERS:
            allowed = SUPERS
        elif kind == E.APPROVE_TASK:
            allowed = NODES
        else:
            allowed = [*NODES, FOUNDATION]
        free = [p for p in allowed if not self.model.live(p)]
        return self._some(data, free, [*NODES, FOUNDATION, CLIENTS[0]], f"{KIND_NAME[kind]} by")

    def _vote(self, voters: Sequence[str], stage_id: int, choice: int) -> None:
        for voter in voters:
            with boa.env.prank(voter):
                self.council.vote(stage_id, choice)

    def _motion(
        self,
        proposer: str,
        kind: int,
        motion_args: MotionArgs,
        payload: object,
        fate: str,
        what: str,
    ) -> int | None:
        """Proposes an economy motion and votes it: ``now`` (passed and
        executed), ``pending`` (passed, executed later or never), ``reject``
        (stage 1 voted down) or ``silent`` (no ballots). Returns its id."""
        encoded = motion_args.encode()
        expected, motion_id, ok = self._step(
            f"propose {KIND_NAME[kind]} {what}",
            proposer,
            self.motions.propose,
            (kind, encoded),
            lambda: self.model.propose(proposer, kind, payload),
        )
        if not ok:
            return None
        assert motion_id == expected, f"motion id {motion_id}, the model says {expected}"
        self.motion_args[motion_id] = encoded
        if fate == "silent":
            return motion_id
        m = self.motions.motion(motion_id)
        supers = [SUPERS[(motion_id + i) % len(SUPERS)] for i in range(SUPER_THRESHOLD)]
        if fate == "reject":
            self._vote(supers, m.stage1, AGAINST)
            self.model.rejected(motion_id)
            return motion_id
        self._vote(supers, m.stage1, FOR)
        if kind in (E.ISSUE_MATCHED_BATCH, E.GENESIS_RELEASE, E.SET_PARAMETERS):
            with boa.env.prank(KEEPER):
                stage2 = self.motions.advance(motion_id)
            nodes = [NODES[(motion_id + i) % len(NODES)] for i in range(NODE_THRESHOLD)]
            self._vote(nodes, stage2, FOR)
        self.model.passed(motion_id)
        if fate == "now":
            self._execute(motion_id)
        return motion_id

    def _execute(self, motion_id: int) -> bool:
        """Executes a motion (anyone may); checks the ``Issued`` events."""
        kind = self.model.motions[motion_id].kind
        minted_before = self.model.minted
        following = len(self.model.batches) + 1  # the pools a batch would open
        watch = [E.batch_pool(following, E.USER), E.batch_pool(following, E.LEADER)]
        if self.model.genesis_pool is not None:
            watch.append(self.model.genesis_pool)
        _, _, ok = self._step(
            f"execute {KIND_NAME[kind]} (motion {motion_id})",
            KEEPER,
            self.motions.execute,
            (motion_id, self.motion_args[motion_id]),
            lambda: self.model.execute(motion_id, block()),
            watch=watch,
        )
        if ok:
            issued = [
                e for e in self.motions.get_logs(strict=False) if type(e).__name__ == "Issued"
            ]
            minted = self.model.minted - minted_before
            assert sum(e.amount for e in issued) == minted, (
                f"§11.3: motion {motion_id} minted {minted} by the model, "
                f"its Issued events say {[e.amount for e in issued]}"
            )
        return ok

    def _pools(self) -> list[str]:
        pools = [E.batch_pool(b, r) for b in self.model.batches for r in (E.USER, E.LEADER)]
        if self.model.genesis_pool is not None:
            pools.append(self.model.genesis_pool)
        return pools

    # ACTIONS (one action on both sides; the rules draw them, the replays name them) #

    def do_request(self, client: str, kind: int, fee: int) -> int | None:
        currency = "KOL" if self.model.circulation else "USDT"
        expected, task_id, ok = self._step(
            f"request_task {currency}(kind {kind}, fee {fee})",
            client,
            self.treasury.request_task,
            (kind, keccak(text=f"task {fee}"), fee),
            lambda: self.model.request_task(client, kind, fee),
        )
        if ok:
            assert task_id == expected, f"task id {task_id}, the model says {expected}"
        return task_id

    def do_approve(self, task_id: int, proposer: str, fate: str) -> int | None:
        return self._motion(
            proposer,
            E.APPROVE_TASK,
            MotionArgs.approve_task(task_id),
            task_id,
            fate,
            f"(task {task_id}, {fate})",
        )

    def do_refund(self, task_id: int, sender: str) -> bool:
        task = self.model.tasks.get(task_id)
        _, _, ok = self._step(
            f"refund_task({task_id})",
            sender,
            self.treasury.refund_task,
            (task_id,),
            lambda: self.model.refund_task(task_id),
            watch=[task.client] if task else [],
        )
        return ok

    def do_batch(
        self,
        task_ids: Sequence[int],
        parts: Sequence[tuple[str, Role, int]],
        proposer: str,
        fate: str,
        *,
        total: int | None = None,
        split_off: int = 0,
        what: str = "honest",
    ) -> int | None:
        """ISSUE_MATCHED_BATCH of ``task_ids`` (as named, in increasing order)
        split among ``parts``; ``total`` and ``split_off`` make it wrong."""
        ids = tuple(sorted(task_ids))
        if total is None:
            total = self.model.batch_total(ids)
        alloc = Allocation.of(total, parts)
        tree = alloc.tree()
        user_total, leader_total = alloc.user_total + split_off, alloc.leader_total - split_off
        motion_args = MotionArgs(
            numbers=(total, user_total, leader_total, *ids),
            hashes=(tree.root, tree.content_hash()),
            text=URI,
        )
        plan = E.BatchPlan(
            total, user_total, leader_total, ids, tree.root, tree.content_hash(), alloc
        )
        return self._motion(
            proposer,
            E.ISSUE_MATCHED_BATCH,
            motion_args,
            plan,
            fate,
            f"({what}: total {total}, tasks {list(ids)})",
        )

    def do_claim(
        self,
        batch_id: int,
        value: tuple[int, str, int, int],
        proof: Sequence[bytes],
        sender: str,
        what: str = "own",
    ) -> bool:
        _, _, ok = self._step(
            f"claim(batch {batch_id}, leaf {value[0]}, {what})",
            sender,
            self.token.claim,
            (batch_id, *value, list(proof)),
            lambda: self.model.claim(batch_id, value, proof),
            watch=[value[1], E.batch_pool(batch_id, E.USER), E.batch_pool(batch_id, E.LEADER)],
        )
        return ok

    def do_deliver(self, batch_id: int, multi: MultiProof, what: str = "honest") -> int | None:
        leaves = [tuple(v) for v in multi.leaves]
        expected, paid, ok = self._step(
            f"deliver(batch {batch_id}, {len(leaves)} leaves, {what})",
            KEEPER,
            self.token.deliver,
            (batch_id, leaves, list(multi.proof), list(multi.proof_flags)),
            lambda: self.model.deliver(batch_id, multi),
            watch=[str(v[1]) for v in leaves],
        )
        if ok:
            assert paid == expected, f"deliver paid {paid} leaves, the model says {expected}"
        return paid

    def do_release(
        self,
        new: Sequence[Decision],
        proposer: str,
        *,
        early: bool = False,
        numbers: Sequence[int] | None = None,
        what: str = "honest",
    ) -> int | None:
        """GENESIS_RELEASE of the next month with the decisions ``new``: the
        clock is moved to the month's start first — or, ``early``, to a day
        before it, the motion is executed (refused), and again once the month
        has begun; ``numbers`` replace the honest figures."""
        model = self.model
        month = model.genesis_month + 1
        schedule = GenesisSchedule.of([*self.decisions, *new])
        motion_args = MotionArgs.genesis_month(schedule, month, URI)
        if numbers is not None:
            motion_args = MotionArgs(
                numbers=tuple(numbers), hashes=motion_args.hashes, text=motion_args.text
            )
        root, content = motion_args.hashes
        plan = E.GenesisPlan(*motion_args.numbers, root, content, schedule)
        begins = model.genesis_start + (month - 1) * E.MONTH
        ready = begins - E.DAY if early else begins  # early: a day before the month begins
        if now() < ready:
            self._tick(ready - now())
        motion_id = self._motion(
            proposer,
            E.GENESIS_RELEASE,
            motion_args,
            plan,
            "pending" if early else "now",
            f"(month {motion_args.numbers[0]}, {what})",
        )
        if motion_id is not None and early:
            self._execute(motion_id)
            if now() < begins:
                self._tick(begins - now())
            self._execute(motion_id)
        if model.genesis_month == month and model.released[month].schedule is schedule:
            self.decisions += new
        return motion_id

    def do_claim_genesis(
        self,
        root: bytes,
        month: int,
        release_block: int,
        leader: str,
        figures: tuple[int, int],
        proof: Sequence[bytes],
        sender: str,
        what: str = "own",
    ) -> bool:
        _, _, ok = self._step(
            f"claim_genesis({name(leader)}, month {month}, {what})",
            sender,
            self.token.claim_genesis,
            (root, month, release_block, leader, *figures, list(proof)),
            lambda: self.model.claim_genesis(root, month, release_block, leader, *figures, proof),
            watch=[leader, self.token.genesis_pool()],
        )
        return ok

    def do_claim_genesis_honest(self, leader: str, sender: str | None = None) -> bool:
        """A leader's claim from the latest released list."""
        released = self.model.released[self.model.genesis_month]
        e = released.schedule.entitlement(released.month, leader)
        proof = released.schedule.month_tree(released.month).get_proof(e.value())
        return self.do_claim_genesis(
            released.root,
            released.month,
            released.release_block,
            leader,
            (int(e.cum_paid), int(e.cum_forfeited)),
            proof,
            sender or leader,
        )

    def do_parameters(
        self, pairs: Sequence[tuple[int, int]], proposer: str, fate: str
    ) -> int | None:
        motion_args = MotionArgs(numbers=tuple(n for pair in pairs for n in pair))
        return self._motion(
            proposer,
            E.SET_PARAMETERS,
            motion_args,
            E.ParameterPlan(tuple(pairs)),
            fate,
            f"({list(pairs)}, {fate})",
        )

    def do_spend(self, sender: str, amount: int) -> bool:
        _, _, ok = self._step(
            f"spend({amount})",
            sender,
            self.treasury.spend,
            (VENDOR, amount, keccak(text=f"invoice {amount}")),
            lambda: self.model.spend(sender, VENDOR, amount),
            watch=[VENDOR],
        )
        return ok

    def do_transfer(self, seller: str, buyer: str, amount: int) -> bool:
        _, _, ok = self._step(
            f"transfer({name(buyer)}, {amount})",
            seller,
            self.token.transfer,
            (buyer, amount),
            lambda: self.model.transfer_kol(seller, buyer, amount),
            watch=[buyer],
        )
        return ok

    def do_burn(self, sender: str, amount: int, allowance: int) -> bool:
        with boa.env.prank(sender):
            self.token.approve(self.treasury.address, allowance)
        self.model.approve_kol(sender, allowance)
        _, _, ok = self._step(
            f"buyback_burn({amount}, allowance {allowance})",
            sender,
            self.treasury.buyback_burn,
            (amount, amount // 10**12, keccak(text=f"trade {amount}")),
            lambda: self.model.buyback_burn(sender, amount),
        )
        return ok

    # SETUP #

    @initialize(data=st.data())
    def open_the_books(self, data: st.DataObject) -> None:
        """A few tasks requested, some of them approved, so that short runs
        reach batches and claims; now and then a head start — the matched
        bucket nearly full, nine genesis months released, or both — so that
        runs reach circulation mode, the programme's closing and issuance
        complete more often than the random walk alone would."""
        for _ in range(data.draw(st.integers(0, 3), label="tasks at the start")):
            client = data.draw(st.sampled_from(CLIENTS), label="client")
            task_id = self.do_request(client, 1, data.draw(st.integers(1, 50_000 * USDT)))
            assert task_id is not None
            if not self._rarely(data, "leave it unapproved?", 4):
                self.do_approve(task_id, self._proposer(data, E.APPROVE_TASK), "now")
        head_start = data.draw(st.integers(0, 9), label="head start (7 bucket, 8 genesis, 9 both)")
        if head_start in (7, 9):
            left = data.draw(st.integers(1, 100_000), label="USDT left to fill the bucket")
            fee = E.MATCHED_CAP // E.DEFAULT_RATE - left * USDT
            task_id = self.do_request(CLIENTS[0], 2, fee)
            assert task_id is not None
            self.do_approve(task_id, self._proposer(data, E.APPROVE_TASK), "now")
            self.do_batch(
                [task_id],
                self._participants(data),
                self._proposer(data, E.ISSUE_MATCHED_BATCH),
                "now",
            )
        if head_start in (8, 9):
            for month in range(1, E.TRANCHES):
                self.do_release(
                    self._draw_decisions(data, month), self._proposer(data, E.GENESIS_RELEASE)
                )

    # TASKS (§7) #

    def _buy(self, data: st.DataObject, buyer: str) -> None:
        """``buyer`` buys KOL on the market: a holder sells it some."""
        sellers = [p for p in PEOPLE if p != buyer and self.model.kol[p] > 0]
        if sellers:
            seller = data.draw(st.sampled_from(sellers), label="seller")
            amount = data.draw(st.integers(1, self.model.kol[seller]), label="bought")
            self.do_transfer(seller, buyer, amount)

    def _draw_fee(self, data: st.DataObject, client: str) -> int:
        bucket = data.draw(st.integers(0, 19), label="fee bucket")
        if bucket == 0:
            return 0
        if bucket == 1:
            return 2**128
        if self.model.circulation:
            if not self.model.kol[client] and bucket > 2:
                self._buy(data, client)
            held = self.model.kol[client]
            if bucket == 2 or held == 0:
                return held + data.draw(st.integers(1, 1_000 * KOL), label="KOL fee over")
            return data.draw(st.integers(1, held), label="KOL fee")
        if bucket < 9:
            return data.draw(st.integers(1, 5_000 * USDT), label="small fee")
        if bucket < 12:
            return data.draw(st.integers(5_000 * USDT, 1_000_000 * USDT), label="medium fee")
        # Two to four of these fill the 16,000,000 KOL bucket at the default rate.
        return data.draw(st.integers(2_000_000, 9_000_000), label="big fee (USDT)") * USDT

    @rule(data=st.data())
    def request_task(self, data: st.DataObject) -> None:
        client = self._some(data, CLIENTS, [POOR, STINGY], "client")
        kind = self._some(data, range(1, 7), [0, 7], "kind")
        self.do_request(client, kind, self._draw_fee(data, client))

    def _draw_task(self, data: st.DataObject, states: tuple[int, ...]) -> int:
        """Usually a task in one of ``states``, sometimes any, rarely none."""
        wanted = self.model.tasks_in(*states)
        anything = [*self.model.tasks, 0, len(self.model.tasks) + 1]
        return self._some(data, wanted, anything, "task")

    @rule(data=st.data(), fate=st.sampled_from(["now"] * 3 + ["pending", "reject", "silent"]))
    def approve_task(self, data: st.DataObject, fate: str) -> None:
        task_id = self._draw_task(data, (E.REQUESTED,))
        self.do_approve(task_id, self._proposer(data, E.APPROVE_TASK), fate)

    @rule(data=st.data())
    def execute_pending(self, data: st.DataObject) -> None:
        """A motion passed earlier is executed: it may have lapsed, or what it
        names may have changed since (a task approved or matched by another
        motion, the bucket filled, the rate changed, the programme closed)."""
        pending = [
            i for i, m in self.model.motions.items() if not m.executed and m.passed_at is not None
        ]
        if pending:
            self._execute(data.draw(st.sampled_from(pending), label="pending motion"))

    @rule(data=st.data())
    def refund_task(self, data: st.DataObject) -> None:
        refundable = [i for i in self.model.tasks_in(E.REQUESTED) if self.model.refundable(i)]
        if refundable and data.draw(st.booleans(), label="a refundable task?"):
            task_id = data.draw(st.sampled_from(refundable), label="task")
        else:
            task_id = self._draw_task(data, (E.REQUESTED,))
        task = self.model.tasks.get(task_id)
        sender = data.draw(st.sampled_from([KEEPER, task.client if task else KEEPER]))
        self.do_refund(task_id, sender)

    # MATCHED BATCHES (§7) #

    def _participants(self, data: st.DataObject) -> list[tuple[str, Role, int]]:
        users = data.draw(
            st.lists(st.sampled_from(BATCH_USERS), min_size=1, max_size=4, unique=True),
            label="users",
        )
        leaders = data.draw(
            st.lists(st.sampled_from(NODES), min_size=1, max_size=3, unique=True), label="leaders"
        )
        units = st.integers(1, 100)
        parts = [(u, Role.USER, data.draw(units, label="work units")) for u in users]
        parts += [(a, Role.LEADER, data.draw(units, label="contribution")) for a in leaders]
        return parts

    @rule(
        data=st.data(),
        variant=st.sampled_from(
            ["honest"] * 8
            + ["wrong total", "wrong split", "matched task", "not approved", "other currency"]
            + ["named twice", "unknown task"]
        ),
        fate=st.sampled_from(["now", "now", "now", "pending"]),
    )
    def issue_batch(self, data: st.DataObject, variant: str, fate: str) -> None:
        model = self.model
        mode = E.KOL_FEE if model.circulation else E.USDT_FEE
        approved = {c: model.tasks_in(E.APPROVED, currency=c) for c in (E.USDT_FEE, E.KOL_FEE)}
        currency = mode if approved[mode] else 1 - mode
        pool = approved[currency]
        if not pool and not self._rarely(data, "no approved task: try anyway?", 5):
            return
        ids: list[int] = []
        if pool:
            ids = data.draw(
                st.lists(st.sampled_from(pool), min_size=1, max_size=6, unique=True), label="tasks"
            )
        total = model.batch_total(sorted(ids)) if ids else 0
        if total <= 0:  # no task, or the bucket is full: any total is refused
            total = data.draw(st.integers(1, 10_000 * KOL), label="total")
        extra = {
            "matched task": model.tasks_in(E.MATCHED),
            "not approved": model.tasks_in(E.REQUESTED, E.REFUNDED),
            "other currency": approved[1 - currency],
            "unknown task": [len(model.tasks) + 1],
        }.get(variant, [])
        if extra:
            ids.append(data.draw(st.sampled_from(extra), label=variant))
        if variant == "named twice" and ids:
            ids.append(ids[0])
        if not ids:
            ids = [len(model.tasks) + 1]
        if variant == "wrong total":
            total += data.draw(st.sampled_from([1, -1, total, 10**12]), label="off by")
            total = max(total, 1)
        split_off = 0
        if variant == "wrong split":  # a part of 1 more or 1 less (never below 0)
            split_off = data.draw(st.sampled_from([1, -1]), label="split off by")
            if total * 4 // 5 == 0:
                split_off = 1
        self.do_batch(
            ids,
            self._participants(data),
            self._proposer(data, E.ISSUE_MATCHED_BATCH),
            fate,
            total=total,
            split_off=split_off,
            what=variant,
        )

    # CLAIMS AND DELIVERY (§7, §11.4) #

    def _draw_batch(self, data: st.DataObject) -> E.Batch | None:
        batches = list(self.model.batches.values())
        if not batches:
            return None
        open_ = [b for b in batches if len(b.claimed) < len(b.allocation.leaves)]
        return self._some(data, open_, batches, "batch")

    @rule(
        data=st.data(),
        variant=st.sampled_from(
            ["own"] * 4
            + ["third party"] * 2
            + ["tampered amount", "other list", "no proof", "bad role"]
        ),
    )
    def claim(self, data: st.DataObject, variant: str) -> None:
        b = self._draw_batch(data)
        if b is None:
            if self._rarely(data, "no batch: try anyway?", 5):
                self.do_claim(1, (0, KEEPER, 0, 1), [], KEEPER, "no batch")
            return
        leaves = b.allocation.leaves
        unclaimed = [leaf for leaf in leaves if leaf.index not in b.claimed]
        leaf = self._some(data, unclaimed, list(leaves), "leaf")
        value = leaf.value()
        proof = list(b.allocation.tree().get_proof(leaf.index))
        if variant == "tampered amount":
            value = (value[0], value[1], value[2], value[3] + 1)
        elif variant == "other list":
            others = [o for o in self.model.batches.values() if o.batch_id != b.batch_id]
            if others:
                other = data.draw(st.sampled_from(others), label="other batch")
                if len(other.allocation.leaves) > leaf.index:
                    value = other.allocation.leaves[leaf.index].value()
                    proof = list(other.allocation.tree().get_proof(leaf.index))
        elif variant == "no proof":
            proof = [] if len(leaves) > 1 else [b"\x07" * 32]
        elif variant == "bad role":
            value = (value[0], value[1], 2, value[3])
        sender = leaf.account if variant == "own" else KEEPER
        self.do_claim(b.batch_id, value, proof, sender, variant)

    @rule(data=st.data())
    def deliver(self, data: st.DataObject) -> None:
        b = self._draw_batch(data)
        if b is None:
            return
        n = len(b.allocation.leaves)
        indices = data.draw(
            st.lists(st.integers(0, n - 1), unique=True, max_size=n), label="leaves"
        )
        multi = b.allocation.tree().get_multi_proof(indices)
        tampered = self._rarely(data, "tampered?", 5)
        if tampered and multi.leaves:
            first = multi.leaves[0]
            bumped = (first[0], first[1], first[2], int(first[3]) + 1)
            multi = MultiProof((bumped, *multi.leaves[1:]), multi.proof, multi.proof_flags)
        self.do_deliver(b.batch_id, multi, "tampered" if tampered else "honest")

    # GENESIS (§8) #

    def _draw_decisions(self, data: st.DataObject, month: int) -> list[Decision]:
        """Month ``month``'s assessment of the genesis leaders (some skipped)."""
        before = GenesisSchedule.of(self.decisions) if self.decisions else None
        codes = data.draw(
            st.lists(
                st.integers(0, 4), min_size=len(GENESIS_LEADERS), max_size=len(GENESIS_LEADERS)
            ),
            label="verdicts (0 pay, 1 defer, 2 withhold, 3 release deferred, 4 none)",
        )
        decisions: list[Decision] = []
        for leader, code in zip(GENESIS_LEADERS, codes, strict=True):
            e = before.entitlement(month - 1, leader) if before else None
            tranches = e.tranches if e else 0
            deferred = e.cum_deferred // E.TRANCHE if e else 0
            if code == 4:
                continue
            if tranches >= E.TRANCHES:
                if deferred:
                    release = deferred * E.TRANCHE
                    decisions.append(Decision.of(month, leader, Verdict.RELEASE, release))
                continue
            if code == 3 and deferred:
                k = data.draw(st.integers(1, deferred), label="tranches released")
                decisions.append(Decision.of(month, leader, Verdict.PAY, k * E.TRANCHE))
            else:
                verdict = {0: Verdict.PAY, 1: Verdict.DEFER, 2: Verdict.WITHHOLD, 3: Verdict.PAY}
                decisions.append(Decision.of(month, leader, verdict[code]))
        if not decisions:
            # Nobody left to assess: a leader who is not a node (it can never claim).
            self.late_leaders += 1
            late = key(f"eco-late-leader{self.late_leaders}").address
            decisions.append(Decision.of(month, late, Verdict.PAY))
        return decisions

    @rule(
        data=st.data(),
        variant=st.sampled_from(
            ["honest"] * 10
            + ["too early", "skip a month", "decreasing", "not tranches", "too much"]
        ),
    )
    def release_genesis(self, data: st.DataObject, variant: str) -> None:
        model = self.model
        month = model.genesis_month + 1
        new = self._draw_decisions(data, month)
        schedule = GenesisSchedule.of([*self.decisions, *new])
        totals = schedule.month_totals(month)
        leaders = len(schedule.month_tree(month))
        numbers = [month, totals.cum_paid, totals.cum_forfeited, leaders]
        if variant == "skip a month":
            numbers[0] = month + 1
        elif variant == "decreasing" and model.genesis_paid:
            numbers[1] = model.genesis_paid - E.TRANCHE
        elif variant == "not tranches":
            numbers[1] += 1
        elif variant == "too much":
            numbers[1] = (min(month, E.TRANCHES) * leaders + 1) * E.TRANCHE
        self.do_release(
            new,
            self._proposer(data, E.GENESIS_RELEASE),
            early=variant == "too early",
            numbers=numbers,
            what=variant,
        )

    @rule(
        data=st.data(),
        variant=st.sampled_from(
            ["own"] * 3 + ["third party", "inflated", "forged proof", "forged root", "wrong block"]
        ),
    )
    def claim_genesis(self, data: st.DataObject, variant: str) -> None:
        model = self.model
        leader = data.draw(st.sampled_from(GENESIS_LEADERS), label="leader")
        sender = leader if variant == "own" else KEEPER
        if not model.released:
            tree = StandardMerkleTree.of(
                [(leader, E.TRANCHE, 0), (KEEPER, 0, 0)], GENESIS_LEAF_TYPES
            )
            self.do_claim_genesis(
                tree.root, 1, block(), leader, (E.TRANCHE, 0), tree.get_proof(0), sender, variant
            )
            return
        month = self._some(data, [model.genesis_month], list(model.released), "month")
        released = model.released[month]
        e = released.schedule.entitlement(month, leader)
        tree = released.schedule.month_tree(month)
        root, release_block = released.root, released.release_block
        figures = (int(e.cum_paid), int(e.cum_forfeited))
        try:
            proof = list(tree.get_proof(e.value()))
        except ValueError:  # not in the list
            proof = [b"\x07" * 32]
        if variant == "inflated":
            figures = (figures[0] + E.TRANCHE, figures[1])
        elif variant == "forged proof":
            proof = [keccak(p) for p in proof] or [b"\x07" * 32]
        elif variant == "forged root":
            forged = StandardMerkleTree.of(
                [(leader, 10 * E.TRANCHE, 0), (KEEPER, 0, 0)], GENESIS_LEAF_TYPES
            )
            root, month, figures = forged.root, 10, (10 * E.TRANCHE, 0)
            proof = list(forged.get_proof(0))
        elif variant == "wrong block":
            release_block -= 1
        self.do_claim_genesis(root, month, release_block, leader, figures, proof, sender, variant)

    # PARAMETERS (§8 closing, §10) #

    @rule(
        data=st.data(),
        variant=st.sampled_from(["close", "close", "rate", "close and rate", "bad rate"]),
        fate=st.sampled_from(["now", "now", "now", "pending"]),
    )
    def set_parameters(self, data: st.DataObject, variant: str, fate: str) -> None:
        early = self.model.genesis_month < E.TRANCHES and not self.model.genesis_closed
        if variant == "close" and early and not self._rarely(data, "close anyway?", 4):
            variant = "rate"
        pairs: list[tuple[int, int]] = []
        if "rate" in variant:
            rate = 0 if variant == "bad rate" else data.draw(st.sampled_from(RATES), label="rate")
            pairs.append((E.KOL_PER_USDT, rate))
        if "close" in variant:
            pairs.append((E.CLOSE_GENESIS, 1))
        self.do_parameters(pairs, self._proposer(data, E.SET_PARAMETERS), fate)

    @precondition(lambda self: self.model.genesis_month >= E.TRANCHES)
    @rule(data=st.data())
    def close_the_programme(self, data: st.DataObject) -> None:
        """After its tenth month the genesis programme is closed by
        SET_PARAMETERS (once closed, closing it again is refused)."""
        self.do_parameters([(E.CLOSE_GENESIS, 1)], self._proposer(data, E.SET_PARAMETERS), "now")

    # THE FOUNDATION (§9) #

    @rule(data=st.data())
    def spend(self, data: st.DataObject) -> None:
        left = self.model.approved[E.USDT_FEE] - self.model.spent_usdt
        sender = self._some(data, [FOUNDATION], [KEEPER, NODES[0]], "spender")
        amount = data.draw(
            st.integers(1, max(left, 1)) | st.sampled_from([0, left + 1]), label="amount"
        )
        self.do_spend(sender, amount)

    @rule(data=st.data())
    def trade_kol(self, data: st.DataObject) -> None:
        """KOL changes hands: the foundation buys some back, a client buys
        some to pay fees in circulation mode — or someone tries to send KOL
        to a pool (a batch's, or a genesis month's, latest or superseded)."""
        holders = [p for p in PEOPLE if self.model.kol[p] > 0]
        if not holders:
            return
        seller = data.draw(st.sampled_from(holders), label="seller")
        pools = [E.batch_pool(b, r) for b in self.model.batches for r in (E.USER, E.LEADER)]
        pools += [m.pool for m in self.model.released.values()]
        buyer = data.draw(st.sampled_from([FOUNDATION, *CLIENTS, *pools]), label="buyer")
        amount = data.draw(st.integers(1, self.model.kol[seller]), label="amount")
        self.do_transfer(seller, buyer, amount)

    @rule(data=st.data(), allowance=st.sampled_from(["exact", "exact", "exact", "none", "short"]))
    def buyback_burn(self, data: st.DataObject, allowance: str) -> None:
        sender = self._some(data, [FOUNDATION], [KEEPER, NODES[1]], "burner")
        if not self._rarely(data, "burn what it holds?", 4):
            self._buy(data, sender)
        held = self.model.kol[sender]
        amount = data.draw(
            st.integers(1, max(held, 1)) | st.sampled_from([0, held + 1]), label="amount"
        )
        approved = {"exact": amount, "none": 0, "short": max(amount - 1, 0)}[allowance]
        self.do_burn(sender, amount, approved)

    # TIME #

    @rule(seconds=st.sampled_from(TIME_STEPS) | st.integers(1, 40 * E.DAY))
    def pass_time(self, seconds: int) -> None:
        self._tick(seconds)

    # CHECKS #

    @invariant()
    def the_books_balance(self) -> None:
        """§11 after every step (see the module docstring)."""
        self.check()

    def check(self, full: bool | None = None) -> None:
        """Compares the chain with the model and checks §11: what the step
        touched, or everything (``full``; by default every FULL_EVERY steps)."""
        if full is None:
            full = self._steps % FULL_EVERY == 0
        self._steps += 1
        try:
            self._check_issuance()
            self._check_fees(full)
            self._check_batches(full)
            self._check_genesis(full)
            self._check_balances(full)
            self._check_motions()
        finally:
            self.model.begin_step()
        model = self.model
        for reached, label in (
            (model.batches, "a batch issued"),
            (model.circulation, "the matched bucket full (circulation mode)"),
            (model.tasks_in(E.MATCHED, currency=E.KOL_FEE), "a KOL batch issued"),
            (model.genesis_month >= E.TRANCHES, "genesis month 10 released"),
            (model.genesis_closed, "the genesis programme closed"),
            (model.issuance_complete, "issuance complete"),
        ):
            if reached:
                note(f"reached: {label}")

    def _check_issuance(self) -> None:
        """§11.1, §11.2, §11.3, §11.8."""
        token, model = self.token, self.model
        genesis, matched = token.issued_genesis(), token.issued_matched()
        total, supply, burned = token.issued_total(), token.totalSupply(), token.burned_total()
        assert genesis <= E.GENESIS_CAP, f"§11.1: issued_genesis {genesis} over 5,000,000 KOL"
        assert matched <= E.MATCHED_CAP, f"§11.1: issued_matched {matched} over 16,000,000 KOL"
        assert total == genesis + matched <= E.TOTAL_CAP, f"§11.1: issued_total {total}"
        prev_genesis, prev_matched, prev_total, prev_burned = self._previous
        assert genesis >= prev_genesis and matched >= prev_matched, "§11.1: issuance decreased"
        assert burned >= prev_burned, "burned_total decreased"
        assert supply == total - burned, f"§11.2: totalSupply {supply} != {total} - {burned}"
        assert total - prev_total == model.minted, (
            f"§11.3: issued_total grew by {total - prev_total} in a step whose executed "
            f"issuance motions minted {model.minted}"
        )
        assert (genesis, matched, burned) == (
            model.issued_genesis,
            model.issued_matched,
            model.burned,
        ), "issuance figures differ from the model"
        assert self.treasury.burn_count() == model.burn_count
        assert self.treasury.circulation_mode() == model.circulation
        assert self.treasury.issuance_complete() == model.issuance_complete
        if model.final_supply is not None:
            assert supply == model.final_supply, "§11.8: the supply changed after completion"
        self._previous = (genesis, matched, total, burned)

    def _check_fees(self, full: bool) -> None:
        """§11.10: every escrowed fee is refundable, revenue or distributed."""
        t, model = self.treasury, self.model
        for c in (E.USDT_FEE, E.KOL_FEE):
            chain = (t.escrowed(c), t.approved(c), t.matched(c))
            assert chain == (model.escrowed[c], model.approved[c], model.matched[c]), (
                f"currency {c}: (escrowed, approved, matched) {chain} differ from the model"
            )
            by_state = {
                s: sum(x.fee for x in model.tasks.values() if x.state == s and x.currency == c)
                for s in (E.REQUESTED, E.APPROVED, E.REFUNDED, E.MATCHED)
            }
            assert model.escrowed[c] == by_state[E.REQUESTED]
            assert model.approved[c] == by_state[E.APPROVED] + by_state[E.MATCHED]
            assert model.matched[c] == by_state[E.MATCHED]
        assert t.spent_usdt() == model.spent_usdt
        assert self.council.kol_per_usdt() == model.kol_per_usdt
        usdt_held = self.usdt.balanceOf(t.address)
        kol_held = self.token.balanceOf(t.address)
        assert usdt_held == t.escrowed(0) + t.approved(0) - t.spent_usdt(), (
            f"§11.10: the treasury holds {usdt_held} USDT, not escrowed + approved - spent"
        )
        assert kol_held == t.escrowed(1) + t.approved(1) - t.matched(1), (
            f"§11.10: the treasury holds {kol_held} KOL, not escrowed + approved - matched"
        )
        assert t.task_count() == len(model.tasks)
        ids = model.tasks if full else model.touched_tasks
        for task_id in ids:
            x, chain_task = model.tasks[task_id], t.task(task_id)
            assert (
                chain_task.state,
                chain_task.fee,
                chain_task.currency,
                chain_task.client,
                chain_task.kind,
                chain_task.requested_at,
                chain_task.motion_id,
            ) == (x.state, x.fee, x.currency, x.client, x.kind, x.requested_at, x.motion_id), (
                f"task {task_id}: {chain_task} differs from the model's {x}"
            )

    def _check_batches(self, full: bool) -> None:
        """§11.4: a pool holds its part less its claimed leaves; no leaf twice."""
        token, model = self.token, self.model
        assert token.batch_count() == len(model.batches)
        ids = model.batches if full else model.touched_batches
        for batch_id in ids:
            b = model.batches[batch_id]
            root, user_pool, leader_pool, user_left, leader_left = token.batch(batch_id)
            assert root == b.root
            assert (user_pool, leader_pool) == (
                E.batch_pool(batch_id, E.USER),
                E.batch_pool(batch_id, E.LEADER),
            )
            assert b.user_total == b.total * 4 // 5 and b.leader_total == b.total - b.user_total
            assert 0 <= b.claimed_users <= b.user_total and 0 <= b.claimed_leaders <= b.leader_total
            assert (user_left, leader_left) == (b.user_left, b.leader_left), (
                f"§11.4: batch {batch_id} pools hold {(user_left, leader_left)}, "
                f"the model says {(b.user_left, b.leader_left)}"
            )
            for leaf in b.allocation.leaves if full else ():
                assert token.is_claimed(batch_id, leaf.index) == (leaf.index in b.claimed)
        for batch_id, index in model.touched_leaves:
            assert token.is_claimed(batch_id, index), f"batch {batch_id} leaf {index} not marked"

    def _check_genesis(self, full: bool) -> None:
        """§8: the programme's figures and, per leader, claimed ≤ 10,000 KOL
        and ≤ 1,000 KOL a month released."""
        t, token, model = self.treasury, self.token, self.model
        figures = (t.genesis_month(), t.genesis_paid(), t.genesis_forfeited(), t.genesis_closed())
        assert figures == (
            model.genesis_month,
            model.genesis_paid,
            model.genesis_forfeited,
            model.genesis_closed,
        ), f"genesis (month, paid, forfeited, closed) {figures} differ from the model"
        expected_pool = model.genesis_pool or "0x" + "00" * 20
        assert token.genesis_pool() == expected_pool
        leaders = GENESIS_LEADERS if full else [a for a in model.touched_accounts if a in NODES]
        for leader in leaders:
            claimed = token.genesis_claimed(leader)
            assert claimed == model.genesis_claimed[leader] * E.TRANCHE, (
                f"{name(leader)}: genesis_claimed {claimed} differs from the model"
            )
            assert claimed <= E.TRANCHES * E.TRANCHE, f"{name(leader)}: over 10,000 KOL"
            assert claimed <= model.genesis_month * E.TRANCHE, (
                f"{name(leader)}: claimed {claimed} after {model.genesis_month} months"
            )

    def _check_balances(self, full: bool) -> None:
        """Every balance is the model's; the supply is the sum of them."""
        model = self.model
        accounts = (
            [*PEOPLE, model.treasury, *self._pools()] if full else sorted(model.touched_accounts)
        )
        for a in accounts:
            chain = (self.token.balanceOf(a), self.usdt.balanceOf(a))
            assert chain == (model.kol[a], model.usdt[a]), (
                f"{name(a)}: (KOL, USDT) {chain} differ from the model's "
                f"{(model.kol[a], model.usdt[a])}"
            )
        assert sum(model.kol.values()) == model.supply, "the model lost track of some KOL"

    def _check_motions(self) -> None:
        """Each motion's status is the model's (until it is final)."""
        model = self.model
        assert self.motions.motion_count() == model.motion_count
        for motion_id, m in model.motions.items():
            if motion_id in self._settled:
                continue
            if m.status(model.now) in (E.EXECUTED, E.FAILED, E.LAPSED):
                self._settled.add(motion_id)
            status = self.motions.motion_status(motion_id)
            assert status == m.status(model.now), (
                f"motion {motion_id} ({KIND_NAME[m.kind]}): status {status}, "
                f"the model says {m.status(model.now)}"
            )


def _run(profile: str) -> None:
    deployment = Deployment.fresh()
    chosen = ECONOMY_CI if profile == "ci" else settings.get_profile(profile)
    run_state_machine_as_test(lambda: Economy(deployment), settings=chosen)


@pytest.mark.parametrize(
    "profile",
    [
        pytest.param(
            "ci",
            marks=pytest.mark.skipif(PROFILE != "ci", reason="KOL_HYPOTHESIS_PROFILE selects long"),
        ),
        pytest.param(
            "long",
            marks=[
                pytest.mark.slow,
                pytest.mark.skipif(
                    PROFILE != "long", reason="deep search: set KOL_HYPOTHESIS_PROFILE=long"
                ),
            ],
        ),
    ],
)
def test_economy_matches_the_constitution(profile: str) -> None:
    """Tasks, fees, batches, claims, genesis months, spending and burns behave
    as the reference model of §7–§9 says, and §11.1–4, 8, 10 hold after every
    step."""
    _run(profile)


# REPLAYS #
#
# Sequences the state machine can reach, replayed action by action through the
# same machine (each compared with the model, §11 checked after each): the
# paths the random search of the ci profile reaches only now and then — the
# matched bucket filled to the last KOL, circulation mode, ten genesis months
# and the programme's closing, issuance complete, approvals that fail, lapse
# or race — run in every run.


def _replay(script: Callable[[Economy], None]) -> None:
    machine = Economy(Deployment.fresh())
    try:
        machine.check(full=True)
        script(machine)
        machine.check(full=True)
    finally:
        machine.teardown()


def _expect(m: Economy, result: object, accepted: bool = True) -> None:
    """The replayed action was accepted (or refused), then §11 is checked."""
    done = result is not None and result is not False
    assert done == accepted, f"the replayed action was {'refused' if accepted else 'accepted'}"
    m.check()


def test_replay__the_whole_economy__to_issuance_complete() -> None:
    """USDT tasks fill the matched bucket (the last batch capped), a KOL task
    is distributed in circulation mode, ten genesis months are released and
    claimed (a superseded list pays nothing), the programme is closed:
    issuance is complete, burning and releasing are refused, and the supply
    never changes again (§11.8) while KOL keeps circulating."""

    def script(m: Economy) -> None:
        model = m.model
        # Matched issuance up to the cap (§7): 16.5M USDT of fees, 16M KOL.
        _expect(m, m.do_request(CLIENTS[0], 4, 9_000_000 * USDT))
        _expect(m, m.do_request(CLIENTS[1], 5, 7_500_000 * USDT))
        _expect(m, m.do_approve(1, NODES[2], "now"))
        _expect(m, m.do_approve(2, NODES[3], "now"))
        assert [model.tasks[i].state for i in (1, 2)] == [E.APPROVED] * 2
        parts = [
            (CLIENTS[0], Role.USER, 3),
            (FOUNDATION, Role.USER, 1),
            (USERS[0], Role.USER, 6),
            (NODES[1], Role.LEADER, 2),
            (NODES[2], Role.LEADER, 1),
        ]
        uncapped = 16_500_000 * KOL
        _expect(m, m.do_batch([1, 2], parts, NODES[4], "now", total=uncapped), False)
        _expect(m, m.do_batch([1, 2], parts, NODES[4], "now"))
        assert model.circulation and model.issued_matched == E.MATCHED_CAP
        alloc = model.batches[1].allocation
        everyone = alloc.tree().get_multi_proof(range(len(alloc.leaves)))
        _expect(m, m.do_deliver(1, everyone))
        assert m.do_deliver(1, everyone) == 0  # nothing left to pay
        # Circulation mode: a KOL task; its batch distributes the escrowed KOL.
        _expect(m, m.do_request(CLIENTS[0], 3, 1_000 * KOL))
        assert model.tasks[3].currency == E.KOL_FEE
        _expect(m, m.do_approve(3, NODES[5], "now"))
        kol_parts = [(USERS[1], Role.USER, 1), (USERS[2], Role.USER, 2), (NODES[6], Role.LEADER, 1)]
        _expect(m, m.do_batch([3], kol_parts, FOUNDATION, "now"))
        alloc = model.batches[2].allocation
        for leaf in alloc.leaves:
            proof = alloc.tree().get_proof(leaf.index)
            _expect(m, m.do_claim(2, leaf.value(), proof, KEEPER, "third party"))
            _expect(m, m.do_claim(2, leaf.value(), proof, leaf.account, "again"), False)
        # The foundation burns bought-back KOL while issuance is incomplete.
        _expect(m, m.do_burn(FOUNDATION, 100 * KOL, 100 * KOL))
        # Ten genesis months (§8): node 0 paid, node 1 deferred nine months and
        # paid everything in the tenth, node 2 withheld every third month.
        for month in range(1, 11):
            decisions = [
                Decision.of(month, NODES[0], Verdict.PAY),
                Decision.of(month, NODES[1], Verdict.DEFER)
                if month < 10
                else Decision.of(month, NODES[1], Verdict.PAY, 9 * E.TRANCHE),
                Decision.of(month, NODES[2], Verdict.WITHHOLD if month % 3 == 0 else Verdict.PAY),
            ]
            if month == 10:  # closing before the tenth month is refused at execution
                m.do_parameters([(E.CLOSE_GENESIS, 1)], SUPERS[0], "now")
                assert not model.genesis_closed
            m.do_release(decisions, NODES[7], early=month == 4)
            assert model.genesis_month == month
            if month == 10:
                # Node 0 last claimed in month 8: month 9's list is superseded.
                old = model.released[9]
                e = old.schedule.entitlement(9, NODES[0])
                proof = old.schedule.month_tree(9).get_proof(e.value())
                figures = (int(e.cum_paid), int(e.cum_forfeited))
                superseded = m.do_claim_genesis(
                    old.root, 9, old.release_block, NODES[0], figures, proof, NODES[0]
                )
                _expect(m, superseded, False)
            claimants = [NODES[0]] if month % 2 == 0 else []
            claimants += [NODES[1]] if month in (5, 10) else []
            claimants += [NODES[2]] if month < 10 else []
            for leader in claimants:
                schedule = model.released[month].schedule
                due = schedule.entitlement(month, leader).cum_paid
                fresh = due > model.genesis_claimed[leader] * E.TRANCHE
                _expect(m, m.do_claim_genesis_honest(leader), fresh)
        assert [model.genesis_claimed[n] for n in NODES[:3]] == [10, 10, 6]
        # Closing the programme after its tenth month: issuance is complete.
        m.do_parameters([(E.CLOSE_GENESIS, 1)], SUPERS[1], "now")
        assert model.issuance_complete and m.treasury.issuance_complete()
        m.check()
        supply = m.token.totalSupply()
        late = key("eco-late-leader").address
        _expect(m, m.do_release([Decision.of(11, late, Verdict.PAY)], NODES[8]), False)
        _expect(m, m.do_burn(FOUNDATION, 10 * KOL, 10 * KOL), False)
        # KOL keeps circulating — a genesis claim, a KOL task and its batch.
        _expect(m, m.do_claim_genesis_honest(NODES[2]))
        _expect(m, m.do_request(CLIENTS[0], 6, 500 * KOL))
        _expect(m, m.do_approve(4, NODES[9], "now"))
        _expect(m, m.do_batch([4], kol_parts, NODES[10], "now"))
        alloc = model.batches[3].allocation
        _expect(m, m.do_deliver(3, alloc.tree().get_multi_proof([0, 2])))
        m._tick(400 * E.DAY)
        m.check(full=True)
        assert m.token.totalSupply() == supply == model.final_supply

    _replay(script)


def test_replay__approvals_fail_lapse_or_race__and_fees_come_back() -> None:
    """§7 and §11.10: a fee comes back after its approval is voted down, gets
    no ballots before its deadline, passes and lapses, or after the window
    with no motion — never before; of two batches naming one task, the one
    executed second is refused."""

    def script(m: Economy) -> None:
        for fee in (100, 200, 300, 400, 500):
            _expect(m, m.do_request(CLIENTS[2], 2, fee * USDT))
        _expect(m, m.do_approve(1, NODES[0], "reject"))
        _expect(m, m.do_approve(2, NODES[1], "silent"))
        lapsing = m.do_approve(3, NODES[2], "pending")
        _expect(m, lapsing)
        _expect(m, m.do_approve(5, NODES[3], "now"))
        for task_id in (2, 3, 4, 5):  # voting, passed, no motion yet, approved
            _expect(m, m.do_refund(task_id, KEEPER), False)
        _expect(m, m.do_refund(1, KEEPER))
        m._tick(3 * E.DAY + 1)  # the approval without ballots failed at its deadline
        _expect(m, m.do_refund(2, CLIENTS[2]))
        _expect(m, m.do_refund(3, KEEPER), False)
        m._tick(4 * E.DAY + 1)  # the passed approval lapsed; task 4's window is over
        _expect(m, m.do_refund(3, KEEPER))
        _expect(m, m.do_refund(4, KEEPER))
        assert lapsing is not None
        _expect(m, m._execute(lapsing), False)
        # Two batch motions name task 5: the first passed waits, the second wins.
        parts = [(USERS[0], Role.USER, 1), (NODES[4], Role.LEADER, 1)]
        first = m.do_batch([5], parts, NODES[5], "pending")
        _expect(m, first)
        _expect(m, m.do_batch([5], parts, NODES[6], "now"))
        _expect(m, m.do_batch([5], parts, NODES[7], "now"), False)
        assert first is not None
        _expect(m, m._execute(first), False)
        assert m.model.tasks[5].state == E.MATCHED
        assert [m.model.tasks[i].state for i in (1, 2, 3, 4)] == [E.REFUNDED] * 4

    _replay(script)


# FINDINGS #
#
# Contract behaviours that break the constitution, each shown by a minimal
# regression test (both were fixed in the contracts: a genesis root may be released again
# as a later month; one approval motion per task at a time).


def test_finding__a_month_that_defers_every_listed_leader__can_be_released() -> None:
    w = make_world(30, 21, 3, with_treasury=True)
    leader = w.nodes[0].address
    schedule = GenesisSchedule.of(
        [Decision.of(1, leader, Verdict.PAY), Decision.of(2, leader, Verdict.DEFER)]
    )
    assert schedule.month_tree(2).root == schedule.month_tree(1).root
    release_month(w, schedule, 1)
    release_month(w, schedule, 2)
    assert w.a.treasury.genesis_month() == 2


def test_finding__a_second_approval_while_one_is_open__is_refused() -> None:
    w = make_world(30, 21, 3, with_treasury=True)
    t = w.a.treasury
    client = key("eco-finding-client").address
    w.a.usdt.mint(client, 1_000 * USDT)
    with boa.env.prank(client):
        w.a.usdt.approve(t.address, 2**256 - 1)
    task_id = request(w, client, 1_000 * USDT)
    approval = args(numbers=[task_id])
    passed = w.propose(w.nodes[0].address, E.APPROVE_TASK, approval)
    w.vote(w.supers, w.stage_of(passed))
    # A second approval motion, which could fail and make the fee refundable while the
    # first one passed, is refused while the first is open.
    with (
        boa.env.prank(w.nodes[1].address),
        boa.reverts("tasks: an approval motion for this task is still open"),
    ):
        w.motions.propose(E.APPROVE_TASK, approval)
    assert w.motions.motion_status(passed) == E.PASSED
    with boa.env.prank(client), boa.reverts():
        t.refund_task(task_id)  # the approval passed: the fee is not the client's
    w.motions.execute(passed, approval)
    assert t.task(task_id).state == E.APPROVED
