# pragma version ~=0.4.3
# pragma evm-version prague
"""
@title Test USDT for development chains
@custom:contract-name TestUSDT
@license GNU Affero General Public License v3.0 only
@notice A 6-decimal token that behaves like mainnet USDT where it matters
        to the treasury: `transfer`, `transferFrom` and `approve` return
        nothing, and changing a non-zero allowance to another non-zero
        value reverts (approve to 0 first). Anyone may mint on a dev chain.
        Never deploy it on a real network.
"""


event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256


event Approval:
    owner: indexed(address)
    spender: indexed(address)
    value: uint256


name: public(constant(String[10])) = "Tether USD"
symbol: public(constant(String[4])) = "USDT"
decimals: public(constant(uint8)) = 6

totalSupply: public(uint256)
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])


@external
def mint(to: address, amount: uint256):
    """
    @dev Dev-chain faucet.
    """
    self.totalSupply += amount
    self.balanceOf[to] += amount
    log Transfer(sender=empty(address), receiver=to, value=amount)


@external
def transfer(to: address, amount: uint256):
    """
    @dev Returns nothing, like mainnet USDT.
    """
    self._move(msg.sender, to, amount)


@external
def transferFrom(owner: address, to: address, amount: uint256):
    """
    @dev Returns nothing, like mainnet USDT.
    """
    allowed: uint256 = self.allowance[owner][msg.sender]
    assert allowed >= amount, "usdt: allowance"
    if allowed != max_value(uint256):
        self.allowance[owner][msg.sender] = allowed - amount
    self._move(owner, to, amount)


@external
def approve(spender: address, amount: uint256):
    """
    @dev Reverts when both the old and the new allowance are non-zero.
    """
    assert amount == 0 or self.allowance[msg.sender][spender] == 0, "usdt: approve to 0 first"
    self.allowance[msg.sender][spender] = amount
    log Approval(owner=msg.sender, spender=spender, value=amount)


@internal
def _move(owner: address, to: address, amount: uint256):
    assert self.balanceOf[owner] >= amount, "usdt: balance"
    self.balanceOf[owner] -= amount
    self.balanceOf[to] += amount
    log Transfer(sender=owner, receiver=to, value=amount)
