"""The council and the motions engine against the reference model (§3–§6, §11).

A hypothesis ``RuleBasedStateMachine`` deploys a fresh alliance for every
example (inside ``boa.env.anchor()``, rolled back in ``teardown``), seats a
small roster through the genesis path (nominations, then a ratified slate of
super nodes with alternates), and then lets hypothesis drive the people:
candidates register and withdraw, members resign, membership motions and
parameter motions are proposed, sponsored (own transactions and relayed
EIP-712 signatures), voted (own transactions and relayed EIP-712 ballots,
bad ones included), advanced, executed and closed, time passes, forfeitures
are cited by anyone and seats are refilled.

Every rule runs the same action on the model (``model.py``) and on the
contracts and compares the outcome: success or revert, the status of every
relayed ballot and sponsorship, what ``refill`` returns. After every step the
invariants compare the visible state (seats, members, queues in order, stages
with their tallies, motions with their statuses, parameters) with the model —
what the step may have changed at once, everything every eighth step — and
check §11's invariants 5, 6, 7 and 9 on the contracts' own state.

The replays at the end run chosen sequences through the same machine in every
run: the paths the random search reaches only now and then in the ci profile,
and the disagreements with the constitution the model has found.

Profiles: ``KOL_HYPOTHESIS_PROFILE=ci`` (default) or ``long`` (see conftest).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import boa
import pytest
from boa.contracts.base_evm_contract import BoaError
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from kol.chain.inprocess import deploy_alliance
from tests.contracts.helpers import key, keys
from tests.contracts.stateful import model as M
from tests.contracts.stateful.steps import CountsSteps

PROFILE = os.environ.get("KOL_HYPOTHESIS_PROFILE", "ci")
LENS = Path(__file__).with_name("GovernanceLens.vy")
T = TypeVar("T")

# PEOPLE #

ADMIN = key("admin")
FOUNDATION = key("foundation")
RELAYER = key("relayer")
NODE_KEYS = keys("node", 30)
CANDIDATE_KEYS = keys("cand", 12)
OTHER_KEYS = keys("other", 3)
PEOPLE: list[LocalAccount] = NODE_KEYS + CANDIDATE_KEYS + OTHER_KEYS
ADDRESSES = [k.address for k in PEOPLE]
KEY_OF = {k.address: k for k in [*PEOPLE, ADMIN]}
ORDER = {a: i for i, a in enumerate([*ADDRESSES, ADMIN.address, FOUNDATION.address])}
NAME = {
    **{k.address: f"node{i}" for i, k in enumerate(NODE_KEYS)},
    **{k.address: f"cand{i}" for i, k in enumerate(CANDIDATE_KEYS)},
    **{k.address: f"other{i}" for i, k in enumerate(OTHER_KEYS)},
    ADMIN.address: "admin",
    FOUNDATION.address: "foundation",
    M.ZERO: "zero",
}
NO_HASH = b"\x00" * 32

KIND_NAME = {
    M.RATIFY_GENESIS_SUPER_NODES: "RATIFY_GENESIS_SUPER_NODES",
    M.REPLACE_NODE: "REPLACE_NODE",
    M.REPLACE_SUPER_NODE: "REPLACE_SUPER_NODE",
    M.REPLACE_ADMIN: "REPLACE_ADMIN",
    M.REPLENISH_SUPER_ALTERNATES: "REPLENISH_SUPER_ALTERNATES",
    M.REPLENISH_NODE_ALTERNATES: "REPLENISH_NODE_ALTERNATES",
    M.SET_PARAMETERS: "SET_PARAMETERS",
}

# EIP-712 (the council's domain: "KOL Alliance", version "1").

BALLOT_TYPES = {
    "Ballot": [
        {"name": "voter", "type": "address"},
        {"name": "motionId", "type": "uint256"},
        {"name": "stageId", "type": "uint256"},
        {"name": "choice", "type": "uint8"},
        {"name": "expiry", "type": "uint256"},
    ]
}
SPONSORSHIP_TYPES = {
    "Sponsorship": [
        {"name": "sponsor", "type": "address"},
        {"name": "motionId", "type": "uint256"},
        {"name": "expiry", "type": "uint256"},
    ]
}

# Parameter values proposed by SET_PARAMETERS (the last of each list is refused).
PARAMETER_VALUES = {
    M.VOTING_PERIOD: [3 * M.DAY, M.DAY, 3_600, 5 * M.DAY, 30 * M.DAY + 1],
    M.SPONSOR_WINDOW: [7 * M.DAY, 2 * M.DAY, 3_600, 59],
    M.EXECUTION_WINDOW: [7 * M.DAY, M.DAY, 30 * M.DAY, 3_600],
    M.NOTICE_PERIOD: [0, 3_600, M.DAY, 14 * M.DAY + 1],
    M.SUPER_BAN: [90 * M.DAY, M.DAY, 0, 3_651 * M.DAY],
    M.NODE_BAN: [180 * M.DAY, 10 * M.DAY, 0, 3_651 * M.DAY],
}

# Everything is read again every FULL_EVERY looks (the first look included).
FULL_EVERY = 8
# Motion statuses that never change again (closing a failed or lapsed motion
# changes its record, which touches it).
FINAL = (M.EXECUTED, M.FAILED, M.LAPSED)

PROPOSALS = [
    "replace_node",
    "replace_super_node",
    "replace_admin",
    "replenish_super_alternates",
    "replenish_node_alternates",
    "set_parameters",
    "ratify_again",
]

TIME_STEPS = [
    1,
    12,
    3_600,
    M.DAY,
    3 * M.DAY + 1,
    7 * M.DAY + 1,
    31 * M.DAY,
    91 * M.DAY,
    181 * M.DAY,
]


def now() -> int:
    timestamp: int = boa.env.evm.patch.timestamp
    return timestamp


def block() -> int:
    number: int = boa.env.evm.patch.block_number
    return number


def name(address: str) -> str:
    return NAME.get(str(address), str(address))


def names(addresses: Any) -> str:
    return "[" + ", ".join(name(a) for a in addresses) + "]"


def ordered(addresses: Any) -> list[str]:
    """A deterministic order (sets iterate differently from run to run)."""
    return sorted(addresses, key=lambda a: ORDER.get(a, len(ORDER)))


@cache
def lens_deployer() -> Any:
    return boa.load_partial(str(LENS))


@dataclass(frozen=True)
class Deployment:
    """A freshly deployed alliance (governance core) and the read lens."""

    council: Any
    motions: Any
    lens: Any

    @classmethod
    def fresh(cls) -> Deployment:
        alliance = deploy_alliance(ADMIN.address, FOUNDATION.address)
        return cls(alliance.council, alliance.motions, lens_deployer().deploy())


@dataclass(frozen=True)
class Signed:
    """A relayed ballot or sponsorship to sign: ``member`` signs for ``motion``
    (and ``stage``, ``choice`` for a ballot); ``flaw`` is "none", "expired",
    "forged" (signed by another key) or "tampered" (another choice sent)."""

    member: str
    motion: int
    stage: int
    flaw: str = "none"
    choice: int = M.FOR


FLAWS = ["expired", "forged", "tampered", "repeat"]


def motion_args(args: M.MotionArgs) -> tuple[list[str], list[int], list[bytes], str]:
    """The engine's ``MotionArgs`` tuple for the model's (accounts, numbers)."""
    return (list(args[0]), list(args[1]), [], "")


@dataclass(frozen=True)
class MemberRow:
    """``Council.member``: the cheap per-step read of one address."""

    member_id: int
    node: bool
    super_node: bool
    candidate: bool
    node_ban: int
    super_ban: int


class Governance(CountsSteps, RuleBasedStateMachine):
    """One alliance, its people, and the model beside it."""

    def __init__(self, deployment: Deployment | None = None) -> None:
        """Each example starts from a freshly deployed alliance: ``deployment``
        (deployed once by the test, before any example) or, without one, a new
        deployment. tests/conftest.py anchors each test function, not each
        example: every example runs in its own ``boa.env.anchor()``, rolled
        back in ``teardown``, so no example sees another's state."""
        super().__init__()
        self._anchor = boa.env.anchor()
        self._anchor.__enter__()
        d = deployment or Deployment.fresh()
        self.council, self.motions, self.lens = d.council, d.motions, d.lens
        self.model = M.Alliance(ADMIN.address, now(), block())
        self.domain = {
            "name": "KOL Alliance",
            "version": "1",
            "chainId": boa.env.evm.patch.chain_id,
            "verifyingContract": self.council.address,
        }
        self._snapshot: dict[str, Any] | None = None
        self._checks = 0
        # The contracts' rows as last read (see ``snapshot``).
        self._rows: dict[str, Any] = {}
        self._stage_rows: dict[int, Any] = {}
        self._motion_rows: dict[int, Any] = {}
        self._queues: dict[int, list[str]] = {M.NODE: [], M.SUPER: []}

    def teardown(self) -> None:
        self.record_steps()
        self._anchor.__exit__(None, None, None)

    # DRIVING BOTH SIDES #

    def _step(
        self,
        what: str,
        sender: str,
        call: Callable[..., T],
        args: tuple[Any, ...],
        on_model: Callable[[], Any],
    ) -> tuple[Any, T | None]:
        """Runs ``on_model`` on the model and ``call(*args)`` from ``sender`` on
        the chain; both must succeed or both must revert."""
        self._snapshot = None
        try:
            expected, refused = on_model(), None
        except M.Revert as e:
            expected, refused = None, str(e)
        try:
            with boa.env.prank(sender):
                result = call(*args)
        except BoaError as e:
            reason = str(e).strip().splitlines()[0][:300]
            assert refused is not None, (
                f"{what} by {name(sender)}: the contract reverted ({reason}) "
                "but the model (the constitution) says it must succeed"
            )
            return expected, None
        assert refused is None, (
            f"{what} by {name(sender)}: the contract accepted it "
            f"but the model (the constitution) says it must revert: {refused}"
        )
        return expected, result

    def _tick(self, seconds: int) -> None:
        """Lets ``seconds`` pass, mining at least one block."""
        self._snapshot = None
        boa.env.time_travel(seconds=seconds)
        if seconds < 12:
            boa.env.time_travel(blocks=1, block_delta=0)
        self.model.tick(now(), block())

    def _vote(self, voter: str, sid: int, choice: int) -> None:
        self._step(
            f"vote(stage {sid}, choice {choice})",
            voter,
            self.council.vote,
            (sid, choice),
            lambda: self.model.vote(voter, sid, choice),
        )
        assert self.council.has_voted(sid, voter) == self.model.has_voted(sid, voter), (
            f"has_voted(stage {sid}, {name(voter)}) differs from the model"
        )

    def _sponsor(self, sponsor: str, motion_id: int) -> None:
        self._step(
            f"sponsor(motion {motion_id})",
            sponsor,
            self.council.sponsor,
            (motion_id,),
            lambda: self.model.sponsor(sponsor, motion_id),
        )
        mo = self.model.motions.get(motion_id)
        expected = bool(mo and mo.sponsorship and sponsor in mo.sponsorship.sponsors)
        assert self.council.has_sponsored(motion_id, sponsor) == expected, (
            f"has_sponsored(motion {motion_id}, {name(sponsor)}) differs from the model"
        )

    def _propose(self, proposer: str, kind: int, args: M.MotionArgs) -> int | None:
        expected, motion_id = self._step(
            f"propose {KIND_NAME[kind]}(accounts={names(args[0])}, numbers={list(args[1])})",
            proposer,
            self.motions.propose,
            (kind, motion_args(args)),
            lambda: self.model.propose(proposer, kind, args),
        )
        if motion_id is not None:
            assert motion_id == expected, f"motion id {motion_id}, the model says {expected}"
        return motion_id

    def _advance(self, motion_id: int) -> None:
        expected, sid = self._step(
            f"advance(motion {motion_id})",
            RELAYER.address,
            self.motions.advance,
            (motion_id,),
            lambda: self.model.advance(motion_id),
        )
        if sid is not None:
            assert sid == expected, f"advance opened stage {sid}, the model says {expected}"

    def _execute(self, motion_id: int, args: M.MotionArgs) -> None:
        self._step(
            f"execute(motion {motion_id}, {names(args[0])}, {list(args[1])})",
            RELAYER.address,
            self.motions.execute,
            (motion_id, motion_args(args)),
            lambda: self.model.execute(motion_id, args),
        )

    # DRAWING FROM THE STATE #

    @staticmethod
    def _mostly(data: st.DataObject, preferred: list[str], label: str, zero: bool = False) -> str:
        """One of ``preferred`` seven times in eight (when there is one), else anyone
        (the zero address too when ``zero``: never as a sender)."""
        if preferred and data.draw(st.integers(0, 7), label=f"{label}: anyone?") > 0:
            return data.draw(st.sampled_from(preferred), label=label)
        return data.draw(st.sampled_from([*ADDRESSES, M.ZERO] if zero else ADDRESSES), label=label)

    def _seated(self, chamber: int) -> list[str]:
        return ordered(self.model.body(chamber))

    def _pool(self) -> list[str]:
        return ordered(self.model.body(M.POOL))

    def _draw_stage(self, data: st.DataObject) -> int:
        """Usually a stage still open for ballots, sometimes any, rarely none."""
        ids = self.model.stage_ids()
        votable = [s for s in ids if self.model.now <= self.model.stages[s].deadline]
        bucket = data.draw(st.integers(0, 9), label="stage: which kind")
        if votable and bucket < 7:
            return data.draw(st.sampled_from(votable), label="stage")
        if ids and bucket < 9:
            return data.draw(st.sampled_from(ids), label="stage")
        nowhere = [0, 1, *(M.stage_id(self.model.stage_count[c] + 1, c) for c in M.CHAMBERS)]
        return data.draw(st.sampled_from(nowhere), label="stage")

    def _draw_motion(self, data: st.DataObject, statuses: tuple[int, ...]) -> int:
        """Usually a motion in one of ``statuses``, sometimes any, rarely none."""
        ids = list(self.model.motions)
        wanted = [i for i in ids if self.model.motion_status(i) in statuses]
        bucket = data.draw(st.integers(0, 9), label="motion: which kind")
        if wanted and bucket < 8:
            return data.draw(st.sampled_from(wanted), label="motion")
        if ids and bucket < 9:
            return data.draw(st.sampled_from(ids), label="motion")
        return len(ids) + 1

    # SETUP #

    @initialize(data=st.data())
    def seat_roster(self, data: st.DataObject) -> None:
        """Genesis: the administrator nominates 12-30 nodes, candidates register,
        a slate of super nodes (with ordered alternates) is ratified by 33% of
        the nodes, which closes genesis."""
        n_nodes = data.draw(st.integers(12, 30), label="nodes")
        n_alternates = data.draw(st.integers(0, 4), label="super alternates")
        full = n_nodes >= 21 + n_alternates and data.draw(st.booleans(), label="21 super nodes")
        n_supers = (
            21
            if full
            else data.draw(st.integers(3, min(20, n_nodes - n_alternates)), label="super nodes")
        )
        n_candidates = data.draw(st.integers(0, len(CANDIDATE_KEYS)), label="candidates")
        self.genesis(n_nodes, n_supers, n_alternates, n_candidates)

    def genesis(self, n_nodes: int, n_supers: int, n_alternates: int, n_candidates: int) -> None:
        for k in NODE_KEYS[:n_nodes]:
            self._step(
                f"nominate({name(k.address)})",
                ADMIN.address,
                self.council.nominate,
                (k.address, "community", NO_HASH),
                lambda a=k.address: self.model.nominate(ADMIN.address, a),
            )
        self._tick(12)
        for k in CANDIDATE_KEYS[:n_candidates]:
            self._step(
                "register_candidate",
                k.address,
                self.council.register_candidate,
                ("candidate", NO_HASH),
                lambda a=k.address: self.model.register_candidate(a, "candidate"),
            )
        slate = tuple(k.address for k in NODE_KEYS[: n_supers + n_alternates])
        args = (slate, (n_supers,))
        motion_id = self._propose(NODE_KEYS[0].address, M.RATIFY_GENESIS_SUPER_NODES, args)
        assert motion_id is not None
        stage = self.model.stages[self.model.motions[motion_id].stage1]
        for voter in self._seated(M.NODE)[: stage.threshold]:
            self._vote(voter, stage.id, M.FOR)
        self._execute(motion_id, args)
        assert not self.council.genesis_open()
        self._tick(12)

    # RULES: PEOPLE #

    @rule(data=st.data(), action=st.sampled_from(["register", "withdraw", "nominate"]))
    def candidacy(self, data: st.DataObject, action: str) -> None:
        """A community registers as a candidate (§1), or withdraws; or the
        administrator tries to nominate one (§3: no more after genesis)."""
        if action == "nominate":
            sender = data.draw(st.sampled_from([ADMIN.address, self.model.admin, ADDRESSES[-1]]))
            node = data.draw(st.sampled_from(ADDRESSES), label="node")
            self._step(
                f"nominate({name(node)})",
                sender,
                self.council.nominate,
                (node, "late", NO_HASH),
                lambda: self.model.nominate(sender, node),
            )
        elif action == "register":
            others = [a for a in ADDRESSES if not self.model.m(a).candidate]
            who = self._mostly(data, ordered(others), "candidate")
            label = data.draw(st.sampled_from(["community", ""]), label="name")
            self._step(
                f"register_candidate({label!r})",
                who,
                self.council.register_candidate,
                (label, NO_HASH),
                lambda: self.model.register_candidate(who, label),
            )
        else:
            candidates = ordered(a for a, m in self.model.members.items() if m.candidate)
            who = self._mostly(data, candidates, "candidate")
            self._step(
                "withdraw_candidacy",
                who,
                self.council.withdraw_candidacy,
                (),
                lambda: self.model.withdraw_candidacy(who),
            )

    @rule(data=st.data(), chamber=st.sampled_from([M.NODE, M.SUPER, M.SUPER, 2]))
    def resign(self, data: st.DataObject, chamber: int) -> None:
        """A member gives up a seat (§3); the seat is refilled from the queue."""
        self._resign(self._mostly(data, self._seated(chamber % 2), "member"), chamber)

    def _resign(self, who: str, chamber: int) -> None:
        self._step(
            f"resign({chamber})",
            who,
            self.council.resign,
            (chamber,),
            lambda: self.model.resign(who, chamber),
        )

    @rule(chamber=st.sampled_from([M.NODE, M.SUPER, M.SUPER, 2]))
    def refill(self, chamber: int) -> None:
        """Anyone seats the heads of a queue while seats are free (§3)."""
        expected, seated = self._step(
            f"refill({chamber})",
            RELAYER.address,
            self.council.refill,
            (chamber,),
            lambda: self.model.refill(chamber),
        )
        if seated is not None:
            assert seated == expected, (
                f"refill({chamber}) seated {seated}, the model says {expected}"
            )

    # RULES: PROPOSALS #

    def _propose_replace_node(self, data: st.DataObject) -> None:
        proposer = self._mostly(data, self._seated(M.SUPER), "proposer")
        old = self._mostly(data, self._seated(M.NODE), "old", zero=True)
        outsiders = [a for a in ADDRESSES if not self.model.m(a).seated[M.NODE]]
        new = self._mostly(data, outsiders, "new", zero=True)
        self._propose(proposer, M.REPLACE_NODE, ((old, new), ()))

    def _propose_replace_super_node(self, data: st.DataObject) -> None:
        proposer = self._mostly(data, self._seated(M.NODE), "proposer")
        old = self._mostly(data, self._seated(M.SUPER), "old", zero=True)
        plain = [a for a in self._seated(M.NODE) if not self.model.m(a).seated[M.SUPER]]
        new = self._mostly(data, plain, "new", zero=True)
        self._propose(proposer, M.REPLACE_SUPER_NODE, ((old, new), ()))

    def _propose_replace_admin(self, data: st.DataObject) -> None:
        proposer = self._mostly(data, self._seated(M.NODE), "proposer")
        new = data.draw(st.sampled_from([*ADDRESSES, self.model.admin, M.ZERO]), label="new")
        self._propose(proposer, M.REPLACE_ADMIN, ((new,), ()))

    def _propose_replenish_super_alternates(self, data: st.DataObject) -> None:
        proposer = self._mostly(data, self._seated(M.NODE), "proposer")
        plain = [
            a
            for a in self._seated(M.NODE)
            if not self.model.m(a).seated[M.SUPER] and not self.model.is_queued(a, M.SUPER)
        ]
        accounts = self._draw_accounts(data, plain, 3)
        self._propose(proposer, M.REPLENISH_SUPER_ALTERNATES, (accounts, ()))

    def _propose_replenish_node_alternates(self, data: st.DataObject) -> None:
        pool = self._pool()
        proposer = self._mostly(data, pool, "proposer")
        waiting = [a for a in pool if not self.model.is_queued(a, M.NODE)]
        accounts = self._draw_accounts(data, waiting, 5)
        self._propose(proposer, M.REPLENISH_NODE_ALTERNATES, (accounts, ()))

    @rule(data=st.data())
    def propose(self, data: st.DataObject) -> None:
        """Motions of §5 are proposed, with arguments that are usually valid —
        often several in one block, each by its own proposer, so that stages
        pile up in both chambers (and with them, misses for §6)."""
        for _ in range(data.draw(st.integers(1, 4), label="proposals")):
            kind = data.draw(st.sampled_from(PROPOSALS), label="kind")
            getattr(self, f"_propose_{kind}")(data)

    def _draw_accounts(self, data: st.DataObject, preferred: list[str], n: int) -> tuple[str, ...]:
        """``n`` accounts: usually distinct picks from ``preferred``; sometimes
        anyone, a duplicate or a different count."""
        bucket = data.draw(st.integers(0, 9), label="accounts: which kind")
        if len(preferred) >= n and bucket < 7:
            return tuple(data.draw(st.permutations(preferred), label="accounts")[:n])
        size = n if bucket < 9 else data.draw(st.sampled_from([n - 1, n + 1]), label="count")
        pool = [*preferred, *ADDRESSES] if preferred else ADDRESSES
        picked = data.draw(st.lists(st.sampled_from(pool), min_size=size, max_size=size))
        return tuple(picked)

    def _propose_set_parameters(self, data: st.DataObject) -> None:
        proposer = self._mostly(data, self._seated(M.SUPER), "proposer")
        ids = data.draw(
            st.lists(st.sampled_from([*PARAMETER_VALUES, 0, 11]), min_size=1, max_size=2),
            label="parameters",
        )
        numbers: list[int] = []
        for p in ids:
            values = PARAMETER_VALUES.get(p, [1])
            numbers += [p, data.draw(st.sampled_from(values), label=f"value of {p}")]
        self._propose(proposer, M.SET_PARAMETERS, ((), tuple(numbers)))

    def _propose_ratify_again(self, data: st.DataObject) -> None:
        """RATIFY_GENESIS_SUPER_NODES: only while no super node is seated (§5)."""
        proposer = self._mostly(data, self._seated(M.NODE), "proposer")
        slate = self._draw_accounts(data, self._seated(M.NODE), 3)
        size = data.draw(st.integers(0, 3), label="slate size")
        self._propose(proposer, M.RATIFY_GENESIS_SUPER_NODES, (slate, (size,)))

    # RULES: SPONSORS #

    @rule(data=st.data(), relayed=st.booleans())
    def sponsor(self, data: st.DataObject, relayed: bool) -> None:
        """Members co-sponsor a motion (§4): by their own transactions, or by
        signatures relayed in one batch."""
        if relayed:
            self._relay_sponsorships(data)
            return
        motion_id = self._draw_motion(data, (M.SPONSORING,))
        mo = self.model.motions.get(motion_id)
        body = mo.sponsorship.body if mo and mo.sponsorship else M.NODE
        members = ordered(self.model.body(body))
        if self.model.motion_status(motion_id) != M.SPONSORING:
            members = members[:1]
        k = data.draw(st.integers(1, max(1, len(members))), label="how many")
        sponsors = data.draw(st.permutations(members), label="sponsors")[:k] if members else []
        sponsors += data.draw(st.lists(st.sampled_from(ADDRESSES), max_size=2), label="others")
        for s in sponsors:
            self._sponsor(s, motion_id)

    def _relay_sponsorships(self, data: st.DataObject) -> None:
        """Signed sponsorships relayed in one batch; some are forged or expired."""
        specs: list[Signed] = []
        for _ in range(data.draw(st.integers(1, 4), label="batch size")):
            motion_id = self._draw_motion(data, (M.SPONSORING,))
            mo = self.model.motions.get(motion_id)
            body = mo.sponsorship.body if mo and mo.sponsorship else M.NODE
            sponsor = self._mostly(data, ordered(self.model.body(body)), "sponsor")
            flaw = data.draw(st.sampled_from(["none", "none", "expired", "forged", "repeat"]))
            if flaw == "repeat" and specs:
                specs.append(specs[-1])
                continue
            specs.append(Signed(sponsor, motion_id, 0, flaw))
        self.relay_sponsorships(specs)

    def relay_sponsorships(self, specs: list[Signed]) -> None:
        """Signs ``specs`` (``Signed.stage`` unused), relays them in one batch and
        compares each status with the model."""
        items: list[tuple[str, int, int, bool]] = []
        batch = []
        for spec in specs:
            sponsor, motion_id, flaw = spec.member, spec.motion, spec.flaw
            expiry = self.model.now + M.DAY if flaw != "expired" else self.model.now - 1
            signer = KEY_OF[sponsor] if flaw != "forged" else RELAYER
            message = encode_typed_data(
                domain_data=self.domain,
                message_types=SPONSORSHIP_TYPES,
                message_data={"sponsor": sponsor, "motionId": motion_id, "expiry": expiry},
            )
            sig = Account.sign_message(message, signer.key)
            items.append((sponsor, motion_id, expiry, flaw != "forged"))
            r, s_ = sig.r.to_bytes(32, "big"), sig.s.to_bytes(32, "big")
            batch.append((sponsor, motion_id, expiry, sig.v, r, s_))
        expected, statuses = self._step(
            f"relay_sponsorships({[(name(i[0]), i[1], i[3]) for i in items]})",
            RELAYER.address,
            self.council.relay_sponsorships,
            (batch,),
            lambda: self.model.relay_sponsorships(items),
        )
        assert statuses is not None
        for i, (status, faults) in enumerate(zip(statuses, expected, strict=True)):
            what = f"relayed sponsorship {i} ({name(items[i][0])}, motion {items[i][1]})"
            if faults:
                assert status in faults, (
                    f"{what}: status {status}, the model expects one of: "
                    f"{M.explain(faults, M.SPONSORSHIP_FAULTS)}"
                )
            else:
                assert status == 0, (
                    f"{what}: refused with status {status} "
                    f"({M.SPONSORSHIP_FAULTS.get(status, '?')}), the model says it is valid"
                )

    # RULES: BALLOTS #

    @rule(data=st.data(), relayed=st.booleans())
    def vote(self, data: st.DataObject, relayed: bool) -> None:
        """Members vote (§4): by their own transactions, or by EIP-712 ballots
        relayed in one batch."""
        if relayed:
            self._relay_ballots(data)
            return
        self._own_ballots(data)

    def _own_ballots(self, data: st.DataObject) -> None:
        """Own-transaction ballots in one stage: many members, random choices, a few
        outsiders (not in the electorate, seated after the opening, double votes)."""
        sid = self._draw_stage(data)
        stage = self.model.stages.get(sid)
        electorate = ordered(stage.electorate) if stage else []
        k = data.draw(st.integers(0, len(electorate)), label="how many")
        voters = data.draw(st.permutations(electorate), label="voters")[:k] if k else []
        voters += data.draw(st.lists(st.sampled_from(ADDRESSES), max_size=2), label="others")
        choices = data.draw(
            st.lists(
                st.sampled_from([M.FOR, M.FOR, M.AGAINST, M.ABSTAIN, M.FOR, 0, 4]),
                min_size=len(voters),
                max_size=len(voters),
            ),
            label="choices",
        )
        for voter, choice in zip(voters, choices, strict=True):
            self._vote(voter, sid, choice)

    def _relay_ballots(self, data: st.DataObject) -> None:
        """Signed ballots relayed in one batch: some forged (another key), some
        tampered (a choice other than the one signed), expired or repeated."""
        specs: list[Signed] = []
        for _ in range(data.draw(st.integers(1, 5), label="batch size")):
            sid = self._draw_stage(data)
            stage = self.model.stages.get(sid)
            electorate = ordered(stage.electorate) if stage else []
            voter = self._mostly(data, electorate, "voter")
            choice = data.draw(st.sampled_from([M.FOR, M.FOR, M.AGAINST, M.ABSTAIN]))
            flaw = data.draw(st.sampled_from([*["none"] * 3, *FLAWS]), label="flaw")
            if flaw == "repeat" and specs:
                specs.append(specs[-1])
                continue
            specs.append(Signed(voter, stage.motion_id if stage else 0, sid, flaw, choice))
        self.cast_ballots(specs)

    def cast_ballots(self, specs: list[Signed]) -> None:
        """Signs ``specs``, relays them in one ``cast_ballots`` and compares each
        ballot's status (from ``BallotRejected``) and the count with the model."""
        items: list[tuple[str, int, int, int, bool]] = []
        batch = []
        for spec in specs:
            voter, sid, choice, flaw = spec.member, spec.stage, spec.choice, spec.flaw
            expiry = self.model.now + M.DAY if flaw != "expired" else self.model.now - 1
            signer = KEY_OF[voter] if flaw != "forged" else RELAYER
            message = encode_typed_data(
                domain_data=self.domain,
                message_types=BALLOT_TYPES,
                message_data={
                    "voter": voter,
                    "motionId": spec.motion,
                    "stageId": sid,
                    "choice": choice,
                    "expiry": expiry,
                },
            )
            sig = Account.sign_message(message, signer.key)
            sent = choice % 3 + 1 if flaw == "tampered" else choice
            stage = self.model.stages.get(sid)
            # a signature is valid for one motion, one stage, one choice (§4)
            signed = flaw not in ("forged", "tampered") and (
                stage is None or stage.motion_id == spec.motion
            )
            items.append((voter, sid, sent, expiry, signed))
            r, s_ = sig.r.to_bytes(32, "big"), sig.s.to_bytes(32, "big")
            batch.append((voter, sid, sent, expiry, sig.v, r, s_))
        expected, recorded = self._step(
            f"cast_ballots({[(name(i[0]), i[1], i[2], i[4]) for i in items]})",
            RELAYER.address,
            self.council.cast_ballots,
            (batch,),
            lambda: self.model.cast_ballots(items),
        )
        statuses = [0] * len(batch)
        for log in self.council.get_logs():
            if type(log).__name__ == "BallotRejected":
                statuses[log.index] = log.status
        assert recorded == statuses.count(0), (
            f"cast_ballots recorded {recorded}, but {statuses.count(0)} ballots were not rejected"
        )
        for i, (status, faults) in enumerate(zip(statuses, expected, strict=True)):
            voter, sid, choice, _, signed = items[i]
            what = f"relayed ballot {i} ({name(voter)}, stage {sid}, choice {choice})"
            if faults:
                assert status in faults, (
                    f"{what}: status {status}, the model expects one of: "
                    f"{M.explain(faults, M.BALLOT_FAULTS)}"
                )
            else:
                assert status == 0, (
                    f"{what}: refused with status {status} "
                    f"({M.BALLOT_FAULTS.get(status, '?')}), the model says it is valid"
                )
        for voter, sid, *_ in items:
            assert self.council.has_voted(sid, voter) == self.model.has_voted(sid, voter)

    # RULES: MOTIONS #

    @rule(data=st.data(), action=st.sampled_from(["advance", "execute", "close"]))
    def step_motion(self, data: st.DataObject, action: str) -> None:
        """Anyone opens a motion's next stage, executes it, or closes it (§4)."""
        if action == "advance":
            self._advance(self._draw_motion(data, (M.AWAITING_STAGE,)))
        elif action == "execute":
            motion_id = self._draw_motion(data, (M.PASSED,))
            mo = self.model.motions.get(motion_id)
            args: M.MotionArgs = mo.args if mo else ((), ())
            if data.draw(st.integers(0, 9), label="other arguments?") == 0:
                n = len(self.model.motions)
                other = self.model.motions.get(data.draw(st.integers(1, max(1, n)), label="from"))
                args = other.args if other else ((ADDRESSES[0],), ())
            self._execute(motion_id, args)
        else:
            motion_id = self._draw_motion(data, (M.FAILED, M.LAPSED))
            self._step(
                f"close(motion {motion_id})",
                RELAYER.address,
                self.motions.close,
                (motion_id,),
                lambda: self.model.close(motion_id),
            )

    @rule(data=st.data())
    def push_motion(self, data: st.DataObject) -> None:
        """Carries a live motion a few steps toward execution: gathers its
        sponsors, opens its next stage, votes it through, executes it."""
        for _ in range(data.draw(st.integers(1, 3), label="motions")):
            self._carry_some(data, self._draw_motion(data, (*M.LIVE, M.PASSED)))

    def _carry_some(self, data: st.DataObject, motion_id: int) -> None:
        mo = self.model.motions.get(motion_id)
        if mo is None:
            return
        for _ in range(data.draw(st.integers(1, 5), label="steps")):
            status = self.model.motion_status(motion_id)
            if status == M.SPONSORING and mo.sponsorship:
                sp = mo.sponsorship
                able = [
                    a
                    for a in ordered(sp.electorate)
                    if not self.model.sponsorship_faults(a, motion_id, None)
                ]
                if not able:
                    return
                for a in able[: max(1, sp.threshold - len(sp.sponsors))]:
                    self._sponsor(a, motion_id)
            elif status == M.AWAITING_STAGE:
                self._advance(motion_id)
            elif status == M.VOTING:
                stage = self.model.stages[mo.stage2 or mo.stage1]
                able = [
                    a
                    for a in ordered(stage.electorate)
                    if not self.model.ballot_faults(a, stage.id, M.FOR, None)
                ]
                if not able:
                    return
                for a in able[: max(1, stage.threshold - stage.tally[M.FOR])]:
                    self._vote(a, stage.id, M.FOR)
            elif status == M.PASSED:
                self._execute(motion_id, mo.args)
                return
            else:
                return

    # RULES: TIME AND ATTENDANCE #

    @rule(seconds=st.sampled_from(TIME_STEPS) | st.integers(1, 10 * M.DAY))
    def pass_time(self, seconds: int) -> None:
        self._tick(seconds)

    @rule(extra=st.sampled_from([1, 12, M.DAY]))
    def outlast_the_deadlines(self, extra: int) -> None:
        """Time passes until every stage opened so far is past its deadline."""
        latest = max(self.model.last_deadline.values())
        self._tick(max(latest - self.model.now, 0) + extra)

    @rule(data=st.data())
    def forfeit_any(self, data: st.DataObject) -> None:
        """Anyone cites (member, chamber, first seq): accepted exactly when the
        member missed three consecutive stages of the chamber (§6)."""
        chamber = data.draw(st.sampled_from([M.NODE, M.SUPER, M.SUPER, 2]), label="chamber")
        member = self._mostly(data, self._seated(chamber % 2), "member", zero=True)
        count = self.model.stage_count.get(chamber, 0)
        first_seq = data.draw(st.integers(0, count + 1), label="first seq")
        self._forfeit(member, chamber, first_seq)

    @precondition(lambda self: bool(self.model.valid_forfeits()))
    @rule(data=st.data())
    def forfeit_proven(self, data: st.DataObject) -> None:
        """A forfeiture the model can prove (three consecutive misses): the
        platform's keeper records it."""
        proofs = self.model.valid_forfeits()
        member, chamber, first_seq = data.draw(st.sampled_from(proofs), label="proof")
        self._forfeit(member, chamber, first_seq)

    def _forfeit(self, member: str, chamber: int, first_seq: int) -> None:
        self._step(
            f"forfeit({name(member)}, chamber {chamber}, first seq {first_seq})",
            RELAYER.address,
            self.council.forfeit,
            (member, chamber, first_seq),
            lambda: self.model.forfeit(member, chamber, first_seq),
        )

    # INVARIANTS #

    def snapshot(self) -> dict[str, Any]:
        """The contracts' visible state, read through the lens once per step.

        What the step may have changed is read again: the addresses, stages
        and motions the model touched, stages still open for ballots at the
        last look, motions not yet final. Everything is read again every
        eighth look (``FULL_EVERY``), so a change the model does not expect
        anywhere is caught within a few steps. What is not read again cannot
        have changed: a closed stage, a final motion, an untouched address."""
        if self._snapshot is None:
            model, c, m = self.model, self.council.address, self.motions.address
            addresses, stages, motions = model.drain_touched()
            self._checks += 1
            full = self._checks % FULL_EVERY == 1
            if full:
                addresses = set(model.members)
                stages = set(model.stages)
                motions = set(model.motions)
            stages |= {s for s, row in self._stage_rows.items() if row.status == 1}
            motions |= {i for i, row in self._motion_rows.items() if row.status not in FINAL}
            motions = {i for i in motions if i in model.motions}
            for i in motions:
                stages |= {s for s in (model.motions[i].stage1, model.motions[i].stage2) if s}
            if full or addresses:
                raw = {ch: [str(a) for a in self.lens.queue(c, ch)] for ch in M.CHAMBERS}
                self._queues = {
                    ch: [
                        a
                        for i, a in enumerate(entries)
                        if a not in entries[i + 1 :] and self.council.is_queued(a, ch)
                    ]
                    for ch, entries in raw.items()
                }
                addresses |= set(raw[M.NODE]) | set(raw[M.SUPER])
            known = ordered(addresses)
            if full:
                rows = list(self.lens.members(c, known))
            else:
                rows = [MemberRow(*self.council.member(a)) for a in known]
            self._rows.update(zip(known, rows, strict=True))
            ids = sorted(stages)
            self._stage_rows.update(zip(ids, self.lens.stages(c, ids), strict=True))
            ids = sorted(motions)
            self._motion_rows.update(zip(ids, self.lens.motions(m, ids), strict=True))
            self._snapshot = {
                "header": self.lens.header(c, m),
                "members": self._rows,
                "full": full,
                "stages": self._stage_rows,
                "motions": self._motion_rows,
                "queues": self._queues,
            }
        return self._snapshot

    @invariant()
    def seats_and_members_match_the_model(self) -> None:
        snap = self.snapshot()
        header = snap["header"]
        model = self.model
        assert list(header.seats) == [model.size(b) for b in (M.NODE, M.SUPER, M.POOL)], (
            f"seats (nodes, super nodes, pool) {list(header.seats)}, the model says "
            f"{[model.size(b) for b in (M.NODE, M.SUPER, M.POOL)]}"
        )
        assert header.member_count == model.member_count
        assert str(header.admin) == model.admin, (
            f"admin {name(header.admin)}, model {name(model.admin)}"
        )
        assert header.genesis_open == model.genesis_open
        params = [
            model.params[p]
            for p in (M.VOTING_PERIOD, M.SPONSOR_WINDOW, M.EXECUTION_WINDOW, M.NOTICE_PERIOD)
        ] + [model.params[M.SUPER_BAN], model.params[M.NODE_BAN]]
        assert list(header.params) == params, f"parameters {list(header.params)}, model {params}"
        for address, row in snap["members"].items():
            m = model.m(address)
            expected = (m.id, *m.seated, m.candidate, *m.ban_until)
            actual = (
                row.member_id,
                row.node,
                row.super_node,
                row.candidate,
                row.node_ban,
                row.super_ban,
            )
            assert actual == expected, (
                f"member({name(address)}) = (id, node, super, candidate, node ban, super ban) "
                f"{actual}, the model says {expected}"
            )
            if snap["full"]:
                for chamber, since in ((M.NODE, row.node_since), (M.SUPER, row.super_since)):
                    if m.seated[chamber]:
                        assert since == m.since[chamber], (
                            f"seated_since({name(address)}, {chamber}) = {since}, "
                            f"the model says {m.since[chamber]}"
                        )
                assert (row.queued_node, row.queued_super) == (
                    model.is_queued(address, M.NODE),
                    model.is_queued(address, M.SUPER),
                ), f"is_queued({name(address)}) differs from the model"

    @invariant()
    def queues_match_the_model(self) -> None:
        """§3: the two alternate queues, in order."""
        for chamber in M.CHAMBERS:
            actual = self.snapshot()["queues"][chamber]
            expected = self.model.queues[chamber].waiting()
            assert actual == expected, (
                f"alternate queue of chamber {chamber}: {names(actual)}, "
                f"the model says {names(expected)}"
            )

    @invariant()
    def stages_match_the_model(self) -> None:
        """§4: electorate, threshold, deadline (non-decreasing), tallies, status."""
        snap = self.snapshot()
        header = snap["header"]
        model = self.model
        assert list(header.stage_count) == [model.stage_count[c] for c in M.CHAMBERS]
        assert list(header.last_deadline) == [model.last_deadline[c] for c in M.CHAMBERS]
        for sid, row in snap["stages"].items():
            s = model.stages[sid]
            actual = row.stage
            fields = [s.motion_id, s.chamber, s.seq, s.opened_block, s.deadline, s.passed_at]
            fields += [len(s.electorate), s.threshold]
            fields += [s.tally[M.FOR], s.tally[M.AGAINST], s.tally[M.ABSTAIN], s.status(model.now)]
            expected = tuple(fields)
            got = (*actual, row.status)
            assert got == expected, (
                f"stage {sid} (motion, chamber, seq, opened block, deadline, passed at, "
                f"electorate, threshold, for, against, abstain, status) = {got}, "
                f"the model says {expected}"
            )

    @invariant()
    def motions_match_the_model(self) -> None:
        snap = self.snapshot()
        model = self.model
        assert snap["header"].motion_count == len(model.motions)
        for motion_id, row in snap["motions"].items():
            mo = model.motions[motion_id]
            got = row.motion
            actual = (got.kind, str(got.proposer), got.stage1, got.stage2)
            actual += (got.notice_period, got.execution_window, row.status)
            expected = (mo.kind, mo.proposer, mo.stage1, mo.stage2)
            expected += (mo.notice_period, mo.execution_window, model.motion_status(motion_id))
            assert actual == expected, (
                f"motion {motion_id} ({KIND_NAME[mo.kind]}) (kind, proposer, stage 1, stage 2, "
                f"notice, window, status) = {actual}, the model says {expected}"
            )
            if mo.sponsorship and model.motion_status(motion_id) in M.LIVE:
                sp, round_ = mo.sponsorship, self.council.sponsorship(motion_id)
                actual = (round_.electorate, round_.threshold, round_.sponsors)
                actual += (round_.deadline, round_.proposed_block, round_.reached_at)
                expected = (len(sp.electorate), sp.threshold, len(sp.sponsors))
                expected += (sp.deadline, sp.proposed_block, sp.reached_at)
                assert actual == expected, (
                    f"sponsorship of motion {motion_id} (electorate, threshold, sponsors, "
                    f"deadline, proposed block, reached at) = {actual}, the model says {expected}"
                )

    @invariant()
    def invariant_5_seat_caps_and_super_nodes_are_nodes(self) -> None:
        """§11.5: nodes ≤ 500, super nodes ≤ 21, every super node is a seated node."""
        snap = self.snapshot()
        nodes, supers, _ = snap["header"].seats
        assert nodes <= 500 and supers <= 21, f"seats {nodes} nodes, {supers} super nodes"
        rows = snap["members"]
        for address, row in rows.items():
            assert row.node or not row.super_node, f"{name(address)} is a super node but not a node"
        assert nodes == sum(r.node for r in rows.values()), "a node is seated that nobody knows"
        assert supers == sum(r.super_node for r in rows.values()), "an unknown super node is seated"

    @invariant()
    def invariant_6_one_ballot_per_member_before_the_deadline(self) -> None:
        """§11.6: tallies count each electorate member at most once; no ballot is
        counted that the model (one ballot per member, electorate only, before
        the deadline) did not record."""
        for sid, row in self.snapshot()["stages"].items():
            s, st_ = self.model.stages[sid], row.stage
            counted = st_.votes_for + st_.votes_against + st_.votes_abstain
            assert counted == len(s.ballots), (
                f"stage {sid} counts {counted} ballots, the model recorded {len(s.ballots)}"
            )
            assert counted <= st_.electorate, f"stage {sid}: more ballots than electors"
            assert set(s.ballots) <= s.electorate

    @invariant()
    def invariant_7_effects_only_after_every_stage_passed_and_once(self) -> None:
        """§11.7: an executed motion passed every stage; each effect happened once."""
        snap = self.snapshot()
        for motion_id, row in snap["motions"].items():
            if row.status != M.EXECUTED:
                continue
            rule_ = M.RULES[row.motion.kind]
            stages = [row.motion.stage1] + (
                [row.motion.stage2] if rule_.chamber2 is not None else []
            )
            for sid in stages:
                assert (
                    sid
                    and snap["stages"][sid].stage.votes_for >= snap["stages"][sid].stage.threshold
                ), f"motion {motion_id} was executed but its stage {sid} did not pass"
            assert self.model.motions[motion_id].executions == 1
        executed = [motion_id for motion_id, _ in self.model.effects]
        assert len(executed) == len(set(executed)), "an effect happened twice"

    @invariant()
    def invariant_9_no_banned_address_seated_or_queued(self) -> None:
        """§11.9: a banned address is neither seated nor queued in the chamber
        it is banned from before the ban ends."""
        snap = self.snapshot()
        t = self.model.now
        waiting = {ch: set(snap["queues"][ch]) for ch in M.CHAMBERS}
        for address, row in snap["members"].items():
            if row.node_ban > t:
                assert not row.node, f"{name(address)} is seated as a node during its ban"
                assert address not in waiting[M.NODE], f"{name(address)} queued during its node ban"
            if row.super_ban > t:
                assert not row.super_node, f"{name(address)} is a super node during its ban"
                assert address not in waiting[M.SUPER], (
                    f"{name(address)} queued during its super ban"
                )


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
def test_governance_matches_the_constitution(profile: str) -> None:
    """Seats, queues, bans, stages, ballots, attendance and membership motions
    behave as the reference model of §3–§6 says, and §11.5–7, 9 hold after
    every step."""
    deployment = Deployment.fresh()
    run_state_machine_as_test(
        lambda: Governance(deployment), settings=settings.get_profile(profile)
    )


