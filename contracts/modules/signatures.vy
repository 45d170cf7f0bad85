# pragma version ~=0.4.3
# pragma evm-version prague
"""
@title Signature checks for relayed ballots and sponsorships
@custom:contract-name signatures
@license GNU Affero General Public License v3.0 only
@notice Stateless. An ECDSA signature by the signer's key, or — for a
        member that is a contract wallet (a multisig, a smart account) —
        ERC-1271 approval. Never reverts on a bad signature: it is
        `False`, so that a relayed batch can skip it and go on (a wallet
        is given at most MAX_WALLET_GAS to answer, and the call reverts
        when less than that is left). Malleable (high-s)
        signatures, other `v` values and the zero address are refused.
"""


# @dev Largest contract-wallet signature (e.g. a Safe with 15 owners).
MAX_WALLET_SIGNATURE: constant(uint256) = 1024
# @dev secp256k1n / 2: signatures with a larger `s` are malleable copies.
MAX_S: constant(uint256) = 57896044618658097711785492504343953926418782139537452191302581570759080747168
# @dev bytes4(keccak256("isValidSignature(bytes32,bytes)")).
ERC1271_MAGIC: constant(bytes4) = 0x1626ba7e
# @dev Gas a wallet is given to answer (a Safe of 15 owners, or a smart
# account verifying a P-256 passkey in code, needs well under this). The
# cap keeps a wallet that burns all it is given from starving the rest of
# a relayed batch: without it, two such wallets in one batch made the
# whole batch revert at any gas limit.
MAX_WALLET_GAS: constant(uint256) = 500_000
# @dev Left before asking a wallet: the cap plus what the EIP-150 rule
# (63/64) keeps back, so that a relayer cannot starve a wallet's answer
# (and get its good ballot skipped) by sending too little gas.
WALLET_GAS_NEEDED: constant(uint256) = MAX_WALLET_GAS * 64 // 63 + 10_000


@internal
@pure
def _recover(digest: bytes32, v: uint8, r: bytes32, s: bytes32) -> address:
    """
    @dev ecrecover that refuses malleable (high-s) signatures and never
         reverts: returns the zero address on any bad signature.
    """
    if convert(s, uint256) > MAX_S or (v != 27 and v != 28):
        return empty(address)
    return ecrecover(digest, v, r, s)


@internal
@view
def _signed_by(signer: address, digest: bytes32, v: uint8, r: bytes32, s: bytes32) -> bool:
    """
    @dev True when `signer` signed `digest`: an ECDSA signature by its key
         or, for a contract wallet, ERC-1271 approval of the same 65 bytes.
    """
    if signer == empty(address):
        return False
    if self._recover(digest, v, r, s) == signer:
        return True
    if not signer.is_contract:
        return False
    return self._wallet_signed(signer, digest, concat(r, s, convert(v, bytes1)))


@internal
@view
def _wallet_signed(wallet: address, digest: bytes32, signature: Bytes[MAX_WALLET_SIGNATURE]) -> bool:
    """
    @dev ERC-1271: asks `wallet` whether `signature` approves `digest`.
    """
    if not wallet.is_contract:
        return False
    assert msg.gas >= WALLET_GAS_NEEDED, "signatures: too little gas left to ask a wallet (send more gas)"
    ok: bool = False
    response: Bytes[32] = b""
    ok, response = raw_call(
        wallet,
        abi_encode(digest, signature, method_id=method_id("isValidSignature(bytes32,bytes)")),
        max_outsize=32,
        gas=MAX_WALLET_GAS,
        is_static_call=True,
        revert_on_failure=False,
    )
    return ok and len(response) == 32 and convert(slice(response, 0, 4), bytes4) == ERC1271_MAGIC
