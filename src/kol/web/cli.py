"""``kol web``: the read API with the web dapp at ``/web`` (and ``/relay`` forwarded to a
relayer when one is named)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kol.chain.deployment import Deployment, DeploymentError
from kol.cli.services import database_option
from kol.store import Store, StoreError
from kol.web.devwallet import DevWallet, DevWalletError

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
@click.option(
    "--dev-wallet",
    is_flag=True,
    help="Offer the pages a wallet of the devnet's public dev keys (dev chains only; kol up).",
)
@click.option(
    "--seed",
    type=int,
    default=None,
    help="Seed of the dev wallet's keys (default: the devnet's beside the deployment).",
)
def web(
    database_url: str | None,
    deployment_path: Path | None,
    host: str,
    port: int,
    lists_dir: Path | None,
    relay_upstream: str | None,
    dev_wallet: bool,
    seed: int | None,
) -> None:
    """Serve the web dapp (中文 / English) beside the read API."""
    import uvicorn

    from kol.web import create_site

    if seed is not None and not dev_wallet:
        raise click.UsageError("--seed goes with --dev-wallet (it derives the dev keys)")
    if dev_wallet and deployment_path is None:
        raise click.UsageError(
            "--dev-wallet needs --deployment with the devnet's RPC URL (kol up writes one)"
        )
    try:
        store = Store.open(database_url)
        deployment = None if deployment_path is None else Deployment.load(deployment_path)
    except (StoreError, DeploymentError) as error:
        raise click.ClickException(str(error)) from None
    wallet = None
    if dev_wallet:
        wallet = _dev_wallet(deployment, deployment_path, seed)
    app = create_site(
        store,
        lists_dir=lists_dir,
        deployment=deployment,
        relay_upstream=relay_upstream,
        dev_wallet=wallet,
    )
    click.echo(
        f"web dapp at http://{host}:{port}/web/ (API beside it; store {store.url})", err=True
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _dev_wallet(deployment: Deployment | None, path: Path | None, seed: int | None) -> DevWallet:
    """The devnet's dev wallet: its node from the deployment, its seed from ``--seed`` or the
    ``devnet.json`` that ``kol up`` writes beside the deployment."""
    from kol.chain.rpc import ChainError
    from kol.cli.connect import DEFAULT_SEED

    if deployment is None or path is None or deployment.rpc_url is None:
        raise click.UsageError(
            "--dev-wallet needs --deployment with the devnet's RPC URL (kol up writes one)"
        )
    if seed is None:
        info = path.parent / "devnet.json"
        try:
            seed = int(json.loads(info.read_text())["seed"]) if info.is_file() else DEFAULT_SEED
        except (ValueError, KeyError, TypeError):
            raise click.ClickException(f"{info} does not say the devnet's seed") from None
    try:
        return DevWallet.connect(deployment.rpc_url, seed, usdt=deployment.address("usdt"))
    except (DevWalletError, ChainError) as error:
        raise click.ClickException(str(error)) from None
