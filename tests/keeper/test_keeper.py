"""The keeper against a real anvil with the roster seated: a forfeiture recorded once the third
deadline has passed (the seat refilled from the queue), failed and lapsed motions closed,
alternates seated where seats are free; a second round and a second keeper at once do nothing
twice."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

from click.testing import CliRunner
from eth_account import Account
from eth_utils.crypto import keccak

from kol.alliance import Alliance, Chamber, Choice, MotionArgs, MotionKind, MotionStatus
from kol.chain.anvil import rpc_request
from kol.chain.rpc import RpcBackend, connect, deploy
from kol.cli import main
from kol.keeper import Action, Keeper, Outcome
from tests.conftest import fund
from tests.relayer.devnet import SUPER, Devnet

DAY = 86_400
ABSENT = "node:20"
"""A super node that misses three super stages in a row."""
TWICE_ABSENT = "node:19"
"""A super node that misses only the last two."""


@dataclass(frozen=True)
class Scene:
    failed: tuple[int, ...]
    """Three REPLACE_NODE motions voted down by the super nodes (their stages 1–3)."""
    lapsing: int
    """A REPLENISH_SUPER_ALTERNATES motion that never gathers its sponsors."""


def scene(chain: Devnet) -> Scene:
    """Three super stages in which ABSENT never votes, then the clock past every deadline."""
    proposers = ["node:1", "node:2", "node:3"]
    a = chain.sdk(*proposers, "node:125", "relayer")
    failed = []
    for i, proposer in enumerate(proposers):
        args = MotionArgs.replace(
            chain.address(f"node:{80 + i}"), chain.address(f"candidate:{10 + i}")
        )
        motion_id = a.propose(MotionKind.REPLACE_NODE, args, by=chain.address(proposer))
        absent = {ABSENT} if i == 0 else {ABSENT, TWICE_ABSENT}
        voters = [x for x in SUPER if x not in absent]
        ballots = chain.sign(a, voters, motion_id, 1, Choice.AGAINST)
        assert a.relay(ballots, by=chain.address("relayer")) == len(voters)
        failed.append(motion_id)
    alternates = [chain.address(f"node:{i}") for i in (122, 123, 124)]
    lapsing = a.propose(
        MotionKind.REPLENISH_SUPER_ALTERNATES,
        MotionArgs.alternates(alternates),
        by=chain.address("node:125"),
    )
    chain.wait(8 * DAY)  # past the three stages' deadlines and the sponsorship window
    return Scene(tuple(failed), lapsing)


def outcomes(actions: list[Action]) -> dict[tuple[str, str], Outcome]:
    return {(x.kind, x.subject): x.outcome for x in actions}


def test_round__forfeits_after_three_misses_refills_from_the_queue_and_closes_motions(
    chain: Devnet,
) -> None:
    s = scene(chain)
    a = chain.sdk("keeper")
    head = a.queue(Chamber.SUPER)[0]  # the first super alternate
    assert not a.member(head).is_super_node
    actions = Keeper(a, chain.address("keeper")).run_once()
    absent = chain.address(ABSENT)
    assert outcomes(actions) == {
        ("forfeit", f"{absent} super-node seat, stages 1–3"): Outcome.DONE,
        **{("close", f"motion {m} (failed)"): Outcome.DONE for m in s.failed},
        ("close", f"motion {s.lapsing} (lapsed)"): Outcome.DONE,
    }
    gone = a.member(absent)
    assert not gone.is_super_node and gone.is_node  # the super seat only (§3)
    assert gone.super_ban_until >= a.now() + 89 * DAY
    assert a.member(head).is_super_node and a.seats(Chamber.SUPER) == 21  # refilled at once
    assert a.member(chain.address(TWICE_ABSENT)).is_super_node  # two misses forfeit nothing
    for motion_id in (*s.failed, s.lapsing):
        assert int(a.backend.call("motions", "motion", motion_id)[9]) != 0  # closed
    assert a.motion_status(s.lapsing) == MotionStatus.LAPSED

    # idempotent: a second round (and a new keeper, from scratch) sends nothing
    nonce = chain.nonce("keeper")
    assert Keeper(a, chain.address("keeper")).run_once() == []
    assert chain.nonce("keeper") == nonce


def _race(keepers: list[Keeper], timeout: float) -> list[list[Action]]:
    """One round of every keeper, all started at the same instant in threads; a keeper that
    raises fails the test."""
    start = threading.Barrier(len(keepers))
    results: list[list[Action]] = [[] for _ in keepers]
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = keepers[i].run_once()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(keepers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    assert errors == [] and not any(t.is_alive() for t in threads)
    return results


def test_two_keepers_at_once__each_chore_done_once(chain: Devnet) -> None:
    s = scene(chain)
    chain.fund("user:7")
    keepers = [
        Keeper(chain.sdk("keeper"), chain.address("keeper")),
        Keeper(chain.sdk("user:7"), chain.address("user:7")),
    ]
    results = _race(keepers, timeout=120)
    subjects = {x.subject for r in results for x in r}
    assert len(subjects) == 5  # one forfeiture, four motions to close
    for subject in subjects:
        done = [x for r in results for x in r if x.subject == subject and x.outcome == Outcome.DONE]
        assert len(done) == 1, subject
    assert all(x.outcome != Outcome.FAILED for r in results for x in r)
    backend = chain.backend()
    assert len(backend.events("council", "Forfeited", member=chain.address(ABSENT))) == 1
    closed = [e["motion_id"] for e in backend.events("motions", "MotionClosed")]
    assert sorted(closed) == sorted((*s.failed, s.lapsing))


def test_refill__alternates_seated_where_super_seats_are_free(chain: Devnet) -> None:
    """A fresh alliance whose genesis slate has 2 super nodes and 2 ranked alternates: the
    ratification queues the alternates without seating them; the keeper seats both."""
    keys = [Account.from_key(keccak(text=f"kol-keeper-test:{i}")) for i in range(7)]
    for key in keys:
        fund(chain.url, key.address)
    deployer, admin, *nodes = keys
    deployment = deploy(connect(chain.url), deployer, admin=admin.address, foundation=admin.address)
    a = Alliance(RpcBackend.connect(deployment, chain.url, [admin, *nodes]))
    for i, node in enumerate(nodes):
        a.nominate(node.address, f"community {i}", by=admin.address)
    n = [node.address for node in nodes]
    motion_id = a.propose(
        MotionKind.RATIFY_GENESIS_SUPER_NODES, MotionArgs.ratify(n[:2], n[2:4]), by=n[0]
    )
    for voter in n[:2]:
        a.vote(motion_id, 1, Choice.FOR, by=voter)
    a.execute(motion_id, by=n[0])
    assert a.seats(Chamber.SUPER) == 2 and a.queue(Chamber.SUPER) == tuple(n[2:4])

    keeper = Keeper(a, admin.address)
    assert outcomes(keeper.run_once()) == {("refill", "super-node seats"): Outcome.DONE}
    assert a.seats(Chamber.SUPER) == 4 and a.queue(Chamber.SUPER) == ()
    assert all(a.member(x).is_super_node for x in n[:4])
    assert keeper.run_once() == []


def test_cli_keeper_once__json_report_then_nothing_to_do(chain: Devnet) -> None:
    scene(chain)
    env = {"KOL_DEPLOYMENT": str(chain.root / "deployment.json")}
    first = CliRunner().invoke(main, ["keeper", "--once", "--dev", "keeper", "--json"], env=env)
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert report["keeper"] == chain.address("keeper")
    assert sorted(x["kind"] for x in report["actions"]) == ["close"] * 4 + ["forfeit"]
    assert {x["outcome"] for x in report["actions"]} == {"done"}
    again = CliRunner().invoke(main, ["keeper", "--dev", "keeper", "--json"], env=env)
    assert again.exit_code == 0 and json.loads(again.stdout)["actions"] == []


def test_follow__survives_an_unreachable_chain(chain: Devnet) -> None:
    """A round that cannot reach the node is logged; the keeper goes on."""
    a = chain.sdk("keeper")
    keeper = Keeper(a, chain.address("keeper"))
    real = a.backend.call
    calls = {"n": 0}

    def flaky(*args: object) -> object:
        calls["n"] += 1
        if calls["n"] < 3:
            raise ConnectionError("node down")
        return real(*args)  # type: ignore[arg-type]

    a.backend.call = flaky  # type: ignore[method-assign]
    stop = threading.Event()
    rounds: list[list[Action]] = []

    def report(actions: list[Action]) -> None:
        rounds.append(actions)

    thread = threading.Thread(target=keeper.follow, args=(0.1, stop, report))
    thread.start()
    try:
        thread.join(timeout=1.5)  # a dozen rounds or so
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive() and calls["n"] > 3
    failed = [x for r in rounds for x in r]
    assert failed and {x.outcome for x in failed} == {Outcome.FAILED}
    assert "node down" in failed[0].detail
    assert len(rounds) < 5  # later rounds reached the chain and found nothing to do


def test_two_keepers_at_once__their_transactions_race_in_the_same_blocks__each_once_on_chain(
    chain: Devnet,
) -> None:
    """The same due work (one forfeiture, four closes) for two keepers started at the same
    instant while the chain mines a block a second: both read it before either's transaction
    lands, so both send, and the loser's call reverts (on-chain or in its simulation). Each
    chore is done once on-chain, reported done by one keeper and already done by the other."""
    s = scene(chain)
    chain.fund("user:8")
    keepers = [
        Keeper(chain.sdk("keeper"), chain.address("keeper")),
        Keeper(chain.sdk("user:8"), chain.address("user:8")),
    ]
    nonces = (chain.nonce("keeper"), chain.nonce("user:8"))
    rpc_request(chain.url, "evm_setAutomine", [False])
    rpc_request(chain.url, "evm_setIntervalMining", [1])
    try:
        results = _race(keepers, timeout=180)
    finally:
        rpc_request(chain.url, "evm_setIntervalMining", [0])
        rpc_request(chain.url, "evm_setAutomine", [True])
    assert all(x.outcome != Outcome.FAILED for r in results for x in r), results
    subjects = {x.subject for r in results for x in r}
    assert len(subjects) == 5
    for subject in subjects:
        done = [x for r in results for x in r if x.subject == subject and x.outcome == Outcome.DONE]
        assert len(done) == 1, subject
    # they truly raced: both took on the same chores, and one of them lost at least once
    assert all({x.subject for x in r} == subjects for r in results), results
    assert any(x.outcome == Outcome.ALREADY_DONE for r in results for x in r)
    backend = chain.backend()
    assert len(backend.events("council", "Forfeited", member=chain.address(ABSENT))) == 1
    closed = [e["motion_id"] for e in backend.events("motions", "MotionClosed")]
    assert sorted(closed) == sorted((*s.failed, s.lapsing))
    sent = chain.nonce("keeper") - nonces[0] + chain.nonce("user:8") - nonces[1]
    done_total = sum(1 for r in results for x in r if x.outcome == Outcome.DONE)
    assert sent >= done_total == 5
    print(f"two keepers: {sent} transactions sent for {done_total} chores; {results}")
