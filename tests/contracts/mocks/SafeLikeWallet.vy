# pragma version ~=0.4.3
# pragma evm-version prague
"""
@title A wallet that checks signatures the way a Safe does, for tests only
@custom:contract-name SafeLikeWallet
@license GNU Affero General Public License v3.0 only
@notice ERC-1271 `isValidSignature(bytes32,bytes)` as a Safe's
        compatibility handler answers it: the owners do not sign the
        digest itself but the Safe's own EIP-712 message wrapping it,
        SafeMessage(bytes message) with message = abi.encode(digest), in
        the domain (chainId, this wallet), so that a signature made for one
        Safe can never serve another. The signature is `threshold` 65-byte
        owner signatures sorted by owner address: v 27/28 for a signature of
        the message hash, v 31/32 for an `eth_sign` of it (v - 4). A bad
        signature reverts, as a Safe's `checkSignatures` does.
"""


MAX_OWNERS: constant(uint256) = 8
MAX_SIGNATURE: constant(uint256) = 1024
MAGIC: constant(bytes4) = 0x1626ba7e
DOMAIN_TYPEHASH: constant(bytes32) = keccak256("EIP712Domain(uint256 chainId,address verifyingContract)")
SAFE_MESSAGE_TYPEHASH: constant(bytes32) = keccak256("SafeMessage(bytes message)")

owners: public(DynArray[address, MAX_OWNERS])
threshold: public(uint256)
is_owner: public(HashMap[address, bool])


@deploy
def __init__(owners_: DynArray[address, MAX_OWNERS], threshold_: uint256):
    assert threshold_ >= 1 and threshold_ <= len(owners_), "safe: bad threshold"
    for o: address in owners_:
        assert o != empty(address) and not self.is_owner[o], "safe: bad owner"
        self.is_owner[o] = True
    self.owners = owners_
    self.threshold = threshold_


@external
@view
def message_hash(digest: bytes32) -> bytes32:
    """
    @dev What the owners sign to approve `digest` for this wallet.
    """
    return self._message_hash(digest)


@external
@view
def isValidSignature(digest: bytes32, signature: Bytes[MAX_SIGNATURE]) -> bytes4:
    h: bytes32 = self._message_hash(digest)
    n: uint256 = self.threshold
    assert len(signature) >= n * 65, "safe: signatures too short"
    last: uint256 = 0
    for i: uint256 in range(n, bound=MAX_OWNERS):
        at: uint256 = i * 65
        r: bytes32 = extract32(signature, at)
        s: bytes32 = extract32(signature, at + 32)
        v: uint8 = convert(slice(signature, at + 64, 1), uint8)
        signer: address = empty(address)
        if v > 30:
            prefixed: bytes32 = keccak256(concat(b"\x19Ethereum Signed Message:\n32", h))
            signer = ecrecover(prefixed, v - 4, r, s)
        else:
            signer = ecrecover(h, v, r, s)
        assert signer != empty(address) and self.is_owner[signer], "safe: not an owner"
        assert convert(signer, uint256) > last, "safe: owners out of order"
        last = convert(signer, uint256)
    return MAGIC


@internal
@view
def _message_hash(digest: bytes32) -> bytes32:
    domain: bytes32 = keccak256(abi_encode(DOMAIN_TYPEHASH, chain.id, self))
    message: bytes32 = keccak256(abi_encode(SAFE_MESSAGE_TYPEHASH, keccak256(abi_encode(digest))))
    return keccak256(concat(b"\x19\x01", domain, message))
