"""Extracts the published first roster from the seed document into ``src/kol/data/roster.json``.

    python scripts/extract_roster.py [--seed PATH] [--out PATH] [--check]

The seed (``seed/README.zh.md``, beside the repository in ``../shared/``) lists, in its section
"超级节点", the 21 super nodes, the 8 ranked super-node alternates and the 126 nodes, and in
"参与贡献" the contributing communities (constitution §1). Names are kept exactly as written
(surrounding whitespace trimmed, nothing else).

Two matchings are recorded explicitly, so that anyone can read and correct them:

- ``super_alternates``: a super alternate must be a seated node (§3), so each is matched to its
  entry among the 126 nodes when the same community appears there (``node``), else ``null``
  (then it is seated as an extra node).
- ``contributors`` that are already seated (as a super node, a node or an extra node) are listed
  in ``contributor_seats``; the others form ``candidates``, the candidate pool.

A community matches a seated entry when, after normalisation (case folded, whitespace removed,
full-width and traditional characters of the seed mapped to their usual forms), its name is the
whole entry or begins the entry or a part of it that follows a separator (``+``, ``-``, ``@``,
``_`` …); ``ALIASES`` holds the few spellings that no rule can see (another word for the same
community).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed" / "README.zh.md"
OUT = ROOT / "src" / "kol" / "data" / "roster.json"

#: Headings of the seed's roster sections and, in "超级节点", the lines opening each list.
SUPER_SECTION = "## 超级节点"
CONTRIBUTORS_SECTION = "## 参与贡献"
SUPER_NODES_INTRO = "选举通过如下首批超级节点名单"
SUPER_ALTERNATES_INTRO = "选举候补超级节点名单"
NODES_INTRO = "选举节点名单"

#: The counts the seed publishes (constitution §1).
EXPECTED = {"super_nodes": 21, "super_alternates": 8, "nodes": 126}

#: Same community, another spelling: the seed's name → the words under which it is seated
#: (the distinctive part of the name is the same; checked one by one against the node list).
ALIASES = {
    "集佰客公社": "集佰客社区",  # super alternate 5 ~ node 10 "集佰客社区+石烁佟"
    "GCC 牡丹分社": "GCC社区牡丹分社",
    "GCC 兰花分社": "GCC社群兰花分社",
    "99Home社区": "99Home",
    "起点社区": "起点",
    "奥冠资本": "奥冠",
    "东来资本": "东来社区",
    "领航社区": "领航资本",
    "文艺社区": "文艺",
    "鱼馆社区": "鱼馆",
    "众志联盟社区": "众志社区",
    "自由链盟": "自由联盟",
    "币图社区": "币图圈",
    "啦拉拉社区": "拉拉社区+啦拉拉",
    "AMY区块链": "Amy【区块链】",
    "共享社区": "BTCST共享社区",
    "加密社区": "加密部落",
}

#: Characters written in more than one form in the seed.
_FOLD = str.maketrans({"龍": "龙", "區": "区", "鏈": "链", "＋": "+", "➕": "+", "～": "~"})
_ITEM = re.compile(r"^\s*(\d+)\.\s*(.*?)\s*$")


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    rest = text[start + len(heading) :]
    end = rest.find("\n## ")
    return rest if end < 0 else rest[:end]


def _numbered(lines: list[str]) -> list[str]:
    """The names of a numbered list ``1. name``; checks that it counts 1, 2, 3 …"""
    names: list[str] = []
    for line in lines:
        found = _ITEM.match(line)
        if found is None:
            continue
        number, name = int(found.group(1)), found.group(2)
        if number != len(names) + 1:
            raise ValueError(f"roster: item {number} out of order (expected {len(names) + 1})")
        if not name:
            raise ValueError(f"roster: item {number} has no name")
        names.append(name)
    return names


def _lists(section: str, intros: list[str]) -> list[list[str]]:
    """The numbered list after each intro line, in order."""
    lines = section.splitlines()
    starts = []
    for intro in intros:
        at = next((i for i, line in enumerate(lines) if intro in line), None)
        if at is None:
            raise ValueError(f"roster: the seed has no line {intro!r}")
        starts.append(at)
    bounds = [*starts[1:], len(lines)]
    return [_numbered(lines[s + 1 : e]) for s, e in zip(starts, bounds, strict=True)]


def normalise(name: str) -> str:
    """A name folded for matching: lower case, no whitespace, one form per character."""
    folded = name.translate(_FOLD).casefold()
    return "".join(folded.split())


def matches(community: str, entry: str) -> bool:
    """Whether ``community`` names the seated ``entry`` (see the module's docstring)."""
    wanted = normalise(ALIASES.get(community, community))
    seated = normalise(entry)
    at = seated.find(wanted)
    while at >= 0:
        if at == 0 or not seated[at - 1].isalnum():
            return True
        at = seated.find(wanted, at + 1)
    return False


def _match(community: str, entries: list[str]) -> str | None:
    return next((entry for entry in entries if matches(community, entry)), None)


def extract(text: str) -> dict[str, Any]:
    """The roster of the seed document ``text`` (the JSON written to ``roster.json``)."""
    super_nodes, super_alternates, nodes = _lists(
        _section(text, SUPER_SECTION), [SUPER_NODES_INTRO, SUPER_ALTERNATES_INTRO, NODES_INTRO]
    )
    contributors = _numbered(_section(text, CONTRIBUTORS_SECTION).splitlines())
    found = {"super_nodes": super_nodes, "super_alternates": super_alternates, "nodes": nodes}
    for key, count in EXPECTED.items():
        if len(found[key]) != count:
            raise ValueError(f"roster: {key} has {len(found[key])} names, the seed says {count}")
    every = super_nodes + nodes + contributors + super_alternates
    if len(set(super_nodes + nodes)) != len(super_nodes) + len(nodes):
        raise ValueError("roster: a seated name appears twice")
    if not all(every):
        raise ValueError("roster: an empty name")

    alternates = [{"name": name, "node": _match(name, nodes)} for name in super_alternates]
    extra = [a["name"] for a in alternates if a["node"] is None]
    seated = super_nodes + nodes + [name for name in extra if name is not None]
    contributor_seats = {}
    candidates = []
    for name in contributors:
        entry = _match(name, seated)
        if entry is None:
            candidates.append(name)
        else:
            contributor_seats[name] = entry
    return {
        "source": "seed/README.zh.md",
        "super_nodes": super_nodes,
        "super_alternates": alternates,
        "nodes": nodes,
        "contributors": contributors,
        "contributor_seats": contributor_seats,
        "candidates": candidates,
    }


def render(roster: dict[str, Any]) -> str:
    """The JSON text of ``roster`` as committed (UTF-8, two-space indent, final newline)."""
    return json.dumps(roster, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=Path, default=SEED, help="the seed README.zh.md")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write roster.json")
    parser.add_argument("--check", action="store_true", help="fail if --out is not up to date")
    ns = parser.parse_args(argv)
    text = render(extract(ns.seed.read_text(encoding="utf-8")))
    if ns.check:
        current = ns.out.read_text(encoding="utf-8") if ns.out.exists() else ""
        if current != text:
            print(f"{ns.out} differs from the seed: run scripts/extract_roster.py", file=sys.stderr)
            return 1
        return 0
    ns.out.parent.mkdir(parents=True, exist_ok=True)
    ns.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
