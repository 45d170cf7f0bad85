"""How the member commands reach the alliance: the deployment, the chain and the signer.

Every member command takes the same options, defined here once:

- ``--deployment PATH`` (``KOL_DEPLOYMENT``; default the devnet's ``.kol/devnet/deployment.json``)
  and ``--rpc URL`` (``KOL_RPC_URL``; default the URL the description records);
- for commands that send a transaction or sign a ballot, the signer: ``--keystore FILE``
  (password from ``KOL_KEYSTORE_PASSWORD`` or a hidden prompt); an external signer that holds
  the key, ``--signer-url URL`` and ``--signer-account ADDR`` (``kol.chain.signer``); or, on a
  dev chain only, ``--dev NAME``: one of the dev keys ``kol up`` seated (``administrator``,
  ``foundation``, ``relayer``, ``keeper``, ``node:3``, ``candidate:5`` …) derived from
  ``--seed`` (default: the devnet's own seed). A plain private key is refused, as
  ``kol deploy`` refuses it.

:class:`Session` connects lazily, so a command that only reads a file never touches the chain.
Output helpers print rich tables for people and exactly one JSON object with ``--json``.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final, TypeVar, cast

import click
from rich.console import Console

from kol.alliance import Alliance
from kol.chain.deployment import Deployment
from kol.chain.keys import HOW_TO_ENCRYPT, looks_like_plain_key
from kol.chain.rpc import RpcBackend
from kol.cli.errors import reported
from kol.cli.options import key_options
from kol.cli.signing import KeySigner, open_signer
from kol.domain.types import as_checksum_address

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_DEPLOYMENT: Final = Path(".kol/devnet/deployment.json")
DEFAULT_SEED: Final = 2019
DEV_FUNDS: Final = 10_000 * 10**18
"""What a dev key with no ether is given on a dev chain (wei), as ``kol up`` gives its keys."""
_DEV_LABEL: Final = re.compile(
    r"(deployer|administrator|foundation|relayer|keeper|(node|candidate|client|user):[0-9]+)"
)
DEV_LABELS: Final = (
    "administrator, foundation, relayer, keeper, deployer, node:N, candidate:N, client:N, user:N"
)


# OPTIONS #


def connection_options(function: F) -> F:
    """``--deployment PATH`` and ``--rpc URL``: which alliance, over which node."""
    decorated = click.option(
        "--rpc",
        "rpc_url",
        envvar="KOL_RPC_URL",
        metavar="URL",
        default=None,
        help="JSON-RPC URL (or KOL_RPC_URL; default: the one the deployment records).",
    )(function)
    decorated = click.option(
        "--deployment",
        "deployment_path",
        envvar="KOL_DEPLOYMENT",
        type=click.Path(dir_okay=False, path_type=Path),
        default=DEFAULT_DEPLOYMENT,
        show_default=True,
        help="The deployment description (or KOL_DEPLOYMENT).",
    )(decorated)
    return decorated


def signer_options(function: F) -> F:
    """``--keystore FILE``, ``--signer-url URL`` (``--signer-account ADDR``) or ``--dev NAME``
    (with ``--seed``); ``--private-key`` and ``--mnemonic`` are refused."""
    decorated = click.option(
        "--seed",
        type=int,
        default=None,
        help=f"Seed of the dev keys (default: the devnet's, else {DEFAULT_SEED}).",
    )(function)
    decorated = click.option(
        "--dev",
        metavar="NAME",
        default=None,
        help=f"Sign with a dev key of `kol up` (dev chains only): {DEV_LABELS}.",
    )(decorated)
    return key_options(decorated)


def session(*, signs: bool) -> Callable[[F], F]:
    """Adds the connection options (and, when the command ``signs``, the signer options) and
    hands the command a :class:`Session` as ``session``."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if signs:
                _command_line_first(kwargs)
            kwargs["session"] = Session(
                deployment_path=kwargs.pop("deployment_path"),
                rpc_url=kwargs.pop("rpc_url"),
                keystore=kwargs.pop("keystore", None),
                signer_url=kwargs.pop("signer_url", None),
                signer_account=kwargs.pop("signer_account", None),
                dev=kwargs.pop("dev", None),
                seed=kwargs.pop("seed", None),
            )
            return function(*args, **kwargs)

        decorated = connection_options(wrapper)
        if signs:
            decorated = signer_options(decorated)
        return cast(F, decorated)

    return decorate


def _command_line_first(given: dict[str, Any]) -> None:
    """A signer named on the command line wins over one named by a variable (``KOL_KEYSTORE``,
    ``KOL_SIGNER_URL``, ``KOL_SIGNER_ACCOUNT``), which is then set aside; two on the command
    line, or two variables, are still refused as two signers."""
    context = click.get_current_context(silent=True)
    if context is None:
        return

    def from_environment(name: str) -> bool:
        return context.get_parameter_source(name) == click.core.ParameterSource.ENVIRONMENT

    sources = {"keystore": ("keystore",), "external": ("signer_url", "signer_account")}
    on_command_line = {
        source
        for source, names in sources.items()
        if any(given.get(n) is not None and not from_environment(n) for n in names)
    }
    if given.get("dev") is not None:
        on_command_line.add("dev")
    if not on_command_line:
        return
    for source, names in sources.items():
        if source not in on_command_line:
            for name in names:
                if from_environment(name):
                    given[name] = None


