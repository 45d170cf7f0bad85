"""``claim_genesis``: anyone sends a leader's leaf of the latest released month's
cumulative list; the token checks the leaf, the council checks the seat and records the
tranches claimed, and the token pays the difference from the month's pool (§8, §11.1).

The council here is ``MockCouncil``: member words are written by the test and
``take_genesis_tranches`` applies Council's rule (tests/contracts/unitary/council/
test_take_genesis_tranches.py tests the real one)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import boa
import pytest
from boa.contracts.base_evm_contract import BoaError

from kol.domain.genesis import Decision, GenesisSchedule, Verdict
from tests.contracts.unitary.token._util import (
    ALICE,
    ALL_CLAIMED,
    BAD_GENESIS_PROOF,
    BOB,
    CAROL,
    GENESIS_SHIFT,
    ISSUER,
    KEEPER,
    NOT_A_NODE,
    NOT_RELEASED,
    NOT_TRANCHES,
    OVER_MONTHS,
    TRANCHE,
    block,
    check_supply,
    claim_genesis,
    genesis_pool_of,
    genesis_tree,
    give,
    member_word,
    proof_of,
    release,
    reverts_unchanged,
    seat,
    transfers,
)

A, B, C = ALICE.address, BOB.address, CAROL.address
PAY, DEFER, WITHHOLD = Verdict.PAY, Verdict.DEFER, Verdict.WITHHOLD


@pytest.fixture
def seated(token: Any, council: Any) -> Any:
    """Alice, Bob and Carol: nodes (ids 1, 2, 3) seated five blocks ago."""
    boa.env.time_travel(blocks=10)
    for member_id, leader in enumerate((A, B, C), start=1):
        seat(council, leader, member_id, since=block() - 5)
    return token


def _schedule(months: Sequence[Sequence[Verdict]], release: dict[int, int] | None = None) -> Any:
    """``months[m - 1][i]``: the verdict on leader i (Alice, Bob, Carol) in month m;
    ``release`` maps a month to deferred KOL paid to Alice with her PAY."""
    decisions = []
    for m, verdicts in enumerate(months, start=1):
        for i, verdict in enumerate(verdicts):
            extra = (release or {}).get(m, 0) if i == 0 else 0
            decisions.append(Decision.of(m, (A, B, C)[i], verdict, extra))
    return GenesisSchedule.of(decisions)


def _release_month(token: Any, schedule: Any, month: int) -> Any:
    tree = schedule.month_tree(month)
    release(token, tree, month, schedule.month_totals(month).paid)
    return tree


def _claim(token: Any, schedule: Any, month: int, leader: str) -> int:
    e = schedule.entitlement(month, leader)
    return claim_genesis(token, schedule.month_tree(month), leader, e.cum_paid, e.cum_forfeited)


def _raw_claim(
    token: Any,
    root: bytes,
    month: int,
    release_block: int,
    leader: str,
    cum_paid: int,
    cum_forfeited: int,
    proof: list[bytes],
) -> None:
    with boa.env.prank(KEEPER):
        token.claim_genesis(root, month, release_block, leader, cum_paid, cum_forfeited, proof)


def test_claim_genesis__pays_the_leader_its_tranche_from_the_pool(
    seated: Any, council: Any
) -> None:
    token = seated
    schedule = _schedule([[PAY, PAY, DEFER]])
    tree = _release_month(token, schedule, 1)
    released_in, pool = block(), token.genesis_pool()
    assert claim_genesis(token, tree, A, TRANCHE) == TRANCHE
    assert transfers(token) == [(pool, A, TRANCHE)]
    assert token.balanceOf(A) == TRANCHE and token.balanceOf(pool) == TRANCHE
    assert token.genesis_claimed(A) == TRANCHE and token.genesis_claimed(B) == 0
    assert (council.last_leader(), council.last_entitled(), council.last_release_block()) == (
        A,
        1,
        released_in,
    )
    assert (council.words(A) >> GENESIS_SHIFT) & 15 == 1
    check_supply(token)


def test_claim_genesis__sent_by_anyone__pays_the_leader(seated: Any) -> None:
    token = seated
    schedule = _schedule([[PAY]])
    tree = _release_month(token, schedule, 1)
    claim_genesis(token, tree, A, TRANCHE, sender=B)
    assert token.balanceOf(A) == TRANCHE and token.balanceOf(B) == 0


def test_claim_genesis__cumulative__pays_the_difference(seated: Any) -> None:
    """Bob claims month by month; Alice defers twice and is paid three tranches in
    month 3; Carol's withheld tranche is never paid."""
    token = seated
    schedule = _schedule(
        [[DEFER, PAY, WITHHOLD], [DEFER, PAY, PAY], [PAY, PAY, PAY]], release={3: 2 * TRANCHE}
    )
    _release_month(token, schedule, 1)
    assert _claim(token, schedule, 1, B) == TRANCHE
    _release_month(token, schedule, 2)
    assert _claim(token, schedule, 2, B) == TRANCHE
    _release_month(token, schedule, 3)
    assert _claim(token, schedule, 3, B) == TRANCHE
    assert _claim(token, schedule, 3, A) == 3 * TRANCHE
    assert _claim(token, schedule, 3, C) == 2 * TRANCHE
    assert [token.genesis_claimed(x) for x in (A, B, C)] == [3 * TRANCHE, 3 * TRANCHE, 2 * TRANCHE]
    assert token.balanceOf(token.genesis_pool()) == 0
    assert token.issued_genesis() == 8 * TRANCHE
    check_supply(token)


