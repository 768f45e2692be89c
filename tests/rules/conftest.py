"""tests/rules need no database and no Django: `make mutation` runs them without the
project's conftest (``--confcutdir=tests/rules -p no:django``)."""

import pytest

from intake.rules import engine


@pytest.fixture(autouse=True)
def _rules_worked_out_afresh():
    """Empty the engine's per-knowledge caches, so every test runs the rules' code
    rather than what an earlier test left behind (a mutant in cached code is then
    seen too)."""
    engine._INDEXES.clear()
