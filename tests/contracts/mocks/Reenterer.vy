# pragma version ~=0.4.3
# pragma evm-version prague
"""
@title A hostile client that re-enters from a token hook, for tests only
@custom:contract-name Reenterer
@license GNU Affero General Public License v3.0 only
@notice Acts as itself (`act`), and when a HookedToken calls its
        `token_hook` it makes the call it was armed with — once per hook,
        up to `max_reentries` times — recording whether it succeeded and
        what it returned or the revert data. A failed re-entry is swallowed,
        so the outer call goes on as a hostile token would let it.
"""


MAX_DATA: constant(uint256) = 2048

target: public(address)
data: public(Bytes[MAX_DATA])
max_reentries: public(uint256)
reentries: public(uint256)
hooks: public(uint256)
last_ok: public(bool)
last_response: public(Bytes[256])
successes: public(uint256)


@external
def act(target: address, data: Bytes[MAX_DATA]):
    raw_call(target, data)


@external
def arm(target: address, data: Bytes[MAX_DATA], max_reentries: uint256):
    self.target = target
    self.data = data
    self.max_reentries = max_reentries
    self.reentries = 0


@external
def token_hook(sender: address, to: address, amount: uint256):
    self.hooks += 1
    if self.reentries >= self.max_reentries:
        return
    self.reentries += 1
    ok: bool = False
    response: Bytes[256] = b""
    ok, response = raw_call(self.target, self.data, max_outsize=256, revert_on_failure=False)
    self.last_ok = ok
    self.last_response = response
    if ok:
        self.successes += 1