def test_claim_genesis__months_not_claimed__all_at_once_from_the_latest(seated: Any) -> None:
    token = seated
    schedule = _schedule([[PAY], [PAY], [PAY]])
    for month in (1, 2, 3):
        _release_month(token, schedule, month)
    assert _claim(token, schedule, 3, A) == 3 * TRANCHE


def test_claim_genesis__ten_tranches_at_most(seated: Any) -> None:
    """Twelve months listed, ten tranches paid: the allotment of 10,000 KOL."""
    token = seated
    tree = genesis_tree([(A, 10 * TRANCHE, 0), (B, 0, 0)])
    release(token, tree, 12, 10 * TRANCHE)
    assert claim_genesis(token, tree, A, 10 * TRANCHE) == 10 * TRANCHE
    assert token.genesis_claimed(A) == 10 * TRANCHE


def test_claim_genesis__leaders_are_counted_apart(seated: Any) -> None:
    token = seated
    schedule = _schedule([[PAY, PAY, PAY]])
    _release_month(token, schedule, 1)
    _claim(token, schedule, 1, B)
    assert [token.genesis_claimed(x) for x in (A, B, C)] == [0, TRANCHE, 0]
    assert _claim(token, schedule, 1, A) == TRANCHE
    assert _claim(token, schedule, 1, C) == TRANCHE


# REFUSED: NOTHING (MORE) TO CLAIM #


def test_claim_genesis__twice__reverts(seated: Any, council: Any) -> None:
    token = seated
    schedule = _schedule([[PAY, PAY]])
    tree = _release_month(token, schedule, 1)
    _claim(token, schedule, 1, A)
    with reverts_unchanged(token, ALL_CLAIMED, extra=lambda: council.words(A)):
        claim_genesis(token, tree, A, TRANCHE)


def test_claim_genesis__deferred_or_withheld__nothing_to_claim(seated: Any) -> None:
    token = seated
    schedule = _schedule([[DEFER, WITHHOLD]])
    tree = _release_month(token, schedule, 1)
    for leader, forfeited in ((A, 0), (B, TRANCHE)):
        with reverts_unchanged(token, ALL_CLAIMED):
            claim_genesis(token, tree, leader, 0, forfeited)


def test_claim_genesis__older_root_after_a_newer_one__reverts(seated: Any) -> None:
    """Month 1's unclaimed tranches moved to month 2's pool: month 1's list no longer pays."""
    token = seated
    schedule = _schedule([[PAY, PAY], [PAY, PAY]])
    month_1 = _release_month(token, schedule, 1)
    boa.env.time_travel(blocks=1)
    _release_month(token, schedule, 2)
    with reverts_unchanged(token, NOT_RELEASED, roots=[month_1.root]):
        claim_genesis(token, month_1, A, TRANCHE)
    assert _claim(token, schedule, 2, A) == 2 * TRANCHE


def test_claim_genesis__older_root_already_covered__reverts(seated: Any) -> None:
    token = seated
    schedule = _schedule([[PAY], [PAY]])
    month_1 = _release_month(token, schedule, 1)
    _release_month(token, schedule, 2)
    _claim(token, schedule, 2, A)
    with reverts_unchanged(token, ALL_CLAIMED):
        claim_genesis(token, month_1, A, TRANCHE)


