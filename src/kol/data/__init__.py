"""Published data the platform ships: the alliance's first roster (``roster.json``).

``roster.json`` is extracted from the seed document by ``scripts/extract_roster.py``; never edit
it by hand. Its matchings (a super alternate's entry among the nodes, a contributing community's
seat) are explicit in the file so that they can be read and corrected at the source.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True)
class SuperAlternate:
    """A ranked super-node alternate and its entry among the 126 nodes (None: not listed)."""

    name: str
    node: str | None


@dataclass(frozen=True)
class Roster:
    """The published first roster (constitution §1)."""

    super_nodes: tuple[str, ...]
    """The 21 super nodes, in the seed's order."""
    super_alternates: tuple[SuperAlternate, ...]
    """The 8 super-node alternates, in rank order."""
    nodes: tuple[str, ...]
    """The 126 nodes, in the seed's order."""
    contributors: tuple[str, ...]
    """The contributing communities, in the seed's order."""
    contributor_seats: tuple[tuple[str, str], ...]
    """(contributor, the seated entry it is) for contributors that already hold a seat."""
    candidates: tuple[str, ...]
    """Contributors that hold no seat: the candidate pool, in the seed's order."""

    @property
    def extra_nodes(self) -> tuple[str, ...]:
        """Super alternates not listed among the nodes: seated as nodes of their own."""
        return tuple(a.name for a in self.super_alternates if a.node is None)

    @property
    def node_seats(self) -> tuple[str, ...]:
        """Every node seat of the demo, in seating order: super nodes (a super node is also a
        node, §1), the 126 nodes, then the extra nodes."""
        return self.super_nodes + self.nodes + self.extra_nodes

    def alternate_seat(self, alternate: SuperAlternate) -> str:
        """The node seat (a name of :attr:`node_seats`) that holds ``alternate``."""
        return alternate.name if alternate.node is None else alternate.node


def roster_from_json(data: dict[str, object]) -> Roster:
    """A :class:`Roster` from the JSON object of ``roster.json``."""

    def names(key: str) -> tuple[str, ...]:
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise ValueError(f"roster: {key} must be a list of names")
        return tuple(value)

    alternates = data["super_alternates"]
    seats = data["contributor_seats"]
    if not isinstance(alternates, list) or not isinstance(seats, dict):
        raise ValueError("roster: super_alternates is a list, contributor_seats an object")
    return Roster(
        super_nodes=names("super_nodes"),
        super_alternates=tuple(SuperAlternate(str(a["name"]), a["node"]) for a in alternates),
        nodes=names("nodes"),
        contributors=names("contributors"),
        contributor_seats=tuple((str(k), str(v)) for k, v in seats.items()),
        candidates=names("candidates"),
    )


@cache
def load_roster() -> Roster:
    """The committed ``roster.json``."""
    text = files("kol.data").joinpath("roster.json").read_text(encoding="utf-8")
    return roster_from_json(json.loads(text))


DEMO_CLIENTS = (
    "火币生态基金 (exchange listing)",
    "币安智能链项目方 (airdrop)",
    "深圳区块链峰会 (conference)",
    "波场社区项目 (poster campaign)",
    "某DeFi协议 (roadshow)",
    "NFT发行方 (other)",
)
"""The demo's clients (fictitious projects buying community services)."""
