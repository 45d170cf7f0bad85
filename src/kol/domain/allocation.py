"""The 80/20 split of a batch and its claim list (constitution §7).

A batch of KOL (minted by ``ISSUE_MATCHED_BATCH``, or escrowed KOL in circulation mode) goes
80% to the users who did the work, pro rata to their work units, and 20% to the KOL leaders
who did it, pro rata to their contribution value. Both sub-totals are stated in the batch:
``user_total = total * 4 // 5`` and ``leader_total = total - user_total``, exactly as the
contracts compute them. Each part is divided by largest-remainder rounding, so each part sums
exactly to its sub-total and every amount is within one base unit of its exact share.

The list (名单) is committed on-chain as the root of an OpenZeppelin standard Merkle tree of
leaves ``(uint256 index, address account, uint8 role, uint256 amount)``; ``index`` is the
claim bit of the leaf.

Decisions this module takes where §7 is silent:

- participants whose share rounds to 0 are **dropped** from the list (a leaf of 0 could only
  waste a claim); the indices are assigned after dropping, so they stay 0..n−1;
- leaves are ordered users first, then leaders, each in the order given;
- the same address may be both a user and a leader (two leaves), never twice in one role;
- a batch needs at least one user and at least one leader, and a positive total;
- remainder ties go to the participant listed first.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from eth_typing import ChecksumAddress
from eth_utils.address import is_checksum_address

from kol.domain.merkle import StandardMerkleTree
from kol.domain.thresholds import DEFAULT_PARAMETERS
from kol.domain.types import Role, UsdtUnits, Wei, as_checksum_address

LEAF_TYPES: Final = ("uint256", "address", "uint8", "uint256")
"""The ABI types of a matched-batch leaf: (index, account, role, amount)."""

CSV_HEADER: Final = ("address", "role", "units")
"""The header of a participants CSV."""

_ROLE_NAMES: Final = {"user": Role.USER, "leader": Role.LEADER}
_MAX_UINT256: Final = 2**256 - 1
_ZERO_ADDRESS: Final = "0x" + "00" * 20


def matched_total(fees: Iterable[UsdtUnits], kol_per_usdt: int | None = None) -> Wei:
    """The KOL of a matched batch (§7): Σ fees × ``kol_per_usdt``, in KOL base units.

    ``kol_per_usdt`` is KOL base units per USDT base unit (default 10**12, 1 KOL per USDT),
    so the 6-to-18-decimal conversion is exact. The contracts further cap the total by the
    unmatched fees of the named tasks and by the matched bucket's remaining capacity.

    :raises ValueError: when a fee is negative or the rate is not positive.
    """
    rate = DEFAULT_PARAMETERS.kol_per_usdt if kol_per_usdt is None else kol_per_usdt
    if rate <= 0:
        raise ValueError(f"allocation: kol_per_usdt must be positive (got {rate})")
    total = 0
    for fee in fees:
        if fee < 0:
            raise ValueError(f"allocation: a fee cannot be negative (got {fee})")
        total += fee
    return Wei(total * rate)


@dataclass(frozen=True)
class Participant:
    """One line of the list: who did the work, in which role, for how many units."""

    account: ChecksumAddress
    """The address that will claim."""
    role: Role
    """``USER`` (80% part, units = work units) or ``LEADER`` (20% part, units = contribution)."""
    units: int
    """Work units or contribution value, a positive whole number."""
    line: int | None = field(default=None, compare=False)
    """Where the participant came from (CSV line), for error messages."""

    def __post_init__(self) -> None:
        where = f"line {self.line}: " if self.line is not None else ""
        if not isinstance(self.account, str) or not is_checksum_address(self.account):
            raise ValueError(f"allocation: {where}{self.account!r} is not a checksummed address")
        if self.account == _ZERO_ADDRESS:
            raise ValueError(f"allocation: {where}the zero address cannot claim")
        if not isinstance(self.role, Role):
            raise ValueError(f"allocation: {where}role must be a Role, not {self.role!r}")
        if isinstance(self.units, bool) or not isinstance(self.units, int) or self.units <= 0:
            raise ValueError(
                f"allocation: {where}units must be a positive whole number, not {self.units!r}"
            )

    @classmethod
    def of(cls, account: str, role: Role | str, units: int, line: int | None = None) -> Participant:
        """A participant from loose input: an address in any case (a mixed-case one must carry
        a valid checksum), a role name (``user`` / ``leader``) or a ``Role``.

        :raises ValueError: naming the line when the address, role or units are invalid.
        """
        where = f"line {line}: " if line is not None else ""
        checksummed = as_checksum_address(account)
        if checksummed is None:
            raise ValueError(
                f"allocation: {where}{account!r} is not an address (bad hex or checksum)"
            )
        if isinstance(role, str):
            named = _ROLE_NAMES.get(role.strip().lower())
            if named is None:
                raise ValueError(
                    f"allocation: {where}role must be 'user' or 'leader', not {role!r}"
                )
            role = named
        return cls(checksummed, role, units, line)


@dataclass(frozen=True)
class Leaf:
    """One claim of the list (§7): the Merkle leaf (index, account, role, amount)."""

    index: int
    """The leaf's claim bit, 0..n−1 in list order."""
    account: ChecksumAddress
    """Who claims."""
    role: Role
    """Which sub-total the claim is paid from."""
    amount: Wei
    """KOL base units."""

    def value(self) -> tuple[int, ChecksumAddress, int, int]:
        """The leaf's value for :data:`LEAF_TYPES`."""
        return (self.index, self.account, int(self.role), int(self.amount))


