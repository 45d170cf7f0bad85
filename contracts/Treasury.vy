# pragma version ~=0.4.3
# pragma evm-version prague
"""
@title The KOL Community Alliance treasury (the foundation's contract)
@custom:contract-name Treasury
@license GNU Affero General Public License v3.0 only
@notice The economy module of the constitution (§7–§9) and the only
        issuer of the KOL token. This first part holds client tasks and
        their escrowed fees (module `tasks`), the foundation's recorded
        spending, financial statements and audit demands (§5
        PUBLISH_STATEMENT, DEMAND_AUDIT) and the public buyback burn (§9).
        Matched and genesis issuance are not in this contract yet: their
        motions are refused with a message saying so (see
        docs/design/economy.md).
        Economy motions reach it only from the motions engine, through
        `on_propose` and `on_execute` (IEconomy).
"""

from ethereum.ercs import IERC20
from .modules import tasks
from .interfaces import ICouncil
from .interfaces import IEconomy

implements: IEconomy

initializes: tasks

exports: (
    tasks.task_count,
    tasks.escrowed,
    tasks.approved,
)


interface IMotions:
    def motion_status(motion_id: uint256) -> uint8: view
    def economy() -> address: view


interface IKOLToken:
    def issuer() -> address: view
    def issued_matched() -> uint256: view
    def burn(amount: uint256): nonpayable


# CONSTANTS #

APPROVE_TASK: constant(uint8) = 2
ISSUE_MATCHED_BATCH: constant(uint8) = 6
GENESIS_RELEASE: constant(uint8) = 7
PUBLISH_STATEMENT: constant(uint8) = 8
DEMAND_AUDIT: constant(uint8) = 9
SET_PARAMETERS: constant(uint8) = 12

# @dev Motion statuses read from the engine.
FAILED: constant(uint8) = 5
LAPSED: constant(uint8) = 6

MATCHED_CAP: constant(uint256) = 16_000_000 * 10**18


# STRUCTS #

struct Statement:
    period_start: uint256
    period_end: uint256
    content_hash: bytes32
    uri: String[256]
    motion_id: uint256


struct AuditDemand:
    period_start: uint256
    period_end: uint256
    due: uint256
    motion_id: uint256
    answered_at: uint256
    report_hash: bytes32
    report_uri: String[256]


# EVENTS #

event Spent:
    to: indexed(address)
    amount: uint256
    memo_hash: bytes32
    revenue_left: uint256


event StatementPublished:
    statement_id: indexed(uint256)
    motion_id: indexed(uint256)
    period_start: uint256
    period_end: uint256
    content_hash: bytes32
    uri: String[256]


event BuybackBurned:
    burn_id: indexed(uint256)
    kol_amount: uint256
    usdt_spent: uint256
    reference: bytes32


event AuditDemanded:
    demand_id: indexed(uint256)
    motion_id: indexed(uint256)
    period_start: uint256
    period_end: uint256
    due: uint256


event AuditAnswered:
    demand_id: indexed(uint256)
    report_hash: bytes32
    report_uri: String[256]
    overdue: bool


# STORAGE #

# @dev The KOL token (this contract is its issuer).
token: public(immutable(address))
# @dev The USDT token clients pay with.
usdt: public(immutable(address))
# @dev The council (parameters: foundation, audit_due, kol_per_usdt).
council: public(immutable(ICouncil))
# @dev The motions engine: the only caller of `on_propose` / `on_execute`.
motions: public(immutable(address))
# @dev Published statements (ids start at 1).
statements: public(HashMap[uint256, Statement])
statement_count: public(uint256)
# @dev Audit demands (ids start at 1).
audit_demands: public(HashMap[uint256, AuditDemand])
audit_count: public(uint256)
# @dev USDT spent by the foundation from approved fees.
spent_usdt: public(uint256)
# @dev Buyback burns recorded so far.
burn_count: public(uint256)
# @dev True once the genesis programme is closed (§8); set by the genesis
# issuance part of this contract, which is not in it yet.
genesis_closed: public(bool)


@deploy
def __init__(token_: address, usdt_: address, council_: address, motions_: address):
    """
    @dev Wires the treasury; the token and the engine were deployed naming
         this contract's precomputed address.
    """
    assert staticcall IKOLToken(token_).issuer() == self, "treasury: the token names another issuer"
    assert staticcall IMotions(motions_).economy() == self, "treasury: the motions engine names another economy module"
    assert usdt_ != empty(address), "treasury: USDT is the zero address"
    token = token_
    usdt = usdt_
    council = ICouncil(council_)
    motions = motions_


# TASKS (§7) #

