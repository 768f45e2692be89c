"""tests/rules need no database and no Django: `make mutation` runs them without the
project's conftest (``--confcutdir=tests/rules -p no:django``)."""

import pytest
from hypothesis import Phase, settings

from intake.rules import engine

# `make mutation` (``--hypothesis-profile=mutation``) runs these tests once per mutant and
# only asks whether one fails: no time goes on shrinking the failing example.
settings.register_profile("mutation", phases=[Phase.explicit, Phase.reuse, Phase.generate])


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "processes: starts other Python processes (slow; left out of `make mutation`)"
    )


def pytest_collection_modifyitems(config, items):
    """Under `make mutation` a mutant's run stops at its first failure, so the tests most
    likely to fail soonest go first: the golden files (the whole output of fourteen cases),
    then the other plain tests, then the property-based ones."""

    def order(item) -> int:
        if item.path.name == "test_golden.py":
            return 0
        return 2 if getattr(item.obj, "is_hypothesis_test", False) else 1

    if config.getoption("hypothesis_profile", None) == "mutation":
        items.sort(key=order)


@pytest.fixture(autouse=True)
def _rules_worked_out_afresh():
    """Empty the engine's per-knowledge caches, so every test runs the rules' code
    rather than what an earlier test left behind (a mutant in cached code is then
    seen too)."""
    engine._INDEXES.clear()
