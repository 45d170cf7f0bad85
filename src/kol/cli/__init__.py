"""The ``kol`` command line: the alliance's SDK for people at a terminal."""

from __future__ import annotations

import click

from kol import __version__
from kol.chain.keys import PlainKeyRefused, refuse_plain_keys
from kol.cli.demo import demo
from kol.cli.deploy import deploy_command
from kol.cli.devnet import down, up
from kol.cli.economy import batch, books, claim, genesis, task
from kol.cli.keystore import keystore
from kol.cli.members import attendance, members, status
from kol.cli.motions import motion, relay
from kol.cli.platform import keeper, relayer
from kol.cli.services import api, db, index
from kol.web.cli import web


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kol")
def main() -> None:
    """The KOL Community Alliance (社区KOL联盟): its constitution on-chain."""
    try:
        refuse_plain_keys()  # every command, and the services kol up starts, inherit these
    except PlainKeyRefused as refused:
        raise click.UsageError(str(refused)) from None


main.add_command(demo)
main.add_command(up)
main.add_command(down)
main.add_command(deploy_command)
main.add_command(keystore)
for command in (status, members, motion, relay, attendance, task, batch, claim, genesis, books):
    main.add_command(command)
for command in (index, api, db, web):
    main.add_command(command)
for command in (relayer, keeper):
    main.add_command(command)

__all__ = ["main"]
