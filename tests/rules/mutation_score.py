"""Print the mutation score of the last `make mutation` run.

Reads mutmut's results (``mutants/``) and the equivalent mutants listed in
intake/rules/README.md ("Mutation testing"): lines of the form
``- `intake.rules.engine.x_name__mutmut_3`: why it is equivalent``.
"""

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LISTED = re.compile(r"^- `(intake\.rules\.[\w.]+__mutmut_\d+)`", re.MULTILINE)


def main() -> int:
    output = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    status = dict(re.findall(r"^\s+(\S+): (.+)$", output, re.MULTILINE))
    equivalent = set(LISTED.findall((ROOT / "intake/rules/README.md").read_text()))
    counts = Counter(status.values())
    # An interrupted run leaves some unchecked: the score is of those checked.
    status = {name: result for name, result in status.items() if result != "not checked"}
    total = len(status)
    killed = counts["killed"] + counts["timeout"]
    real = [name for name in status if name not in equivalent]
    real_killed = sum(status[name] in ("killed", "timeout") for name in real)
    print(f"mutants: {total} ({', '.join(f'{n} {s}' for s, n in counts.most_common())})")
    print(f"score: {killed}/{total} killed ({100 * killed / max(total, 1):.1f}%)")
    print(
        f"non-equivalent: {real_killed}/{len(real)} killed "
        f"({100 * real_killed / max(len(real), 1):.1f}%), {len(equivalent)} listed as equivalent"
    )
    for name in real:
        if status[name] not in ("killed", "timeout"):
            print(f"  {status[name]}: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
