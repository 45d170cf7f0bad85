"""Council.take_genesis_tranches: the token's record of a leader's genesis claims (§8)."""

from __future__ import annotations

import boa

from kol.chain.inprocess import deployer
from tests.contracts.helpers import key, next_block, reverts_with

ZERO = "0x0000000000000000000000000000000000000000"


def _council() -> tuple[object, str, str]:
    admin, token = key("tgt admin").address, key("tgt token").address
    council = deployer("Council").deploy(admin, key("f").address, key("engine").address, token)
    return council, admin, token


def test_take__records_the_count_and_returns_the_previous_one() -> None:
    council, admin, token = _council()
    leader = key("tgt leader").address
    with boa.env.prank(admin):
        council.nominate(leader, "c", b"\x00" * 32)
    next_block()
    before = council.member_word(leader)
    release = boa.env.evm.patch.block_number
    with boa.env.prank(token):
        assert council.take_genesis_tranches(leader, 2, release) == 0
        assert council.take_genesis_tranches(leader, 5, release) == 2
    word = council.member_word(leader)
    assert (word >> 236) & 15 == 5
    # Every other field of the member word is untouched.
    assert word & ~(15 << 236) == before


def test_take__not_the_token__reverts() -> None:
    council, admin, _ = _council()
    with boa.env.prank(admin), reverts_with("council: only the token records genesis claims"):
        council.take_genesis_tranches(admin, 1, 10**9)


def test_take__not_a_node_or_seated_after_the_release__reverts() -> None:
    council, admin, token = _council()
    leader = key("tgt late").address
    with boa.env.prank(token), reverts_with("genesis: only nodes seated before the month's"):
        council.take_genesis_tranches(leader, 1, 10**9)
    with boa.env.prank(admin):
        council.nominate(leader, "c", b"\x00" * 32)
    seated_in = boa.env.evm.patch.block_number
    with boa.env.prank(token), reverts_with("genesis: only nodes seated before the month's"):
        council.take_genesis_tranches(leader, 1, seated_in)
    with boa.env.prank(token):
        assert council.take_genesis_tranches(leader, 1, seated_in + 1) == 0


def test_take__nothing_new_or_over_ten__reverts() -> None:
    council, admin, token = _council()
    leader = key("tgt full").address
    with boa.env.prank(admin):
        council.nominate(leader, "c", b"\x00" * 32)
    release = boa.env.evm.patch.block_number + 1
    with boa.env.prank(token):
        council.take_genesis_tranches(leader, 3, release)
        with reverts_with("genesis: this leader has already claimed every tranche"):
            council.take_genesis_tranches(leader, 3, release)
        with reverts_with("genesis: a leader receives ten tranches at most"):
            council.take_genesis_tranches(leader, 11, release)
    assert (council.member_word(leader) >> 236) & 15 == 3


def test_deploy__zero_token__reverts() -> None:
    with boa.reverts("council: token is the zero address"):
        deployer("Council").deploy(key("a").address, key("f").address, key("e").address, ZERO)
