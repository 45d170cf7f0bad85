"""Keys that sign transactions: encrypted keystores only, never a private key in plain text.

A keystore is the Web3 Secret Storage JSON that wallets and ``eth_account`` write (scrypt or
pbkdf2, AES-128-CTR). Anything that looks like a bare private key or a mnemonic is refused
with the way to encrypt it, and the refusal never repeats the secret. The other way to sign is
an external signer (``kol.chain.signer``), which holds the key itself.

Keystores are written owner-only from their first byte (``O_CREAT | O_EXCL``, mode 0600; the
folders made for them 0700) and, as ssh does with private keys, one that its group or others
may read or write is refused until ``chmod 600`` makes it private again.

:func:`refuse_plain_keys` checks a process's configuration — its ``KOL_*`` environment
variables — for plain keys: a value that is one, or a variable named for one
(``KOL_PRIVATE_KEY``, ``KOL_RELAYER_MNEMONIC`` …), is refused, naming the variable.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from eth_account import Account
from eth_account.signers.local import LocalAccount

__all__ = [
    "HOW_TO_ENCRYPT",
    "PASSWORD_ENV",
    "KeystoreError",
    "PlainKeyRefused",
    "encrypt_key",
    "find_plain_key",
    "load_keystore",
    "looks_like_plain_key",
    "plain_key_field",
    "read_keystore",
    "refuse_plain_keys",
    "write_secret",
]

PASSWORD_ENV: Final = "KOL_KEYSTORE_PASSWORD"
"""The environment variable a keystore's password may come from (else a hidden prompt)."""
_HEX_KEY: Final = re.compile(r"^(0x)?[0-9a-fA-F]{64}$")
_MNEMONIC: Final = re.compile(r"^([a-z]+\s+){11,23}[a-z]+$")
HOW_TO_ENCRYPT: Final = (
    "kol never reads a private key in plain text: whoever can read it owns the account. "
    "Encrypt it into a keystore with `kol keystore import --out FILE` (the key is typed at a "
    "hidden prompt), or make a new key with `kol keystore new --out FILE`, then pass "
    "--keystore FILE and remove the plain copy. Or keep the key in an external signer "
    "(web3signer, Clef, a node's unlocked account) and pass --signer-url URL --signer-account "
    "ADDR."
)
_KEY_NAME: Final = re.compile(r"PRIVATE_?KEY|PRIVKEY|SECRET_?KEY|MNEMONIC|SEED_?PHRASE")
"""Names of variables (and JSON fields) that can only mean a plain key."""
_NOT_CHECKED: Final = frozenset({PASSWORD_ENV})
"""Variables whose value is a secret by design (a password may well be 64 hex digits)."""


class KeystoreError(ValueError):
    """A keystore that cannot be used: missing, not a keystore, or a wrong password."""


class PlainKeyRefused(KeystoreError):
    """A private key (or a mnemonic) was given in plain text."""


def looks_like_plain_key(text: str) -> bool:
    """Whether ``text`` is a bare private key (64 hex digits) or a 12–24 word mnemonic."""
    stripped = text.strip()
    return bool(_HEX_KEY.match(stripped) or _MNEMONIC.match(stripped))


def find_plain_key(environ: Mapping[str, str], prefix: str = "KOL_") -> str | None:
    """The first variable of ``environ`` starting with ``prefix`` that holds a plain key (its
    value is one) or is named for one (``KOL_PRIVATE_KEY``); None when there is none."""
    for name in sorted(environ):
        if not name.upper().startswith(prefix) or name.upper() in _NOT_CHECKED:
            continue
        value = environ[name]
        if looks_like_plain_key(value) or (value.strip() and _KEY_NAME.search(name.upper())):
            return name
    return None


def plain_key_field(data: Any, where: str = "") -> str | None:
    """Where in the JSON ``data`` a plain key sits — a field named for one (``private_key``,
    ``mnemonic`` …) or a string that is one — as a dotted path; None when there is none."""
    if isinstance(data, dict):
        for name, value in data.items():
            path = f"{where}.{name}" if where else str(name)
            if _KEY_NAME.search(str(name).upper().replace("-", "_")) and value:
                return path
            found = plain_key_field(value, path)
            if found is not None:
                return found
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found = plain_key_field(value, f"{where}[{index}]")
            if found is not None:
                return found
    elif isinstance(data, str) and looks_like_plain_key(data):
        return where or "the document"
    return None


def refuse_plain_keys(environ: Mapping[str, str] | None = None, prefix: str = "KOL_") -> None:
    """Raises :class:`PlainKeyRefused` naming the ``prefix`` variable of ``environ`` (default
    the process's) that holds a plain private key or mnemonic (the value is never repeated)."""
    env = os.environ if environ is None else environ
    name = find_plain_key(env, prefix)
    if name is not None:
        raise PlainKeyRefused(
            f"the environment variable {name} holds a plain private key (or is named for one); "
            f"kol reads no key from the environment: unset it. {HOW_TO_ENCRYPT}"
        )


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
    _check_private(source)
    return data


def _check_private(source: Path) -> None:
    """Refuses a keystore its group or others may read or write (as ssh refuses such a key)."""
    if os.name != "posix":  # pragma: no cover - no POSIX modes to check
        return
    try:
        mode = stat.S_IMODE(source.stat().st_mode)
    except OSError as error:
        raise KeystoreError(f"{source} cannot be read as a keystore ({error})") from None
    if mode & 0o077:
        raise KeystoreError(
            f"{source} may be read or changed by others (mode {mode:04o}): a keystore must be "
            f"yours only, as ssh requires of a private key. Run `chmod 600 {source}` (and "
            "check who could have copied it), then try again"
        )


def write_secret(path: str | os.PathLike[str], text: str) -> Path:
    """Writes ``text`` to a new file at ``path``, owner-only (0600) from its creation and
    complete or not at all; a folder made for it is 0700. An existing file is never replaced
    (:class:`FileExistsError`)."""
    target = Path(path)
    _private_folders(target.parent)
    if target.exists():
        raise FileExistsError(f"{target} already exists")
    temporary = target.parent / f".{target.name}.{os.getpid()}.partial"
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, target)  # atomic, and refuses an existing file (unlike rename)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: rename, the file still absent
            if target.exists():
                raise FileExistsError(f"{target} already exists") from None
            os.rename(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def _private_folders(folder: Path) -> None:
    """Makes ``folder`` and the parents it lacks, each 0700 (existing ones are left alone)."""
    missing: list[Path] = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir(mode=0o700, exist_ok=True)


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
    try:
        return write_secret(target, json.dumps(encrypted) + "\n")
    except FileExistsError:
        raise KeystoreError(f"{target} already exists (a keystore is never overwritten)") from None
    except OSError as error:
        raise KeystoreError(f"cannot write {target}: {error.strerror or error}") from None