# REPLAYS #
#
# Sequences the state machine can reach, replayed step by step through the
# same machine (every step compared with the model, every invariant checked at
# the end): the paths the random search reaches only now and then in the ci
# profile — forfeitures with refills and bans, two-stage motions, deadlines
# after a parameter change, bad relayed ballots — run deterministically in
# every run, with the disagreements the model has found.


def _replay(script: Callable[[Governance], None]) -> None:
    machine = Governance(Deployment.fresh())
    try:
        script(machine)
        for inv in machine.invariants:
            inv.function(machine)
    finally:
        machine.teardown()


def _carry(machine: Governance, proposer: str, kind: int, args: M.MotionArgs) -> int:
    """Proposes a motion and carries it through sponsors, stages and execution."""
    model = machine.model
    motion_id = machine._propose(proposer, kind, args)
    assert motion_id is not None
    mo = model.motions[motion_id]
    for _ in range(8):
        status = model.motion_status(motion_id)
        if status == M.EXECUTED:
            return motion_id
        if status == M.SPONSORING:
            assert mo.sponsorship is not None
            able = [
                a
                for a in ordered(mo.sponsorship.electorate)
                if not model.sponsorship_faults(a, motion_id, None)
            ]
            for a in able[: mo.sponsorship.threshold - len(mo.sponsorship.sponsors)]:
                machine._sponsor(a, motion_id)
        elif status == M.AWAITING_STAGE:
            machine._advance(motion_id)
        elif status == M.VOTING:
            stage = model.stages[mo.stage2 or mo.stage1]
            able = [
                a
                for a in ordered(stage.electorate)
                if not model.ballot_faults(a, stage.id, M.FOR, None)
            ]
            for a in able[: stage.threshold - stage.tally[M.FOR]]:
                machine._vote(a, stage.id, M.FOR)
        elif status == M.PASSED:
            machine._execute(motion_id, args)
    raise AssertionError(f"motion {motion_id} is stuck in status {model.motion_status(motion_id)}")


