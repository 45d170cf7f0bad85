"""What the indexer reads from the chain: the head, block headers, the alliance's logs (decoded
with the deployment's ABIs) and the senders of their transactions — plain JSON-RPC through
web3.py's HTTP provider, batched where a node allows it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from eth_abi.abi import decode
from eth_utils.abi import collapse_if_tuple, event_abi_to_log_topic
from eth_utils.address import to_checksum_address
from web3 import Web3

from kol.chain.deployment import Deployment
from kol.chain.plan import ContractKey

__all__ = ["Block", "ChainSource", "Log", "SourceError"]

INDEXED_CONTRACTS: Final[tuple[ContractKey, ...]] = ("council", "motions", "token", "treasury")
"""The alliance's own contracts (the USDT's events are not the alliance's)."""
BATCH: Final = 1000
"""Requests per JSON-RPC batch."""


class SourceError(RuntimeError):
    """The node could not answer what the indexer asked (the message says what and why)."""


class TooManyLogs(SourceError):
    """The node refused a log query as too large: ask for a smaller range."""


@dataclass(frozen=True)
class Block:
    number: int
    hash: str
    parent_hash: str
    timestamp: int


@dataclass(frozen=True)
class Log:
    """One decoded log of an alliance contract."""

    block_number: int
    block_hash: str
    tx_hash: str
    tx_index: int
    log_index: int
    address: str
    contract: str
    name: str
    args: dict[str, Any]
    topics: tuple[str, ...]
    data: str


@functools.lru_cache(maxsize=65_536)
def checksum(address: str | bytes) -> str:
    """EIP-55 form of an address (cached: a chain's logs name the same members again and
    again, and each checksum is a keccak)."""
    return str(to_checksum_address(address))


def _plain(abi_type: Mapping[str, Any], value: Any) -> Any:
    """An ABI value as JSON: structs as objects, addresses checksummed, bytes as 0x hex."""
    kind: str = abi_type["type"]
    if kind.endswith("]"):
        item = dict(abi_type, type=kind[: kind.rindex("[")])
        return [_plain(item, v) for v in value]
    if kind == "tuple":
        return {
            str(c["name"]): _plain(c, v) for c, v in zip(abi_type["components"], value, strict=True)
        }
    if kind == "address":
        return checksum(value)
    if isinstance(value, bytes | bytearray):
        return "0x" + bytes(value).hex()
    return value


WordDecoder = Callable[[bytes], Any]


def _word_decoder(kind: str) -> WordDecoder | None:
    """How to read one 32-byte word of an elementary static type as :func:`_plain` would
    (None: not elementary, eth_abi decodes it). eth_abi checks padding; these readers do not
    need to, because the words come from the alliance's own contracts."""
    if kind == "address":
        return lambda word: checksum(word[12:])
    if kind == "bool":
        return lambda word: word[31] != 0
    if kind.startswith("uint") and kind[4:].isdigit():
        return lambda word: int.from_bytes(word, "big")
    if kind.startswith("int") and kind[3:].isdigit():
        return lambda word: int.from_bytes(word, "big", signed=True)
    if kind.startswith("bytes") and kind[5:].isdigit():
        size = int(kind[5:])
        return lambda word: "0x" + word[:size].hex()
    return None


