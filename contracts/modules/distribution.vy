# pragma version ~=0.4.3
# pragma evm-version prague
"""
@title Distribution pools: matched batches, genesis months, claims and delivery
@custom:contract-name distribution
@license GNU Affero General Public License v3.0 only
@notice Constitution §7, §8 and §11.4, inside the token.
        Issued KOL never sits with a person before it is claimed: it is
        held by pool accounts of the token, addresses that no key controls,
        all beginning with "KOL-POOL" (`POOL_TAG`, the top 64 bits):
          - pools 2b and 2b + 1 (the low 64 bits) hold batch b's user part
            (80%) and leader part (20%);
          - the genesis tranches released and not yet claimed are held by
            the pool of the latest genesis month: bit 95 set and 95 bits of
            keccak256(root, month, release block) below it. A claim names
            them, and the pool's balance is what proves they were released
            (forging another triple with the same 95 bits is a 2**95 search).
            Each release moves the previous month's unclaimed KOL into the
            new pool.
        A claim moves one leaf's amount from its pool to the recipient, so a
        pool's balance is exactly what its part has left: the stated
        sub-totals can never be exceeded, and every transfer is an ordinary
        ERC-20 `Transfer` from a pool (an indexer learns the pools from
        `BatchOpened` and `GenesisMonthOpened`, and which leaf a claim paid
        from the published list or `is_claimed`). KOL cannot be sent to a pool by
        `transfer` or `transferFrom`, so no one can fund a pool of a list
        that was never released, nor top up a part.
        Lists are OpenZeppelin standard Merkle trees (double-hashed
        ABI-encoded leaves, sorted pairs):
          - a batch leaf is (uint256 index, address account, uint8 role,
            uint256 amount); its index is its claim bit;
          - a genesis leaf is (address leader, uint256 cumulative paid,
            uint256 cumulative forfeited): each month's root restates every
            leader's entitlement so far, and a leader claims the difference
            from what it has claimed, in whole tranches. The council checks
            the leader's seat and keeps that count in its member word.
"""

from ethereum.ercs import IERC20
from snekmate.tokens import erc20

uses: erc20


# CONSTANTS #

# @dev The top 64 bits of every pool address.
POOL_TAG: constant(uint256) = 5_426_639_833_509_351_244  # 0x4b4f4c2d504f4f4c, "KOL-POOL"
# @dev Set in every genesis pool address (bit 95), never in a batch pool's.
GENESIS_BIT: constant(uint256) = 2**95

# @dev Leaf roles of a batch (§7).
USER: constant(uint8) = 0
LEADER: constant(uint8) = 1

# @dev Genesis tranche and allotment (§8, fixed constitution).
TRANCHE: constant(uint256) = 1_000 * 10**18
TRANCHES: constant(uint256) = 10

# @dev Bounds: a proof covers lists of up to 2**32 leaves; one delivery
# carries at most 256 leaves.
MAX_PROOF: constant(uint256) = 32
MAX_DELIVERY: constant(uint256) = 256
MAX_INDEX: constant(uint256) = 2**32



# STRUCTS #

struct Leaf:
    index: uint256
    account: address
    role: uint8
    amount: uint256


# EVENTS #

event BatchOpened:
    batch_id: indexed(uint256)
    root: bytes32
    user_pool: address
    leader_pool: address
    user_total: uint256
    leader_total: uint256
    minted: bool


event GenesisMonthOpened:
    month: indexed(uint256)
    root: bytes32
    pool: address
    released: uint256


# STORAGE #

# @dev Each batch's Merkle root (ids start at 1).
batch_roots: HashMap[uint256, bytes32]
# @dev Batches opened so far.
batch_count: uint256
# @dev Claim bits: key (batch id << 32 | leaf index >> 8), bit index & 255.
claimed_words: HashMap[uint256, uint256]
# @dev Genesis roots: month | release block << 8 of the latest month that
# released it (0: not a genesis root). A month that pays and forfeits nothing
# new has the same cumulative list, hence the same root, as the one before.
genesis_months: HashMap[bytes32, uint256]
# @dev The pool of the latest genesis month (unclaimed released tranches).
genesis_pool: address


# POOLS #

@internal
@pure
def _pool(number: uint256) -> address:
    return convert(convert((POOL_TAG << 96) | number, uint160), address)


@internal
@pure
def _is_pool(account: address) -> bool:
    return convert(account, uint256) >> 96 == POOL_TAG


@internal
@pure
def _genesis_pool(root: bytes32, month: uint256, release_block: uint256) -> address:
    digest: uint256 = convert(keccak256(abi_encode(root, month, release_block)), uint256)
    return convert(convert((POOL_TAG << 96) | GENESIS_BIT | (digest & (GENESIS_BIT - 1)), uint160), address)


@internal
@pure
def _batch_pool(batch_id: uint256, role: uint8) -> address:
    return self._pool((batch_id << 1) | convert(role, uint256))