# THE SESSION #


@dataclass
class Session:
    """The alliance of one deployment, reached when first needed, and the signer."""

    deployment_path: Path
    rpc_url: str | None = None
    keystore: str | None = None
    dev: str | None = None
    seed: int | None = None
    signer_url: str | None = None
    signer_account: str | None = None
    _deployment: Deployment | None = field(default=None, repr=False)
    _backend: RpcBackend | None = field(default=None, repr=False)
    _alliance: Alliance | None = field(default=None, repr=False)
    _signer: KeySigner | None = field(default=None, repr=False)

    @property
    def deployment(self) -> Deployment:
        if self._deployment is None:
            with reported():
                self._deployment = Deployment.load(self.deployment_path)
        return self._deployment

    @property
    def backend(self) -> RpcBackend:
        if self._backend is None:
            deployment = self.deployment
            with reported():
                self._backend = RpcBackend.connect(deployment, self.rpc_url)
        return self._backend

    @property
    def alliance(self) -> Alliance:
        if self._alliance is None:
            self._alliance = Alliance(self.backend)
        return self._alliance

    @property
    def signer(self) -> KeySigner:
        """The signer: the keystore's key, an external signer, or a dev key (dev chains only)."""
        if self._signer is None:
            self._signer = self._load_signer()
            self.backend.add_signer(self._signer)
        return self._signer

    @property
    def sender(self) -> str:
        """The signer's address (the acting member)."""
        return str(self.signer.address)

    def _load_signer(self) -> KeySigner:
        if self.dev is not None and looks_like_plain_key(self.dev):
            raise click.UsageError(f"--dev was given a private key. {HOW_TO_ENCRYPT}")
        given = [
            option
            for option, value in (
                ("--keystore FILE", self.keystore),
                ("--signer-url URL", self.signer_url),
                ("--dev NAME", self.dev),
            )
            if value is not None
        ]
        if len(given) > 1:
            raise click.UsageError(f"give one signer, not {' and '.join(given)}")
        if self.dev is None:
            if self.seed is not None and given:
                raise click.UsageError("--seed goes with --dev (it derives the dev keys)")
            signer = open_signer(self.keystore, self.signer_url, self.signer_account)
            if signer is None:
                raise click.UsageError(
                    "this command signs: give --keystore FILE (an encrypted key), --signer-url "
                    f"URL (an external signer), or --dev NAME on a devnet ({DEV_LABELS})"
                )
            return signer
        if self.signer_account is not None:
            raise click.UsageError("--signer-account goes with --signer-url, not --dev")
        from kol.cli.year import dev_key  # the demo's people: imported only for dev keys

        label = str(self.dev).strip().lower()
        if _DEV_LABEL.fullmatch(label) is None:
            raise click.BadParameter(
                f"{self.dev!r} is not a dev key: one of {DEV_LABELS}", param_hint="--dev"
            )
        backend = self.backend
        if not backend.dev:
            raise click.UsageError(
                f"--dev signs with a dev key whose private key is public: dev chains (anvil) "
                f"only, and chain {self.deployment.chain_id} is not one. Sign with --keystore "
                "FILE (kol keystore new / import make one)."
            )
        account = dev_key(self.dev_seed(), label)
        with reported():
            if int(backend.w3.eth.get_balance(account.address)) == 0:
                backend.set_balance(account.address, DEV_FUNDS)  # dev chain: gas for the key
        return account

    def dev_seed(self) -> int:
        """``--seed``, else the seed the devnet beside the deployment was made with."""
        if self.seed is not None:
            return self.seed
        try:
            info = json.loads((self.deployment_path.parent / "devnet.json").read_text())
            return int(info["seed"])
        except (OSError, ValueError, KeyError, TypeError):
            return DEFAULT_SEED

    def account(self, text: str, *, what: str = "account") -> str:
        """An address, the registered name of a community (from the council's events), or on
        a dev chain a dev key's label (``node:3``)."""
        address = as_checksum_address(text.strip())
        if address is not None:
            return str(address)
        label = text.strip().lower()
        if _DEV_LABEL.fullmatch(label) is not None and self.backend.dev:
            from kol.cli.year import dev_key

            return str(dev_key(self.dev_seed(), label).address)  # a dev key, on a dev chain
        with reported():
            names = self.alliance.community_names()
        matches = [a for a, name in names.items() if name == text.strip()]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise click.BadParameter(
                f"{len(matches)} communities are named {text!r}: give the address", param_hint=what
            )
        raise click.BadParameter(
            f"unknown member {text!r}: give an address (0x and 40 hex digits) or the name a "
            "community registered with",
            param_hint=what,
        )


