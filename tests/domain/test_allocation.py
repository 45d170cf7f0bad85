"""The 80/20 split of a batch and its claim list (constitution §7)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from eth_typing import ChecksumAddress
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from hypothesis import given
from hypothesis import strategies as st

from kol.domain.allocation import (
    CSV_HEADER,
    LEAF_TYPES,
    Allocation,
    Leaf,
    Participant,
    matched_total,
    parse_participants_csv,
)
from kol.domain.merkle import verify
from kol.domain.types import ONE_KOL, ONE_USDT, Role, UsdtUnits, Wei


def _address(i: int) -> ChecksumAddress:
    return to_checksum_address(keccak(text=f"allocation test {i}")[:20])


A, B, C, D = (_address(i) for i in range(4))


def _users(*units: int) -> list[tuple[str, Role, int]]:
    return [(_address(100 + i), Role.USER, u) for i, u in enumerate(units)]


def _leaders(*units: int) -> list[tuple[str, Role, int]]:
    return [(_address(200 + i), Role.LEADER, u) for i, u in enumerate(units)]


# THE SPLIT #


@pytest.mark.parametrize(
    ("total", "user_total", "leader_total"),
    [
        (100, 80, 20),
        (1, 0, 1),
        (7, 5, 2),
        (10**21, 8 * 10**20, 2 * 10**20),
        (2**256 - 1, None, None),
    ],
)
def test_of__sub_totals_are_total_4_5_and_the_rest(
    total: int, user_total: int | None, leader_total: int | None
) -> None:
    allocation = Allocation.of(total, _users(1) + _leaders(1))
    assert allocation.total == total
    assert allocation.user_total == total * 4 // 5
    assert allocation.leader_total == total - total * 4 // 5
    if user_total is not None:
        assert (allocation.user_total, allocation.leader_total) == (user_total, leader_total)


def test_of__pro_rata_to_units() -> None:
    allocation = Allocation.of(1_000 * ONE_KOL, _users(1, 3) + _leaders(2, 2))
    assert [leaf.amount for leaf in allocation.leaves] == [
        200 * ONE_KOL,
        600 * ONE_KOL,
        100 * ONE_KOL,
        100 * ONE_KOL,
    ]


def test_of__largest_remainder_goes_to_the_largest_remainders() -> None:
    # 80 among units 1, 2, 4: exact 11.43, 22.86, 45.71; floors 11, 22, 45 leave 2 units,
    # which go to the remainders .86 and .71, not to the first listed.
    allocation = Allocation.of(100, _users(1, 2, 4) + _leaders(1))
    assert [leaf.amount for leaf in allocation.leaves] == [11, 23, 46, 20]


def test_of__remainder_ties__go_to_the_first_listed() -> None:
    allocation = Allocation.of(100, _users(1, 1, 1) + _leaders(1, 1, 1))
    assert [leaf.amount for leaf in allocation.leaves] == [27, 27, 26, 7, 7, 6]


def test_of__zero_amounts__are_dropped_and_indices_stay_contiguous() -> None:
    # user_total 4 among 10 equal users: the first four get 1; leader_total 1: the first leader.
    participants = _users(*[1] * 10) + _leaders(1, 1)
    allocation = Allocation.of(5, participants)
    assert [(leaf.index, leaf.account, leaf.amount) for leaf in allocation.leaves] == [
        (0, _address(100), 1),
        (1, _address(101), 1),
        (2, _address(102), 1),
        (3, _address(103), 1),
        (4, _address(200), 1),
    ]


def test_of__users_first_then_leaders_in_input_order() -> None:
    participants = [(A, Role.LEADER, 1), (B, Role.USER, 1), (C, Role.LEADER, 1), (D, Role.USER, 1)]
    allocation = Allocation.of(1_000, participants)
    assert [(leaf.index, leaf.account, leaf.role) for leaf in allocation.leaves] == [
        (0, B, Role.USER),
        (1, D, Role.USER),
        (2, A, Role.LEADER),
        (3, C, Role.LEADER),
    ]


def test_of__same_address_as_user_and_leader__gets_two_leaves() -> None:
    allocation = Allocation.of(100, [(A, Role.USER, 1), (A, "leader", 1)])
    assert allocation.leaves == (Leaf(0, A, Role.USER, Wei(80)), Leaf(1, A, Role.LEADER, Wei(20)))


def test_of__participant_records_and_tuples_mix() -> None:
    allocation = Allocation.of(100, [Participant(A, Role.USER, 1), (B.lower(), "LEADER", 1)])
    assert [leaf.account for leaf in allocation.leaves] == [A, B]


def test_claimed_by__equals_sub_totals() -> None:
    allocation = Allocation.of(10**18 + 7, _users(3, 5, 7) + _leaders(11, 13))
    assert allocation.claimed_by(Role.USER) == allocation.user_total
    assert allocation.claimed_by(Role.LEADER) == allocation.leader_total


def test_allocation__is_frozen() -> None:
    allocation = Allocation.of(100, _users(1) + _leaders(1))
    with pytest.raises(AttributeError):
        allocation.total = Wei(1)  # type: ignore[misc]


# ERRORS #


def test_of__participant_not_a_triple__raises_naming_the_line() -> None:
    with pytest.raises(
        ValueError, match=r"allocation: line 2: a participant is \(address, role, units\)"
    ):
        Allocation.of(100, [(A, Role.USER, 1), (B, Role.LEADER)])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"user_total": Wei(79), "leader_total": Wei(21)}, "the sub-totals must be total"),
        ({"leaves": (Leaf(1, A, Role.USER, Wei(80)), Leaf(0, B, Role.LEADER, Wei(20)))}, "indices"),
        (
            {"leaves": (Leaf(0, B, Role.LEADER, Wei(20)), Leaf(1, A, Role.USER, Wei(80)))},
            "come before",
        ),
        (
            {
                "leaves": (
                    Leaf(0, A, Role.USER, Wei(80)),
                    Leaf(1, C, Role.USER, Wei(0)),
                    Leaf(2, B, Role.LEADER, Wei(20)),
                )
            },
            "every leaf has a positive amount",
        ),
        (
            {"leaves": (Leaf(0, A, Role.USER, Wei(79)), Leaf(1, B, Role.LEADER, Wei(20)))},
            "user sub-total",
        ),
        (
            {"leaves": (Leaf(0, A, Role.USER, Wei(80)), Leaf(1, B, Role.LEADER, Wei(21)))},
            "leader sub-total",
        ),
    ],
)
def test_allocation__built_directly_with_broken_rules__raises(
    change: dict[str, object], message: str
) -> None:
    fields: dict[str, object] = {
        "total": Wei(100),
        "user_total": Wei(80),
        "leader_total": Wei(20),
        "leaves": (Leaf(0, A, Role.USER, Wei(80)), Leaf(1, B, Role.LEADER, Wei(20))),
    }
    Allocation(**fields)  # type: ignore[arg-type]
    fields.update(change)
    with pytest.raises(ValueError, match=message):
        Allocation(**fields)  # type: ignore[arg-type]


def test_of__same_address_twice_in_one_role__raises_naming_both_lines() -> None:
    with pytest.raises(
        ValueError,
        match=f"allocation: line 3: {A} is already listed as a user on line 1",
    ):
        Allocation.of(100, [(A, Role.USER, 1), (B, Role.LEADER, 1), (A.lower(), Role.USER, 2)])


def test_of__no_user__raises() -> None:
    with pytest.raises(ValueError, match="allocation: the 80% user share needs at least one user"):
        Allocation.of(100, _leaders(1))


def test_of__no_leader__raises() -> None:
    with pytest.raises(
        ValueError, match="allocation: the 20% leader share needs at least one leader"
    ):
        Allocation.of(100, _users(1))


@pytest.mark.parametrize("total", [0, -1, 2**256])
def test_of__total_not_positive_uint256__raises(total: int) -> None:
    with pytest.raises(ValueError, match="allocation: the batch total must be positive"):
        Allocation.of(total, _users(1) + _leaders(1))


@pytest.mark.parametrize("total", [True, 1.5, "100"])
def test_of__total_not_an_int__raises(total: object) -> None:
    with pytest.raises(ValueError, match="allocation: the batch total is a whole number"):
        Allocation.of(total, _users(1) + _leaders(1))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("participant", "message"),
    [
        (("0x1234", Role.USER, 1), "allocation: line 1: '0x1234' is not an address"),
        ((A.swapcase().replace("0X", "0x"), Role.USER, 1), "bad hex or checksum"),
        (("0x" + "00" * 20, Role.USER, 1), "allocation: line 1: the zero address cannot claim"),
        ((A, "admin", 1), "allocation: line 1: role must be 'user' or 'leader', not 'admin'"),
        ((A, 2, 1), "allocation: line 1: role must be a Role, not 2"),
        ((A, Role.USER, 0), "allocation: line 1: units must be a positive whole number"),
        ((A, Role.USER, -5), "units must be a positive whole number"),
        ((A, Role.USER, True), "units must be a positive whole number"),
        ((A, Role.USER, 1.0), "units must be a positive whole number"),
    ],
)
def test_of__bad_participant__raises_naming_the_line(
    participant: tuple[str, Role, int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Allocation.of(100, [participant, *_leaders(1)])


def test_participant__not_checksummed__raises() -> None:
    with pytest.raises(ValueError, match="is not a checksummed address"):
        Participant(A.lower(), Role.USER, 1)  # type: ignore[arg-type]
    assert Participant.of(A.lower(), "user", 1) == Participant(A, Role.USER, 1)


# THE LIST'S TREE #


def test_tree__leaves_are_index_account_role_amount() -> None:
    allocation = Allocation.of(1_000 * ONE_KOL, _users(1, 2, 3) + _leaders(5, 5))
    tree = allocation.tree()
    assert LEAF_TYPES == ("uint256", "address", "uint8", "uint256")
    assert tree.leaf_types == LEAF_TYPES
    assert tree.values == tuple(
        (leaf.index, leaf.account, int(leaf.role), leaf.amount) for leaf in allocation.leaves
    )
    for i, leaf in enumerate(allocation.leaves):
        assert verify(tree.root, LEAF_TYPES, leaf.value(), tree.get_proof(i))
    # A claim for more than the leaf's amount does not verify.
    first = allocation.leaves[0]
    inflated = (first.index, first.account, int(first.role), first.amount + 1)
    assert not verify(tree.root, LEAF_TYPES, inflated, tree.get_proof(0))


# MATCHED TOTAL #


def test_matched_total__one_kol_per_usdt_by_default() -> None:
    fees = [UsdtUnits(1_000 * ONE_USDT), UsdtUnits(2_500_000)]  # 1,000 and 2.5 USDT
    assert matched_total(fees) == 1_002_500_000_000_000_000_000
    assert matched_total([UsdtUnits(1)]) == 10**12


def test_matched_total__custom_rate() -> None:
    assert matched_total([UsdtUnits(3)], kol_per_usdt=2 * 10**12) == 6 * 10**12


def test_matched_total__bad_input__raises() -> None:
    with pytest.raises(ValueError, match="allocation: a fee cannot be negative"):
        matched_total([UsdtUnits(-1)])
    with pytest.raises(ValueError, match="allocation: kol_per_usdt must be positive"):
        matched_total([UsdtUnits(1)], kol_per_usdt=0)


# CSV #


def test_parse_participants_csv__reads_the_list() -> None:
    text = (
        f'\ufeffaddress,role,units\n{A},user,3\n\n {B.lower()} , Leader , 2 \n"{C}","user","10"\r\n'
    )
    assert parse_participants_csv(text) == (
        Participant(A, Role.USER, 3),
        Participant(B, Role.LEADER, 2),
        Participant(C, Role.USER, 10),
    )
    assert [p.line for p in parse_participants_csv(text)] == [2, 4, 5]
    assert CSV_HEADER == ("address", "role", "units")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the CSV needs the header address,role,units"),
        ("address,role,units\n", "the CSV lists no participants"),
        ("account,role,units\n", "line 1: the header must be address,role,units"),
        (f"address,role,units\n{A},user\n", "line 2: expected 3 fields"),
        (f"address,role,units\n{A},user,1,x\n", "line 2: expected 3 fields"),
        (f"address,role,units\n{A},user,1\n{B},user,1.5\n", "line 3: units must be a positive"),
        (f"address,role,units\n{A},user,-3\n", "line 2: units must be a positive"),
        (f"address,role,units\n{A},user,0\n", "line 2: units must be a positive"),
        (f"address,role,units\n{A},user,١\n", "line 2: units must be a positive"),
        ("address,role,units\n\n0x12,user,1\n", "line 3: '0x12' is not an address"),
        (f"address,role,units\n{A},member,1\n", "line 2: role must be 'user' or 'leader'"),
    ],
)
def test_parse_participants_csv__bad_text__raises_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"allocation: {message}"):
        parse_participants_csv(text)


def test_parse_participants_csv__duplicate__allocation_names_the_csv_lines() -> None:
    text = f"address,role,units\n{A},user,1\n{B},leader,1\n\n{A.lower()},user,4\n"
    participants = parse_participants_csv(text)
    with pytest.raises(ValueError, match="line 5: .* already listed as a user on line 2"):
        Allocation.of(100, participants)


# PROPERTIES #

units = st.integers(1, 10**24)
addresses = st.binary(min_size=20, max_size=20).filter(any).map(to_checksum_address)
accounts = st.lists(addresses, min_size=1, max_size=25, unique=True)


def _parts(allocation: Allocation) -> tuple[tuple[Role, int], ...]:
    return ((Role.USER, allocation.user_total), (Role.LEADER, allocation.leader_total))


@st.composite
def batches(draw: st.DrawFn) -> tuple[int, list[tuple[str, Role, int]]]:
    total = draw(st.one_of(st.integers(1, 10_000), st.integers(1, 16_000_000 * 10**18)))
    users = [(a, Role.USER, draw(units)) for a in draw(accounts)]
    leaders = [(a, Role.LEADER, draw(units)) for a in draw(accounts)]
    return total, draw(st.permutations(users + leaders))


@given(batches())
def test_of__parts_sum_exactly_and_each_leaf_is_within_one_unit_of_its_share(
    batch: tuple[int, list[tuple[str, Role, int]]],
) -> None:
    total, participants = batch
    allocation = Allocation.of(total, participants)
    assert allocation.user_total + allocation.leader_total == total
    assert allocation.user_total == total * 4 // 5
    assert allocation.claimed_by(Role.USER) == allocation.user_total
    assert allocation.claimed_by(Role.LEADER) == allocation.leader_total
    assert [leaf.index for leaf in allocation.leaves] == list(range(len(allocation.leaves)))
    assert all(leaf.amount > 0 for leaf in allocation.leaves)
    amounts: dict[tuple[str, Role], int] = {
        (leaf.account, leaf.role): leaf.amount for leaf in allocation.leaves
    }
    for role, part_total in _parts(allocation):
        part = [(a, u) for a, r, u in participants if r == role]
        whole = sum(u for _, u in part)
        for account, u in part:
            exact = Fraction(part_total * u, whole)
            amount = amounts.get((account, role), 0)
            assert abs(amount - exact) < 1
            # Largest remainder: only the floor or the floor + 1.
            floor = part_total * u // whole
            assert amount in (floor, floor + 1)
    # Order: users first, then leaders, each in input order.
    expected = [(a, r) for r in (Role.USER, Role.LEADER) for a, rr, _ in participants if rr == r]
    listed = [(leaf.account, leaf.role) for leaf in allocation.leaves]
    assert listed == [key for key in expected if key in amounts]


@given(batches())
def test_of__rounding_up_never_skips_a_larger_remainder(
    batch: tuple[int, list[tuple[str, Role, int]]],
) -> None:
    total, participants = batch
    allocation = Allocation.of(total, participants)
    amounts: dict[tuple[str, Role], int] = {
        (leaf.account, leaf.role): leaf.amount for leaf in allocation.leaves
    }
    for role, part_total in _parts(allocation):
        part = [(a, u) for a, r, u in participants if r == role]
        whole = sum(u for _, u in part)
        ranked = []
        for position, (account, u) in enumerate(part):
            rounded_up = amounts.get((account, role), 0) > part_total * u // whole
            ranked.append((-(part_total * u % whole), position, rounded_up))
        ranked.sort()
        flags = [up for _, _, up in ranked]
        # Those rounded up are exactly the first ones by (largest remainder, list order).
        assert flags == sorted(flags, reverse=True)
