"""Gas of the peers, on the same in-process EVM as ours (issue 6, the peer half of `bench-gas`).

The peers come from the npm registry at benchmark time (``bench/peers/package.json``, installed
by ``make setup`` with ``npm ci --prefix bench/peers``); nothing of theirs is in the repository.

- OpenZeppelin Governor 5.x: ``bench/peers/contracts/BenchGovernor.sol`` (Governor +
  GovernorSettings + GovernorCountingSimple + GovernorVotes + GovernorVotesQuorumFraction) over
  ``BenchToken.sol`` (ERC20 + ERC20Permit + ERC20Votes), ours, compiled with solc-js against
  ``@openzeppelin/contracts``; 500 holders, each delegating to itself. ``oz_propose``: one
  proposal with one no-op call. ``oz_castVote``: the median For vote of 249 voters (the first
  ballot, which writes the For tally from zero, left out). ``oz_castVoteBySig``: the median of
  250 further For ballots, each signed by its voter (EIP-712, eth-account) and submitted by a
  relayer. All For, as our own figure is a For vote (GovernorCountingSimple's branches make an
  Against ballot 44 gas cheaper, one byte of calldata and one comparison, and Abstain 32 dearer).
- Uniswap's MerkleDistributor (``@uniswap/merkle-distributor``): the npm package ships no
  Solidity, only Uniswap's own build (``build/*.json``: solc 0.6.11, optimizer 200 runs), so
  its ``MerkleDistributor`` and the ``TestERC20`` it is tested with are deployed as published.
  A 500-leaf list (the leaf ``keccak256(abi.encodePacked(index, account, amount))``, the
  sorted-pair tree built here as Uniswap's scripts build it), the distributor holding exactly
  the list's total, every account (none held the token before) claiming for itself, in index
  order. ``uniswap_claim``: the median claim whose bitmap word already had a bit set.
  ``uniswap_claim_first``: the list's first claim (index 0; its bitmap word was zero).

Receipt gas (``kol.chain.gas``): intrinsic 21,000 and calldata included, a fresh transaction
before every measured call, a fixed clock. Everything runs in a fresh ``boa.Env``.

    python bench/peers.py     # prints {"peers": {...}, "conditions": {...}}
"""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boa
from eth_abi.abi import encode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

from kol.chain.gas import begin_transaction, last_receipt_gas

ROOT = Path(__file__).resolve().parents[1]
PEERS = ROOT / "bench" / "peers"
INSTALL = "npm ci --prefix bench/peers"  # or `make setup`

#: Our Solidity's compiler settings: OpenZeppelin's own (optimizer on, 200 runs).
EVM_VERSION = "prague"
OPTIMIZER_RUNS = 200
SOURCES = ("BenchGovernor.sol", "BenchToken.sol")
UNISWAP = "@uniswap/merkle-distributor"
PACKAGES = ("solc", "@openzeppelin/contracts", UNISWAP)

VOTERS = 500
LEAVES = 500
FOR = 1  # GovernorCountingSimple: 0 Against, 1 For, 2 Abstain
DESCRIPTION = "Bench proposal: one no-op call"
DOMAIN_TYPES = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]
BALLOT_TYPES = [
    {"name": "proposalId", "type": "uint256"},
    {"name": "support", "type": "uint8"},
    {"name": "voter", "type": "address"},
    {"name": "nonce", "type": "uint256"},
]


class PeersNotInstalled(RuntimeError):
    """Node.js or the npm packages of the peers are missing."""


@dataclass(frozen=True)
class Artifact:
    """A compiled contract: its ABI and creation bytecode."""

    name: str
    abi: list[dict[str, Any]]
    bytecode: bytes


@dataclass(frozen=True)
class Build:
    """Every peer contract, and what built it."""

    artifacts: dict[str, Artifact]
    conditions: dict[str, Any]


# --------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise PeersNotInstalled(f"Node.js is not on PATH: install Node.js 20, then `{INSTALL}`")
    for package in PACKAGES:
        if not (PEERS / "node_modules" / package / "package.json").is_file():
            raise PeersNotInstalled(f"{package} is not installed: run `{INSTALL}`")
    return node


def _package_version(package: str) -> str:
    meta = json.loads((PEERS / "node_modules" / package / "package.json").read_text())
    version: str = meta["version"]
    return version


