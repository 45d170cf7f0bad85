# pragma version ~=0.4.3
# pragma evm-version prague
"""
@title The KOL Community Alliance motions engine
@custom:contract-name Motions
@license GNU Affero General Public License v3.0 only
@notice The motions of the constitution (§4–§5). A motion has a kind, a
        proposer and typed arguments (accounts, numbers, hashes, a text) —
        never calldata, never a delegatecall. The arguments are validated
        when the motion is proposed, stored as a hash, and given again and
        validated again when it executes. Some motions first gather
        sponsors (in the council); then stage 1 opens in the council, and for two-level
        motions stage 2 opens once stage 1 has passed. Opening the next
        stage (`advance`), executing and closing are permissionless.
        Membership motions take effect in the `Council`; economy motions
        are validated and applied by the economy module (the treasury)
        through `IEconomy`. One live motion per proposer (§4).
"""

from .modules import council
from .modules import parameters
from .modules import ballots
from .modules import sponsorships
from .interfaces import ICouncil
from .interfaces import IEconomy

# Only the pure helpers and layout constants of the modules are used
# here; their state lives in the Council contract.


# CONSTANTS #

# @dev Motion kinds (§5).
RATIFY_GENESIS_SUPER_NODES: constant(uint8) = 1
APPROVE_TASK: constant(uint8) = 2
REPLACE_NODE: constant(uint8) = 3
REPLACE_SUPER_NODE: constant(uint8) = 4
REPLACE_ADMIN: constant(uint8) = 5
ISSUE_MATCHED_BATCH: constant(uint8) = 6
GENESIS_RELEASE: constant(uint8) = 7
PUBLISH_STATEMENT: constant(uint8) = 8
DEMAND_AUDIT: constant(uint8) = 9
REPLENISH_SUPER_ALTERNATES: constant(uint8) = 10
REPLENISH_NODE_ALTERNATES: constant(uint8) = 11
SET_PARAMETERS: constant(uint8) = 12
LAST_KIND: constant(uint8) = 12

# @dev Who may propose (§5, column "Proposed by").
BY_NODE: constant(uint8) = 1
BY_SUPER_NODE: constant(uint8) = 2
BY_NODE_OR_FOUNDATION: constant(uint8) = 3
BY_FOUNDATION: constant(uint8) = 4
BY_CANDIDATE: constant(uint8) = 5

# @dev The power map of §5, packed (see `_rule`). Row by row:
#  1 RATIFY_GENESIS_SUPER_NODES  node            -            nodes 33%
#  2 APPROVE_TASK                node            -            super 51%
#  3 REPLACE_NODE                super node      -            super 33%
#  4 REPLACE_SUPER_NODE          node            -            nodes 51%
#  5 REPLACE_ADMIN               node            -            nodes 67%
#  6 ISSUE_MATCHED_BATCH         node/foundation -            super 51%, nodes 51%
#  7 GENESIS_RELEASE             node/foundation -            super 51%, nodes 51%
#  8 PUBLISH_STATEMENT           foundation      -            super 33%
#  9 DEMAND_AUDIT                node            -            nodes 33%
# 10 REPLENISH_SUPER_ALTERNATES  node            10% of nodes super 33%
# 11 REPLENISH_NODE_ALTERNATES   candidate       10% of pool  nodes 33%
# 12 SET_PARAMETERS              super node      -            super 51%, nodes 51%
RULES_1_4: constant(uint256) = 1374957280030959731311639713225208138656830687289369188131357908271105
RULES_5_8: constant(uint256) = 889783552332752962256334941471078642166180074366471701151936090734593
RULES_9_12: constant(uint256) = 90110575366289929714138406256715052961380620662301428680584003380291043329

# @dev Motion statuses (`motion_status`).
SPONSORING: constant(uint8) = 1
VOTING: constant(uint8) = 2
PASSED: constant(uint8) = 3
EXECUTED: constant(uint8) = 4
FAILED: constant(uint8) = 5
LAPSED: constant(uint8) = 6
AWAITING_STAGE: constant(uint8) = 7

# @dev Sizes of the typed arguments.
MAX_ACCOUNTS: constant(uint256) = 32
MAX_NUMBERS: constant(uint256) = 64
MAX_HASHES: constant(uint256) = 4
MAX_TEXT: constant(uint256) = 256


