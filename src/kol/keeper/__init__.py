"""The keeper: permissionless, idempotent chores — attendance forfeitures (§6), refills from
the alternate queues (§3), closing failed and lapsed motions (§4). See
:mod:`kol.keeper.service`."""

from __future__ import annotations

from kol.keeper.service import SEAT_CAPS, Action, Keeper, Outcome

__all__ = ["SEAT_CAPS", "Action", "Keeper", "Outcome"]
