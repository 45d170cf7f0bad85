"""The deployment description: written once by a deploy, read by every other piece.

One JSON file (``deployment.json``) says where the alliance lives: the chain id, the address
and ABI of every contract, the block to start reading events from, who deployed it and with
which compiler. The SDK's JSON-RPC backend, the CLI, and later the indexer and the API all
start from it.

The file never holds a secret: no key, and an RPC URL only when the deploy was told to record
it (a provider's URL often carries an API key).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, NoReturn, get_args

from eth_utils.address import is_address, to_checksum_address

from kol.chain.keys import HOW_TO_ENCRYPT, plain_key_field
from kol.chain.plan import ContractKey

__all__ = ["FORMAT", "Deployment", "DeploymentError", "write_private"]

FORMAT: Final = "kol-alliance/deployment@1"
"""The format tag of the file (a future layout gets a new tag)."""
CONTRACT_KEYS: Final[tuple[ContractKey, ...]] = get_args(ContractKey)
REQUIRED: Final[tuple[ContractKey, ...]] = ("token", "council", "motions")
CONTRACT_NAMES: Final[Mapping[ContractKey, str]] = {
    "usdt": "USDT",
    "token": "KOLToken",
    "council": "Council",
    "motions": "Motions",
    "treasury": "Treasury",
}
TEST_USDT_NAME: Final = "TestUSDT"

ABI = tuple[Mapping[str, Any], ...]


class DeploymentError(ValueError):
    """A deployment description that cannot be read: the message names the file and the field."""


@dataclass(frozen=True)
class Deployment:
    """Where one alliance lives. Addresses are checksummed; a governance-only deployment has
    no Treasury (and so no USDT)."""

    chain_id: int
    token: str
    council: str
    motions: str
    treasury: str | None
    usdt: str | None
    abis: Mapping[ContractKey, ABI] = field(repr=False)
    """The ABI of each deployed contract (and of the USDT the Treasury takes)."""
    start_block: int
    """The block of the first deployment transaction: event readers start here."""
    deployer: str
    vyper_version: str
    evm_version: str
    rpc_url: str | None = None
    test_usdt: bool = False
    """The USDT is the dev chain's TestUSDT (anyone may mint), deployed with the alliance."""

    def address(self, key: ContractKey) -> str | None:
        """The address of ``key`` (None when this deployment has no such contract)."""
        value: str | None = getattr(self, key)
        return value

    def abi(self, key: ContractKey) -> ABI:
        if key not in self.abis:
            raise DeploymentError(f"the deployment has no ABI for the {key}")
        return self.abis[key]

    def contract_name(self, key: ContractKey) -> str:
        return TEST_USDT_NAME if key == "usdt" and self.test_usdt else CONTRACT_NAMES[key]

    # JSON ------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The JSON object of ``deployment.json``."""
        contracts: dict[str, Any] = {}
        for key in CONTRACT_KEYS:
            address = self.address(key)
            if address is not None:
                contracts[key] = {
                    "name": self.contract_name(key),
                    "address": address,
                    "abi": [dict(entry) for entry in self.abis.get(key, ())],
                }
        return {
            "format": FORMAT,
            "chain_id": self.chain_id,
            "rpc_url": self.rpc_url,
            "start_block": self.start_block,
            "deployer": self.deployer,
            "compiler": {"vyper": self.vyper_version, "evm_version": self.evm_version},
            "contracts": contracts,
        }

    @classmethod
    def from_json(cls, data: object, *, origin: str = "deployment") -> Deployment:
        """Reads the JSON object of ``deployment.json``; :class:`DeploymentError` names what is
        wrong (``origin`` starts the message: usually the file's path)."""
        reader = _Reader(origin)
        top = reader.mapping(data, "the file")
        tag = top.get("format")
        if tag != FORMAT:
            reader.fail(f'"format" is {tag!r}; expected {FORMAT!r} (a kol deployment description)')
        contracts = reader.mapping(reader.get(top, "contracts"), '"contracts"')
        addresses: dict[ContractKey, str | None] = {}
        abis: dict[ContractKey, ABI] = {}
        names: dict[ContractKey, str] = {}
        for key in CONTRACT_KEYS:
            if key not in contracts:
                if key in REQUIRED:
                    reader.fail(f'"contracts" has no "{key}" ({CONTRACT_NAMES[key]})')
                addresses[key] = None
                continue
            where = f'"contracts.{key}"'
            entry = reader.mapping(contracts[key], where)
            addresses[key] = reader.address(reader.get(entry, "address", where), f"{where}.address")
            abis[key] = reader.abi(reader.get(entry, "abi", where), f"{where}.abi")
            names[key] = reader.string(reader.get(entry, "name", where), f"{where}.name")
        unknown = sorted(set(contracts) - set(CONTRACT_KEYS))
        if unknown:
            reader.fail(f'"contracts" has unknown entries: {", ".join(unknown)}')
        if addresses["treasury"] is not None and addresses["usdt"] is None:
            reader.fail('"contracts" has a treasury but no "usdt" (the token its fees are paid in)')
        compiler = reader.mapping(reader.get(top, "compiler"), '"compiler"')
        rpc_url = top.get("rpc_url")
        if rpc_url is not None:
            rpc_url = reader.string(rpc_url, '"rpc_url"')
        treasury, usdt = addresses["treasury"], addresses["usdt"]
        token, council, motions = addresses["token"], addresses["council"], addresses["motions"]
        assert token is not None and council is not None and motions is not None
        return cls(
            chain_id=reader.natural(reader.get(top, "chain_id"), '"chain_id"', minimum=1),
            token=token,
            council=council,
            motions=motions,
            treasury=treasury,
            usdt=usdt,
            abis=abis,
            start_block=reader.natural(reader.get(top, "start_block"), '"start_block"'),
            deployer=reader.address(reader.get(top, "deployer"), '"deployer"'),
            vyper_version=reader.string(
                reader.get(compiler, "vyper", '"compiler"'), '"compiler.vyper"'
            ),
            evm_version=reader.string(
                reader.get(compiler, "evm_version", '"compiler"'), '"compiler.evm_version"'
            ),
            rpc_url=rpc_url,
            test_usdt=names.get("usdt") == TEST_USDT_NAME,
        )

    # files -----------------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Writes the description to ``path`` (readable by its owner only). An existing file
        is kept unless ``overwrite``: a deployment is described once."""
        target = Path(path)
        if target.exists() and not overwrite:
            raise FileExistsError(
                f"{target} already exists: a deployment is described once "
                "(choose another file, or remove it if it describes nothing live)"
            )
        text = json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"
        write_private(target, text)
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Deployment:
        """Reads ``deployment.json``; :class:`DeploymentError` says what is wrong with it."""
        source = Path(path)
        try:
            text = source.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise DeploymentError(
                f"{source}: no such file (deploy first: kol deploy, or kol up for a devnet)"
            ) from None
        except (OSError, UnicodeDecodeError) as error:
            raise DeploymentError(f"{source}: cannot be read ({error})") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise DeploymentError(
                f"{source}: not JSON (line {error.lineno}, column {error.colno}: {error.msg})"
            ) from None
        secret = plain_key_field(data)
        if secret is not None:  # a description is shared: it never carries a key
            raise DeploymentError(
                f"{source}: {secret!r} holds a plain private key; a deployment description never "
                f"carries a key (remove it). {HOW_TO_ENCRYPT}"
            )
        return cls.from_json(data, origin=str(source))


def write_private(path: Path, text: str) -> None:
    """Writes ``text`` to ``path`` atomically, readable and writable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class _Reader:
    """Checks the fields of a description, raising errors that name them."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, problem: str) -> NoReturn:
        raise DeploymentError(f"{self.origin}: {problem}")

    def mapping(self, value: object, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(f"{where} must be a JSON object, not {_kind(value)}")
        return value

    def get(self, data: dict[str, Any], key: str, where: str = "the file") -> Any:
        if key not in data:
            self.fail(f'{where} has no "{key}"')
        return data[key]

    def string(self, value: object, where: str) -> str:
        if not isinstance(value, str) or not value:
            self.fail(f"{where} must be a non-empty string, not {_kind(value)}")
        return value

    def natural(self, value: object, where: str, *, minimum: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(f"{where} must be an integer ≥ {minimum}, not {value!r}")
        return value

    def address(self, value: object, where: str) -> str:
        if not isinstance(value, str) or not is_address(value):
            self.fail(
                f"{where} is not an address: {value!r} (0x and 40 hex digits, "
                "checksummed if in mixed case)"
            )
        return str(to_checksum_address(str(value)))

    def abi(self, value: object, where: str) -> ABI:
        if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
            self.fail(f"{where} must be a list of ABI entries (JSON objects)")
        for i, entry in enumerate(value):
            if not isinstance(entry.get("type"), str):
                self.fail(f'{where}[{i}] has no "type"')
        return tuple(value)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)