# STRUCTS #

struct MotionArgs:
    accounts: DynArray[address, MAX_ACCOUNTS]
    numbers: DynArray[uint256, MAX_NUMBERS]
    hashes: DynArray[bytes32, MAX_HASHES]
    text: String[MAX_TEXT]


struct Rule:
    proposer: uint8
    sponsor_body: uint256
    sponsor_pct: uint256
    chamber1: uint256
    pct1: uint256
    chamber2: uint256
    pct2: uint256


struct Motion:
    kind: uint8
    proposer: address
    args_hash: bytes32
    created_block: uint256
    created_at: uint256
    stage1: uint256
    stage2: uint256
    notice_period: uint256
    execution_window: uint256
    closed: uint8


# EVENTS #

event MotionProposed:
    motion_id: indexed(uint256)
    kind: indexed(uint8)
    proposer: indexed(address)
    args_hash: bytes32
    args: MotionArgs


event MotionExecuted:
    motion_id: indexed(uint256)
    kind: indexed(uint8)
    executor: indexed(address)


event MotionClosed:
    motion_id: indexed(uint256)
    status: uint8


# STORAGE #

# @dev Motions by id (ids start at 1).
motions: HashMap[uint256, Motion]
# @dev Motions proposed so far.
motion_count: public(uint256)
# @dev Each proposer's latest motion (§4: one live motion at a time).
latest_motion: public(HashMap[address, uint256])
# @dev The council: chambers, stages and parameters.
council_contract: public(immutable(ICouncil))
# @dev The economy module (treasury); the zero address before it exists.
economy: public(immutable(address))


@deploy
def __init__(council_: address, economy_: address):
    """
    @dev Wires the engine to the council deployed just before it.
    @param council_ The Council contract (its `motions` must be this contract).
    @param economy_ The economy module (the treasury, deployed next at a
           precomputed address), or the zero address.
    """
    assert staticcall ICouncil(council_).motions() == self, "motions: the council names another motions engine"
    council_contract = ICouncil(council_)
    economy = economy_


# MOTIONS #

@external
def propose(kind: uint8, args: MotionArgs) -> uint256:
    """
    @dev Proposes a motion of `kind` with typed `args` (§5 for each kind's
         arguments). Opens its sponsorship or its first stage at once.
    @param kind The motion kind, 1 to 12.
    @param args The typed arguments.
    @return uint256 The motion id.
    """
    rule: Rule = self._rule(kind)
    self._check_proposer(rule.proposer, msg.sender)
    previous: uint256 = self.latest_motion[msg.sender]
    if previous != 0:
        assert not self._is_live(self._status(previous)), "motions: the proposer already has a live motion (one at a time)"
    self._validate(kind, msg.sender, args)

    motion_id: uint256 = self.motion_count + 1
    self.motion_count = motion_id
    self.latest_motion[msg.sender] = motion_id
    args_hash: bytes32 = self._args_hash(args)
    m: Motion = empty(Motion)
    m.kind = kind
    m.proposer = msg.sender
    m.args_hash = args_hash
    m.created_block = block.number
    m.created_at = block.timestamp
    m.notice_period = staticcall council_contract.notice_period()
    m.execution_window = staticcall council_contract.execution_window()
    log MotionProposed(motion_id=motion_id, kind=kind, proposer=msg.sender, args_hash=args_hash, args=args)
    if self._is_economy(kind, args):
        extcall IEconomy(economy).on_propose(kind, motion_id, msg.sender, args.accounts, args.numbers, args.hashes, args.text)

    if rule.sponsor_pct != 0:
        extcall council_contract.open_sponsorship(motion_id, rule.sponsor_body, rule.sponsor_pct)
    else:
        m.stage1 = extcall council_contract.open_stage(motion_id, rule.chamber1, rule.pct1)
    self.motions[motion_id] = m
    return motion_id


