"""The KOL Community Alliance: its constitution on-chain and the platform around it."""

__version__ = "0.1.0"
