"""The motion form's rules (``kol.web.propose``) over the indexed scenario: each rule of the
contracts refused with its message in both languages (a 422, never a 500), a valid motion
answered with ``propose(kind, args)`` calldata, and the genesis page's claim call."""

from __future__ import annotations

from typing import Any

import pytest
from eth_abi import decode
from eth_utils.crypto import keccak
from fastapi.testclient import TestClient

from kol.alliance import MotionArgs
from kol.web.i18n import LANGS, catalogue
from kol.web.propose import CLAIM_GENESIS, PROPOSE
from tests.indexer.scenario import ADMIN, CANDIDATES, NODES, SUPER, USERS

ZERO = "0x" + "00" * 20
NODE, SUPER_NODE, CANDIDATE, USER = NODES[9], SUPER[0], CANDIDATES[1], USERS[0]


def _bad_checksum(address: str) -> str:
    flipped = address[2:].swapcase()
    return "0x" + flipped


def _accounts(*keys: Any) -> str:
    return "\n".join(k if isinstance(k, str) else k.address for k in keys)


CASES: list[tuple[str, Any, dict[str, Any], str]] = [
    ("kind", NODE, {"kind": "6"}, "perr.kind"),
    ("kind-text", NODE, {"kind": "x"}, "perr.kind"),
    ("wallet", None, {"kind": "5", "accounts": USER.address}, "perr.wallet"),
    ("role-node", USER, {"kind": "5", "accounts": USER.address}, "perr.role.1"),
    ("role-super", NODE, {"kind": "3", "accounts": _accounts(NODES[8], USER)}, "perr.role.2"),
    ("role-candidate", NODE, {"kind": "11"}, "perr.role.5"),
    ("address", NODE, {"kind": "5", "accounts": "0x1234"}, "perr.address"),
    ("checksum", NODE, {"kind": "5", "accounts": _bad_checksum(USER.address)}, "perr.checksum"),
    ("zero", NODE, {"kind": "5", "accounts": ZERO}, "perr.zero"),
    ("count", NODE, {"kind": "5", "accounts": _accounts(USER, USERS[1])}, "perr.count"),
    ("admin", NODE, {"kind": "5", "accounts": ADMIN.address}, "perr.admin"),
    (
        "twice",
        NODE,
        {"kind": "10", "accounts": _accounts(NODES[8], NODES[8], NODES[9])},
        "perr.twice",
    ),
    (
        "super-alt",
        NODE,
        {"kind": "10", "accounts": _accounts(NODES[9], NODES[10], USER)},
        "perr.super_alternate",
    ),
    (
        "node-alt",
        CANDIDATE,
        {"kind": "11", "accounts": _accounts(*CANDIDATES[1:], USER, NODE)},
        "perr.node_alternate",
    ),
    ("old-node", SUPER_NODE, {"kind": "3", "accounts": _accounts(USER, USERS[1])}, "perr.old_node"),
    (
        "new-seated",
        SUPER_NODE,
        {"kind": "3", "accounts": _accounts(NODES[8], NODE)},
        "perr.new_seated",
    ),
    ("old-super", NODE, {"kind": "4", "accounts": _accounts(NODES[10], NODE)}, "perr.old_super"),
    ("new-node", NODE, {"kind": "4", "accounts": _accounts(SUPER[1], USER)}, "perr.new_node"),
    ("new-super", NODE, {"kind": "4", "accounts": _accounts(SUPER[1], SUPER[2])}, "perr.new_super"),
    ("params-shape", SUPER_NODE, {"kind": "12", "parameters": "1 3600"}, "perr.params_shape"),
    ("params-empty", SUPER_NODE, {"kind": "12", "parameters": ""}, "perr.params_shape"),
    ("param-unknown", SUPER_NODE, {"kind": "12", "parameters": "11=1"}, "perr.param_unknown"),
    ("param-twice", SUPER_NODE, {"kind": "12", "parameters": "1=3600\n1=7200"}, "perr.param_twice"),
    ("range-1", SUPER_NODE, {"kind": "12", "parameters": "1=3599"}, "perr.range.1"),
    ("range-2", SUPER_NODE, {"kind": "12", "parameters": "2=2592001"}, "perr.range.2"),
    ("range-3", SUPER_NODE, {"kind": "12", "parameters": "3=3600"}, "perr.range.3"),
    ("range-4", SUPER_NODE, {"kind": "12", "parameters": "4=1209601"}, "perr.range.4"),
    ("range-5", SUPER_NODE, {"kind": "12", "parameters": "5=15552001"}, "perr.range.5"),
    ("range-6", SUPER_NODE, {"kind": "12", "parameters": "6=0"}, "perr.range.6"),
    ("range-7", SUPER_NODE, {"kind": "12", "parameters": "7=315360001"}, "perr.range.7"),
    ("range-8", SUPER_NODE, {"kind": "12", "parameters": "8=-1"}, "perr.range.8"),
    ("range-9", SUPER_NODE, {"kind": "12", "parameters": "9=0"}, "perr.range.9"),
    ("range-10", SUPER_NODE, {"kind": "12", "parameters": "10=2"}, "perr.range.10"),
    ("task", NODE, {"kind": "2", "task": "0"}, "perr.task"),
    ("task-text", NODE, {"kind": "2", "task": "one"}, "perr.task"),
    ("period", NODE, {"kind": "9", "start": "2026-02-01", "end": "2026-01-01"}, "perr.period"),
    ("period-date", NODE, {"kind": "9", "start": "2026-02-30", "end": "2026-03-01"}, "perr.period"),
    ("scope", NODE, {"kind": "9", "start": "1", "end": "2", "scope": "x" * 257}, "perr.scope"),
]