@external
def advance(motion_id: uint256) -> uint256:
    """
    @dev Opens a motion's next stage: stage 1 once its sponsors are
         gathered, stage 2 once stage 1 has passed (§4). Anyone may call
         it, within the execution window of the step before.
    @param motion_id The motion.
    @return uint256 The id of the stage opened.
    """
    status: uint8 = self._status(motion_id)
    assert status != 0, "motions: no such motion"
    assert status == AWAITING_STAGE, self._status_reason(motion_id, status)
    m: Motion = self.motions[motion_id]
    rule: Rule = self._rule(m.kind)
    stage_id: uint256 = 0
    if m.stage1 == 0:
        stage_id = extcall council_contract.open_stage(motion_id, rule.chamber1, rule.pct1)
        self.motions[motion_id].stage1 = stage_id
    else:
        stage_id = extcall council_contract.open_stage(motion_id, rule.chamber2, rule.pct2)
        self.motions[motion_id].stage2 = stage_id
    return stage_id


@external
def execute(motion_id: uint256, args: MotionArgs):
    """
    @dev Executes a motion whose every stage has passed, after its notice
         period and within its execution window (§4). Anyone may call it
         with the motion's arguments, which are validated again.
    @param motion_id The motion.
    @param args The arguments the motion was proposed with.
    """
    status: uint8 = self._status(motion_id)
    assert status != 0, "motions: no such motion"
    assert status == PASSED, self._status_reason(motion_id, status)
    m: Motion = self.motions[motion_id]
    assert block.timestamp >= self._passed_at(m) + m.notice_period, "motions: the notice period has not ended"
    assert self._args_hash(args) == m.args_hash, "motions: arguments differ from those proposed"
    self._validate(m.kind, m.proposer, args)
    self.motions[motion_id].closed = EXECUTED
    self._apply(m.kind, motion_id, args)
    log MotionExecuted(motion_id=motion_id, kind=m.kind, executor=msg.sender)


@external
def close(motion_id: uint256):
    """
    @dev Records that a motion failed or lapsed (anyone; the keeper does
         it). Frees nothing by itself: status is derived, this only makes
         the end visible as an event.
    @param motion_id The motion.
    """
    status: uint8 = self._status(motion_id)
    assert status == FAILED or status == LAPSED, "motions: only a failed or lapsed motion can be closed"
    assert self.motions[motion_id].closed == 0, "motions: already closed"
    self.motions[motion_id].closed = status
    log MotionClosed(motion_id=motion_id, status=status)


# VIEWS #

@external
@view
def motion(motion_id: uint256) -> Motion:
    """
    @dev Returns a motion's record.
    """
    return self.motions[motion_id]


@external
@view
def motion_status(motion_id: uint256) -> uint8:
    """
    @dev 0 none, 1 sponsoring, 2 voting, 3 passed (executable), 4 executed,
         5 failed, 6 lapsed, 7 awaiting its next stage (`advance`).
    """
    return self._status(motion_id)


@external
@view
def rule(kind: uint8) -> Rule:
    """
    @dev The row of §5 for `kind`: proposer, sponsors, stage 1, stage 2.
    """
    return self._rule(kind)


# INTERNAL: THE POWER MAP #

@internal
@pure
def _args_hash(args: MotionArgs) -> bytes32:
    """
    @dev keccak256 of the ABI encoding of `args` (the SDK computes the same).
    """
    return keccak256(abi_encode(args))



@internal
@pure
def _rule(kind: uint8) -> Rule:
    """
    @dev §5, one row per kind, read from RULES_*: 8 bytes a row, 4 rows a
         word, bytes = (proposer, sponsor body, sponsor %, chamber 1, % 1,
         chamber 2, % 2). % 2 = 0: one stage; sponsor % = 0: no sponsors.
    """
    assert kind >= 1 and kind <= LAST_KIND, "motions: unknown motion kind (1 to 12)"
    k: uint256 = convert(kind, uint256) - 1
    table: uint256 = RULES_1_4
    if k >= 8:
        table = RULES_9_12
    elif k >= 4:
        table = RULES_5_8
    row: uint256 = table >> (64 * (k % 4))
    return Rule(
        proposer=convert(row & 255, uint8),
        sponsor_body=(row >> 8) & 255,
        sponsor_pct=(row >> 16) & 255,
        chamber1=(row >> 24) & 255,
        pct1=(row >> 32) & 255,
        chamber2=(row >> 40) & 255,
        pct2=(row >> 48) & 255,
    )