def _solc(node: str, standard_input: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Runs solc-js (``compile.js``) on a standard-JSON input: (solc version, output)."""
    run = subprocess.run(
        [node, str(PEERS / "compile.js")],
        input=json.dumps(standard_input),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"compile.js failed (exit {run.returncode}): {run.stderr}")
    result: dict[str, Any] = json.loads(run.stdout)
    output: dict[str, Any] = result["output"]
    errors = [e for e in output.get("errors", []) if e["severity"] == "error"]
    if errors:
        raise RuntimeError("solc: " + "\n".join(e["formattedMessage"] for e in errors))
    return str(result["solc"]), output


def _published(contract: str) -> tuple[Artifact, dict[str, Any]]:
    """One of Uniswap's published build artifacts and its compiler metadata."""
    path = PEERS / "node_modules" / UNISWAP / "build" / f"{contract}.json"
    built = json.loads(path.read_text())
    bytecode = bytes.fromhex(built["evm"]["bytecode"]["object"])
    return Artifact(contract, built["abi"], bytecode), json.loads(built["metadata"])


def build() -> Build:
    """Compiles our Solidity with the installed solc-js and loads Uniswap's published build."""
    node = _node()
    selection = ["abi", "evm.bytecode.object", "metadata"]
    standard_input = {
        "language": "Solidity",
        "sources": {
            f"contracts/{name}": {"content": (PEERS / "contracts" / name).read_text()}
            for name in SOURCES
        },
        "settings": {
            "optimizer": {"enabled": True, "runs": OPTIMIZER_RUNS},
            "evmVersion": EVM_VERSION,
            "outputSelection": {f"contracts/{name}": {"*": selection} for name in SOURCES},
        },
    }
    solc, output = _solc(node, standard_input)
    artifacts: dict[str, Artifact] = {}
    targets = set()  # the EVM versions solc compiled for, from its metadata
    for name in SOURCES:
        contract = name.removesuffix(".sol")
        compiled = output["contracts"][f"contracts/{name}"][contract]
        targets.add(json.loads(compiled["metadata"])["settings"]["evmVersion"])
        bytecode = bytes.fromhex(compiled["evm"]["bytecode"]["object"])
        artifacts[contract] = Artifact(contract, compiled["abi"], bytecode)
    artifacts["MerkleDistributor"], meta = _published("MerkleDistributor")
    artifacts["TestERC20"], _ = _published("TestERC20")
    settings = meta["settings"]
    conditions = {
        "solc": solc.split(".Emscripten")[0],
        "solc_evm_version": ",".join(sorted(targets)),
        "solc_optimizer_runs": OPTIMIZER_RUNS,
        "openzeppelin_contracts": _package_version("@openzeppelin/contracts"),
        "uniswap_merkle_distributor": _package_version(UNISWAP),
        "uniswap_build": (
            f"published bytecode (MerkleDistributor, TestERC20): solc "
            f"{meta['compiler']['version']}, optimizer {settings['optimizer']['runs']} runs, "
            f"evm {settings['evmVersion']}"
        ),
    }
    return Build(artifacts, conditions)


# --------------------------------------------------------------------------------------------
# Uniswap's Merkle tree (scripts/merkle-tree.ts and balance-tree.ts of Uniswap/merkle-distributor)
# --------------------------------------------------------------------------------------------


def uniswap_leaf(index: int, account: str, amount: int) -> bytes:
    """``keccak256(abi.encodePacked(index, account, amount))``, as ``claim`` computes it."""
    packed = index.to_bytes(32, "big") + bytes.fromhex(account[2:]) + amount.to_bytes(32, "big")
    return keccak(packed)


def _parent(left: bytes, right: bytes | None) -> bytes:
    return left if right is None else keccak(min(left, right) + max(left, right))


def uniswap_tree(leaves: list[bytes]) -> tuple[bytes, dict[bytes, list[bytes]]]:
    """Root and every leaf's proof of Uniswap's tree: leaves sorted (duplicates dropped), each
    pair hashed in sorted order, an odd last node carried up as it is (what OpenZeppelin 3.x
    ``MerkleProof.verify`` checks)."""
    layer = sorted(set(leaves))
    proofs: dict[bytes, list[bytes]] = {leaf: [] for leaf in layer}
    position = {leaf: i for i, leaf in enumerate(layer)}
    while len(layer) > 1:
        for leaf, i in position.items():
            if i ^ 1 < len(layer):
                proofs[leaf].append(layer[i ^ 1])
            position[leaf] = i // 2
        layer = [
            _parent(layer[i], layer[i + 1] if i + 1 < len(layer) else None)
            for i in range(0, len(layer), 2)
        ]
    return layer[0], proofs


# --------------------------------------------------------------------------------------------
# The runs
# --------------------------------------------------------------------------------------------


def _deploy(artifact: Artifact, types: list[str], args: list[Any]) -> Any:
    address, _ = boa.env.deploy_code(bytecode=artifact.bytecode + encode(types, args))
    return boa.loads_abi(json.dumps(artifact.abi), name=artifact.name).at(address)


def _measure(contract: Any, function: Callable[..., Any], *args: Any) -> int:
    """Receipt gas of ``function(*args)`` (a method of ``contract``) in a fresh transaction."""
    begin_transaction()
    function(*args)
    return last_receipt_gas(contract)


def _key(label: str) -> Any:
    return Account.from_key(keccak(text=f"kol-bench-peers:{label}"))


def address_of(label: str) -> str:
    return str(to_checksum_address(keccak(text=f"kol-bench-peers:{label}")[:20]))


@dataclass(frozen=True)
class Ballot:
    """One vote as the Governor recorded it (its ``VoteCast`` event), and who sent it."""

    sender: str
    voter: str
    support: int
    weight: int
    for_votes_after: int  # proposalVotes(proposal).forVotes once it was counted


@dataclass
class GovernorRun:
    """The OpenZeppelin Governor run: its contracts and its ballots."""

    token: Any
    governor: Any
    proposal_id: int
    relayer: str
    weights: dict[str, int]  # voter -> tokens held (and delegated to itself)
    own: list[Ballot] = field(default_factory=list)  # castVote
    relayed: list[Ballot] = field(default_factory=list)  # castVoteBySig
    figures: dict[str, int] = field(default_factory=dict)


@dataclass
class DistributorRun:
    """The Uniswap MerkleDistributor run: its contracts and the claims made."""

    token: Any
    distributor: Any
    root: bytes
    claims: list[tuple[int, str, int]]  # (index, account, amount), in claim order
    figures: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class PeerRun:
    """Everything one peers measurement did, in its own ``boa.Env`` (``env``)."""

    env: Any
    figures: dict[str, int]
    conditions: dict[str, Any]
    governor: GovernorRun
    distributor: DistributorRun


def ballot_signature(governor: Any, signer: Any, proposal_id: int) -> bytes:
    _, name, version, chain_id, verifying, _, _ = governor.eip712Domain()
    typed = {
        "types": {"EIP712Domain": DOMAIN_TYPES, "Ballot": BALLOT_TYPES},
        "primaryType": "Ballot",
        "domain": {
            "name": name,
            "version": version,
            "chainId": chain_id,
            "verifyingContract": verifying,
        },
        "message": {
            "proposalId": proposal_id,
            "support": FOR,
            "voter": signer.address,
            "nonce": governor.nonces(signer.address),
        },
    }
    signature: bytes = signer.sign_message(encode_typed_data(full_message=typed)).signature
    return signature


def _ballot(governor: Any, sender: str, proposal_id: int) -> Ballot:
    (event,) = [e for e in governor.get_logs() if type(e).__name__ == "VoteCast"]
    return Ballot(
        sender=sender,
        voter=str(to_checksum_address(str(event.voter))),
        support=event.support,
        weight=event.weight,
        for_votes_after=governor.proposalVotes(proposal_id)[1],
    )


def deploy_governor(
    artifacts: dict[str, Artifact], count: int = VOTERS
) -> tuple[list[Any], dict[str, int], Any, Any]:
    """The token held by ``count`` voters, each delegating to itself, and the Governor over
    it (in ``boa.env``): (voters' keys, weights, token, governor)."""
    voters = [_key(f"voter{i}") for i in range(count)]
    weights = {v.address: (100 + i) * 10**18 for i, v in enumerate(voters)}
    token = _deploy(
        artifacts["BenchToken"], ["address[]", "uint256[]"], [list(weights), list(weights.values())]
    )
    governor = _deploy(artifacts["BenchGovernor"], ["address"], [token.address])
    for holder in weights:
        with boa.env.prank(holder):
            token.delegate(holder)
    boa.env.time_travel(blocks=1)
    return voters, weights, token, governor


def run_governor(artifacts: dict[str, Artifact]) -> GovernorRun:
    """Deploys the Governor over 500 self-delegated holders; measures propose and the votes."""
    voters, weights, token, governor = deploy_governor(artifacts)

    call = ([address_of("no-op target")], [0], [b""])
    with boa.env.prank(address_of("proposer")):
        propose = _measure(governor, governor.propose, *call, DESCRIPTION)
    proposal_id = governor.hashProposal(*call, keccak(text=DESCRIPTION))
    boa.env.time_travel(blocks=governor.votingDelay() + 1)
    run = GovernorRun(token, governor, proposal_id, address_of("relayer"), weights)

    own, relayed = [], []
    for voter in voters[: VOTERS // 2]:
        with boa.env.prank(voter.address):
            own.append(_measure(governor, governor.castVote, proposal_id, FOR))
        run.own.append(_ballot(governor, voter.address, proposal_id))
    for voter in voters[VOTERS // 2 :]:
        signature = ballot_signature(governor, voter, proposal_id)
        ballot = (proposal_id, FOR, voter.address, signature)
        with boa.env.prank(run.relayer):
            relayed.append(_measure(governor, governor.castVoteBySig, *ballot))
        run.relayed.append(_ballot(governor, run.relayer, proposal_id))
    run.figures = {
        "oz_castVote": int(statistics.median_low(own[1:])),
        "oz_castVoteBySig": int(statistics.median_low(relayed)),
        "oz_propose": propose,
    }
    return run


def run_distributor(artifacts: dict[str, Artifact]) -> DistributorRun:
    """Deploys Uniswap's distributor for a 500-leaf list; measures every claim."""
    claims = [(i, address_of(f"claimant{i}"), (1_000 + 7 * i) * 10**18) for i in range(LEAVES)]
    leaves = [uniswap_leaf(*claim) for claim in claims]
    root, proofs = uniswap_tree(leaves)
    funder = address_of("funder")
    total = sum(amount for _, _, amount in claims)
    with boa.env.prank(funder):  # TestERC20 mints its supply to its deployer
        token = _deploy(artifacts["TestERC20"], ["string", "string", "uint256"], ["T", "T", total])
    distributor = _deploy(
        artifacts["MerkleDistributor"], ["address", "bytes32"], [token.address, root]
    )
    with boa.env.prank(funder):
        token.transfer(distributor.address, total)

    gas: list[int] = []
    later_in_word: list[int] = []  # claims whose claimedBitMap word already had a bit set
    words: set[int] = set()
    for (index, account, amount), leaf in zip(claims, leaves, strict=True):
        with boa.env.prank(account):
            gas.append(
                _measure(distributor, distributor.claim, index, account, amount, proofs[leaf])
            )
        if index // 256 in words:
            later_in_word.append(gas[-1])
        words.add(index // 256)
    run = DistributorRun(token, distributor, root, claims)
    run.figures = {
        "uniswap_claim": int(statistics.median_low(later_in_word)),
        "uniswap_claim_first": gas[0],
    }
    return run


def _evm_version() -> str:
    return type(boa.env.evm.vm).__name__.removesuffix("VM").lower()


def run_peers() -> PeerRun:
    """Builds the peers and runs both measurements in a fresh ``boa.Env``; the caller's
    environment is left as it was."""
    built = build()
    env = boa.Env()
    with boa.swap_env(env):
        # A fixed clock, as in bench/gas_snapshot.py: the same run every time.
        env.evm.patch.timestamp = 1_800_000_000
        env.evm.patch.block_number = 20_000_000
        governor = run_governor(built.artifacts)
        distributor = run_distributor(built.artifacts)
        conditions = {
            "evm_version": _evm_version(),
            **built.conditions,
            "titanoboa": importlib.metadata.version("titanoboa"),
        }
    figures = dict(sorted({**governor.figures, **distributor.figures}.items()))
    return PeerRun(env, figures, conditions, governor, distributor)


def measure_peers() -> dict[str, int]:
    """The peers' receipt gas: ``oz_castVote``, ``oz_castVoteBySig``, ``oz_propose``,
    ``uniswap_claim`` and ``uniswap_claim_first``."""
    return run_peers().figures


def main() -> int:
    try:
        run = run_peers()
    except PeersNotInstalled as error:
        print(error, file=sys.stderr)
        return 1
    print(json.dumps({"peers": run.figures, "conditions": run.conditions}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
