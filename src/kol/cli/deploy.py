"""``kol deploy``: the alliance on a chain over JSON-RPC, signed by an encrypted keystore or an
external signer, and its deployment description written once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
from eth_utils.address import is_address, to_checksum_address

from kol.chain.deployment import Deployment
from kol.chain.rpc import ChainError, connect, deploy, is_dev_chain
from kol.cli.errors import reported
from kol.cli.options import json_option, key_options, rpc_option, yes_option
from kol.cli.signing import open_signer

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _checked_address(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    if not is_address(value):
        raise click.BadParameter(f"not an address: {value!r}", param_hint=option)
    return str(to_checksum_address(value))


def is_loopback(url: str) -> bool:
    return (urlsplit(url).hostname or "") in LOOPBACK


def describe(deployment: Deployment, out: Path) -> dict[str, Any]:
    """What ``kol deploy --json`` prints."""
    return {
        "deployment": str(out),
        "chain_id": deployment.chain_id,
        "start_block": deployment.start_block,
        "deployer": deployment.deployer,
        "contracts": {
            key: deployment.address(key)
            for key in ("token", "council", "motions", "treasury", "usdt")
        },
        "test_usdt": deployment.test_usdt,
    }


@click.command(name="deploy")
@rpc_option
@key_options
@click.option(
    "--admin", metavar="ADDR", help="Genesis administrator (dev chain default: deployer)."
)
@click.option("--foundation", metavar="ADDR", help="The foundation (dev chain default: deployer).")
@click.option("--usdt", metavar="ADDR", help="The USDT contract the treasury takes fees in.")
@click.option("--dev-usdt", is_flag=True, help="Deploy a TestUSDT first (dev chains only).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("deployment.json"),
    show_default=True,
    help="Where to write the deployment description.",
)
@click.option("--force", is_flag=True, help="Replace an existing --out file.")
@click.option(
    "--record-rpc-url",
    is_flag=True,
    help="Record the RPC URL in the description (always done for a 127.0.0.1 node; a "
    "provider's URL may carry an API key).",
)
@yes_option
@json_option
def deploy_command(
    rpc_url: str,
    keystore: str | None,
    signer_url: str | None,
    signer_account: str | None,
    admin: str | None,
    foundation: str | None,
    usdt: str | None,
    dev_usdt: bool,
    out: Path,
    force: bool,
    record_rpc_url: bool,
    yes: bool,
    as_json: bool,
) -> None:
    """Deploy the alliance over JSON-RPC; write deployment.json.

    Signed by an encrypted keystore or an external signer (--signer-url), never a plain
    private key. On a dev chain (anvil) the
    administrator and the foundation default to the deployer and --dev-usdt deploys a TestUSDT;
    on any other chain name them and the real USDT, and confirm (or --yes)."""
    if (usdt is None) == (not dev_usdt):
        raise click.UsageError("give exactly one of --usdt ADDR and --dev-usdt")
    if out.exists() and not force:
        raise click.UsageError(
            f"{out} already exists: a deployment is described once (another --out, or --force)"
        )
    admin = _checked_address(admin, "--admin")
    foundation = _checked_address(foundation, "--foundation")
    usdt = _checked_address(usdt, "--usdt")
    signer = open_signer(keystore, signer_url, signer_account)
    if signer is None:
        raise click.UsageError(
            "kol deploy signs: give --keystore FILE (an encrypted key; kol keystore new / "
            "import make one) or --signer-url URL (an external signer)"
        )

    def say(text: str) -> None:
        click.echo(text, err=as_json)

    with reported():
        w3 = connect(rpc_url)
        chain_id = int(w3.eth.chain_id)
        dev = is_dev_chain(w3)
        if not dev:
            missing = [o for o, v in (("--admin", admin), ("--foundation", foundation)) if not v]
            if missing:
                raise ChainError(
                    f"chain {chain_id} is not a dev chain: name the {' and '.join(missing)} "
                    "(they default to the deployer on dev chains only)"
                )
            if dev_usdt:
                raise ChainError(
                    f"chain {chain_id} is not a dev chain: --dev-usdt deploys a token anyone may "
                    "mint; give the real USDT with --usdt ADDR"
                )
        balance = int(w3.eth.get_balance(signer.address))
        if balance == 0:
            raise ChainError(f"the deployer {signer.address} has no ether on chain {chain_id}")
        admin = admin or signer.address
        foundation = foundation or signer.address
        say(
            f"deploying the alliance to chain {chain_id}{' (dev chain)' if dev else ''} from "
            f"{signer.address} (balance {balance / 10**18:.4f} ETH)\n"
            f"  administrator {admin}\n  foundation    {foundation}\n"
            f"  USDT          {usdt or 'a new TestUSDT (dev chain)'}"
        )
        if not dev and not yes:
            click.confirm("deploy?", abort=True, err=True)
        deployment = deploy(
            w3,
            signer,
            admin=admin,
            foundation=foundation,
            usdt=usdt,
            rpc_url=rpc_url if record_rpc_url or is_loopback(rpc_url) else None,
            progress=lambda name, address: say(f"  {name:<13} {address}"),
        )
        deployment.save(out, overwrite=force)
    if as_json:
        click.echo(json.dumps(describe(deployment, out)))
    else:
        say(f"deployment description written to {out} (from block {deployment.start_block})")
