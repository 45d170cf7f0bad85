"""Errors a person can act on: every failure of the layers below becomes one message and a
non-zero exit code, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from kol.alliance import RuleViolation
from kol.chain.anvil import AnvilError
from kol.chain.deployment import DeploymentError
from kol.chain.keys import KeystoreError
from kol.chain.rpc import ChainError


@contextmanager
def reported() -> Iterator[None]:
    """Turns the chain adapter's and the SDK's errors into ``click`` errors (exit code 1)."""
    try:
        yield
    except RuleViolation as violation:
        raise click.ClickException(f"refused by the rules: {violation.reason}") from None
    except (AnvilError, ChainError, DeploymentError, KeystoreError) as error:
        raise click.ClickException(str(error)) from None
    except FileExistsError as error:
        raise click.ClickException(str(error)) from None
