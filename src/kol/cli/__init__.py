"""The ``kol`` command line: the alliance's SDK for people at a terminal.

Commands are imported when they run (a ``LazyGroup``): ``kol web``, ``kol index``, ``kol api``,
``kol relayer`` and ``kol keeper`` start without loading the compiler and the in-process EVM
that ``kol demo`` and ``kol up`` need, so the services ``kol up`` starts answer sooner.
"""

from __future__ import annotations

import importlib
from typing import Any, Final

import click

from kol import __version__
from kol.chain.keys import PlainKeyRefused, refuse_plain_keys

COMMANDS: Final = {
    "demo": "kol.cli.demo:demo",
    "up": "kol.cli.devnet:up",
    "down": "kol.cli.devnet:down",
    "deploy": "kol.cli.deploy:deploy_command",
    "keystore": "kol.cli.keystore:keystore",
    "status": "kol.cli.members:status",
    "members": "kol.cli.members:members",
    "motion": "kol.cli.motions:motion",
    "relay": "kol.cli.motions:relay",
    "attendance": "kol.cli.members:attendance",
    "task": "kol.cli.economy:task",
    "batch": "kol.cli.economy:batch",
    "claim": "kol.cli.economy:claim",
    "genesis": "kol.cli.economy:genesis",
    "books": "kol.cli.economy:books",
    "index": "kol.cli.services:index",
    "api": "kol.cli.services:api",
    "db": "kol.cli.services:db",
    "web": "kol.web.cli:web",
    "relayer": "kol.cli.platform:relayer",
    "keeper": "kol.cli.platform:keeper",
}
"""Every command's name and where it lives (``module:attribute``), in the order of ``--help``."""


class LazyGroup(click.Group):
    """A group whose commands are imported only when one of them is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        where = COMMANDS.get(cmd_name)
        if where is None:
            return None
        module, _, attribute = where.partition(":")
        command: Any = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{where} is not a click command")
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kol")
def main() -> None:
    """The KOL Community Alliance (社区KOL联盟): its constitution on-chain."""
    try:
        refuse_plain_keys()  # every command, and the services kol up starts, inherit these
    except PlainKeyRefused as refused:
        raise click.UsageError(str(refused)) from None


__all__ = ["COMMANDS", "main"]
