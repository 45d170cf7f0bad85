"""The API's answer cache: a GET is answered once per state of the store and second of ``now``.

Every read endpoint's answer is a function of three things: the rows the indexer wrote (they
change only when it commits a range, which moves the checkpoint, or when a published list is
stored), the request (path and query string), and ``now``, the instant deadlines are judged at
(whole seconds: the later of the wall clock and the last indexed block's time). So the
middleware reads the store's *version* — the checkpoint's block, hash and time and the number
of published lists, one indexed row and one count — and serves the stored bytes of an earlier
answer to the same request at the same version and ``now``; otherwise the endpoint runs, with
that ``now`` (``request.state.kol_now``), and its answer is kept.

Nothing is ever stale: a new range, a reorg (another hash), a stored list or the next second
is another version, and the cache is emptied when the version moves. Only 200 answers of the
routes given (the API's GET routes except those that read the lists folder) are kept, at most
``entries`` of them and none above ``max_body`` bytes. API processes still hold no state that
matters: each has its own cache, filled from the same store.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any, Final

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from kol.store import Store

__all__ = ["AnswerCache"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

VERSION: Final = text(
    "SELECT block_number, block_hash, block_time, "
    "(SELECT count(*) FROM published_lists) FROM checkpoint WHERE id = 1"
)
CACHE_HEADER: Final = b"x-kol-cache"


class AnswerCache:
    """ASGI middleware (see the module's docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        store: Store,
        clock: Callable[[], int],
        paths: Iterable[re.Pattern[str]],
        entries: int = 2_048,
        max_body: int = 1 << 20,
    ) -> None:
        self.app = app
        self.store = store
        self.clock = clock
        self.paths = tuple(paths)
        self.entries = entries
        self.max_body = max_body
        self._at: tuple[Any, ...] | None = None
        self._answers: OrderedDict[tuple[str, bytes], tuple[Message, bytes]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def _version(self) -> tuple[Any, ...] | None:
        try:
            with self.store.engine.connect() as connection:
                row = connection.execute(VERSION).first()
        except SQLAlchemyError:
            return None  # the endpoint reports the store's trouble itself
        return None if row is None else tuple(row)

    def _cacheable(self, scope: Scope) -> bool:
        return (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and any(p.match(scope["path"]) for p in self.paths)
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        version = self._version()
        if version is None:
            await self.app(scope, receive, send)
            return
        now = max(self.clock(), int(version[2] or 0))
        at = (*version, now)
        if at != self._at:
            self._answers.clear()
            self._at = at
        key = (str(scope["path"]), bytes(scope.get("query_string", b"")))
        hit = self._answers.get(key)
        if hit is not None:
            self._answers.move_to_end(key)
            self.hits += 1
            start, body = hit
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        self.misses += 1
        scope.setdefault("state", {})["kol_now"] = now
        started: Message | None = None
        parts: list[bytes] = []
        size = 0
        keep = True

        async def capture(message: Message) -> None:
            nonlocal started, size, keep
            if message["type"] == "http.response.start":
                started = message
                keep = message["status"] == 200
                headers = list(message.get("headers", [])) + [(CACHE_HEADER, b"miss")]
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and keep:
                body = bytes(message.get("body", b""))
                size += len(body)
                if size > self.max_body:
                    keep = False
                else:
                    parts.append(body)
                if not message.get("more_body", False) and keep and started is not None:
                    self._keep(key, at, started, b"".join(parts))
            await send(message)

        await self.app(scope, receive, capture)

    def _keep(
        self, key: tuple[str, bytes], at: tuple[Any, ...], start: Message, body: bytes
    ) -> None:
        if at != self._at:  # the version moved while this answer was made
            return
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != CACHE_HEADER]
        self._answers[key] = ({**start, "headers": [*headers, (CACHE_HEADER, b"hit")]}, body)
        while len(self._answers) > self.entries:
            self._answers.popitem(last=False)
