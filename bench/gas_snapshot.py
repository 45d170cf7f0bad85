"""Regenerates the committed gas snapshot (`.gas-snapshot`) of the contracts.

Receipt gas, as a chain would charge it (intrinsic 21,000 and calldata
included), measured on titanoboa's in-process EVM with a fresh transaction
boundary before every measured call (cold accounts and slots).

    python bench/gas_snapshot.py            # print and write .gas-snapshot
    python bench/gas_snapshot.py --check    # exit 1 if the file differs
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boa
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak

from kol.alliance import MotionArgs
from kol.chain.gas import begin_transaction, last_receipt_gas
from kol.chain.inprocess import deploy_alliance
from kol.domain.allocation import Allocation
from kol.domain.eip712 import ballot_typed_data
from kol.domain.genesis import Decision, GenesisSchedule, Verdict
from kol.domain.types import Role

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / ".gas-snapshot"

NODE, SUPER = 0, 1
FOR = 1
RATIFY, APPROVE_TASK, REPLACE_NODE, REPLACE_SUPER_NODE, REPLACE_ADMIN = 1, 2, 3, 4, 5
ISSUE_MATCHED_BATCH, GENESIS_RELEASE, PUBLISH_STATEMENT, DEMAND_AUDIT = 6, 7, 8, 9
REPLENISH_SUPER, REPLENISH_NODE, SET_PARAMETERS = 10, 11, 12
KOL = 10**18

#: Targets of the governance-core issue (receipt gas).
TARGETS = {
    "vote": 40_000,
    "relayed_ballot_100": 14_000,
    "attendance_forfeit": 60_000,
    "attendance_forfeit_refill": 90_000,
    "task_request": 120_000,
    "claim_matched": 70_000,
    "push_per_recipient": 35_000,
    "claim_genesis": 70_000,
}


def _key(label: str) -> Any:
    return Account.from_key(keccak(text=f"kol-gas:{label}"))


def _args(accounts: list[str] | None = None, numbers: list[int] | None = None) -> tuple[Any, ...]:
    return (accounts or [], numbers or [], [], "")


def _measure(contract: Any, call: Callable[[], Any]) -> int:
    begin_transaction()
    call()
    return last_receipt_gas(contract)


def _sign_ballot(
    council: Any, signer: Any, stage_id: int, motion_id: int, expiry: int
) -> tuple[Any, ...]:
    chain_id, verifying = council.eip712Domain()[3:5]
    typed = ballot_typed_data(
        chain_id=chain_id,
        verifying_contract=verifying,
        voter=signer.address,
        motion_id=motion_id,
        stage_id=stage_id,
        choice=FOR,
        expiry=expiry,
    )
    sig = signer.sign_message(encode_typed_data(full_message=typed))
    r, s = sig.r.to_bytes(32, "big"), sig.s.to_bytes(32, "big")
    return (signer.address, stage_id, FOR, expiry, sig.v, r, s)


def measure() -> dict[str, int]:
    """Runs every measurement on a fresh alliance and returns name -> gas."""
    # A fixed clock: calldata gas depends on the bytes of timestamps (expiries).
    boa.env.evm.patch.timestamp = 1_800_000_000
    boa.env.evm.patch.block_number = 20_000_000
    admin, foundation = _key("admin"), _key("foundation")
    a = deploy_alliance(admin.address, foundation.address, with_treasury=True)
    council, motions = a.council, a.motions
    nodes = [_key(f"node{i}") for i in range(500)]
    out: dict[str, int] = {}

    with boa.env.prank(admin.address):
        for i, k in enumerate(nodes):
            council.nominate(k.address, f"community {i}", b"\x00" * 32)
    boa.env.time_travel(blocks=1)

    # Genesis: ratify 21 super nodes with 8 alternates (nodes 33%).
    slate = [k.address for k in nodes[:29]]
    ratify_args = _args(slate, [21])
    with boa.env.prank(nodes[0].address):
        out["motion_create.RATIFY_GENESIS_SUPER_NODES"] = _measure(
            motions, lambda: motions.propose(RATIFY, ratify_args)
        )
    mid = motions.motion_count()
    stage = motions.motion(mid).stage1
    votes: list[int] = []
    for k in nodes[1:166]:
        with boa.env.prank(k.address):
            votes.append(_measure(council, lambda: council.vote(stage, FOR)))
    out["vote.first_in_bitmap_word"] = max(votes)
    out["vote"] = sorted(votes)[len(votes) // 2]
    out["motion_execute.RATIFY_GENESIS_SUPER_NODES"] = _measure(
        motions, lambda: motions.execute(mid, ratify_args)
    )
    boa.env.time_travel(blocks=1)

    # Relayed ballots: batches of 100 and 400 on one stage of the node chamber.
    new_admin = _key("new admin").address
    with boa.env.prank(nodes[1].address):
        out["motion_create.REPLACE_ADMIN"] = _measure(
            motions, lambda: motions.propose(REPLACE_ADMIN, _args([new_admin]))
        )
    admin_motion = motions.motion_count()
    stage = motions.motion(admin_motion).stage1
    expiry = boa.env.evm.patch.timestamp + 86_400
    batch = [_sign_ballot(council, k, stage, admin_motion, expiry) for k in nodes[:100]]
    out["relayed_ballot_100"] = _measure(council, lambda: council.cast_ballots(batch)) // 100
    batch = [_sign_ballot(council, k, stage, admin_motion, expiry) for k in nodes[100:500]]
    out["relayed_ballot_400"] = _measure(council, lambda: council.cast_ballots(batch)) // 400
    out["motion_execute.REPLACE_ADMIN"] = _measure(
        motions, lambda: motions.execute(admin_motion, _args([new_admin]))
    )

    # SET_PARAMETERS: super nodes (51%), then all 500 nodes' ballots relayed in one batch.
    change = _args(numbers=[5, 31 * 86_400])  # audit_due = 31 days
    with boa.env.prank(nodes[2].address):
        out["motion_create.SET_PARAMETERS"] = _measure(
            motions, lambda: motions.propose(SET_PARAMETERS, change)
        )
    params_motion = motions.motion_count()
    stage = motions.motion(params_motion).stage1
    for k in nodes[:11]:
        with boa.env.prank(k.address):
            council.vote(stage, FOR)
    motions.advance(params_motion)
    stage = motions.motion(params_motion).stage2
    batch = [_sign_ballot(council, k, stage, params_motion, expiry) for k in nodes]
    out["relayed_ballot_500"] = _measure(council, lambda: council.cast_ballots(batch)) // 500
    out["motion_execute.SET_PARAMETERS"] = _measure(
        motions, lambda: motions.execute(params_motion, change)
    )
    boa.env.time_travel(blocks=1)

    # Sponsorship: REPLENISH_SUPER_ALTERNATES, 10% of 500 nodes = 50 sponsors.
    alternates = [k.address for k in nodes[29:32]]
    with boa.env.prank(nodes[2].address):
        out["motion_create.REPLENISH_SUPER_ALTERNATES"] = _measure(
            motions, lambda: motions.propose(REPLENISH_SUPER, _args(alternates))
        )
    rep = motions.motion_count()
    boa.env.time_travel(blocks=1)
    sponsorships = []
    for k in nodes[40:90]:
        with boa.env.prank(k.address):
            sponsorships.append(_measure(council, lambda: council.sponsor(rep)))
    out["sponsor"] = sorted(sponsorships)[len(sponsorships) // 2]
    motions.advance(rep)
    stage = motions.motion(rep).stage1
    for k in nodes[:7]:
        with boa.env.prank(k.address):
            council.vote(stage, FOR)
    out["motion_execute.REPLENISH_SUPER_ALTERNATES"] = _measure(
        motions, lambda: motions.execute(rep, _args(alternates))
    )

    # Attendance: three stages of each chamber that nobody attends.
    first_super = council.stage_count(SUPER) + 1
    for i in range(3):
        with boa.env.prank(nodes[3 + i].address):  # super nodes propose REPLACE_NODE
            motions.propose(
                REPLACE_NODE, _args([nodes[400 + i].address, _key(f"outsider{i}").address])
            )
    first_node = council.stage_count(NODE) + 1
    for i in range(3):
        with boa.env.prank(nodes[100 + i].address):  # nodes propose REPLACE_ADMIN
            motions.propose(REPLACE_ADMIN, _args([_key(f"admin{i}").address]))
    boa.env.time_travel(seconds=4 * 86_400)
    # A super node's seat, refilled from the super-alternate queue.
    queued = council.queue_length(SUPER)
    out["attendance_forfeit_refill"] = _measure(
        council, lambda: council.forfeit(nodes[20].address, SUPER, first_super)
    )
    assert council.queue_length(SUPER) == queued - 1, "the forfeited super seat was not refilled"
    # A node's seat with an empty node-alternate queue: no refill.
    assert council.queue_length(NODE) == 0
    out["attendance_forfeit"] = _measure(
        council, lambda: council.forfeit(nodes[450].address, NODE, first_node)
    )
    # A client's task request, escrowing its USDT fee (the client's second).
    client = _key("client").address
    a.usdt.mint(client, 10**12)
    with boa.env.prank(client):
        a.usdt.approve(a.treasury.address, 2**256 - 1)
        a.treasury.request_task(1, b"\x01" * 32, 1_000 * 10**6)
        treasury = a.treasury
        out["task_request"] = _measure(
            treasury, lambda: treasury.request_task(2, b"\x02" * 32, 2_500 * 10**6)
        )
    supers = nodes[:21]
    super_voters = [k for k in supers if council.member(k.address)[2]]
    node_voters = [k for k in nodes if council.member(k.address)[1]]

    def passed(proposer: Any, kind: int, motion_args: tuple[Any, ...], label: str) -> None:
        with boa.env.prank(proposer.address):
            out[f"motion_create.{label}"] = _measure(
                motions, lambda: motions.propose(kind, motion_args)
            )
        motion_id = motions.motion_count()
        rule = motions.rule(kind)
        for which, chamber, pct in ((1, rule.chamber1, rule.pct1), (2, rule.chamber2, rule.pct2)):
            if not pct:
                break
            if which == 2:
                motions.advance(motion_id)
            m = motions.motion(motion_id)
            stage_id = m.stage1 if which == 1 else m.stage2
            voters = super_voters if chamber == SUPER else node_voters
            for k in voters[: len(voters) * pct // 100 + 1]:
                with boa.env.prank(k.address):
                    council.vote(stage_id, FOR)
        out[f"motion_execute.{label}"] = _measure(
            motions, lambda: motions.execute(motion_id, motion_args)
        )
        boa.env.time_travel(blocks=1)

    # Both tasks approved (super nodes 51%), then matched by one batch of a
    # 500-leaf list: 400 users (first-time holders) and 100 leaders.
    passed(nodes[30], APPROVE_TASK, _args(numbers=[1]), "APPROVE_TASK")
    passed(nodes[31], APPROVE_TASK, _args(numbers=[2]), "APPROVE_TASK")
    users = [_key(f"user{i}").address for i in range(400)]
    parts = [(u, Role.USER, 1 + i % 7) for i, u in enumerate(users)]
    parts += [(k.address, Role.LEADER, 1 + i % 5) for i, k in enumerate(nodes[200:300])]
    alloc = Allocation.of(3_500 * KOL, parts)
    tree = alloc.tree()
    passed(
        nodes[32],
        ISSUE_MATCHED_BATCH,
        _encoded(MotionArgs.matched_batch(alloc, [1, 2], "ipfs://list")),
        "ISSUE_MATCHED_BATCH",
    )
    token = a.token
    batch_id = token.batch_count()
    claims = []
    for leaf in alloc.leaves[:40]:
        proof = list(tree.get_proof(leaf.value()))
        claim = (batch_id, leaf.index, leaf.account, int(leaf.role), leaf.amount, proof)
        claims.append(_measure(token, lambda claim=claim: token.claim(*claim)))
    out["claim_matched"] = sorted(claims)[len(claims) // 2]
    out["claim_matched.first_in_word"] = max(claims)
    pushed = [leaf.value() for leaf in alloc.leaves[100:200]]
    multi = tree.get_multi_proof(pushed)
    delivery = ([tuple(v) for v in multi.leaves], list(multi.proof), list(multi.proof_flags))
    out["push_per_recipient"] = _measure(token, lambda: token.deliver(batch_id, *delivery)) // len(
        pushed
    )

    # Genesis month 1 over all 500 leaders; claims by first-time holders.
    schedule = GenesisSchedule.of(Decision.of(1, k.address, Verdict.PAY) for k in nodes)
    passed(
        nodes[33],
        GENESIS_RELEASE,
        _encoded(MotionArgs.genesis_month(schedule, 1, "ipfs://month-1")),
        "GENESIS_RELEASE",
    )
    month = schedule.month_tree(1)
    released_in = token.genesis_month(month.root)[1]
    genesis_claims = []
    for k in nodes[300:340]:
        e = schedule.entitlement(1, k.address)
        proof = list(month.get_proof(e.value()))
        claim = (month.root, 1, released_in, e.leader, e.cum_paid, e.cum_forfeited, proof)
        genesis_claims.append(_measure(token, lambda claim=claim: token.claim_genesis(*claim)))
    out["claim_genesis"] = sorted(genesis_claims)[len(genesis_claims) // 2]
    out["claim_genesis.first_in_word"] = max(genesis_claims)

    # The books: a statement (foundation, super 33%) and an audit demand.
    t0 = boa.env.evm.patch.timestamp
    passed(
        foundation,
        PUBLISH_STATEMENT,
        _encoded(MotionArgs.statement(t0 - 86_400 * 30, t0, b"\x05" * 32, "ipfs://statement")),
        "PUBLISH_STATEMENT",
    )
    passed(nodes[34], DEMAND_AUDIT, _encoded(MotionArgs.audit(t0 - 86_400, t0)), "DEMAND_AUDIT")
    # A buyback burn of KOL the foundation holds.
    holder = nodes[300].address
    with boa.env.prank(holder):
        token.transfer(foundation.address, 500 * KOL)
    with boa.env.prank(foundation.address):
        token.approve(treasury.address, 500 * KOL)
        out["buyback_burn"] = _measure(
            treasury, lambda: treasury.buyback_burn(500 * KOL, 510 * 10**6, b"\x06" * 32)
        )

    # The membership motions not measured above.
    outsider = _key("replacement").address
    passed(nodes[5], REPLACE_NODE, _args([nodes[480].address, outsider]), "REPLACE_NODE")
    super_voters = [k for k in supers if council.member(k.address)[2]]
    old_super = super_voters[-1].address
    passed(
        nodes[120], REPLACE_SUPER_NODE, _args([old_super, nodes[121].address]), "REPLACE_SUPER_NODE"
    )
    candidates = [_key(f"candidate{i}") for i in range(30)]
    for i, k in enumerate(candidates):
        with boa.env.prank(k.address):
            council.register_candidate(f"candidate {i}", b"\x00" * 32)
    boa.env.time_travel(blocks=1)
    five = _args([k.address for k in candidates[10:15]])
    with boa.env.prank(candidates[0].address):
        out["motion_create.REPLENISH_NODE_ALTERNATES"] = _measure(
            motions, lambda: motions.propose(REPLENISH_NODE, five)
        )
    rep = motions.motion_count()
    boa.env.time_travel(blocks=1)
    for k in candidates[1:4]:
        with boa.env.prank(k.address):
            council.sponsor(rep)
    motions.advance(rep)
    stage = motions.motion(rep).stage1
    for k in node_voters[: len(node_voters) * 33 // 100 + 1]:
        with boa.env.prank(k.address):
            council.vote(stage, FOR)
    out["motion_execute.REPLENISH_NODE_ALTERNATES"] = _measure(
        motions, lambda: motions.execute(rep, five)
    )
    return dict(sorted(out.items()))


def _encoded(motion_args: MotionArgs) -> tuple[Any, ...]:
    return tuple(motion_args.encode())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed snapshot")
    ns = parser.parse_args()
    figures = measure()
    text = json.dumps(figures, indent=2) + "\n"
    print(text, end="")
    over = {k: (figures[k], t) for k, t in TARGETS.items() if figures[k] > t}
    for name, (got, target) in over.items():
        print(f"over target: {name} = {got} > {target}", file=sys.stderr)
    if ns.check:
        committed = SNAPSHOT.read_text() if SNAPSHOT.exists() else ""
        if committed != text:
            print(
                "gas snapshot differs from .gas-snapshot: run `make gas-snapshot`", file=sys.stderr
            )
            return 1
        return 1 if over else 0
    SNAPSHOT.write_text(text)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
