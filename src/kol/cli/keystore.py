"""``kol keystore``: make the encrypted keystores that ``kol deploy`` (and every command that
signs) takes — never a private key in a file."""

from __future__ import annotations

import os
from pathlib import Path

import click
from eth_account import Account
from eth_account.signers.local import LocalAccount

from kol.chain.keys import PASSWORD_ENV, encrypt_key
from kol.cli.errors import reported
from kol.cli.options import json_option

_OUT = click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the keystore (never overwritten; readable by you only).",
)


def _new_password() -> str:
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        password = click.prompt(
            "password for the keystore", hide_input=True, confirmation_prompt=True, err=True
        )
    return password


def _write(account: LocalAccount, out: Path, as_json: bool) -> None:
    with reported():
        encrypt_key(account, _new_password(), out)
    if as_json:
        click.echo(f'{{"address": "{account.address}", "keystore": "{out}"}}')
    else:
        click.echo(f"keystore of {account.address} written to {out}")


@click.group()
def keystore() -> None:
    """Encrypted keystores: make a new key or encrypt one."""


@keystore.command()
@_OUT
@json_option
def new(out: Path, as_json: bool) -> None:
    """Make a new key and write it encrypted.

    The password comes from a prompt or KOL_KEYSTORE_PASSWORD."""
    account: LocalAccount = Account.create()
    _write(account, out, as_json)


@keystore.command(name="import")
@_OUT
@json_option
def import_key(out: Path, as_json: bool) -> None:
    """Encrypt a private key typed at a hidden prompt."""
    typed = click.prompt("private key (hidden)", hide_input=True, err=True)
    try:
        account: LocalAccount = Account.from_key(typed.strip())
    except (ValueError, TypeError):
        raise click.ClickException("that is not a private key (64 hex digits)") from None
    _write(account, out, as_json)
