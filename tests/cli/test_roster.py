"""The published roster (constitution §1) as ``src/kol/data/roster.json`` holds it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from kol.data import load_roster

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seed" / "README.zh.md"
ROSTER_JSON = ROOT / "src" / "kol" / "data" / "roster.json"


def _extractor() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "extract_roster", ROOT / "scripts" / "extract_roster.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_roster__has_the_published_counts() -> None:
    roster = load_roster()
    assert len(roster.super_nodes) == 21
    assert len(roster.super_alternates) == 8
    assert len(roster.nodes) == 126
    assert len(roster.contributors) == 145
    assert roster.super_nodes[0] == "GCC共识社区" and roster.super_nodes[-1] == "英姐社区"
    assert roster.nodes[0] == "阳明社区+阳明" and roster.nodes[-1] == "精灵社♍上海♍无忧"


def test_roster__names_are_kept_as_written() -> None:
    roster = load_roster()
    assert "韩盾社区   大白" in roster.nodes  # inner whitespace kept
    assert "百家币社区长+ A 股男神" in roster.nodes
    every = roster.super_nodes + roster.nodes + roster.contributors
    assert all(name == name.strip() and name for name in every)
    # the council stores names as String[64] (bytes)
    assert max(len(name.encode()) for name in every) <= 64


def test_roster__super_alternates_are_matched_to_their_node_seats() -> None:
    roster = load_roster()
    matched = {a.name: a.node for a in roster.super_alternates}
    assert [a.name for a in roster.super_alternates] == [
        "寻龙社区",
        "藤蔓社区",
        "赢在币圈",
        "一点半社区",
        "集佰客公社",
        "币火社区",
        "百家币社区",
        "聚鑫社区",
    ]
    assert matched == {
        "寻龙社区": "區块鏈@寻龍社区",
        "藤蔓社区": None,
        "赢在币圈": "赢在币圈+初阳",
        "一点半社区": "一点半社区+赵亚萍",
        "集佰客公社": "集佰客社区+石烁佟",
        "币火社区": None,
        "百家币社区": "百家币社区长+ A 股男神",
        "聚鑫社区": "微笑_聚鑫社区",
    }
    assert roster.extra_nodes == ("藤蔓社区", "币火社区")
    # 21 super nodes and 126 nodes are node seats (a super node is also a node), plus 2 extras
    assert len(roster.node_seats) == 149 == len(set(roster.node_seats))
    assert all(roster.alternate_seat(a) in roster.node_seats for a in roster.super_alternates)


def test_roster__contributors_are_either_seated_or_candidates() -> None:
    roster = load_roster()
    seated = dict(roster.contributor_seats)
    assert set(seated) | set(roster.candidates) == set(roster.contributors)
    assert not set(seated) & set(roster.candidates)
    assert set(seated.values()) <= set(roster.node_seats)
    assert len(set(seated.values())) == len(seated)  # one community, one seat
    assert list(roster.candidates) == [c for c in roster.contributors if c not in seated]
    assert seated["弼马温"] == "弼马温" and seated["正邦社区"] == "正邦社区-嘹亮哥"
    assert "怪兽社区" in roster.candidates  # not 小怪兽社区, which is listed on its own


def test_roster__committed_json_equals_a_fresh_extraction() -> None:
    if not SEED.is_file():
        pytest.skip(f"the seed document is not beside the repository ({SEED})")
    extractor = _extractor()
    fresh = extractor.extract(SEED.read_text(encoding="utf-8"))
    assert ROSTER_JSON.read_text(encoding="utf-8") == extractor.render(fresh)
    assert json.loads(ROSTER_JSON.read_text(encoding="utf-8")) == fresh
