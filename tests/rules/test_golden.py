"""Golden files: the complete JSON output, scores included, of representative cases.

Each ``golden/*.json`` holds a ``case`` (the contract's input) and the ``expected``
result of ``suggest(case).to_dict()``, compared as text, byte for byte. The
``ruleset`` value changes with any edit to the package, so the files hold the
placeholder ``"RULESET"`` in its place (``test_ruleset.py`` tests the version).

A deliberate change to the knowledge or the scoring regenerates them in the same
commit, and the diff is what a reviewer reads::

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/rules/test_golden.py

To add a case, write ``golden/NN_what_it_shows.json`` holding only ``{"case": ...}``
and run the command above.
"""

import json
import os
from pathlib import Path

import pytest

from intake.rules import RULESET, suggest

GOLDEN = Path(__file__).parent / "golden"
FILES = sorted(GOLDEN.glob("*.json"))
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def rendered(case: dict) -> str:
    result = suggest(case).to_dict()
    assert result["ruleset"] == RULESET
    result["ruleset"] = "RULESET"
    return json.dumps({"case": case, "expected": result}, indent=2, ensure_ascii=False) + "\n"


def test_there_are_a_dozen_golden_cases():
    assert len(FILES) >= 12


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_output_matches_the_golden_file(path):
    stored = path.read_text(encoding="utf-8")
    expected = rendered(json.loads(stored)["case"])
    if UPDATE and stored != expected:
        path.write_text(expected, encoding="utf-8")
        pytest.skip(f"{path.name} rewritten: review the diff")
    assert stored == expected, f"{path.name} differs (UPDATE_GOLDEN=1 rewrites it deliberately)"