# OPENING #

@internal
def _open_batch(root: bytes32, user_total: uint256, leader_total: uint256, source: address) -> uint256:
    """
    @dev Opens a batch: its two parts are minted into its pools (`source`
         empty) or moved there from `source` (circulation mode).
    @return uint256 The batch id.
    """
    assert root != empty(bytes32), "distribution: a batch needs a Merkle root"
    total: uint256 = user_total + leader_total
    assert total != 0, "distribution: a batch distributes more than 0 KOL"
    assert user_total == total * 4 // 5, "distribution: the user part is 80% of the batch (total * 4 // 5) and the leader part the rest"
    batch_id: uint256 = self.batch_count + 1
    self.batch_count = batch_id
    self.batch_roots[batch_id] = root
    user_pool: address = self._batch_pool(batch_id, USER)
    leader_pool: address = self._batch_pool(batch_id, LEADER)
    if source == empty(address):
        erc20._mint(user_pool, user_total)
        erc20._mint(leader_pool, leader_total)
    else:
        erc20._transfer(source, user_pool, user_total)
        erc20._transfer(source, leader_pool, leader_total)
    log BatchOpened(
        batch_id=batch_id,
        root=root,
        user_pool=user_pool,
        leader_pool=leader_pool,
        user_total=user_total,
        leader_total=leader_total,
        minted=source == empty(address),
    )
    return batch_id


@internal
def _open_genesis_month(root: bytes32, month: uint256, released: uint256):
    """
    @dev Records month `month`'s cumulative root and mints the tranches it
         newly pays into the genesis pool.
    """
    assert root != empty(bytes32), "distribution: a genesis month needs a Merkle root"
    assert month != 0 and month < 256, "distribution: genesis months are numbered 1 to 255"
    self.genesis_months[root] = month | (block.number << 8)
    pool: address = self._genesis_pool(root, month, block.number)
    previous: address = self.genesis_pool
    if previous != empty(address):
        unclaimed: uint256 = erc20.balanceOf[previous]
        if unclaimed != 0:
            erc20._transfer(previous, pool, unclaimed)
    self.genesis_pool = pool
    if released != 0:
        erc20._mint(pool, released)
    log GenesisMonthOpened(month=month, root=root, pool=pool, released=released)


# CLAIMS #

@internal
@pure
def _batch_leaf(index: uint256, account: address, role: uint8, amount: uint256) -> bytes32:
    return keccak256(keccak256(abi_encode(index, account, role, amount)))


@internal
@pure
def _hash_pair(a: bytes32, b: bytes32) -> bytes32:
    if convert(a, uint256) < convert(b, uint256):
        return keccak256(concat(a, b))
    return keccak256(concat(b, a))


@internal
@pure
def _root(proof: DynArray[bytes32, MAX_PROOF], leaf: bytes32) -> bytes32:
    node: bytes32 = leaf
    for sibling: bytes32 in proof:
        # Sorted pairs (OpenZeppelin), hashed inline: this loop is every
        # claim's hot path.
        if convert(node, uint256) < convert(sibling, uint256):
            node = keccak256(concat(node, sibling))
        else:
            node = keccak256(concat(sibling, node))
    return node


@internal
def _take_claim_bit(batch_id: uint256, index: uint256) -> bool:
    """
    @dev Sets the claim bit of leaf `index`; False if it was already set.
    """
    key: uint256 = (batch_id << 32) | (index >> 8)
    bit: uint256 = 1 << (index & 255)
    word: uint256 = self.claimed_words[key]
    if word & bit != 0:
        return False
    self.claimed_words[key] = word | bit
    return True


@internal
def _pay_leaf(batch_id: uint256, leaf: Leaf):
    """
    @dev Moves a leaf's amount from its part's pool to its account.
    """
    pool: address = self._batch_pool(batch_id, leaf.role)
    assert erc20.balanceOf[pool] >= leaf.amount, "distribution: the claims would exceed the batch's stated part (80% users, 20% leaders)"
    erc20._transfer(pool, leaf.account, leaf.amount)


@internal
@pure
def _check_leaf(leaf: Leaf):
    assert leaf.role == USER or leaf.role == LEADER, "distribution: a leaf's role is 0 (user) or 1 (leader)"
    assert leaf.index < MAX_INDEX, "distribution: a leaf index is below 2**32"


@internal
def _claim(batch_id: uint256, leaf: Leaf, proof: DynArray[bytes32, MAX_PROOF]):
    """
    @dev Pays one leaf of a batch, proven by `proof`; anyone may send it,
         the KOL goes to the leaf's account.
    """
    root: bytes32 = self.batch_roots[batch_id]
    assert root != empty(bytes32), "distribution: no such batch"
    self._check_leaf(leaf)
    assert self._take_claim_bit(batch_id, leaf.index), "distribution: this leaf is already claimed"
    assert self._root(proof, self._batch_leaf(leaf.index, leaf.account, leaf.role, leaf.amount)) == root, "distribution: the proof does not prove this leaf in the batch's list"
    self._pay_leaf(batch_id, leaf)