# INPUT #


def parse_amount(text: str, decimals: int, *, what: str, unit: str) -> int:
    """``"1,500.25"`` of a token with ``decimals`` as base units (positive, exact)."""
    try:
        value = Decimal(text.replace(",", "").replace("_", ""))
    except InvalidOperation:
        raise click.BadParameter(f"{text!r} is not an amount of {unit}", param_hint=what) from None
    base = value.scaleb(decimals)
    if not value.is_finite() or base != base.to_integral_value():
        raise click.BadParameter(
            f"{text!r}: {unit} has {decimals} decimals at most", param_hint=what
        )
    if base <= 0:
        raise click.BadParameter(f"{text!r}: the amount must be more than 0", param_hint=what)
    return int(base)


def parse_ids(text: str, *, what: str) -> list[int]:
    """``"1,2,5"`` as ids (positive whole numbers, each once)."""
    ids: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit() or int(part) == 0:
            raise click.BadParameter(f"{part!r} is not an id (1, 2, …)", param_hint=what)
        if int(part) in ids:
            raise click.BadParameter(f"id {part} is named twice", param_hint=what)
        ids.append(int(part))
    return ids


def parse_time(text: str, *, what: str) -> int:
    """A moment: a unix timestamp, or an ISO date / date-time (UTC unless it says)."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is neither a unix timestamp nor a date (2024-01-31, 2024-01-31T12:00)",
            param_hint=what,
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def read_bytes(path: Path, *, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise click.BadParameter(f"{path}: {error.strerror or error}", param_hint=what) from None


def read_json(path: Path, *, what: str) -> Any:
    try:
        return json.loads(read_bytes(path, what=what).decode("utf-8"))
    except UnicodeDecodeError:
        raise click.BadParameter(f"{path} is not UTF-8 text", param_hint=what) from None
    except json.JSONDecodeError as error:
        raise click.BadParameter(
            f"{path} is not JSON (line {error.lineno}, column {error.colno}: {error.msg})",
            param_hint=what,
        ) from None


def write_new(path: Path, text: str, *, force: bool = False) -> None:
    """Writes a file the command produced; an existing one only with ``--force``."""
    if path.exists() and not force:
        raise click.UsageError(f"{path} already exists (another --out, or --force to replace it)")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"cannot write {path}: {error.strerror or error}") from None


@contextmanager
def refused_input(source: str) -> Iterator[None]:
    """A domain rule broken by an input file (``ValueError``) as a click error naming it."""
    try:
        yield
    except ValueError as error:
        raise click.ClickException(f"{source}: {error}") from None


# OUTPUT #


def console() -> Console:
    """A console on stdout; wide enough for addresses when stdout is not a terminal."""
    return Console(highlight=False, width=None if sys.stdout.isatty() else 160)


def emit(as_json: bool, payload: Mapping[str, Any], human: Callable[[Console], None]) -> None:
    """One JSON object on stdout (``--json``), or the human rendering."""
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, default=_json_default))
    else:
        human(console())


def say(as_json: bool, text: str) -> None:
    """Progress for people: on stderr under ``--json`` (stdout carries only the object)."""
    click.echo(text, err=as_json)


def _json_default(value: object) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    raise TypeError(f"not JSON: {value!r}")


def hex32(value: bytes) -> str:
    return "0x" + value.hex()


def when(timestamp: int, now: int | None = None) -> str:
    """A timestamp for people: ``2025-03-01 12:00 UTC (in 2d 3h)``."""
    if timestamp <= 0:
        return "—"
    text = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")
    if now is None:
        return text
    delta = timestamp - now
    span = abs(delta)
    days, rest = divmod(span, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    parts = [f"{days}d"] if days else []
    parts += [f"{hours}h"] if hours or days else []
    parts += [] if days else [f"{minutes}m"]
    relative = " ".join(parts)
    return f"{text} ({'in ' + relative if delta >= 0 else relative + ' ago'})"


def amount(value: int, decimals: int, unit: str) -> str:
    """Base units for people: ``1,500.25 USDT``."""
    whole, fraction = divmod(abs(value), 10**decimals)
    text = f"{'-' if value < 0 else ''}{whole:,}"
    if fraction:
        text += "." + f"{fraction:0{decimals}d}".rstrip("0")
    return f"{text} {unit}"


def kol(value: int) -> str:
    return amount(value, 18, "KOL")


def usdt(value: int) -> str:
    return amount(value, 6, "USDT")


def fail(message: str) -> click.ClickException:
    """An error to raise: the message a person can act on, exit code 1."""
    return click.ClickException(message)


__all__ = [
    "DEFAULT_DEPLOYMENT",
    "Session",
    "amount",
    "connection_options",
    "console",
    "emit",
    "fail",
    "hex32",
    "kol",
    "parse_amount",
    "parse_ids",
    "parse_time",
    "read_bytes",
    "read_json",
    "refused_input",
    "say",
    "session",
    "signer_options",
    "usdt",
    "when",
    "write_new",
]
