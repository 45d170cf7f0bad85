"""The relayer, attacked, against anvil with the roster seated: garbage of every kind, oversized
bodies (declared or streamed), duplicates posted at once from many threads, floods from many
signers and from one client — each answered with the right 4xx and a message, nothing queued
that should not be —; and ``kol relayer serve`` killed with SIGKILL at random moments around its
submissions, several times, then restarted: no ballot lost, none submitted twice (the council's
``Voted`` events per voter and the queue's rows are counted).

``test_relayer.py`` has the refusals one by one and the crash at the two points around sending;
this file attacks in bulk, at once and at random."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kol.alliance import Choice, MotionArgs, MotionKind
from kol.chain.anvil import free_port, rpc_request
from kol.relayer import Kind, Relayer, RelayerSettings
from kol.relayer.app import create_app
from kol.relayer.queue import Item, Submission
from tests.relayer.devnet import Devnet

ROUNDS: Final = 6
"""Times ``kol relayer serve`` is killed with ballots queued."""
BALLOTS: Final = 60
"""Ballots queued before the first kill (batches of 7: nine transactions)."""


def relayer(chain: Devnet, url: str, *, key: bool = True, **settings: Any) -> Relayer:
    given = RelayerSettings(database_url=url, batch_interval=0.1, **settings)
    signer = chain.key("relayer") if key else None
    return Relayer.connect(chain.deployment, signer, given, url=chain.url)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'q.sqlite3'}"
        return
    from tests.store.support import postgres_database

    with postgres_database() as url:
        yield url


@pytest.fixture
def motion(chain: Devnet) -> int:
    """A REPLACE_ADMIN motion whose node stage is open (100 of 149 nodes pass it)."""
    a = chain.sdk("node:100")
    args = MotionArgs.new_admin(chain.address("node:100"))
    return a.propose(MotionKind.REPLACE_ADMIN, args, by=chain.address("node:100"))


def signed(
    chain: Devnet, motion_id: int, labels: list[str], choice: Choice = Choice.FOR
) -> list[dict[str, Any]]:
    a = chain.sdk()
    return [chain.ballot_json(b, motion_id) for b in chain.sign(a, labels, motion_id, 1, choice)]


def _is_refusal(answer: httpx.Response, status: int, error: str | None = None) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    body: dict[str, Any] = answer.json()
    assert set(body) == {"error", "reason", "detail"}, body
    assert isinstance(body["reason"], str) and body["reason"] and body["detail"] == body["reason"]
    if error is not None:
        assert body["error"] == error, body
    return body


class Served:
    """The relayer's application served by uvicorn on 127.0.0.1 in a thread (real HTTP: bodies
    streamed, requests truly concurrent)."""

    def __init__(self, r: Relayer) -> None:
        self.port = free_port()
        config = uvicorn.Config(
            create_app(r, submit=False), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "uvicorn did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)


# GARBAGE #


def _garbage(good: dict[str, Any]) -> list[tuple[str, Any, str]]:
    """(what, body, a word the reason must name): every one a 400 before any chain read."""
    sig = str(good["signature"])
    vrs = {k: v for k, v in good.items() if k != "signature"}
    vrs.update(v=int(sig[-2:], 16), r="0x" + sig[2:66], s="0x" + sig[66:130])
    return [
        ("an array", [good], "one JSON object"),
        ("a string", "ballot", "one JSON object"),
        ("a number", 7, "one JSON object"),
        ("null", None, "one JSON object"),
        ("voter a number", {**good, "voter": 12}, "voter"),
        ("voter short", {**good, "voter": "0x1234"}, "voter"),
        ("voter no 0x", {**good, "voter": str(good["voter"])[2:]}, "voter"),
        ("voter bad checksum", {**good, "voter": str(good["voter"]).swapcase()}, "voter"),
        ("voter missing", {k: v for k, v in good.items() if k != "voter"}, "voter"),
        ("stage a float", {**good, "stage_id": 1.5}, "stage_id"),
        ("stage a bool", {**good, "stage_id": True}, "stage_id"),
        ("stage a list", {**good, "stage_id": [1]}, "stage_id"),
        ("stage negative", {**good, "stage_id": -1}, "stage_id"),
        ("stage 2**63", {**good, "stage_id": 2**63}, "stage_id"),
        ("stage 10**80", {**good, "stage_id": 10**80}, "stage_id"),
        ("stage in hex", {**good, "stage_id": "0x1"}, "stage_id"),
        ("stage superscript", {**good, "stage_id": "\u00b2"}, "stage_id"),
        ("stage arabic digits", {**good, "stage_id": "\u0661"}, "stage_id"),
        ("stage fullwidth", {**good, "stage_id": "\uff11"}, "stage_id"),
        ("choice 7", {**good, "choice": 7}, "choice"),
        ("choice null", {**good, "choice": None}, "choice"),
        ("choice words", {**good, "choice": "maybe"}, "choice"),
        ("choice superscript", {**good, "choice": "\u00b9"}, "choice"),
        ("expiry negative", {**good, "expiry": -5}, "expiry"),
        ("expiry 2**256", {**good, "expiry": 2**256}, "expiry"),
        ("expiry 79 digits", {**good, "expiry": "9" * 79}, "expiry"),
        ("expiry exponent", {**good, "expiry": "1e9"}, "expiry"),
        ("expiry superscript", {**good, "expiry": "1\u00b2"}, "expiry"),
        ("motion superscript", {**good, "motion_id": "\u00b3"}, "motion_id"),
        ("chain superscript", {**good, "chain_id": "\u00b3"}, "chain_id"),
        ("signature a number", {**good, "signature": 5}, "signature"),
        ("signature no 0x", {**good, "signature": sig[2:]}, "signature"),
        ("signature bad hex", {**good, "signature": "0x" + "zz" * 65}, "signature"),
        ("signature odd length", {**good, "signature": sig + "0"}, "signature"),
        ("signature 64 bytes", {**good, "signature": sig[:-2]}, "signature"),
        ("signature 1025 bytes", {**good, "signature": "0x" + "ab" * 1025}, "signature"),
        ("signature missing", {k: v for k, v in good.items() if k != "signature"}, "signature"),
        ("v missing", {**vrs, "v": None}, "v"),
        ("r 31 bytes", {**vrs, "r": "0x" + sig[4:66]}, "r"),
        ("s bad hex", {**vrs, "s": "0x" + "g" * 64}, "s"),
        ("v 300", {**vrs, "v": 300}, "v"),
        ("v superscript", {**vrs, "v": "\u00b2\u2077"}, "v"),
    ]


RAW_GARBAGE: Final = [
    b"",
    b"{not json",
    b"\xff\xfe\x00",
    b'{"voter": "0x' + b"\x00" * 10 + b'"',
    b"[" * 3_000 + b"]" * 3_000,  # deeper than the JSON parser recurses
    b"NaN",
    b'"\xed\xa0\x80"',  # a lone surrogate in UTF-8
]


def test_garbage__every_shape_400_with_the_field_named__nothing_queued(
    chain: Devnet, tmp_path: Path, motion: int
) -> None:
    r = relayer(chain, f"sqlite:///{tmp_path / 'q.sqlite3'}", client_burst=1_000)
    [good] = signed(chain, motion, ["node:60"])
    [sponsor] = signed(chain, motion, ["node:61"])
    cases = _garbage(good)
    with TestClient(create_app(r, submit=False)) as http:
        for what, body, field in cases:
            answer = http.post("/relay/ballots", content=json.dumps(body))
            refusal = _is_refusal(answer, 400, "malformed")
            assert field in refusal["reason"], (what, refusal)
        for raw in RAW_GARBAGE:
            _is_refusal(http.post("/relay/ballots", content=raw), 400, "malformed")
            _is_refusal(http.post("/relay/sponsorships", content=raw), 400, "malformed")
        for body in (
            {**sponsor, "sponsor": 1},
            {"sponsor": sponsor["voter"], "motion_id": "\u00b2"},
        ):
            _is_refusal(http.post("/relay/sponsorships", json=body), 400, "malformed")
        # the query strings of the reading routes, the same digits
        for path in ("/relay/items/\u00b2", "/relay/items/\u0661\u0662", "/relay/items/-1"):
            _is_refusal(http.get(path), 400, "malformed")
        signer = {"signer": str(good["voter"])}
        for limit in ("\u00b2", "-3", "x", "9" * 100):
            answer = http.get("/relay/items", params={**signer, "limit": limit})
            _is_refusal(answer, 400, "malformed")
        for params in (
            {"voter": good["voter"], "stage_id": "\u00b2", "choice": "for"},
            {"voter": good["voter"], "stage_id": good["stage_id"], "choice": "\u00b9"},
            {"voter": good["voter"], "stage_id": good["stage_id"], "choice": "for",
             "expiry": "\u00b2"},
            {"voter": "0x12", "stage_id": good["stage_id"], "choice": "for"},
        ):  # fmt: skip
            _is_refusal(http.get("/relay/typed-data/ballot", params=params), 400, "malformed")
        _is_refusal(
            http.get("/relay/typed-data/sponsorship", params={"motion_id": "\u00b2"}),
            400,
            "malformed",
        )
        assert r.queue.counts() == {"queued": 0, "submitted": 0, "included": 0, "rejected": 0}
        # and the good ballot still goes through after all that
        assert http.post("/relay/ballots", json=good).status_code == 202
    assert r.queue.counts()["queued"] == 1
    print(f"garbage: {len(cases) + 2 * len(RAW_GARBAGE) + 2 + 3 + 4 + 4 + 1} requests refused")


# OVERSIZED #


def _raw_post(port: int, head: bytes, chunks: list[bytes]) -> tuple[int, bytes]:
    """An HTTP/1.1 POST written by hand (so the body may be chunked or lie); status and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        try:
            for chunk in chunks:
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before the whole body was sent
        answer = b""
        while b"\r\n\r\n" not in answer or len(answer.split(b"\r\n\r\n", 1)[1]) < _length(answer):
            data = sock.recv(65_536)
            if not data:
                break
            answer += data
    status = int(answer.split(b" ", 2)[1])
    return status, answer.split(b"\r\n\r\n", 1)[1]