@external
def request_task(kind: uint8, metadata_hash: bytes32, fee: uint256) -> uint256:
    """
    @dev A client requests a service task and escrows its whole fee now:
         in USDT (6 decimals) while the matched bucket has room, in KOL once
         it is exhausted (circulation mode). Approve this contract first.
    @param kind 1 poster call, 2 exchange registration, 3 candy airdrop,
           4 roadshow, 5 conference, 6 other.
    @param metadata_hash Hash of the published task description.
    @param fee The fee in base units of the currency.
    @return uint256 The task id.
    """
    if self._circulation():
        return tasks._request(msg.sender, kind, metadata_hash, fee, tasks.KOL, token)
    return tasks._request(msg.sender, kind, metadata_hash, fee, tasks.USDT, usdt)


@external
def refund_task(task_id: uint256):
    """
    @dev Returns a task's fee to its client when the motion to approve it
         failed or lapsed, or when none was proposed within the execution
         window after the request. Anyone may call it; the fee goes to the
         client.
    @param task_id The task.
    """
    t: tasks.Task = tasks._task(task_id)
    assert t.state == tasks.REQUESTED, "tasks: only a task awaiting approval can be refunded"
    if t.motion_id == 0:
        assert block.timestamp > t.requested_at + staticcall council.execution_window(), "tasks: no approval motion yet; refundable once the execution window after the request has passed"
    else:
        status: uint8 = staticcall IMotions(motions).motion_status(t.motion_id)
        assert status == FAILED or status == LAPSED, "tasks: the approval motion has not failed or lapsed"
    tasks._set_state(task_id, tasks.REFUNDED)
    tasks.escrowed[t.currency] -= t.fee
    if t.currency == tasks.KOL:
        tasks._push(token, t.client, t.fee)
    else:
        tasks._push(usdt, t.client, t.fee)
    log tasks.TaskRefunded(task_id=task_id, client=t.client, currency=t.currency, fee=t.fee)


@external
@view
def task(task_id: uint256) -> tasks.Task:
    """
    @dev Returns a task.
    """
    return tasks._task(task_id)


@external
@view
def circulation_mode() -> bool:
    """
    @dev True once the matched bucket is exhausted: fees are paid in KOL (§7).
    """
    return self._circulation()


# BUYBACK AND BURN (§9) #

@external
def buyback_burn(kol_amount: uint256, usdt_spent: uint256, reference: bytes32):
    """
    @dev The foundation hands over KOL it bought back on the market and it
         is burned in public, with the USDT it cost and a reference
         (exchange, transaction). Approve this contract for `kol_amount`
         first. Refused once issuance is complete: from then on the supply
         never changes (§9, §11.8).
    @param kol_amount KOL burned, in base units.
    @param usdt_spent USDT paid for it, in base units.
    @param reference Hash of the trade's reference.
    """
    assert msg.sender == staticcall council.foundation(), "treasury: only the foundation burns bought-back KOL"
    assert not self._issuance_complete(), "treasury: issuance is complete; the supply no longer changes (no buyback, no burn)"
    assert kol_amount != 0, "treasury: nothing to burn"
    tasks._pull(token, msg.sender, kol_amount)
    extcall IKOLToken(token).burn(kol_amount)
    burn_id: uint256 = self.burn_count + 1
    self.burn_count = burn_id
    log BuybackBurned(burn_id=burn_id, kol_amount=kol_amount, usdt_spent=usdt_spent, reference=reference)


@external
@view
def issuance_complete() -> bool:
    """
    @dev The matched bucket is exhausted and the genesis programme closed (§9).
    """
    return self._issuance_complete()


# FOUNDATION BOOKS (§5, §9) #

@external
def spend(to: address, amount: uint256, memo_hash: bytes32):
    """
    @dev The foundation spends approved USDT revenue; every payment is
         recorded on-chain with a memo hash.
    """
    assert msg.sender == staticcall council.foundation(), "treasury: only the foundation spends"
    assert to != empty(address), "treasury: cannot pay the zero address"
    left: uint256 = tasks.approved[tasks.USDT] - self.spent_usdt
    assert amount != 0 and amount <= left, "treasury: the amount exceeds the foundation's approved USDT revenue"
    self.spent_usdt += amount
    tasks._push(usdt, to, amount)
    log Spent(to=to, amount=amount, memo_hash=memo_hash, revenue_left=left - amount)


