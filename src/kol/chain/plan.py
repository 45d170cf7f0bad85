"""The alliance's deployment plan: which contract goes at which nonce, with which constructor
arguments. Every deployment follows it — the in-process EVM (``kol.chain.inprocess``) and any
chain over JSON-RPC (``kol.chain.rpc``).

The contracts name each other, so their addresses are precomputed from the deployer's nonce n:

====  ==========  ==================================================
n     KOLToken    issuer = the Treasury, council = the Council
n+1   Council     admin, foundation, motions = the Motions engine, token = the KOLToken
n+2   Motions     council, economy = the Treasury (none: governance only)
n+3   Treasury    token, USDT, council, motions
====  ==========  ==================================================

On a dev chain a test USDT is deployed first (at n, shifting the others by one). Each
constructor checks its wiring; a deployment checks that every contract landed where planned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from eth_utils.address import is_address, to_checksum_address

from kol.chain.artifacts import create_address

__all__ = ["ZERO_ADDRESS", "ContractKey", "Plan", "Step", "plan_alliance"]

ZERO_ADDRESS: Final = "0x0000000000000000000000000000000000000000"

ContractKey = Literal["usdt", "token", "council", "motions", "treasury"]
"""A contract's role in the alliance (the keys of the deployment description)."""


@dataclass(frozen=True)
class Step:
    """One contract creation of the plan."""

    key: ContractKey
    contract: str
    """The source under ``contracts/`` (``"KOLToken"``, ``"dev/TestUSDT"``)."""
    args: tuple[str, ...]
    """Constructor arguments (all of them addresses)."""
    nonce: int
    address: str
    """Where the creation lands (``create_address(deployer, nonce)``)."""


@dataclass(frozen=True)
class Plan:
    """The ordered creations of one alliance from one deployer."""

    deployer: str
    steps: tuple[Step, ...]
    usdt: str | None
    """The fee token the Treasury takes (the test USDT of the plan, or an existing one)."""

    def address(self, key: ContractKey) -> str | None:
        """Where the plan puts ``key`` (None when it deploys no such contract)."""
        if key == "usdt":
            return self.usdt
        return next((s.address for s in self.steps if s.key == key), None)

    @property
    def deploys_test_usdt(self) -> bool:
        return any(s.key == "usdt" for s in self.steps)


def _checked(value: object, what: str) -> str:
    text = str(value)
    if not is_address(text):
        raise ValueError(f"{what} is not an address: {text!r}")
    return str(to_checksum_address(text))


def plan_alliance(
    deployer: str,
    nonce: int,
    *,
    admin: str,
    foundation: str,
    with_treasury: bool = True,
    usdt: str | None = None,
) -> Plan:
    """The creations that deploy the alliance from ``deployer`` whose next nonce is ``nonce``.

    Without ``with_treasury`` only the governance core is planned (the engine refuses economy
    motions; the token's issuer is still the Treasury's precomputed address, so no one can
    mint). With it, a test USDT comes first unless ``usdt`` names an existing token.
    """
    sender = _checked(deployer, "the deployer")
    admin, foundation = _checked(admin, "the administrator"), _checked(foundation, "the foundation")
    steps: list[Step] = []
    if with_treasury and usdt is None:
        usdt = create_address(sender, nonce)
        steps.append(Step("usdt", "dev/TestUSDT", (), nonce, usdt))
        nonce += 1
    elif usdt is not None:
        usdt = _checked(usdt, "the USDT")
    token_at, council_at, motions_at, treasury_at = (
        create_address(sender, nonce + i) for i in range(4)
    )
    steps += [
        Step("token", "KOLToken", (treasury_at, council_at), nonce, token_at),
        Step(
            "council", "Council", (admin, foundation, motions_at, token_at), nonce + 1, council_at
        ),
        Step(
            "motions",
            "Motions",
            (council_at, treasury_at if with_treasury else ZERO_ADDRESS),
            nonce + 2,
            motions_at,
        ),
    ]
    if with_treasury:
        assert usdt is not None
        steps.append(
            Step(
                "treasury",
                "Treasury",
                (token_at, usdt, council_at, motions_at),
                nonce + 3,
                treasury_at,
            )
        )
    return Plan(deployer=sender, steps=tuple(steps), usdt=usdt if with_treasury else None)
