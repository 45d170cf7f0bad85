"""Receipt gas of in-process calls, as a chain would charge it.

titanoboa runs message calls; a transaction's receipt also pays the
intrinsic 21,000, the calldata (EIP-2028: 4 per zero byte, 16 per other
byte; EIP-7623's floor where it is higher) and gets at most a fifth of the
execution back as refund (EIP-3529).
"""

from __future__ import annotations

from typing import Any

TX_BASE = 21_000


def calldata_gas(data: bytes) -> int:
    """Calldata cost under EIP-2028, with EIP-7623's floor applied by callers."""
    zeros = data.count(0)
    return 4 * zeros + 16 * (len(data) - zeros)


def receipt_gas(computation: Any) -> int:
    """The gas a transaction carrying this top-level call would be charged."""
    data: bytes = bytes(computation.msg.data)
    used: int = computation.get_gas_used()
    refund: int = min(computation.get_gas_refund(), (TX_BASE + calldata_gas(data) + used) // 5)
    standard = TX_BASE + calldata_gas(data) + used - refund
    tokens = data.count(0) + 4 * (len(data) - data.count(0))
    floor = TX_BASE + 10 * tokens  # EIP-7623 (Prague)
    return max(standard, floor)


def last_receipt_gas(contract: Any) -> int:
    """Receipt gas of the last call made through ``contract``."""
    return receipt_gas(contract._computation)


def begin_transaction() -> None:
    """Start a fresh transaction on the in-process EVM: every account and
    slot is cold again and each slot's original value is its current one
    (EIP-2929, EIP-2200), as at the start of a real transaction.

    It persists pending storage changes, so do not call it inside a
    ``boa.env.anchor()`` that is to be rolled back (tests); it is for
    measurement runs.
    """
    import boa

    boa.env.evm.vm.state.lock_changes()
