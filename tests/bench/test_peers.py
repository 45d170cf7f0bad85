"""The peers of the gas benchmark (issue 6) do what their figures claim to measure.

Runs ``bench/peers.py`` once (compiling with solc-js, deploying on titanoboa, every vote and
claim) and checks the behaviour behind the figures: the Governor counts every ballot, a relayed
ballot counts for its signer, every Uniswap claim marks its bit and pays its account. Gas
figures are checked for type and two orderings that follow from the code; timings are never
asserted.

It installs nothing: run ``npm ci --prefix bench/peers`` once (``make setup`` does).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

PEERS_PY = Path(__file__).resolve().parents[2] / "bench" / "peers.py"
FIGURES = {"oz_castVote", "oz_castVoteBySig", "oz_propose", "uniswap_claim", "uniswap_claim_first"}
FOR = 1


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kol_bench_peers", PEERS_PY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def run() -> Any:
    peers = _load()
    try:
        return peers.run_peers()
    except peers.PeersNotInstalled as error:
        pytest.fail(str(error))


def test_peers__five_figures__positive_ints(run: Any) -> None:
    assert set(run.figures) == FIGURES
    for name, gas in run.figures.items():
        assert type(gas) is int and gas > 21_000, name
    # A relayed ballot also recovers a signature and spends the signer's nonce.
    assert run.figures["oz_castVoteBySig"] > run.figures["oz_castVote"]
    # The first claim in a bitmap word writes that word from zero.
    assert run.figures["uniswap_claim_first"] > run.figures["uniswap_claim"]


def test_peers__conditions__name_the_evm_and_the_compilers(run: Any) -> None:
    conditions = run.conditions
    assert conditions["evm_version"] == "prague"
    assert conditions["solc"].startswith("0.8.")
    assert conditions["solc_evm_version"] == "prague"
    assert conditions["openzeppelin_contracts"].startswith("5.")
    assert conditions["titanoboa"] == importlib.metadata.version("titanoboa")


def test_governor__every_ballot__raises_the_for_tally_by_its_weight(run: Any) -> None:
    g = run.governor
    ballots = g.own + g.relayed
    assert len(ballots) == len(g.weights) == 500
    tally = 0
    for ballot in ballots:
        assert ballot.support == FOR
        assert ballot.weight == g.weights[ballot.voter] > 0
        tally += ballot.weight
        assert ballot.for_votes_after == tally
    assert g.governor.proposalVotes(g.proposal_id) == (0, sum(g.weights.values()), 0)
    assert all(g.governor.hasVoted(g.proposal_id, voter) for voter in g.weights)


def test_governor__cast_vote__counts_for_the_sender(run: Any) -> None:
    g = run.governor
    assert [b.voter for b in g.own] == [b.sender for b in g.own] == list(g.weights)[:250]
    assert all(g.governor.nonces(b.voter) == 0 for b in g.own)


def test_governor__relayed_ballot__counts_for_its_signer_not_the_relayer(run: Any) -> None:
    g = run.governor
    assert {b.sender for b in g.relayed} == {g.relayer}
    assert [b.voter for b in g.relayed] == list(g.weights)[250:]
    assert all(g.governor.nonces(b.voter) == 1 for b in g.relayed)  # each signature used once
    assert not g.governor.hasVoted(g.proposal_id, g.relayer)
    assert g.token.getVotes(g.relayer) == 0


def test_distributor__every_claim__marks_its_bit_and_pays_its_account(run: Any) -> None:
    d = run.distributor
    assert len(d.claims) == 500
    assert d.distributor.merkleRoot() == d.root
    assert d.distributor.token() == d.token.address
    for index, account, amount in d.claims:
        assert d.distributor.isClaimed(index)
        assert d.token.balanceOf(account) == amount  # first-time holders: all of it is the claim
    assert not d.distributor.isClaimed(500)
    assert d.token.balanceOf(d.distributor.address) == 0
