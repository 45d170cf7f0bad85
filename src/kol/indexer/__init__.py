"""The indexer: the alliance's events over JSON-RPC into the SQL store (``kol index``).

:class:`~kol.indexer.indexer.Indexer` reads the contracts' logs in block ranges, waits for
confirmations, detects reorgs by block hash and rolls back to the common ancestor, resumes from
its checkpoint and writes each range, its derived rows and the checkpoint in one transaction.
:class:`~kol.indexer.source.ChainSource` is what it reads the chain with.
"""

from __future__ import annotations

from kol.chain.deployment import Deployment
from kol.chain.rpc import ChainError, connect
from kol.indexer.indexer import (
    DEFAULT_RANGE,
    Indexer,
    IndexerError,
    Step,
    default_confirmations,
)
from kol.indexer.source import ChainSource, SourceError

__all__ = [
    "DEFAULT_RANGE",
    "ChainSource",
    "Indexer",
    "IndexerError",
    "SourceError",
    "Step",
    "default_confirmations",
    "open_source",
]


def open_source(deployment: Deployment, url: str | None = None) -> tuple[ChainSource, str]:
    """The chain source of ``deployment`` at ``url`` (default: the URL it records) and the
    node's client version."""
    url = url or deployment.rpc_url
    if not url:
        raise ChainError("no RPC URL: give one (--rpc), the deployment does not record it")
    w3 = connect(url)
    try:
        version = str(w3.client_version)
    except Exception:
        version = ""
    return ChainSource(w3, deployment), version
