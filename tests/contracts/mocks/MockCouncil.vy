# pragma version ~=0.4.3
# pragma evm-version prague
"""
@title The council as the token sees it, for the token's unit tests
@custom:contract-name MockCouncil
@license GNU Affero General Public License v3.0 only
@notice Member words are written directly by the test (MEMBER WORD layout
        of contracts/modules/council.vy: id bits 0-32, node-since block bits
        32-72, bit 232 + c seated in chamber c, genesis tranches claimed bits
        236-240), so that a genesis claim can be tested without seating
        anyone. `take_genesis_tranches` applies the same rule, with the same
        reasons, as Council.take_genesis_tranches, and records its last call.
"""


# CONSTANTS #

# @dev MEMBER WORD fields read here (contracts/modules/council.vy).
U40: constant(uint256) = 2**40 - 1
SINCE_SHIFT: constant(uint256) = 32
NODE_SEATED_BIT: constant(uint256) = 232
GENESIS_SHIFT: constant(uint256) = 236


# STORAGE #

# @dev The member word of each address (0: never a member).
words: public(HashMap[address, uint256])
# @dev The arguments of the last `take_genesis_tranches` call.
last_leader: public(address)
last_entitled: public(uint256)
last_release_block: public(uint256)
# @dev How many times `take_genesis_tranches` was called.
takes: public(uint256)


@external
@view
def member_word(account: address) -> uint256:
    """
    @dev The word the token reads (`genesis_claimed`).
    @param account The address asked about.
    @return uint256 The word set by `set_member_word` (0 if none).
    """
    return self.words[account]


@external
def set_member_word(account: address, word: uint256):
    """
    @dev Sets `account`'s member word (anyone may: a test double).
    @param account The address.
    @param word The packed member word.
    """
    self.words[account] = word


@external
def take_genesis_tranches(leader: address, entitled: uint256, release_block: uint256) -> uint256:
    """
    @dev Council.take_genesis_tranches without its caller check: a node
         seated before `release_block` records `entitled` tranches claimed.
    @param leader The leader claiming.
    @param entitled Its cumulative paid tranches in the month's list.
    @param release_block The block in which that month was released.
    @return uint256 Tranches claimed before this claim.
    """
    word: uint256 = self.words[leader]
    assert (word >> NODE_SEATED_BIT) & 1 == 1 and (word >> SINCE_SHIFT) & U40 < release_block, "genesis: only nodes seated before the month's release receive its tranches"
    claimed: uint256 = (word >> GENESIS_SHIFT) & 15
    assert entitled > claimed, "genesis: this leader has already claimed every tranche this month's list pays it"
    assert entitled <= 10, "genesis: a leader receives ten tranches at most"
    self.words[leader] = (word & ~(15 << GENESIS_SHIFT)) | (entitled << GENESIS_SHIFT)
    self.last_leader = leader
    self.last_entitled = entitled
    self.last_release_block = release_block
    self.takes += 1
    return claimed
