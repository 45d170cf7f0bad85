"""The files the member commands read and write: published lists (a batch's 80/20 list, a
genesis month's cumulative list), decision and participant CSVs, and signed ballots.

A published list is the OpenZeppelin ``standard-v1`` dump of its Merkle tree, written as its
canonical JSON (:meth:`StandardMerkleTree.dump_json`), so that the file's own keccak-256 is the
content hash a batch or a genesis month states on-chain, and ``@openzeppelin/merkle-tree``
loads it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import click
from eth_utils.crypto import keccak

from kol.alliance import SignedBallot
from kol.cli.connect import read_bytes, read_json, refused_input
from kol.domain import allocation as batch_list
from kol.domain import genesis as month_list
from kol.domain.allocation import Allocation, Leaf, parse_participants_csv
from kol.domain.genesis import GenesisSchedule, parse_decisions_csv
from kol.domain.merkle import StandardMerkleTree
from kol.domain.types import Choice, Role, Wei, as_checksum_address

BALLOT_FORMAT: Final = "kol-alliance/ballot@1"
CHOICES: Final = {"for": Choice.FOR, "against": Choice.AGAINST, "abstain": Choice.ABSTAIN}


@dataclass(frozen=True)
class Published:
    """A published list as read from its file."""

    path: Path
    tree: StandardMerkleTree
    file_hash: bytes
    """keccak-256 of the file's bytes (equal to the content hash when the file is canonical)."""

    @property
    def canonical(self) -> bool:
        return self.file_hash == self.tree.content_hash()


def _tree(path: Path, leaf_types: tuple[str, ...], what: str, option: str) -> Published:
    raw = read_bytes(path, what=option)
    data = read_json(path, what=option)
    if not isinstance(data, dict):
        raise click.ClickException(f"{path}: a {what} is a JSON object (standard-v1 dump)")
    with refused_input(str(path)):
        tree = StandardMerkleTree.load(data)
    if tree.leaf_types != leaf_types:
        raise click.ClickException(
            f"{path}: the leaves are ({', '.join(tree.leaf_types)}); a {what} has "
            f"({', '.join(leaf_types)})"
        )
    return Published(path, tree, keccak(raw))


def load_batch_list(path: Path, option: str = "--list") -> tuple[Published, Allocation]:
    """A batch's published 80/20 list and the allocation it states (checked: 80/20 parts,
    indices 0…n−1, users before leaders)."""
    published = _tree(path, batch_list.LEAF_TYPES, "batch list", option)
    with refused_input(str(path)):
        if any(int(value[2]) not in (0, 1) for value in published.tree.values):
            raise ValueError("allocation: a leaf's role is 0 (user) or 1 (leader)")
        leaves = sorted(
            (
                Leaf(int(index), account, Role(int(role)), Wei(int(amount)))
                for index, account, role, amount in published.tree.values
            ),
            key=lambda leaf: leaf.index,
        )
        total = sum(leaf.amount for leaf in leaves)
        allocation = Allocation(
            Wei(total), Wei(total * 4 // 5), Wei(total - total * 4 // 5), tuple(leaves)
        )
    return published, allocation


def load_month_list(path: Path, option: str = "--month-list") -> Published:
    """A genesis month's published cumulative list."""
    return _tree(path, month_list.LEAF_TYPES, "genesis month list", option)


def load_participants(path: Path) -> tuple[batch_list.Participant, ...]:
    text = read_bytes(path, what="PARTICIPANTS").decode("utf-8", errors="replace")
    with refused_input(str(path)):
        return parse_participants_csv(text)


def load_schedule(path: Path, option: str) -> GenesisSchedule:
    text = read_bytes(path, what=option).decode("utf-8", errors="replace")
    with refused_input(str(path)):
        return GenesisSchedule.of(parse_decisions_csv(text))


# SIGNED BALLOTS #


def ballot_json(
    ballot: SignedBallot, *, chain_id: int, council: str, motion_id: int, stage: int
) -> dict[str, Any]:
    return {
        "format": BALLOT_FORMAT,
        "chain_id": chain_id,
        "council": council,
        "motion_id": motion_id,
        "stage": stage,
        "stage_id": ballot.stage_id,
        "voter": ballot.voter,
        "choice": ballot.choice.name.lower(),
        "expiry": ballot.expiry,
        "v": ballot.v,
        "r": "0x" + ballot.r.hex(),
        "s": "0x" + ballot.s.hex(),
    }


@dataclass(frozen=True)
class BallotFile:
    """A signed ballot as read from a file, with where it came from."""

    source: str
    chain_id: int
    council: str
    motion_id: int
    ballot: SignedBallot


def _word(value: object, where: str) -> bytes:
    if not isinstance(value, str) or not value.startswith("0x") or len(value) != 66:
        raise click.ClickException(f"{where}: a 32-byte 0x-hex word")
    try:
        return bytes.fromhex(value[2:])
    except ValueError:
        raise click.ClickException(f"{where}: not hex") from None


def _natural(entry: dict[str, Any], key: str, where: str) -> int:
    value = entry.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise click.ClickException(f'{where}: "{key}" must be a whole number, not {value!r}')
    return value


def load_ballots(path: Path) -> list[BallotFile]:
    """The signed ballots of a file: one ballot object, or a list of them."""
    data = read_json(path, what="FILES")
    entries = data if isinstance(data, list) else [data]
    ballots: list[BallotFile] = []
    for i, entry in enumerate(entries):
        where = f"{path}" if not isinstance(data, list) else f"{path}[{i}]"
        if not isinstance(entry, dict) or entry.get("format") != BALLOT_FORMAT:
            raise click.ClickException(
                f'{where}: not a signed ballot (expected "format": "{BALLOT_FORMAT}", as '
                "`kol motion vote --sign` writes)"
            )
        voter = as_checksum_address(entry.get("voter"))
        council = as_checksum_address(entry.get("council"))
        if voter is None or council is None:
            raise click.ClickException(f'{where}: "voter" and "council" must be addresses')
        choice = CHOICES.get(str(entry.get("choice")))
        if choice is None:
            raise click.ClickException(f'{where}: "choice" is for, against or abstain')
        ballot = SignedBallot(
            voter=str(voter),
            stage_id=_natural(entry, "stage_id", where),
            choice=choice,
            expiry=_natural(entry, "expiry", where),
            v=_natural(entry, "v", where),
            r=_word(entry.get("r"), f'{where}: "r"'),
            s=_word(entry.get("s"), f'{where}: "s"'),
        )
        ballots.append(
            BallotFile(
                where,
                _natural(entry, "chain_id", where),
                str(council),
                _natural(entry, "motion_id", where),
                ballot,
            )
        )
    return ballots
