"""Keys: encrypted keystores in, owner-only from creation; plain private keys and mnemonics
refused (in files, paths and variables) without repeating them."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak

from kol.chain.keys import (
    KeystoreError,
    PlainKeyRefused,
    encrypt_key,
    find_plain_key,
    load_keystore,
    looks_like_plain_key,
    plain_key_field,
    read_keystore,
    refuse_plain_keys,
    write_secret,
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


# PERMISSIONS #


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask: whatever is private is so by its own mode."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def test_encrypt__owner_only_from_creation_and_its_new_folders_0700(
    tmp_path: Path, open_umask: None
) -> None:
    path = encrypt_key(ACCOUNT, PASSWORD, tmp_path / "a" / "b" / "key.json", iterations=2**4)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "a" / "b").stat().st_mode) == 0o700
    assert sorted(p.name for p in path.parent.iterdir()) == ["key.json"]  # no partial file left


def test_write_secret__an_existing_file_is_never_replaced(tmp_path: Path) -> None:
    target = tmp_path / "secret.json"
    target.write_text("keep")
    with pytest.raises(FileExistsError):
        write_secret(target, "new")
    assert target.read_text() == "keep" and sorted(p.name for p in tmp_path.iterdir()) == [
        "secret.json"
    ]


def test_write_secret__an_existing_folder_is_left_as_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    written = write_secret(folder / "key.json", "{}")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert stat.S_IMODE(written.stat().st_mode) == 0o600


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660, 0o666, 0o620])
def test_load__a_keystore_others_may_read_or_change__refused_like_ssh(
    keystore: Path, mode: int
) -> None:
    os.chmod(keystore, mode)
    with pytest.raises(KeystoreError) as refused:
        read_keystore(keystore)
    message = str(refused.value)
    assert f"may be read or changed by others (mode {mode:04o})" in message
    assert f"chmod 600 {keystore}" in message


@pytest.mark.parametrize("mode", [0o600, 0o400])
def test_load__a_private_keystore__read(keystore: Path, mode: int) -> None:
    os.chmod(keystore, mode)
    assert load_keystore(keystore, PASSWORD).address == ACCOUNT.address


# CONFIGURATION #


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"KOL_RELAYER_KEY": ACCOUNT.key.to_0x_hex()}, "KOL_RELAYER_KEY"),
        ({"KOL_KEYSTORE": ACCOUNT.key.hex()}, "KOL_KEYSTORE"),
        ({"KOL_SEED_WORDS": MNEMONIC}, "KOL_SEED_WORDS"),
        ({"KOL_PRIVATE_KEY": "anything"}, "KOL_PRIVATE_KEY"),
        ({"kol_keeper_privkey": "x"}, "kol_keeper_privkey"),
        ({"KOL_RPC_URL": "http://127.0.0.1:8545", "KOL_SECRET_KEY": "x"}, "KOL_SECRET_KEY"),
    ],
)
def test_refuse_plain_keys__names_the_variable_never_the_key(
    environ: dict[str, str], named: str
) -> None:
    assert find_plain_key(environ) == named
    with pytest.raises(PlainKeyRefused) as refused:
        refuse_plain_keys(environ)
    message = str(refused.value)
    assert f"the environment variable {named} holds a plain private key" in message
    assert "kol keystore import" in message and "--signer-url" in message
    assert ACCOUNT.key.hex() not in message and MNEMONIC not in message


def test_refuse_plain_keys__ordinary_settings_pass() -> None:
    environ = {
        "KOL_KEYSTORE": "keys/relayer.json",
        "KOL_KEYSTORE_PASSWORD": ACCOUNT.key.hex(),  # a password may be anything
        "KOL_SIGNER_URL": "https://signer.example:9000",
        "KOL_SIGNER_ACCOUNT": ACCOUNT.address,
        "KOL_DEPLOYMENT": "deployment.json",
        "KOL_PRIVATE_KEY": "",  # set but empty: nothing in it
        "PRIVATE_KEY": ACCOUNT.key.hex(),  # not kol's to judge
    }
    assert find_plain_key(environ) is None
    refuse_plain_keys(environ)
    assert find_plain_key({"KOL_RELAYER_KEY": ACCOUNT.key.hex()}, "KOL_KEEPER_") is None


def test_plain_key_field__a_named_field_or_a_key_value_anywhere() -> None:
    assert plain_key_field({"contracts": {"token": {"address": ACCOUNT.address}}}) is None
    assert plain_key_field({"relayer": {"privateKey": "x"}}) == "relayer.privateKey"
    assert plain_key_field({"keys": ["0x" + "00" * 20, ACCOUNT.key.hex()]}) == "keys[1]"
    assert plain_key_field({"mnemonic": ""}) is None