def _largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split pro rata to ``weights``: floors, then one more unit to the largest
    remainders (ties to the earlier weight), so the parts sum to ``total`` exactly."""
    whole = sum(weights)
    shares = [total * w // whole for w in weights]
    left = total - sum(shares)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in by_remainder[:left]:
        shares[i] += 1
    return shares


@dataclass(frozen=True)
class Allocation:
    """A batch split 80/20 and its claim list (§7). Build it with :meth:`of`."""

    total: Wei
    """The batch's KOL."""
    user_total: Wei
    """``total * 4 // 5``: the most the users' claims can ever take."""
    leader_total: Wei
    """``total - user_total``: the most the leaders' claims can ever take."""
    leaves: tuple[Leaf, ...]
    """The claims: users first, then leaders, each in input order; zero amounts dropped."""

    def __post_init__(self) -> None:
        if (
            self.user_total != self.total * 4 // 5
            or self.leader_total != self.total - self.user_total
        ):
            raise ValueError("allocation: the sub-totals must be total * 4 // 5 and the rest")
        if [leaf.index for leaf in self.leaves] != list(range(len(self.leaves))):
            raise ValueError("allocation: leaf indices must be 0, 1, … in list order")
        roles = [leaf.role for leaf in self.leaves]
        if roles != sorted(roles):
            raise ValueError("allocation: the users' leaves come before the leaders'")
        if any(leaf.amount <= 0 for leaf in self.leaves):
            raise ValueError("allocation: every leaf has a positive amount")
        if self.claimed_by(Role.USER) != self.user_total:
            raise ValueError("allocation: the users' leaves must sum to the user sub-total")
        if self.claimed_by(Role.LEADER) != self.leader_total:
            raise ValueError("allocation: the leaders' leaves must sum to the leader sub-total")

    @classmethod
    def of(
        cls,
        total: int,
        participants: Iterable[Participant | tuple[str, Role | str, int]],
    ) -> Allocation:
        """Splits ``total`` KOL base units among ``participants`` by the rule of §7.

        :param participants: ``Participant`` records or ``(address, role, units)`` tuples.
        :raises ValueError: naming the rule (and the line) that the input breaks.
        """
        if isinstance(total, bool) or not isinstance(total, int):
            raise ValueError("allocation: the batch total is a whole number of KOL base units")
        if not 0 < total <= _MAX_UINT256:
            raise ValueError(f"allocation: the batch total must be positive (got {total})")
        listed: list[Participant] = []
        for position, item in enumerate(participants, start=1):
            if isinstance(item, Participant):
                listed.append(item)
            elif isinstance(item, tuple) and len(item) == 3:
                account, role, units = item
                listed.append(Participant.of(account, role, units, line=position))
            else:
                raise ValueError(
                    f"allocation: line {position}: a participant is (address, role, units), "
                    f"not {item!r}"
                )
        seen: dict[tuple[ChecksumAddress, Role], int] = {}
        for position, p in enumerate(listed, start=1):
            line = p.line if p.line is not None else position
            if (p.account, p.role) in seen:
                raise ValueError(
                    f"allocation: line {line}: {p.account} is already listed as a "
                    f"{p.role.name.lower()} on line {seen[(p.account, p.role)]} "
                    "(one line per address and role)"
                )
            seen[(p.account, p.role)] = line
        users = [p for p in listed if p.role == Role.USER]
        leaders = [p for p in listed if p.role == Role.LEADER]
        if not users:
            raise ValueError("allocation: the 80% user share needs at least one user")
        if not leaders:
            raise ValueError("allocation: the 20% leader share needs at least one leader")
        user_total = total * 4 // 5
        leader_total = total - user_total
        leaves: list[Leaf] = []
        for part_total, part in ((user_total, users), (leader_total, leaders)):
            amounts = _largest_remainder(part_total, [p.units for p in part])
            for p, amount in zip(part, amounts, strict=True):
                if amount > 0:
                    leaves.append(Leaf(len(leaves), p.account, p.role, Wei(amount)))
        return cls(Wei(total), Wei(user_total), Wei(leader_total), tuple(leaves))

    def claimed_by(self, role: Role) -> Wei:
        """The sum of the leaves of ``role`` (equal to that role's sub-total)."""
        return Wei(sum(leaf.amount for leaf in self.leaves if leaf.role == role))

    def tree(self) -> StandardMerkleTree:
        """The list's OpenZeppelin standard Merkle tree (leaf types :data:`LEAF_TYPES`)."""
        return StandardMerkleTree.of([leaf.value() for leaf in self.leaves], LEAF_TYPES)


