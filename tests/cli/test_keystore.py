"""``kol keystore``: new keys and imported keys, always encrypted, owner-only, never overwritten."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from click.testing import CliRunner
from eth_account import Account
from eth_utils.crypto import keccak

from kol.chain.keys import load_keystore
from kol.cli import main

ENV = {"KOL_KEYSTORE_PASSWORD": "devnet only"}


def test_keystore_new__an_encrypted_key_readable_by_its_owner_only(tmp_path: Path) -> None:
    out = tmp_path / "new.json"
    result = CliRunner().invoke(main, ["keystore", "new", "--out", str(out), "--json"], env=ENV)
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert load_keystore(out, ENV["KOL_KEYSTORE_PASSWORD"]).address == printed["address"]


def test_keystore_import__the_key_typed_at_the_prompt(tmp_path: Path) -> None:
    account = Account.from_key(keccak(text="kol-keystore-test"))
    out = tmp_path / "imported.json"
    result = CliRunner().invoke(
        main,
        ["keystore", "import", "--out", str(out)],
        input=account.key.to_0x_hex() + "\n",
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    assert account.key.hex() not in result.output
    assert load_keystore(out, ENV["KOL_KEYSTORE_PASSWORD"]).address == account.address


def test_keystore_new__an_existing_file__never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "key.json"
    out.write_text("keep me")
    result = CliRunner().invoke(main, ["keystore", "new", "--out", str(out)], env=ENV)
    assert result.exit_code == 1 and "already exists" in result.output
    assert out.read_text() == "keep me"


def test_keystore_new__owner_only_whatever_the_umask__its_new_folder_0700(
    tmp_path: Path,
) -> None:
    out = tmp_path / "keys" / "relayer.json"
    previous = os.umask(0)
    try:
        result = CliRunner().invoke(main, ["keystore", "new", "--out", str(out)], env=ENV)
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert stat.S_IMODE(out.parent.stat().st_mode) == 0o700
    assert [p.name for p in out.parent.iterdir()] == ["relayer.json"]


def test_keystore_import__not_a_key__refused_and_nothing_written(tmp_path: Path) -> None:
    out = tmp_path / "imported.json"
    result = CliRunner().invoke(
        main, ["keystore", "import", "--out", str(out)], input="hunter2\n", env=ENV
    )
    assert result.exit_code == 1 and "not a private key (64 hex digits)" in result.output
    assert not out.exists()


def test_keystore__a_key_in_the_environment__refused_before_anything(tmp_path: Path) -> None:
    secret = keccak(text="kol-keystore-env").hex()
    out = tmp_path / "new.json"
    result = CliRunner().invoke(
        main, ["keystore", "new", "--out", str(out)], env={**ENV, "KOL_PRIVATE_KEY": secret}
    )
    assert result.exit_code == 2 and "KOL_PRIVATE_KEY" in result.output
    assert secret not in result.output and not out.exists()