@internal
@view
def _check_proposer(role: uint8, proposer: address):
    word: uint256 = self._word(proposer)
    is_node: bool = council._flag(word, council.SEATED_BIT + council.NODE)
    if role == BY_NODE:
        assert is_node, "motions: only a seated node may propose this motion"
    elif role == BY_SUPER_NODE:
        assert council._flag(word, council.SEATED_BIT + council.SUPER), "motions: only a super node may propose this motion"
    elif role == BY_NODE_OR_FOUNDATION:
        assert is_node or proposer == staticcall council_contract.foundation(), "motions: only a node or the foundation may propose this motion"
    elif role == BY_FOUNDATION:
        assert proposer == staticcall council_contract.foundation(), "motions: only the foundation may propose this motion"
    else:
        assert council._flag(word, council.CANDIDATE_BIT) and not is_node, "motions: only a registered candidate may propose this motion"


@internal
@pure
def _shape(args: MotionArgs, accounts: uint256, rule: String[64]):
    """
    @dev Membership motions take exactly `accounts` accounts and nothing else.
    """
    assert len(args.accounts) == accounts and len(args.numbers) == 0 and len(args.hashes) == 0 and len(args.text) == 0, rule


@internal
@pure
def _distinct(accounts: DynArray[address, MAX_ACCOUNTS]):
    for i: uint256 in range(len(accounts), bound=MAX_ACCOUNTS):
        assert accounts[i] != empty(address), "motions: the zero address is not a member"
        for j: uint256 in range(i, bound=MAX_ACCOUNTS):
            assert accounts[i] != accounts[j], "motions: an account is named twice"


