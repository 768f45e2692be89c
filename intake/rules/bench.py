"""How fast is ``suggest``? Run ``python -m intake.rules.bench`` (or ``make bench-rules``).

Times one call for a six-region case with symptoms, precautions and an age
(the target is under 100 microseconds), measured as CPU time of this process
(``time.process_time``), so that other work on a busy machine does not
decide the verdict. Also times a cold call (the engine's per-case caches
emptied first: the cost for a pattern of pain it has not seen yet) and the
call with ``to_dict`` and the JSON the command prints. Prints the median and
the best of several repeats, as a small table. Standard library only.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable

from .engine import RULESET, _index, suggest

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
    "age": 58,
    "symptoms": ["worse_upright", "braces_with_arms", "hip_stiffness", "worse_sitting"],
    "red_flags": [],
    "precautions": ["anticoagulants", "osteoporosis"],
}


def _cpu_microseconds(call: Callable[[], object], repeat: int, number: int) -> list[float]:
    """CPU time per call, in microseconds, for each of ``repeat`` runs of ``number`` calls."""
    runs = []
    for _ in range(repeat):
        start = time.process_time()
        for _ in range(number):
            call()
        runs.append((time.process_time() - start) / number * 1e6)
    return runs


def _cold() -> object:
    index = _index(None)
    index.rule_results.clear()
    index._explained.clear()
    index._cautions_for.clear()
    return suggest(CASE)


def main(repeat: int = 7, number: int = 2000) -> None:
    rows = [
        ("suggest(case)", _cpu_microseconds(lambda: suggest(CASE), repeat, number)),
        ("suggest, cold caches", _cpu_microseconds(_cold, repeat, number // 4)),
        (
            "suggest + to_dict + json",
            _cpu_microseconds(
                lambda: json.dumps(suggest(CASE).to_dict(), indent=2), repeat, number // 4
            ),
        ),
    ]
    print(
        f"intake.rules benchmark, ruleset {RULESET}, six regions, "
        f"CPU time (time.process_time), {repeat} runs"
    )
    print(f"{'what':<26} {'median us':>10} {'best us':>9} {'calls/s':>10}")
    for label, runs in rows:
        median = statistics.median(runs)
        print(f"{label:<26} {median:>10.1f} {min(runs):>9.1f} {1e6 / median:>10,.0f}")
    # A benchmark reports; it does not fail a build.
    median = statistics.median(rows[0][1])
    met = median < TARGET_MICROSECONDS
    print(
        f"target: suggest under {TARGET_MICROSECONDS} us of CPU a call (median): "
        f"{'met' if met else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
