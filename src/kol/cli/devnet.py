"""``kol up`` and ``kol down``: a persistent local devnet with the alliance and its roster.

``kol up`` starts anvil on 127.0.0.1 with its chain kept in a state file under the data
directory (``.kol/devnet/`` by default), deploys the alliance there once — every key a dev key
derived from the seed, as ``kol demo`` derives them — seats the published roster the way the
demo's genesis does (nominations, candidate registrations, the nodes ratifying the 21 super
nodes), writes the deployment description, and says what to do next. Run again, it loads the
same chain and deploys nothing.
"""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType
from typing import Any, Final

import click
from rich.console import Console

from kol.alliance import Alliance, Body, Chamber
from kol.chain.anvil import (
    DEV_CHAIN_ID,
    HOST,
    Anvil,
    AnvilError,
    port_is_free,
    rpc_request,
    stop_pid,
)
from kol.chain.deployment import Deployment, write_private
from kol.chain.devkeys import dev_key
from kol.chain.rpc import RpcBackend, connect, deploy
from kol.cli.demo import RichNarrator
from kol.cli.errors import reported
from kol.cli.options import data_dir_option, json_option
from kol.cli.platform_up import Services, free_port
from kol.cli.year import Narrator, Silent, Year

DEVNET_FORMAT: Final = "kol-alliance/devnet@1"
DEFAULT_PORT: Final = 8545
DEFAULT_SEED: Final = 2019
DEFAULT_WEB_PORT: Final = 8000
FUNDS: Final = 10_000 * 10**18
"""What every dev key is given on the devnet (wei)."""