def test_sponsorship__node_back_in_the_pool_after_the_proposal__cannot_sponsor() -> None:
    """§4: sponsors are counted "the same way" as a stage's electorate — over the
    sponsoring body as it was when the motion was proposed (sponsorships.vy says
    so too: "only members of the body since before that block may sponsor").

    cand0 is registered, then seated as a node from the candidate pool. cand5
    proposes REPLENISH_NODE_ALTERNATES (sponsors: 10% of the pool as it is
    then, which does not include cand0). Later cand0 resigns its node seat and
    is back in the pool: it was not in the pool when the motion was proposed,
    so its sponsorship must be refused.

    Found by this model: the council once kept the block of the original
    registration, so cand0 could sponsor (and even reach the threshold); fixed
    since (council.vy ``_leave`` restarts the pool membership)."""

    def script(machine: Governance) -> None:
        machine.genesis(n_nodes=12, n_supers=3, n_alternates=0, n_candidates=12)
        cands = tuple(k.address for k in CANDIDATE_KEYS)
        _carry(machine, cands[0], M.REPLENISH_NODE_ALTERNATES, (cands[:5], ()))
        assert machine.model.m(cands[0]).seated[M.NODE]
        machine._tick(12)
        motion_id = machine._propose(cands[5], M.REPLENISH_NODE_ALTERNATES, (cands[6:11], ()))
        assert motion_id is not None
        machine._tick(12)
        machine._step(
            "resign(0)",
            cands[0],
            machine.council.resign,
            (M.NODE,),
            lambda: machine.model.resign(cands[0], M.NODE),
        )
        machine._sponsor(cands[0], motion_id)

    _replay(script)


