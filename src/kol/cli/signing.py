"""The signer of a command that acts: an encrypted keystore, or an external signer that keeps
the key — never a plain private key (``kol.chain.keys``, ``kol.chain.signer``)."""

from __future__ import annotations

import os

import click
from eth_account.signers.local import LocalAccount

from kol.chain.keys import (
    HOW_TO_ENCRYPT,
    PASSWORD_ENV,
    load_keystore,
    looks_like_plain_key,
    read_keystore,
)
from kol.chain.signer import ExternalSigner
from kol.cli.errors import reported

__all__ = ["KeySigner", "open_signer", "unlock"]

KeySigner = LocalAccount | ExternalSigner
"""What signs for a command: a decrypted keystore (or a dev key), or an external signer."""


def unlock(keystore: str) -> LocalAccount:
    """The keystore's account; the password comes from ``KOL_KEYSTORE_PASSWORD`` or a prompt.
    A wrong file (a plain key, not a keystore, readable by others) is named before the prompt."""
    with reported():
        read_keystore(keystore)
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        password = click.prompt(f"password of {keystore}", hide_input=True, err=True)
    with reported():
        return load_keystore(keystore, password)


def open_signer(
    keystore: str | None, signer_url: str | None, signer_account: str | None
) -> KeySigner | None:
    """The signer the options name (None when they name none): ``--keystore FILE``, or
    ``--signer-url URL`` (with ``--signer-account ADDR``), not both."""
    for option, value in (("--signer-url", signer_url), ("--signer-account", signer_account)):
        if value is not None and looks_like_plain_key(value):
            raise click.UsageError(f"{option} was given a private key. {HOW_TO_ENCRYPT}")
    if signer_account is not None and signer_url is None:
        raise click.UsageError(
            "--signer-account names an account of an external signer: give its --signer-url"
        )
    if keystore is not None and signer_url is not None:
        raise click.UsageError(
            "give one signer: --keystore FILE or --signer-url URL (an external signer), not both"
        )
    if signer_url is not None:
        with reported():
            return ExternalSigner.connect(signer_url, signer_account)
    if keystore is not None:
        return unlock(keystore)
    return None