def test_claim_genesis__more_than_released__reverts_and_the_pool_stays_at_0(seated: Any) -> None:
    """A month minting one tranche for a list paying two: the second claim is refused."""
    token = seated
    tree = genesis_tree([(A, TRANCHE, 0), (B, TRANCHE, 0)])
    release(token, tree, 1, TRANCHE)
    claim_genesis(token, tree, B, TRANCHE)
    assert token.balanceOf(token.genesis_pool()) == 0
    with reverts_unchanged(token, NOT_RELEASED):
        claim_genesis(token, tree, A, TRANCHE)
    check_supply(token)


def test_claim_genesis__before_any_release__reverts(seated: Any) -> None:
    tree = genesis_tree([(A, TRANCHE, 0), (B, 0, 0)])
    proof = proof_of(tree, (A, TRANCHE, 0))
    with reverts_unchanged(seated, NOT_RELEASED):
        _raw_claim(seated, tree.root, 1, block(), A, TRANCHE, 0, proof)


@pytest.mark.parametrize("forge", ["month", "block"])
def test_claim_genesis__released_root_named_with_another_month_or_block__reverts(
    seated: Any, forge: str
) -> None:
    token = seated
    tree = genesis_tree([(A, TRANCHE, 0), (B, 0, 0)])
    release(token, tree, 1, TRANCHE)
    month, released_in = (2, block()) if forge == "month" else (1, block() - 1)
    with reverts_unchanged(token, NOT_RELEASED):
        _raw_claim(
            token, tree.root, month, released_in, A, TRANCHE, 0, proof_of(tree, (A, TRANCHE, 0))
        )


# REFUSED: NOT A NODE SEATED BEFORE THE RELEASE #


@pytest.mark.parametrize(
    "word",
    [
        pytest.param(0, id="never_a_member"),
        pytest.param(member_word(4, 1, node=False), id="unseated"),
        pytest.param(member_word(4, 1, node=False, super_node=True), id="super_bit_only"),
        pytest.param(member_word(4, 0, node=False, candidate=True), id="candidate"),
    ],
)
def test_claim_genesis__not_a_seated_node__reverts(seated: Any, council: Any, word: int) -> None:
    token = seated
    council.set_member_word(A, word)
    tree = genesis_tree([(A, TRANCHE, 0), (B, TRANCHE, 0)])
    release(token, tree, 1, 2 * TRANCHE)
    with reverts_unchanged(token, NOT_A_NODE, extra=lambda: (council.words(A), council.takes())):
        claim_genesis(token, tree, A, TRANCHE)
    assert claim_genesis(token, tree, B, TRANCHE) == TRANCHE


@pytest.mark.parametrize(("since", "paid"), [(-1, True), (0, False), (1, False)])
def test_claim_genesis__seated_relative_to_the_release_block(
    seated: Any, council: Any, since: int, paid: bool
) -> None:
    """Seated in the block before the release: paid; in the release block or after: not."""
    token = seated
    tree = genesis_tree([(A, TRANCHE, 0), (B, 0, 0)])
    released_in = release(token, tree, 1, TRANCHE)
    council.set_member_word(A, member_word(1, released_in + since))
    if paid:
        assert claim_genesis(token, tree, A, TRANCHE) == TRANCHE
    else:
        with reverts_unchanged(token, NOT_A_NODE):
            claim_genesis(token, tree, A, TRANCHE)


# REFUSED: THE LEAF #


@pytest.mark.parametrize(
    ("month", "paid", "forfeited", "ok"),
    [
        (1, 1, 0, True),
        (1, 0, 1, False),  # nothing paid: refused by the council's count, not the bound
        (1, 2, 0, False),
        (1, 1, 1, False),
        (3, 3, 0, True),
        (3, 2, 2, False),
        (10, 10, 0, True),
        (12, 10, 0, True),
        (12, 9, 2, False),
        (12, 11, 0, False),
        (255, 11, 0, False),
    ],
)
def test_claim_genesis__at_most_a_tranche_a_month_and_ten_in_all(
    seated: Any, month: int, paid: int, forfeited: int, ok: bool
) -> None:
    token = seated
    leaf = (A, paid * TRANCHE, forfeited * TRANCHE)
    tree = genesis_tree([leaf, (B, 0, 0)])
    release(token, tree, month, 11 * TRANCHE)
    if ok:
        assert claim_genesis(token, tree, *leaf) == paid * TRANCHE
        return
    reason = OVER_MONTHS if paid + forfeited > min(month, 10) else ALL_CLAIMED
    with reverts_unchanged(token, reason):
        claim_genesis(token, tree, *leaf)


