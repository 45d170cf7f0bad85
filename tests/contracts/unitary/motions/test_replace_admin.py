"""REPLACE_ADMIN (§5: a node proposes, nodes 67%): the administrator is replaced."""

from __future__ import annotations

import boa
import pytest

from tests.contracts.helpers import NODE, REPLACE_ADMIN, World, args, key
from tests.contracts.unitary.motions._util import (
    NO_HASH,
    ZERO_ADDRESS,
    MotionArgs,
    events,
    pass_through,
    reverts_unchanged,
    stranger,
)

SHAPE = "motions: REPLACE_ADMIN takes one account: the new admin"
ZERO_ADMIN = "motions: the new administrator is the zero address"
SAME_ADMIN = "motions: that address is already the administrator"
ONLY_ADMIN_NOMINATES = "council: only the genesis administrator nominates"


def _propose(w: World, motion_args: MotionArgs, proposer: int = 27) -> int:
    return w.propose(w.nodes[proposer].address, REPLACE_ADMIN, motion_args)


def _invalid(w: World) -> dict[str, tuple[MotionArgs, str]]:
    new = stranger("new admin")
    return {
        "no account": (args(), SHAPE),
        "two accounts": (args([new, stranger("second admin")]), SHAPE),
        "a number": (args([new], [1]), SHAPE),
        "a hash": (args([new], hashes=[NO_HASH]), SHAPE),
        "a text": (args([new], text="new admin"), SHAPE),
        "zero address": (args([ZERO_ADDRESS]), ZERO_ADMIN),
        "the same admin": (args([w.admin]), SAME_ADMIN),
    }


@pytest.mark.parametrize(
    "case",
    [
        "no account",
        "two accounts",
        "a number",
        "a hash",
        "a text",
        "zero address",
        "the same admin",
    ],
)
def test_replace_admin__invalid_args__reverts_at_proposal(world: World, case: str) -> None:
    w = world
    motion_args, reason = _invalid(w)[case]
    with reverts_unchanged(w, reason):
        _propose(w, motion_args)


@pytest.mark.parametrize("new", ["stranger", "node", "foundation"])
def test_replace_admin__any_other_address__is_accepted(world: World, new: str) -> None:
    w = world
    address = {
        "stranger": stranger("new admin"),
        "node": w.nodes[3].address,
        "foundation": w.foundation,
    }
    motion_id = _propose(w, args([address[new]]))
    s = w.council.stage(w.stage_of(motion_id))
    assert (s.chamber, s.electorate, s.threshold) == (NODE, 30, 21)  # 67% of 30 nodes


def test_replace_admin__same_admin_installed_meanwhile__reverts_at_execution(world: World) -> None:
    w = world
    motion_args = args([stranger("new admin")])
    first = _propose(w, motion_args, proposer=27)
    second = _propose(w, motion_args, proposer=28)
    pass_through(w, first)
    pass_through(w, second)
    w.motions.execute(first, motion_args)

    with reverts_unchanged(w, SAME_ADMIN):
        w.motions.execute(second, motion_args)


def test_replace_admin__executed__admin_changed_and_event(genesis_world: World) -> None:
    w = genesis_world
    old, new = w.admin, key("new admin")
    motion_args = args([new.address])
    motion_id = _propose(w, motion_args)
    pass_through(w, motion_id)

    w.motions.execute(motion_id, motion_args)

    (changed,) = events(w.motions, "AdminChanged")
    assert (changed.previous, changed.admin) == (old, new.address)
    assert w.council.admin() == new.address


def test_replace_admin__executed__only_the_new_admin_nominates(genesis_world: World) -> None:
    w = genesis_world
    new = key("new admin").address
    motion_args = args([new])
    motion_id = _propose(w, motion_args)
    pass_through(w, motion_id)
    w.motions.execute(motion_id, motion_args)
    nominee = key("nominee").address

    with reverts_unchanged(w, ONLY_ADMIN_NOMINATES), boa.env.prank(w.admin):
        w.council.nominate(nominee, "by the old admin", NO_HASH)
    with boa.env.prank(new):
        w.council.nominate(nominee, "by the new admin", NO_HASH)
    assert w.council.member(nominee)[1]
