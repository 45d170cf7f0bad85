"""``kol status``, ``kol members``, ``kol attendance`` and the options every member command
shares (deployment, signer), against the roster ``kol up`` seats on a real anvil."""

from __future__ import annotations

from pathlib import Path

import pytest

from kol.alliance import Chamber, MotionArgs, MotionKind
from kol.chain.keys import encrypt_key
from kol.data import load_roster
from tests.cli.conftest import SUPER, Devnet

PASSWORD = "devnet only"


# STATUS #


def test_status__json__chain_seats_queues_parameters_supply_genesis(chain: Devnet) -> None:
    roster = load_roster()
    status = chain.ok("status")
    assert status["chain_id"] == 31337 and status["dev_chain"] is True
    assert status["seats"] == {
        "nodes": len(roster.node_seats),
        "super_nodes": 21,
        "candidates": len(roster.candidates),
        "node_alternates": 0,
        "super_alternates": len(roster.super_alternates),
    }
    assert len(status["queues"]["super"]) == len(roster.super_alternates)
    assert status["parameters"]["voting_period"] == 3 * 86_400
    assert status["parameters"]["kol_per_usdt"] == 10**12
    assert status["supply"] == {
        "issued_total": 0,
        "issued_genesis": 0,
        "issued_matched": 0,
        "burned": 0,
        "total_supply": 0,
    }
    assert status["genesis"]["month"] == 0 and status["genesis"]["closed"] is False
    assert status["circulation_mode"] is False and status["issuance_complete"] is False
    assert status["genesis_phase_open"] is False
    assert status["admin"] == chain.address("administrator")
    assert status["foundation"] == chain.address("foundation")


def test_status__for_people__tables_with_the_seat_caps(chain: Devnet) -> None:
    result = chain.kol("status")
    assert result.exit_code == 0, result.output
    assert "149 / 500" in result.stdout and "21 / 21" in result.stdout
    assert "16,000,000 KOL" in result.stdout


def test_status__no_deployment_file__says_how_to_make_one(tmp_path: Path, chain: Devnet) -> None:
    result = chain.kol("status", "--deployment", str(tmp_path / "nowhere.json"))
    assert result.exit_code == 1
    assert "no such file (deploy first: kol deploy, or kol up for a devnet)" in result.stderr


def test_status__a_dead_node__named(chain: Devnet) -> None:
    message = chain.refused("status", "--rpc", "http://127.0.0.1:9")
    assert "no Ethereum node answers at http://127.0.0.1:9" in message


# MEMBERS #


def test_members__super_chamber__names_ids_seats(chain: Devnet) -> None:
    roster = load_roster()
    listed = chain.ok("members", "--chamber", "super")
    assert listed["count"] == 21
    names = {m["name"] for m in listed["members"]}
    assert names == set(roster.super_nodes)
    first = listed["members"][0]
    assert first["member_id"] == 1 and first["super_node"] and first["node"]
    assert first["address"] == chain.address("node:0")


def test_members__pool_and_queue_places(chain: Devnet) -> None:
    roster = load_roster()
    pool = chain.ok("members", "--chamber", "pool")
    assert pool["count"] == len(roster.candidates)
    assert all(m["candidate"] and not m["node"] for m in pool["members"])
    nodes = chain.ok("members", "--chamber", "node")
    queued = sorted(m["queued"] for m in nodes["members"] if m["queued"])
    assert queued == sorted(f"super #{i}" for i in range(1, len(roster.super_alternates) + 1))


def test_members__unknown_chamber__refused_naming_the_choices(chain: Devnet) -> None:
    result = chain.kol("members", "--chamber", "senate")
    assert result.exit_code == 2
    assert "'senate' is not one of 'node', 'super', 'pool'" in result.output


# ATTENDANCE (§6) #


@pytest.fixture(scope="module")
def misses(chain: Devnet) -> dict[str, str]:
    """Three super-chamber stages past their deadlines: node:20 missed all three, node:19
    voted in the first only, every other super node voted in all three."""
    a = chain.sdk(*SUPER[:3])
    for proposer, (old, new) in zip(
        SUPER[:3],
        [("node:40", "candidate:0"), ("node:41", "candidate:1"), ("node:42", "candidate:2")],
        strict=True,
    ):
        args = MotionArgs.replace(chain.address(old), chain.address(new))
        motion_id = a.propose(MotionKind.REPLACE_NODE, args, by=chain.address(proposer))
        voters = SUPER[:19] + (["node:19"] if proposer == SUPER[0] else [])
        chain.relay_votes(motion_id, 1, voters)
    chain.wait(3 * 86_400 + 60)
    return {"absent": chain.address("node:20"), "twice": chain.address("node:19")}


