"""The Council's MOTION EFFECTS are reached only through the motions engine
(§4: motions carry typed arguments, never calldata): nobody else — not the
administrator, not the foundation, not a super node — can call them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boa
import pytest

from tests.contracts.helpers import NODE, SUPER, World
from tests.contracts.unitary.motions._util import ONLY_MOTIONS, reverts_unchanged, stranger

_EFFECTS: dict[str, Callable[[World], Any]] = {
    "open_stage": lambda w: w.council.open_stage(99, SUPER, 51),
    "open_sponsorship": lambda w: w.council.open_sponsorship(99, NODE, 10),
    "ratify_super_slate": lambda w: w.council.ratify_super_slate([w.nodes[25].address], 1),
    "replace": lambda w: w.council.replace(NODE, w.nodes[25].address, stranger("intruder")),
    "enqueue": lambda w: w.council.enqueue(SUPER, [w.nodes[25].address]),
    "set_admin": lambda w: w.council.set_admin(stranger("intruder")),
    "set_parameter": lambda w: w.council.set_parameter(1, 3_600),
}


@pytest.mark.parametrize("effect", list(_EFFECTS))
@pytest.mark.parametrize("caller", ["stranger", "admin", "foundation", "super node"])
def test_motion_effects__called_directly__reverts(world: World, effect: str, caller: str) -> None:
    w = world
    who = {
        "stranger": stranger(),
        "admin": w.admin,
        "foundation": w.foundation,
        "super node": w.nodes[0].address,
    }[caller]
    with reverts_unchanged(w, ONLY_MOTIONS), boa.env.prank(who):
        _EFFECTS[effect](w)


def test_motion_effects__engine_and_council__name_each_other(world: World) -> None:
    w = world
    assert w.council.motions() == w.motions.address
    assert w.motions.council_contract() == w.council.address
