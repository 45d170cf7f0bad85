"""The dev keys of the demo and of ``kol up``'s devnet: derived from a seed and a label, so
that every process of a devnet (the CLI's ``--dev``, the relayer, the keeper, the web dapp's
dev wallet) finds the same people. Their private keys are public: dev chains only."""

from __future__ import annotations

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak

__all__ = ["dev_key"]


def dev_key(seed: int, label: str) -> LocalAccount:
    """A deterministic dev key (never use these outside a dev chain)."""
    account: LocalAccount = Account.from_key(keccak(text=f"kol-demo:{seed}:{label}"))
    return account
