"""The relayer against a real anvil with the roster seated: ballots and sponsorships checked,
queued, submitted in batches and reported; every refusal a 4xx with its reason; a restart loses
nothing and sends nothing twice; the rate limit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kol.alliance import Choice, MotionArgs, MotionKind
from kol.relayer import Kind, Rejection, Relayer, RelayerSettings
from kol.relayer.checks import SECP256K1_HALF_N
from tests.relayer.devnet import CANDIDATES, NODES, Devnet

SECP256K1_N = 2 * SECP256K1_HALF_N + 1


def relayer(chain: Devnet, db: Path | str, **settings: Any) -> Relayer:
    """A relayer on the devnet with the ``relayer`` dev key and its queue in ``db``."""
    url = db if isinstance(db, str) else f"sqlite:///{db}"
    given = RelayerSettings(database_url=url, batch_interval=0.1, **settings)
    return Relayer.connect(chain.deployment, chain.key("relayer"), given, url=chain.url)


@pytest.fixture
def replace_admin(chain: Devnet) -> int:
    """A REPLACE_ADMIN motion: its node stage is open (67% of 149 nodes: 100)."""
    a = chain.sdk("node:100")
    return a.propose(
        MotionKind.REPLACE_ADMIN,
        MotionArgs.new_admin(chain.address("node:100")),
        by=chain.address("node:100"),
    )


@pytest.fixture
def client(chain: Devnet, tmp_path: Path) -> Iterator[tuple[Relayer, TestClient]]:
    from kol.relayer.app import create_app

    r = relayer(chain, tmp_path / "relayer.sqlite3")
    with TestClient(create_app(r, submit=False)) as http:
        yield r, http


def ballots(
    chain: Devnet, motion_id: int, labels: list[str], choice: Choice = Choice.FOR
) -> list[dict[str, object]]:
    a = chain.sdk()
    return [chain.ballot_json(b, motion_id) for b in chain.sign(a, labels, motion_id, 1, choice)]


# ACCEPTED AND SUBMITTED #


def test_ballots__accepted_queued_then_submitted_in_one_batch__tally_rises(
    chain: Devnet, client: tuple[Relayer, TestClient], replace_admin: int
) -> None:
    r, http = client
    a = chain.sdk()
    before = a.motion(replace_admin).stage(1)
    voters = NODES[:12]
    ids = []
    for body in ballots(chain, replace_admin, voters):
        answer = http.post("/relay/ballots", json=body)
        assert answer.status_code == 202, answer.text
        assert answer.json()["status"] == "queued"
        ids.append(answer.json()["id"])
    nonce = chain.nonce("relayer")
    assert r.pump() == 12
    assert chain.nonce("relayer") == nonce + 1  # one transaction for the batch
    after = a.motion(replace_admin).stage(1)
    assert after.votes_for == before.votes_for + 12
    views = [http.get(f"/relay/items/{i}").json() for i in ids]
    assert {v["status"] for v in views} == {"included"}
    assert {v["tx_hash"] for v in views} == {views[0]["tx_hash"]}
    assert all(
        v["result"] == {"code": 0, "name": "recorded", "recorded": True, "reason": None}
        for v in views
    )
    assert views[0]["signer"] == chain.address(voters[0]) and views[0]["choice"] == "for"
    mine = http.get("/relay/items", params={"signer": chain.address(voters[0])}).json()
    assert [i["id"] for i in mine["items"]] == [ids[0]]


def test_ballots__cli_ballot_file_shape_and_eip712_names_accepted(
    chain: Devnet, client: tuple[Relayer, TestClient], replace_admin: int
) -> None:
    r, http = client
    a = chain.sdk()
    [b1, b2] = chain.sign(a, ["node:30", "node:31"], replace_admin, 1, Choice.AGAINST)
    as_file = {  # what `kol motion vote --sign` writes
        "format": "kol-alliance/ballot@1",
        "chain_id": chain.deployment.chain_id,
        "council": chain.deployment.council,
        "motion_id": replace_admin,
        "stage": 1,
        "stage_id": b1.stage_id,
        "voter": b1.voter,
        "choice": "against",
        "expiry": b1.expiry,
        "v": b1.v,
        "r": "0x" + b1.r.hex(),
        "s": "0x" + b1.s.hex(),
    }
    assert http.post("/relay/ballots", json=as_file).status_code == 202
    typed = http.get(
        "/relay/typed-data/ballot",
        params={"voter": b2.voter, "stage_id": b2.stage_id, "choice": "against"},
    ).json()
    message = typed["message"]
    assert message["motionId"] == str(replace_admin) and message["expiry"] == str(b2.expiry)
    signature = "0x" + (b2.r + b2.s + bytes([b2.v])).hex()
    assert http.post("/relay/ballots", json={**message, "signature": signature}).status_code == 202
    r.flush()
    assert a.motion(replace_admin).stage(1).votes_against == 2


def test_sponsorships__accepted_and_relayed__sponsors_counted(
    chain: Devnet, client: tuple[Relayer, TestClient]
) -> None:
    r, http = client
    a = chain.sdk("candidate:30")
    pool = [chain.address(c) for c in CANDIDATES[20:25]]
    motion_id = a.propose(
        MotionKind.REPLENISH_NODE_ALTERNATES,
        MotionArgs.alternates(pool),
        by=chain.address("candidate:30"),
    )
    ids = []
    for label in CANDIDATES[31:34]:
        signed = a.sign_sponsorship(chain.key(label), motion_id)
        body = {
            "sponsor": signed.sponsor,
            "motion_id": motion_id,
            "expiry": signed.expiry,
            "signature": "0x" + (signed.r + signed.s + bytes([signed.v])).hex(),
        }
        answer = http.post("/relay/sponsorships", json=body)
        assert answer.status_code == 202, answer.text
        ids.append(answer.json()["id"])
    node = a.sign_sponsorship(chain.key("node:40"), motion_id)
    wrong_body = http.post(
        "/relay/sponsorships",
        json={"sponsor": node.sponsor, "motion_id": motion_id, "expiry": node.expiry, "v": node.v,
              "r": "0x" + node.r.hex(), "s": "0x" + node.s.hex()},
    )  # fmt: skip
    assert wrong_body.status_code == 422 and wrong_body.json()["error"] == "not_in_body"
    assert "candidate pool" in wrong_body.json()["reason"]
    assert r.pump() == 3
    round_ = a.sponsorship(motion_id)
    assert round_ is not None and round_.sponsors == 3
    assert {http.get(f"/relay/items/{i}").json()["status"] for i in ids} == {"included"}


def test_ballot__skipped_on_chain__included_with_the_councils_reason(
    chain: Devnet, tmp_path: Path, replace_admin: int
) -> None:
    """A ballot that passed the checks but whose voter voted by its own transaction before the
    batch landed: the council skips it and the item says why."""
    r = relayer(chain, tmp_path / "q.sqlite3")
    [body] = ballots(chain, replace_admin, ["node:50"])
    item = r.accept(Kind.BALLOT, body)
    chain.sdk("node:50").vote(replace_admin, 1, Choice.ABSTAIN, by=chain.address("node:50"))
    r.pump()
    view = r.describe(r.queue.get(item.id))  # type: ignore[arg-type]
    assert view["status"] == "included"
    assert view["result"]["name"] == "already_voted" and not view["result"]["recorded"]
    assert view["result"]["reason"] == "ballots: voter already voted in this stage"


# REFUSED #


def _refused(
    http: TestClient,
    body: Any,
    status: int,
    error: str,
    *,
    path: str = "/relay/ballots",
    raw: bytes | None = None,
) -> str:
    answer = http.post(path, content=raw) if raw is not None else http.post(path, json=body)
    assert answer.status_code == status, answer.text
    payload = answer.json()
    assert payload["error"] == error, payload
    assert isinstance(payload["reason"], str) and payload["reason"]
    return str(payload["reason"])


def test_refused__garbage_bad_signatures_outsiders_expired_duplicates_oversized(
    chain: Devnet, client: tuple[Relayer, TestClient], replace_admin: int
) -> None:
    r, http = client
    a = chain.sdk()
    [good] = ballots(chain, replace_admin, ["node:60"])
    # garbage
    _refused(http, None, 400, "malformed", raw=b"{not json")
    _refused(http, None, 400, "malformed", raw=b"\xff\xfe")
    _refused(http, [good], 400, "malformed")
    assert "voter" in _refused(http, {**good, "voter": "0x1234"}, 400, "malformed")
    assert "choice" in _refused(http, {**good, "choice": 7}, 400, "malformed")
    assert "signature" in _refused(http, {**good, "signature": "0x" + "00" * 64}, 400, "malformed")
    missing = {k: v for k, v in good.items() if k != "stage_id"}
    assert "stage_id" in _refused(http, missing, 400, "malformed")
    # too large, whether it says so or not
    _refused(http, None, 413, "too_large", raw=b'{"pad": "' + b"x" * 20_000 + b'"}')
    # another key's signature
    [other] = ballots(chain, replace_admin, ["node:61"])
    stolen = {**good, "signature": other["signature"]}
    assert "not " + str(good["voter"]) + "'s" in _refused(http, stolen, 422, "bad_signature")
    # the malleable twin of a good signature (s → n − s, v flipped): the council refuses it
    sig = bytes.fromhex(str(good["signature"])[2:])
    high_s = (SECP256K1_N - int.from_bytes(sig[32:64], "big")).to_bytes(32, "big")
    twin = {**good, "signature": "0x" + (sig[:32] + high_s + bytes([55 - sig[64]])).hex()}
    assert "high-s" in _refused(http, twin, 422, "bad_signature")
    assert "27 or 28" in _refused(
        http, {**good, "signature": str(good["signature"])[:-2] + "05"}, 422, "bad_signature"
    )
    # signed for another motion than the stage's, another chain
    assert "not of motion" in _refused(
        http, {**good, "motion_id": replace_admin + 1}, 422, "wrong_motion"
    )
    _refused(http, {**good, "chain_id": 1}, 422, "wrong_chain")
    _refused(http, {**good, "stage_id": 999_998}, 422, "no_such_stage")
    # not in the electorate: a candidate is no node
    [outsider] = [
        chain.ballot_json(
            a.sign_ballot(chain.key("candidate:3"), replace_admin, 1, Choice.FOR), replace_admin
        )
    ]
    assert "not seated among the nodes" in _refused(http, outsider, 422, "not_in_electorate")
    # expired
    stale = chain.ballot_json(
        a.sign_ballot(chain.key("node:62"), replace_admin, 1, Choice.FOR, expiry=a.now() - 10),
        replace_admin,
    )
    assert "expired" in _refused(http, stale, 422, "expired")
    # nothing of this was queued
    assert r.queue.counts() == {"queued": 0, "submitted": 0, "included": 0, "rejected": 0}
    # duplicates: queued already, then voted on-chain
    assert http.post("/relay/ballots", json=good).status_code == 202
    assert "already with the relayer" in _refused(http, good, 409, "duplicate")
    r.pump()
    assert "already voted" in _refused(http, good, 409, "duplicate")
    # a stage whose deadline has passed
    chain.wait(4 * 86_400)
    [late] = ballots(chain, replace_admin, ["node:63"])
    assert "deadline has passed" in _refused(http, late, 422, "stage_closed")
    assert http.get("/relay/items/999").status_code == 404
    assert http.get("/relay/items/abc").status_code == 400
    assert r.queue.counts()["queued"] == 0


def test_queued_item__its_stage_closes_before_it_is_sent__rejected_with_reason(
    chain: Devnet, tmp_path: Path, replace_admin: int
) -> None:
    r = relayer(chain, tmp_path / "q.sqlite3")
    [body] = ballots(chain, replace_admin, ["node:70"])
    item = r.accept(Kind.BALLOT, body)
    chain.wait(4 * 86_400)
    nonce = chain.nonce("relayer")
    assert r.pump() == 0
    assert chain.nonce("relayer") == nonce  # nothing sent
    view = r.describe(r.queue.get(item.id))  # type: ignore[arg-type]
    assert view["status"] == "rejected" and "deadline passed" in view["reason"]


# RESTARTS #


class Crash(BaseException):
    """The process dies here (not an Exception: nothing catches it)."""


def _accept_all(r: Relayer, bodies: list[dict[str, object]]) -> list[int]:
    return [r.accept(Kind.BALLOT, body).id for body in bodies]


def test_restart__queued_items_survive_and_are_sent_once(
    chain: Devnet, tmp_path: Path, replace_admin: int
) -> None:
    db = tmp_path / "q.sqlite3"
    first = relayer(chain, db)
    ids = _accept_all(first, ballots(chain, replace_admin, NODES[80:85]))
    first.queue.close()  # the process stops with five items queued
    second = relayer(chain, db)
    assert second.queue.counts()["queued"] == 5
    nonce = chain.nonce("relayer")
    second.flush()
    assert chain.nonce("relayer") == nonce + 1
    assert {second.describe(second.queue.get(i))["status"] for i in ids} == {"included"}  # type: ignore[arg-type]
    assert chain.sdk().motion(replace_admin).stage(1).votes_for == 5


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The queue's database: a SQLite file, or a fresh database on the machine's PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'q.sqlite3'}"
        return
    from tests.store.support import postgres_database

    with postgres_database() as url:
        yield url


@pytest.mark.parametrize("when", ["before sending", "after sending"])
def test_restart__crash_between_submit_and_mark__reconciled_nothing_sent_twice(
    chain: Devnet, database: str, replace_admin: int, when: str
) -> None:
    db = database
    first = relayer(chain, db)
    ids = _accept_all(first, ballots(chain, replace_admin, NODES[90:96]))
    send = first.submitter.broadcast

    def crashing(raw: bytes) -> None:
        if when == "after sending":
            send(raw)
        raise Crash

    first.submitter.broadcast = crashing  # type: ignore[method-assign]
    nonce = chain.nonce("relayer")
    with pytest.raises(Crash):
        first.pump()
    # the transaction was recorded with its items before it was sent
    assert {first.describe(first.queue.get(i))["status"] for i in ids} == {"submitted"}  # type: ignore[arg-type]
    assert chain.nonce("relayer") == nonce + (1 if when == "after sending" else 0)
    first.queue.close()

    second = relayer(chain, db)
    second.flush()
    assert chain.nonce("relayer") == nonce + 1  # one transaction, whatever happened
    views = [second.describe(second.queue.get(i)) for i in ids]  # type: ignore[arg-type]
    assert {v["status"] for v in views} == {"included"}
    assert all(v["result"]["recorded"] for v in views)
    assert chain.sdk().motion(replace_admin).stage(1).votes_for == 6
    voted = chain.sdk().backend.events("council", "Voted", stage_id=views[0]["stage_id"])  # type: ignore[attr-defined]
    assert len(voted) == 6


# RATE LIMIT #


def test_rate_limit__per_signer_and_per_client(
    chain: Devnet, tmp_path: Path, replace_admin: int
) -> None:
    from kol.relayer.app import create_app

    r = relayer(
        chain,
        tmp_path / "q.sqlite3",
        signer_burst=2,
        signer_per_minute=1,
        client_burst=8,
        client_per_minute=1,
    )
    [mine, other] = ballots(chain, replace_admin, ["node:110", "node:111"])
    with TestClient(create_app(r, submit=False)) as http:
        assert http.post("/relay/ballots", json=mine).status_code == 202
        assert (
            http.post("/relay/ballots", json=mine).status_code == 409
        )  # a token spent all the same
        limited = http.post("/relay/ballots", json=mine)
        assert limited.status_code == 429 and limited.json()["error"] == "rate_limited"
        assert int(limited.headers["Retry-After"]) > 0
        assert chain.address("node:110") in limited.json()["reason"]
        assert http.post("/relay/ballots", json=other).status_code == 202  # another signer's bucket
        # garbage cannot drain a signer's bucket, but it spends the client's
        for _ in range(4):
            assert http.post("/relay/ballots", content=b"nope").status_code == 400
        assert http.post("/relay/ballots", content=b"nope").status_code == 429


# CONTRACT WALLETS (ERC-1271) #

APPROVES = bytes.fromhex("631626ba7e60e01b60005260206000f3")
"""Runtime code answering 0x1626ba7e… to any call: a wallet that approves every signature."""
REFUSES = bytes.fromhex("60206000f3")
"""Runtime code answering 32 zero bytes: a wallet that approves nothing."""


def _wallet(chain: Devnet, label: str, code: bytes) -> str:
    from eth_account import Account
    from eth_utils.crypto import keccak

    from kol.chain.anvil import rpc_request

    address = str(Account.from_key(keccak(text=f"kol-relayer-test:{label}")).address)
    rpc_request(chain.url, "anvil_setCode", [address, "0x" + code.hex()])
    return address


def test_wallet_ballot__erc1271_checked_by_eth_call_and_relayed_by_cast_wallet_ballots(
    chain: Devnet, tmp_path: Path
) -> None:
    wallet = _wallet(chain, "approving", APPROVES)
    refusing = _wallet(chain, "refusing", REFUSES)
    # the super nodes seat the wallet as a node in node:80's place (REPLACE_NODE, 33%)
    a = chain.sdk("node:4", "node:100", "relayer")
    args = MotionArgs.replace(chain.address("node:80"), wallet)
    replace = a.propose(MotionKind.REPLACE_NODE, args, by=chain.address("node:4"))
    voters = [f"node:{i}" for i in range(7)]
    a.relay(chain.sign(a, voters, replace, 1, Choice.FOR), by=chain.address("relayer"))
    a.execute(replace, args, by=chain.address("node:4"))
    assert a.member(wallet).is_node
    motion_id = a.propose(
        MotionKind.REPLACE_ADMIN, MotionArgs.new_admin(chain.address("node:100")),
        by=chain.address("node:100"),
    )  # fmt: skip
    stage_id = a.stage_id(motion_id, 1)
    deadline = a.stage(stage_id).deadline
    r = relayer(chain, tmp_path / "q.sqlite3")
    long_signature = "0x" + "ab" * 100  # a multisig's signature is longer than a key's
    body = {"voter": refusing, "stage_id": stage_id, "choice": "for", "expiry": deadline,
            "signature": long_signature}  # fmt: skip
    with pytest.raises(Rejection) as refused:
        r.accept(Kind.BALLOT, body)
    assert refused.value.code == "bad_signature" and "ERC-1271" in refused.value.reason
    item = r.accept(Kind.BALLOT, {**body, "voter": wallet})
    assert item.route == "cast_wallet_ballots"
    assert r.pump() == 1
    view = r.describe(r.queue.get(item.id))  # type: ignore[arg-type]
    assert view["status"] == "included" and view["result"]["recorded"]
    assert a.stage(stage_id).votes_for == 1 and a.has_voted(stage_id, wallet)
