"""The web dapp (中文 / English): pages over the read API's store, the wallet in the browser."""

from kol.web.app import create_site, create_web_app

__all__ = ["create_site", "create_web_app"]