class _Event:
    """One event of a contract's ABI, with its decoding planned once.

    Indexed elementary values and a data part made only of elementary static values (most
    of the alliance's events) are read word by word; anything else goes through eth_abi."""

    def __init__(self, contract: str, abi: Mapping[str, Any]) -> None:
        self.contract = contract
        self.name: str = abi["name"]
        self.order = [str(i["name"]) for i in abi["inputs"]]
        self.indexed: list[tuple[str, Mapping[str, Any], str, WordDecoder | None]] = []
        for entry in abi["inputs"]:
            if entry.get("indexed"):
                kind = collapse_if_tuple(dict(entry))
                hashed = kind in ("string", "bytes") or kind.endswith("]") or kind.startswith("(")
                self.indexed.append(
                    (str(entry["name"]), entry, "hashed" if hashed else kind, _word_decoder(kind))
                )
        self.plain = [i for i in abi["inputs"] if not i.get("indexed")]
        self.plain_types = [collapse_if_tuple(dict(e)) for e in self.plain]
        readers = [_word_decoder(kind) for kind in self.plain_types]
        self.words: list[WordDecoder] | None = (
            [r for r in readers if r is not None] if all(readers) else None
        )

    def decode(self, topics: Sequence[bytes], data: bytes) -> dict[str, Any]:
        args: dict[str, Any] = {}
        for (name, entry, kind, reader), topic in zip(self.indexed, topics[1:], strict=True):
            if kind == "hashed":
                args[name] = "0x" + topic.hex()  # an indexed dynamic value: its hash
            elif reader is not None:
                args[name] = reader(topic)
            else:
                args[name] = _plain(entry, decode([kind], topic)[0])
        if self.words is not None and len(data) == 32 * len(self.words):
            for i, (entry, reader) in enumerate(zip(self.plain, self.words, strict=True)):
                args[entry["name"]] = reader(data[32 * i : 32 * i + 32])
        else:
            values = decode(self.plain_types, data)
            for entry, value in zip(self.plain, values, strict=True):
                args[entry["name"]] = _plain(entry, value)
        return {name: args[name] for name in self.order}


