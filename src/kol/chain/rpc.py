"""The alliance over JSON-RPC: anvil, or any Ethereum node.

:class:`RpcBackend` implements the SDK's ``Backend`` protocol (``kol.alliance``) from a
deployment description: view calls, transactions signed here by the members' own keys
(``eth_account`` accounts: decrypted keystores, or dev keys on a devnet), receipts, and the
contract's revert reason raised as :class:`~kol.alliance.RuleViolation`, exactly as on the
in-process EVM. :func:`deploy` deploys the alliance following ``kol.chain.plan`` and returns its
:class:`~kol.chain.deployment.Deployment`.

A transaction is simulated before it is signed, so a refusal costs nothing and sends nothing.
Its return value is read from the node's call trace when the node offers one
(``debug_traceTransaction``, as anvil and most self-run nodes do), else from the simulation
made just before sending.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol, cast

from eth_abi.abi import decode, encode
from eth_abi.grammar import ABIType, BasicType, TupleType, parse
from eth_typing import ABIFunction
from eth_utils.abi import collapse_if_tuple, function_abi_to_4byte_selector
from eth_utils.address import is_address, to_checksum_address
from web3 import Web3
from web3.exceptions import ContractLogicError, TimeExhausted, TransactionNotFound, Web3Exception

from kol.alliance import ContractName, RuleViolation, _revert_reason
from kol.chain.artifacts import artifact
from kol.chain.deployment import ABI, Deployment
from kol.chain.plan import ContractKey, Plan, plan_alliance

__all__ = [
    "ChainError",
    "PreparedTransaction",
    "RpcBackend",
    "TransactionSigner",
    "connect",
    "deploy",
    "is_dev_chain",
]

GAS_MARGIN: Final = 1.2
"""Gas limit = estimate × margin (state may change between the estimate and the block)."""
DEV_CLIENTS: Final = ("anvil/", "hardhatnetwork/")
"""Client versions of chains whose clock and balances may be set (``evm_increaseTime``)."""
_NO_TRACE: Final = -32601  # "Method not found"


class ChainError(Exception):
    """The chain could not do what was asked (unreachable node, wrong chain, no key, a
    transaction that failed for a reason other than a rule)."""


@dataclass(frozen=True)
class PreparedTransaction:
    """A signed transaction not yet sent: what to record before sending it."""

    sender: str
    nonce: int
    tx_hash: bytes
    raw: bytes


class TransactionSigner(Protocol):
    """A key that signs transactions: an ``eth_account`` ``LocalAccount``."""

    @property
    def address(self) -> Any: ...

    def sign_transaction(self, transaction_dict: Any) -> Any: ...


def connect(url: str, *, timeout: float = 30) -> Web3:
    """A web3 connection to the node at ``url`` (checked: it must answer)."""
    w3 = Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": timeout}))
    # Transactions are signed here with the chain id and addresses are always checksummed:
    # web3's validation and ENS-name middlewares add nothing but requests (an eth_chainId
    # before every call), which made each view call cost three round trips.
    for unneeded in ("validation", "ens_name_to_address"):
        w3.middleware_onion.remove(unneeded)
    try:
        w3.eth.chain_id  # noqa: B018 (the first request proves the node answers)
    except Exception as error:
        raise ChainError(f"no Ethereum node answers at {url}: {error}") from None
    return w3


def is_dev_chain(w3: Web3) -> bool:
    """Whether the node is a dev chain (anvil, Hardhat) whose clock may be moved."""
    try:
        version = str(w3.client_version).lower()
    except Exception:  # a node that does not say what it is is not a dev chain
        return False
    return version.startswith(DEV_CLIENTS)


def _types(entries: Sequence[Mapping[str, Any]]) -> list[str]:
    return [collapse_if_tuple(dict(e)) for e in entries]


class _Function:
    """One ABI function: its selector, argument types and return types."""

    def __init__(self, entry: Mapping[str, Any]) -> None:
        self.name: str = entry["name"]
        self.inputs = _types(entry.get("inputs", ()))
        self.outputs = _types(entry.get("outputs", ()))
        self._parsed = [parse(t) for t in self.outputs]
        self.selector = function_abi_to_4byte_selector(cast(ABIFunction, dict(entry)))

    def calldata(self, args: Sequence[Any]) -> bytes:
        return self.selector + encode(self.inputs, list(args))

    def result(self, data: bytes) -> Any:
        """The decoded return value — a single value, or a tuple for several outputs — with
        addresses checksummed (as the in-process EVM returns them)."""
        if not self.outputs:
            return None
        decoded = decode(self.outputs, data)
        values = tuple(_checksummed(t, v) for t, v in zip(self._parsed, decoded, strict=True))
        return values[0] if len(values) == 1 else values


def _checksummed(abi_type: ABIType, value: Any) -> Any:
    if abi_type.is_array:
        assert abi_type.item_type is not None
        return tuple(_checksummed(abi_type.item_type, item) for item in value)
    if isinstance(abi_type, TupleType):
        return tuple(_checksummed(c, v) for c, v in zip(abi_type.components, value, strict=True))
    if isinstance(abi_type, BasicType) and abi_type.base == "address":
        return str(to_checksum_address(value))
    return value


def _functions(abi: ABI) -> dict[tuple[str, int], _Function]:
    table: dict[tuple[str, int], _Function] = {}
    for entry in abi:
        if entry.get("type") == "function":
            function = _Function(entry)
            table[(function.name, len(function.inputs))] = function
    return table


def _reason(error: ContractLogicError) -> str:
    data = error.data
    if isinstance(data, str) and data.startswith("0x"):
        return _revert_reason(bytes.fromhex(data[2:]))
    return _revert_reason(None)


class _Transactor:
    """Signs, sends and follows transactions for the keys it holds (nonces kept locally)."""

    def __init__(self, w3: Web3, *, receipt_timeout: float = 120) -> None:
        self.w3 = w3
        self.receipt_timeout = receipt_timeout
        self.signers: dict[str, TransactionSigner] = {}
        self._nonces: dict[str, int] = {}
        self._chain_id: int | None = None
        self._trace: bool | None = None

    @property
    def chain_id(self) -> int:
        if self._chain_id is None:
            self._chain_id = int(self.w3.eth.chain_id)
        return self._chain_id

    def add(self, signer: TransactionSigner) -> str:
        address = str(to_checksum_address(str(signer.address)))
        self.signers[address] = signer
        return address

    def signer(self, sender: str) -> tuple[str, TransactionSigner]:
        address = str(to_checksum_address(sender)) if is_address(sender) else sender
        signer = self.signers.get(address)
        if signer is None:
            raise ChainError(
                f"no key for {address}: a transaction from it must be signed by its own key "
                "(an encrypted keystore; on a devnet, its dev key)"
            )
        return address, signer

    def nonce(self, sender: str) -> int:
        if sender not in self._nonces:
            self._nonces[sender] = int(
                self.w3.eth.get_transaction_count(Web3.to_checksum_address(sender), "pending")
            )
        return self._nonces[sender]

    def forget_nonces(self) -> None:
        """Reads nonces from the chain again (after a devnet snapshot was reverted)."""
        self._nonces.clear()

    def _fees(self) -> dict[str, int]:
        base = int(self.w3.eth.get_block("latest").get("baseFeePerGas", 0) or 0)
        tip = int(self.w3.eth.max_priority_fee)
        return {"maxFeePerGas": 2 * base + tip, "maxPriorityFeePerGas": tip}

    def sign(self, address: str, *, to: str | None, data: bytes, gas: int, nonce: int) -> Any:
        """Signs a transaction from ``address`` (a key held here); sends nothing."""
        _, signer = self.signer(address)
        transaction: dict[str, Any] = {
            "chainId": self.chain_id,
            "nonce": nonce,
            "gas": gas,
            "value": 0,
            "data": data,
            "type": 2,
            **self._fees(),
        }
        if to is not None:
            transaction["to"] = to
        return signer.sign_transaction(transaction)

    def send(
        self,
        sender: str,
        *,
        to: str | None,
        data: bytes,
        gas: int,
        nonce: int | None = None,
    ) -> Any:
        """Signs and sends; waits for the receipt and returns it."""
        address, _ = self.signer(sender)
        expected = self.nonce(address)
        if nonce is not None and nonce != expected:
            raise ChainError(f"{address}'s next nonce is {expected}, not {nonce}")
        signed = self.sign(address, to=to, data=data, gas=gas, nonce=expected)
        try:
            digest = self.w3.eth.send_raw_transaction(signed.raw_transaction)
        except Exception as error:
            self._nonces.pop(address, None)
            raise ChainError(f"the node refused the transaction from {address}: {error}") from None
        self._nonces[address] = expected + 1
        return self._receipt(digest)

    def _receipt(self, digest: Any) -> Any:
        deadline = time.monotonic() + self.receipt_timeout
        pause = 0.005
        while True:
            try:
                return self.w3.eth.get_transaction_receipt(digest)
            except TransactionNotFound:
                if time.monotonic() > deadline:
                    raise ChainError(
                        f"transaction {digest.to_0x_hex()} not mined within "
                        f"{self.receipt_timeout:.0f} s"
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 1.0)
            except TimeExhausted:  # pragma: no cover - raised by some providers
                raise ChainError(f"transaction {digest.to_0x_hex()} not mined") from None

    def output(self, digest: Any) -> bytes | None:
        """The call's return (or revert) data from the node's call trace, when it has one."""
        if self._trace is False:
            return None
        answer = self.w3.provider.make_request(
            "debug_traceTransaction",  # type: ignore[arg-type]
            [digest.to_0x_hex(), {"tracer": "callTracer"}],
        )
        error = answer.get("error")
        result = answer.get("result")
        if error is not None or not isinstance(result, dict):
            if isinstance(error, dict) and error.get("code") == _NO_TRACE:
                self._trace = False
            return None
        self._trace = True
        output = result.get("output") or "0x"
        return bytes.fromhex(str(output)[2:])

    def estimate(self, sender: str, to: str | None, data: bytes) -> int:
        """Gas for the transaction; raises ContractLogicError when it would revert."""
        params: dict[str, Any] = {"from": sender, "data": data}
        if to is not None:
            params["to"] = to
        estimate = int(self.w3.eth.estimate_gas(params))  # type: ignore[arg-type]
        return int(estimate * GAS_MARGIN)


class RpcBackend:
    """The alliance of a deployment description, over JSON-RPC (see the module's docstring)."""

    def __init__(
        self,
        w3: Web3,
        deployment: Deployment,
        signers: Iterable[TransactionSigner] = (),
        *,
        dev: bool | None = None,
        receipt_timeout: float = 120,
    ) -> None:
        self.w3 = w3
        self.deployment = deployment
        self.dev = is_dev_chain(w3) if dev is None else dev
        """Whether this is a dev chain: only there may time be moved and balances set."""
        self._tx = _Transactor(w3, receipt_timeout=receipt_timeout)
        self._functions: dict[str, dict[tuple[str, int], _Function]] = {}
        for signer in signers:
            self.add_signer(signer)

    @classmethod
    def connect(
        cls,
        deployment: Deployment,
        url: str | None = None,
        signers: Iterable[TransactionSigner] = (),
        *,
        dev: bool | None = None,
    ) -> RpcBackend:
        """Connects to ``url`` (default: the description's ``rpc_url``) and checks that the
        node is on the deployment's chain and that the Council is there."""
        url = url or deployment.rpc_url
        if not url:
            raise ChainError("no RPC URL: give one (--rpc), the deployment does not record it")
        w3 = connect(url)
        chain_id = int(w3.eth.chain_id)
        if chain_id != deployment.chain_id:
            raise ChainError(
                f"the node at {url} is on chain {chain_id}; the deployment is on chain "
                f"{deployment.chain_id}"
            )
        if not w3.eth.get_code(Web3.to_checksum_address(deployment.council)):
            raise ChainError(
                f"no Council at {deployment.council} on chain {chain_id} ({url}): the chain was "
                "reset, or the deployment describes another chain"
            )
        return cls(w3, deployment, signers, dev=dev)

    def add_signer(self, signer: TransactionSigner) -> str:
        """Lets this backend send transactions from ``signer``'s address; returns it."""
        return self._tx.add(signer)

    def forget_nonces(self) -> None:
        """Reads every sender's nonce from the chain again (after a devnet snapshot revert)."""
        self._tx.forget_nonces()

    # the Backend protocol ----------------------------------------------------------------

    def address(self, contract: ContractName) -> str | None:
        return self.deployment.address(contract)

    def _function(self, contract: ContractKey, function: str, args: tuple[Any, ...]) -> _Function:
        if contract not in self._functions:
            self._functions[contract] = _functions(self.deployment.abi(contract))
        found = self._functions[contract].get((function, len(args)))
        if found is None:
            raise ChainError(
                f"the {contract}'s ABI has no function {function} taking {len(args)} arguments"
            )
        return found

    def _target(self, contract: ContractKey, function: str) -> str:
        address = self.deployment.address(contract)
        if address is None:
            raise RuleViolation(f"alliance: the {contract} is not deployed", function)
        return address

    def _eth_call(self, sender: str | None, to: str, data: bytes, function: str) -> bytes:
        params: dict[str, Any] = {"to": to, "data": data}
        if sender is not None:
            params["from"] = sender
        try:
            return bytes(self.w3.eth.call(params))  # type: ignore[arg-type]
        except ContractLogicError as error:
            raise RuleViolation(_reason(error), function) from None
        except Web3Exception as error:
            raise ChainError(f"{function}: {error}") from None

    def call(self, contract: ContractName, function: str, *args: Any) -> Any:
        to = self._target(contract, function)
        fn = self._function(contract, function, args)
        return fn.result(self._eth_call(None, to, fn.calldata(args), function))

    def transact(self, contract: ContractName, function: str, *args: Any, sender: str) -> Any:
        to = self._target(contract, function)
        fn = self._function(contract, function, args)
        data = fn.calldata(args)
        address, _ = self._tx.signer(sender)
        simulated = self._eth_call(address, to, data, function) if fn.outputs else None
        try:
            gas = self._tx.estimate(address, to, data)
        except ContractLogicError as error:
            raise RuleViolation(_reason(error), function) from None
        except Web3Exception as error:
            raise ChainError(f"{function}: {error}") from None
        receipt = self._tx.send(address, to=to, data=data, gas=gas)
        failed = int(receipt["status"]) != 1
        output = self._tx.output(receipt["transactionHash"]) if fn.outputs or failed else None
        if failed:
            raise RuleViolation(self._failure(receipt, output, address, to, data), function)
        if output is None:
            output = simulated
        return None if output is None else fn.result(output)

    def _failure(
        self, receipt: Any, output: bytes | None, sender: str, to: str, data: bytes
    ) -> str:
        """Why a mined transaction failed (it passed its simulation: the state moved)."""
        if output is not None:
            return _revert_reason(output)
        try:
            params: Any = {"from": sender, "to": to, "data": data}
            self.w3.eth.call(params, int(receipt["blockNumber"]))
        except ContractLogicError as error:
            return _reason(error)
        except Web3Exception:
            pass
        return f"reverted without a reason (gas used {int(receipt['gasUsed']):,})"

    # transactions recorded before they are sent (the relayer) -----------------------------

    def prepare(
        self, contract: ContractName, function: str, *args: Any, sender: str, nonce: int
    ) -> PreparedTransaction:
        """Simulates the call and signs it from ``sender`` with ``nonce``, sending nothing, so
        that the caller can record the transaction (its hash and raw bytes) before it leaves.
        A refusal raises :class:`RuleViolation` and signs nothing."""
        to = self._target(contract, function)
        fn = self._function(contract, function, args)
        data = fn.calldata(args)
        address, _ = self._tx.signer(sender)
        try:
            gas = self._tx.estimate(address, to, data)
        except ContractLogicError as error:
            raise RuleViolation(_reason(error), function) from None
        except Web3Exception as error:
            raise ChainError(f"{function}: {error}") from None
        signed = self._tx.sign(address, to=to, data=data, gas=gas, nonce=nonce)
        return PreparedTransaction(
            sender=address,
            nonce=nonce,
            tx_hash=bytes(signed.hash),
            raw=bytes(signed.raw_transaction),
        )

    def next_nonce(self, sender: str) -> int:
        """``sender``'s next nonce as the node counts it (its pending transactions included)."""
        return int(self.w3.eth.get_transaction_count(Web3.to_checksum_address(sender), "pending"))

    def broadcast(self, raw: bytes) -> None:
        """Sends a signed transaction. Sending one the node already has is harmless; a node
        that refuses it raises :class:`ChainError` (``nonce too low``: its nonce was used)."""
        try:
            self.w3.eth.send_raw_transaction(raw)
        except Exception as error:
            if "already known" in str(error).lower():
                return
            raise ChainError(f"the node refused the transaction: {error}") from None

    def receipt(self, tx_hash: bytes) -> Any | None:
        """The transaction's receipt, or None while it is not mined (or unknown)."""
        try:
            return self.w3.eth.get_transaction_receipt(tx_hash)  # type: ignore[arg-type]
        except TransactionNotFound:
            return None
        except Web3Exception as error:
            raise ChainError(f"reading the receipt of 0x{tx_hash.hex()}: {error}") from None

    def wait_for_receipt(self, tx_hash: bytes, timeout: float) -> Any | None:
        """The receipt once mined, or None after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        pause = 0.005
        while True:
            found = self.receipt(tx_hash)
            if found is not None or time.monotonic() > deadline:
                return found
            time.sleep(pause)
            pause = min(pause * 2, 1.0)

    def clock(self) -> tuple[int, int]:
        """(timestamp of the latest block, the next block's number). A live chain's next
        timestamp is not known in advance; the latest one is its lower bound."""
        block = self.w3.eth.get_block("latest")
        return int(block["timestamp"]), int(block["number"]) + 1

    def wait(self, seconds: int) -> None:
        """Moves a dev chain's clock ``seconds`` ahead and mines a block; a live chain
        refuses (its time passes only as its blocks come)."""
        self._dev_only("waiting", "time passes only as its blocks come")
        self.w3.provider.make_request("evm_increaseTime", [max(int(seconds), 0)])  # type: ignore[arg-type]
        self.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]

    # events ------------------------------------------------------------------------------

    def events(self, contract: ContractName, event: str, **indexed: Any) -> list[dict[str, Any]]:
        """The ``event`` logs of ``contract`` from the deployment's start block to the latest,
        oldest first: each a dict of the event's fields (structs as dicts, addresses
        checksummed, bytes as bytes) plus ``block_number``. ``indexed`` filters on indexed
        fields (``motion_id=3``)."""
        address = self._target(contract, event)
        handle = self.w3.eth.contract(
            address=Web3.to_checksum_address(address), abi=list(self.deployment.abi(contract))
        )
        try:
            logs = handle.events[event].get_logs(
                from_block=self.deployment.start_block, argument_filters=indexed or None
            )
        except Web3Exception as error:
            raise ChainError(f"reading the {contract}'s {event} events: {error}") from None
        found: list[dict[str, Any]] = []
        for log in logs:
            fields = _plain(log["args"])
            fields["block_number"] = int(log["blockNumber"])
            found.append(fields)
        return found

    # dev chains --------------------------------------------------------------------------

    def _dev_only(self, what: str, why: str) -> None:
        if not self.dev:
            raise ChainError(
                f"{what} is for dev chains (anvil) only: on chain {self._tx.chain_id} {why}"
            )

    def set_balance(self, account: str, wei: int) -> None:
        """Gives ``account`` a balance of ``wei`` (dev chains only: funds dev keys)."""
        self._dev_only("setting a balance", "ether is only had by transfer")
        answer = self.w3.provider.make_request(
            "anvil_setBalance",  # type: ignore[arg-type]
            [str(to_checksum_address(account)), hex(wei)],
        )
        if answer.get("error"):
            raise ChainError(f"anvil_setBalance: {answer['error']}")


def deploy(
    w3: Web3,
    signer: TransactionSigner,
    *,
    admin: str,
    foundation: str,
    usdt: str | None = None,
    rpc_url: str | None = None,
    progress: Callable[[str, str], None] | None = None,
) -> Deployment:
    """Deploys the alliance from ``signer`` following ``kol.chain.plan`` and returns its
    description. ``usdt`` names the fee token; without it a TestUSDT is deployed first (dev
    chains only). ``progress(contract, address)`` is told of each contract as it lands."""
    transactor = _Transactor(w3)
    sender = transactor.add(signer)
    dev = is_dev_chain(w3)
    if usdt is None and not dev:
        raise ChainError(
            "a TestUSDT is for dev chains only (anyone may mint it): give the USDT address"
        )
    if usdt is not None:
        if not is_address(usdt):
            raise ChainError(f"the USDT address is not an address: {usdt!r}")
        usdt = str(to_checksum_address(usdt))
        if not w3.eth.get_code(Web3.to_checksum_address(usdt)):
            raise ChainError(
                f"no contract at the USDT address {usdt} on chain {transactor.chain_id}"
            )
    plan = plan_alliance(
        sender,
        transactor.nonce(sender),
        admin=admin,
        foundation=foundation,
        with_treasury=True,
        usdt=usdt,
    )
    start_block: int | None = None
    abis: dict[ContractKey, ABI] = {}
    compiled = None
    for step in plan.steps:
        compiled = artifact(step.contract)
        constructor = next((e for e in compiled.abi if e.get("type") == "constructor"), None)
        types = _types(constructor.get("inputs", ())) if constructor is not None else []
        data = compiled.bytecode + encode(types, list(step.args))
        try:
            gas = transactor.estimate(sender, None, data)
        except ContractLogicError as error:
            raise ChainError(f"{step.contract}'s constructor refused: {_reason(error)}") from None
        receipt = transactor.send(sender, to=None, data=data, gas=gas, nonce=step.nonce)
        landed = receipt.get("contractAddress")
        if int(receipt["status"]) != 1 or landed is None:
            digest = receipt["transactionHash"].to_0x_hex()
            raise ChainError(f"deploying {step.contract} failed (transaction {digest})")
        if str(to_checksum_address(landed)) != step.address:
            raise ChainError(f"{step.contract} landed at {landed}, not at {step.address}")
        if start_block is None:
            start_block = int(receipt["blockNumber"])
        abis[step.key] = compiled.abi
        if progress is not None:
            progress(step.contract, step.address)
    assert start_block is not None and compiled is not None
    if "usdt" not in abis:  # an existing USDT: the ERC-20 surface of TestUSDT, less its faucet
        abis["usdt"] = tuple(e for e in artifact("dev/TestUSDT").abi if e.get("name") != "mint")
    return _description(plan, abis, transactor.chain_id, start_block, compiled, rpc_url)


def _description(
    plan: Plan,
    abis: Mapping[ContractKey, ABI],
    chain_id: int,
    start_block: int,
    compiled: Any,
    rpc_url: str | None,
) -> Deployment:
    def at(key: ContractKey) -> str:
        address = plan.address(key)
        assert address is not None
        return address

    return Deployment(
        chain_id=chain_id,
        token=at("token"),
        council=at("council"),
        motions=at("motions"),
        treasury=plan.address("treasury"),
        usdt=plan.address("usdt"),
        abis=dict(abis),
        start_block=start_block,
        deployer=plan.deployer,
        vyper_version=compiled.vyper_version,
        evm_version=compiled.evm_version,
        rpc_url=rpc_url,
        test_usdt=plan.deploys_test_usdt,
    )


def _plain(value: Any) -> Any:
    """web3's decoded event values as plain Python (dicts, lists, bytes, checksummed
    addresses)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    if isinstance(value, str) and is_address(value) and value.startswith("0x"):
        return str(to_checksum_address(value))
    return value
