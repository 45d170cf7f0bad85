# pragma version ~=0.4.3
# pragma evm-version prague
"""
@title The KOL Community Alliance treasury (the foundation's contract)
@custom:contract-name Treasury
@license GNU Affero General Public License v3.0 only
@notice The economy module of the constitution (§7–§9) and the only
        issuer of the KOL token. It holds client tasks and their escrowed
        fees (module `tasks`), decides matched batches (§7) and genesis
        months (§8) — the token mints them into its distribution pools,
        from which recipients claim — and keeps the foundation's books:
        recorded spending, financial statements, audit demands (§5
        PUBLISH_STATEMENT, DEMAND_AUDIT) and the public buyback burn (§9).
        Economy motions reach it only from the motions engine, through
        `on_propose` (validate, link) and `on_execute` (validate again,
        apply) of IEconomy.
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
    tasks.matched,
)


interface IMotions:
    def motion_status(motion_id: uint256) -> uint8: view
    def economy() -> address: view


interface IKOLToken:
    def issuer() -> address: view
    def issued_matched() -> uint256: view
    def burn(amount: uint256): nonpayable
    def open_batch(root: bytes32, user_total: uint256, leader_total: uint256, minted: bool) -> uint256: nonpayable
    def release_genesis(root: bytes32, month: uint256, amount: uint256): nonpayable


# CONSTANTS #

APPROVE_TASK: constant(uint8) = 2
ISSUE_MATCHED_BATCH: constant(uint8) = 6
GENESIS_RELEASE: constant(uint8) = 7
PUBLISH_STATEMENT: constant(uint8) = 8
DEMAND_AUDIT: constant(uint8) = 9
SET_PARAMETERS: constant(uint8) = 12

# @dev Motion statuses read from the engine.
EXECUTED: constant(uint8) = 4
FAILED: constant(uint8) = 5
LAPSED: constant(uint8) = 6

MATCHED_CAP: constant(uint256) = 16_000_000 * 10**18
GENESIS_CAP: constant(uint256) = 5_000_000 * 10**18

# @dev Genesis programme (§8, fixed constitution).
TRANCHE: constant(uint256) = 1_000 * 10**18
TRANCHES: constant(uint256) = 10
MONTH: constant(uint256) = 30 * 86_400

# @dev Arguments of ISSUE_MATCHED_BATCH: numbers = [total, user part,
# leader part, task ids in increasing order…].
BATCH_FIXED_NUMBERS: constant(uint256) = 3


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


event BatchIssued:
    batch_id: indexed(uint256)
    motion_id: indexed(uint256)
    currency: uint8
    total: uint256
    user_total: uint256
    leader_total: uint256
    root: bytes32
    content_hash: bytes32
    uri: String[256]


event GenesisReleased:
    month: indexed(uint256)
    motion_id: indexed(uint256)
    root: bytes32
    content_hash: bytes32
    uri: String[256]
    cum_paid: uint256
    cum_forfeited: uint256
    released: uint256


event GenesisClosed:
    month: uint256
    cum_paid: uint256
    cum_forfeited: uint256


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
# @dev Genesis programme (§8): the start of month 1, the last month
# released, the cumulative KOL paid and forfeited over all leaders, and
# whether the programme is closed (fully released, or closed by
# SET_PARAMETERS after its tenth month).
genesis_start: public(immutable(uint256))
genesis_month: public(uint256)
genesis_paid: public(uint256)
genesis_forfeited: public(uint256)
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
    genesis_start = block.timestamp


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
    self._validate(kind, accounts, numbers, hashes, text, False)
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
    self._validate(kind, accounts, numbers, hashes, text, True)
    if kind == APPROVE_TASK:
        tasks._approve(numbers[0], motion_id)
    elif kind == ISSUE_MATCHED_BATCH:
        self._issue_batch(motion_id, numbers, hashes, text)
    elif kind == GENESIS_RELEASE:
        self._release_genesis(motion_id, numbers, hashes, text)
    elif kind == SET_PARAMETERS:
        # The economy sees SET_PARAMETERS only when it closes the genesis
        # programme (parameter id 10).
        self._close_genesis()
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


# ISSUANCE (§7, §8) #

@internal
def _issue_batch(motion_id: uint256, numbers: DynArray[uint256, 64], hashes: DynArray[bytes32, 4], uri: String[256]):
    """
    @dev Opens the batch in the token (minted from the matched bucket, or
         the escrowed KOL of circulation-mode tasks) and marks its tasks.
    """
    currency: uint8 = tasks._task(numbers[BATCH_FIXED_NUMBERS]).currency
    batch_id: uint256 = extcall IKOLToken(token).open_batch(hashes[0], numbers[1], numbers[2], currency == tasks.USDT)
    for i: uint256 in range(BATCH_FIXED_NUMBERS, 64):
        if i >= len(numbers):
            break
        tasks._match(numbers[i], batch_id)
    log BatchIssued(
        batch_id=batch_id,
        motion_id=motion_id,
        currency=currency,
        total=numbers[0],
        user_total=numbers[1],
        leader_total=numbers[2],
        root=hashes[0],
        content_hash=hashes[1],
        uri=uri,
    )


@internal
def _release_genesis(motion_id: uint256, numbers: DynArray[uint256, 64], hashes: DynArray[bytes32, 4], uri: String[256]):
    """
    @dev Records month m's cumulative totals and has the token mint what it
         newly pays; the programme closes once 5,000,000 KOL are paid or
         forfeited.
    """
    month: uint256 = numbers[0]
    released: uint256 = numbers[1] - self.genesis_paid
    self.genesis_month = month
    self.genesis_paid = numbers[1]
    self.genesis_forfeited = numbers[2]
    extcall IKOLToken(token).release_genesis(hashes[0], month, released)
    log GenesisReleased(
        month=month,
        motion_id=motion_id,
        root=hashes[0],
        content_hash=hashes[1],
        uri=uri,
        cum_paid=numbers[1],
        cum_forfeited=numbers[2],
        released=released,
    )
    if numbers[1] + numbers[2] == GENESIS_CAP:
        self._close_genesis()


@internal
def _close_genesis():
    self.genesis_closed = True
    log GenesisClosed(month=self.genesis_month, cum_paid=self.genesis_paid, cum_forfeited=self.genesis_forfeited)


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
    executing: bool,
):
    """
    @dev The arguments of each economy motion (§5, §7, §8), checked when it
         is proposed and again when it is executed (`executing`).
    """
    if kind == APPROVE_TASK:
        assert len(numbers) == 1 and len(accounts) == 0 and len(hashes) == 0 and len(text) == 0, "treasury: APPROVE_TASK takes one number: the task id"
        tasks._check_approvable(numbers[0])
        if not executing:
            # One approval motion at a time: a second one could fail while the
            # first passed, and the failed one would make the fee refundable.
            linked: uint256 = tasks._task(numbers[0]).motion_id
            if linked != 0:
                status: uint8 = staticcall IMotions(motions).motion_status(linked)
                assert status == FAILED or status == LAPSED or status == EXECUTED, "tasks: an approval motion for this task is still open"
    elif kind == ISSUE_MATCHED_BATCH:
        self._check_batch(accounts, numbers, hashes, text)
    elif kind == GENESIS_RELEASE:
        self._check_genesis_month(accounts, numbers, hashes, text, executing)
    elif kind == SET_PARAMETERS:
        assert not self.genesis_closed, "genesis: the programme is already closed"
        if executing:
            assert self.genesis_month >= TRANCHES, "genesis: the programme can be closed only after its tenth month is released"
    elif kind == PUBLISH_STATEMENT:
        assert len(numbers) == 2 and len(hashes) == 1 and len(accounts) == 0, "treasury: PUBLISH_STATEMENT takes the period (start, end), the content hash and the URI"
        assert numbers[0] < numbers[1], "treasury: a statement's period must start before it ends"
        assert hashes[0] != empty(bytes32) and len(text) != 0, "treasury: a statement needs a content hash and a URI"
    elif kind == DEMAND_AUDIT:
        assert len(numbers) == 2 and len(hashes) == 0 and len(accounts) == 0, "treasury: DEMAND_AUDIT takes the period to audit (start, end) and an optional scope text"
        assert numbers[0] < numbers[1], "treasury: an audit period must start before it ends"
    else:
        raise "treasury: not an economy motion"


@internal
@view
def _check_batch(accounts: DynArray[address, 32], numbers: DynArray[uint256, 64], hashes: DynArray[bytes32, 4], text: String[256]):
    """
    @dev ISSUE_MATCHED_BATCH (§7): numbers = [total, user part, leader part,
         task ids in increasing order…], hashes = [list root, list content
         hash], text = the list's URI. The total is exactly Σ fees ×
         kol_per_usdt of the named tasks, capped by the matched bucket's
         remaining capacity (USDT tasks), or Σ fees (KOL tasks, circulation
         mode: escrowed KOL is distributed, nothing minted).
    """
    assert len(numbers) > BATCH_FIXED_NUMBERS and len(hashes) == 2 and len(accounts) == 0 and len(text) != 0, "treasury: ISSUE_MATCHED_BATCH takes (total, user part, leader part, task ids...), the list's root and content hash, and the list's URI"
    total: uint256 = numbers[0]
    assert numbers[1] == total * 4 // 5 and numbers[2] == total - numbers[1], "treasury: a batch states its user part (80%: total * 4 // 5) and its leader part (20%: the rest)"
    assert hashes[0] != empty(bytes32) and hashes[1] != empty(bytes32), "treasury: a batch needs its list's Merkle root and content hash"
    currency: uint8 = tasks._check_matchable(numbers[BATCH_FIXED_NUMBERS]).currency
    fees: uint256 = 0
    previous: uint256 = 0
    for i: uint256 in range(BATCH_FIXED_NUMBERS, 64):
        if i >= len(numbers):
            break
        assert numbers[i] > previous, "treasury: a batch names its task ids once each, in increasing order"
        previous = numbers[i]
        t: tasks.Task = tasks._check_matchable(numbers[i])
        assert t.currency == currency, "treasury: a batch names tasks paid in one currency (USDT, or KOL in circulation mode)"
        fees += t.fee
    expected: uint256 = fees
    if currency == tasks.USDT:
        capacity: uint256 = MATCHED_CAP - staticcall IKOLToken(token).issued_matched()
        assert capacity != 0, "treasury: the matched bucket is exhausted (16,000,000 KOL); new tasks are paid in KOL"
        expected = min(fees * staticcall council.kol_per_usdt(), capacity)
    assert total == expected, "treasury: a batch's KOL is the named tasks' fees x kol_per_usdt (KOL tasks: their fees), capped by the matched bucket's remaining capacity"


@internal
@view
def _check_genesis_month(accounts: DynArray[address, 32], numbers: DynArray[uint256, 64], hashes: DynArray[bytes32, 4], text: String[256], executing: bool):
    """
    @dev GENESIS_RELEASE (§8): numbers = [month, cumulative paid,
         cumulative forfeited, leaders in the list], hashes = [list root,
         list content hash], text = the list's URI. Months are released in
         order, at most one per 30-day month; cumulative figures never
         decrease, are whole tranches, at most 1,000 KOL per leader per
         month elapsed (10,000 in all) and 5,000,000 KOL over all leaders.
    """
    assert len(numbers) == 4 and len(hashes) == 2 and len(accounts) == 0 and len(text) != 0, "treasury: GENESIS_RELEASE takes (month, cumulative paid, cumulative forfeited, leaders), the list's root and content hash, and the list's URI"
    assert not self.genesis_closed, "genesis: the programme is closed"
    month: uint256 = numbers[0]
    paid: uint256 = numbers[1]
    forfeited: uint256 = numbers[2]
    assert month == self.genesis_month + 1, "genesis: months are released in order, one at a time"
    if executing:
        assert block.timestamp >= genesis_start + (month - 1) * MONTH, "genesis: this month of the programme has not begun (one release per 30-day month)"
    assert hashes[0] != empty(bytes32) and hashes[1] != empty(bytes32), "genesis: a month needs its list's Merkle root and content hash"
    assert paid >= self.genesis_paid and forfeited >= self.genesis_forfeited, "genesis: cumulative paid and forfeited KOL never decrease"
    assert paid % TRANCHE == 0 and forfeited % TRANCHE == 0, "genesis: entitlements are whole tranches of 1,000 KOL"
    assert numbers[3] != 0 and paid + forfeited <= min(month, TRANCHES) * TRANCHE * numbers[3], "genesis: at most 1,000 KOL per leader per month elapsed (10,000 KOL per leader)"
    assert paid + forfeited <= GENESIS_CAP, "genesis: at most 5,000,000 KOL are paid or forfeited"
