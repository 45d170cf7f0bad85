"""The alliance's governance core, in the constitution's words (§1, §3–§6, §10).

:class:`Alliance` wraps the deployed contracts (Council, Motions, KOLToken and, when present,
the Treasury) and speaks of nominations, candidates, motions, stages, ballots, forfeitures and
refills rather than of calldata. Every read returns a frozen dataclass; every refused action
raises :class:`RuleViolation` carrying the contract's own reason (``"council: …"``,
``"motions: stage 1 needs 11 of 21 super nodes; 9 voted for"``).

The chain is behind a small protocol, :class:`Backend`: :class:`BoaBackend` runs on
titanoboa's in-process EVM (tests, ``kol demo``); a JSON-RPC backend (anvil, any Ethereum
node) implements the same five methods.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Final, Literal, Protocol, TypeVar, runtime_checkable

from eth_abi.abi import decode, encode
from eth_account.datastructures import SignedMessage
from eth_account.messages import SignableMessage, encode_typed_data
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

from kol.domain.allocation import Allocation
from kol.domain.eip712 import ballot_typed_data, sponsorship_typed_data
from kol.domain.genesis import GenesisSchedule
from kol.domain.merkle import StandardMerkleTree
from kol.domain.thresholds import Parameters
from kol.domain.types import Chamber, Choice

__all__ = [
    "Alliance",
    "Backend",
    "BoaBackend",
    "Body",
    "Chamber",
    "Choice",
    "ContractName",
    "Member",
    "Motion",
    "MotionArgs",
    "MotionKind",
    "MotionStatus",
    "Parameter",
    "Parameters",
    "ProposerRole",
    "Rule",
    "RuleViolation",
    "SignedBallot",
    "SignedSponsorship",
    "Signer",
    "Sponsorship",
    "Stage",
    "StageStatus",
    "Supply",
]

ZERO_ADDRESS: Final = "0x0000000000000000000000000000000000000000"
MAX_BALLOTS_PER_CALL: Final = 500
"""The largest batch ``cast_ballots`` takes (``ballots.vy``: ``MAX_BALLOTS``)."""
MAX_SPONSORSHIPS_PER_CALL: Final = 100
"""The largest batch ``relay_sponsorships`` takes (``sponsorships.vy``)."""
_ERROR_SELECTOR: Final = bytes.fromhex("08c379a0")  # Error(string)
_ARGS_TYPE: Final = "(address[],uint256[],bytes32[],string)"
_T = TypeVar("_T")


# ENUMS (mirror Motions.vy and the council modules) #


class MotionKind(IntEnum):
    """The motions of §5 (``Motions.vy``: ``RATIFY_GENESIS_SUPER_NODES`` … ``SET_PARAMETERS``)."""

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


class MotionStatus(IntEnum):
    """A motion's status, derived on-chain from its stages and the clock (§4)."""

    NONE = 0
    SPONSORING = 1
    VOTING = 2
    PASSED = 3
    """Every stage passed: executable (after the notice period, within the window)."""
    EXECUTED = 4
    FAILED = 5
    LAPSED = 6
    AWAITING_STAGE = 7
    """Sponsors gathered or stage 1 passed: the next stage must be opened (``advance``)."""

    @property
    def live(self) -> bool:
        """Whether the motion still occupies its proposer (§4: one live motion at a time)."""
        return self in (MotionStatus.SPONSORING, MotionStatus.VOTING, MotionStatus.AWAITING_STAGE)


class StageStatus(IntEnum):
    """A stage's decision (§4): open, passed (For ≥ threshold) or failed."""

    NONE = 0
    OPEN = 1
    PASSED = 2
    FAILED = 3


class ProposerRole(IntEnum):
    """Who may propose a motion (§5, column "Proposed by")."""

    NODE = 1
    SUPER_NODE = 2
    NODE_OR_FOUNDATION = 3
    FOUNDATION = 4
    CANDIDATE = 5


class Body(IntEnum):
    """The council's bodies: the two chambers and the candidate pool (sponsors of §5)."""

    NODE = 0
    SUPER = 1
    POOL = 2


class Parameter(IntEnum):
    """Parameter ids of ``SET_PARAMETERS`` (§10, ``parameters.vy``)."""

    VOTING_PERIOD = 1
    SPONSOR_WINDOW = 2
    EXECUTION_WINDOW = 3
    NOTICE_PERIOD = 4
    AUDIT_DUE = 5
    KOL_PER_USDT = 6
    SUPER_BAN = 7
    NODE_BAN = 8
    FOUNDATION = 9
    CLOSE_GENESIS = 10


CHAMBER_WORDS: Final = {Chamber.NODE: "nodes", Chamber.SUPER: "super nodes"}
BODY_WORDS: Final = {Body.NODE: "nodes", Body.SUPER: "super nodes", Body.POOL: "candidate pool"}


# ERRORS #


