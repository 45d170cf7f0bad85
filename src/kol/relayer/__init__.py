"""The gasless relayer (constitution §4): members sign ballots and sponsorships (EIP-712), the
relayer checks them against the chain, keeps them in a persistent queue and submits them in
batches with its own key, reporting each one's fate.

- :mod:`kol.relayer.items` — the JSON it accepts;
- :mod:`kol.relayer.checks` — signature, electorate, window, duplicate (reads only);
- :mod:`kol.relayer.queue` — its own tables (SQLite by default, PostgreSQL by URL);
- :mod:`kol.relayer.service` — :class:`Relayer`: accept, pump (submit and settle), run;
- :mod:`kol.relayer.app` — the HTTP routes (``build_router``) and ``create_app``.
"""

from __future__ import annotations

from kol.relayer.items import Kind, Rejection, Route
from kol.relayer.queue import ItemStatus, Queue
from kol.relayer.service import Relayer, RelayerSettings

__all__ = ["ItemStatus", "Kind", "Queue", "Rejection", "Relayer", "RelayerSettings", "Route"]