def parse_participants_csv(text: str) -> tuple[Participant, ...]:
    """The participants of a CSV text with the header ``address,role,units``.

    Roles are ``user`` or ``leader``; units are positive whole numbers (digits only). Blank
    lines are skipped; a leading byte-order mark is ignored. Errors name the line (the header
    is line 1).

    :raises ValueError: when the header, a field or the number of fields is wrong, or the list
        is empty.
    """
    reader = csv.reader(text.removeprefix("\ufeff").splitlines())
    header: list[str] | None = None
    participants: list[Participant] = []
    for row in reader:
        line = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in row]
            if tuple(header) != CSV_HEADER:
                raise ValueError(
                    f"allocation: line {line}: the header must be {','.join(CSV_HEADER)}, "
                    f"not {','.join(row)}"
                )
            continue
        if len(row) != len(CSV_HEADER):
            raise ValueError(
                f"allocation: line {line}: expected 3 fields (address,role,units), got {len(row)}"
            )
        account, role, units = (cell.strip() for cell in row)
        if not units.isascii() or not units.isdigit():
            raise ValueError(
                f"allocation: line {line}: units must be a positive whole number, not {units!r}"
            )
        participants.append(Participant.of(account, role, int(units), line=line))
    if header is None:
        raise ValueError(f"allocation: the CSV needs the header {','.join(CSV_HEADER)}")
    if not participants:
        raise ValueError("allocation: the CSV lists no participants")
    return tuple(participants)
