"""Hypothesis profiles of the stateful tests.

``ci`` runs in every ``pytest`` run (about a minute on two cores); ``long`` is
the deep search, run only when asked::

    KOL_HYPOTHESIS_PROFILE=long pytest tests/contracts/stateful -q

The profiles are registered here but never loaded globally: each stateful
test passes ``settings.get_profile(PROFILE)`` to its own run, so the other
hypothesis tests of the suite keep their settings.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE = os.environ.get("KOL_HYPOTHESIS_PROFILE", "ci")
PROFILES = ("ci", "long")
if PROFILE not in PROFILES:
    raise ValueError(f"KOL_HYPOTHESIS_PROFILE must be one of {PROFILES}, not {PROFILE!r}")

_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

settings.register_profile(
    "ci",
    max_examples=25,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=_SLOW_IS_FINE,
    print_blob=True,
)
settings.register_profile(
    "long",
    max_examples=2_000,
    stateful_step_count=200,
    deadline=None,
    suppress_health_check=_SLOW_IS_FINE,
    print_blob=True,
)
