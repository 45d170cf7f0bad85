"""The contracts, attacked (issue 7): one file per attack family; each attack
asserts that it fails and that nothing changed. COVERAGE.md maps each family
to its tests here and to the unit tests that already cover the rest."""
