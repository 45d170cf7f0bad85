"""Helpers for contract tests: keys, seating, voting, the clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boa
from boa.contracts.base_evm_contract import BoaError
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from kol.chain.inprocess import InProcessAlliance, deploy_alliance

DAY = 86_400
NODE, SUPER, POOL = 0, 1, 2
FOR, AGAINST, ABSTAIN = 1, 2, 3

# Motion kinds (§5)
RATIFY_GENESIS_SUPER_NODES = 1
APPROVE_TASK = 2
REPLACE_NODE = 3
REPLACE_SUPER_NODE = 4
REPLACE_ADMIN = 5
ISSUE_MATCHED_BATCH = 6
GENESIS_RELEASE = 7
PUBLISH_STATEMENT = 8
DEMAND_AUDIT = 9
REPLENISH_SUPER_ALTERNATES = 10
REPLENISH_NODE_ALTERNATES = 11
SET_PARAMETERS = 12

# Motion statuses
SPONSORING, VOTING, PASSED, EXECUTED, FAILED, LAPSED, AWAITING_STAGE = 1, 2, 3, 4, 5, 6, 7


@contextmanager
def reverts_with(fragment: str) -> Iterator[None]:
    """Expects a revert whose reason contains ``fragment`` (``boa.reverts``
    wants the whole reason; long reasons are matched by their telling part)."""
    try:
        yield
    except BoaError as error:
        reason = str(error.stack_trace.last_frame.pretty_vm_reason) if error.stack_trace else ""
        if fragment not in reason and fragment not in str(error):
            raise AssertionError(f"reverted, but not with {fragment!r}: {reason}") from error
    else:
        raise AssertionError(f"did not revert (expected {fragment!r})")


def key(label: str) -> LocalAccount:
    """A deterministic dev key for ``label``."""
    account: LocalAccount = Account.from_key(keccak(text=f"kol-test:{label}"))
    return account


def keys(prefix: str, n: int) -> list[LocalAccount]:
    return [key(f"{prefix}{i}") for i in range(n)]


def next_block() -> None:
    """Mine a block (12 s): members seated in this block can vote from the next."""
    boa.env.time_travel(blocks=1)


def warp(seconds: int) -> None:
    """Let ``seconds`` pass (and one block per 12 s, at least one)."""
    boa.env.time_travel(seconds=max(seconds, 12))


def args(
    accounts: list[str] | None = None,
    numbers: list[int] | None = None,
    hashes: list[bytes] | None = None,
    text: str = "",
) -> tuple[list[str], list[int], list[bytes], str]:
    """A ``MotionArgs`` tuple."""
    return (accounts or [], numbers or [], hashes or [], text)


@dataclass
class World:
    """One deployed alliance with its people."""

    a: InProcessAlliance
    admin: str
    foundation: str
    nodes: list[LocalAccount]
    supers: list[LocalAccount]

    @property
    def council(self) -> Any:
        return self.a.council

    @property
    def motions(self) -> Any:
        return self.a.motions

    def propose(self, proposer: str, kind: int, motion_args: tuple[Any, ...]) -> int:
        with boa.env.prank(proposer):
            motion_id: int = self.motions.propose(kind, motion_args)
        return motion_id

    def stage_of(self, motion_id: int, which: int = 1) -> int:
        m = self.motions.motion(motion_id)
        stage_id: int = m.stage1 if which == 1 else m.stage2
        return stage_id

    def vote(
        self, voters: list[LocalAccount] | list[str], stage_id: int, choice: int = FOR
    ) -> None:
        for v in voters:
            address = v if isinstance(v, str) else v.address
            with boa.env.prank(address):
                self.council.vote(stage_id, choice)

    def pass_motion(self, proposer: str, kind: int, motion_args: tuple[Any, ...]) -> int:
        """Propose, vote every stage through with all voters, execute."""
        motion_id = self.propose(proposer, kind, motion_args)
        rule = self.motions.rule(kind)
        stage = self.stage_of(motion_id, 1)
        if stage == 0:
            raise AssertionError("pass_motion does not gather sponsors")
        self.vote(self.chamber(rule.chamber1), stage)
        if rule.pct2:
            self.motions.advance(motion_id)
            self.vote(self.chamber(rule.chamber2), self.stage_of(motion_id, 2))
        self.motions.execute(motion_id, motion_args)
        return motion_id

    def chamber(self, chamber: int) -> list[LocalAccount]:
        seated = self.supers if chamber == SUPER else self.nodes
        return [k for k in seated if self.council.member(k.address)[1 + chamber]]


def make_world(
    n_nodes: int = 0, n_supers: int = 0, n_alternates: int = 0, *, with_treasury: bool = False
) -> World:
    """Deploys an alliance (with the treasury and a test USDT if asked),
    nominates ``n_nodes`` nodes, and (if ``n_supers``) ratifies the first
    ``n_supers`` of them as genesis super nodes with the next
    ``n_alternates`` as the super-alternate queue."""
    admin = key("admin").address
    foundation = key("foundation").address
    alliance = deploy_alliance(admin, foundation, with_treasury=with_treasury)
    nodes = keys("node", n_nodes)
    with boa.env.prank(admin):
        for i, k in enumerate(nodes):
            alliance.council.nominate(k.address, f"community {i}", b"\x00" * 32)
    next_block()
    world = World(alliance, admin, foundation, nodes, [])
    if n_supers:
        slate = [k.address for k in nodes[: n_supers + n_alternates]]
        world.pass_motion(nodes[0].address, RATIFY_GENESIS_SUPER_NODES, args(slate, [n_supers]))
        world.supers = nodes[:n_supers]
        next_block()
    return world