class ChainSource:
    """The alliance of ``deployment`` as seen by the node behind ``w3``."""

    def __init__(self, w3: Web3, deployment: Deployment) -> None:
        self.w3 = w3
        self.deployment = deployment
        self.addresses: list[str] = []
        self._events: dict[tuple[str, bytes], _Event] = {}
        self._contracts: dict[str, str] = {}
        for key in INDEXED_CONTRACTS:
            address = deployment.address(key)
            if address is None:
                continue
            self.addresses.append(address)
            self._contracts[address.lower()] = key
            for entry in deployment.abi(key):
                if entry.get("type") == "event" and not entry.get("anonymous"):
                    topic = event_abi_to_log_topic(dict(entry))  # type: ignore[arg-type]
                    self._events[(address.lower(), topic)] = _Event(key, entry)
        self._batches = True

    # JSON-RPC ----------------------------------------------------------------------------

    def _call(self, method: str, params: list[Any]) -> Any:
        try:
            answer = self.w3.provider.make_request(method, params)  # type: ignore[arg-type]
        except Exception as error:
            raise SourceError(f"{method}: {error}") from None
        if answer.get("error"):
            message = str(answer["error"].get("message", answer["error"]))
            if method == "eth_getLogs" and _too_many(message):
                raise TooManyLogs(message)
            raise SourceError(f"{method}: {message}")
        return answer.get("result")

    def _many(self, method: str, params: Sequence[list[Any]]) -> list[Any]:
        """The answers to the same method with each of ``params``, batched when possible."""
        results: list[Any] = []
        for start in range(0, len(params), BATCH):
            chunk = params[start : start + BATCH]
            if self._batches and len(chunk) > 1:
                try:
                    answers = self.w3.provider.make_batch_request(  # type: ignore[attr-defined]
                        [(method, p) for p in chunk]
                    )
                except Exception:
                    answers = None
                if isinstance(answers, list) and len(answers) == len(chunk):
                    for p, answer in zip(chunk, answers, strict=True):
                        if answer.get("error"):
                            raise SourceError(f"{method} {p}: {answer['error']}")
                        results.append(answer.get("result"))
                    continue
                self._batches = False  # this node does not take batches: one by one
            results.extend(self._call(method, p) for p in chunk)
        return results

    # reads -------------------------------------------------------------------------------

    def chain_id(self) -> int:
        return int(self._call("eth_chainId", []), 16)

    def head(self) -> int:
        return int(self._call("eth_blockNumber", []), 16)

    def blocks(self, numbers: Iterable[int]) -> dict[int, Block | None]:
        """The headers of ``numbers`` (None for a block the chain does not have)."""
        wanted = sorted(set(numbers))
        answers = self._many("eth_getBlockByNumber", [[hex(n), False] for n in wanted])
        found: dict[int, Block | None] = {}
        for number, answer in zip(wanted, answers, strict=True):
            found[number] = (
                None
                if not answer
                else Block(
                    number=int(answer["number"], 16),
                    hash=str(answer["hash"]),
                    parent_hash=str(answer["parentHash"]),
                    timestamp=int(answer["timestamp"], 16),
                )
            )
        return found

    def block(self, number: int) -> Block | None:
        return self.blocks([number])[number]

    def logs(self, first: int, last: int) -> list[Log]:
        """The alliance's logs in blocks ``first``…``last``, in chain order, decoded."""
        raw = self._call(
            "eth_getLogs",
            [{"fromBlock": hex(first), "toBlock": hex(last), "address": self.addresses}],
        )
        logs = [self._decode(entry) for entry in raw or [] if not entry.get("removed")]
        return sorted(logs, key=lambda log: (log.block_number, log.log_index))

    def senders(self, tx_hashes: Iterable[str]) -> dict[str, str]:
        """The sender of each transaction."""
        wanted = sorted(set(tx_hashes))
        # a receipt names its sender too ("from"), and nodes give receipts without recovering
        # the signature (anvil answers them about three times faster than the transactions)
        answers = self._many("eth_getTransactionReceipt", [[h] for h in wanted])
        senders: dict[str, str] = {}
        for digest, answer in zip(wanted, answers, strict=True):
            if not answer:
                raise SourceError(f"the node does not know transaction {digest} (a reorg?)")
            senders[digest] = checksum(str(answer["from"]))
        return senders

    def call(self, contract: ContractKey, function: str, block: int | str = "latest") -> Any:
        """A view function without arguments (``foundation()``), decoded."""
        address = self.deployment.address(contract)
        entry = next(
            (
                e
                for e in self.deployment.abi(contract)
                if e.get("type") == "function" and e.get("name") == function and not e["inputs"]
            ),
            None,
        )
        if address is None or entry is None:
            raise SourceError(f"the {contract} has no view {function}()")
        selector = Web3.keccak(text=f"{function}()")[:4]
        block_tag = hex(block) if isinstance(block, int) else block
        output = self._call("eth_call", [{"to": address, "data": "0x" + selector.hex()}, block_tag])
        types = [collapse_if_tuple(dict(o)) for o in entry["outputs"]]
        (value,) = decode(types, bytes.fromhex(str(output)[2:]))
        return _plain(entry["outputs"][0], value)

    def _decode(self, entry: Mapping[str, Any]) -> Log:
        address = checksum(str(entry["address"]))
        hex_topics = tuple(str(t).lower() for t in entry["topics"])
        hex_data = str(entry["data"]).lower()
        topics = [bytes.fromhex(t[2:]) for t in hex_topics]
        data = bytes.fromhex(hex_data[2:])
        event = self._events.get((address.lower(), topics[0])) if topics else None
        if event is None:
            contract, name, args = self._contracts.get(address.lower(), "?"), "unknown", {}
        else:
            contract, name = event.contract, event.name
            args = event.decode(topics, data)
        return Log(
            block_number=int(entry["blockNumber"], 16),
            block_hash=str(entry["blockHash"]),
            tx_hash=str(entry["transactionHash"]),
            tx_index=int(entry["transactionIndex"], 16),
            log_index=int(entry["logIndex"], 16),
            address=address,
            contract=contract,
            name=name,
            args=args,
            topics=hex_topics,
            data=hex_data,
        )


def _too_many(message: str) -> bool:
    text = message.lower()
    return any(
        phrase in text
        for phrase in (
            "too many",
            "limit exceeded",
            "range",
            "response size",
            "query returned more than",
            "exceed",
        )
    )
