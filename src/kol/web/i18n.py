"""The web dapp's two message catalogues (``messages/zh-CN.json``, ``messages/en.json``).

Every string a page shows comes from here: templates call ``t("key", name=value)`` and the
page's JavaScript reads the ``js.*``-free subset it needs from the same catalogue. Chinese is
the default; a ``?lang=en`` query (remembered in the ``kol_lang`` cookie) switches.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Final

__all__ = ["DEFAULT_LANG", "LANGS", "Translator", "catalogue", "pick_lang"]

LANGS: Final = ("zh-CN", "en")
DEFAULT_LANG: Final = "zh-CN"
_FOLDER: Final = Path(__file__).parent / "messages"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The messages of ``lang`` (one of :data:`LANGS`)."""
    if lang not in LANGS:
        raise ValueError(f"web: no catalogue for {lang!r} (have {', '.join(LANGS)})")
    data = json.loads((_FOLDER / f"{lang}.json").read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items()}


def pick_lang(query: str | None, cookie: str | None) -> str:
    """The query's language, else the cookie's, else Chinese; unknown values are ignored."""
    for value in (query, cookie):
        if value is None:
            continue
        for lang in LANGS:
            if value.lower() == lang.lower() or value.lower() == lang.split("-")[0].lower():
                return lang
    return DEFAULT_LANG


class Translator:
    """``t("key", **fields)``: the message of the page's language, formatted."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.messages = catalogue(lang)

    def __call__(self, key: str, **fields: object) -> str:
        text = self.messages.get(key)
        if text is None:
            text = catalogue("en").get(key, key)
        return text.format(**fields) if fields else text
