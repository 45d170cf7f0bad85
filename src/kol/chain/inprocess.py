"""Deploying the alliance on titanoboa's in-process EVM (tests, ``kol demo``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import boa
from boa.contracts.vyper.vyper_contract import VyperContract, VyperDeployer

from kol.chain.artifacts import contracts_dir, source
from kol.chain.plan import plan_alliance


def _cache_per_source_tree() -> None:
    """Compiles again whenever any contract source changes. titanoboa's disk cache keys a
    compilation on the contract's own source and its direct imports only, so editing a module
    imported through another (``modules/signatures.vy``, used by ``ballots.vy``, used by
    ``Council.vy``) silently gave the old bytecode. Each state of the whole source tree (and of
    the compiler) gets a cache folder of its own."""
    import hashlib
    import os

    import vyper
    from boa.interpret import set_cache_dir

    root = contracts_dir()
    digest = hashlib.sha256(f"vyper {vyper.__version__}\n".encode())
    for path in sorted(root.rglob("*.vy*")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    base = os.environ.get("KOL_BOA_CACHE", "~/.cache/titanoboa")
    set_cache_dir(f"{base}/kol-{digest.hexdigest()[:16]}")


def _describe_contracts_safely() -> None:
    """Keeps a revert a revert. When a call reverts, titanoboa saves a description of the
    contract for its error message, and the description dumps the contract's storage, decoding
    hash-map keys from the keccak preimages it has seen. A storage key whose recovered path is
    deeper than its map's nesting (the contracts hash leaves, nodes and pool ids on-chain, so
    preimages abound) makes that decoding raise ``AttributeError`` from inside the EVM, which
    turned a clean revert — even one a caller catches with ``raw_call`` — into a crash (the
    economy state machine met it). The description only serves error messages: when the dump
    fails it names the contract and its address."""
    original = VyperContract.__repr__
    if getattr(original, "_kol_safe", False):
        return

    def describe(self: VyperContract) -> str:
        try:
            return str(original(self))
        except Exception:  # the storage dump only; the call's own outcome is untouched
            return f"<{self.compiler_data.contract_path} at {self.address} (storage not shown)>"

    describe._kol_safe = True  # type: ignore[attr-defined]
    VyperContract.__repr__ = describe


_describe_contracts_safely()
_cache_per_source_tree()


@cache
def deployer(name: str) -> Any:
    """The compiled contract ``name`` (compiled once per process)."""
    result: VyperDeployer = boa.load_partial(str(source(name)))
    return result


@dataclass(frozen=True)
class InProcessAlliance:
    """The deployed contracts of one alliance on the in-process EVM."""

    token: Any
    council: Any
    motions: Any
    treasury: Any | None
    usdt: Any | None


def _nonce(address: str) -> int:
    state = boa.env.evm.vm.state
    nonce: int = state.get_nonce(bytes.fromhex(address[2:]))
    return nonce


def deploy_alliance(
    admin: str,
    foundation: str,
    *,
    with_treasury: bool = False,
    usdt: str | None = None,
) -> InProcessAlliance:
    """Deploys the alliance from ``boa.env.eoa``, following ``kol.chain.plan``.

    The contracts name each other, so their addresses are precomputed from
    the deployer's nonce n: KOLToken (n), Council (n + 1), Motions (n + 2)
    and the Treasury (n + 3). Without ``with_treasury`` only the governance
    core is deployed (economy motions are refused); with it, a test USDT is
    deployed first unless ``usdt`` names one.
    """
    sender = str(boa.env.eoa)
    plan = plan_alliance(
        sender,
        _nonce(sender),
        admin=str(admin),
        foundation=str(foundation),
        with_treasury=with_treasury,
        usdt=None if usdt is None else str(usdt),
    )
    deployed: dict[str, Any] = {}
    for step in plan.steps:
        contract = deployer(step.contract).deploy(*step.args)
        if str(contract.address) != step.address:
            raise RuntimeError(
                f"{step.contract} landed at {contract.address}, not at {step.address} "
                f"(nonce {step.nonce} of {plan.deployer})"
            )
        deployed[step.key] = contract
    return InProcessAlliance(
        token=deployed["token"],
        council=deployed["council"],
        motions=deployed["motions"],
        treasury=deployed.get("treasury"),
        usdt=deployed.get("usdt"),
    )
