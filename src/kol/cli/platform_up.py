"""The platform's services beside ``kol up``'s devnet: the indexer (``--follow``, SQLite in the
data directory), the read API with the web dapp (and its dev wallet of the devnet's dev keys),
the relayer and the keeper — each a child process of ``kol up``, stopped with it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from kol.store import Store

__all__ = ["Services", "free_port"]

_KOL: Final = [sys.executable, "-c", "from kol.cli import main; main()"]
HOST: Final = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _module_exists(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


@dataclass
class Services:
    """The children of one ``kol up``; ``log_dir`` gets one log file each."""

    root: Path
    deployment: Path
    seed: int
    web_port: int
    relay_port: int
    children: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.root / 'store.sqlite3'}"

    @property
    def web_url(self) -> str:
        return f"http://{HOST}:{self.web_port}/web/"

    def commands(self) -> dict[str, list[str]]:
        d = ["--deployment", str(self.deployment)]
        dev = ["--seed", str(self.seed)]
        found = {
            "indexer": [
                *_KOL,
                "index",
                *d,
                "--database",
                self.database_url,
                "--follow",
                "--poll",
                "1",
            ],
            "web": [
                *_KOL,
                "web",
                *d,
                "--database",
                self.database_url,
                "--host",
                HOST,
                "--port",
                str(self.web_port),
                "--dev-wallet",
                *dev,
            ],
        }
        if _module_exists("kol.relayer"):
            found["relayer"] = [
                *_KOL, "relayer", "serve", *d, *dev, "--dev", "relayer",
                "--db", f"sqlite:///{self.root / 'relayer.sqlite3'}",
                "--host", HOST, "--port", str(self.relay_port),
            ]  # fmt: skip
            found["web"] += ["--relay-upstream", f"http://{HOST}:{self.relay_port}/relay"]
        if _module_exists("kol.keeper"):
            found["keeper"] = [*_KOL, "keeper", *d, *dev, "--dev", "keeper", "--follow"]
        return found

    def start(self) -> None:
        """Creates the store's tables first (so the indexer and the API never race to), then
        starts every service."""
        Store.open(self.database_url, migrate=True).close()
        for name, command in self.commands().items():
            log = (self.root / f"{name}.log").open("ab")
            self.children[name] = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )

    def wait_web(self, timeout: float = 60.0) -> bool:
        """Whether the web server answers within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket() as s:
                s.settimeout(0.5)
                if s.connect_ex((HOST, self.web_port)) == 0:
                    return True
            web = self.children.get("web")
            if web is not None and web.poll() is not None:
                return False
            time.sleep(0.1)
        return False

    def exited(self) -> dict[str, int]:
        """The services that stopped by themselves, with their exit codes."""
        return {n: c for n, p in self.children.items() if (c := p.poll()) is not None}

    def stop(self) -> None:
        for process in self.children.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 10
        for process in self.children.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
