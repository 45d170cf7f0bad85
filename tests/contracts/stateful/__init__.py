"""Stateful property tests: the contracts against a reference model of the constitution."""
