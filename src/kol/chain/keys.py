"""Keys that sign transactions: encrypted keystores only, never a private key in plain text.

A keystore is the Web3 Secret Storage JSON that wallets and ``eth_account`` write (scrypt or
pbkdf2, AES-128-CTR). Anything that looks like a bare private key or a mnemonic is refused
with the way to encrypt it, and the refusal never repeats the secret.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Final

from eth_account import Account
from eth_account.signers.local import LocalAccount

from kol.chain.deployment import write_private

__all__ = [
    "PASSWORD_ENV",
    "KeystoreError",
    "PlainKeyRefused",
    "encrypt_key",
    "load_keystore",
    "looks_like_plain_key",
    "read_keystore",
]

PASSWORD_ENV: Final = "KOL_KEYSTORE_PASSWORD"
"""The environment variable a keystore's password may come from (else a hidden prompt)."""
_HEX_KEY: Final = re.compile(r"^(0x)?[0-9a-fA-F]{64}$")
_MNEMONIC: Final = re.compile(r"^([a-z]+\s+){11,23}[a-z]+$")
HOW_TO_ENCRYPT: Final = (
    "kol never reads a private key in plain text: whoever can read it owns the account. "
    "Encrypt it into a keystore with `kol keystore import --out FILE` (the key is typed at a "
    "hidden prompt), or make a new key with `kol keystore new --out FILE`, then pass "
    "--keystore FILE and remove the plain copy."
)


class KeystoreError(ValueError):
    """A keystore that cannot be used: missing, not a keystore, or a wrong password."""


class PlainKeyRefused(KeystoreError):
    """A private key (or a mnemonic) was given in plain text."""


def looks_like_plain_key(text: str) -> bool:
    """Whether ``text`` is a bare private key (64 hex digits) or a 12–24 word mnemonic."""
    stripped = text.strip()
    return bool(_HEX_KEY.match(stripped) or _MNEMONIC.match(stripped))


def load_keystore(path: str | os.PathLike[str], password: str) -> LocalAccount:
    """Decrypts the keystore at ``path``; :class:`KeystoreError` says what is wrong."""
    data = read_keystore(path)
    try:
        key = Account.decrypt(data, password)
    except ValueError as error:
        if "MAC mismatch" in str(error):
            raise KeystoreError(f"wrong password for the keystore {path}") from None
        raise KeystoreError(f"{path} cannot be decrypted: {error}") from None
    account: LocalAccount = Account.from_key(key)
    return account


def read_keystore(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The encrypted keystore at ``path``, checked before any password is asked for: a file,
    not a plain key, JSON with a ``crypto`` section. :class:`KeystoreError` says what is wrong."""
    source = Path(path)
    if looks_like_plain_key(str(path)):
        raise PlainKeyRefused(f"--keystore was given a private key, not a file. {HOW_TO_ENCRYPT}")
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeystoreError(f"no keystore at {source}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise KeystoreError(f"{source} cannot be read as a keystore ({error})") from None
    if looks_like_plain_key(text):
        raise PlainKeyRefused(
            f"{source} holds a plain private key, not a keystore. {HOW_TO_ENCRYPT}"
        )
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError:
        raise KeystoreError(
            f"{source} is not a keystore (expected the JSON of an encrypted key, "
            "Web3 Secret Storage)"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("crypto", data.get("Crypto")), dict):
        raise KeystoreError(f'{source} is JSON but not an encrypted keystore (no "crypto")')
    return data


def encrypt_key(
    account: LocalAccount,
    password: str,
    path: str | os.PathLike[str],
    *,
    iterations: int | None = None,
) -> Path:
    """Writes ``account``'s key encrypted with ``password`` (scrypt) to ``path``, readable by
    its owner only; an existing file is never replaced."""
    target = Path(path)
    if target.exists():
        raise KeystoreError(f"{target} already exists (a keystore is never overwritten)")
    if not password:
        raise KeystoreError("a keystore needs a non-empty password")
    encrypted = Account.encrypt(account.key, password, kdf="scrypt", iterations=iterations)
    write_private(target, json.dumps(encrypted) + "\n")
    return target
