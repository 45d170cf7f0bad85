"""Events → derived rows (``kol.store.project``): the queue's subtle cases, pools recognised by
their address, and a replay from the raw events giving exactly the rows written range by
range."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kol.store import Store
from kol.store.db import transaction
from kol.store.models import Event, QueueEntry, Supply
from kol.store.project import Projector, pool_kind, rebuild
from tests.store.support import differences, rows

A, B, C = ("0x" + c * 40 for c in "abc")
ZERO = "0x" + "0" * 40
USER_POOL_1 = "0x4b4f4C2d504f4F4c000000000000000000000002"
LEADER_POOL_1 = "0x4b4F4c2d504f4f4c000000000000000000000003"
GENESIS_POOL = "0x4B4F4C2d504F4F4cd5b8044f35677D8a86bE4646"


def event(block: int, log: int, contract: str, kind: str, **args: Any) -> Event:
    return Event(
        chain_id=31_337,
        block_number=block,
        log_index=log,
        block_hash="0x" + f"{block:064x}",
        block_time=1_000 + block,
        tx_hash="0x" + f"{block:032x}{log:032x}",
        tx_index=0,
        tx_from=A,
        contract=contract,
        address=ZERO,
        name=kind,
        args=args,
        topics=[],
        data="0x",
    )


HISTORY = [
    event(1, 0, "council", "AdminChanged", previous=ZERO, admin=A),
    event(2, 0, "council", "MemberIdAssigned", member=A, member_id=1),
    event(2, 1, "council", "Seated", member=A, member_id=1, chamber=0, seats=1),
    event(2, 2, "council", "Nominated", member=A, member_id=1, name="甲", metadata_hash="0x"),
    event(3, 0, "council", "MemberIdAssigned", member=B, member_id=2),
    event(3, 1, "council", "Seated", member=B, member_id=2, chamber=0, seats=2),
    event(4, 0, "council", "Queued", member=A, chamber=1, position=1),
    event(4, 1, "council", "Queued", member=B, chamber=1, position=2),
    # A is seated as a super node by another path (a replacement): its entry leaves the queue
    event(5, 0, "council", "Seated", member=A, member_id=1, chamber=1, seats=1),
    # a refill later meets A's stale entry (4: left the queue) and B, banned meanwhile (1)
    event(6, 0, "council", "QueueHeadDropped", member=A, chamber=1, reason=4),
    event(6, 1, "council", "QueueHeadDropped", member=B, chamber=1, reason=1),
    event(7, 0, "council", "Queued", member=C, chamber=1, position=3),
    event(8, 0, "token", "Transfer", sender=ZERO, receiver=USER_POOL_1, value=800),
    event(8, 1, "token", "Transfer", sender=ZERO, receiver=LEADER_POOL_1, value=200),
    event(8, 2, "token", "Issued", bucket=1, amount=1000, issued_bucket=1000, issued_total=1000),
    event(
        8,
        3,
        "token",
        "BatchOpened",
        batch_id=1,
        root="0x01",
        user_pool=USER_POOL_1,
        leader_pool=LEADER_POOL_1,
        user_total=800,
        leader_total=200,
        minted=True,
    ),
    event(9, 0, "token", "Transfer", sender=USER_POOL_1, receiver=B, value=300),
    event(10, 0, "token", "Transfer", sender=ZERO, receiver=GENESIS_POOL, value=2**200),
]


def apply(store: Store, events: list[Event]) -> None:
    with transaction(store.sessions) as s:
        projector = Projector(s)
        projector.ensure_initial()
        s.add_all(events)
        projector.project(events)


def test_pool_kind__pool_addresses__recognised_by_their_prefix() -> None:
    assert pool_kind(USER_POOL_1) == ("user", 1)
    assert pool_kind(LEADER_POOL_1) == ("leader", 1)
    assert pool_kind(GENESIS_POOL) == ("genesis", None)
    assert pool_kind(A) is None


def test_queue__seated_by_another_path_then_dropped_heads__each_entry_as_the_chain_left_it(
    tmp_path: Path,
) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 's.sqlite3'}", migrate=True)
    apply(store, list(HISTORY))
    with store.sessions() as s:
        entries = {e.address: e for e in s.query(QueueEntry).all()}
        assert (entries[A].status, entries[A].closed_block) == ("seated", 5)
        assert (entries[B].status, entries[B].drop_reason) == ("dropped", 1)
        assert entries[C].status == "waiting"
        supply = s.get(Supply, 1)
        assert supply is not None
        assert (supply.total_supply, supply.in_pools) == (1000 + 2**200, 700 + 2**200)


def test_rebuild__after_ranges__gives_exactly_the_same_rows(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 's.sqlite3'}", migrate=True)
    for start in range(0, len(HISTORY), 5):  # written range by range
        apply(
            store,
            [
                event(e.block_number, e.log_index, e.contract, e.name, **e.args)
                for e in HISTORY[start : start + 5]
            ],
        )
    before = rows(store)
    with transaction(store.sessions) as s:
        assert rebuild(s, chunk=3) == len(HISTORY)
    assert differences(before, rows(store)) == []