class RuleViolation(Exception):
    """An action the constitution refuses: the contract reverted with ``reason``."""

    def __init__(self, reason: str, action: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        """The contract's revert string, e.g. ``"council: not seated in that chamber"``."""
        self.action = action
        """The contract function that refused (``"propose"``, ``"vote"`` …), when known."""


# VALUES #


def _address(value: object) -> str:
    return str(to_checksum_address(str(value)))


@dataclass(frozen=True)
class MotionArgs:
    """The typed arguments of a motion (``Motions.vy``: ``MotionArgs``), never calldata."""

    accounts: tuple[str, ...] = ()
    numbers: tuple[int, ...] = ()
    hashes: tuple[bytes, ...] = ()
    text: str = ""

    @classmethod
    def ratify(cls, super_nodes: Sequence[str], alternates: Sequence[str] = ()) -> MotionArgs:
        """RATIFY_GENESIS_SUPER_NODES: the slate, then the ordered super-alternate queue."""
        return cls(tuple(super_nodes) + tuple(alternates), (len(super_nodes),))

    @classmethod
    def replace(cls, old: str, new: str) -> MotionArgs:
        """REPLACE_NODE / REPLACE_SUPER_NODE: ``old`` leaves, ``new`` takes the seat."""
        return cls((old, new))

    @classmethod
    def new_admin(cls, admin: str) -> MotionArgs:
        """REPLACE_ADMIN: the new administrator."""
        return cls((admin,))

    @classmethod
    def alternates(cls, accounts: Sequence[str]) -> MotionArgs:
        """REPLENISH_*_ALTERNATES: the accounts to queue, in order (3 super, 5 node)."""
        return cls(tuple(accounts))

    @classmethod
    def parameters(cls, changes: Mapping[Parameter, int]) -> MotionArgs:
        """SET_PARAMETERS: pairs of (parameter id, new value)."""
        numbers: list[int] = []
        for parameter, value in changes.items():
            numbers += [int(parameter), value]
        return cls(numbers=tuple(numbers))

    @classmethod
    def approve_task(cls, task_id: int) -> MotionArgs:
        """APPROVE_TASK: the task whose escrowed fee becomes revenue."""
        return cls(numbers=(task_id,))

    @classmethod
    def matched_batch(cls, allocation: Allocation, task_ids: Sequence[int], uri: str) -> MotionArgs:
        """ISSUE_MATCHED_BATCH: the total and its 80/20 parts, the tasks it matches (sorted),
        the list's root and content hash, and where the list is published."""
        tree = allocation.tree()
        numbers = (
            allocation.total,
            allocation.user_total,
            allocation.leader_total,
            *sorted(task_ids),
        )
        return cls(numbers=numbers, hashes=(tree.root, tree.content_hash()), text=uri)

    @classmethod
    def genesis_month(cls, schedule: GenesisSchedule, month: int, uri: str) -> MotionArgs:
        """GENESIS_RELEASE: month ``month``'s cumulative totals and leader count, the root and
        content hash of its cumulative-entitlement list, and where it is published."""
        totals = schedule.month_totals(month)
        tree = schedule.month_tree(month)
        numbers = (month, totals.cum_paid, totals.cum_forfeited, len(tree))
        return cls(numbers=numbers, hashes=(tree.root, tree.content_hash()), text=uri)

    @classmethod
    def statement(cls, start: int, end: int, content_hash: bytes, uri: str) -> MotionArgs:
        """PUBLISH_STATEMENT: the period (timestamps), the statement's hash and URI."""
        return cls(numbers=(start, end), hashes=(content_hash,), text=uri)

    @classmethod
    def audit(cls, start: int, end: int, scope: str = "") -> MotionArgs:
        """DEMAND_AUDIT: the period to audit (timestamps) and an optional scope."""
        return cls(numbers=(start, end), text=scope)

    def encode(self) -> tuple[list[str], list[int], list[bytes], str]:
        """The ``MotionArgs`` struct as the contract takes it."""
        return (list(self.accounts), list(self.numbers), list(self.hashes), self.text)

    def hash(self) -> bytes:
        """``keccak256(abi_encode(args))``, the ``args_hash`` the engine stores."""
        return keccak(encode([_ARGS_TYPE], [self.encode()]))


@dataclass(frozen=True)
class Rule:
    """One row of the power map of §5."""

    kind: MotionKind
    proposer: ProposerRole
    sponsor_body: Body | None
    sponsor_pct: int
    chamber1: Chamber
    pct1: int
    chamber2: Chamber | None
    pct2: int

    @property
    def stages(self) -> tuple[tuple[Chamber, int], ...]:
        """(chamber, percentage) of each stage."""
        first = ((self.chamber1, self.pct1),)
        return first if self.chamber2 is None else (*first, (self.chamber2, self.pct2))

    def describe(self) -> str:
        """The row in words, e.g. ``"10% of nodes sponsor; super nodes 33%"``."""
        parts = []
        if self.sponsor_body is not None:
            parts.append(f"{self.sponsor_pct}% of the {BODY_WORDS[self.sponsor_body]} sponsor")
        parts += [f"{CHAMBER_WORDS[c]} {pct}%" for c, pct in self.stages]
        return "; ".join(parts)


@dataclass(frozen=True)
class Stage:
    """One chamber voting on one motion (§4), as stored when it opened, with its tallies."""

    stage_id: int
    motion_id: int
    chamber: Chamber
    seq: int
    """The stage's sequence number in its chamber (§6 cites three consecutive ones)."""
    opened_block: int
    deadline: int
    passed_at: int
    electorate: int
    threshold: int
    votes_for: int
    votes_against: int
    votes_abstain: int
    status: StageStatus

    @property
    def turnout(self) -> int:
        """Ballots cast (all three choices count as attendance, §6)."""
        return self.votes_for + self.votes_against + self.votes_abstain

    def describe(self) -> str:
        """``"needs 11 of 21 super nodes; 9 voted for"``."""
        return (
            f"needs {self.threshold} of {self.electorate} {CHAMBER_WORDS[self.chamber]}; "
            f"{self.votes_for} voted for"
        )


@dataclass(frozen=True)
class Sponsorship:
    """A motion's co-sponsorship round (§4)."""

    body: Body
    proposed_block: int
    deadline: int
    reached_at: int
    electorate: int
    threshold: int
    sponsors: int

    @property
    def reached(self) -> bool:
        return self.reached_at != 0


@dataclass(frozen=True)
class Motion:
    """A motion (§5): its record, rule, sponsorship, stages and derived status."""

    motion_id: int
    kind: MotionKind
    proposer: str
    args_hash: bytes
    created_block: int
    created_at: int
    notice_period: int
    execution_window: int
    status: MotionStatus
    rule: Rule
    sponsorship: Sponsorship | None
    stages: tuple[Stage, ...]
    args: MotionArgs | None
    """The arguments, when this SDK proposed the motion (else read them from its event)."""

    def stage(self, number: int) -> Stage:
        """Stage ``number`` (1 or 2); :class:`RuleViolation` when it has not opened."""
        if not 1 <= number <= len(self.stages):
            raise RuleViolation(
                f"alliance: stage {number} of motion {self.motion_id} has not opened", "stage"
            )
        return self.stages[number - 1]


@dataclass(frozen=True)
class Member:
    """What the council knows of an address (§1, §3)."""

    address: str
    member_id: int
    is_node: bool
    is_super_node: bool
    is_candidate: bool
    node_ban_until: int
    super_ban_until: int
    node_since: int
    """Block in which the node seat was taken (0 when not seated)."""
    super_since: int
    """Block in which the super seat was taken (0 when not seated)."""
    name: str | None = None
    """The community's name, when this SDK saw it nominated or registered."""

    def seated(self, chamber: Chamber) -> bool:
        return self.is_super_node if chamber == Chamber.SUPER else self.is_node

    def since(self, chamber: Chamber) -> int:
        return self.super_since if chamber == Chamber.SUPER else self.node_since

    @property
    def in_pool(self) -> bool:
        """A registered candidate who is not a seated node (the candidate pool, §1)."""
        return self.is_candidate and not self.is_node

    def banned(self, chamber: Chamber, now: int) -> bool:
        until = self.super_ban_until if chamber == Chamber.SUPER else self.node_ban_until
        return until > now

    def may_vote_in(self, stage: Stage) -> bool:
        """Seated in the stage's chamber since before the block in which it opened (§4)."""
        return self.seated(stage.chamber) and self.since(stage.chamber) < stage.opened_block


class TaskKind(IntEnum):
    """Service task kinds (§7)."""

    POSTER_CALL = 1
    EXCHANGE_REGISTRATION = 2
    CANDY_AIRDROP = 3
    ROADSHOW = 4
    CONFERENCE = 5
    OTHER = 6


class Currency(IntEnum):
    """What a task's fee was paid in (§7): USDT, or KOL in circulation mode."""

    USDT = 0
    KOL = 1


class TaskState(IntEnum):
    REQUESTED = 1
    APPROVED = 2
    REFUNDED = 3
    MATCHED = 4


@dataclass(frozen=True)
class Task:
    """A client's service task and its escrowed fee (§7)."""

    task_id: int
    client: str
    kind: TaskKind
    currency: Currency
    state: TaskState
    requested_at: int
    motion_id: int
    fee: int


@dataclass(frozen=True)
class Batch:
    """A distribution batch (§7): its list's root and what each part has left."""

    batch_id: int
    root: bytes
    user_pool: str
    leader_pool: str
    user_left: int
    leader_left: int


@dataclass(frozen=True)
class GenesisState:
    """The genesis programme (§8): start, last month released, cumulative totals."""

    start: int
    month: int
    cum_paid: int
    cum_forfeited: int
    closed: bool


@dataclass(frozen=True)
class AuditDemand:
    """A public-audit demand on the foundation (§5) and whether it is overdue."""

    demand_id: int
    period_start: int
    period_end: int
    due: int
    motion_id: int
    answered_at: int
    overdue: bool


@dataclass(frozen=True)
class SignedBallot:
    """An EIP-712 ballot, signed by the voter, that anyone may relay (§4)."""

    voter: str
    stage_id: int
    choice: Choice
    expiry: int
    v: int
    r: bytes
    s: bytes

    def encode(self) -> tuple[str, int, int, int, int, bytes, bytes]:
        return (self.voter, self.stage_id, int(self.choice), self.expiry, self.v, self.r, self.s)


@dataclass(frozen=True)
class SignedSponsorship:
    """An EIP-712 co-sponsorship, signed by the sponsor, that anyone may relay (§4)."""

    sponsor: str
    motion_id: int
    expiry: int
    v: int
    r: bytes
    s: bytes

    def encode(self) -> tuple[str, int, int, int, bytes, bytes]:
        return (self.sponsor, self.motion_id, self.expiry, self.v, self.r, self.s)


@dataclass(frozen=True)
class Supply:
    """The token's issuance figures (§2, §11 invariants 1–2), base units."""

    issued_genesis: int
    issued_matched: int
    burned: int
    total_supply: int

    @property
    def issued_total(self) -> int:
        return self.issued_genesis + self.issued_matched


class Signer(Protocol):
    """A member's key: an ``eth_account`` ``LocalAccount`` or anything signing the same way.
    A signer that also has ``sign_typed_data(full_message=…)`` (``LocalAccount`` does; so does
    ``kol.chain.signer.ExternalSigner``, which cannot sign a bare digest) is given the typed
    data itself."""

    @property
    def address(self) -> Any: ...

    def sign_message(self, signable_message: SignableMessage) -> SignedMessage: ...


def _sign_typed(signer: Signer, typed: dict[str, Any]) -> Any:
    """``signer``'s EIP-712 signature of ``typed`` (the ``eth_signTypedData_v4`` JSON)."""
    sign_typed_data = getattr(signer, "sign_typed_data", None)
    if callable(sign_typed_data):
        return sign_typed_data(full_message=typed)
    return signer.sign_message(encode_typed_data(full_message=typed))


# THE CHAIN BEHIND A PROTOCOL #

ContractName = Literal["council", "motions", "token", "treasury", "usdt"]


class Backend(Protocol):
    """What the SDK needs from a chain. Backends turn reverts into :class:`RuleViolation`."""

    def address(self, contract: ContractName) -> str | None:
        """The contract's address, or None when it is not deployed."""
        ...

    def call(self, contract: ContractName, function: str, *args: Any) -> Any:
        """A view call; structs come back as tuples (field order of the ABI)."""
        ...

    def transact(self, contract: ContractName, function: str, *args: Any, sender: str) -> Any:
        """A transaction from ``sender``; returns the function's return value."""
        ...

    def clock(self) -> tuple[int, int]:
        """(timestamp, block number) of the block the next transaction lands in."""
        ...

    def wait(self, seconds: int) -> None:
        """Let time pass (dev chains only: in-process EVM, anvil)."""
        ...


def _revert_reason(data: object) -> str:
    """The ``Error(string)`` in revert data, or a plain description."""
    if isinstance(data, bytes | bytearray) and bytes(data[:4]) == _ERROR_SELECTOR:
        try:
            (reason,) = decode(["string"], bytes(data[4:]))
            return str(reason)
        except Exception:  # malformed revert data: fall through
            pass
    return "reverted without a reason"


class BoaBackend:
    """The alliance on titanoboa's in-process EVM (``kol.chain.inprocess.deploy_alliance``)."""

    def __init__(self, deployed: Any, *, block_time: int = 12) -> None:
        self._contracts: dict[str, Any] = {
            "council": deployed.council,
            "motions": deployed.motions,
            "token": deployed.token,
            "treasury": deployed.treasury,
            "usdt": deployed.usdt,
        }
        self.env: Any = deployed.council.env
        self.block_time = block_time

    @classmethod
    def deploy(cls, admin: str, foundation: str, *, with_treasury: bool = False) -> BoaBackend:
        """Deploys the alliance in ``boa.env`` (see ``deploy_alliance``)."""
        from kol.chain.inprocess import deploy_alliance

        return cls(deploy_alliance(admin, foundation, with_treasury=with_treasury))

    def address(self, contract: ContractName) -> str | None:
        deployed = self._contracts[contract]
        return None if deployed is None else _address(deployed.address)

    def _run(self, contract: ContractName, function: str, args: tuple[Any, ...]) -> Any:
        import boa

        deployed = self._contracts[contract]
        if deployed is None:
            raise RuleViolation(f"alliance: the {contract} is not deployed", function)
        try:
            return getattr(deployed, function)(*args)
        except boa.BoaError as error:
            frame = error.stack_trace.last_frame
            vm_error = getattr(frame, "vm_error", None)
            data = vm_error.args[0] if vm_error is not None and vm_error.args else None
            raise RuleViolation(_revert_reason(data), function) from None

    def call(self, contract: ContractName, function: str, *args: Any) -> Any:
        return self._run(contract, function, args)

    def transact(self, contract: ContractName, function: str, *args: Any, sender: str) -> Any:
        with self.env.prank(sender):
            return self._run(contract, function, args)

    def clock(self) -> tuple[int, int]:
        patch = self.env.evm.patch
        return int(patch.timestamp), int(patch.block_number)

    def wait(self, seconds: int) -> None:
        """At least one block passes (members seated now may vote in stages opened later)."""
        seconds = max(seconds, self.block_time)
        self.env.time_travel(seconds=seconds, block_delta=self.block_time)


# READS FOR THE COMMAND LINE (events, attendance, batch totals) #

MATCHED_CAP: Final = 16_000_000 * 10**18
"""The matched bucket (§2): at most 16,000,000 KOL, base units."""


@runtime_checkable
class EventSource(Protocol):
    """A backend that also reads the contracts' events (the JSON-RPC backend does)."""

    def events(self, contract: ContractName, event: str, **indexed: Any) -> list[dict[str, Any]]:
        """The ``event`` logs of ``contract`` since the deployment, oldest first, as dicts of
        their fields (structs as dicts) plus ``block_number``; ``indexed`` filters them."""
        ...


@dataclass(frozen=True)
class Attendance:
    """A seated member's attendance in one chamber (§6), over the stages whose deadline passed."""

    member: str
    chamber: Chamber
    misses: int
    """Consecutive misses ending with the latest decided stage (0: it voted in that one)."""
    forfeit_from: int | None
    """The first of three consecutive missed stages (their sequence numbers in the chamber)
    that ``forfeit`` accepts as proof now, or None."""


@dataclass(frozen=True)
class BatchIssue:
    """What the ``BatchIssued`` event of a batch stated (§7): totals, root, content hash, URI."""

    batch_id: int
    motion_id: int
    currency: Currency
    total: int
    user_total: int
    leader_total: int
    root: bytes
    content_hash: bytes
    uri: str


# THE SDK #


def _chamber(value: Any) -> Chamber:
    return Chamber(int(value))


class Alliance:
    """The alliance's governance core. ``by`` is always the acting address."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.names: dict[str, str] = {}
        """Community names this SDK saw nominated or registered (the council logs them)."""
        self._args: dict[int, MotionArgs] = {}
        self._rules: dict[MotionKind, Rule] = {}
        self._domain: tuple[int, str] | None = None
        self._stage_ids: dict[tuple[int, int], int] = {}

    @classmethod
    def in_process(cls, admin: str, foundation: str, *, with_treasury: bool = False) -> Alliance:
        """Deploys a fresh alliance on the in-process EVM (``boa.env``)."""
        return cls(BoaBackend.deploy(admin, foundation, with_treasury=with_treasury))

    # plumbing

    def _call(self, contract: ContractName, function: str, *args: Any) -> Any:
        return self.backend.call(contract, function, *args)

    def _int(self, contract: ContractName, function: str, *args: Any) -> int:
        return int(self.backend.call(contract, function, *args))

    def _send(self, contract: ContractName, function: str, *args: Any, by: str) -> Any:
        return self.backend.transact(contract, function, *args, sender=by)

    # time

    def now(self) -> int:
        """The timestamp the next transaction sees."""
        return self.backend.clock()[0]

    def block_number(self) -> int:
        return self.backend.clock()[1]

    def wait(self, seconds: int) -> None:
        """Let time pass (dev chains only)."""
        self.backend.wait(seconds)

    # seats, candidates, queues (§1, §3)

    def nominate(
        self, node: str, name: str, metadata_hash: bytes | None = None, *, by: str
    ) -> None:
        """The genesis administrator seats ``node`` directly (genesis phase only, §3)."""
        digest = keccak(text=name) if metadata_hash is None else metadata_hash
        self._send("council", "nominate", node, name, digest, by=by)
        self.names[_address(node)] = name

    def register_candidate(self, name: str, metadata_hash: bytes | None = None, *, by: str) -> None:
        """``by`` registers its community in the candidate pool (§1)."""
        digest = keccak(text=name) if metadata_hash is None else metadata_hash
        self._send("council", "register_candidate", name, digest, by=by)
        self.names[_address(by)] = name

    def withdraw_candidacy(self, *, by: str) -> None:
        self._send("council", "withdraw_candidacy", by=by)

    def resign(self, chamber: Chamber, *, by: str) -> None:
        """``by`` gives up its seat in ``chamber``; the queue refills it at once (§3)."""
        self._send("council", "resign", int(chamber), by=by)

    def refill(self, chamber: Chamber, *, by: str) -> int:
        """Seats queued alternates while seats are free (anyone, §3); returns how many."""
        return int(self._send("council", "refill", int(chamber), by=by))

    def member(self, account: str) -> Member:
        word = self._call("council", "member", account)
        address = _address(account)
        node, super_node = bool(word[1]), bool(word[2])
        return Member(
            address=address,
            member_id=int(word[0]),
            is_node=node,
            is_super_node=super_node,
            is_candidate=bool(word[3]),
            node_ban_until=int(word[4]),
            super_ban_until=int(word[5]),
            node_since=self._since(account, Chamber.NODE) if node else 0,
            super_since=self._since(account, Chamber.SUPER) if super_node else 0,
            name=self.names.get(address),
        )

    def _since(self, account: str, chamber: Chamber) -> int:
        return self._int("council", "seated_since", account, int(chamber))

    def members(self) -> list[Member]:
        """Every address that has a member id (nodes, super nodes, candidates, former ones)."""
        count = self._int("council", "member_count")
        return [
            self.member(str(self._call("council", "member_by_id", i))) for i in range(1, count + 1)
        ]

    def seated(self, chamber: Chamber) -> list[Member]:
        """The members seated in ``chamber`` now."""
        return [m for m in self.members() if m.seated(chamber)]

    def seats(self, body: Body | Chamber) -> int:
        """Seated nodes, seated super nodes, or the size of the candidate pool."""
        return self._int("council", "seats", int(body))

    def queue(self, chamber: Chamber) -> tuple[str, ...]:
        """The alternate queue of ``chamber``, head first (live entries only)."""
        head = self._int("council", "queue_head", int(chamber))
        tail = self._int("council", "queue_tail", int(chamber))
        live: dict[str, None] = {}
        for position in range(head, tail):
            account = _address(self._call("council", "queue_at", int(chamber), position))
            if self._call("council", "is_queued", account, int(chamber)):
                live.pop(account, None)  # a later entry of the same address is the live one
                live[account] = None
        return tuple(live)

    def queue_length(self, chamber: Chamber) -> int:
        """Entries between head and tail (eligible or not, as the council counts them)."""
        return self._int("council", "queue_length", int(chamber))

    def admin(self) -> str:
        return _address(self._call("council", "admin"))

    def genesis_open(self) -> bool:
        return bool(self._call("council", "genesis_open"))

    def foundation(self) -> str:
        return _address(self._call("council", "foundation"))

    def parameters(self) -> Parameters:
        """The parameters of §10 in force now."""
        return Parameters(
            voting_period=self._int("council", "voting_period"),
            sponsor_window=self._int("council", "sponsor_window"),
            execution_window=self._int("council", "execution_window"),
            notice_period=self._int("council", "notice_period"),
            audit_due=self._int("council", "audit_due"),
            super_ban=self._int("council", "super_ban"),
            node_ban=self._int("council", "node_ban"),
            kol_per_usdt=self._int("council", "kol_per_usdt"),
        )

    # motions (§4, §5)

    def rule(self, kind: MotionKind) -> Rule:
        """The row of §5 for ``kind``, as the engine holds it."""
        if kind not in self._rules:
            row = self._call("motions", "rule", int(kind))
            sponsor_pct, pct2 = int(row[2]), int(row[6])
            self._rules[kind] = Rule(
                kind=kind,
                proposer=ProposerRole(int(row[0])),
                sponsor_body=Body(int(row[1])) if sponsor_pct else None,
                sponsor_pct=sponsor_pct,
                chamber1=_chamber(row[3]),
                pct1=int(row[4]),
                chamber2=_chamber(row[5]) if pct2 else None,
                pct2=pct2,
            )
        return self._rules[kind]

    def propose(self, kind: MotionKind, args: MotionArgs, *, by: str) -> int:
        """``by`` proposes a motion; its sponsorship or first stage opens at once."""
        motion_id = int(self._send("motions", "propose", int(kind), args.encode(), by=by))
        self._args[motion_id] = args
        return motion_id

    def sponsor(self, motion_id: int, *, by: str) -> None:
        """``by`` co-sponsors a motion in its sponsorship window (§4)."""
        self._send("council", "sponsor", motion_id, by=by)

    def sign_sponsorship(
        self, signer: Signer, motion_id: int, *, expiry: int | None = None
    ) -> SignedSponsorship:
        """A co-sponsorship signed off-chain (EIP-712), valid until ``expiry`` (default: the
        end of the sponsorship window)."""
        if expiry is None:
            round_ = self.sponsorship(motion_id)
            if round_ is None:
                raise RuleViolation("sponsorships: the motion is not gathering sponsors", "sign")
            expiry = round_.deadline
        chain_id, council = self._eip712_domain()
        sponsor = _address(signer.address)
        typed = sponsorship_typed_data(
            chain_id=chain_id,
            verifying_contract=council,
            sponsor=sponsor,
            motion_id=motion_id,
            expiry=expiry,
        )
        sig = _sign_typed(signer, typed)
        return SignedSponsorship(sponsor, motion_id, expiry, int(sig.v), _word(sig.r), _word(sig.s))

    def relay_sponsorships(self, items: Sequence[SignedSponsorship], *, by: str) -> tuple[int, ...]:
        """Relays signed sponsorships (anyone); returns each one's status (0: recorded)."""
        statuses: list[int] = []
        for batch in _batches(items, MAX_SPONSORSHIPS_PER_CALL):
            result = self._send("council", "relay_sponsorships", [s.encode() for s in batch], by=by)
            statuses += [int(x) for x in result]
        return tuple(statuses)

    def sponsorship(self, motion_id: int) -> Sponsorship | None:
        """The motion's sponsorship round, or None when it needs no sponsors."""
        row = self._call("council", "sponsorship", motion_id)
        if int(row[2]) == 0:  # no deadline: the motion gathers no sponsors
            return None
        return Sponsorship(
            body=Body(int(row[0])),
            proposed_block=int(row[1]),
            deadline=int(row[2]),
            reached_at=int(row[3]),
            electorate=int(row[4]),
            threshold=int(row[5]),
            sponsors=int(row[6]),
        )

    def advance(self, motion_id: int, *, by: str) -> int:
        """Opens the motion's next stage (anyone); returns the stage id."""
        return int(self._send("motions", "advance", motion_id, by=by))

    def execute(self, motion_id: int, args: MotionArgs | None = None, *, by: str) -> None:
        """Executes a passed motion (anyone) with the arguments it was proposed with."""
        if args is None:
            if motion_id not in self._args:
                raise RuleViolation(
                    f"alliance: give the arguments of motion {motion_id} (not proposed here)",
                    "execute",
                )
            args = self._args[motion_id]
        self._send("motions", "execute", motion_id, args.encode(), by=by)

    def close(self, motion_id: int, *, by: str) -> None:
        """Records that a motion failed or lapsed (anyone; the keeper does it)."""
        self._send("motions", "close", motion_id, by=by)

    def motion_status(self, motion_id: int) -> MotionStatus:
        return MotionStatus(self._int("motions", "motion_status", motion_id))

    def motion_count(self) -> int:
        return self._int("motions", "motion_count")

    def motion(self, motion_id: int) -> Motion:
        """The motion with its rule, sponsorship, stages and status."""
        row = self._call("motions", "motion", motion_id)
        kind_number = int(row[0])
        if kind_number == 0:
            raise RuleViolation(f"motions: no such motion ({motion_id})", "motion")
        kind = MotionKind(kind_number)
        rule = self.rule(kind)
        stage_ids = [int(x) for x in (row[5], row[6]) if int(x) != 0]
        return Motion(
            motion_id=motion_id,
            kind=kind,
            proposer=_address(row[1]),
            args_hash=bytes(row[2]),
            created_block=int(row[3]),
            created_at=int(row[4]),
            notice_period=int(row[7]),
            execution_window=int(row[8]),
            status=self.motion_status(motion_id),
            rule=rule,
            sponsorship=self.sponsorship(motion_id) if rule.sponsor_body is not None else None,
            stages=tuple(self.stage(s) for s in stage_ids),
            args=self._args.get(motion_id),
        )

    def motions(self) -> Iterator[Motion]:
        for motion_id in range(1, self.motion_count() + 1):
            yield self.motion(motion_id)

    # stages and ballots (§4)

    def stage(self, stage_id: int) -> Stage:
        row = self._call("council", "stage", stage_id)
        return Stage(
            stage_id=stage_id,
            motion_id=int(row[0]),
            chamber=_chamber(row[1]),
            seq=int(row[2]),
            opened_block=int(row[3]),
            deadline=int(row[4]),
            passed_at=int(row[5]),
            electorate=int(row[6]),
            threshold=int(row[7]),
            votes_for=int(row[8]),
            votes_against=int(row[9]),
            votes_abstain=int(row[10]),
            status=StageStatus(self._int("council", "stage_status", stage_id)),
        )

    def stage_id(self, motion_id: int, stage: int) -> int:
        """The id of stage ``stage`` (1 or 2) of a motion."""
        known = self._stage_ids.get((motion_id, stage))
        if known is not None:  # an opened stage keeps its id
            return known
        row = self._call("motions", "motion", motion_id)
        if int(row[0]) == 0:
            raise RuleViolation(f"motions: no such motion ({motion_id})", "vote")
        if stage not in (1, 2):
            raise RuleViolation("alliance: a motion has stage 1 and, for some, stage 2", "vote")
        stage_id = int(row[4 + stage])
        if stage_id == 0:
            raise RuleViolation(
                f"alliance: stage {stage} of motion {motion_id} has not opened", "vote"
            )
        self._stage_ids[(motion_id, stage)] = stage_id
        return stage_id

    def stage_count(self, chamber: Chamber) -> int:
        """Stages opened so far in ``chamber`` (the latest has this sequence number)."""
        return self._int("council", "stage_count", int(chamber))

    def chamber_stage(self, chamber: Chamber, seq: int) -> Stage:
        """Stage number ``seq`` of ``chamber``."""
        return self.stage(seq * 2 + int(chamber))

    def vote(self, motion_id: int, stage: int, choice: Choice, *, by: str) -> None:
        """``by`` votes ``choice`` in stage ``stage`` (1 or 2) of a motion (own transaction)."""
        self._send("council", "vote", self.stage_id(motion_id, stage), int(choice), by=by)

    def has_voted(self, stage_id: int, member: str) -> bool:
        return bool(self._call("council", "has_voted", stage_id, member))

    def sign_ballot(
        self,
        signer: Signer,
        motion_id: int,
        stage: int,
        choice: Choice,
        *,
        expiry: int | None = None,
    ) -> SignedBallot:
        """A ballot signed off-chain (EIP-712) for anyone to relay, valid until ``expiry``
        (default: the stage's deadline)."""
        stage_id = self.stage_id(motion_id, stage)
        if expiry is None:
            expiry = self.stage(stage_id).deadline
        chain_id, council = self._eip712_domain()
        voter = _address(signer.address)
        typed = ballot_typed_data(
            chain_id=chain_id,
            verifying_contract=council,
            voter=voter,
            motion_id=motion_id,
            stage_id=stage_id,
            choice=choice,
            expiry=expiry,
        )
        sig = _sign_typed(signer, typed)
        return SignedBallot(
            voter, stage_id, Choice(choice), expiry, int(sig.v), _word(sig.r), _word(sig.s)
        )

    def relay(self, ballots: Sequence[SignedBallot], *, by: str) -> int:
        """Relays signed ballots in batches (anyone); bad ones are skipped by the council.
        Returns how many were recorded."""
        recorded = 0
        for batch in _batches(ballots, MAX_BALLOTS_PER_CALL):
            recorded += int(
                self._send("council", "cast_ballots", [b.encode() for b in batch], by=by)
            )
        return recorded

    def _eip712_domain(self) -> tuple[int, str]:
        if self._domain is None:
            domain = self._call("council", "eip712Domain")
            self._domain = (int(domain[3]), _address(domain[4]))
        return self._domain

    # attendance (§6)

    def misses_three(self, member: str, chamber: Chamber, first_seq: int) -> bool:
        """Whether ``member`` missed stages ``first_seq`` … ``first_seq + 2`` of ``chamber``
        (in all three electorates, no ballot, the third deadline past) while still seated:
        the proof ``forfeit`` accepts."""
        if first_seq < 1 or first_seq + 2 > self.stage_count(chamber):
            return False
        third = self.chamber_stage(chamber, first_seq + 2)
        if third.deadline >= self.now():
            return False
        who = self.member(member)
        first = self.chamber_stage(chamber, first_seq)
        if not who.seated(chamber) or who.since(chamber) >= first.opened_block:
            return False
        return not any(self.has_voted((first_seq + k) * 2 + int(chamber), member) for k in range(3))

    def forfeitures_due(
        self,
        chamber: Chamber,
        members: Sequence[Member],
        *,
        after: int = 0,
        now: int | None = None,
    ) -> tuple[list[tuple[str, int]], int]:
        """The forfeitures ``forfeit`` accepts now (§6) among ``members`` (as :meth:`member`
        read them; those not seated in ``chamber`` are ignored) for three consecutive misses
        whose third stage is one of the stages of ``chamber`` decided since stage ``after``
        (its deadline passed). Returns ((member, first_seq), …) — at most one per member, in
        order of the third stage, then of ``members`` — and the last stage of the chamber
        whose deadline has passed: the next call's ``after`` (a keeper's checkpoint)."""
        now = self.now() if now is None else now
        count = self.stage_count(chamber)
        stages: dict[int, Stage] = {}

        def stage(seq: int) -> Stage:
            if seq not in stages:
                stages[seq] = self.chamber_stage(chamber, seq)
            return stages[seq]

        decided = after
        while decided < count and stage(decided + 1).deadline < now:
            decided += 1  # deadlines never decrease in a chamber: the rest are open too
        voted: dict[tuple[int, str], bool] = {}

        def missed(seq: int, account: str) -> bool:
            if (seq, account) not in voted:
                voted[(seq, account)] = self.has_voted(stage(seq).stage_id, account)
            return not voted[(seq, account)]

        due: list[tuple[str, int]] = []
        found: set[str] = set()
        for third in range(max(3, after + 1), decided + 1):
            first = third - 2
            for m in members:
                if m.address in found or not m.seated(chamber):
                    continue
                if m.since(chamber) >= stage(first).opened_block:
                    continue  # not in the first stage's electorate (nor, then, the others')
                if all(missed(seq, m.address) for seq in (third, third - 1, first)):
                    due.append((m.address, first))
                    found.add(m.address)
        return due, decided

    def forfeit(self, member: str, chamber: Chamber, first_seq: int, *, by: str) -> None:
        """Records a forfeiture for three consecutive misses (anyone, §6); the ban starts and
        the seat is refilled from the queue in the same transaction."""
        self._send("council", "forfeit", member, int(chamber), first_seq, by=by)

    # the token (§2)

    def supply(self) -> Supply:
        """Issued (genesis, matched), burned and total supply, base units."""
        return Supply(
            issued_genesis=self._int("token", "issued_genesis"),
            issued_matched=self._int("token", "issued_matched"),
            burned=self._int("token", "burned_total"),
            total_supply=self._int("token", "totalSupply"),
        )

    def balance(self, account: str) -> int:
        """KOL held by ``account``, base units."""
        return self._int("token", "balanceOf", account)

    def transfer(self, to: str, amount: int, *, by: str) -> None:
        """Sends KOL (a distribution pool cannot receive it)."""
        self._send("token", "transfer", to, amount, by=by)

    def approve_kol(self, spender: str, amount: int, *, by: str) -> None:
        self._send("token", "approve", spender, amount, by=by)

    # USDT (§7: the deployment names it; a test USDT on dev chains)

    def usdt_balance(self, account: str) -> int:
        return self._int("usdt", "balanceOf", account)

    def approve_usdt(self, spender: str, amount: int, *, by: str) -> None:
        """USDT's ``approve`` (from a non-zero allowance it must go through 0 first)."""
        if amount and self._int("usdt", "allowance", by, spender):
            self._send("usdt", "approve", spender, 0, by=by)
        self._send("usdt", "approve", spender, amount, by=by)

    def mint_test_usdt(self, to: str, amount: int, *, by: str) -> None:
        """Dev chains only: the test USDT mints to anyone."""
        self._send("usdt", "mint", to, amount, by=by)

    # tasks and fees (§7)

    def treasury_address(self) -> str:
        address = self.backend.address("treasury")
        if address is None:
            raise RuleViolation("alliance: the treasury is not deployed", "treasury")
        return address

    def request_task(self, kind: TaskKind, metadata_hash: bytes, fee: int, *, by: str) -> int:
        """A client requests a task and escrows its whole fee (USDT, or KOL in circulation
        mode; approve the treasury first). Returns the task id."""
        self._send("treasury", "request_task", int(kind), metadata_hash, fee, by=by)
        return self._int("treasury", "task_count")

    def refund_task(self, task_id: int, *, by: str) -> None:
        """Returns a task's fee to its client (its approval failed or lapsed, or none was
        proposed within the execution window)."""
        self._send("treasury", "refund_task", task_id, by=by)

    def task(self, task_id: int) -> Task:
        t = self._call("treasury", "task", task_id)
        return Task(
            task_id=task_id,
            client=_address(t[0]),
            kind=TaskKind(int(t[1])) if int(t[1]) else TaskKind.OTHER,
            currency=Currency(int(t[2])),
            state=TaskState(int(t[3])),
            requested_at=int(t[4]),
            motion_id=int(t[5]),
            fee=int(t[6]),
        )

    def task_count(self) -> int:
        return self._int("treasury", "task_count")

    def circulation_mode(self) -> bool:
        """The matched bucket is exhausted: tasks are paid in KOL (§7)."""
        return bool(self._call("treasury", "circulation_mode"))

    def issuance_complete(self) -> bool:
        """Matched bucket exhausted and genesis programme closed (§9)."""
        return bool(self._call("treasury", "issuance_complete"))

    # batches and claims (§7)

    def batch_count(self) -> int:
        return self._int("token", "batch_count")

    def batch(self, batch_id: int) -> Batch:
        root, user_pool, leader_pool, user_left, leader_left = self._call(
            "token", "batch", batch_id
        )
        return Batch(
            batch_id,
            bytes(root),
            _address(user_pool),
            _address(leader_pool),
            int(user_left),
            int(leader_left),
        )

    def is_claimed(self, batch_id: int, index: int) -> bool:
        return bool(self._call("token", "is_claimed", batch_id, index))

    def claim(self, batch_id: int, allocation: Allocation, index: int, *, by: str) -> int:
        """Pays leaf ``index`` of a batch to its account (anyone may send it)."""
        leaf = allocation.leaves[index]
        proof = list(allocation.tree().get_proof(leaf.value()))
        self._send(
            "token",
            "claim",
            batch_id,
            leaf.index,
            leaf.account,
            int(leaf.role),
            leaf.amount,
            proof,
            by=by,
        )
        return int(leaf.amount)

    def deliver(
        self, batch_id: int, allocation: Allocation, indices: Sequence[int], *, by: str
    ) -> int:
        """Pays many leaves in one transaction (one multiproof); already claimed leaves are
        skipped. Returns how many were paid."""
        tree = allocation.tree()
        multi = tree.get_multi_proof([allocation.leaves[i].value() for i in indices])
        before = sum(1 for i in indices if self.is_claimed(batch_id, allocation.leaves[i].index))
        self._send(
            "token",
            "deliver",
            batch_id,
            [tuple(v) for v in multi.leaves],
            list(multi.proof),
            list(multi.proof_flags),
            by=by,
        )
        return len(set(indices)) - before

    # genesis (§8)

    def genesis(self) -> GenesisState:
        return GenesisState(
            start=self._int("treasury", "genesis_start"),
            month=self._int("treasury", "genesis_month"),
            cum_paid=self._int("treasury", "genesis_paid"),
            cum_forfeited=self._int("treasury", "genesis_forfeited"),
            closed=bool(self._call("treasury", "genesis_closed")),
        )

    def genesis_month_of(self, root: bytes) -> tuple[int, int]:
        """The month a genesis root released and the block of its release ((0, 0): none)."""
        month, block = self._call("token", "genesis_month", root)
        return int(month), int(block)

    def genesis_claimed(self, leader: str) -> int:
        return self._int("token", "genesis_claimed", leader)

    def claim_genesis(self, schedule: GenesisSchedule, month: int, leader: str, *, by: str) -> int:
        """Pays a leader what month ``month``'s list (the latest released) entitles it to
        beyond what it has claimed. Returns the KOL paid."""
        e = schedule.entitlement(month, leader)
        tree = schedule.month_tree(month)
        released, block = self._call("token", "genesis_month", tree.root)
        if not int(released):
            raise RuleViolation("genesis: this month's list was never released", "claim_genesis")
        before = self.balance(e.leader)
        proof = list(tree.get_proof(e.value()))
        self._send(
            "token",
            "claim_genesis",
            tree.root,
            int(released),
            int(block),
            e.leader,
            e.cum_paid,
            e.cum_forfeited,
            proof,
            by=by,
        )
        return self.balance(e.leader) - before

    # the foundation's books (§5, §9)

    def spend(self, to: str, amount: int, memo_hash: bytes, *, by: str) -> None:
        """The foundation spends approved USDT revenue, recorded with a memo hash."""
        self._send("treasury", "spend", to, amount, memo_hash, by=by)

    def buyback_burn(self, kol: int, usdt_spent: int, reference: bytes, *, by: str) -> None:
        """The foundation burns bought-back KOL in public (approve the treasury first)."""
        self._send("treasury", "buyback_burn", kol, usdt_spent, reference, by=by)

    def statement_count(self) -> int:
        return self._int("treasury", "statement_count")

    def audit_count(self) -> int:
        return self._int("treasury", "audit_count")

    def audit(self, demand_id: int) -> AuditDemand:
        d = self._call("treasury", "audit_demands", demand_id)
        return AuditDemand(
            demand_id=demand_id,
            period_start=int(d[0]),
            period_end=int(d[1]),
            due=int(d[2]),
            motion_id=int(d[3]),
            answered_at=int(d[4]),
            overdue=bool(self._call("treasury", "audit_overdue", demand_id)),
        )

    def answer_audit(self, demand_id: int, report_hash: bytes, report_uri: str, *, by: str) -> None:
        self._send("treasury", "answer_audit", demand_id, report_hash, report_uri, by=by)

    # reads for the command line: events, attendance, allowances, batch totals

    def _events(self, contract: ContractName, event: str, **indexed: Any) -> list[dict[str, Any]]:
        """The contract's events, or nothing when the backend keeps no logs."""
        if not isinstance(self.backend, EventSource):
            return []
        return self.backend.events(contract, event, **indexed)

    def community_names(self) -> dict[str, str]:
        """Every community's name as the council logged it (nominations, registrations), by
        address; the latest name wins. Without event logs: the names this SDK saw."""
        for event, field_name in (("Nominated", "member"), ("CandidateRegistered", "candidate")):
            for entry in self._events("council", event):
                self.names[_address(entry[field_name])] = str(entry["name"])
        return dict(self.names)

    def proposed_args(self, motion_id: int) -> MotionArgs | None:
        """The arguments a motion was proposed with: known here, or read from its
        ``MotionProposed`` event and checked against the stored ``args_hash``."""
        if motion_id in self._args:
            return self._args[motion_id]
        for entry in self._events("motions", "MotionProposed", motion_id=motion_id):
            raw = entry["args"]
            args = MotionArgs(
                tuple(_address(a) for a in raw["accounts"]),
                tuple(int(n) for n in raw["numbers"]),
                tuple(bytes(h) for h in raw["hashes"]),
                str(raw["text"]),
            )
            if args.hash() == bytes(entry["args_hash"]):
                self._args[motion_id] = args
                return args
        return None

    def batch_issue(self, batch_id: int) -> BatchIssue | None:
        """The ``BatchIssued`` event of a batch, or None (no such batch, or no event logs)."""
        for entry in self._events("treasury", "BatchIssued", batch_id=batch_id):
            return BatchIssue(
                batch_id=batch_id,
                motion_id=int(entry["motion_id"]),
                currency=Currency(int(entry["currency"])),
                total=int(entry["total"]),
                user_total=int(entry["user_total"]),
                leader_total=int(entry["leader_total"]),
                root=bytes(entry["root"]),
                content_hash=bytes(entry["content_hash"]),
                uri=str(entry["uri"]),
            )
        return None

    def batch_total(self, task_ids: Sequence[int]) -> int:
        """The KOL a batch of these tasks carries (§7), as the treasury computes it: Σ fees ×
        ``kol_per_usdt`` capped by the matched bucket's room (USDT tasks), or Σ fees (KOL
        tasks, circulation mode)."""
        if not task_ids:
            raise RuleViolation("alliance: a batch names at least one task", "batch_total")
        tasks = [self.task(task_id) for task_id in task_ids]
        if len({t.currency for t in tasks}) != 1:
            raise RuleViolation(
                "treasury: a batch names tasks paid in one currency (USDT, or KOL in "
                "circulation mode)",
                "batch_total",
            )
        fees = sum(t.fee for t in tasks)
        if tasks[0].currency == Currency.KOL:
            return fees
        room = MATCHED_CAP - self.supply().issued_matched
        return min(fees * self.parameters().kol_per_usdt, room)

    def claim_genesis_list(
        self, tree: StandardMerkleTree, leader: str, *, by: str
    ) -> tuple[int, int]:
        """Pays a leader what a released month's published list (its Merkle tree) entitles it
        to beyond what it has claimed. Returns (the list's month, KOL paid)."""
        account = _address(leader)
        value = next((v for v in tree.values if _address(v[0]) == account), None)
        if value is None:
            raise RuleViolation(f"genesis: {account} is not in this month's list", "claim_genesis")
        released, block = self._call("token", "genesis_month", tree.root)
        if not int(released):
            raise RuleViolation("genesis: this month's list was never released", "claim_genesis")
        before = self.balance(account)
        proof = list(tree.get_proof(value))
        self._send(
            "token",
            "claim_genesis",
            tree.root,
            int(released),
            int(block),
            account,
            int(value[1]),
            int(value[2]),
            proof,
            by=by,
        )
        return int(released), self.balance(account) - before

    def allowance(self, token: Literal["token", "usdt"], owner: str, spender: str) -> int:
        """What ``spender`` may still take from ``owner`` (KOL or USDT), base units."""
        return self._int(token, "allowance", owner, spender)

    def attendance(
        self, chamber: Chamber, members: Sequence[Member] | None = None
    ) -> list[Attendance]:
        """Every member seated in ``chamber``: its consecutive misses up to the latest stage
        whose deadline passed, and three consecutive misses that ``forfeit`` accepts (§6).
        ``members``: :meth:`members` read already (they are many calls)."""
        now = self.now()
        decided: list[Stage] = []
        for seq in range(1, self.stage_count(chamber) + 1):
            stage = self.chamber_stage(chamber, seq)
            if stage.deadline >= now:
                break  # deadlines never decrease in a chamber: the rest are open too
            decided.append(stage)
        records: list[Attendance] = []
        seated = [m for m in (self.members() if members is None else members) if m.seated(chamber)]
        for member in seated:
            misses, forfeit_from = 0, None
            for stage in decided:
                if member.since(chamber) >= stage.opened_block:
                    continue  # seated after the stage opened: not in its electorate
                if self.has_voted(stage.stage_id, member.address):
                    misses = 0
                    continue
                misses += 1
                if misses >= 3 and forfeit_from is None:
                    forfeit_from = stage.seq - 2
            records.append(Attendance(member.address, chamber, misses, forfeit_from))
        return records


def _word(value: int) -> bytes:
    return int(value).to_bytes(32, "big")


def _batches(items: Sequence[_T], size: int) -> Iterable[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
