"""``kol up`` in the foreground runs the platform beside the devnet: the indexer, the API with
the web dapp, the relayer and the keeper; its web URL answers with the indexed roster and offers
the dev wallet of the devnet's keys, and Ctrl-C stops every one of them."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time

import httpx
import pytest

from tests.conftest import _require_anvil
from tests.relayer.devnet import _seated


def test_up__starts_indexer_api_web_relayer_keeper__web_url_answers(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    _require_anvil()
    root = tmp_path_factory.mktemp("up-services") / "devnet"
    shutil.copytree(_seated(tmp_path_factory), root)
    (root / "anvil.pid").unlink(missing_ok=True)
    command = [sys.executable, "-c", "from kol.cli import main; main()", "up"]
    process = subprocess.Popen(
        [*command, "--data-dir", str(root), "--port", "0", "--web-port", "0", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        summary = json.loads(process.stdout.readline())
        assert summary["services"] == ["indexer", "keeper", "relayer", "web"]
        url = summary["web_url"]
        page = None
        for _ in range(240):  # the web server starts, the indexer catches up with the roster
            try:
                page = httpx.get(url, params={"lang": "en"}, timeout=5)
            except httpx.ConnectError:
                page = None
            if page is not None and page.status_code == 200 and "<b>149</b> / 500" in page.text:
                break
            time.sleep(0.25)
        assert page is not None and page.status_code == 200, page.text if page else None
        assert "<b>21</b> / 21" in page.text and "<b>149</b> / 500" in page.text
        assert 'id="dev-account"' in page.text  # the dev wallet is offered (devnet only)
        accounts = httpx.get(f"{url}dev-wallet/accounts", timeout=5).json()
        labels = [a["label"] for a in accounts["accounts"]]
        assert sum(label.startswith("node:") for label in labels) == 149
        client = next(a["address"] for a in accounts["accounts"] if a["label"] == "client:0")
        minted = httpx.post(
            f"{url}dev-wallet/faucet",
            json={"account": client},
            headers={"X-KOL-Dev-Wallet": "1"},
            timeout=30,
        )
        assert minted.status_code == 200 and minted.json()["usdt"] == str(10_000 * 10**6)
        relay = httpx.get(url.replace("/web/", "/relay"), timeout=5)
        assert relay.status_code == 200 and relay.json()["chain_id"] == summary["chain_id"]
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "devnet stopped" in err
    with pytest.raises(httpx.HTTPError):
        httpx.get(url, timeout=2)
