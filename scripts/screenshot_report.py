"""Render a report in headless Chromium and save a PNG (the README's picture comes from here).

Usage: .venv/bin/python scripts/screenshot_report.py [REPORT.html] [OUT.png] [--width 1360]
       [--height 900] [--full]
Defaults: demo-workspace/reports/report-latest.html -> docs/report.png, one screen high.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from automation.browser import launch_options
from automation.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def screenshot(report: Path, out: Path, *, width: int, height: int, full: bool) -> Path:
    """Open `report` in headless Chromium and save what a person sees as `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(**{**launch_options(Settings(), p), "headless": True})
        page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
        page.goto(report.resolve().as_uri())
        page.wait_for_load_state("load")
        # Lazy thumbnails load as they scroll in; load them all for a full-page shot.
        page.evaluate("document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
        page.wait_for_function("[...document.images].every(i => i.complete)")
        page.screenshot(path=str(out), full_page=full)
        browser.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "report", nargs="?", type=Path,
        default=ROOT / "demo-workspace" / "reports" / "report-latest.html",
    )  # fmt: skip
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "docs" / "report.png")
    parser.add_argument("--width", type=int, default=1360)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--full", action="store_true", help="the whole page, not one screen")
    args = parser.parse_args(argv)
    if not args.report.is_file():
        print(f"error: {args.report} not found: run 'make demo' or 'creative-flow report' first")
        return 2
    out = screenshot(args.report, args.out, width=args.width, height=args.height, full=args.full)
    print(f"saved {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
