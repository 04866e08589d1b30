"""Tally mutmut 3's results per module: killed, survived, timeouts and not yet run.

Run from the repository root after `nox -s mutants` (it reads `mutants/**/*.py.meta`); prints a
Markdown table for docs/mutation-testing.md and the names of the survivors.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code  # type: ignore[import-not-found]


def main(modules: list[str]) -> None:
    root = Path("mutants/src")
    print("| module | mutants | killed | survived | timeout | other | not run | score |")
    print("|---|---|---|---|---|---|---|---|")
    survivors: list[str] = []
    for meta in sorted(root.rglob("*.py.meta")):
        module = ".".join(meta.relative_to(root).with_suffix("").with_suffix("").parts)
        if modules and module not in modules:
            continue
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        tally: Counter[str] = Counter()
        for key, code in codes.items():
            status = "not run" if code is None else status_by_exit_code[code]
            tally[status] += 1
            if status == "survived":
                survivors.append(key)
        run = sum(tally.values()) - tally["not run"]
        if not run:
            continue
        other = run - tally["killed"] - tally["survived"] - tally["timeout"]
        score = 100 * (tally["killed"] + tally["timeout"]) / run
        print(
            f"| `{module}` | {len(codes)} | {tally['killed']} | {tally['survived']} | "
            f"{tally['timeout']} | {other} | {tally['not run']} | {score:.1f} % |"
        )
    print()
    print("\n".join(survivors))


if __name__ == "__main__":
    main(sys.argv[1:])
