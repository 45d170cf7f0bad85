"""Every way a key reaches ``kol``, on the devnet of ``kol up``: an external signer signs a vote,
a ballot, the relayer's batch, the keeper's round and a deployment (a small signer server, and
anvil's own unlocked accounts); a signer that refuses or answers for another key sends nothing;
a plain private key — in a variable, an option, a file or the deployment description — is
refused with what to do instead; a keystore others may read is refused."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from eth_utils.crypto import keccak

from kol.alliance import Choice
from kol.chain.anvil import Anvil, rpc_request
from kol.chain.deployment import Deployment
from kol.chain.keys import PlainKeyRefused, encrypt_key
from kol.cli import main
from kol.relayer import Kind, Relayer, RelayerSettings
from tests.chain.external_signer import external_signer
from tests.cli.conftest import Devnet

MNEMONIC = "test test test test test test test test test test test junk"


def _nonce(chain: Devnet, address: str) -> int:
    return int(rpc_request(chain.url, "eth_getTransactionCount", [address, "pending"]), 16)


def _anvil_account(url: str) -> str:
    """An account the node itself holds, unlocked (anvil's first)."""
    return str(rpc_request(url, "eth_accounts")[0])


@pytest.fixture(scope="module")
def motion(chain: Devnet) -> Iterator[int]:
    """A motion whose first stage the super nodes vote in (each test with its own voters)."""
    created = chain.ok(
        "motion", "create", "replace-node", chain.address("node:60"),
        chain.address("candidate:20"), "--dev", "node:0",
    )  # fmt: skip
    yield int(created["motion"]["motion_id"])


# THE EXTERNAL SIGNER #


def test_vote__signed_by_an_external_signer(chain: Devnet, motion: int) -> None:
    with external_signer([chain.key("node:1"), chain.key("node:2")]) as signer:
        voted = chain.ok(
            "motion", "vote", str(motion), "for",
            "--signer-url", signer.url, "--signer-account", chain.address("node:1"),
        )  # fmt: skip
    assert voted["voter"] == chain.address("node:1") and voted["stage"]["for"] >= 1
    assert chain.sdk().motion(motion).stage(1).votes_for >= 1
    assert "eth_signTransaction" in signer.methods


def test_vote_sign__typed_data_by_clef__relayed_by_an_unlocked_node_account(
    chain: Devnet, motion: int, tmp_path: Path
) -> None:
    out = tmp_path / "ballot.json"
    with external_signer([chain.key("node:3")], api="clef") as clef:
        chain.ok("motion", "vote", str(motion), "against", "--sign", str(out),
                 "--signer-url", clef.url)  # fmt: skip
    assert "account_signTypedData" in clef.methods
    assert json.loads(out.read_text())["voter"] == chain.address("node:3")
    relayer = _anvil_account(chain.url)
    relayed = chain.ok("relay", str(out), "--signer-url", chain.url, "--signer-account", relayer)
    assert relayed["recorded"] == 1 and relayed["by"].lower() == relayer.lower()
    assert chain.sdk().motion(motion).stage(1).votes_against == 1


def test_keeper_once__signed_by_an_unlocked_node_account(chain: Devnet) -> None:
    keeper = _anvil_account(chain.url)
    report = chain.ok("keeper", "--once", "--signer-url", chain.url, "--signer-account", keeper)
    assert report["keeper"].lower() == keeper.lower()
    assert all(action["outcome"] != "failed" for action in report["actions"])


def test_relayer_flush__its_batch_signed_by_an_external_signer(
    chain: Devnet, motion: int, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'queue.sqlite3'}"
    accepting = Relayer.connect(
        Deployment.load(chain.deployment), None, RelayerSettings(database_url=url), url=chain.url
    )
    ballot = chain.sdk().sign_ballot(chain.key("node:4"), motion, 1, Choice.ABSTAIN)
    accepting.accept(
        Kind.BALLOT,
        {
            "voter": ballot.voter,
            "stage_id": ballot.stage_id,
            "choice": int(ballot.choice),
            "expiry": str(ballot.expiry),
            "signature": "0x" + (ballot.r + ballot.s + bytes([ballot.v])).hex(),
        },
    )
    with external_signer([chain.key("relayer")], mode="refuse") as refusing:
        refused = chain.refused("relayer", "flush", "--db", url, "--signer-url", refusing.url)
    assert "refused eth_signTransaction: Request denied" in refused
    assert accepting.queue.counts().get("queued") == 1  # nothing recorded, nothing sent
    with external_signer([chain.key("relayer")]) as signer:
        report = chain.ok("relayer", "flush", "--db", url, "--signer-url", signer.url)
    assert report["relayer"] == chain.address("relayer")
    assert report["sent"] == 1 and report["queue"]["included"] == 1
    assert chain.sdk().motion(motion).stage(1).votes_abstain == 1


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("impostor", "signed the transaction as 0x"),
        ("refuse", "refused eth_signTransaction: Request denied"),
        ("tamper", "signed a different transaction (its nonce changed): nothing was sent"),
    ],
)
def test_vote__a_signer_that_misbehaves__refused_and_nothing_sent(
    chain: Devnet, motion: int, mode: str, message: str
) -> None:
    voter = chain.address("node:5")
    before = (_nonce(chain, voter), chain.sdk().motion(motion).stage(1).votes_for)
    with external_signer([chain.key("node:5")], mode=mode) as signer:
        refused = chain.refused("motion", "vote", str(motion), "for", "--signer-url", signer.url)
    assert message in refused and "the external signer at http://127.0.0.1:" in refused
    assert (_nonce(chain, voter), chain.sdk().motion(motion).stage(1).votes_for) == before


