"""The motion form's rules: what ``Motions.vy`` ``_validate`` / ``_check_proposer``,
``parameters.vy`` ``_check`` and ``Treasury.vy`` ``_validate`` refuse, checked before the wallet
is asked to send ``propose(kind, (accounts, numbers, hashes, text))``.

:func:`build` turns the form's fields into :class:`~kol.alliance.MotionArgs` or raises
:class:`Refusal` (a message key of the catalogues and its fields); :func:`propose_calldata` and
:func:`claim_genesis_calldata` encode the calls with ``eth_abi``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from eth_abi.abi import encode
from eth_utils.crypto import keccak

from kol.alliance import MotionArgs, MotionKind, Parameter, ProposerRole
from kol.domain.types import as_checksum_address

__all__ = [
    "FORM_KINDS",
    "PROPOSERS",
    "Refusal",
    "Roles",
    "build",
    "claim_genesis_calldata",
    "propose_calldata",
]

DAY: Final = 86_400
ZERO: Final = "0x" + "00" * 20
FORM_KINDS: Final = (
    MotionKind.REPLACE_NODE,
    MotionKind.REPLACE_SUPER_NODE,
    MotionKind.REPLACE_ADMIN,
    MotionKind.REPLENISH_SUPER_ALTERNATES,
    MotionKind.REPLENISH_NODE_ALTERNATES,
    MotionKind.SET_PARAMETERS,
    MotionKind.APPROVE_TASK,
    MotionKind.DEMAND_AUDIT,
)
"""The kinds the form proposes (the others carry published lists and are proposed by tools)."""
PROPOSERS: Final = {
    MotionKind.APPROVE_TASK: ProposerRole.NODE,
    MotionKind.REPLACE_NODE: ProposerRole.SUPER_NODE,
    MotionKind.REPLACE_SUPER_NODE: ProposerRole.NODE,
    MotionKind.REPLACE_ADMIN: ProposerRole.NODE,
    MotionKind.DEMAND_AUDIT: ProposerRole.NODE,
    MotionKind.REPLENISH_SUPER_ALTERNATES: ProposerRole.NODE,
    MotionKind.REPLENISH_NODE_ALTERNATES: ProposerRole.CANDIDATE,
    MotionKind.SET_PARAMETERS: ProposerRole.SUPER_NODE,
}
"""§5's "Proposed by" column (``Motions.vy`` ``RULES_*``) for the form's kinds."""
COUNTS: Final = {
    MotionKind.REPLACE_NODE: 2,
    MotionKind.REPLACE_SUPER_NODE: 2,
    MotionKind.REPLACE_ADMIN: 1,
    MotionKind.REPLENISH_SUPER_ALTERNATES: 3,
    MotionKind.REPLENISH_NODE_ALTERNATES: 5,
}
RANGES: Final[dict[int, tuple[int, int]]] = {
    Parameter.VOTING_PERIOD: (3_600, 30 * DAY),
    Parameter.SPONSOR_WINDOW: (3_600, 30 * DAY),
    Parameter.EXECUTION_WINDOW: (DAY, 30 * DAY),
    Parameter.NOTICE_PERIOD: (0, 14 * DAY),
    Parameter.AUDIT_DUE: (DAY, 180 * DAY),
    Parameter.KOL_PER_USDT: (1, 10**15),
    Parameter.SUPER_BAN: (0, 3_650 * DAY),
    Parameter.NODE_BAN: (0, 3_650 * DAY),
    Parameter.FOUNDATION: (1, 2**160 - 1),
    Parameter.CLOSE_GENESIS: (1, 1),
}
"""``parameters.vy`` ``_check``: the allowed values of each parameter, inclusive."""
MAX_TEXT: Final = 256
PROPOSE: Final = "propose(uint8,(address[],uint256[],bytes32[],string))"
CLAIM_GENESIS: Final = "claim_genesis(bytes32,uint256,uint256,address,uint256,uint256,bytes32[])"
_NUMBER: Final = re.compile(r"\d{1,78}")
_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class Refusal(Exception):
    """A rule the form's arguments break: ``key`` in the catalogues, with its fields."""

    key: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Roles:
    """What the API says of an account (``MemberOut``); all False for an unknown one."""

    is_node: bool = False
    is_super: bool = False
    is_candidate: bool = False
    node_banned: bool = False
    super_banned: bool = False


