# pragma version ~=0.4.3
# pragma evm-version prague
"""
@title Client service tasks and their escrowed fees
@custom:contract-name tasks
@license GNU Affero General Public License v3.0 only
@notice Constitution §7. A client requests a task (kind, metadata hash,
        fee) and escrows the whole fee at once — in USDT while the matched
        bucket has room, in KOL once it is exhausted (circulation mode).
        An `APPROVE_TASK` motion (super nodes 51%) makes the fee foundation
        revenue; if the approving motion fails or lapses — or none is
        proposed within the execution window — the client withdraws
        exactly the fee. A fee is always refundable, revenue or
        distributed: never lost, never counted twice (§11.10). A batch
        (`ISSUE_MATCHED_BATCH`) names approved tasks once: USDT fees are
        then matched by minted KOL, KOL fees distributed.
        Tokens that take a fee on transfer are refused (the escrow must
        receive exactly the fee).
"""

from ethereum.ercs import IERC20


# CONSTANTS #

# @dev Task kinds (§7 examples; OTHER for anything else).
POSTER_CALL: constant(uint8) = 1
EXCHANGE_REGISTRATION: constant(uint8) = 2
CANDY_AIRDROP: constant(uint8) = 3
ROADSHOW: constant(uint8) = 4
CONFERENCE: constant(uint8) = 5
OTHER: constant(uint8) = 6

# @dev Currencies of a fee.
USDT: constant(uint8) = 0
KOL: constant(uint8) = 1

# @dev Task states.
REQUESTED: constant(uint8) = 1
APPROVED: constant(uint8) = 2
REFUNDED: constant(uint8) = 3
MATCHED: constant(uint8) = 4

# TASK WORD: bit layout of `task_words[task_id]`.
# [0, 160)   client
# [160, 168) kind
# [168, 176) currency
# [176, 184) state
# [184, 224) requested at (timestamp)
# [224, 256) approving motion id (0: none yet)
U8: constant(uint256) = 2**8 - 1
U32: constant(uint256) = 2**32 - 1
U40: constant(uint256) = 2**40 - 1
KIND_SHIFT: constant(uint256) = 160
CURRENCY_SHIFT: constant(uint256) = 168
STATE_SHIFT: constant(uint256) = 176
REQUESTED_SHIFT: constant(uint256) = 184
MOTION_SHIFT: constant(uint256) = 224


# STRUCTS #

struct Task:
    client: address
    kind: uint8
    currency: uint8
    state: uint8
    requested_at: uint256
    motion_id: uint256
    fee: uint256


# EVENTS #

event TaskRequested:
    task_id: indexed(uint256)
    client: indexed(address)
    kind: uint8
    currency: uint8
    fee: uint256
    metadata_hash: bytes32


event TaskApprovalProposed:
    task_id: indexed(uint256)
    motion_id: indexed(uint256)


event TaskApproved:
    task_id: indexed(uint256)
    motion_id: indexed(uint256)
    currency: uint8
    fee: uint256


event TaskMatched:
    task_id: indexed(uint256)
    batch_id: indexed(uint256)
    currency: uint8
    fee: uint256


event TaskRefunded:
    task_id: indexed(uint256)
    client: indexed(address)
    currency: uint8
    fee: uint256


# STORAGE #

# @dev One packed word per task (TASK WORD layout); ids start at 1.
task_words: HashMap[uint256, uint256]
# @dev Each task's fee, in the base units of its currency.
task_fee: HashMap[uint256, uint256]
# @dev Tasks requested so far.
task_count: public(uint256)
# @dev Fees held for tasks not yet approved or refunded, per currency.
escrowed: public(HashMap[uint8, uint256])
# @dev Approved fees per currency (USDT: foundation revenue; KOL: to be distributed).
approved: public(HashMap[uint8, uint256])
# @dev Fees of tasks named by an executed batch, per currency (USDT: KOL
# was minted against them; KOL: they were distributed).
matched: public(HashMap[uint8, uint256])


# INTERNAL #

@internal
@view
def _task(task_id: uint256) -> Task:
    w: uint256 = self.task_words[task_id]
    return Task(
        client=convert(convert(w & (2**160 - 1), uint160), address),
        kind=convert((w >> KIND_SHIFT) & U8, uint8),
        currency=convert((w >> CURRENCY_SHIFT) & U8, uint8),
        state=convert((w >> STATE_SHIFT) & U8, uint8),
        requested_at=(w >> REQUESTED_SHIFT) & U40,
        motion_id=w >> MOTION_SHIFT,
        fee=self.task_fee[task_id],
    )