def test_vote__a_signer_that_does_not_hold_the_account__says_which_it_holds(
    chain: Devnet, motion: int
) -> None:
    with external_signer([chain.key("node:6")]) as signer:
        refused = chain.refused(
            "motion", "vote", str(motion), "for",
            "--signer-url", signer.url, "--signer-account", chain.address("node:7"),
        )  # fmt: skip
    assert f"does not hold {chain.address('node:7')} (it holds: {chain.address('node:6')})" in (
        refused
    )


def test_signer__two_sources_at_once__refused(chain: Devnet, tmp_path: Path) -> None:
    message = chain.refused(
        "keeper", "--once", "--signer-url", chain.url, "--dev", "keeper", code=2
    )
    assert "give one signer, not --signer-url URL and --dev NAME" in message
    alone = chain.refused("keeper", "--once", "--signer-account", chain.address("keeper"), code=2)
    assert "give its --signer-url" in alone


def test_signer__the_command_line_wins_over_a_variable(chain: Devnet, tmp_path: Path) -> None:
    env = {"KOL_SIGNER_URL": "http://127.0.0.1:1", "KOL_KEYSTORE": str(tmp_path / "none.json")}
    report = chain.ok(
        "keeper", "--once", "--dev", "keeper", env={"KOL_SIGNER_URL": env["KOL_SIGNER_URL"]}
    )
    assert report["keeper"] == chain.address("keeper")
    with external_signer([chain.key("keeper")]) as signer:
        external = chain.ok(
            "keeper",
            "--once",
            "--signer-url",
            signer.url,
            env={"KOL_KEYSTORE": env["KOL_KEYSTORE"]},
        )
    assert external["keeper"] == chain.address("keeper")
    both = chain.kol("keeper", "--once", "--json", env=env)
    assert both.exit_code == 2 and "give one signer" in both.stderr