@internal
def _deliver(
    batch_id: uint256,
    leaves: DynArray[Leaf, MAX_DELIVERY],
    proof: DynArray[bytes32, MAX_DELIVERY],
    flags: DynArray[bool, 2 * MAX_DELIVERY],
) -> uint256:
    """
    @dev Pays many leaves of a batch at once, proven together by an
         OpenZeppelin multiproof (`leaves` in the multiproof's order);
         leaves already claimed are skipped.
    @return uint256 The number of leaves paid.
    """
    root: bytes32 = self.batch_roots[batch_id]
    assert root != empty(bytes32), "distribution: no such batch"
    hashes: DynArray[bytes32, MAX_DELIVERY] = []
    for leaf: Leaf in leaves:
        self._check_leaf(leaf)
        hashes.append(self._batch_leaf(leaf.index, leaf.account, leaf.role, leaf.amount))
    assert self._multi_root(hashes, proof, flags) == root, "distribution: the multiproof does not prove these leaves in the batch's list"
    paid: uint256 = 0
    for leaf: Leaf in leaves:
        if self._take_claim_bit(batch_id, leaf.index):
            self._pay_leaf(batch_id, leaf)
            paid += 1
    return paid


@internal
@pure
def _multi_root(
    leaves: DynArray[bytes32, MAX_DELIVERY],
    proof: DynArray[bytes32, MAX_DELIVERY],
    flags: DynArray[bool, 2 * MAX_DELIVERY],
) -> bytes32:
    """
    @dev The root that an OpenZeppelin multiproof reaches: each flag says
         whether the next pair takes its second node from the leaves and
         hashes so far (True) or from the proof (False).
    """
    leaf_count: uint256 = len(leaves)
    total: uint256 = len(flags)
    assert leaf_count + len(proof) == total + 1, "distribution: malformed multiproof (leaves + proof != flags + 1)"
    hashes: DynArray[bytes32, 2 * MAX_DELIVERY] = []
    leaf_pos: uint256 = 0
    hash_pos: uint256 = 0
    proof_pos: uint256 = 0
    for i: uint256 in range(total, bound=2 * MAX_DELIVERY):
        a: bytes32 = empty(bytes32)
        if leaf_pos < leaf_count:
            a = leaves[leaf_pos]
            leaf_pos += 1
        else:
            a = hashes[hash_pos]
            hash_pos += 1
        b: bytes32 = empty(bytes32)
        if flags[i]:
            if leaf_pos < leaf_count:
                b = leaves[leaf_pos]
                leaf_pos += 1
            else:
                b = hashes[hash_pos]
                hash_pos += 1
        else:
            b = proof[proof_pos]
            proof_pos += 1
        hashes.append(self._hash_pair(a, b))
    if total != 0:
        assert proof_pos == len(proof), "distribution: malformed multiproof (unused proof nodes)"
        return hashes[total - 1]
    if leaf_count != 0:
        return leaves[0]
    return proof[0]


@internal
@pure
def _genesis_entitlement(
    root: bytes32,
    month: uint256,
    leader: address,
    cum_paid: uint256,
    cum_forfeited: uint256,
    proof: DynArray[bytes32, MAX_PROOF],
) -> uint256:
    """
    @dev Checks a leader's leaf of a genesis month's list.
    @return uint256 The leader's cumulative paid tranches in that list.
    """
    assert cum_paid % TRANCHE == 0 and cum_forfeited % TRANCHE == 0, "genesis: entitlements are whole tranches of 1,000 KOL"
    assert cum_paid + cum_forfeited <= min(month, TRANCHES) * TRANCHE, "genesis: a leader's paid and forfeited tranches are at most 1,000 KOL a month elapsed and 10,000 KOL in all"
    assert self._root(proof, keccak256(keccak256(abi_encode(leader, cum_paid, cum_forfeited)))) == root, "genesis: the proof does not prove this leader's entitlement in the month's list"
    return cum_paid // TRANCHE


@internal
def _pay_genesis(root: bytes32, month: uint256, release_block: uint256, leader: address, amount: uint256):
    """
    @dev Pays `amount` from the pool of the genesis month (`root`, `month`,
         `release_block`): only the latest released month's pool holds KOL.
    """
    pool: address = self._genesis_pool(root, month, release_block)
    left: uint256 = erc20.balanceOf[pool]
    assert left >= amount, "genesis: not the latest released month (claim from its list), or the claims would exceed the tranches released"
    erc20.balanceOf[pool] = unsafe_sub(left, amount)
    erc20.balanceOf[leader] = unsafe_add(erc20.balanceOf[leader], amount)
    log IERC20.Transfer(sender=pool, receiver=leader, value=amount)
