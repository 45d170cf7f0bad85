"""Options shared by the ``kol`` commands, defined once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kol.chain.keys import HOW_TO_ENCRYPT

F = TypeVar("F", bound=Callable[..., Any])


def json_option(function: F) -> F:
    """``--json``: print only one JSON object on stdout (nothing else)."""
    decorated: F = click.option(
        "--json",
        "as_json",
        is_flag=True,
        help="Print only one JSON object on stdout.",
    )(function)
    return decorated


def seed_option(function: F) -> F:
    """``--seed N``: the seed of every dev key and every simulated choice."""
    decorated: F = click.option(
        "--seed",
        type=int,
        default=2019,
        show_default=True,
        help="Seed of the dev keys and of every simulated choice (same seed, same year).",
    )(function)
    return decorated


def yes_option(function: F) -> F:
    """``--yes``: do not ask for confirmation."""
    decorated: F = click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")(
        function
    )
    return decorated


def rpc_option(function: F) -> F:
    """``--rpc URL``: the chain's JSON-RPC endpoint (``KOL_RPC_URL``)."""
    decorated: F = click.option(
        "--rpc",
        "rpc_url",
        envvar="KOL_RPC_URL",
        required=True,
        metavar="URL",
        help="JSON-RPC URL of the chain (or KOL_RPC_URL).",
    )(function)
    return decorated


def key_options(function: F) -> F:
    """The two ways a key signs: ``--keystore FILE`` (an encrypted keystore, its password from
    ``KOL_KEYSTORE_PASSWORD`` or a hidden prompt), or an external signer that holds the key,
    ``--signer-url URL`` with ``--signer-account ADDR``. ``--private-key`` and ``--mnemonic``
    exist only to refuse a plain key with the reason."""
    decorated: F = click.option(
        "--signer-account",
        envvar="KOL_SIGNER_ACCOUNT",
        metavar="ADDR",
        default=None,
        help="The external signer's account to sign with (or KOL_SIGNER_ACCOUNT; default: "
        "its only one).",
    )(function)
    decorated = click.option(
        "--signer-url",
        envvar="KOL_SIGNER_URL",
        metavar="URL",
        default=None,
        help="An external signer that holds the key and signs on request (or KOL_SIGNER_URL): "
        "web3signer, Clef (--http), or a node's unlocked account.",
    )(decorated)
    decorated = click.option(
        "--keystore",
        envvar="KOL_KEYSTORE",
        metavar="FILE",
        default=None,
        help="Encrypted keystore of the signing key (or KOL_KEYSTORE); password from a prompt "
        "or KOL_KEYSTORE_PASSWORD.",
    )(decorated)
    for refused in ("--private-key", "--mnemonic"):
        decorated = click.option(
            refused,
            hidden=True,
            expose_value=False,
            is_eager=True,
            callback=_refuse_plain_key,
            help="Refused: kol never takes a plain private key.",
        )(decorated)
    return decorated


def _refuse_plain_key(context: click.Context, parameter: click.Parameter, value: Any) -> None:
    """Says why ``--private-key`` is refused, before anything else (the key is not echoed)."""
    if value is not None:
        name = parameter.opts[0] if parameter.opts else "--private-key"
        raise click.UsageError(f"{name} is refused. {HOW_TO_ENCRYPT}", ctx=context)


def data_dir_option(function: F) -> F:
    """``--data-dir DIR``: where a local devnet keeps its chain and files."""
    decorated: F = click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path(".kol/devnet"),
        show_default=True,
        envvar="KOL_DEVNET_DIR",
        help="Where the devnet keeps its chain state and files (or KOL_DEVNET_DIR).",
    )(function)
    return decorated