def test_deploy__signed_by_an_external_signer(anvil_snapshot: Anvil, tmp_path: Path) -> None:
    deployer = _anvil_account(anvil_snapshot.url)
    out = tmp_path / "deployment.json"
    result = CliRunner().invoke(
        main,
        ["deploy", "--rpc", anvil_snapshot.url, "--signer-url", anvil_snapshot.url,
         "--signer-account", deployer, "--dev-usdt", "--out", str(out), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["deployer"].lower() == deployer.lower()
    assert Deployment.load(out).deployer.lower() == deployer.lower()


# PLAIN KEYS, REFUSED #

SECRET = keccak(text="kol-test-plain-key").hex()


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("KOL_RELAYER_PRIVATE_KEY", "0x" + SECRET),
        ("KOL_PRIVATE_KEY", SECRET),
        ("KOL_KEEPER_KEY", SECRET),
        ("KOL_KEYSTORE", "0x" + SECRET),
        ("KOL_SIGNER_ACCOUNT", SECRET),
        ("KOL_RELAYER_MNEMONIC", MNEMONIC),
        ("KOL_DEPLOYER_PRIVATE_KEY", "not even hex"),
    ],
)
def test_a_plain_key_in_the_environment__refused_naming_the_variable(
    chain: Devnet, variable: str, value: str
) -> None:
    for command in (["keeper", "--once", "--dev", "keeper"], ["status"]):
        result = chain.kol(*command, "--json", env={variable: value})
        assert result.exit_code == 2 and result.stdout == ""
        message = " ".join(result.stderr.split())
        assert f"the environment variable {variable} holds a plain private key" in message
        assert "kol keystore import" in message and "--signer-url" in message
        assert SECRET not in message and MNEMONIC not in message


def test_the_keystore_password_variable__may_be_64_hex_digits(chain: Devnet) -> None:
    assert chain.kol("status", "--json", env={"KOL_KEYSTORE_PASSWORD": SECRET}).exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["--private-key", "0x" + SECRET],
        ["--mnemonic", MNEMONIC],
        ["--dev", SECRET],
        ["--signer-url", "http://127.0.0.1:1", "--signer-account", SECRET],
    ],
    ids=["private-key", "mnemonic", "dev", "signer-account"],
)
def test_a_plain_key_as_an_option__refused_without_repeating_it(
    chain: Devnet, args: list[str]
) -> None:
    result = chain.kol("keeper", "--once", *args)
    assert result.exit_code == 2
    assert "is refused" in result.output or "was given a private key" in result.output
    assert "kol keystore import" in result.output
    assert SECRET not in result.output and MNEMONIC not in result.output


def test_a_plain_key_in_the_deployment_description__refused(chain: Devnet, tmp_path: Path) -> None:
    data = json.loads(chain.deployment.read_text())
    data["relayer"] = {"private_key": "0x" + SECRET}
    doctored = tmp_path / "deployment.json"
    doctored.write_text(json.dumps(data))
    result = chain.kol("status", "--json", env={"KOL_DEPLOYMENT": str(doctored)})
    assert result.exit_code == 1
    assert "'relayer.private_key' holds a plain private key" in result.stderr
    assert SECRET not in result.output


def test_relayer_settings__a_key_among_its_variables__refused() -> None:
    with pytest.raises(PlainKeyRefused, match="KOL_RELAYER_KEY"):
        RelayerSettings.from_env({"KOL_RELAYER_BATCH_SIZE": "10", "KOL_RELAYER_KEY": SECRET})
    assert RelayerSettings.from_env({"KOL_RELAYER_BATCH_SIZE": "10"}).batch_size == 10


# KEYSTORE PERMISSIONS #


def test_a_keystore_others_may_read__refused_before_the_password(
    chain: Devnet, tmp_path: Path
) -> None:
    path = encrypt_key(chain.key("keeper"), "pw", tmp_path / "keeper.json", iterations=2**4)
    os.chmod(path, 0o644)
    result = chain.kol("keeper", "--once", "--keystore", str(path), "--json")
    assert result.exit_code == 1 and "password of" not in result.output
    message = " ".join(result.stderr.split())
    assert "may be read or changed by others (mode 0644)" in message
    assert f"chmod 600 {path}" in message
    os.chmod(path, 0o600)
    fixed = chain.kol("keeper", "--once", "--keystore", str(path), "--json",
                      env={"KOL_KEYSTORE_PASSWORD": "pw"})  # fmt: skip
    assert fixed.exit_code == 0, fixed.output
    assert json.loads(fixed.stdout)["keeper"] == chain.address("keeper")
