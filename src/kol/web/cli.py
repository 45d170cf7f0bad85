"""``kol web``: the read API with the web dapp at ``/web`` (and ``/relay`` forwarded to a
relayer when one is named)."""

from __future__ import annotations

from pathlib import Path

import click

from kol.chain.deployment import Deployment, DeploymentError
from kol.cli.services import database_option
from kol.store import Store, StoreError

__all__ = ["web"]


@click.command("web")
@database_option
@click.option(
    "--deployment",
    "deployment_path",
    envvar="KOL_DEPLOYMENT",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The deployment description: tells the pages the USDT contract (or KOL_DEPLOYMENT).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65_535), default=8000, show_default=True, help="TCP port."
)
@click.option(
    "--lists-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="A folder of published lists that batch and genesis URIs may name.",
)
@click.option(
    "--relay-upstream",
    metavar="URL",
    envvar="KOL_RELAY_UPSTREAM",
    default=None,
    help="A relayer's /relay URL (kol relayer serve) to forward the pages' ballots to.",
)
def web(
    database_url: str | None,
    deployment_path: Path | None,
    host: str,
    port: int,
    lists_dir: Path | None,
    relay_upstream: str | None,
) -> None:
    """Serve the web dapp (中文 / English) beside the read API."""
    import uvicorn

    from kol.web import create_site

    try:
        store = Store.open(database_url)
        deployment = None if deployment_path is None else Deployment.load(deployment_path)
    except (StoreError, DeploymentError) as error:
        raise click.ClickException(str(error)) from None
    app = create_site(
        store, lists_dir=lists_dir, deployment=deployment, relay_upstream=relay_upstream
    )
    click.echo(
        f"web dapp at http://{host}:{port}/web/ (API beside it; store {store.url})", err=True
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")
