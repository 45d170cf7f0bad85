# pragma version ~=0.4.3
# pragma evm-version prague
"""
@title A minimal m-of-n multisig wallet (ERC-1271), for tests only
@custom:contract-name MultisigWallet
@license GNU Affero General Public License v3.0 only
@notice Approves a digest when the signature bytes are exactly `threshold`
        65-byte ECDSA signatures (r ‖ s ‖ v) of the digest by distinct
        owners, sorted by owner address (ascending), as Gnosis Safe does.
        Everything else is refused with 0xffffffff; it never reverts.
"""


# CONSTANTS #

# @dev Largest number of owners.
MAX_OWNERS: constant(uint256) = 8
# @dev Largest signature accepted (the council sends at most 1024 bytes).
MAX_SIGNATURE: constant(uint256) = 1024
# @dev bytes4(keccak256("isValidSignature(bytes32,bytes)")).
MAGIC: constant(bytes4) = 0x1626ba7e
# @dev The ERC-1271 "invalid" answer.
INVALID: constant(bytes4) = 0xffffffff


# STORAGE #

# @dev The owners, in the order given at deployment.
owners: public(DynArray[address, MAX_OWNERS])
# @dev Owner signatures needed.
threshold: public(uint256)
# @dev Whether an address is an owner.
is_owner: public(HashMap[address, bool])


@deploy
def __init__(owners_: DynArray[address, MAX_OWNERS], threshold_: uint256):
    """
    @dev Sets the owners and the threshold.
    @param owners_ Distinct, non-zero owner addresses.
    @param threshold_ Signatures needed, 1 to len(owners_).
    """
    assert threshold_ >= 1 and threshold_ <= len(owners_), "wallet: bad threshold"
    for o: address in owners_:
        assert o != empty(address), "wallet: zero owner"
        assert not self.is_owner[o], "wallet: owner named twice"
        self.is_owner[o] = True
    self.owners = owners_
    self.threshold = threshold_


@external
@view
def isValidSignature(digest: bytes32, signature: Bytes[MAX_SIGNATURE]) -> bytes4:
    """
    @dev ERC-1271.
    @param digest The hash that was signed.
    @param signature `threshold` concatenated owner signatures, sorted by owner.
    @return bytes4 0x1626ba7e when approved, 0xffffffff otherwise.
    """
    n: uint256 = self.threshold
    if len(signature) != n * 65:
        return INVALID
    last: uint256 = 0
    for i: uint256 in range(n, bound=MAX_OWNERS):
        # i < 8, so the offsets stay below 8 * 65 = 520.
        at: uint256 = i * 65
        r: bytes32 = extract32(signature, at)
        s: bytes32 = extract32(signature, at + 32)
        v: uint8 = convert(slice(signature, at + 64, 1), uint8)
        signer: address = ecrecover(digest, v, r, s)
        if signer == empty(address) or not self.is_owner[signer]:
            return INVALID
        if convert(signer, uint256) <= last:
            return INVALID
        last = convert(signer, uint256)
    return MAGIC
