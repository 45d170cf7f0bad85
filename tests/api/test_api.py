"""The read API over a store indexed from a real chain: each endpoint says what the scenario
did, pages are bounded, lists are accepted only when they are the ones stated on-chain, proofs
verify, and bad input gets a 4xx with a message — never a 500."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kol.api.read import Reader
from kol.chain.anvil import Anvil
from kol.domain import allocation as batch_list
from kol.domain.allocation import Allocation
from kol.domain.merkle import verify
from kol.domain.types import Role
from kol.store import Store
from tests.indexer.scenario import (
    ABSENT,
    CANDIDATES,
    FOUNDATION,
    KOL,
    NODES,
    RELAYER,
    USERS,
    Played,
)


def ok(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def refused(client: TestClient, path: str, code: int, params: dict[str, Any] | None = None) -> str:
    response = client.get(path, params=params or {})
    assert response.status_code == code, response.text
    body = response.json()
    assert set(body) == {"error", "detail"} and body["detail"]
    return str(body["detail"])


def test_status__seats_checkpoint_and_people(client: TestClient) -> None:
    status = ok(client, "/status")
    assert status["chain_id"] == 31_337 and status["checkpoint"]["block_hash"].startswith("0x")
    assert status["seats"] == {
        "nodes": 12,
        "super_nodes": 8,
        "candidates": 3,
        "node_alternates": 0,
        "super_alternates": 1,
    }
    assert status["foundation"] == FOUNDATION.address and status["genesis_open"] is False
    assert status["motions_proposed"] == 10 and status["now"] == status["checkpoint"]["block_time"]


def test_parameters__defaults_and_the_change_made_by_motion(client: TestClient) -> None:
    items = {p["name"]: p for p in ok(client, "/parameters")["items"]}
    assert items["voting_period"] == {
        "parameter": 1,
        "name": "voting_period",
        "value": "259200",
        "changed_block": None,
    }
    assert items["notice_period"]["value"] == "3600" and items["notice_period"]["changed_block"]


def test_supply__per_bucket_exact(client: TestClient) -> None:
    supply = ok(client, "/supply")
    assert supply["genesis"] == {
        "issued": str(2_000 * KOL),
        "cap": str(5_000_000 * KOL),
        "remaining": str(5_000_000 * KOL - 2_000 * KOL),
    }
    assert supply["matched"]["issued"] == str(1_000 * KOL)
    assert (supply["burned"], supply["total_supply"]) == (str(400 * KOL), str(2_600 * KOL))
    assert int(supply["in_pools"]) + int(supply["circulating"]) == 2_600 * KOL


def test_members__roles_and_pages(client: TestClient) -> None:
    supers = ok(client, "/members", role="super", limit=500)
    assert supers["total"] == 8 and all(m["is_super"] for m in supers["items"])
    assert ABSENT.address not in {m["address"] for m in supers["items"]}
    pool = ok(client, "/members", role="candidate")
    assert {m["name"] for m in pool["items"]} == {"候补社区 1", "候补社区 2", "候补社区 3"}
    first, second = ok(client, "/members", limit=5), ok(client, "/members", limit=5, offset=5)
    assert first["total"] == second["total"] == 16
    ids = [m["member_id"] for m in first["items"] + second["items"]]
    assert ids == list(range(1, 11))
    beyond = ok(client, "/members", offset=1_000)
    assert beyond["items"] == [] and beyond["total"] == 16
    banned = ok(client, "/members", role="banned")
    assert [m["address"] for m in banned["items"]] == [ABSENT.address]


def test_member__forfeited_super_seat__ban_tenure_and_attendance(client: TestClient) -> None:
    member = ok(client, f"/members/{ABSENT.address.lower()}")
    assert (member["name"], member["is_node"], member["is_super"]) == ("社区 4", True, False)
    assert member["bans"]["super_banned"] and not member["bans"]["node_banned"]
    assert [(t["chamber"], t["left_reason"]) for t in member["tenures"]] == [
        ("node", None),
        ("super", "forfeited"),
    ]
    (forfeiture,) = member["forfeitures"]
    assert (forfeiture["chamber"], forfeiture["first_seq"], forfeiture["recorded_by"]) == (
        "super",
        1,
        RELAYER.address,
    )
    (node,) = member["attendance"]
    assert node["chamber"] == "node" and node["streak"] == 0


def test_member__attendance_counts_misses_in_a_row(client: TestClient) -> None:
    # NODES[11] was replaced; NODES[10] never voted in the node chamber after the ratification
    member = ok(client, f"/members/{NODES[10].address}")
    (node,) = member["attendance"]
    assert node["streak"] >= 2 and node["stages_in_electorate"] == 6
    ballots = ok(client, f"/members/{NODES[0].address}/ballots", limit=2)
    assert ballots["total"] > 2 and len(ballots["items"]) == 2
    newest = ballots["items"][0]["block_number"]
    assert newest >= ballots["items"][1]["block_number"]


def test_queues__the_waiting_alternates_in_order(client: TestClient) -> None:
    queues = ok(client, "/queues")
    assert queues["node"] == []
    assert [(e["address"], e["status"]) for e in queues["super"]] == [(NODES[9].address, "waiting")]
    assert ok(client, "/forfeitures")["total"] == 1


def test_motions__statuses_filters_and_order(client: TestClient) -> None:
    every = ok(client, "/motions", limit=500)
    assert every["total"] == 10 and [m["motion_id"] for m in every["items"]][:2] == [10, 9]
    assert ok(client, "/motions", order="asc", limit=1)["items"][0]["motion_id"] == 1
    failed = ok(client, "/motions", status="failed")
    assert [m["motion_id"] for m in failed["items"]] == [9] and failed["total"] == 1
    assert ok(client, "/motions", status="executed")["total"] == 9
    (parameters,) = ok(client, "/motions", kind=12)["items"]
    assert [s["chamber"] for s in parameters["stages"]] == ["super", "node"]
    by = ok(client, "/motions", proposer=FOUNDATION.address.lower())
    assert [m["kind_name"] for m in by["items"]] == ["PUBLISH_STATEMENT"]


def test_motion__stages_ballots_relayed_and_sponsors(client: TestClient) -> None:
    ratify = ok(client, "/motions/1")
    assert (ratify["kind_name"], ratify["status"]) == ("RATIFY_GENESIS_SUPER_NODES", "executed")
    (stage,) = ratify["stage_details"]
    assert (stage["electorate"], stage["threshold"], stage["votes_for"]) == (12, 4, 4)
    assert stage["describe"] == "needs 4 of 12 nodes; 4 voted for"
    relayed = [b for b in stage["ballots"] if b["relayed_by"]]
    assert len(relayed) == 2 and {b["relayed_by"] for b in relayed} == {RELAYER.address}
    assert len(ratify["args"]["accounts"]) == 7 and ratify["args"]["numbers"] == ["5"]
    replenish = ok(client, "/motions/7")
    assert replenish["sponsorship"]["body"] == "node"
    assert replenish["sponsorship"]["sponsors"] == replenish["sponsorship"]["threshold"] == 2
    assert [s["relayed_by"] for s in replenish["sponsors"]] == [None, RELAYER.address]
    refused_motion = ok(client, "/motions/9")
    (vote,) = refused_motion["stages"]
    assert (vote["status"], vote["votes_against"], vote["votes_abstain"]) == ("failed", 6, 1)


def test_stage__electorate__the_members_seated_before_it_opened(client: TestClient) -> None:
    ratify = ok(client, "/motions/1")
    stage_id = ratify["stages"][0]["stage_id"]
    electorate = ok(client, f"/stages/{stage_id}/electorate")
    assert len(electorate["members"]) == electorate["electorate"] == 12
    assert sum(1 for m in electorate["members"] if m["choice"] == "for") == 4
    assert ok(client, f"/stages/{stage_id}")["votes_for"] == 4


def test_tasks__the_client_task_matched_by_the_batch(client: TestClient) -> None:
    (task,) = ok(client, "/tasks", state="matched")["items"]
    assert (task["kind_name"], task["currency"], task["fee"]) == ("ROADSHOW", "USDT", "1000000000")
    assert (task["motion_id"], task["batch_id"]) == (2, 1)
    assert ok(client, "/tasks", state="requested")["total"] == 0
    assert ok(client, "/tasks/1") == task


def test_batch__published_list__checked_stored_and_proofs_verify(
    client: TestClient, played: tuple[Anvil, Played]
) -> None:
    p = played[1]
    batch = ok(client, "/batches/1")
    assert (batch["total"], batch["user_claimed"], batch["leader_claimed"]) == (
        str(1_000 * KOL),
        str(p.allocation.leaves[0].amount),
        str(200 * KOL),
    )
    assert batch["tasks"] == [1] and len(batch["claims"]) == 2
    tree = p.allocation.tree()
    other = Allocation.of(
        1_000 * KOL, [(USERS[0].address, Role.USER, 1), (NODES[0].address, Role.LEADER, 1)]
    )
    wrong = client.post("/batches/1/list", json=other.tree().dump())
    assert wrong.status_code == 422 and "Merkle root" in wrong.json()["detail"]
    tampered = tree.dump()
    tampered["tree"][1] = "0x" + "00" * 32
    bad = client.post("/batches/1/list", json=tampered)
    assert bad.status_code == 422 and "standard-v1" in bad.json()["detail"]
    genesis_shaped = client.post("/batches/1/list", json=p.schedule.month_tree(1).dump())
    assert (
        genesis_shaped.status_code == 422 and "a batch list has" in genesis_shaped.json()["detail"]
    )
    assert client.post("/batches/1/list", content=b"[1, 2]").status_code == 422
    stored = client.post("/batches/1/list", json=tree.dump())
    assert stored.status_code == 200 and stored.json()["leaves"] == 4
    assert client.post("/batches/1/list", json=tree.dump()).json()["stored"] is False
    assert ok(client, "/batches/1")["list_known"] is True
    for user, claimed in ((USERS[0], True), (USERS[1], False)):
        proofs = ok(client, f"/batches/1/proofs/{user.address}")
        (leaf,) = proofs["leaves"]
        assert leaf["claimed"] is claimed
        value = (leaf["index"], leaf["account"], 0, int(leaf["amount"]))
        assert verify(tree.root, batch_list.LEAF_TYPES, value, leaf["proof"])
    assert "not in the store" in refused(client, f"/batches/1/proofs/{CANDIDATES[3].address}", 404)
    assert client.post("/batches/9/list", json=tree.dump()).status_code == 404


def test_genesis__leader_entitlement_claims_and_proof(
    client: TestClient, played: tuple[Anvil, Played]
) -> None:
    schedule = played[1].schedule
    genesis = ok(client, "/genesis")
    assert (genesis["month"], genesis["cum_paid"], genesis["closed"]) == (
        1,
        str(2_000 * KOL),
        False,
    )
    stored = client.post("/genesis/months/1/list", json=schedule.month_tree(1).dump())
    assert stored.status_code == 200, stored.text
    paid = ok(client, f"/genesis/leaders/{NODES[0].address}")
    assert (paid["claimed"], paid["claimable"]) == (str(1_000 * KOL), "0")
    waiting = ok(client, f"/genesis/leaders/{NODES[1].address}")
    assert (waiting["claimed"], waiting["claimable"]) == ("0", str(1_000 * KOL))
    assert waiting["entitlements"] == [
        {"month": 1, "cum_paid": str(1_000 * KOL), "cum_forfeited": "0"}
    ]
    tree = schedule.month_tree(1)
    assert tree.verify((NODES[1].address, 1_000 * KOL, 0), waiting["proof"])
    assert ok(client, "/genesis/months/1")["list_known"] is True
    refused(client, "/genesis/months/2", 404)
    refused(client, f"/genesis/leaders/{USERS[2].address}", 404)


def test_books__statements_audits_burns_spendings(client: TestClient) -> None:
    (statement,) = ok(client, "/statements")["items"]
    assert statement["uri"] == "ipfs://statement-1"
    (audit,) = ok(client, "/audits")["items"]
    assert (audit["status"], audit["overdue"], audit["answered_overdue"]) == (
        "answered late",
        False,
        True,
    )
    assert ok(client, "/audits/1") == audit
    (burn,) = ok(client, "/burns")["items"]
    assert (burn["kol_amount"], burn["usdt_spent"]) == (str(400 * KOL), "390000000")
    (spending,) = ok(client, "/spendings")["items"]
    assert (spending["to"], spending["revenue_left"]) == (USERS[2].address, "900000000")
    claims = ok(client, "/claims", account=NODES[0].address)
    assert [c["kind"] for c in claims["items"]] == ["genesis"]


def test_events__history_filtered_and_paged(client: TestClient) -> None:
    votes = ok(client, "/events", name="Voted", limit=500)
    ballots = sum(
        s["votes_for"] + s["votes_against"] + s["votes_abstain"]
        for m in ok(client, "/motions", limit=500)["items"]
        for s in m["stages"]
    )
    assert votes["total"] == ballots == len(votes["items"])
    latest = ok(client, "/events", order="desc", limit=1)["items"][0]
    assert latest["name"] == "AuditAnswered"
    one_tx = ok(client, "/events", tx_hash=latest["tx_hash"])
    assert [e["name"] for e in one_tx["items"]] == ["AuditAnswered"]
    issued = ok(client, "/events", name="Issued", contract="token")["items"]
    assert all(isinstance(e["args"]["amount"], str) for e in issued)  # beyond 2**53: a string
    window = ok(client, "/events", from_block=10, to_block=10)
    assert {e["block_number"] for e in window["items"]} == {10}


BAD = [
    ("/members", {"limit": 0}, "limit"),
    ("/members", {"limit": 501}, "less than or equal to 500"),
    ("/members", {"offset": -1}, "offset"),
    ("/members", {"role": "king"}, "role"),
    ("/members/0x1234", {}, "not an address"),
    ("/members/0xAbCdEf0123456789aBcDeF0123456789AbCdEf01", {}, "checksum"),
    ("/motions", {"status": "won"}, "status"),
    ("/motions", {"kind": 13}, "kind"),
    ("/motions", {"proposer": "nobody"}, "not an address"),
    ("/motions/0", {}, "motion_id"),
    ("/motions/abc", {}, "motion_id"),
    ("/motions/99999999999999999999999", {}, "motion_id"),
    ("/tasks", {"state": "paid"}, "state"),
    ("/claims", {"kind": "all"}, "kind"),
    ("/events", {"from_block": 9, "to_block": 3}, "after to_block"),
    ("/events", {"tx_hash": "0x12"}, "tx_hash"),
    ("/events", {"name": "Voted; drop table events"}, "name"),
    ("/events", {"contract": "usdt"}, "contract"),
    ("/genesis/months/256", {}, "month"),
]


@pytest.mark.parametrize(("path", "params", "says"), BAD)
def test_bad_input__4xx_with_a_message(
    client: TestClient, path: str, params: dict[str, Any], says: str
) -> None:
    assert says in refused(client, path, 422, params)


@pytest.mark.parametrize(
    "path",
    [
        "/motions/99",
        "/stages/9999",
        "/stages/9999/electorate",
        "/tasks/7",
        "/batches/5",
        "/audits/3",
        f"/members/{USERS[0].address}",
        f"/members/{USERS[0].address}/ballots",
        "/no/such/endpoint",
    ],
)
def test_unknown_ids__404_with_a_message(client: TestClient, path: str) -> None:
    refused(client, path, 404)


def test_openapi__documents_every_endpoint(client: TestClient) -> None:
    spec = ok(client, "/openapi.json")
    assert {"/members/{address}", "/batches/{batch_id}/list", "/events"} <= set(spec["paths"])
    assert client.get("/docs").status_code == 200


def test_lists_folder__only_files_inside_it(tmp_path: Path, stores: dict[str, Store]) -> None:
    (tmp_path / "batch-1.json").write_text(json.dumps({}))
    with stores["sqlite"].sessions() as s:
        reader = Reader(s, 0, lists_dir=tmp_path)
        assert reader._listed_file("batch-1.json") == (tmp_path / "batch-1.json").resolve()
        assert reader._listed_file(f"file://{tmp_path}/batch-1.json") is not None
        assert reader._listed_file("../../etc/passwd") is None
        assert reader._listed_file("ipfs://batch-1.json") is None
