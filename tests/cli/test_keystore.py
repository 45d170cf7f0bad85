"""``kol keystore``: new keys and imported keys, always encrypted, owner-only, never overwritten."""

from __future__ import annotations

import json
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