@internal
def _set_state(task_id: uint256, state: uint8):
    w: uint256 = self.task_words[task_id]
    self.task_words[task_id] = (w & ~(U8 << STATE_SHIFT)) | (convert(state, uint256) << STATE_SHIFT)


@internal
def _pull(token: address, source: address, amount: uint256):
    """
    @dev Takes exactly `amount` of `token` from `source` into this contract;
         USDT's `transferFrom` returns nothing, and a token that delivers
         less than asked (fee on transfer) is refused.
    """
    before: uint256 = staticcall IERC20(token).balanceOf(self)
    extcall IERC20(token).transferFrom(source, self, amount, default_return_value=True)
    assert staticcall IERC20(token).balanceOf(self) - before == amount, "tasks: the token delivered less than the fee (fee-on-transfer tokens are refused)"


@internal
def _push(token: address, to: address, amount: uint256):
    """
    @dev Sends `amount` of `token` (USDT's `transfer` returns nothing).
    """
    extcall IERC20(token).transfer(to, amount, default_return_value=True)


@internal
def _request(client: address, kind: uint8, metadata_hash: bytes32, fee: uint256, currency: uint8, token: address) -> uint256:
    """
    @dev Records a task and escrows its fee from `client`.
    @return uint256 The task id.
    """
    assert kind >= POSTER_CALL and kind <= OTHER, "tasks: kind is 1 to 6 (poster call, exchange registration, candy airdrop, roadshow, conference, other)"
    assert fee != 0, "tasks: the fee must be more than 0"
    assert fee < 2**128, "tasks: fee too large"
    task_id: uint256 = self.task_count + 1
    self.task_count = task_id
    self.task_words[task_id] = (
        convert(client, uint256)
        | (convert(kind, uint256) << KIND_SHIFT)
        | (convert(currency, uint256) << CURRENCY_SHIFT)
        | (convert(REQUESTED, uint256) << STATE_SHIFT)
        | (block.timestamp << REQUESTED_SHIFT)
    )
    self.task_fee[task_id] = fee
    self.escrowed[currency] += fee
    self._pull(token, client, fee)
    log TaskRequested(task_id=task_id, client=client, kind=kind, currency=currency, fee=fee, metadata_hash=metadata_hash)
    return task_id


@internal
@view
def _check_approvable(task_id: uint256):
    assert task_id != 0 and task_id <= self.task_count, "tasks: no such task"
    assert (self.task_words[task_id] >> STATE_SHIFT) & U8 == convert(REQUESTED, uint256), "tasks: the task is not awaiting approval"


@internal
def _link_motion(task_id: uint256, motion_id: uint256):
    """
    @dev Records the motion that proposes to approve the task.
    """
    w: uint256 = self.task_words[task_id]
    self.task_words[task_id] = (w & (2**224 - 1)) | (motion_id << MOTION_SHIFT)
    log TaskApprovalProposed(task_id=task_id, motion_id=motion_id)


@internal
def _approve(task_id: uint256, motion_id: uint256):
    t: Task = self._task(task_id)
    self._set_state(task_id, APPROVED)
    self.escrowed[t.currency] -= t.fee
    self.approved[t.currency] += t.fee
    log TaskApproved(task_id=task_id, motion_id=motion_id, currency=t.currency, fee=t.fee)


@internal
@view
def _check_matchable(task_id: uint256) -> Task:
    """
    @dev The task, if a batch may name it: approved and not yet in a batch.
    """
    assert task_id != 0 and task_id <= self.task_count, "tasks: no such task"
    t: Task = self._task(task_id)
    assert t.state == APPROVED, "tasks: a batch names only approved tasks not already in a batch"
    return t


@internal
def _match(task_id: uint256, batch_id: uint256):
    """
    @dev Records that batch `batch_id` distributed KOL for the task.
    """
    t: Task = self._task(task_id)
    self._set_state(task_id, MATCHED)
    self.matched[t.currency] += t.fee
    log TaskMatched(task_id=task_id, batch_id=batch_id, currency=t.currency, fee=t.fee)
