"""Token buckets, one per key (a signer's address, a client's IP address).

Each key's bucket holds up to ``burst`` tokens and gains ``per_minute / 60`` a second; a
request takes one token or is refused with the seconds until one is back. The buckets live in
the process (an idle bucket is full, so idle ones are forgotten): one relayer process per
deployment, as there is one submitting key.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["TokenBuckets"]


class TokenBuckets:
    """Per-key token buckets (thread-safe)."""

    def __init__(
        self,
        per_minute: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        if per_minute <= 0 or burst < 1:
            raise ValueError("a rate limit needs a positive rate and a burst of at least 1")
        self.rate = per_minute / 60
        self.burst = float(burst)
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Takes a token for ``key``: 0 when granted, else the seconds to wait for one."""
        now = self.clock()
        with self._lock:
            tokens, then = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                return (1 - tokens) / self.rate
            self._buckets[key] = (tokens - 1, now)
            if len(self._buckets) > self.max_keys:
                self._forget_full(now)
            return 0.0

    def _forget_full(self, now: float) -> None:
        refill = self.burst / self.rate
        for key, (_, then) in list(self._buckets.items()):
            if now - then >= refill:
                del self._buckets[key]
