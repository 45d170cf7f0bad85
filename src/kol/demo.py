"""A year of the governance constitution on the in-process EVM.

    python -m kol.demo [--seed N] [--json]

Deploys the alliance (council, motions, token, treasury with a test USDT),
seats 147 nodes (21 of them ratified as genesis super nodes, with 8 ranked
super alternates), registers candidate communities, and plays a seeded year:
ballots by members' own transactions and relayed EIP-712 batches, the
membership motions of §5, client tasks approved or refunded, a statement and
an answered audit demand, a seat forfeited for three misses and refilled
from the queue. Ends with a ledger; ``--json`` prints only a JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Sequence
from typing import Any

import boa
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak

from kol.chain.inprocess import InProcessAlliance, deploy_alliance
from kol.domain.eip712 import ballot_typed_data

DAY = 86_400
USDT = 10**6
NODE, SUPER = 0, 1
FOR, AGAINST, ABSTAIN = 1, 2, 3
KINDS = {
    1: "RATIFY_GENESIS_SUPER_NODES",
    2: "APPROVE_TASK",
    3: "REPLACE_NODE",
    4: "REPLACE_SUPER_NODE",
    5: "REPLACE_ADMIN",
    6: "ISSUE_MATCHED_BATCH",
    7: "GENESIS_RELEASE",
    8: "PUBLISH_STATEMENT",
    9: "DEMAND_AUDIT",
    10: "REPLENISH_SUPER_ALTERNATES",
    11: "REPLENISH_NODE_ALTERNATES",
    12: "SET_PARAMETERS",
}
KIND = {name: number for number, name in KINDS.items()}

Args = tuple[list[str], list[int], list[bytes], str]


def _key(seed: int, label: str) -> LocalAccount:
    account: LocalAccount = Account.from_key(keccak(text=f"kol-demo:{seed}:{label}"))
    return account


def _args(
    accounts: Sequence[str] | None = None,
    numbers: list[int] | None = None,
    hashes: list[bytes] | None = None,
    text: str = "",
) -> Args:
    return (list(accounts or []), numbers or [], hashes or [], text)


class Year:
    """One seeded year of the alliance."""

    def __init__(self, seed: int, say: Any) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.say = say
        self.admin = _key(seed, "admin")
        self.foundation = _key(seed, "foundation")
        self.a: InProcessAlliance = deploy_alliance(
            self.admin.address, self.foundation.address, with_treasury=True
        )
        self.nodes = [_key(seed, f"node{i}") for i in range(147)]
        self.candidates = [_key(seed, f"candidate{i}") for i in range(60)]
        self.executed: Counter[str] = Counter()
        self.forfeitures = 0
        self.tasks = 0
        self.relayed = 0
        self.own_votes = 0

    @property
    def treasury(self) -> Any:
        assert self.a.treasury is not None
        return self.a.treasury

    @property
    def usdt(self) -> Any:
        assert self.a.usdt is not None
        return self.a.usdt

    # people ---------------------------------------------------------------
    def seated(self, chamber: int) -> list[LocalAccount]:
        return [
            k for k in self.nodes + self.candidates if self.a.council.member(k.address)[1 + chamber]
        ]

    def tick(self, seconds: int = 12) -> None:
        boa.env.time_travel(seconds=max(seconds, 12))

    # motions --------------------------------------------------------------
    def propose(self, proposer: str, kind: str, motion_args: Args) -> int:
        with boa.env.prank(proposer):
            motion_id: int = self.a.motions.propose(KIND[kind], motion_args)
        return motion_id

    def ballot(
        self, voter: LocalAccount, stage_id: int, motion_id: int, choice: int
    ) -> tuple[Any, ...]:
        """A ballot signed as a wallet would (EIP-712), ready for the relayer's batch."""
        chain_id, verifying = self.a.council.eip712Domain()[3:5]
        expiry = boa.env.evm.patch.timestamp + DAY
        typed = ballot_typed_data(
            chain_id=chain_id,
            verifying_contract=verifying,
            voter=voter.address,
            motion_id=motion_id,
            stage_id=stage_id,
            choice=choice,
            expiry=expiry,
        )
        sig = voter.sign_message(encode_typed_data(full_message=typed))
        r, s = sig.r.to_bytes(32, "big"), sig.s.to_bytes(32, "big")
        return (voter.address, stage_id, choice, expiry, sig.v, r, s)

    def vote_stage(
        self,
        motion_id: int,
        stage_id: int,
        chamber: int,
        support: float,
        absent: set[str] | None = None,
    ) -> None:
        """Most members vote (``support`` of them For), half of them through the relayer."""
        relayed: list[tuple[Any, ...]] = []
        for k in self.seated(chamber):
            if absent and k.address in absent:
                continue
            if self.rng.random() < 0.08:
                continue  # misses this stage
            roll = self.rng.random()
            choice = (
                FOR
                if roll < support
                else (AGAINST if roll < support + (1 - support) / 2 else ABSTAIN)
            )
            if self.rng.random() < 0.5:
                relayed.append(self.ballot(k, stage_id, motion_id, choice))
            else:
                with boa.env.prank(k.address):
                    self.a.council.vote(stage_id, choice)
                self.own_votes += 1
        if relayed:
            self.relayed += self.a.council.cast_ballots(relayed)

    def carry(self, proposer: str, kind: str, motion_args: Args, support: float = 0.85) -> int:
        """Propose, gather sponsors if needed, vote every stage, execute."""
        motion_id = self.propose(proposer, kind, motion_args)
        rule = self.a.motions.rule(KIND[kind])
        if rule.sponsor_pct:
            self.tick()
            body = (
                self.seated(NODE)
                if rule.sponsor_body == NODE
                else [
                    k
                    for k in self.candidates
                    if self.a.council.member(k.address)[3]
                    and not self.a.council.member(k.address)[1]
                ]
            )
            needed = self.a.council.sponsorship(motion_id).threshold
            for k in body[:needed]:
                with boa.env.prank(k.address):
                    self.a.council.sponsor(motion_id)
            self.a.motions.advance(motion_id)
        self.vote_stage(motion_id, self.a.motions.motion(motion_id).stage1, rule.chamber1, support)
        if rule.pct2:
            self.a.motions.advance(motion_id)
            self.vote_stage(
                motion_id, self.a.motions.motion(motion_id).stage2, rule.chamber2, support
            )
        self.a.motions.execute(motion_id, motion_args)
        self.executed[kind] += 1
        self.say(f"  executed {kind} (motion {motion_id})")
        self.tick(DAY)
        return motion_id

    # the year ---------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        c, m, t = self.a.council, self.a.motions, self.treasury
        self.say("genesis: the administrator nominates 147 community leaders")
        with boa.env.prank(self.admin.address):
            for i, k in enumerate(self.nodes):
                c.nominate(k.address, f"community {i + 1}", keccak(text=f"community {i + 1}"))
        for i, k in enumerate(self.candidates):
            with boa.env.prank(k.address):
                c.register_candidate(
                    f"candidate community {i + 1}", keccak(text=f"candidate {i + 1}")
                )
        self.tick()
        self.say("nodes ratify 21 genesis super nodes and 8 ranked alternates (nodes 33%)")
        slate = [k.address for k in self.nodes[:29]]
        self.carry(self.nodes[30].address, "RATIFY_GENESIS_SUPER_NODES", _args(slate, [21]))

        self.say("clients request tasks; super nodes approve them (super 51%)")
        client = _key(self.seed, "client").address
        self.usdt.mint(client, 10_000_000 * USDT)
        with boa.env.prank(client):
            self.usdt.approve(t.address, 2**256 - 1)
        for month in range(6):
            with boa.env.prank(client):
                task_id = t.request_task(
                    1 + month % 6,
                    keccak(text=f"task {month}"),
                    self.rng.randint(2, 50) * 1_000 * USDT,
                )
            self.tasks += 1
            proposer = self.nodes[40 + month].address
            if month == 3:  # the super nodes turn one down: the client takes the fee back
                motion_id = self.propose(proposer, "APPROVE_TASK", _args(numbers=[task_id]))
                self.vote_stage(motion_id, m.motion(motion_id).stage1, SUPER, support=0.1)
                self.tick(4 * DAY)
                t.refund_task(task_id)
                self.say(f"  task {task_id} rejected and refunded")
            else:
                self.carry(proposer, "APPROVE_TASK", _args(numbers=[task_id]))

        self.say("a node replaced by super nodes (super 33%), a super node replaced by nodes (51%)")
        outsider = _key(self.seed, "new community").address
        self.carry(
            self.nodes[1].address, "REPLACE_NODE", _args([self.nodes[140].address, outsider])
        )
        self.carry(
            self.nodes[50].address,
            "REPLACE_SUPER_NODE",
            _args([self.nodes[2].address, self.nodes[60].address]),
        )

        self.say(
            "alternates replenished: 10% of candidates sponsor five node alternates (nodes 33%)"
        )
        five = [k.address for k in self.candidates[:5]]
        self.carry(self.candidates[10].address, "REPLENISH_NODE_ALTERNATES", _args(five))
        three = [k.address for k in self.nodes[70:73]]
        self.say("10% of nodes sponsor three super alternates (super 33%)")
        self.carry(self.nodes[51].address, "REPLENISH_SUPER_ALTERNATES", _args(three))

        self.say("attendance: a super node misses three consecutive stages")
        absent = self.nodes[5].address
        first_seq = c.stage_count(SUPER) + 1
        for i in range(3):
            motion_id = self.propose(
                self.nodes[80 + i].address, "APPROVE_TASK", _args(numbers=[self._task(client)])
            )
            self.vote_stage(motion_id, m.motion(motion_id).stage1, SUPER, 0.9, absent={absent})
            self.tick(DAY)
        self.tick(4 * DAY)
        c.forfeit(absent, SUPER, first_seq)  # anyone may record it; the seat is refilled at once
        self.forfeitures += 1
        self.say(f"  seat forfeited, banned 90 days, refilled: {c.seats(SUPER)} super nodes")

        self.say(
            "the foundation publishes a statement (super 33%); nodes demand an audit (nodes 33%)"
        )
        self.carry(
            self.foundation.address,
            "PUBLISH_STATEMENT",
            _args(numbers=[1, 2], hashes=[keccak(text="books")], text="ipfs://statement"),
        )
        self.carry(self.nodes[90].address, "DEMAND_AUDIT", _args(numbers=[1, 2], text="first year"))
        with boa.env.prank(self.foundation.address):
            t.answer_audit(t.audit_count(), keccak(text="audit report"), "ipfs://audit")

        self.say("parameters: voting period to 5 days (super 51%, then nodes 51%)")
        self.carry(self.nodes[3].address, "SET_PARAMETERS", _args(numbers=[1, 5 * DAY]))
        self.say("nodes replace the administrator (nodes 67%)")
        self.carry(
            self.nodes[100].address,
            "REPLACE_ADMIN",
            _args([_key(self.seed, "new admin").address]),
            support=0.95,
        )
        return self.ledger()

    def _task(self, client: str) -> int:
        with boa.env.prank(client):
            task_id: int = self.treasury.request_task(
                6, keccak(text=f"extra {self.tasks}"), 1_000 * USDT
            )
        self.tasks += 1
        return task_id

    def ledger(self) -> dict[str, Any]:
        c, tok = self.a.council, self.a.token
        return {
            "motions_executed": dict(sorted(self.executed.items())),
            "supply": {
                "issued_total": tok.issued_total(),
                "issued_genesis": tok.issued_genesis(),
                "issued_matched": tok.issued_matched(),
                "burned": tok.burned_total(),
                "total_supply": tok.totalSupply(),
            },
            "seats": {
                "nodes": c.seats(NODE),
                "super_nodes": c.seats(SUPER),
                "node_alternates": c.queue_length(NODE),
                "super_alternates": c.queue_length(SUPER),
                "candidates": c.seats(2),
            },
            "ballots": {"own_transactions": self.own_votes, "relayed": self.relayed},
            "forfeitures": self.forfeitures,
            "tasks": self.tasks,
            "claims": 0,
            "treasury": {
                "usdt_revenue": self.treasury.approved(0),
                "usdt_escrowed": self.treasury.escrowed(0),
            },
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="A year of the KOL Alliance constitution, in-process."
    )
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--json", action="store_true", help="print only one JSON object")
    ns = parser.parse_args(argv)

    def say(line: str) -> None:
        if not ns.json:
            print(line, flush=True)

    result = Year(ns.seed, say).run()
    if ns.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print("\nledger")
        print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
