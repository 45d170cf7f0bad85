"""A bounded HTTP/1.1 load on a server of this machine: ``--requests`` GETs over
``--concurrency`` keep-alive connections, cycling through ``--path``s; prints one JSON object
(requests/s, p50, p99, p99.9 and the slowest latency, errors).

Loopback only: the host must be 127.0.0.1. It runs as its own process (``bench/pipeline.py``
starts it beside the server's), with asyncio sockets so that the client costs little CPU.

    python bench/load.py --port 8000 --requests 5000 --path /status --path /motions
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import sys
import time
from itertools import count
from typing import Any

HOST = "127.0.0.1"


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of ``values`` (``fraction`` in 0..1)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


async def _response(reader: asyncio.StreamReader) -> tuple[int, int]:
    """Reads one response; returns (status, body bytes)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
        return status, len(body)
    if headers.get("transfer-encoding", "").lower() == "chunked":
        size = 0
        while True:
            chunk = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(chunk + 2)
            size += chunk
            if chunk == 0:
                return status, size
    raise RuntimeError("a response without a length (the load needs keep-alive)")


async def _worker(
    port: int,
    paths: list[str],
    tickets: Any,
    total: int,
    latencies: dict[str, list[float]],
    statuses: dict[int, int],
) -> int:
    reader, writer = await asyncio.open_connection(HOST, port)
    size = 0
    try:
        while (ticket := next(tickets)) < total:
            path = paths[ticket % len(paths)]
            request = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n\r\n".encode()
            started = time.perf_counter()
            writer.write(request)
            status, length = await _response(reader)
            latencies[path].append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
            size += length
    finally:
        writer.close()
    return size


async def _load(port: int, paths: list[str], total: int, concurrency: int) -> dict[str, Any]:
    latencies: dict[str, list[float]] = {p: [] for p in paths}
    statuses: dict[int, int] = {}
    tickets = count()
    started = time.perf_counter()
    sizes = await asyncio.gather(
        *(
            _worker(port, paths, tickets, total, latencies, statuses)
            for _ in range(min(concurrency, total))
        )
    )
    seconds = time.perf_counter() - started
    every = [x for values in latencies.values() for x in values]
    return {
        "requests": len(every),
        "concurrency": concurrency,
        "seconds": round(seconds, 4),
        "requests_per_second": round(len(every) / seconds, 1),
        "p50_ms": round(percentile(every, 0.50) * 1000, 3),
        "p99_ms": round(percentile(every, 0.99) * 1000, 3),
        "p999_ms": round(percentile(every, 0.999) * 1000, 3),
        "max_ms": round(max(every) * 1000, 3),
        "mean_ms": round(statistics.fmean(every) * 1000, 3),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "bytes": sum(sizes),
        "paths": {
            p: {
                "requests": len(v),
                "p50_ms": round(percentile(v, 0.50) * 1000, 3),
                "p99_ms": round(percentile(v, 0.99) * 1000, 3),
            }
            for p, v in latencies.items()
            if v
        },
    }


def run(port: int, paths: list[str], total: int, concurrency: int, warmup: int) -> dict[str, Any]:
    """Warms the server up with ``warmup`` requests, then measures ``total`` requests."""
    if warmup:
        asyncio.run(_load(port, paths, warmup, concurrency))
    return asyncio.run(_load(port, paths, total, concurrency))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", action="append", required=True, help="repeatable")
    parser.add_argument("--requests", type=int, default=5_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=200)
    ns = parser.parse_args(argv)
    if not 1 <= ns.requests <= 1_000_000:
        parser.error("--requests must be 1 to 1,000,000")
    print(json.dumps(run(ns.port, ns.path, ns.requests, ns.concurrency, ns.warmup)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