def _node(i: int) -> str:
    return NODE_KEYS[i].address


def test_replay__super_chamber_attendance__forfeit_refill_ban_and_return() -> None:
    """§6 in the super chamber: three consecutive misses, cited by anyone once
    the third deadline has passed, forfeit the super seat (the member stays a
    node), start the 90-day ban and seat the head of the super queue in the same
    transaction; citations that prove nothing are refused; after the ban the
    member may be queued again (§3)."""

    def script(machine: Governance) -> None:
        # super nodes node0-20, super alternates node21-23, plain nodes node24-25
        machine.genesis(n_nodes=26, n_supers=21, n_alternates=3, n_candidates=0)
        args: M.MotionArgs = ((), (M.VOTING_PERIOD, 3 * M.DAY))
        motions = [machine._propose(_node(i), M.SET_PARAMETERS, args) for i in range(3)]
        stages = [machine.model.motions[m].stage1 for m in motions if m is not None]
        assert [machine.model.stages[s].seq for s in stages] == [1, 2, 3]
        machine._tick(12)
        for i, sid in enumerate(stages):
            for voter in range(i, 15):  # node20 never votes; node1 misses only stage 3
                machine._vote(_node(voter), sid, M.FOR if voter % 3 else M.AGAINST)
        machine._forfeit(_node(20), M.SUPER, 1)  # refused: deadlines not passed
        machine._tick(machine.model.last_deadline[M.SUPER] - machine.model.now + 1)
        machine._forfeit(_node(1), M.SUPER, 1)  # refused: voted in two of them
        machine._forfeit(_node(20), M.SUPER, 2)  # refused: stage 4 never opened
        machine._forfeit(_node(20), M.SUPER, 0)  # refused: no stage 0
        machine._forfeit(_node(20), M.NODE, 1)  # refused: node stage 1 was the ratification
        machine._forfeit(_node(20), M.SUPER, 1)  # three consecutive misses
        node20 = machine.model.m(_node(20))
        assert node20.seated == [True, False] and node20.ban_until[M.SUPER] > machine.model.now
        assert machine.model.m(_node(21)).seated[M.SUPER], "the head of the queue is seated"
        machine._forfeit(_node(20), M.SUPER, 1)  # refused: no longer seated
        back = (_node(20), _node(24), _node(25))
        machine._propose(_node(24), M.REPLENISH_SUPER_ALTERNATES, (back, ()))  # banned
        machine._tick(91 * M.DAY)
        _carry(machine, _node(24), M.REPLENISH_SUPER_ALTERNATES, (back, ()))
        assert machine.model.queues[M.SUPER].waiting() == [_node(22), _node(23), *back]
        machine._resign(_node(0), M.SUPER)
        assert machine.model.m(_node(22)).seated[M.SUPER]

    _replay(script)