@external
def answer_audit(demand_id: uint256, report_hash: bytes32, report_uri: String[256]):
    """
    @dev The foundation answers an audit demand with its report; an answer
         after the due date is recorded as overdue.
    """
    assert msg.sender == staticcall council.foundation(), "treasury: only the foundation answers audits"
    assert demand_id != 0 and demand_id <= self.audit_count, "treasury: no such audit demand"
    assert self.audit_demands[demand_id].answered_at == 0, "treasury: this audit demand is already answered"
    assert report_hash != empty(bytes32) and len(report_uri) != 0, "treasury: an audit report needs a hash and a URI"
    overdue: bool = block.timestamp > self.audit_demands[demand_id].due
    self.audit_demands[demand_id].answered_at = block.timestamp
    self.audit_demands[demand_id].report_hash = report_hash
    self.audit_demands[demand_id].report_uri = report_uri
    log AuditAnswered(demand_id=demand_id, report_hash=report_hash, report_uri=report_uri, overdue=overdue)


@external
@view
def audit_overdue(demand_id: uint256) -> bool:
    """
    @dev Whether an audit demand is past its due date without an answer.
    """
    d: AuditDemand = self.audit_demands[demand_id]
    return d.due != 0 and d.answered_at == 0 and block.timestamp > d.due


# MOTION HOOKS (IEconomy) #

@external
def on_propose(
    kind: uint8,
    motion_id: uint256,
    proposer: address,
    accounts: DynArray[address, 32],
    numbers: DynArray[uint256, 64],
    hashes: DynArray[bytes32, 4],
    text: String[256],
):
    """
    @dev Validates an economy motion when it is proposed and records what
         it refers to.
    """
    assert msg.sender == motions, "treasury: only the motions engine"
    self._validate(kind, accounts, numbers, hashes, text)
    if kind == APPROVE_TASK:
        tasks._link_motion(numbers[0], motion_id)


@external
def on_execute(
    kind: uint8,
    motion_id: uint256,
    accounts: DynArray[address, 32],
    numbers: DynArray[uint256, 64],
    hashes: DynArray[bytes32, 4],
    text: String[256],
):
    """
    @dev Validates an economy motion again and applies it.
    """
    assert msg.sender == motions, "treasury: only the motions engine"
    self._validate(kind, accounts, numbers, hashes, text)
    if kind == APPROVE_TASK:
        tasks._approve(numbers[0], motion_id)
    elif kind == PUBLISH_STATEMENT:
        statement_id: uint256 = self.statement_count + 1
        self.statement_count = statement_id
        self.statements[statement_id] = Statement(
            period_start=numbers[0], period_end=numbers[1], content_hash=hashes[0], uri=text, motion_id=motion_id
        )
        log StatementPublished(
            statement_id=statement_id,
            motion_id=motion_id,
            period_start=numbers[0],
            period_end=numbers[1],
            content_hash=hashes[0],
            uri=text,
        )
    elif kind == DEMAND_AUDIT:
        demand_id: uint256 = self.audit_count + 1
        self.audit_count = demand_id
        due: uint256 = block.timestamp + staticcall council.audit_due()
        self.audit_demands[demand_id] = AuditDemand(
            period_start=numbers[0],
            period_end=numbers[1],
            due=due,
            motion_id=motion_id,
            answered_at=0,
            report_hash=empty(bytes32),
            report_uri="",
        )
        log AuditDemanded(demand_id=demand_id, motion_id=motion_id, period_start=numbers[0], period_end=numbers[1], due=due)


# INTERNAL #

@internal
@view
def _issuance_complete() -> bool:
    return self.genesis_closed and self._circulation()


@internal
@view
def _circulation() -> bool:
    return staticcall IKOLToken(token).issued_matched() >= MATCHED_CAP


@internal
@view
def _validate(
    kind: uint8,
    accounts: DynArray[address, 32],
    numbers: DynArray[uint256, 64],
    hashes: DynArray[bytes32, 4],
    text: String[256],
):
    """
    @dev The arguments of each economy motion (§5).
    """
    if kind == APPROVE_TASK:
        assert len(numbers) == 1 and len(accounts) == 0 and len(hashes) == 0 and len(text) == 0, "treasury: APPROVE_TASK takes one number: the task id"
        tasks._check_approvable(numbers[0])
    elif kind == PUBLISH_STATEMENT:
        assert len(numbers) == 2 and len(hashes) == 1 and len(accounts) == 0, "treasury: PUBLISH_STATEMENT takes the period (start, end), the content hash and the URI"
        assert numbers[0] < numbers[1], "treasury: a statement's period must start before it ends"
        assert hashes[0] != empty(bytes32) and len(text) != 0, "treasury: a statement needs a content hash and a URI"
    elif kind == DEMAND_AUDIT:
        assert len(numbers) == 2 and len(hashes) == 0 and len(accounts) == 0, "treasury: DEMAND_AUDIT takes the period to audit (start, end) and an optional scope text"
        assert numbers[0] < numbers[1], "treasury: an audit period must start before it ends"
    else:
        raise "treasury: matched and genesis issuance are not in this treasury yet"
