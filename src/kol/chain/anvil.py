"""anvil, the local devnet: where its binary is, and starting and stopping it on 127.0.0.1.

The binary comes from the npm registry (``@foundry-rs/anvil-linux-amd64``), installed by
``make setup`` into ``tools/anvil/node_modules`` of the repository; ``KOL_ANVIL`` names another
one, and an ``anvil`` on the PATH is used last.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Final

__all__ = [
    "DEV_CHAIN_ID",
    "HOST",
    "Anvil",
    "AnvilError",
    "anvil_binary",
    "free_port",
    "port_is_free",
    "rpc_request",
    "stop_pid",
    "wait_until_answers",
]

HOST: Final = "127.0.0.1"
DEV_CHAIN_ID: Final = 31_337
HARDFORK: Final = "prague"
"""The EVM version every contract is compiled for (the pragma of each source)."""
STATE_INTERVAL: Final = 5
"""Seconds between dumps of the state file while anvil runs (it is also dumped on exit)."""
INSTALL_HINT: Final = (
    "run `make setup` (it installs @foundry-rs/anvil-linux-amd64 from the npm registry into "
    "tools/anvil/), or set KOL_ANVIL to an anvil binary"
)


class AnvilError(RuntimeError):
    """anvil is missing, did not start, or did not answer."""


def anvil_binary() -> Path | None:
    """The anvil to run: ``KOL_ANVIL``, the project's ``tools/anvil``, or one on the PATH."""
    override = os.environ.get("KOL_ANVIL")
    if override:
        return Path(override)
    local = Path(__file__).resolve().parents[3] / "tools" / "anvil" / "node_modules" / ".bin"
    if (local / "anvil").is_file():
        return local / "anvil"
    found = shutil.which("anvil")
    return None if found is None else Path(found)


def free_port(host: str = HOST) -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def port_is_free(port: int, host: str = HOST) -> bool:
    """Whether nothing listens on ``host:port`` (a node answering there may be another's)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
        return True


def rpc_request(url: str, method: str, params: list[Any] | None = None, timeout: float = 5) -> Any:
    """One JSON-RPC request (for probes; the SDK's backend speaks through web3.py)."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []})
    request = urllib.request.Request(
        url, data=body.encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        answer = json.loads(response.read())
    if "error" in answer:
        raise AnvilError(f"{method}: {answer['error'].get('message', answer['error'])}")
    return answer.get("result")


def wait_until_answers(
    url: str, timeout: float = 20, process: subprocess.Popen[bytes] | None = None
) -> str:
    """Waits until the node at ``url`` answers; returns its client version."""
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise AnvilError(f"anvil exited with code {process.returncode} before answering")
        try:
            return str(rpc_request(url, "web3_clientVersion", timeout=1))
        except (OSError, urllib.error.URLError, AnvilError, ValueError):
            if time.monotonic() > deadline:
                raise AnvilError(f"no node answered at {url} within {timeout:.0f} s") from None
            time.sleep(0.05)


def _is_anvil(pid: int) -> bool:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
    except OSError:
        return False
    return Path(command.decode(errors="replace")).name == "anvil"


def stop_pid(pid: int, timeout: float = 15) -> bool:
    """Stops the anvil with process id ``pid`` as Ctrl-C would (it dumps its state first).
    Returns False when no anvil runs under that id."""
    if not _is_anvil(pid):
        return False
    os.kill(pid, signal.SIGINT)
    deadline = time.monotonic() + timeout
    while _is_anvil(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _is_anvil(pid):
        os.kill(pid, signal.SIGKILL)
    return True


def _said(log: Path) -> str:
    """anvil's last error line in its log."""
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return "no output"
    errors = [line.strip() for line in lines if line.strip().lower().startswith("error")]
    return errors[-1] if errors else "no error line"


@dataclass
class Anvil:
    """A running anvil on 127.0.0.1 (started by :meth:`start`)."""

    process: subprocess.Popen[bytes]
    port: int
    state: Path | None = None
    log: Path | None = None
    client_version: str = ""
    _log_handle: IO[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    @classmethod
    def start(
        cls,
        *,
        port: int | None = None,
        state: Path | None = None,
        log: Path | None = None,
        chain_id: int = DEV_CHAIN_ID,
        detach: bool = False,
        timeout: float = 20,
    ) -> Anvil:
        """Starts anvil on 127.0.0.1 (``port``, or a free one) and waits until it answers.

        With ``state`` the chain is loaded from that file if it exists and dumped to it every
        few seconds and on exit. With ``detach`` it keeps running after this process ends
        (stop it with :func:`stop_pid`)."""
        binary = anvil_binary()
        if binary is None or not binary.is_file():
            raise AnvilError(f"anvil is not installed: {INSTALL_HINT}")
        attempts = 1 if port is not None else 3
        for attempt in range(attempts):
            chosen = port if port is not None else free_port()
            if not port_is_free(chosen):
                raise AnvilError(f"port {chosen} on {HOST} is taken (another node may run there)")
            command = [
                str(binary),
                "--host",
                HOST,
                "--port",
                str(chosen),
                "--chain-id",
                str(chain_id),
                "--hardfork",
                HARDFORK,
            ]
            if state is not None:
                state.parent.mkdir(parents=True, exist_ok=True)
                command += ["--state", str(state), "--state-interval", str(STATE_INTERVAL)]
            handle: IO[bytes] | None = None
            if log is not None:
                log.parent.mkdir(parents=True, exist_ok=True)
                handle = log.open("ab")
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=handle if handle is not None else subprocess.DEVNULL,
                stderr=subprocess.STDOUT if handle is not None else subprocess.DEVNULL,
                start_new_session=detach,
            )
            node = cls(process, chosen, state, log, _log_handle=handle)
            try:
                node.client_version = wait_until_answers(node.url, timeout, process)
            except AnvilError as error:
                node.stop()
                if attempt + 1 < attempts and process.returncode not in (None, 0):
                    continue  # the free port was taken in between: try another
                where = f" ({_said(log)}; its output is in {log})" if log is not None else ""
                raise AnvilError(
                    f"anvil did not start on {HOST}:{chosen}: {error}{where}"
                ) from None
            return node
        raise AssertionError("unreachable")

    def stop(self, timeout: float = 15) -> int:
        """Stops anvil as Ctrl-C would (it dumps its state first); returns its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log_handle is not None:
            self._log_handle.close()
            self._log_handle = None
        return int(self.process.returncode)

    def __enter__(self) -> Anvil:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