def test_replay__node_chamber_attendance__a_super_node_loses_both_seats() -> None:
    """§6 in the node chamber: a super node who misses three consecutive node
    stages forfeits its node seat, hence its super seat (§3); the super seat is
    refilled from the queue; the 180-day ban keeps it out of the node chamber
    (REPLACE_NODE refused) until it ends."""

    def script(machine: Governance) -> None:
        # super nodes node0-9, super alternates node10-11; the ratification
        # (node stage 1) is voted by node0-7
        machine.genesis(n_nodes=24, n_supers=10, n_alternates=2, n_candidates=2)
        machine._tick(12)
        first = machine._propose(_node(12), M.REPLACE_ADMIN, ((_node(23),), ()))
        second = machine._propose(_node(13), M.REPLACE_ADMIN, ((_node(22),), ()))
        assert first is not None and second is not None
        for voter in range(16):
            if voter != 9:
                machine._vote(_node(voter), machine.model.motions[first].stage1, M.FOR)
        machine._tick(machine.model.last_deadline[M.NODE] - machine.model.now + 1)
        machine._forfeit(_node(9), M.NODE, 1)
        node9 = machine.model.m(_node(9))
        assert node9.seated == [False, False] and node9.ban_until[M.NODE] > machine.model.now
        assert machine.model.m(_node(10)).seated[M.SUPER], "the super seat is refilled"
        replace = ((_node(23), _node(9)), ())
        machine._propose(_node(0), M.REPLACE_NODE, replace)  # refused: banned
        machine._tick(181 * M.DAY)
        _carry(machine, _node(0), M.REPLACE_NODE, replace)
        assert machine.model.m(_node(9)).seated == [True, False]

    _replay(script)


