"""Run every benchmark under scripts/bench/ and print one table of the results.

Usage: python scripts/bench/run_all.py [NAME ...]   (NAME: part of a script name, e.g. report)
The table has one row per result: benchmark, ours, baseline (measured in the same run), ratio
(ours / baseline) and the target; a target like "<= 0.5x" or ">= 2x" is checked against the ratio.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
SKIP = {"run_all.py", "benchlib.py"}
TIMEOUT_S = 1800
TARGET = re.compile(r"^\s*(<=|>=|<|>|≤|≥)\s*([0-9]*\.?[0-9]+)\s*x?\s*$")


def run_one(script: Path) -> tuple[list[dict[str, object]], str]:
    """Run one benchmark script; returns its result lines and, on failure, the error tail."""
    try:
        proc = subprocess.run(
            [sys.executable, str(script)],
            capture_output=True,
            text=True,
            cwd=HERE.parent.parent,
            timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        return [], f"took longer than {TIMEOUT_S} s"
    results = [
        json.loads(line[6:]) for line in proc.stdout.splitlines() if line.startswith("BENCH ")
    ]
    error = "" if proc.returncode == 0 else (proc.stderr.strip().splitlines() or ["failed"])[-1]
    if not error and not results:
        error = "printed no BENCH line"
    return results, error


def target_met(ratio: float, target: str) -> bool | None:
    """Whether the ratio meets a target such as '<= 0.5x'; None when the target is prose."""
    match = TARGET.match(target)
    if match is None:
        return None
    op, bound = match.group(1), float(match.group(2))
    return {
        "<=": ratio <= bound, "≤": ratio <= bound, "<": ratio < bound,
        ">=": ratio >= bound, "≥": ratio >= bound, ">": ratio > bound,
    }[op]  # fmt: skip


def _row(r: dict[str, object]) -> tuple[list[str], bool | None]:
    unit = r.get("unit", "")
    ours, baseline = float(r["ours"]), float(r["baseline"])  # type: ignore[arg-type]
    # Recomputed: the protocol line rounds the ratio to 3 decimals, and tiny ratios matter.
    ratio = ours / baseline if baseline else float(r["ratio"])  # type: ignore[arg-type]
    met = target_met(ratio, str(r["target"]))
    mark = {True: "[green]met[/]", False: "[red]missed[/]", None: ""}[met]
    return [
        str(r["benchmark"]),
        f"{ours:.3g} {unit}",
        f"{baseline:.3g} {unit}",
        f"{ratio:.3g}x",
        str(r["target"]),
        mark,
        str(r.get("note") or ""),
    ], met


def select(names: list[str]) -> list[Path]:
    """The benchmark scripts, all or those whose name contains one of `names`."""
    scripts = sorted(
        p for p in HERE.glob("*.py") if p.name not in SKIP and not p.name.startswith("_")
    )
    return [p for p in scripts if not names or any(n in p.stem for n in names)]


def main(argv: list[str] | None = None) -> int:
    console = Console()
    if not console.is_terminal:
        console = Console(width=160)  # piped or in CI: keep one result on one line
    scripts = select(list(sys.argv[1:] if argv is None else argv))
    if not scripts:
        console.print(f"no benchmark scripts found in {HERE}")
        return 1
    table = Table(title="creative-flow benchmarks (ratio = ours / baseline)")
    for column in ("benchmark", "ours", "baseline", "ratio", "target", "", "note"):
        table.add_column(column, justify="left" if column in {"benchmark", "note"} else "right")
    failed = missed = met = 0
    for script in scripts:
        started = time.monotonic()
        console.print(f"running {script.name} ...")
        results, error = run_one(script)
        if error:
            failed += 1
            table.add_row(script.stem, "-", "-", "-", "-", "[red]failed[/]", error)
        for r in results:
            cells, ok = _row(r)
            met += ok is True
            missed += ok is False
            table.add_row(*cells)
        console.print(f"  done in {time.monotonic() - started:.0f} s")
    console.print(table)
    console.print(f"{met} target(s) met, {missed} missed, {failed} script(s) failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
