"""Options shared by the ``kol`` commands, defined once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

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
