"""Keys: encrypted keystores in, plain private keys and mnemonics refused without repeating them."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak

from kol.chain.keys import (
    KeystoreError,
    PlainKeyRefused,
    encrypt_key,
    load_keystore,
    looks_like_plain_key,
)

ACCOUNT: LocalAccount = Account.from_key(keccak(text="kol-keys-test"))
PASSWORD = "correct horse battery staple"
MNEMONIC = "test test test test test test test test test test test junk"


@pytest.fixture
def keystore(tmp_path: Path) -> Path:
    return encrypt_key(ACCOUNT, PASSWORD, tmp_path / "key.json", iterations=2**4)


def test_encrypt_and_load__the_same_account_owner_only_file(keystore: Path) -> None:
    assert stat.S_IMODE(keystore.stat().st_mode) == 0o600
    assert json.loads(keystore.read_text())["address"].lower() == ACCOUNT.address[2:].lower()
    assert load_keystore(keystore, PASSWORD).address == ACCOUNT.address


def test_load__wrong_password__says_so(keystore: Path) -> None:
    with pytest.raises(KeystoreError, match=f"wrong password for the keystore {keystore}"):
        load_keystore(keystore, "guess")


def test_encrypt__never_overwrites(keystore: Path) -> None:
    with pytest.raises(KeystoreError, match="already exists"):
        encrypt_key(ACCOUNT, PASSWORD, keystore)


@pytest.mark.parametrize(
    "secret",
    [ACCOUNT.key.to_0x_hex(), ACCOUNT.key.hex() + "\n", MNEMONIC],
    ids=["0x", "bare", "words"],
)
def test_load__a_plain_secret_in_the_file__refused_without_repeating_it(
    tmp_path: Path, secret: str
) -> None:
    path = tmp_path / "key.txt"
    path.write_text(secret)
    with pytest.raises(PlainKeyRefused) as refused:
        load_keystore(path, PASSWORD)
    message = str(refused.value)
    assert "holds a plain private key" in message and "kol keystore import" in message
    assert secret.strip().removeprefix("0x") not in message


def test_load__a_key_given_as_the_path__refused_without_repeating_it() -> None:
    with pytest.raises(PlainKeyRefused) as refused:
        load_keystore(ACCOUNT.key.to_0x_hex(), PASSWORD)
    assert "given a private key, not a file" in str(refused.value)
    assert ACCOUNT.key.hex() not in str(refused.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json at all", "is not a keystore"),
        ('{"address": "00"}', r'not an encrypted keystore \(no "crypto"\)'),
    ],
)
def test_load__not_a_keystore__says_what_it_is(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "key.json"
    path.write_text(content)
    with pytest.raises(KeystoreError, match=message):
        load_keystore(path, PASSWORD)


def test_load__missing_file() -> None:
    with pytest.raises(KeystoreError, match="no keystore at"):
        load_keystore("/nonexistent/key.json", PASSWORD)


def test_looks_like_plain_key__paths_are_not_keys() -> None:
    assert not looks_like_plain_key("keys/deployer.json")
    assert looks_like_plain_key(MNEMONIC) and looks_like_plain_key("ab" * 32)