def test_attendance_check__two_and_three_consecutive_misses(
    chain: Devnet, misses: dict[str, str]
) -> None:
    rows = chain.ok("attendance", "check")["members"]
    by_member = {(r["member"], r["chamber"]): r for r in rows}
    absent = by_member[(misses["absent"], "super")]
    assert absent["consecutive_misses"] == 3 and absent["forfeitable"] is True
    assert absent["first_stage"] == 1
    twice = by_member[(misses["twice"], "super")]
    assert twice["consecutive_misses"] == 2 and twice["forfeitable"] is False
    assert {r["chamber"] for r in rows} == {"super"}  # the ratification missed once at most
    assert chain.ok("attendance", "check", "--chamber", "node")["members"] == []


def test_attendance_enforce__records_the_forfeiture_and_the_queue_refills(
    chain: Devnet, misses: dict[str, str]
) -> None:
    head = chain.ok("status")["queues"]["super"][0]
    result = chain.ok("attendance", "enforce", "--dev", "keeper")
    assert [f["member"] for f in result["forfeitures"]] == [misses["absent"]]
    assert result["forfeitures"][0]["seat_now"] is False
    assert result["seats"]["super_nodes"] == 21  # refilled from the super-alternate queue
    member = chain.sdk().member(misses["absent"])
    assert member.is_node and not member.is_super_node and member.super_ban_until > 0
    assert chain.sdk().member(head).is_super_node
    again = chain.ok("attendance", "enforce", "--dev", "keeper")
    assert again["forfeitures"] == []


def test_attendance_enforce__without_a_signer__usage_error(chain: Devnet) -> None:
    result = chain.kol("attendance", "enforce")
    assert result.exit_code == 2
    assert "this command signs: give --keystore FILE" in result.output


# THE SIGNER #


def test_signer__plain_private_key__refused_and_not_echoed(chain: Devnet) -> None:
    secret = "0x" + "ab" * 32
    result = chain.kol("attendance", "enforce", "--private-key", secret)
    assert result.exit_code == 2
    assert "--private-key is refused" in result.output and "kol keystore import" in result.output
    assert secret not in result.output


def test_signer__keystore_holding_a_plain_key__refused(chain: Devnet, tmp_path: Path) -> None:
    plain = tmp_path / "key.txt"
    plain.write_text("ab" * 32)
    message = chain.refused("attendance", "enforce", "--keystore", str(plain))
    assert "holds a plain private key, not a keystore" in message


def test_signer__keystore_and_its_password(chain: Devnet, tmp_path: Path) -> None:
    path = encrypt_key(chain.key("keeper"), PASSWORD, tmp_path / "keeper.json", iterations=2**4)
    signed = ["motion", "close", "1", "--keystore", str(path), "--json"]
    # unlocked: the keeper's transaction reaches the engine, which names its rule
    result = chain.kol(*signed, env={"KOL_KEYSTORE_PASSWORD": PASSWORD})
    assert result.exit_code == 1 and result.stdout == ""
    assert "motions: only a failed or lapsed motion can be closed" in result.stderr
    prompted = chain.kol(*signed, input=PASSWORD + "\n")
    assert "motions: only a failed or lapsed motion can be closed" in prompted.stderr
    wrong = chain.kol(*signed, env={"KOL_KEYSTORE_PASSWORD": "nope"})
    assert wrong.exit_code == 1 and "wrong password for the keystore" in wrong.stderr


def test_signer__unknown_dev_key__names_the_choices(chain: Devnet) -> None:
    message = chain.refused("attendance", "enforce", "--dev", "mallory", code=2)
    assert "'mallory' is not a dev key: one of administrator, foundation" in message


def test_signer__keystore_and_dev_together__refused(chain: Devnet, tmp_path: Path) -> None:
    message = chain.refused(
        "attendance", "enforce", "--dev", "keeper", "--keystore", str(tmp_path / "k"), code=2
    )
    assert "give one signer" in message


def test_signer__dev_key_on_a_chain_that_is_not_a_dev_chain__refused(
    chain: Devnet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kol.chain.rpc.is_dev_chain", lambda w3: False)
    message = chain.refused("attendance", "enforce", "--dev", "keeper", code=2)
    assert "dev chains (anvil) only, and chain 31337 is not one" in message


def test_members__chamber_is_super_after_forfeiture(chain: Devnet) -> None:
    assert chain.ok("members", "--chamber", "super")["count"] == chain.sdk().seats(Chamber.SUPER)
