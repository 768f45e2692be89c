"""How fast is ``suggest``? Run ``python -m intake.rules.bench``.

Times one call for a six-region case with symptoms and precautions (the
target is under 100 microseconds), and the same with ``to_dict`` and the
JSON the command prints. Prints the median of several repeats, and calls
per second, as a small table. Standard library only.
"""

from __future__ import annotations

import json
import statistics
import timeit
from collections.abc import Callable

from .engine import RULESET, suggest

TARGET_MICROSECONDS = 100

CASE: dict[str, object] = {
    "pain": [
        {"region": "low_back", "side": "center", "intensity": 6},
        {"region": "buttock", "side": "left", "intensity": 7},
        {"region": "sacroiliac", "side": "left", "intensity": 5},
        {"region": "hip", "side": "left", "intensity": 4},
        {"region": "thigh_side", "side": "left", "intensity": 3},
        {"region": "groin", "side": "right", "intensity": 2},
    ],
    "duration_weeks": 20,
    "symptoms": ["worse_upright", "braces_with_arms", "hip_stiffness", "worse_sitting"],
    "red_flags": [],
    "precautions": ["anticoagulants", "osteoporosis"],
}


def _median_microseconds(call: Callable[[], object], repeat: int, number: int) -> float:
    timings = timeit.repeat(call, repeat=repeat, number=number)
    return statistics.median(timings) / number * 1e6


def main(repeat: int = 7, number: int = 2000) -> None:
    rows = [
        ("suggest(case)", _median_microseconds(lambda: suggest(CASE), repeat, number)),
        (
            "suggest + to_dict + json",
            _median_microseconds(
                lambda: json.dumps(suggest(CASE).to_dict(), indent=2), repeat, number
            ),
        ),
    ]
    print(f"intake.rules benchmark, ruleset {RULESET}, six regions, median of {repeat} x {number}")
    print(f"{'what':<26} {'us/call':>9} {'calls/s':>10}")
    for label, microseconds in rows:
        print(f"{label:<26} {microseconds:>9.1f} {1e6 / microseconds:>10,.0f}")
    # A benchmark reports; it does not fail a build on a busy machine.
    met = rows[0][1] < TARGET_MICROSECONDS
    print(f"target: suggest under {TARGET_MICROSECONDS} us a call: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
