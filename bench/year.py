"""`make bench`'s constitution year: the demo year (``kol.cli.year``) at full scale, timed.

500 node seats (the published roster's 149, then numbered communities) with the roster's 21
super nodes and 8 alternates ratified, the roster's candidate pool, 12 genesis months, 100
client tasks approved and matched in 10 batches with their claims and deliveries, 20
membership motions (§5), the books — and every member of every stage's electorate votes.
The ballots go either by each member's own transaction (``council.vote``) or signed (EIP-712)
and relayed in batches through ``council.cast_ballots``; only the submitting calls are timed
(signing is the members' work, off-chain).

``--scale`` shrinks the year (nodes, tasks and the motions of each kind; 1.0 is the full
year, 0.05 a smoke test). Everything depends only on the seed.

    python bench/year.py --mode own --scale 1        # prints one JSON object
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import boa
from eth_utils.crypto import keccak

from kol.alliance import (
    Alliance,
    Chamber,
    Choice,
    MotionArgs,
    MotionKind,
    Parameter,
    SignedBallot,
    StageStatus,
)
from kol.cli.economy_year import EconomyPlayer
from kol.cli.year import DAY, Narrator, Person, Year, dev_key
from kol.data import Roster
from kol.domain.types import ONE_USDT

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/peers.py

FULL_NODES = 500
FULL_TASKS = 100
TASKS_PER_BATCH = 10
GENESIS_MONTHS = 12
RELAY_BATCH = 100
"""Signed ballots per ``cast_ballots`` transaction (as the relayer sends them)."""

#: The 20 membership motions of the full year (§5), by kind: how many, and from which day.
MEMBERSHIP = (
    ("ratify", 1),
    ("replace_node", 5),
    ("replace_super_node", 4),
    ("node_alternates", 3),
    ("super_alternates", 3),
    ("parameters", 2),
    ("administrator", 2),
)


def scaled_roster(roster: Roster, seats: int) -> Roster:
    """The roster with ``seats`` node seats: the 21 super nodes, the nodes that hold a super
    alternate first, then the published nodes and numbered communities (``社区 N``)."""
    holders = [a.node for a in roster.super_alternates if a.node is not None]
    nodes = holders + [n for n in roster.nodes if n not in holders]
    room = seats - len(roster.super_nodes) - len(roster.extra_nodes)
    if room < len(holders):
        raise ValueError(f"a year needs at least {seats - room + len(holders)} node seats")
    nodes += [f"社区 {i}" for i in range(len(nodes) + 1, room + 1)]
    return replace(roster, nodes=tuple(nodes[:room]))


class BenchEconomy(EconomyPlayer):
    """The demo's economy; a month's genesis claims build its Merkle tree once (the SDK's
    ``claim_genesis`` rebuilds the month's tree for every claim)."""

    def claim_genesis(self, month: int, *, everyone: bool) -> None:
        if self.schedule is None:
            return
        tree = self.schedule.month_tree(month)
        released, release_block = self.a.genesis_month_of(tree.root)
        claims = 0
        for e in self.schedule.entitlements(month):
            owed = e.cum_paid - self.a.genesis_claimed(e.leader)
            if owed <= 0 or not (everyone or self.rng.random() < 0.7):
                continue
            member = self.y.member(e.leader)
            if not member.is_node or member.since(Chamber.NODE) >= release_block:
                continue
            proof = list(tree.get_proof(e.value()))
            self.a.backend.transact(
                "token",
                "claim_genesis",
                tree.root,
                released,
                release_block,
                e.leader,
                e.cum_paid,
                e.cum_forfeited,
                proof,
                sender=self.y.keeper.address,
            )
            claims += 1
        self.figures.genesis_claims += claims


class BenchYear(Year):
    """The demo year, scaled, with full attendance and timed ballots."""

    def __init__(
        self,
        seed: int,
        *,
        scale: float = 1.0,
        relayed: bool = False,
        narrator: Narrator | None = None,
        alliance: Alliance | None = None,
    ) -> None:
        super().__init__(seed, narrator, alliance)
        self.scale = scale
        self.relayed = relayed
        seats = max(
            len(self.roster.node_seats) - len(self.roster.nodes) + 8, round(FULL_NODES * scale)
        )
        self.roster = scaled_roster(self.roster, seats)
        self.nodes = [
            Person(name, dev_key(seed, f"node:{i}"), 0.0)
            for i, name in enumerate(self.roster.node_seats)
        ]
        for p in self.candidates:
            p.miss = 0.0
        self.people = {p.address: p for p in self.nodes + self.candidates}
        self.by_name = {p.name: p for p in self.nodes}
        self.order = {p.address: i for i, p in enumerate(self.nodes + self.candidates)}
        self.names.update({p.address: p.name for p in self.people.values()})
        self.economy = BenchEconomy(self)
        self.tasks = max(2, round(FULL_TASKS * scale))
        self.ballot_seconds = 0.0
        """Wall time of the ballots' submitting calls (own ``vote`` or ``cast_ballots``)."""
        self.signing_seconds = 0.0
        self.transactions = 0
        self.ballots_by_motion: Counter[int] = Counter()
        self.stages_held = 0

    # every member votes, and the submission is timed ------------------------------------

    def hold_stage(self, motion_id: int, number: int, support: float) -> StageStatus:
        stage = self.a.motion(motion_id).stage(number)
        voters = [
            p for p in self.nodes + self.candidates if self.member(p.address).may_vote_in(stage)
        ]
        choices = [self._choice(support) for _ in voters]
        self.stages_held += 1
        if self.relayed:
            started = time.perf_counter()
            signed: list[SignedBallot] = [
                self.a.sign_ballot(p.key, motion_id, number, c, expiry=stage.deadline)
                for p, c in zip(voters, choices, strict=True)
            ]
            self.signing_seconds += time.perf_counter() - started
            started = time.perf_counter()
            for start in range(0, len(signed), RELAY_BATCH):
                self.ballots_relayed += self.a.relay(
                    signed[start : start + RELAY_BATCH], by=self.relayer.address
                )
                self.transactions += 1
            self.ballot_seconds += time.perf_counter() - started
        else:
            started = time.perf_counter()
            for p, choice in zip(voters, choices, strict=True):
                self.a.vote(motion_id, number, choice, by=p.address)
            self.ballot_seconds += time.perf_counter() - started
            self.ballots_own += len(voters)
            self.transactions += len(voters)
        self.ballots_by_motion[motion_id] += len(voters)
        return self.a.stage(stage.stage_id).status

    def _choice(self, support: float) -> Choice:
        roll = self.rng.random()
        if roll < support:
            return Choice.FOR
        return Choice.AGAINST if roll < support + (1 - support) * 2 / 3 else Choice.ABSTAIN

    def keep(self) -> None:
        """No keeper's rounds: with every member voting no seat is ever forfeited, and a
        round reads every seated member's ballot in every decided stage (``has_voted``)."""

    def _ratify(self) -> None:
        super()._ratify()
        for p in self.nodes:  # the demo's absent super node attends here
            p.skips_super = False

    # the scaled year ----------------------------------------------------------------------

    def _chapters(self) -> list[tuple[int, Callable[[], None]]]:
        e = self.economy
        chapters: list[tuple[int, Callable[[], None]]] = []

        def at(day: int, act: Callable[[], None]) -> None:
            def chapter() -> None:
                self.until_day(day)
                act()

            chapters.append((day, chapter))

        def months(m: int) -> Callable[[], None]:
            def act() -> None:
                with self.chapter(f"Genesis month {m}", "GENESIS_RELEASE", 30 * (m - 1) + 8):
                    e.genesis_month(m)

            return act

        for m in range(1, GENESIS_MONTHS + 1):
            at(30 * (m - 1) + 8, months(m))
        rounds = -(-self.tasks // TASKS_PER_BATCH)
        for r in range(rounds):
            count = min(TASKS_PER_BATCH, self.tasks - r * TASKS_PER_BATCH)
            day = 12 + r * (300 // rounds)
            at(day, lambda count=count: self._task_round(count))
            at(day + 5, lambda: self._plain("A matched batch", e.batch))
        counts = dict(MEMBERSHIP)
        kinds: list[tuple[str, Callable[[], None], int]] = [
            ("replace_node", self._replace_node, 35),
            ("replace_super_node", self._replace_super_node, 65),
            ("node_alternates", self._node_alternates, 100),
            ("super_alternates", self._super_alternates, 130),
        ]
        for kind, act, first in kinds:
            n = max(1, round(counts[kind] * self.scale)) if self.scale < 1 else counts[kind]
            for i in range(n):
                at(first + i * ((330 - first) // n), act)
        at(180, self._parameters)
        at(185, self._parameters_again)
        at(240, self._administrator)
        at(120, lambda: self._plain("Statement", lambda: e.statement(120)))
        at(150, lambda: self._plain("Audit", lambda: e.audit(answered=True)))
        at(225, lambda: self._plain("Buyback", e.buyback))
        at(320, lambda: self._plain("Audit", lambda: e.audit(answered=False)))
        at(330, lambda: self._plain("Statement", lambda: e.statement(210)))
        at(350, lambda: self._plain("Genesis closed", e.close_genesis))
        return chapters

    def _plain(self, title: str, act: Callable[[], None]) -> None:
        with self.chapter(title, title, self.day()):
            act()

    def _task_round(self, count: int) -> None:
        for _, client in self.economy.clients:  # enough escrow for a hundred tasks
            self.a.mint_test_usdt(client.address, 400_000 * ONE_USDT, by=client.address)
        self._plain("Client tasks", lambda: self.economy.tasks(count))

    def _node_alternates(self) -> None:
        """As the demo's chapter, naming only candidates not queued already (the year
        replenishes the node-alternate queue more than once)."""
        with self.chapter("Node alternates", "REPLENISH_NODE_ALTERNATES", 100):
            queued = set(self.a.queue(Chamber.NODE))
            pool = [p for p in self.pool() if p.address not in queued]
            proposer = self.rng.choice(pool)
            five = [p for p in pool if p is not proposer][:5]
            self.carry(
                MotionKind.REPLENISH_NODE_ALTERNATES,
                MotionArgs.alternates([p.address for p in five]),
                proposer,
                support=0.85,
            )

    def _parameters_again(self) -> None:
        with self.chapter("Parameters again", "SET_PARAMETERS", 185):
            self.carry(
                MotionKind.SET_PARAMETERS,
                MotionArgs.parameters({Parameter.VOTING_PERIOD: 4 * DAY}),
                self.rng.choice(self._super_nodes()),
                support=0.9,
            )


def play(seed: int, scale: float, *, relayed: bool) -> tuple[dict[str, Any], list[int]]:
    """Plays one year; returns its figures (one run's JSON) and the ballots of each motion."""
    started = time.perf_counter()
    year = BenchYear(seed, scale=scale, relayed=relayed)
    outcome = year.run()
    wall = time.perf_counter() - started
    counted = sum(
        s.votes_for + s.votes_against + s.votes_abstain for m in outcome.motions for s in m.stages
    )
    ballots = year.ballots_own + year.ballots_relayed
    figures = {
        "mode": "relayed" if relayed else "own",
        "node_seats": len(year.nodes),
        "super_nodes": len(year.roster.super_nodes),
        "candidates": len(year.candidates),
        "motions": len(outcome.motions),
        "motions_executed": sum(outcome.executed.values()),
        "motions_failed": sum(outcome.failed.values()),
        "motion_kinds": dict(sorted(Counter(m.kind.name for m in outcome.motions).items())),
        "stages": year.stages_held,
        "ballots": ballots,
        "ballots_counted": counted,
        "ballot_transactions": year.transactions,
        "tasks": year.economy.figures.tasks,
        "batches": year.economy.figures.batches,
        "claims": year.economy.figures.claims,
        "genesis_months": year.economy.figures.genesis_months,
        "ballot_seconds": round(year.ballot_seconds, 4),
        "signing_seconds": round(year.signing_seconds, 4),
        "ballots_per_second": round(ballots / year.ballot_seconds, 1),
        "year_seconds": round(wall, 3),
    }
    return figures, [year.ballots_by_motion[m.motion_id] for m in outcome.motions]


def spread_counts(counts: list[int], voters: int) -> list[int]:
    """The same proposals and ballots on a Governor of ``voters`` holders: a proposal takes at
    most one ballot per holder, so the ballots over that go to proposals with room."""
    capped = [min(c, voters) for c in counts]
    over = sum(counts) - sum(capped)
    for i, c in enumerate(capped):
        room = min(over, voters - c)
        capped[i] += room
        over -= room
    if over:
        raise ValueError(f"{sum(counts)} ballots do not fit {len(counts)} proposals")
    return capped


def governor_year(artifacts: dict[str, Any], counts: list[int], *, by_sig: int) -> dict[str, Any]:
    """The same number of proposals and ballots through OpenZeppelin's Governor (500
    self-delegated holders, in a fresh ``boa.Env``): each proposal is proposed, its voting
    delay passes, and its first holders vote For by ``castVote``; only those calls are timed.
    Then ``by_sig`` ballots of one more proposal are signed and relayed by ``castVoteBySig``."""
    from peers import VOTERS, ballot_signature, deploy_governor

    env = boa.Env()
    with boa.swap_env(env):
        env.evm.patch.timestamp = 1_800_000_000
        env.evm.patch.block_number = 20_000_000
        voters, _, _, governor = deploy_governor(artifacts)
        proposer = voters[0].address
        target = ([proposer], [0], [b""])
        counts = spread_counts(counts, VOTERS)
        seconds = 0.0
        delay = governor.votingDelay() + 1

        def proposal(i: int) -> int:
            description = f"Bench proposal {i}"
            with env.prank(proposer):
                governor.propose(*target, description)
            env.time_travel(blocks=delay)
            pid: int = governor.hashProposal(*target, keccak(text=description))
            return pid

        for i, n in enumerate(counts):
            pid = proposal(i)
            started = time.perf_counter()
            for v in voters[:n]:
                with env.prank(v.address):
                    governor.castVote(pid, 1)
            seconds += time.perf_counter() - started
        tallied = 0
        for i in range(len(counts)):
            pid = governor.hashProposal(*target, keccak(text=f"Bench proposal {i}"))
            tallied += sum(1 for v in voters if governor.hasVoted(pid, v.address))
        pid = proposal(len(counts))
        signed = [(pid, 1, v.address, ballot_signature(governor, v, pid)) for v in voters[:by_sig]]
        relayer = voters[-1].address
        started = time.perf_counter()
        for ballot in signed:
            with env.prank(relayer):
                governor.castVoteBySig(*ballot)
        by_sig_seconds = time.perf_counter() - started
    ballots = sum(counts)
    return {
        "proposals": len(counts),
        "ballots": ballots,
        "ballots_counted": tallied,
        "cast_vote_seconds": round(seconds, 4),
        "ms_per_cast_vote": round(seconds / ballots * 1000, 3),
        "ballots_per_second": round(ballots / seconds, 1),
        "cast_vote_by_sig_sample": by_sig,
        "ms_per_cast_vote_by_sig": round(by_sig_seconds / max(by_sig, 1) * 1000, 3),
    }


def spread(values: list[float]) -> dict[str, float]:
    """Median and range of repeated measurements."""
    return {
        "median": round(statistics.median(values), 4),
        "min": round(min(values), 4),
        "max": round(max(values), 4),
    }


def measure(scale: float = 1.0, repeats: int = 3, seed: int = 7) -> dict[str, Any]:
    """The year by own transactions, OpenZeppelin's Governor on the same proposals and
    ballots, and the year by relayed ballots, interleaved ``repeats`` times."""
    from peers import build

    artifacts = build().artifacts
    own: list[dict[str, Any]] = []
    relayed: list[dict[str, Any]] = []
    governor: list[dict[str, Any]] = []
    for _ in range(repeats):
        figures, counts = play(seed, scale, relayed=False)
        own.append(figures)
        governor.append(governor_year(artifacts, counts, by_sig=min(500, sum(counts))))
        relayed.append(play(seed, scale, relayed=True)[0])
    ratio_own = [
        o["ballot_seconds"] / g["cast_vote_seconds"] for o, g in zip(own, governor, strict=True)
    ]
    ratio_relayed = [
        r["ballot_seconds"] / g["cast_vote_seconds"] for r, g in zip(relayed, governor, strict=True)
    ]
    first = own[0]
    return {
        "scale": scale,
        "seed": seed,
        "repeats": repeats,
        "year": {
            k: first[k]
            for k in (
                "node_seats",
                "super_nodes",
                "candidates",
                "motions",
                "motions_executed",
                "motions_failed",
                "motion_kinds",
                "stages",
                "ballots",
                "tasks",
                "batches",
                "claims",
                "genesis_months",
            )
        },
        "own": {
            "ballot_seconds": spread([o["ballot_seconds"] for o in own]),
            "ballots_per_second": spread([o["ballots_per_second"] for o in own]),
            "year_seconds": spread([o["year_seconds"] for o in own]),
            "runs": own,
        },
        "relayed": {
            "relay_batch": RELAY_BATCH,
            "ballot_seconds": spread([r["ballot_seconds"] for r in relayed]),
            "ballots_per_second": spread([r["ballots_per_second"] for r in relayed]),
            "signing_seconds": spread([r["signing_seconds"] for r in relayed]),
            "year_seconds": spread([r["year_seconds"] for r in relayed]),
            "runs": relayed,
        },
        "oz_governor": {
            "cast_vote_seconds": spread([g["cast_vote_seconds"] for g in governor]),
            "ballots_per_second": spread([g["ballots_per_second"] for g in governor]),
            "ms_per_cast_vote": spread([g["ms_per_cast_vote"] for g in governor]),
            "ms_per_cast_vote_by_sig": spread([g["ms_per_cast_vote_by_sig"] for g in governor]),
            "runs": governor,
        },
        "ratio_to_oz": {
            "own": spread(ratio_own),
            "relayed": spread(ratio_relayed),
            "target": 0.5,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: the full year")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    ns = parser.parse_args(argv)
    print(json.dumps(measure(ns.scale, ns.repeats, ns.seed), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
