"""Every page of the dapp answers 200 in both languages over a store indexed from a real chain,
says what the scenario did, and bad ids or addresses get a 404 page — never a 500."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from kol.web.i18n import LANGS, catalogue
from tests.indexer.scenario import ABSENT, NODES, USERS

PAGES = [
    "/web/",
    "/web/members",
    "/web/members?role=super",
    "/web/members?role=banned&page=2",
    f"/web/members/{NODES[0].address}",
    "/web/motions",
    "/web/motions/1",
    "/web/tasks",
    "/web/batches",
    "/web/batches/1",
    "/web/claims",
    f"/web/claims?address={USERS[1].address}",
    "/web/genesis",
    f"/web/genesis?address={NODES[1].address}",
    "/web/books",
    "/web/propose",
]
HAN = re.compile(r"[\u4e00-\u9fff]")


def page(site: TestClient, path: str, lang: str, code: int = 200) -> str:
    response = site.get(path + ("&" if "?" in path else "?") + f"lang={lang}")
    assert response.status_code == code, (path, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def test_catalogues__same_keys_and_placeholders() -> None:
    zh, en = catalogue("zh-CN"), catalogue("en")
    assert set(zh) == set(en)
    for key in en:
        assert set(re.findall(r"{\w+}", zh[key])) == set(re.findall(r"{\w+}", en[key])), key


def test_templates__no_hard_coded_chinese() -> None:
    from pathlib import Path

    import kol.web

    folder = Path(kol.web.__file__).parent
    for path in [*folder.glob("templates/*.html"), *folder.glob("static/*.js")]:
        assert not HAN.search(path.read_text(encoding="utf-8")), path.name


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", LANGS)
def test_page__200_in_both_languages(site: TestClient, path: str, lang: str) -> None:
    html = page(site, path, lang)
    assert f'<html lang="{lang}">' in html
    title = catalogue(lang)["site.title"]
    assert title in html
    if lang == "en":  # names of communities are Chinese; the interface is not
        nav = html.split("<header")[1].split("<main>")[0]
        assert not HAN.search(nav.replace(catalogue("en")["lang.other"], ""))


def test_language__chinese_by_default_cookie_remembers_english(site: TestClient) -> None:
    assert catalogue("zh-CN")["nav.motions"] in site.get("/web/").text
    switched = site.get("/web/", params={"lang": "en"})
    assert switched.cookies.get("kol_lang") == "en"
    again = site.get("/web/motions")  # the cookie, no query
    assert "Motions" in again.text and catalogue("zh-CN")["nav.motions"] not in again.text
    site.cookies.clear()


def test_root__redirects_to_the_dapp(site: TestClient) -> None:
    response = site.get("/")
    assert response.status_code in (302, 307) and response.headers["location"] == "/web/"


def test_dashboard__supply_chart_seats_and_the_voters_waiting(site: TestClient) -> None:
    html = page(site, "/web/", "en")
    assert "<svg" in html and "Genesis issuance" in html and "2,000 / cap 5,000,000" in html
    assert "Connect your wallet to see" in html
    site.cookies.set("kol_account", NODES[0].address)
    html = page(site, "/web/", "en")
    assert "Nothing waits for your vote." in html
    site.cookies.clear()


def test_member__two_misses_warned_in_both_languages(site: TestClient) -> None:
    html = page(site, f"/web/members/{ABSENT.address}", "en")
    assert "Banned until" in html  # the absent super node forfeited its super seat
    zh = page(site, f"/web/members/{ABSENT.address}", "zh-CN")
    assert catalogue("zh-CN")["chamber.super"] in zh


def test_motion__tally_threshold_countdown_and_typed_data(site: TestClient) -> None:
    html = page(site, "/web/motions/1", "en")
    assert 'class="threshold"' in html and "needs " in html
    assert 'data-test="votes-for"' in html
    detail = site.get("/motions/1").json()
    stage = detail["stages"][0]
    assert f"needs {stage['threshold']} of {stage['electorate']} For" in html


def test_claims__the_users_unclaimed_leaf_with_its_proof(site: TestClient) -> None:
    html = page(site, f"/web/claims?address={USERS[1].address}", "en")
    assert 'class="claim-button"' in html and "data-proof=" in html
    claimed = page(site, f"/web/claims?address={USERS[0].address}", "en")
    assert 'data-test="claimed"' in claimed and "claim-button" not in claimed
    assert "Nothing to claim" in page(site, f"/web/claims?address={NODES[11].address}", "en")


def test_genesis__the_leaders_schedule(site: TestClient) -> None:
    html = page(site, f"/web/genesis?address={NODES[1].address}", "en")
    assert "Claimable now" in html and "1,000 KOL" in html


def test_books__statements_and_the_audit_answered_late(site: TestClient) -> None:
    html = page(site, "/web/books", "en")
    assert "ipfs://audit-1" in html and 'class="badge bad"' in html and "Overdue" in html


def test_config__the_chain_the_contracts_and_selectors(site: TestClient) -> None:
    html = page(site, "/web/motions/1", "en")
    raw = html.split('id="kol-config">')[1].split("</script>")[0]
    config = json.loads(raw)
    assert config["chainId"] == 31_337 and config["usdt"] and config["relayUrl"] == "/relay"
    assert config["selectors"]["approve"] == "0x095ea7b3"


@pytest.mark.parametrize(
    "path",
    [
        "/web/motions/999999",
        "/web/motions/abc",
        "/web/motions/0",
        "/web/motions/99999999999999999999999",
        "/web/batches/77",
        "/web/batches/-1",
        "/web/members/0x1234",
        f"/web/members/{'0x' + 'ab' * 20}",
        "/web/nothing-here",
    ],
)
@pytest.mark.parametrize("lang", LANGS)
def test_bad_ids__404_page(site: TestClient, path: str, lang: str) -> None:
    html = page(site, path, lang, 404)
    assert catalogue(lang)["error.404"] in html and catalogue(lang)["error.back"] in html


@pytest.mark.parametrize(
    "path", ["/web/claims?address=0xnothex", "/web/genesis?address=12", "/web/hash?text="]
)
def test_bad_input__4xx_never_500(site: TestClient, path: str) -> None:
    assert 400 <= site.get(path).status_code < 500


def test_relay__not_mounted__404_json_for_the_page_to_explain(site: TestClient) -> None:
    response = site.post("/relay/ballots", json={})
    assert response.status_code == 404 and "no such endpoint" in response.json()["detail"]


def test_hash__keccak_of_the_description(site: TestClient) -> None:
    from eth_utils.crypto import keccak

    got = site.get("/web/hash", params={"text": "路演"}).json()["hash"]
    assert got == "0x" + keccak(text="路演").hex()