def _lines(value: object) -> list[str]:
    if isinstance(value, list):
        items = [str(v) for v in value]
    else:
        items = re.split(r"[\s,;]+", str(value or ""))
    return [v.strip() for v in items if v.strip()]


def _address(value: str) -> str:
    if re.fullmatch(r"0x[0-9a-fA-F]{40}", value) is None:
        raise Refusal("perr.address", {"value": value[:60]})
    checked = as_checksum_address(value)
    if checked is None:
        raise Refusal("perr.checksum", {"value": value})
    if checked == ZERO:
        raise Refusal("perr.zero")
    return str(checked)


def _accounts(kind: MotionKind, value: object) -> list[str]:
    given = _lines(value)
    want = COUNTS[kind]
    if len(given) != want:
        raise Refusal("perr.count", {"n": want, "got": len(given)})
    accounts = [_address(v) for v in given]
    seen: set[str] = set()
    for a in accounts:
        if a in seen:
            raise Refusal("perr.twice", {"value": a})
        seen.add(a)
    return accounts


def _whole(value: object, key: str) -> int:
    text = str(value if value is not None else "").strip().replace("_", "")
    if _NUMBER.fullmatch(text) is None:
        raise Refusal(key, {"value": text[:60]})
    return int(text)


def _time(value: object) -> int:
    text = str(value if value is not None else "").strip()
    if _DATE.fullmatch(text):
        try:
            day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            raise Refusal("perr.period") from None
        return int(day.timestamp())
    if _NUMBER.fullmatch(text) is None or len(text) > 12:
        raise Refusal("perr.period")
    return int(text)


def _parameters(value: object) -> list[int]:
    pairs = _lines(value)
    if not pairs:
        raise Refusal("perr.params_shape")
    numbers: list[int] = []
    seen: set[int] = set()
    for pair in pairs:
        name, sep, amount = pair.partition("=")
        if not sep:
            raise Refusal("perr.params_shape")
        p = _whole(name, "perr.param_unknown")
        if p not in RANGES:
            raise Refusal("perr.param_unknown", {"value": p})
        if p in seen:
            raise Refusal("perr.param_twice", {"value": p})
        seen.add(p)
        amount = amount.strip()
        if p == Parameter.FOUNDATION and amount.startswith("0x"):
            v = int(_address(amount), 16)
        else:
            v = _whole(amount, f"perr.range.{p}")
        low, high = RANGES[p]
        if not low <= v <= high:
            raise Refusal(f"perr.range.{p}")
        numbers += [p, v]
    return numbers


def _may_propose(kind: MotionKind, proposer: Roles, is_foundation: bool) -> None:
    role = PROPOSERS[kind]
    ok = {
        ProposerRole.NODE: proposer.is_node,
        ProposerRole.SUPER_NODE: proposer.is_super,
        ProposerRole.NODE_OR_FOUNDATION: proposer.is_node or is_foundation,
        ProposerRole.FOUNDATION: is_foundation,
        ProposerRole.CANDIDATE: proposer.is_candidate and not proposer.is_node,
    }[role]
    if not ok:
        raise Refusal(f"perr.role.{int(role)}")


