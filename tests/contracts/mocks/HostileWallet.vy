# pragma version ~=0.4.3
# pragma evm-version prague
"""
@title A contract member whose ERC-1271 answer is hostile, for tests only
@custom:contract-name HostileWallet
@license GNU Affero General Public License v3.0 only
@notice `isValidSignature(bytes32,bytes)` answers by `mode`: 0 the magic
        value for every digest (a wallet that approves anything), 1 four
        bytes of garbage, 2 a revert, 3 it burns all the gas it is given.
        It can act as itself (`act`), e.g. to vote by its own transaction.
        (Answers no Vyper function can give — three bytes, a return-data
        bomb — are raw bytecode in tests/contracts/attacks/_wallets.py.)
"""


MAGIC: constant(bytes4) = 0x1626ba7e
GARBAGE: constant(bytes4) = 0xdeadbeef

mode: public(uint8)


@deploy
def __init__(mode_: uint8):
    self.mode = mode_


@external
def set_mode(mode_: uint8):
    self.mode = mode_


@external
def act(target: address, data: Bytes[1024]):
    """
    @dev Calls `target` as this wallet (reverts if the call does).
    """
    raw_call(target, data)


@external
@view
def isValidSignature(digest: bytes32, signature: Bytes[1024]) -> bytes4:
    m: uint8 = self.mode
    if m == 0:
        return MAGIC
    if m == 1:
        return GARBAGE
    assert m != 2, "hostile: no"
    x: bytes32 = digest
    for i: uint256 in range(10**12):
        x = keccak256(x)
    return convert(slice(concat(x, b""), 0, 4), bytes4)