def _post(site: TestClient, lang: str, proposer: Any, form: dict[str, Any]) -> Any:
    body = {**form, "proposer": proposer.address if proposer is not None else None}
    return site.post(f"/web/propose?lang={lang}", json=body)


@pytest.mark.parametrize("lang", LANGS)
def test_propose__each_rule_refused_with_its_message(site: TestClient, lang: str) -> None:
    messages = catalogue(lang)
    for name, proposer, form, rule in CASES:
        response = _post(site, lang, proposer, form)
        assert response.status_code == 422, (name, response.text)
        answer = response.json()
        assert answer["rule"] == rule, (name, answer)
        template = messages[rule].split("{")[0]
        assert answer["message"].startswith(template) or "{" not in answer["message"], name
        assert answer["message"], name


def test_propose__messages_differ_by_language(site: TestClient) -> None:
    texts = {
        lang: _post(site, lang, USER, {"kind": "5", "accounts": USER.address}).json()["message"]
        for lang in LANGS
    }
    assert texts["en"] == catalogue("en")["perr.role.1"]
    assert texts["zh-CN"] == catalogue("zh-CN")["perr.role.1"]


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", b'{"kind": null}', b'{"kind": "5", "accounts": 7, "proposer": 3}'],
)
def test_propose__garbage_is_a_422(site: TestClient, body: bytes) -> None:
    response = site.post("/web/propose", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422


def test_propose__valid_motions_get_their_calldata(site: TestClient) -> None:
    selector = "0x" + keccak(text=PROPOSE)[:4].hex()
    cases = [
        (NODE, {"kind": "5", "accounts": USER.address.lower()}, MotionArgs.new_admin(USER.address)),
        (
            SUPER_NODE,
            {"kind": "12", "parameters": "1=7200\n9=" + USER.address},
            MotionArgs(numbers=(1, 7200, 9, int(USER.address, 16))),
        ),
        (NODE, {"kind": "2", "task": "3"}, MotionArgs.approve_task(3)),
        (
            NODE,
            {"kind": "9", "start": "2026-01-01", "end": "1767312000", "scope": "fees"},
            MotionArgs.audit(1767225600, 1767312000, "fees"),
        ),
    ]
    for proposer, form, args in cases:
        response = _post(site, "en", proposer, form)
        assert response.status_code == 200, response.text
        answer = response.json()
        assert answer["data"].startswith(selector)
        kind, decoded = decode(
            ["uint8", "(address[],uint256[],bytes32[],string)"],
            bytes.fromhex(answer["data"][10:]),
        )
        assert kind == int(form["kind"])
        got = MotionArgs(tuple(decoded[0]), tuple(decoded[1]), tuple(decoded[2]), decoded[3])
        assert got.hash() == args.hash()
        assert answer["to"].lower() == site.get("/status").json()["motions"].lower()


@pytest.mark.parametrize("lang", LANGS)
def test_propose__the_page_renders(site: TestClient, lang: str) -> None:
    response = site.get(f"/web/propose?lang={lang}")
    assert response.status_code == 200
    assert 'id="propose-form"' in response.text
    assert catalogue(lang)["propose.title"] in response.text


def test_genesis__claim_button_carries_the_claim_call(site: TestClient) -> None:
    leader = site.get(f"/genesis/leaders/{NODES[1].address}").json()
    html = site.get(f"/web/genesis?address={NODES[1].address}&lang=en").text
    if not leader["claimable"] or int(leader["claimable"]) == 0:
        assert "genesis-claim-button" not in html
        return
    assert "genesis-claim-button" in html
    call = html.split('data-call="')[1].split('"')[0]
    assert call.startswith("0x" + keccak(text=CLAIM_GENESIS)[:4].hex())
    values = decode(
        ["bytes32", "uint256", "uint256", "address", "uint256", "uint256", "bytes32[]"],
        bytes.fromhex(call[10:]),
    )
    assert values[3].lower() == NODES[1].address.lower()
    assert ["0x" + p.hex() for p in values[6]] == leader["proof"]