def build(
    kind_value: object,
    form: Mapping[str, Any],
    *,
    proposer: str | None,
    roles: Callable[[str], Roles],
    admin: str | None = None,
    foundation: str | None = None,
    live_motion: bool = False,
) -> tuple[MotionKind, MotionArgs]:
    """The motion the form describes, or :class:`Refusal` with the first rule it breaks (in
    the contract's order: the proposer, then the arguments' shape, then the state)."""
    try:
        kind = MotionKind(int(str(kind_value)))
    except ValueError:
        raise Refusal("perr.kind") from None
    if kind not in FORM_KINDS:
        raise Refusal("perr.kind")
    if proposer is None:
        raise Refusal("perr.wallet")
    is_foundation = foundation is not None and foundation.lower() == proposer.lower()
    _may_propose(kind, roles(proposer), is_foundation)
    if live_motion:
        raise Refusal("perr.live")
    if kind in COUNTS:
        accounts = _accounts(kind, form.get("accounts"))
        return kind, _membership(kind, accounts, roles, admin)
    if kind == MotionKind.SET_PARAMETERS:
        return kind, MotionArgs(numbers=tuple(_parameters(form.get("parameters"))))
    if kind == MotionKind.APPROVE_TASK:
        task = _whole(form.get("task"), "perr.task")
        if task < 1:
            raise Refusal("perr.task", {"value": task})
        return kind, MotionArgs.approve_task(task)
    start, end = _time(form.get("start")), _time(form.get("end"))
    if not start < end:
        raise Refusal("perr.period")
    scope = str(form.get("scope") or "").strip()
    if len(scope.encode()) > MAX_TEXT:
        raise Refusal("perr.scope", {"n": MAX_TEXT})
    return kind, MotionArgs.audit(start, end, scope)


def _membership(
    kind: MotionKind, accounts: Sequence[str], roles: Callable[[str], Roles], admin: str | None
) -> MotionArgs:
    if kind == MotionKind.REPLACE_ADMIN:
        if admin is not None and admin.lower() == accounts[0].lower():
            raise Refusal("perr.admin", {"value": accounts[0]})
        return MotionArgs.new_admin(accounts[0])
    if kind in (MotionKind.REPLACE_NODE, MotionKind.REPLACE_SUPER_NODE):
        old, new = accounts
        o, n = roles(old), roles(new)
        if kind == MotionKind.REPLACE_NODE:
            if not o.is_node:
                raise Refusal("perr.old_node", {"value": old})
            if n.is_node:
                raise Refusal("perr.new_seated", {"value": new})
            if n.node_banned:
                raise Refusal("perr.banned", {"value": new})
        else:
            if not o.is_super:
                raise Refusal("perr.old_super", {"value": old})
            if not n.is_node:
                raise Refusal("perr.new_node", {"value": new})
            if n.is_super:
                raise Refusal("perr.new_super", {"value": new})
            if n.super_banned:
                raise Refusal("perr.banned", {"value": new})
        return MotionArgs.replace(old, new)
    for a in accounts:
        r = roles(a)
        if kind == MotionKind.REPLENISH_SUPER_ALTERNATES:
            if not r.is_node or r.is_super or r.super_banned:
                raise Refusal("perr.super_alternate", {"value": a})
        elif not r.is_candidate or r.is_node or r.node_banned:
            raise Refusal("perr.node_alternate", {"value": a})
    return MotionArgs.alternates(accounts)


def _selector(signature: str) -> bytes:
    return keccak(text=signature)[:4]


def propose_calldata(kind: MotionKind, args: MotionArgs) -> str:
    """``Motions.propose(kind, args)`` as transaction data."""
    body = encode(["uint8", "(address[],uint256[],bytes32[],string)"], [int(kind), args.encode()])
    return "0x" + (_selector(PROPOSE) + body).hex()


def claim_genesis_calldata(
    root: str,
    month: int,
    release_block: int,
    leader: str,
    cum_paid: int,
    cum_forfeited: int,
    proof: Sequence[str],
) -> str:
    """``KOLToken.claim_genesis(…)`` as transaction data."""
    body = encode(
        ["bytes32", "uint256", "uint256", "address", "uint256", "uint256", "bytes32[]"],
        [
            bytes.fromhex(root.removeprefix("0x")),
            month,
            release_block,
            leader,
            cum_paid,
            cum_forfeited,
            [bytes.fromhex(p.removeprefix("0x")) for p in proof],
        ],
    )
    return "0x" + (_selector(CLAIM_GENESIS) + body).hex()
