# pragma version ~=0.4.3
# pragma evm-version prague
"""
@title A USDT-like token with transfer hooks, for tests only
@custom:contract-name HookedToken
@license GNU Affero General Public License v3.0 only
@notice Six decimals, and `transfer` / `transferFrom` return nothing, as
        USDT's do. An account may register for hooks (ERC-777 style): the
        token calls `token_hook(from, to, amount)` on a registered sender
        before the balances move and on a registered recipient after, so
        that a hostile holder gets control in the middle of the treasury's
        transfers. A reverting hook reverts the transfer.
"""


interface IHook:
    def token_hook(sender: address, to: address, amount: uint256): nonpayable


decimals: public(constant(uint8)) = 6
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
hooked: public(HashMap[address, bool])


@external
def mint(to: address, amount: uint256):
    self.balanceOf[to] += amount


@external
def register_hook(on: bool):
    self.hooked[msg.sender] = on


@external
def approve(spender: address, amount: uint256) -> bool:
    self.allowance[msg.sender][spender] = amount
    return True


@external
def transfer(to: address, amount: uint256):
    self._move(msg.sender, to, amount)


@external
def transferFrom(owner: address, to: address, amount: uint256):
    allowed: uint256 = self.allowance[owner][msg.sender]
    if allowed != max_value(uint256):
        self.allowance[owner][msg.sender] = allowed - amount
    self._move(owner, to, amount)


@internal
def _move(sender: address, to: address, amount: uint256):
    if self.hooked[sender]:
        extcall IHook(sender).token_hook(sender, to, amount)
    self.balanceOf[sender] -= amount
    self.balanceOf[to] += amount
    if self.hooked[to]:
        extcall IHook(to).token_hook(sender, to, amount)