@pytest.mark.parametrize(
    ("paid", "forfeited"),
    [(TRANCHE + 1, 0), (TRANCHE - 1, 0), (1, 0), (TRANCHE, 1), (0, TRANCHE // 2)],
)
def test_claim_genesis__not_whole_tranches__reverts(seated: Any, paid: int, forfeited: int) -> None:
    token = seated
    tree = genesis_tree([(A, paid, forfeited), (B, 0, 0)])
    release(token, tree, 5, 2 * TRANCHE)
    with reverts_unchanged(token, NOT_TRANCHES):
        claim_genesis(token, tree, A, paid, forfeited)


@pytest.mark.parametrize("forge", ["paid", "forfeited", "leader", "empty", "other_leaf", "junk"])
def test_claim_genesis__forged_proof__reverts(seated: Any, forge: str) -> None:
    token = seated
    tree = genesis_tree([(A, TRANCHE, 0), (B, 2 * TRANCHE, 0), (C, 0, TRANCHE)])
    released_in = release(token, tree, 2, 3 * TRANCHE)
    leader, paid, forfeited = A, TRANCHE, 0
    proof = proof_of(tree, (A, TRANCHE, 0))
    if forge == "paid":
        paid = 2 * TRANCHE
    elif forge == "forfeited":
        forfeited = TRANCHE
    elif forge == "leader":
        leader = C
    elif forge == "empty":
        proof = []
    elif forge == "other_leaf":
        proof = proof_of(tree, (B, 2 * TRANCHE, 0))
    else:
        proof = [b"\x07" * 32] * len(proof)
    with reverts_unchanged(token, BAD_GENESIS_PROOF):
        _raw_claim(token, tree.root, 2, released_in, leader, paid, forfeited, proof)


def test_claim_genesis__proof_from_another_list__reverts(seated: Any) -> None:
    """A genesis leaf proves nothing against a root that lists other leaves."""
    token = seated
    tree = genesis_tree([(A, TRANCHE, 0), (B, 0, 0)])
    other = genesis_tree([(A, 0, 0), (B, TRANCHE, 0)])
    released_in = release(token, other, 1, TRANCHE)
    with reverts_unchanged(token, BAD_GENESIS_PROOF):
        _raw_claim(
            token, other.root, 1, released_in, A, TRANCHE, 0, proof_of(tree, (A, TRANCHE, 0))
        )


def test_claim_genesis__issuer_is_no_leader(seated: Any) -> None:
    """The issuer (not seated) is listed: the council refuses it like anyone else."""
    token = seated
    tree = genesis_tree([(ISSUER, TRANCHE, 0), (A, 0, 0)])
    release(token, tree, 1, TRANCHE)
    with reverts_unchanged(token, NOT_A_NODE):
        claim_genesis(token, tree, ISSUER, TRANCHE)


# A ROOT NEVER RELEASED #


def test_claim_genesis__root_never_released__pays_nothing_and_leaves_the_count(
    seated: Any,
) -> None:
    """Only a released month's list pays. Here Bob forges a list paying Alice ten tranches
    as "month 10", sends 10,000 KOL of his own to the address its pool would have (the
    genesis pool is not a "KOL-POOL" address, so ``transfer`` accepts it) and claims for
    Alice. Whichever step the token refuses, Alice's count must not move: her tranche of
    the month really released stays hers to claim.

    Fails today: the pool's balance is taken as the proof of the release, the forged claim
    pays Alice Bob's 10,000 KOL and sets her count to ten, and her real tranche is then
    refused ("already claimed every tranche") and stays in the genesis pool for good."""
    token = seated
    real = genesis_tree([(A, TRANCHE, 0), (C, TRANCHE, 0)])
    release(token, real, 1, 2 * TRANCHE)
    give(token, B, 10 * TRANCHE)
    forged = genesis_tree([(A, 10 * TRANCHE, 0), (B, 0, 0)])
    forged_pool = genesis_pool_of(forged.root, 10, block())
    with contextlib.suppress(BoaError), boa.env.prank(B):
        token.transfer(forged_pool, 10 * TRANCHE)
    with contextlib.suppress(BoaError):
        _raw_claim(
            token, forged.root, 10, block(), A, 10 * TRANCHE, 0, proof_of(forged, forged.values[0])
        )
    assert token.genesis_claimed(A) == 0
    assert claim_genesis(token, real, A, TRANCHE) == TRANCHE