@dataclass(frozen=True)
class Files:
    """The files of one devnet's data directory."""

    root: Path

    @property
    def state(self) -> Path:
        return self.root / "state.json"

    @property
    def log(self) -> Path:
        return self.root / "anvil.log"

    @property
    def deployment(self) -> Path:
        return self.root / "deployment.json"

    @property
    def info(self) -> Path:
        return self.root / "devnet.json"

    @property
    def pid(self) -> Path:
        return self.root / "anvil.pid"

    def read_info(self) -> dict[str, Any]:
        """What the first ``kol up`` recorded (the seed, the port), or nothing."""
        try:
            data = json.loads(self.info.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            raise click.ClickException(
                f"{self.info} cannot be read ({error}); remove {self.root} to start over"
            ) from None
        if not isinstance(data, dict) or data.get("format") != DEVNET_FORMAT:
            raise click.ClickException(
                f"{self.info} is not a kol devnet record; remove {self.root} to start over"
            )
        return data

    def write_info(self, **fields: Any) -> None:
        write_private(self.info, json.dumps({"format": DEVNET_FORMAT, **fields}, indent=2) + "\n")

    def running_pid(self) -> int | None:
        """The process id of a detached anvil of this directory that still runs."""
        try:
            pid = int(self.pid.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
        except OSError:
            command = b""
        if Path(command.decode(errors="replace")).name != "anvil":
            self.pid.unlink(missing_ok=True)  # stale: that process is gone
            return None
        return pid


def _keep_clock_moving(url: str) -> None:
    """anvil forgets how far its clock was moved when it reloads a state file: set it back to
    the last block's time so that time never runs backwards on the devnet."""
    latest = rpc_request(url, "eth_getBlockByNumber", ["latest", False])
    last = int(latest["timestamp"], 16)
    if last >= int(time.time()):
        rpc_request(url, "evm_setTime", [last + 1])


def deploy_dev_alliance(url: str, seed: int) -> tuple[Deployment, RpcBackend]:
    """Deploys the alliance on the dev chain at ``url`` with the seed's dev keys (deployer,
    administrator, foundation; the deployer funded), as ``kol up`` does and ``make bench``."""
    w3 = connect(url)
    deployer = dev_key(seed, "deployer")
    rpc_request(url, "anvil_setBalance", [deployer.address, hex(FUNDS)])
    deployment = deploy(
        w3,
        deployer,
        admin=dev_key(seed, "administrator").address,
        foundation=dev_key(seed, "foundation").address,
        rpc_url=url,
    )
    return deployment, RpcBackend(w3, deployment, dev=True)


def _seat(url: str, seed: int, narrator: Narrator) -> tuple[Deployment, Alliance]:
    """Deploys the alliance with the seed's dev keys and seats the published roster."""
    deployment, backend = deploy_dev_alliance(url, seed)
    alliance = Alliance(backend)
    year = Year(seed, narrator, alliance)
    for key in year.dev_keys():
        backend.add_signer(key)
        backend.set_balance(key.address, FUNDS)
    year.seat_roster()
    return deployment, alliance


def _summary(
    files: Files,
    url: str,
    deployment: Deployment,
    alliance: Alliance,
    seed: int,
    reused: bool,
    running: str,
    pid: int | None,
) -> dict[str, Any]:
    """What ``kol up --json`` prints."""
    return {
        "rpc_url": url,
        "chain_id": deployment.chain_id,
        "data_dir": str(files.root),
        "deployment": str(files.deployment),
        "state": str(files.state),
        "reused": reused,
        "running": running,
        "pid": pid,
        "seed": seed,
        "start_block": deployment.start_block,
        "contracts": {
            key: deployment.address(key)
            for key in ("token", "council", "motions", "treasury", "usdt")
        },
        "seats": {
            "nodes": alliance.seats(Chamber.NODE),
            "super_nodes": alliance.seats(Chamber.SUPER),
            "candidates": alliance.seats(Body.POOL),
            "node_alternates": alliance.queue_length(Chamber.NODE),
            "super_alternates": alliance.queue_length(Chamber.SUPER),
        },
        "accounts": {
            label: dev_key(seed, label).address
            for label in ("deployer", "administrator", "foundation", "relayer", "keeper")
        },
    }


def _next_steps(summary: dict[str, Any]) -> str:
    seats = summary["seats"]
    root = summary["data_dir"]
    how = {
        "foreground": "Ctrl-C stops it and keeps the chain",
        "detached": f"`kol down --data-dir {root}` stops it and keeps the chain",
        "stopped": "it is stopped now; the chain is kept",
    }[summary["running"]]
    was = "reused its chain" if summary["reused"] else "deployed the alliance and seated the roster"
    return "\n".join(
        [
            f"devnet at {summary['rpc_url']} (chain id {summary['chain_id']}): {was} — "
            f"{seats['nodes']} nodes, {seats['super_nodes']} super nodes, "
            f"{seats['candidates']} candidates",
            f"  deployment description  {summary['deployment']}",
            f"  chain state             {summary['state']}",
            "what next:",
            f"  • point a wallet or a script at {summary['rpc_url']}, chain id "
            f"{summary['chain_id']}",
            "  • from Python: Alliance(RpcBackend.connect(Deployment.load("
            f'"{summary["deployment"]}"), signers=[...]))',
            f"  • dev keys (dev only, never on a real chain): kol.cli.year.dev_key("
            f'{summary["seed"]}, "administrator" | "foundation" | "node:0" | "candidate:0" …)',
            f"  • {how}; `kol up` again resumes it; remove {root} to start over",
            *(
                [
                    f"  • web dapp (中文 / English): {summary['web_url']} — API beside it "
                    f"(/docs); running: {', '.join(summary['services'])}; logs in {root}",
                    "  • a dev-only wallet: import a dev key of the seed into a browser "
                    "wallet pointed at the devnet (never on a real chain)",
                ]
                if summary.get("web_url")
                else []
            ),
        ]
    )


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@click.command()
@data_dir_option
@click.option(
    "--port",
    type=click.IntRange(0, 65_535),
    default=None,
    help=f"Port on 127.0.0.1 (default: the devnet's last one, else {DEFAULT_PORT}; 0: any free).",
)
@click.option(
    "--seed",
    type=int,
    default=None,
    help=f"Seed of the dev keys, as kol demo's (default {DEFAULT_SEED}; a devnet keeps its own).",
)
@click.option("--detach", is_flag=True, help="Leave the devnet running in the background.")
@click.option("--check", is_flag=True, help="Bring the devnet up, check it, stop it, exit.")
@click.option(
    "--services/--no-services",
    default=True,
    show_default=True,
    help="In the foreground, also run the indexer, the API with the web dapp, the relayer and "
    "the keeper.",
)
@click.option(
    "--web-port",
    type=click.IntRange(0, 65_535),
    default=DEFAULT_WEB_PORT,
    show_default=True,
    help="Port of the API and the web dapp on 127.0.0.1 (0: any free).",
)
@json_option
def up(
    data_dir: Path,
    port: int | None,
    seed: int | None,
    detach: bool,
    check: bool,
    services: bool,
    web_port: int,
    as_json: bool,
) -> None:
    """Start the local devnet: anvil, the alliance, the roster — and, in the foreground, the
    indexer, the API with the web dapp, the relayer and the keeper.

    The first run deploys the alliance with dev keys and seats the published roster; later
    runs load the same chain from the data directory and deploy nothing. Runs until Ctrl-C
    (or --detach, --check)."""
    if detach and check:
        raise click.UsageError("--detach and --check exclude each other")
    if services and not (detach or check) and web_port and not port_is_free(web_port):
        raise click.UsageError(
            f"port {web_port} on {HOST} is taken: give another --web-port (0: any free one), "
            "or --no-services"
        )
    files = Files(data_dir)
    info = files.read_info()
    if seed is not None and info.get("seed", seed) != seed:
        raise click.UsageError(
            f"the devnet in {data_dir} was made with seed {info['seed']}: drop --seed, or give "
            "another --data-dir"
        )
    seed = int(info.get("seed", DEFAULT_SEED if seed is None else seed))

    def say(text: str) -> None:
        click.echo(text, err=as_json)

    narrator: Narrator = Silent() if as_json else RichNarrator(Console(highlight=False))

    files.root.mkdir(mode=0o700, parents=True, exist_ok=True)  # the devnet's files: yours only
    running_pid = files.running_pid()
    node: Anvil | None = None
    with reported():
        if running_pid is not None:  # a detached devnet of this directory runs already
            url = f"http://{HOST}:{info['port']}"
            say(f"the devnet of {data_dir} already runs (process {running_pid})")
        else:
            wanted = port if port is not None else int(info.get("port", DEFAULT_PORT))
            if wanted and not port_is_free(wanted):
                raise AnvilError(
                    f"port {wanted} on {HOST} is taken: stop what runs there, or give another "
                    "--port (0: any free one)"
                )
            node = Anvil.start(
                port=None if wanted == 0 else wanted,
                state=files.state,
                log=files.log,
                detach=detach,
            )
            url = node.url
        try:
            _keep_clock_moving(url)
            deployment, alliance, reused = _deployment(files, url, seed, narrator, say)
            files.write_info(seed=seed, port=int(url.rsplit(":", 1)[1]), chain_id=DEV_CHAIN_ID)
        except BaseException:
            if node is not None:
                node.stop()
            raise
    if node is not None and detach:
        files.pid.write_text(f"{node.pid}\n")
    running = (
        "stopped"
        if check and node is not None
        else ("foreground" if node is not None and not detach else "detached")
    )
    pid = running_pid if node is None else node.pid
    summary = _summary(files, url, deployment, alliance, seed, reused, running, pid)
    if check and node is not None:
        node.stop()
    if running != "foreground" or node is None:
        click.echo(json.dumps(summary) if as_json else _next_steps(summary))
        return
    platform: Services | None = None
    if services:
        platform = Services(
            files.root, files.deployment, seed, web_port or free_port(), free_port()
        )
        summary["web_url"] = platform.web_url
        summary["services"] = sorted(platform.commands())
    for stop_signal in (signal.SIGINT, signal.SIGTERM):  # even where SIGINT was ignored
        signal.signal(stop_signal, _interrupt)
    try:  # from the moment it says it is ready, Ctrl-C stops anvil (and the services) with it
        if platform is not None:
            platform.start()
            if not platform.wait_web():
                say(f"the web server did not answer; see {files.root / 'web.log'}")
        click.echo(json.dumps(summary) if as_json else _next_steps(summary))
        code = node.process.wait()
    except KeyboardInterrupt:
        if platform is not None:
            platform.stop()
        node.stop()
        say(f"devnet stopped; its chain is kept in {files.state}")
        return
    if platform is not None:
        platform.stop()
    raise click.ClickException(f"anvil stopped by itself (exit code {code}); see {files.log}")


def _deployment(
    files: Files, url: str, seed: int, narrator: Narrator, say: Callable[[str], None]
) -> tuple[Deployment, Alliance, bool]:
    """The devnet's alliance: the one its chain holds, else a new one with the roster."""
    if files.deployment.exists():
        deployment = Deployment.load(files.deployment)
        w3 = connect(url)
        if w3.eth.get_code(w3.to_checksum_address(deployment.council)):
            if deployment.rpc_url != url:  # the devnet moved to another port
                deployment = _moved(deployment, url)
                deployment.save(files.deployment, overwrite=True)
            return deployment, Alliance(RpcBackend(w3, deployment, dev=True)), True
        say(f"the chain in {files.state} does not hold {files.deployment}: deploying afresh")
    say(f"deploying the alliance on {url} and seating the published roster (seed {seed})")
    deployment, alliance = _seat(url, seed, narrator)
    deployment.save(files.deployment, overwrite=True)
    return deployment, alliance, False


def _moved(deployment: Deployment, url: str) -> Deployment:
    return replace(deployment, rpc_url=url)


@click.command()
@data_dir_option
def down(data_dir: Path) -> None:
    """Stop a devnet left running by `kol up --detach`."""
    files = Files(data_dir)
    pid = files.running_pid()
    if pid is None:
        raise click.ClickException(f"no detached devnet runs from {data_dir}")
    if not stop_pid(pid):
        raise click.ClickException(f"process {pid} is not an anvil; nothing stopped")
    files.pid.unlink(missing_ok=True)
    click.echo(f"devnet stopped (process {pid}); its chain is kept in {files.state}")


__all__ = ["deploy_dev_alliance", "down", "up"]
