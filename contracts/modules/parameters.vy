# pragma version ~=0.4.3
# pragma evm-version prague
"""
@title The alliance's parameters
@custom:contract-name parameters
@license GNU Affero General Public License v3.0 only
@notice Constitution §10: the values changed only by an executed
        `SET_PARAMETERS` motion, with their defaults and the range each
        must stay in. A change never alters a stage already open (§4):
        stages store their deadline and threshold when they open, and
        motions store their notice period and execution window when they
        are created.
"""


# CONSTANTS #

DAY: constant(uint256) = 86_400

# @dev Parameter ids used by `SET_PARAMETERS` (pairs of id and value).
VOTING_PERIOD: constant(uint256) = 1
SPONSOR_WINDOW: constant(uint256) = 2
EXECUTION_WINDOW: constant(uint256) = 3
NOTICE_PERIOD: constant(uint256) = 4
AUDIT_DUE: constant(uint256) = 5
KOL_PER_USDT: constant(uint256) = 6
SUPER_BAN: constant(uint256) = 7
NODE_BAN: constant(uint256) = 8
FOUNDATION: constant(uint256) = 9
# @dev Closing the genesis programme (value 1) is a `SET_PARAMETERS` item
# applied by the economy module (§8); it is not stored here.
CLOSE_GENESIS: constant(uint256) = 10
LAST_PARAMETER: constant(uint256) = 10


# EVENTS #

event ParameterChanged:
    parameter: indexed(uint256)
    new_value: uint256


# STORAGE #

# @dev Time a stage stays open for ballots (default 3 days).
voting_period: public(uint256)
# @dev Time a motion has to gather its sponsors (default 7 days).
sponsor_window: public(uint256)
# @dev Time to take a passed motion's next step (default 7 days).
execution_window: public(uint256)
# @dev Public notice between passing and execution (公示, default 0).
notice_period: public(uint256)
# @dev Time the foundation has to answer an audit demand (default 30 days).
audit_due: public(uint256)
# @dev KOL base units issued per USDT base unit (default 10**12: 1 KOL per USDT).
kol_per_usdt: public(uint256)
# @dev Ban after forfeiting a super-node seat (default 90 days).
super_ban: public(uint256)
# @dev Ban after forfeiting a node seat (default 180 days).
node_ban: public(uint256)
# @dev The foundation (treasury operator, §1).
foundation: public(address)


@deploy
def __init__(foundation_: address):
    """
    @dev Sets the defaults of §10.
    @param foundation_ The foundation's address.
    """
    assert foundation_ != empty(address), "parameters: foundation is the zero address"
    self.voting_period = 3 * DAY
    self.sponsor_window = 7 * DAY
    self.execution_window = 7 * DAY
    self.notice_period = 0
    self.audit_due = 30 * DAY
    self.kol_per_usdt = 10**12
    self.super_ban = 90 * DAY
    self.node_ban = 180 * DAY
    self.foundation = foundation_


@internal
@pure
def _check(parameter: uint256, amount: uint256):
    """
    @dev Reverts unless `amount` is allowed for `parameter`.
    """
    if parameter == VOTING_PERIOD:
        assert amount >= 3_600 and amount <= 30 * DAY, "parameters: voting_period must be 1 hour to 30 days"
    elif parameter == SPONSOR_WINDOW:
        assert amount >= 3_600 and amount <= 30 * DAY, "parameters: sponsor_window must be 1 hour to 30 days"
    elif parameter == EXECUTION_WINDOW:
        assert amount >= DAY and amount <= 30 * DAY, "parameters: execution_window must be 1 to 30 days"
    elif parameter == NOTICE_PERIOD:
        assert amount <= 14 * DAY, "parameters: notice_period must be at most 14 days"
    elif parameter == AUDIT_DUE:
        assert amount >= DAY and amount <= 180 * DAY, "parameters: audit_due must be 1 to 180 days"
    elif parameter == KOL_PER_USDT:
        assert amount >= 1 and amount <= 10**15, "parameters: kol_per_usdt must be 1 to 10**15 base units per USDT unit"
    elif parameter == SUPER_BAN or parameter == NODE_BAN:
        assert amount <= 3_650 * DAY, "parameters: a ban lasts at most 10 years"
    elif parameter == FOUNDATION:
        assert amount != 0 and amount < 2**160, "parameters: foundation must be a non-zero address"
    elif parameter == CLOSE_GENESIS:
        assert amount == 1, "parameters: closing the genesis programme takes the amount 1"
    else:
        raise "parameters: unknown parameter id"


@internal
def _set(parameter: uint256, amount: uint256):
    """
    @dev Applies one checked change (CLOSE_GENESIS is applied elsewhere).
    """
    self._check(parameter, amount)
    if parameter == VOTING_PERIOD:
        self.voting_period = amount
    elif parameter == SPONSOR_WINDOW:
        self.sponsor_window = amount
    elif parameter == EXECUTION_WINDOW:
        self.execution_window = amount
    elif parameter == NOTICE_PERIOD:
        self.notice_period = amount
    elif parameter == AUDIT_DUE:
        self.audit_due = amount
    elif parameter == KOL_PER_USDT:
        self.kol_per_usdt = amount
    elif parameter == SUPER_BAN:
        self.super_ban = amount
    elif parameter == NODE_BAN:
        self.node_ban = amount
    elif parameter == FOUNDATION:
        self.foundation = convert(convert(amount, uint160), address)
    else:
        return
    log ParameterChanged(parameter=parameter, new_value=amount)
