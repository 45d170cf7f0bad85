"""The ``kol`` group: every listed command resolves to the command of that name, an unknown one
is refused with the list, and the service commands load without the compiler and the EVM."""

from __future__ import annotations

import importlib
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from kol.cli import COMMANDS, main


@pytest.mark.parametrize("name", list(COMMANDS))
def test_command__listed_name__resolves_to_that_command(name: str) -> None:
    command = main.get_command(click.Context(main), name)
    assert isinstance(command, click.Command) and command.name == name
    module, _, attribute = COMMANDS[name].partition(":")
    assert getattr(importlib.import_module(module), attribute) is command


def test_help__lists_every_command_with_its_one_line_help() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert f"  {name} " in result.output


def test_unknown_command__refused_by_name() -> None:
    result = CliRunner().invoke(main, ["vote"])
    assert result.exit_code == 2 and "No such command 'vote'" in result.output


@pytest.mark.parametrize("name", ["web", "index", "api", "relayer", "keeper"])
def test_service_command__loads_without_the_compiler_or_the_evm(name: str) -> None:
    probe = (
        "import sys\nfrom kol.cli import main\n"
        f"try:\n    main([{name!r}, '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('boa', 'vyper') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout
