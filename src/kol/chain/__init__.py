"""Chain adapter: contract artifacts, deployment and the backends (in-process EVM, JSON-RPC)."""
