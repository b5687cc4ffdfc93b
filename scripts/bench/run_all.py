"""Run every benchmark under scripts/bench/ and print one table of the results."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
SKIP = {"run_all.py", "benchlib.py"}


def run_one(script: Path) -> tuple[list[dict[str, object]], str]:
    """Run one benchmark script; returns its result lines and, on failure, the error tail."""
    proc = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=HERE.parent.parent
    )
    results = [
        json.loads(line[6:]) for line in proc.stdout.splitlines() if line.startswith("BENCH ")
    ]
    error = "" if proc.returncode == 0 else (proc.stderr.strip().splitlines() or ["failed"])[-1]
    return results, error


def main() -> int:
    console = Console()
    table = Table(title="creative-flow benchmarks")
    for column in ("benchmark", "ours", "baseline", "ratio", "target"):
        table.add_column(column, justify="left" if column == "benchmark" else "right")
    failed = 0
    scripts = sorted(
        p for p in HERE.glob("*.py") if p.name not in SKIP and not p.name.startswith("_")
    )
    for script in scripts:
        started = time.monotonic()
        console.print(f"running {script.name} ...")
        results, error = run_one(script)
        if error:
            failed += 1
            table.add_row(script.stem, "-", "-", "-", f"[red]failed: {error}[/]")
        for r in results:
            unit = r["unit"]
            table.add_row(
                str(r["benchmark"]),
                f"{r['ours']:.4g} {unit}",
                f"{r['baseline']:.4g} {unit}",
                f"{r['ratio']:.3g}x",
                str(r["target"]),
            )
        console.print(f"  done in {time.monotonic() - started:.0f} s")
    console.print(table)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
