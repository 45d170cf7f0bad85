"""The economy's member commands against the roster ``kol up`` seats on a real anvil: a client's
task paid in test USDT and approved, the 80/20 list built, proposed in two stages, verified and
claimed (by proof and pushed), a genesis month built, released and claimed, and the
foundation's books (statement, audit answer, buyback burn), with each refusal's reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eth_utils.crypto import keccak

from kol.alliance import TaskState
from tests.cli.conftest import NODES, SUPER, Devnet

USERS = [f"user:{i}" for i in range(6)]
LEADERS = [f"node:{i}" for i in range(40, 43)]


def _pass_two_stages(chain: Devnet, motion_id: int) -> dict[str, object]:
    chain.relay_votes(motion_id, 1, SUPER[:11])
    chain.ok("motion", "advance", str(motion_id), "--dev", "keeper")
    chain.relay_votes(motion_id, 2, NODES[:76])
    return chain.ok("motion", "execute", str(motion_id), "--dev", "keeper")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, chain: Devnet) -> Path:
    """A folder with a task description, a participants CSV and a decisions CSV."""
    root = tmp_path_factory.mktemp("economy")
    (root / "task.md").write_text("Poster campaign for a listing, 3 days, 40 communities\n")
    lines = ["address,role,units"]
    lines += [f"{chain.address(u)},user,{i + 1}" for i, u in enumerate(USERS)]
    lines += [f"{chain.address(n)},leader,{10 * (i + 1)}" for i, n in enumerate(LEADERS)]
    (root / "participants.csv").write_text("\n".join(lines) + "\n")
    verdicts = ["pay", "pay", "defer", "withhold"]
    decisions = ["month,leader,verdict,release"]
    decisions += [
        f"1,{chain.address(f'node:{40 + i}')},{verdict}," for i, verdict in enumerate(verdicts)
    ]
    (root / "decisions.csv").write_text("\n".join(decisions) + "\n")
    return root


# TASKS (§7) #


def test_task_request__without_usdt__refused_and_nothing_approved(
    chain: Devnet, files: Path
) -> None:
    message = chain.refused(
        "task", "request", "--kind", "poster-call", "--fee", "1500",
        "--metadata", str(files / "task.md"), "--dev", "client:1",
    )  # fmt: skip
    assert "holds 0 USDT; the fee needs 1,500 USDT" in message
    a = chain.sdk()
    assert a.allowance("usdt", chain.address("client:1"), a.treasury_address()) == 0


def test_task_request__bad_fee_and_kind__named(chain: Devnet, files: Path) -> None:
    base = ["task", "request", "--metadata", str(files / "task.md"), "--dev", "client:1"]
    precise = chain.refused(*base, "--kind", "roadshow", "--fee", "1.0000001", code=2)
    assert "USDT has 6 decimals at most" in precise
    assert "is not an amount of USDT" in chain.refused(
        *base, "--kind", "roadshow", "--fee", "lots", code=2
    )
    kind = chain.kol(*base, "--kind", "lunch", "--fee", "1")
    assert kind.exit_code == 2 and "'lunch' is not one of 'poster-call'" in kind.output


@pytest.fixture(scope="module")
def task_id(chain: Devnet, files: Path) -> int:
    """Task 1: 1,500 USDT escrowed by client:0 (minted on the devnet's TestUSDT)."""
    requested = chain.ok(
        "task", "request", "--kind", "poster-call", "--fee", "1,500",
        "--metadata", str(files / "task.md"), "--mint-test-usdt", "--dev", "client:0",
    )  # fmt: skip
    assert requested["fee"] == 1_500 * 10**6 and requested["state"] == "requested"
    assert requested["metadata_hash"] == "0x" + keccak((files / "task.md").read_bytes()).hex()
    return int(requested["task_id"])


def test_task_show_and_refund__not_yet_refundable(chain: Devnet, task_id: int) -> None:
    shown = chain.ok("task", "show", str(task_id))
    assert shown["client"] == chain.address("client:0") and shown["kind"] == "poster-call"
    refused = chain.refused("task", "refund", str(task_id), "--dev", "client:0")
    assert "tasks: no approval motion yet; refundable once the execution window" in refused
    assert "no task 99" in chain.refused("task", "show", "99")


@pytest.fixture(scope="module")
def approved(chain: Devnet, task_id: int) -> int:
    """Task 1 approved by the super nodes (APPROVE_TASK)."""
    motion = chain.ok("motion", "create", "approve-task", str(task_id), "--dev", "node:60")
    motion_id = int(motion["motion_id"])
    chain.relay_votes(motion_id, 1, SUPER[:11])
    chain.ok("motion", "execute", str(motion_id), "--dev", "keeper")
    assert chain.sdk().task(task_id).state == TaskState.APPROVED
    return task_id


# BATCHES AND CLAIMS (§7) #


@pytest.fixture(scope="module")
def batch_list(chain: Devnet, files: Path, approved: int) -> Path:
    out = files / "list.json"
    built = chain.ok(
        "batch", "build", str(files / "participants.csv"), "--tasks", str(approved),
        "--out", str(out),
    )  # fmt: skip
    assert built["total"] == 1_500 * 10**18  # 1,500 USDT × 1 KOL per USDT
    assert built["user_total"] == 1_200 * 10**18 and built["leader_total"] == 300 * 10**18
    assert built["users"] == 6 and built["leaders"] == 3
    assert built["content_hash"] == "0x" + keccak(out.read_bytes()).hex()
    return out


def test_batch_build__total_or_tasks__exactly_one(chain: Devnet, files: Path) -> None:
    both = chain.kol(
        "batch", "build", str(files / "participants.csv"), "--total", "10", "--tasks", "1",
        "--out", str(files / "x.json"),
    )  # fmt: skip
    assert both.exit_code == 2 and "exactly one of --total KOL and --tasks IDS" in both.output


def test_batch_build__a_bad_csv_line__named(chain: Devnet, files: Path) -> None:
    bad = files / "bad.csv"
    bad.write_text(f"address,role,units\n{chain.address('user:0')},user,3\n0x1234,user,2\n")
    message = chain.refused(
        "batch", "build", str(bad), "--total", "100", "--out", str(files / "b.json")
    )
    assert "line 3: '0x1234' is not an address" in message
    assert not (files / "b.json").exists()


def test_batch_build__with_a_total__no_chain_needed(files: Path, chain: Devnet) -> None:
    out = files / "by-total.json"
    result = chain.kol(
        "batch", "build", str(files / "participants.csv"), "--total", "100",
        "--out", str(out), "--deployment", str(files / "none.json"), "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == 100 * 10**18
    again = chain.kol(
        "batch", "build", str(files / "participants.csv"), "--total", "100", "--out", str(out)
    )
    assert again.exit_code == 2 and "already exists" in again.output


def test_batch_verify__recomputes_root_and_content_hash(chain: Devnet, batch_list: Path) -> None:
    verified = chain.ok("batch", "verify", str(batch_list))
    built = json.loads(batch_list.read_text())
    assert verified["root"] == built["tree"][0] and verified["canonical_file"] is True
    tampered = json.loads(batch_list.read_text())
    tampered["values"][0]["value"][3] = str(10**30)
    forged = batch_list.with_name("forged.json")
    forged.write_text(json.dumps(tampered))
    assert "merkle: value 0 is not the leaf" in chain.refused("batch", "verify", str(forged))


@pytest.fixture(scope="module")
def batch_id(chain: Devnet, batch_list: Path, approved: int) -> int:
    """Batch 1: ISSUE_MATCHED_BATCH through both stages, executed."""
    proposed = chain.ok(
        "motion", "create", "batch", "--list", str(batch_list), "--tasks", str(approved),
        "--uri", batch_list.as_uri(), "--dev", "node:61",
    )  # fmt: skip
    assert proposed["motion"]["rule"] == "super nodes 51%; nodes 51%"
    executed = _pass_two_stages(chain, int(proposed["motion_id"]))
    assert executed["motion"]["status"] == "executed"
    return 1


def test_motion_batch__a_total_the_tasks_do_not_carry__the_treasury_says_so(
    chain: Devnet, files: Path, batch_id: int
) -> None:
    chain.ok("task", "request", "--kind", "roadshow", "--fee", "10", "--metadata",
             str(files / "task.md"), "--mint-test-usdt", "--dev", "client:2")  # fmt: skip
    out = files / "wrong-total.json"
    chain.ok("batch", "build", str(files / "participants.csv"), "--total", "99", "--out", str(out))
    message = chain.refused(
        "motion", "create", "batch", "--list", str(out), "--tasks", "2", "--uri", "u",
        "--dev", "node:62",
    )  # fmt: skip
    assert "refused by the rules: tasks: a batch names only approved tasks" in message


def test_batch_verify__against_the_chain(chain: Devnet, batch_list: Path, batch_id: int) -> None:
    verified = chain.ok("batch", "verify", str(batch_list), "--batch", str(batch_id))
    assert verified["matches"] is True and verified["batch"]["uri"] == batch_list.as_uri()
    other = batch_list.with_name("other.json")
    chain.ok("batch", "build", str(batch_list.with_name("participants.csv")), "--total", "7",
             "--out", str(other))  # fmt: skip
    result = chain.kol("batch", "verify", str(other), "--batch", str(batch_id), "--json")
    assert result.exit_code == 1 and "does not match batch 1" in result.stderr
    assert json.loads(result.stdout)["matches"] is False  # the figures, then the refusal
    assert "no batch 9" in chain.refused("batch", "verify", str(batch_list), "--batch", "9")


def test_claim__by_proof_then_pushed(chain: Devnet, batch_list: Path, batch_id: int) -> None:
    mine = chain.ok("claim", str(batch_id), "--list", str(batch_list), "--dev", "user:5")
    [leaf] = mine["paid"]
    assert leaf["account"] == chain.address("user:5") and leaf["role"] == "user"
    assert chain.sdk().balance(chain.address("user:5")) == leaf["amount"] > 0
    again = chain.refused("claim", str(batch_id), "--list", str(batch_list), "--dev", "user:5")
    assert "is claimed already" in again
    stranger = chain.refused("claim", str(batch_id), "--list", str(batch_list), "--dev", "client:0")
    assert "has no leaf in batch 1's list" in stranger
    # no --list: the batch's URI is a local file
    for_other = chain.ok(
        "claim", str(batch_id), "--account", chain.address("user:0"), "--dev", "keeper"
    )
    assert [p["account"] for p in for_other["paid"]] == [chain.address("user:0")]
    pushed = chain.ok("claim", str(batch_id), "--all", "--push", "--chunk", "3", "--dev", "keeper")
    assert len(pushed["paid"]) == 7 and pushed["user_left"] == 0 and pushed["leader_left"] == 0


def test_claim__a_list_that_is_not_the_batchs__refused(
    chain: Devnet, batch_list: Path, batch_id: int
) -> None:
    other = batch_list.with_name("other-claim.json")
    chain.ok("batch", "build", str(batch_list.with_name("participants.csv")), "--total", "5",
             "--out", str(other))  # fmt: skip
    message = chain.refused("claim", str(batch_id), "--list", str(other), "--dev", "user:1")
    assert "is not batch 1's list" in message
    usage = chain.refused("claim", str(batch_id), "--push", "--dev", "user:1", code=2)
    assert "--push goes with --all" in usage


# GENESIS (§8) #


@pytest.fixture(scope="module")
def month_list(chain: Devnet, files: Path) -> Path:
    out = files / "month-1.json"
    built = chain.ok(
        "genesis", "build", str(files / "decisions.csv"), "--month", "1", "--out", str(out)
    )
    assert built["leaders"] == 4 and built["paid"] == 2_000 * 10**18
    assert built["cum_deferred"] == 1_000 * 10**18 and built["forfeited"] == 1_000 * 10**18
    assert built["content_hash"] == "0x" + keccak(out.read_bytes()).hex()
    return out


def test_genesis_build__a_bad_verdict__its_line(chain: Devnet, files: Path) -> None:
    bad = files / "bad-decisions.csv"
    bad.write_text(f"month,leader,verdict\n1,{chain.address('node:40')},maybe\n")
    message = chain.refused(
        "genesis", "build", str(bad), "--month", "1", "--out", str(files / "m.json")
    )
    assert "genesis: line 2: month 1: 'maybe' is not one of pay, defer, withhold" in message
    beyond = chain.refused(
        "genesis", "build", str(files / "decisions.csv"), "--month", "2",
        "--out", str(files / "m.json"), code=2,
    )  # fmt: skip
    assert "decides months 1–1, not 2" in beyond


def test_genesis_month__released_and_claimed(chain: Devnet, files: Path, month_list: Path) -> None:
    unreleased = chain.refused(
        "genesis", "claim", "--month-list", str(month_list), "--dev", "node:40"
    )
    assert "genesis: this month's list was never released" in unreleased
    proposed = chain.ok(
        "motion", "create", "genesis-month", "--schedule", str(files / "decisions.csv"),
        "--month", "1", "--uri", month_list.as_uri(), "--dev", "foundation",
    )  # fmt: skip
    args = proposed["motion"]["args"]
    assert args["numbers"] == [1, 2_000 * 10**18, 1_000 * 10**18, 4]
    _pass_two_stages(chain, int(proposed["motion_id"]))
    claimed = chain.ok("genesis", "claim", "--month-list", str(month_list), "--dev", "node:40")
    assert claimed["month"] == 1 and claimed["paid"] == 1_000 * 10**18
    pushed = chain.ok(
        "genesis",
        "claim",
        "--month-list",
        str(month_list),
        "--leader",
        "node:41",
        "--dev",
        "keeper",
    )
    assert pushed["leader"] == chain.address("node:41") and pushed["paid"] == 1_000 * 10**18
    twice = chain.refused("genesis", "claim", "--month-list", str(month_list), "--dev", "node:40")
    assert "refused by the rules: genesis:" in twice
    assert chain.ok("status")["supply"]["issued_genesis"] == 2_000 * 10**18


# BOOKS (§5, §9) #


def test_books_statement__the_foundation_proposes_it(chain: Devnet, files: Path) -> None:
    statement = files / "statement.json"
    statement.write_text('{"revenue_usdt": 1500}\n')
    args = [
        "--start",
        "2026-01-01",
        "--end",
        "2026-06-30",
        "--file",
        str(statement),
        "--uri",
        "https://x/s.json",
    ]
    proposed = chain.ok("books", "statement", *args, "--dev", "foundation")
    motion = proposed["motion"]
    assert motion["kind"] == "PUBLISH_STATEMENT" and motion["stages"][0]["threshold"] == 7
    assert motion["args"]["hashes"] == ["0x" + keccak(statement.read_bytes()).hex()]
    not_foundation = chain.refused("books", "statement", *args, "--dev", "node:63")
    assert "motions: only the foundation may propose this motion" in not_foundation
    backwards = chain.refused(
        "books", "statement", "--start", "2026-06-30", "--end", "2026-01-01", "--file",
        str(statement), "--uri", "u", "--dev", "node:63",
    )  # fmt: skip
    assert "refused by the rules:" in backwards
    bad_date = chain.refused(
        "books", "statement", "--start", "soon", "--end", "later", "--file", str(statement),
        "--uri", "u", "--dev", "foundation", code=2,
    )  # fmt: skip
    assert "'soon' is neither a unix timestamp nor a date" in bad_date


def test_books_answer_audit__only_the_foundation(chain: Devnet, files: Path) -> None:
    proposed = chain.ok(
        "motion", "create", "audit", "--start", "2026-01-01", "--end", "2026-06-30",
        "--scope", "client fees", "--dev", "node:64",
    )  # fmt: skip
    motion_id = int(proposed["motion_id"])
    chain.relay_votes(motion_id, 1, NODES[:50])  # 33% of 149
    chain.ok("motion", "execute", str(motion_id), "--dev", "keeper")
    report = files / "audit.pdf"
    report.write_bytes(b"%PDF-1.4 audit report")
    answer = ["books", "answer-audit", "1", "--file", str(report), "--uri", "https://x/a.pdf"]
    assert "treasury: only the foundation answers audits" in chain.refused(
        *answer, "--dev", "node:64"
    )
    answered = chain.ok(*answer, "--dev", "foundation")
    assert answered["report_hash"] == "0x" + keccak(report.read_bytes()).hex()
    assert answered["overdue"] is False and answered["answered_at"] > 0
    assert "already answered" in chain.refused(*answer, "--dev", "foundation")


def test_books_burn__the_foundation_burns_and_others_leave_no_allowance(
    chain: Devnet, batch_id: int
) -> None:
    a = chain.sdk("user:5")
    a.transfer(chain.address("foundation"), 10 * 10**18, by=chain.address("user:5"))
    before = chain.ok("status")["supply"]
    burned = chain.ok(
        "books", "burn", "--kol", "10", "--usdt", "12.5", "--reference", "OTC trade 42",
        "--dev", "foundation",
    )  # fmt: skip
    assert burned["burned"] == 10 * 10**18 and burned["usdt_spent"] == 12_500_000
    assert burned["total_supply"] == before["total_supply"] - 10 * 10**18
    refused = chain.refused(
        "books", "burn", "--kol", "1", "--usdt", "1", "--reference", "r", "--dev", "node:40"
    )
    assert "treasury: only the foundation burns bought-back KOL" in refused
    assert a.allowance("token", chain.address("node:40"), a.treasury_address()) == 0
    empty = chain.refused(
        "books", "burn", "--kol", "1", "--usdt", "1", "--reference", "r", "--dev", "foundation"
    )
    assert "holds 0 KOL; the burn needs 1 KOL" in empty


def test_task_refund__after_the_execution_window_without_a_motion(
    chain: Devnet, files: Path
) -> None:
    requested = chain.ok(
        "task", "request", "--kind", "conference", "--fee", "250.5", "--metadata",
        str(files / "task.md"), "--mint-test-usdt", "--dev", "client:3",
    )  # fmt: skip
    task_id = str(requested["task_id"])
    a = chain.sdk()
    assert a.usdt_balance(chain.address("client:3")) == 0
    chain.wait(7 * 86_400 + 60)
    refunded = chain.ok("task", "refund", task_id, "--dev", "keeper")
    assert refunded["state"] == "refunded"
    assert a.usdt_balance(chain.address("client:3")) == 250_500_000
    again = chain.refused("task", "refund", task_id, "--dev", "client:3")
    assert "tasks: only a task awaiting approval can be refunded" in again
