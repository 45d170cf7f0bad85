"""``kol deploy`` against a real anvil: an encrypted keystore signs, the deployment description
is written once and owner-only, and every bad input is refused before any transaction."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak

from kol.alliance import Alliance
from kol.chain.anvil import Anvil, rpc_request
from kol.chain.deployment import Deployment
from kol.chain.keys import encrypt_key
from kol.chain.rpc import RpcBackend
from kol.cli import main
from tests.conftest import fund

PASSWORD = "devnet only"


def key(label: str) -> LocalAccount:
    account: LocalAccount = Account.from_key(keccak(text=f"kol-deploy-test:{label}"))
    return account


DEPLOYER = key("deployer")


@pytest.fixture
def keystore(tmp_path: Path, anvil_snapshot: Anvil) -> Path:
    fund(anvil_snapshot.url, DEPLOYER.address)
    return encrypt_key(DEPLOYER, PASSWORD, tmp_path / "deployer.json", iterations=2**4)


def kol_deploy(anvil: Anvil, *args: str, password: str = PASSWORD) -> Result:
    return CliRunner().invoke(
        main, ["deploy", "--rpc", anvil.url, *args], env={"KOL_KEYSTORE_PASSWORD": password}
    )


def sent(anvil: Anvil) -> int:
    """Transactions the deployer has sent."""
    return int(rpc_request(anvil.url, "eth_getTransactionCount", [DEPLOYER.address, "latest"]), 16)


def test_deploy__dev_chain__writes_the_description_and_the_alliance_answers(
    anvil: Anvil, keystore: Path, tmp_path: Path
) -> None:
    out = tmp_path / "deployment.json"
    result = kol_deploy(
        anvil, "--keystore", str(keystore), "--dev-usdt", "--out", str(out), "--json"
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    deployment = Deployment.load(out)
    assert printed["contracts"]["council"] == deployment.council
    assert (deployment.chain_id, deployment.deployer, deployment.test_usdt) == (
        31_337,
        DEPLOYER.address,
        True,
    )
    assert deployment.rpc_url == anvil.url  # a 127.0.0.1 node is recorded
    assert sent(anvil) == 5  # TestUSDT, KOLToken, Council, Motions, Treasury
    alliance = Alliance(RpcBackend.connect(deployment))
    assert alliance.admin() == alliance.foundation() == DEPLOYER.address  # dev chain defaults
    assert alliance.genesis_open()


def test_deploy__an_existing_usdt_and_named_roles__no_test_token(
    anvil: Anvil, keystore: Path, tmp_path: Path
) -> None:
    first = tmp_path / "first.json"
    assert (
        kol_deploy(anvil, "--keystore", str(keystore), "--dev-usdt", "--out", str(first)).exit_code
        == 0
    )
    usdt = Deployment.load(first).usdt
    assert usdt is not None
    out = tmp_path / "deployment.json"
    admin, foundation = key("admin").address, key("foundation").address
    result = kol_deploy(
        anvil,
        "--keystore",
        str(keystore),
        "--usdt",
        usdt,
        "--admin",
        admin,
        "--foundation",
        foundation,
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    deployment = Deployment.load(out)
    assert deployment.usdt == usdt and not deployment.test_usdt
    assert not any(e.get("name") == "mint" for e in deployment.abi("usdt"))
    alliance = Alliance(RpcBackend.connect(deployment))
    assert (alliance.admin(), alliance.foundation()) == (admin, foundation)
    assert "written to" in result.output


def test_deploy__wrong_password__refused_and_nothing_sent(
    anvil: Anvil, keystore: Path, tmp_path: Path
) -> None:
    out = tmp_path / "deployment.json"
    result = kol_deploy(
        anvil, "--keystore", str(keystore), "--dev-usdt", "--out", str(out), password="guess"
    )
    assert result.exit_code == 1
    assert f"wrong password for the keystore {keystore}" in result.output
    assert sent(anvil) == 0 and not out.exists()


def test_deploy__a_plain_key_file__refused_with_the_way_to_encrypt_it(
    anvil: Anvil, keystore: Path, tmp_path: Path
) -> None:
    plain = tmp_path / "key.txt"
    plain.write_text(DEPLOYER.key.to_0x_hex() + "\n")
    result = kol_deploy(
        anvil, "--keystore", str(plain), "--dev-usdt", "--out", str(tmp_path / "d.json")
    )
    assert result.exit_code == 1
    assert "holds a plain private key" in result.output
    assert "kol keystore import" in result.output
    assert DEPLOYER.key.hex() not in result.output
    assert sent(anvil) == 0


@pytest.mark.parametrize("option", ["--private-key", "--keystore"])
def test_deploy__a_key_on_the_command_line__refused_without_echoing_it(
    anvil: Anvil, keystore: Path, tmp_path: Path, option: str
) -> None:
    result = kol_deploy(
        anvil, option, DEPLOYER.key.to_0x_hex(), "--dev-usdt", "--out", str(tmp_path / "d.json")
    )
    assert result.exit_code != 0
    assert "kol never reads a private key in plain text" in result.output
    assert DEPLOYER.key.hex() not in result.output
    assert sent(anvil) == 0


def test_deploy__an_existing_description__kept_unless_force(
    anvil: Anvil, keystore: Path, tmp_path: Path
) -> None:
    out = tmp_path / "deployment.json"
    out.write_text("{}")
    result = kol_deploy(anvil, "--keystore", str(keystore), "--dev-usdt", "--out", str(out))
    assert result.exit_code == 2 and "a deployment is described once" in result.output
    assert out.read_text() == "{}" and sent(anvil) == 0
    forced = kol_deploy(
        anvil, "--keystore", str(keystore), "--dev-usdt", "--out", str(out), "--force"
    )
    assert forced.exit_code == 0, forced.output
    assert Deployment.load(out).deployer == DEPLOYER.address


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give exactly one of --usdt ADDR and --dev-usdt"),
        (["--dev-usdt", "--usdt", "0xdAC17F958D2ee523a2206206994597C13D831ec7"], "exactly one"),
        (["--dev-usdt", "--admin", "0x1234"], "not an address: '0x1234'"),
        (["--usdt", "0x000000000000000000000000000000000000dEaD"], "no contract at the USDT"),
    ],
)
def test_deploy__bad_options__refused_and_nothing_sent(
    anvil: Anvil, keystore: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    result = kol_deploy(
        anvil, "--keystore", str(keystore), *args, "--out", str(tmp_path / "d.json")
    )
    assert result.exit_code != 0
    assert message in result.output
    assert sent(anvil) == 0 and not (tmp_path / "d.json").exists()


def make_live(monkeypatch: pytest.MonkeyPatch) -> None:
    """Takes anvil for a live chain (its client version is all that tells them apart)."""
    monkeypatch.setattr("kol.cli.deploy.is_dev_chain", lambda w3: False)
    monkeypatch.setattr("kol.chain.rpc.is_dev_chain", lambda w3: False)


@pytest.fixture
def live_chain(monkeypatch: pytest.MonkeyPatch) -> None:
    make_live(monkeypatch)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dev-usdt", "--admin", DEPLOYER.address], "name the --foundation"),
        (
            ["--dev-usdt", "--admin", DEPLOYER.address, "--foundation", DEPLOYER.address],
            "--dev-usdt deploys a token anyone may mint",
        ),
    ],
)
def test_deploy__live_chain__roles_and_a_real_usdt_required(
    anvil: Anvil, keystore: Path, tmp_path: Path, live_chain: None, args: list[str], message: str
) -> None:
    result = kol_deploy(
        anvil, "--keystore", str(keystore), *args, "--out", str(tmp_path / "d.json")
    )
    assert result.exit_code == 1 and message in result.output
    assert sent(anvil) == 0


def test_deploy__live_chain__asks_before_sending(
    anvil: Anvil, keystore: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "first.json"
    assert (
        kol_deploy(anvil, "--keystore", str(keystore), "--dev-usdt", "--out", str(out)).exit_code
        == 0
    )
    usdt = Deployment.load(out).usdt
    assert usdt is not None
    make_live(monkeypatch)
    before = sent(anvil)
    args = ["deploy", "--rpc", anvil.url, "--keystore", str(keystore), "--usdt", usdt]
    args += ["--admin", key("admin").address, "--foundation", key("foundation").address]
    args += ["--out", str(tmp_path / "live.json")]
    env = {"KOL_KEYSTORE_PASSWORD": PASSWORD}
    declined = CliRunner().invoke(main, args, input="n\n", env=env)
    assert declined.exit_code == 1 and "deploy? [y/N]" in declined.output
    assert sent(anvil) == before and not (tmp_path / "live.json").exists()
    accepted = CliRunner().invoke(main, [*args, "--yes"], env=env)
    assert accepted.exit_code == 0, accepted.output
    assert sent(anvil) == before + 4