def test_replay__a_shorter_voting_period_never_moves_a_deadline_earlier() -> None:
    """§4: SET_PARAMETERS passes both stages (super nodes, then nodes) and
    shortens voting_period; a stage opened next in a chamber still ends no
    earlier than the chamber's previous deadline."""

    def script(machine: Governance) -> None:
        machine.genesis(n_nodes=20, n_supers=7, n_alternates=0, n_candidates=0)
        _carry(machine, _node(0), M.SET_PARAMETERS, ((), (M.VOTING_PERIOD, 3_600)))
        previous = machine.model.last_deadline[M.NODE]
        motion_id = machine._propose(_node(1), M.REPLACE_ADMIN, ((_node(19),), ()))
        assert motion_id is not None
        stage = machine.model.stages[machine.model.motions[motion_id].stage1]
        assert stage.deadline == previous > machine.model.now + 3_600
        machine._tick(previous - machine.model.now + 1)
        motion_id = machine._propose(_node(2), M.REPLACE_ADMIN, ((_node(18),), ()))
        assert motion_id is not None
        stage = machine.model.stages[machine.model.motions[motion_id].stage1]
        assert stage.deadline == machine.model.now + 3_600

    _replay(script)


def test_replay__relayed_ballots__bad_ones_are_skipped_the_rest_stand() -> None:
    """§4: a relayer submits many signed ballots at once; a forged, tampered,
    expired, repeated, misdirected or outsider's ballot is skipped and reported,
    the others are counted."""

    def script(machine: Governance) -> None:
        machine.genesis(n_nodes=12, n_supers=3, n_alternates=0, n_candidates=1)
        machine._tick(12)
        motion_id = machine._propose(_node(1), M.REPLACE_ADMIN, ((_node(11),), ()))
        assert motion_id is not None
        sid = machine.model.motions[motion_id].stage1
        cand = CANDIDATE_KEYS[0].address
        machine.cast_ballots(
            [
                Signed(_node(2), motion_id, sid),
                Signed(_node(2), motion_id, sid, choice=M.AGAINST),  # votes twice
                Signed(_node(3), motion_id, sid, "forged"),
                Signed(_node(4), motion_id, sid, "tampered"),
                Signed(_node(5), motion_id, sid, "expired"),
                Signed(cand, motion_id, sid),  # not a node
                Signed(_node(6), motion_id, sid + 2),  # no such stage
                Signed(_node(7), motion_id + 1, sid),  # signed for another motion
                Signed(_node(8), motion_id, sid, choice=M.ABSTAIN),
            ]
        )
        assert machine.model.stages[sid].ballots == {_node(2): M.FOR, _node(8): M.ABSTAIN}

    _replay(script)


def test_replay__replacements_refill_and_queued_alternates_leave_the_queue() -> None:
    """§3, §5: REPLACE_NODE of a super node refills the super seat from the
    queue; REPLACE_SUPER_NODE may seat a queued alternate (who leaves the
    queue); a super alternate who lost its node seat is skipped and dropped."""

    def script(machine: Governance) -> None:
        # super nodes node0-20, super alternates node21-23
        machine.genesis(n_nodes=24, n_supers=21, n_alternates=3, n_candidates=0)
        other = OTHER_KEYS[0].address
        _carry(machine, _node(0), M.REPLACE_NODE, ((_node(5), other), ()))
        assert machine.model.m(_node(21)).seated[M.SUPER]
        _carry(machine, _node(1), M.REPLACE_SUPER_NODE, ((_node(6), _node(23)), ()))
        assert machine.model.queues[M.SUPER].waiting() == [_node(22)]
        machine._resign(_node(22), M.NODE)
        machine._resign(_node(7), M.SUPER)
        assert machine.model.queues[M.SUPER].waiting() == []
        assert machine.model.size(M.SUPER) == 20

    _replay(script)
