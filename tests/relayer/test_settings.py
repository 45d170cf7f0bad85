"""The relayer's settings, token buckets and queue URL, without a chain."""

from __future__ import annotations

import pytest

from kol.relayer import Queue, RelayerSettings
from kol.relayer.queue import QueueError
from kol.relayer.ratelimit import TokenBuckets


def test_settings__from_environment__given_values_win_and_bad_ones_are_named() -> None:
    env = {"KOL_RELAYER_BATCH_SIZE": "40", "KOL_RELAYER_BATCH_INTERVAL": "0.5"}
    settings = RelayerSettings.from_env(env, batch_size=25, signer_burst=None)
    assert (settings.batch_size, settings.batch_interval, settings.signer_burst) == (25, 0.5, 10)
    with pytest.raises(ValueError, match="KOL_RELAYER_BATCH_SIZE='many' is not a whole number"):
        RelayerSettings.from_env({"KOL_RELAYER_BATCH_SIZE": "many"})
    with pytest.raises(ValueError, match="batch size"):
        RelayerSettings.from_env({}, batch_size=0)


def test_token_buckets__burst_then_the_rate_per_key() -> None:
    now = [0.0]
    buckets = TokenBuckets(per_minute=60, burst=2, clock=lambda: now[0])
    assert buckets.take("a") == 0 and buckets.take("a") == 0
    assert buckets.take("a") == pytest.approx(1.0)  # one a second: back in 1 s
    assert buckets.take("b") == 0  # another key, its own bucket
    now[0] = 1.0
    assert buckets.take("a") == 0 and buckets.take("a") > 0


def test_queue__an_in_memory_or_malformed_database_is_refused() -> None:
    with pytest.raises(QueueError, match="outlive the process"):
        Queue("sqlite:///:memory:")
    with pytest.raises(QueueError, match="not a database URL"):
        Queue("nonsense")
