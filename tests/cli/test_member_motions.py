"""``kol motion …`` and ``kol relay`` against the roster ``kol up`` seats on a real anvil:
every kind's sub-syntax, own and signed ballots, sponsorship, two stages, execution, closing,
and the contract's own reasons when a rule refuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kol.alliance import MotionStatus
from kol.cli.year import dev_key
from tests.cli.conftest import CANDIDATES, NODES, SUPER, Devnet


def _created(chain: Devnet, *args: str) -> dict[str, object]:
    payload = chain.ok("motion", "create", *args)
    motion = payload["motion"]
    assert isinstance(motion, dict)
    return motion


# CREATE, SHOW #


def test_create_replace_node__opens_the_super_stage_and_show_describes_it(chain: Devnet) -> None:
    motion = _created(
        chain, "replace-node", chain.address("node:50"), chain.address("candidate:5"),
        "--dev", "node:0",
    )  # fmt: skip
    assert motion["kind"] == "REPLACE_NODE" and motion["status"] == "voting"
    [stage] = motion["stages"]
    assert stage["chamber"] == "super" and stage["electorate"] == 21 and stage["threshold"] == 7
    assert motion["args"]["accounts"] == [chain.address("node:50"), chain.address("candidate:5")]
    shown = chain.ok("motion", "show", str(motion["motion_id"]))["motion"]
    assert shown == motion
    human = chain.kol("motion", "show", str(motion["motion_id"]))
    assert human.exit_code == 0
    assert "super nodes 33%" in human.stdout and "electorate" in human.stdout
    assert chain.address("candidate:5") in human.stdout  # the arguments, with names


def test_create__accounts_by_community_name(chain: Devnet) -> None:
    names = chain.sdk().community_names()
    old, new = chain.address("node:51"), chain.address("candidate:6")
    motion = _created(chain, "replace-node", names[old], names[new], "--dev", "node:1")
    assert motion["args"]["accounts"] == [old, new]


def test_create__unknown_member__names_it(chain: Devnet) -> None:
    message = chain.refused(
        "motion", "create", "replace-node", "nobody-at-all", chain.address("candidate:7"),
        "--dev", "node:2", code=2,
    )  # fmt: skip
    assert "unknown member 'nobody-at-all'" in message


def test_create__a_rule_of_the_power_map__the_engine_says_which(chain: Devnet) -> None:
    # REPLACE_NODE is proposed by a super node; node:60 is a plain node
    message = chain.refused(
        "motion", "create", "replace-node", chain.address("node:61"),
        chain.address("candidate:8"), "--dev", "node:60",
    )  # fmt: skip
    assert message.startswith("Error: refused by the rules: motions:")
    assert "super node" in message


def test_create_set_parameters__names_values_and_a_range_refused(chain: Devnet) -> None:
    bad_name = chain.refused(
        "motion", "create", "set-parameters", "quorum=3", "--dev", "node:3", code=2
    )
    assert "write NAME=VALUE with NAME one of voting_period" in bad_name
    bad_value = chain.refused(
        "motion", "create", "set-parameters", "voting_period=soon", "--dev", "node:3", code=2
    )
    assert "must be a whole number" in bad_value
    out_of_range = chain.refused(
        "motion", "create", "set-parameters", "voting_period=60", "--dev", "node:3"
    )
    assert "parameters: voting_period must be 1 hour to 30 days" in out_of_range


def test_create__every_kind_has_its_sub_syntax(chain: Devnet) -> None:
    result = chain.kol("motion", "create", "--help")
    assert result.exit_code == 0
    for kind in (
        "ratify", "approve-task", "replace-node", "replace-super-node", "replace-admin",
        "batch", "genesis-month", "statement", "audit", "set-parameters",
        "replenish-super-alternates", "replenish-node-alternates",
    ):  # fmt: skip
        assert kind in result.stdout


def test_create_ratify__after_genesis__refused_by_the_engine(chain: Devnet) -> None:
    message = chain.refused(
        "motion", "create", "ratify", "--slate", chain.address("node:70"), "--dev", "node:70"
    )
    assert "refused by the rules: motions:" in message


def test_show__no_such_motion(chain: Devnet) -> None:
    assert "motions: no such motion (999)" in chain.refused("motion", "show", "999")


# VOTE, SIGN, RELAY #


@pytest.fixture(scope="module")
def replace_node(chain: Devnet) -> int:
    """A REPLACE_NODE motion in its super stage (threshold 7 of 21)."""
    motion = _created(
        chain, "replace-node", chain.address("node:80"), chain.address("candidate:10"),
        "--dev", "node:4",
    )  # fmt: skip
    return int(str(motion["motion_id"]))


def test_vote__own_transaction__tallied(chain: Devnet, replace_node: int) -> None:
    voted = chain.ok("motion", "vote", str(replace_node), "for", "--dev", "node:5")
    assert voted["stage"]["for"] == 1 and voted["voter"] == chain.address("node:5")
    again = chain.refused("motion", "vote", str(replace_node), "against", "--dev", "node:5")
    assert "ballots: voter already voted in this stage" in again


def test_vote__wrong_chamber__the_council_says_so(chain: Devnet, replace_node: int) -> None:
    message = chain.refused("motion", "vote", str(replace_node), "for", "--dev", "node:90")
    assert "ballots: voter is not seated in the stage's chamber" in message


def test_vote__bad_choice_and_unopened_stage(chain: Devnet, replace_node: int) -> None:
    bad = chain.kol("motion", "vote", str(replace_node), "maybe", "--dev", "node:5")
    assert bad.exit_code == 2 and "'maybe' is not one of 'for', 'against', 'abstain'" in bad.output
    message = chain.refused(
        "motion", "vote", str(replace_node), "for", "--stage", "2", "--dev", "node:6"
    )
    assert f"stage 2 of motion {replace_node} has not opened" in message


def test_vote_sign_and_relay__ballots_recorded_in_one_transaction(
    chain: Devnet, replace_node: int, tmp_path: Path
) -> None:
    files = []
    for label, choice in (("node:6", "for"), ("node:7", "against"), ("node:90", "for")):
        out = tmp_path / f"{label.replace(':', '-')}.json"
        signed = chain.ok(
            "motion", "vote", str(replace_node), choice, "--dev", label, "--sign", str(out)
        )
        assert signed["voter"] == chain.address(label) and out.exists()
        files.append(str(out))
    sent_before = chain.sdk().backend.w3.eth.get_transaction_count(chain.address("node:6"))
    relayed = chain.ok("relay", *files, "--dev", "relayer")
    assert relayed["relayed"] == 3 and relayed["recorded"] == 2
    outcomes = [b["outcome"] for b in relayed["ballots"]]
    assert outcomes[:2] == ["recorded", "recorded"] and outcomes[2].startswith("skipped")
    # the voters sent nothing: the relayer paid
    assert chain.sdk().backend.w3.eth.get_transaction_count(chain.address("node:6")) == sent_before
    again = chain.ok("relay", files[0], "--dev", "relayer")
    assert again["recorded"] == 0 and again["ballots"][0]["outcome"] == "skipped: already voted"
    shown = chain.ok("motion", "show", str(replace_node))["motion"]["stages"][0]
    assert (shown["for"], shown["against"]) == (2, 1)


def test_relay__a_ballot_of_another_deployment_or_not_a_ballot__refused(
    chain: Devnet, replace_node: int, tmp_path: Path
) -> None:
    out = tmp_path / "ballot.json"
    chain.ok("motion", "vote", str(replace_node), "for", "--dev", "node:8", "--sign", str(out))
    ballot = json.loads(out.read_text())
    ballot["chain_id"] = 1
    forged = tmp_path / "other-chain.json"
    forged.write_text(json.dumps(ballot))
    message = chain.refused("relay", str(forged), "--dev", "relayer")
    assert "not this deployment's" in message and "chain 1" in message
    junk = tmp_path / "junk.json"
    junk.write_text('{"hello": 1}')
    assert "not a signed ballot" in chain.refused("relay", str(junk), "--dev", "relayer")
    exists = chain.refused(
        "motion", "vote", str(replace_node), "for", "--dev", "node:8", "--sign", str(out), code=2
    )
    assert "already exists" in exists


def test_execute__before_the_stage_passes__the_engine_says_why_then_executes(
    chain: Devnet, replace_node: int
) -> None:
    refused = chain.refused("motion", "execute", str(replace_node), "--dev", "keeper")
    assert "refused by the rules: motions:" in refused
    chain.relay_votes(replace_node, 1, SUPER[9:14])
    executed = chain.ok("motion", "execute", str(replace_node), "--dev", "keeper")
    assert executed["motion"]["status"] == "executed"
    assert not chain.sdk().member(chain.address("node:80")).is_node
    assert chain.sdk().member(chain.address("candidate:10")).is_node
    twice = chain.refused("motion", "execute", str(replace_node), "--dev", "keeper")
    assert "motions: already executed" in twice


def test_vote__keystore_signer(chain: Devnet, tmp_path: Path) -> None:
    from kol.chain.keys import encrypt_key

    motion = _created(
        chain, "replace-node", chain.address("node:81"), chain.address("candidate:11"),
        "--dev", "node:10",
    )  # fmt: skip
    path = encrypt_key(dev_key(2019, "node:11"), "pw", tmp_path / "k.json", iterations=2**4)
    voted = chain.ok(
        "motion", "vote", str(motion["motion_id"]), "abstain", "--keystore", str(path),
        env={"KOL_KEYSTORE_PASSWORD": "pw"},
    )  # fmt: skip
    assert voted["voter"] == chain.address("node:11") and voted["stage"]["abstain"] == 1


# TWO STAGES, SPONSORS, CLOSE #


def test_set_parameters__two_stages_advance_and_execute(chain: Devnet) -> None:
    motion = _created(chain, "set-parameters", "voting_period=4d", "--dev", "node:12")
    motion_id = int(str(motion["motion_id"]))
    chain.relay_votes(motion_id, 1, SUPER[:11])
    assert chain.ok("motion", "show", str(motion_id))["motion"]["status"] == "awaiting_stage"
    too_early = chain.refused("motion", "execute", str(motion_id), "--dev", "keeper")
    assert "refused by the rules: motions:" in too_early
    opened = chain.ok("motion", "advance", str(motion_id), "--dev", "keeper")
    stage2 = opened["motion"]["stages"][1]
    assert stage2["chamber"] == "node" and stage2["threshold"] == 76  # ceil(51% of 149)
    chain.relay_votes(motion_id, 2, NODES[:76])
    chain.ok("motion", "execute", str(motion_id), "--dev", "keeper")
    assert chain.ok("status")["parameters"]["voting_period"] == 4 * 86_400
    assert chain.sdk().parameters().voting_period == 4 * 86_400


def test_replenish_node_alternates__sponsors_gathered_by_the_pool(chain: Devnet) -> None:
    pool = [f"candidate:{i}" for i in range(20, 25)]
    motion = _created(
        chain, "replenish-node-alternates", *(chain.address(c) for c in pool),
        "--dev", "candidate:30",
    )  # fmt: skip
    motion_id = str(motion["motion_id"])
    assert motion["status"] == "sponsoring" and motion["sponsorship"]["threshold"] == 5
    wrong_body = chain.refused("motion", "sponsor", motion_id, "--dev", "node:30")
    assert "refused by the rules: sponsorships:" in wrong_body
    for label in CANDIDATES[31:35]:
        sponsored = chain.ok("motion", "sponsor", motion_id, "--dev", label)
    assert sponsored["motion"]["sponsorship"]["sponsors"] == 4
    last = chain.ok("motion", "sponsor", motion_id, "--dev", "candidate:35")
    assert last["motion"]["status"] == "awaiting_stage"


def test_close__a_failed_motion_only(chain: Devnet) -> None:
    motion = _created(chain, "replace-admin", chain.address("node:100"), "--dev", "node:100")
    motion_id = str(motion["motion_id"])
    early = chain.refused("motion", "close", motion_id, "--dev", "keeper")
    assert "motions: only a failed or lapsed motion can be closed" in early
    chain.wait(5 * 86_400)
    closed = chain.ok("motion", "close", motion_id, "--dev", "keeper")
    assert closed["motion"]["status"] == "failed"
    listed = chain.ok("motion", "list")["motions"]
    assert [m["motion_id"] for m in listed] == sorted(
        (m["motion_id"] for m in listed), reverse=True
    )
    assert int(motion_id) not in [
        m["motion_id"] for m in chain.ok("motion", "list", "--live")["motions"]
    ]
    assert MotionStatus.FAILED.name.lower() == "failed"


def test_create_replace_super_node__dev_labels_as_accounts(chain: Devnet) -> None:
    motion = _created(chain, "replace-super-node", "node:3", "node:120", "--dev", "node:121")
    assert motion["args"]["accounts"] == [chain.address("node:3"), chain.address("node:120")]
    [stage] = motion["stages"]
    assert (stage["chamber"], stage["threshold"]) == ("node", 76)


def test_create_replenish_super_alternates__gathers_sponsors_among_nodes(chain: Devnet) -> None:
    motion = _created(
        chain, "replenish-super-alternates", "node:122", "node:123", "node:124",
        "--dev", "node:125",
    )  # fmt: skip
    assert motion["status"] == "sponsoring" and motion["stages"] == []
    assert motion["sponsorship"]["body"] == "node" and motion["sponsorship"]["threshold"] == 15
    too_few = chain.refused(
        "motion", "create", "replenish-super-alternates", "node:126", "--dev", "node:127"
    )
    assert "refused by the rules: motions:" in too_few