def _length(answer: bytes) -> int:
    for line in answer.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def test_oversized__declared_streamed_or_at_the_limit(
    chain: Devnet, tmp_path: Path, motion: int
) -> None:
    r = relayer(chain, f"sqlite:///{tmp_path / 'q.sqlite3'}")
    limit = r.settings.max_body_bytes
    [good] = signed(chain, motion, ["node:62"])
    exact = json.dumps(good).encode()
    exact = exact[:-1] + b" " * (limit - len(exact)) + b"}"  # padded to the limit exactly
    assert len(exact) == limit
    with Served(r) as served:
        # declared too large: refused before the body is read
        head = (
            b"POST /relay/ballots HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % (limit + 1)
        )
        status, body = _raw_post(served.port, head, [b"{" + b" " * limit])
        assert status == 413 and json.loads(body)["error"] == "too_large"
        declared_huge = head.replace(b"%d" % (limit + 1), b"99999999999999999999")
        status, body = _raw_post(served.port, declared_huge, [b"{}"])
        assert status == 413 and json.loads(body)["error"] == "too_large"
        # streamed without a length (chunked): refused once the limit is passed
        chunked = (
            b"POST /relay/ballots HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        piece = b" " * 1_000
        chunks = [b"%x\r\n%s\r\n" % (len(piece), piece) for _ in range(64)] + [b"0\r\n\r\n"]
        status, body = _raw_post(served.port, chunked, [b"1\r\n{\r\n", *chunks])
        assert status == 413 and "8,192 bytes" in json.loads(body)["reason"]
        # one byte over, one byte under
        over = httpx.post(f"{served.base}/relay/ballots", content=exact + b" ")
        _is_refusal(over, 413, "too_large")
        at_limit = httpx.post(f"{served.base}/relay/ballots", content=exact)
        assert at_limit.status_code == 202, at_limit.text
    assert r.queue.counts()["queued"] == 1


# DUPLICATES, AT ONCE #


def test_duplicates__posted_at_once_from_threads__one_queued_the_rest_409(
    chain: Devnet, database: str, motion: int
) -> None:
    """Thirty-two threads post at the same instant: one voter's ballot eight times with the
    same signature and eight times with another (another choice, another expiry), and eight
    more voters' ballots twice each: one item per voter is queued, every other answer is
    409 naming the item that holds the voter's place."""
    r = relayer(chain, database, key=False, signer_burst=100, client_burst=1_000)
    a = chain.sdk()
    [same] = signed(chain, motion, ["node:64"])
    deadline = a.stage(int(same["stage_id"])).deadline
    others = [
        chain.ballot_json(
            a.sign_ballot(chain.key("node:64"), motion, 1, choice, expiry=deadline - n), motion
        )
        for n, choice in enumerate([Choice.AGAINST, Choice.ABSTAIN, Choice.FOR] * 3)
    ][:8]
    assert len({b["signature"] for b in [same, *others]}) == 9
    many = signed(chain, motion, [f"node:{i}" for i in range(65, 73)])
    bodies = [same] * 8 + others + many + many
    start = threading.Barrier(len(bodies))
    with Served(r) as served, httpx.Client(base_url=served.base, timeout=60) as http:

        def post(body: dict[str, Any]) -> httpx.Response:
            start.wait(30)
            return http.post("/relay/ballots", json=body)

        with ThreadPoolExecutor(len(bodies)) as pool:
            answers = list(pool.map(post, bodies))
    statuses = Counter(answer.status_code for answer in answers)
    assert statuses == {202: 9, 409: 8 + 8 + 8 - 1}, [a.text for a in answers]
    for answer in answers:
        if answer.status_code == 409:
            assert (
                "already with the relayer (item " in _is_refusal(answer, 409, "duplicate")["reason"]
            )
    with r.queue.sessions() as session:
        rows = session.execute(select(Item.signer, func.count()).group_by(Item.signer)).all()
    assert sorted(n for _, n in rows) == [1] * 9
    assert {signer for signer, _ in rows} == {chain.address(f"node:{i}") for i in range(64, 73)}


# FLOODS #


def test_flood__many_signers_all_queued__one_client_limited_with_retry_after(
    chain: Devnet, tmp_path: Path, motion: int
) -> None:
    """Ninety signers' ballots from one client: each queued once. Then one client floods:
    past its burst every request is a 429 with Retry-After, and none of them queued."""
    burst = 100
    r = relayer(
        chain,
        f"sqlite:///{tmp_path / 'q.sqlite3'}",
        key=False,
        client_burst=burst,
        client_per_minute=0.01,  # no token comes back during the test
    )
    voters = [f"node:{i}" for i in range(10, 100)]
    bodies = signed(chain, motion, voters)
    late = signed(chain, motion, ["node:100", "node:101", "node:102"])
    with TestClient(create_app(r, submit=False)) as http:
        accepted = [http.post("/relay/ballots", json=body) for body in bodies]
        assert {a.status_code for a in accepted} == {202}
        # the client's remaining burst goes on duplicates and garbage, then the flood is cut
        answers = [http.post("/relay/ballots", json=body) for body in bodies[:6]]
        answers += [http.post("/relay/ballots", content=b"x") for _ in range(4)]
        assert [a.status_code for a in answers] == [409] * 6 + [400] * 4
        flood = [http.post("/relay/ballots", json=body) for body in late * 20]
        for answer in flood:
            _is_refusal(answer, 429, "rate_limited")
            assert int(answer.headers["Retry-After"]) > 0
        assert "too many requests from" in flood[0].json()["reason"]
    assert r.queue.counts()["queued"] == len(voters)
    queued = {item.signer for item in r.queue.queued("cast_ballots", 500)}
    assert queued == {chain.address(v) for v in voters}
    print(f"flood: {len(bodies) + len(answers) + len(flood)} requests, {len(flood)} limited")


# SIGKILL AROUND SUBMISSION #


def _serve(chain: Devnet, db: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "KOL_DEPLOYMENT": str(chain.root / "deployment.json")}
    command = "from kol.cli import main; main()"
    process = subprocess.Popen(
        [sys.executable, "-c", command, "relayer", "serve", "--dev", "relayer", "--db", db,
         "--port", str(port), "--batch-size", "7", "--interval", "0.1"],
        env=env, stdout=subprocess.DEVNULL, stderr=log.open("ab"),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/relay"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base, timeout=2).status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "kol relayer serve did not answer"
        time.sleep(0.05)


def test_sigkill__at_random_moments_around_submission__nothing_lost_nothing_twice(
    chain: Devnet, database: str, motion: int, tmp_path: Path
) -> None:
    """Sixty ballots queued; blocks mined every second so that each batch is in flight for a
    while; ``kol relayer serve`` (batches of 7) killed with SIGKILL at a random moment, six
    times, a few more ballots posted to it each time; then left to finish. Every voter is
    recorded on-chain exactly once, every item included, and every transaction the relayer
    signed is one nonce: none was sent twice or replaced."""
    rng = random.Random(20_260_112)
    accepting = relayer(chain, database, key=False)
    voters = [f"node:{i}" for i in range(BALLOTS)]
    for body in signed(chain, motion, voters):
        accepting.accept(Kind.BALLOT, body)
    extra = signed(chain, motion, [f"node:{i}" for i in range(BALLOTS, BALLOTS + 2 * ROUNDS)])
    nonce = chain.nonce("relayer")
    log = tmp_path / "relayer.log"
    rpc_request(chain.url, "evm_setAutomine", [False])
    rpc_request(chain.url, "evm_setIntervalMining", [1])
    kills: list[tuple[float, dict[str, int]]] = []
    try:
        for round_ in range(ROUNDS):
            process, base = _serve(chain, database, log)
            for body in extra[2 * round_ : 2 * round_ + 2]:
                posted = httpx.post(f"{base}/ballots", json=body, timeout=30)
                assert posted.status_code == 202, posted.text
            delay = rng.uniform(0.0, 2.5)
            time.sleep(delay)
            process.kill()  # SIGKILL: no handler runs, nothing is flushed
            process.wait(30)
            assert process.returncode == -signal.SIGKILL
            kills.append((round(delay, 2), accepting.queue.counts()))
        process, base = _serve(chain, database, log)
        try:
            deadline = time.monotonic() + 180
            while True:
                counts = httpx.get(base, timeout=10).json()["queue"]
                if counts["queued"] == 0 and counts["submitted"] == 0:
                    break
                assert time.monotonic() < deadline, (counts, log.read_text()[-3_000:])
                time.sleep(0.2)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(60)
    finally:
        rpc_request(chain.url, "evm_setIntervalMining", [0])
        rpc_request(chain.url, "evm_setAutomine", [True])
    print(f"kills (delay, queue then): {kills}")
    assert any(counts["submitted"] for _, counts in kills), "no kill landed mid-submission"
    everyone = {chain.address(v) for v in voters} | {str(b["voter"]) for b in extra}
    stage_id = int(extra[0]["stage_id"])
    voted = chain.sdk().backend.events("council", "Voted", stage_id=stage_id)  # type: ignore[attr-defined]
    per_voter = Counter(str(v["voter"]) for v in voted)
    assert set(per_voter) == everyone and set(per_voter.values()) == {1}
    with accepting.queue.sessions() as session:
        items = list(session.scalars(select(Item)))
        submissions = list(session.scalars(select(Submission)))
    assert len(items) == len(everyone) and {i.signer for i in items} == everyone
    assert {(i.status, i.result_code) for i in items} == {("included", 0)}
    mined = [s for s in submissions if s.status == "mined"]
    assert {s.status for s in submissions} == {"mined"}  # none dropped, replaced or reverted
    assert sorted(s.nonce for s in mined) == list(range(nonce, nonce + len(mined)))
    assert chain.nonce("relayer") == nonce + len(mined)
    assert sum(1 for i in items if i.submission_id is not None) == len(everyone)
