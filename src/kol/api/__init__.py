"""The read API over the store (FastAPI, OpenAPI at ``/docs``): ``kol api``.

:func:`create_app` builds the application over a :class:`~kol.store.Store`; the relayer and
the keeper (same package, later) read the same store.
"""

from __future__ import annotations

from kol.api.app import create_app

__all__ = ["create_app"]
