"""The indexer's log decoder: its word-by-word fast path gives exactly what eth_abi gives, for
every event of the alliance's four contracts, on values at the edges of their types."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

import pytest
from eth_abi.abi import decode, encode
from eth_utils.abi import collapse_if_tuple, event_abi_to_log_topic

from kol.chain.artifacts import artifact
from kol.chain.deployment import CONTRACT_NAMES
from kol.indexer.source import INDEXED_CONTRACTS, _Event, _plain, checksum

EVENTS = [
    (key, entry)
    for key in INDEXED_CONTRACTS
    for entry in artifact(CONTRACT_NAMES[key]).abi
    if entry.get("type") == "event"
]


def _value(kind: str, rng: random.Random, edge: int) -> Any:
    """A value of an ABI type: its lowest, its highest, or a random one (``edge`` 0, 1, 2)."""
    if kind.endswith("]"):
        item = kind[: kind.rindex("[")]
        return [_value(item, rng, edge) for _ in range(rng.randrange(0, 4))]
    if kind.startswith("("):
        raise AssertionError("tuples are built by _values")
    if kind == "address":
        return checksum(
            bytes([0] * 20 if edge == 0 else [255] * 20 if edge == 1 else rng.randbytes(20))
        )
    if kind == "bool":
        return edge != 0
    if kind == "string":
        return "" if edge == 0 else "名字 name " * rng.randrange(1, 9)
    if kind == "bytes":
        return b"" if edge == 0 else rng.randbytes(rng.randrange(1, 80))
    if kind.startswith("bytes"):
        size = int(kind[5:])
        return bytes(size) if edge == 0 else b"\xff" * size if edge == 1 else rng.randbytes(size)
    if kind.startswith("uint"):
        bits = int(kind[4:])
        return 0 if edge == 0 else 2**bits - 1 if edge == 1 else rng.getrandbits(bits)
    if kind.startswith("int"):
        bits = int(kind[3:])
        return -(2 ** (bits - 1)) if edge == 0 else 2 ** (bits - 1) - 1 if edge == 1 else -7
    raise AssertionError(f"no values for {kind}")


def _values(entry: Mapping[str, Any], rng: random.Random, edge: int) -> Any:
    if entry["type"] == "tuple":
        return tuple(_values(c, rng, edge) for c in entry["components"])
    if entry["type"] == "tuple[]":
        item = dict(entry, type="tuple")
        return [_values(item, rng, edge) for _ in range(rng.randrange(0, 3))]
    return _value(entry["type"], rng, edge)


def _reference(abi: Mapping[str, Any], topics: list[bytes], data: bytes) -> dict[str, Any]:
    """What eth_abi alone gives (the decoder before its fast path)."""
    args: dict[str, Any] = {}
    indexed = [i for i in abi["inputs"] if i.get("indexed")]
    plain = [i for i in abi["inputs"] if not i.get("indexed")]
    for entry, topic in zip(indexed, topics[1:], strict=True):
        kind = collapse_if_tuple(dict(entry))
        if kind in ("string", "bytes") or kind.endswith("]") or kind.startswith("("):
            args[entry["name"]] = "0x" + topic.hex()
        else:
            args[entry["name"]] = _plain(entry, decode([kind], topic)[0])
    values = decode([collapse_if_tuple(dict(e)) for e in plain], data)
    for entry, value in zip(plain, values, strict=True):
        args[entry["name"]] = _plain(entry, value)
    return {i["name"]: args[i["name"]] for i in abi["inputs"]}


def test_the_alliance_has_events_of_both_paths() -> None:
    planned = [_Event(key, entry) for key, entry in EVENTS]
    assert len(planned) > 40
    assert sum(e.words is not None for e in planned) > 20  # the fast path is the common one
    assert any(e.words is None for e in planned)  # strings, arrays, structs: eth_abi


@pytest.mark.parametrize(("key", "abi"), EVENTS, ids=[f"{k}.{e['name']}" for k, e in EVENTS])
def test_fast_path_equals_eth_abi(key: str, abi: Mapping[str, Any]) -> None:
    event = _Event(key, abi)
    rng = random.Random(f"{key}.{abi['name']}")
    for edge in (0, 1, 2, 2, 2):
        values = {i["name"]: _values(i, rng, edge) for i in abi["inputs"]}
        topics = [event_abi_to_log_topic(dict(abi))]  # type: ignore[arg-type]
        for entry in (i for i in abi["inputs"] if i.get("indexed")):
            kind = collapse_if_tuple(dict(entry))
            if kind in ("string", "bytes") or kind.endswith("]") or kind.startswith("("):
                topics.append(rng.randbytes(32))  # a hash: the log carries it as it is
            else:
                topics.append(encode([kind], [values[entry["name"]]]))
        plain = [i for i in abi["inputs"] if not i.get("indexed")]
        data = encode(
            [collapse_if_tuple(dict(e)) for e in plain], [values[e["name"]] for e in plain]
        )
        assert event.decode(topics, data) == _reference(abi, topics, data)