@internal
@view
def _validate(kind: uint8, proposer: address, args: MotionArgs):
    """
    @dev Reverts unless `args` are valid for `kind` now (§5). Called at
         proposal and again at execution.
    """
    if kind == RATIFY_GENESIS_SUPER_NODES:
        # accounts = slate ++ ordered super-alternate queue; numbers = [slate size]
        assert len(args.numbers) == 1 and len(args.hashes) == 0 and len(args.text) == 0, "motions: RATIFY_GENESIS_SUPER_NODES takes the slate size as its only number"
        slate: uint256 = args.numbers[0]
        assert slate >= 1 and slate <= council.MAX_SUPER_NODES, "motions: the genesis slate has 1 to 21 super nodes"
        assert slate <= len(args.accounts), "motions: the slate is longer than the accounts given"
        assert staticcall council_contract.seats(council.SUPER) == 0, "motions: genesis super nodes are ratified only while no super node is seated"
        self._distinct(args.accounts)
        for i: uint256 in range(len(args.accounts), bound=MAX_ACCOUNTS):
            word: uint256 = self._word(args.accounts[i])
            assert council._flag(word, council.SEATED_BIT + council.NODE), "motions: every super node and super alternate must be a seated node"
            assert not council._is_banned(word, council.SUPER), "motions: an account is banned from the super chamber"
            if i >= slate:
                assert not staticcall council_contract.is_queued(args.accounts[i], council.SUPER), "motions: an account is already a super alternate"
    elif kind == REPLACE_NODE:
        self._shape(args, 2, "motions: REPLACE_NODE takes two accounts: old, new")
        old_word: uint256 = self._word(args.accounts[0])
        new_word: uint256 = self._word(args.accounts[1])
        assert council._flag(old_word, council.SEATED_BIT + council.NODE), "motions: the node to replace is not seated"
        assert args.accounts[1] != empty(address), "motions: the zero address cannot be seated"
        assert not council._flag(new_word, council.SEATED_BIT + council.NODE), "motions: the new node is already seated"
        assert not council._is_banned(new_word, council.NODE), "motions: the new node is banned from the node chamber"
    elif kind == REPLACE_SUPER_NODE:
        self._shape(args, 2, "motions: REPLACE_SUPER_NODE takes two accounts: old, new")
        old_word: uint256 = self._word(args.accounts[0])
        new_word: uint256 = self._word(args.accounts[1])
        assert council._flag(old_word, council.SEATED_BIT + council.SUPER), "motions: the super node to replace is not seated"
        assert council._flag(new_word, council.SEATED_BIT + council.NODE), "motions: the new super node must be a seated node"
        assert not council._flag(new_word, council.SEATED_BIT + council.SUPER), "motions: the new super node is already a super node"
        assert not council._is_banned(new_word, council.SUPER), "motions: the new super node is banned from the super chamber"
    elif kind == REPLACE_ADMIN:
        self._shape(args, 1, "motions: REPLACE_ADMIN takes one account: the new admin")
        assert args.accounts[0] != empty(address), "motions: the new administrator is the zero address"
        assert args.accounts[0] != staticcall council_contract.admin(), "motions: that address is already the administrator"
    elif kind == REPLENISH_SUPER_ALTERNATES:
        self._shape(args, 3, "motions: REPLENISH_SUPER_ALTERNATES takes three accounts")
        self._distinct(args.accounts)
        for a: address in args.accounts:
            word: uint256 = self._word(a)
            assert not staticcall council_contract.is_queued(a, council.SUPER), "motions: an account is already a super alternate"
            assert council._queue_drop_reason(word, council.SUPER) == 0, "motions: super alternates must be seated nodes, not super nodes, not banned"
    elif kind == REPLENISH_NODE_ALTERNATES:
        self._shape(args, 5, "motions: REPLENISH_NODE_ALTERNATES takes five accounts")
        self._distinct(args.accounts)
        for a: address in args.accounts:
            word: uint256 = self._word(a)
            assert not staticcall council_contract.is_queued(a, council.NODE), "motions: an account is already a node alternate"
            assert council._queue_drop_reason(word, council.NODE) == 0, "motions: node alternates must be registered candidates, not seated, not banned"
    elif kind == SET_PARAMETERS:
        n: uint256 = len(args.numbers)
        assert n >= 2 and n % 2 == 0 and len(args.accounts) == 0 and len(args.hashes) == 0 and len(args.text) == 0, "motions: SET_PARAMETERS takes pairs of (parameter id, value) only"
        seen: uint256 = 0
        for pair: uint256 in range(MAX_NUMBERS // 2):
            i: uint256 = pair * 2
            if i >= n:
                break
            p: uint256 = args.numbers[i]
            assert p >= 1 and p <= parameters.LAST_PARAMETER, "parameters: unknown parameter id"
            assert (seen >> p) & 1 == 0, "motions: a parameter is named twice"
            seen = seen | (1 << p)
            parameters._check(p, args.numbers[i + 1])
        if (seen >> parameters.CLOSE_GENESIS) & 1 == 1:
            assert economy != empty(address), "motions: the economy module is not deployed"
    else:
        # Economy motions: validated by the economy module (`on_propose`,
        # `on_execute`).
        assert economy != empty(address), "motions: the economy module is not deployed"


@internal
@pure
def _is_economy(kind: uint8, args: MotionArgs) -> bool:
    """
    @dev Whether the economy module validates and applies this motion.
    """
    if kind == SET_PARAMETERS:
        for pair: uint256 in range(MAX_NUMBERS // 2):
            i: uint256 = pair * 2
            if i >= len(args.numbers):
                break
            if args.numbers[i] == parameters.CLOSE_GENESIS:
                return True
        return False
    return kind == APPROVE_TASK or kind == ISSUE_MATCHED_BATCH or kind == GENESIS_RELEASE or kind == PUBLISH_STATEMENT or kind == DEMAND_AUDIT


@internal
def _apply(kind: uint8, motion_id: uint256, args: MotionArgs):
    """
    @dev The effect of an executed motion (§5).
    """
    if kind == RATIFY_GENESIS_SUPER_NODES:
        extcall council_contract.ratify_super_slate(args.accounts, args.numbers[0])
    elif kind == REPLACE_NODE:
        extcall council_contract.replace(council.NODE, args.accounts[0], args.accounts[1])
    elif kind == REPLACE_SUPER_NODE:
        extcall council_contract.replace(council.SUPER, args.accounts[0], args.accounts[1])
    elif kind == REPLACE_ADMIN:
        extcall council_contract.set_admin(args.accounts[0])
    elif kind == REPLENISH_SUPER_ALTERNATES:
        extcall council_contract.enqueue(council.SUPER, args.accounts)
    elif kind == REPLENISH_NODE_ALTERNATES:
        extcall council_contract.enqueue(council.NODE, args.accounts)
    elif kind == SET_PARAMETERS:
        close_genesis: bool = False
        for pair: uint256 in range(MAX_NUMBERS // 2):
            i: uint256 = pair * 2
            if i >= len(args.numbers):
                break
            if args.numbers[i] == parameters.CLOSE_GENESIS:
                close_genesis = True
            else:
                extcall council_contract.set_parameter(args.numbers[i], args.numbers[i + 1])
        if close_genesis:
            extcall IEconomy(economy).on_execute(kind, motion_id, args.accounts, args.numbers, args.hashes, args.text)
    else:
        extcall IEconomy(economy).on_execute(kind, motion_id, args.accounts, args.numbers, args.hashes, args.text)


# INTERNAL: COUNCIL READS #

@internal
@view
def _word(account: address) -> uint256:
    return staticcall council_contract.member_word(account)


@internal
@view
def _stage(stage_id: uint256) -> uint256:
    return staticcall council_contract.stage_word(stage_id)


# INTERNAL: STATUS #

@internal
@view
def _passed_at(m: Motion) -> uint256:
    last: uint256 = m.stage2
    if last == 0:
        last = m.stage1
    return ballots._get(self._stage(last), ballots.PASSED_SHIFT, ballots.U40)


@internal
@view
def _status(motion_id: uint256) -> uint8:
    """
    @dev A motion's status, derived from its stages and the clock (§4).
    """
    m: Motion = self.motions[motion_id]
    if m.kind == 0:
        return 0
    if m.closed != 0:
        return m.closed
    if m.stage1 == 0:
        w: uint256 = staticcall council_contract.sponsorship_word(motion_id)
        reached_at: uint256 = (w >> sponsorships.REACHED_SHIFT) & sponsorships.U40
        if reached_at != 0:
            if block.timestamp > reached_at + m.execution_window:
                return LAPSED
            return AWAITING_STAGE
        if block.timestamp > (w >> sponsorships.DEADLINE_SHIFT) & sponsorships.U40:
            return LAPSED
        return SPONSORING
    last: uint256 = m.stage2
    if last == 0:
        last = m.stage1
    stage_status: uint8 = ballots._status(self._stage(last))
    if stage_status == 1:
        return VOTING
    if stage_status == 3:
        return FAILED
    passed_at: uint256 = ballots._get(self._stage(last), ballots.PASSED_SHIFT, ballots.U40)
    if m.stage2 == 0 and self._rule(m.kind).pct2 != 0:
        if block.timestamp > passed_at + m.execution_window:
            return LAPSED
        return AWAITING_STAGE
    if block.timestamp > passed_at + m.notice_period + m.execution_window:
        return LAPSED
    return PASSED


@internal
@pure
def _is_live(status: uint8) -> bool:
    return status == SPONSORING or status == VOTING or status == AWAITING_STAGE


@internal
@view
def _status_reason(motion_id: uint256, status: uint8) -> String[320]:
    """
    @dev Why a motion cannot take the step asked, in the words of §4.
    """
    if status == SPONSORING:
        w: uint256 = staticcall council_contract.sponsorship_word(motion_id)
        return concat(
            "motions: sponsorship needs ", uint2str((w >> sponsorships.THRESHOLD_SHIFT) & sponsorships.U32),
            " of ", uint2str((w >> sponsorships.ELECTORATE_SHIFT) & sponsorships.U32),
            "; ", uint2str((w >> sponsorships.COUNT_SHIFT) & sponsorships.U32), " so far",
        )
    if status == VOTING:
        m: Motion = self.motions[motion_id]
        stage_no: String[1] = "1"
        last: uint256 = m.stage1
        if m.stage2 != 0:
            stage_no = "2"
            last = m.stage2
        s: uint256 = self._stage(last)
        chamber: String[11] = "nodes"
        if last & 1 == council.SUPER:
            chamber = "super nodes"
        return concat(
            "motions: stage ", stage_no, " needs ", uint2str(ballots._get(s, ballots.THRESHOLD_SHIFT, ballots.U16)),
            " of ", uint2str(ballots._get(s, ballots.ELECTORATE_SHIFT, ballots.U16)), " ", chamber,
            "; ", uint2str(ballots._get(s, ballots.TALLY_SHIFT, ballots.U16)), " voted for",
        )
    if status == PASSED:
        return "motions: the motion has passed; execute it"
    if status == EXECUTED:
        return "motions: already executed"
    if status == FAILED:
        return "motions: the motion failed"
    if status == LAPSED:
        return "motions: the motion lapsed"
    return "motions: the next stage must be opened first (advance)"
