"""CLI commands, one module each; every module exposes `register(app)`."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

# Each name is a module in this package; cli.py registers them in this order.
COMMAND_MODULES: tuple[str, ...] = (
    "doctor",
    "login",
    "upload",
    "library",
    "report",
    "campaign",
    "sandbox",
    "demo",
    "process",
    "fetch",
    "exo_ads",
    "site_check",
    "worker",
    "queue",
    "stats",
    "pause",
)


# Command name -> the module that registers it, so the CLI imports only what a run needs
# (yt-dlp, pandas and Playwright are slow to import). A command missing here still works:
# the CLI then imports every module. tests/test_cli.py keeps this index complete.
COMMAND_INDEX: dict[str, str] = {
    "doctor": "doctor",
    "login": "login",
    "upload": "upload",
    "refresh-library": "library",
    "sync-status": "library",
    "report": "report",
    "campaign-csv": "campaign",
    "mass-create": "campaign",
    "sandbox": "sandbox",
    "demo": "demo",
    "process": "process",
    "fetch": "fetch",
    "fetch-stats": "fetch",
    "exo-ads": "exo_ads",
    "site-check": "site_check",
    "worker": "worker",
    "queue": "queue",
    "stats": "stats",
    "pause": "pause",
}


# Command name -> its one-line summary, so `creative-flow --help` lists the commands without
# importing any command module. tests/test_cli.py keeps it equal to each command's own help.
COMMAND_SUMMARY: dict[str, str] = {
    "doctor": "Check Python, ffmpeg, Chromium, the workspace, .env and saved sessions.",
    "login": "Open a browser on the sign-in page and save the session for headless runs.",
    "upload": "Upload processed creatives in batches of ten and record their proven IDs.",
    "refresh-library": "Page through every library tab and rebuild the local ID cache.",
    "sync-status": "Refresh the library, then write review statuses into the inventory.",
    "report": "Write an HTML report of every creative: preview, IDs, review status, runs.",
    "campaign-csv": "Write Mass-create CSVs from the inventory's uploaded creatives.",
    "mass-create": 'Apply campaign CSVs with "Mass create with CSV" and verify the ads.',
    "demo": "Run the whole flow on a local sandbox platform: no account or network needed.",
    "process": "Probe, name, convert and record media from the inbox (or PATHS).",
    "fetch": "Download media into the inbox, keeping only valid, unique files.",
    "fetch-stats": "How each source performed: success rate, files, bytes, time, failures.",
    "exo-ads": "Create ads in an ExoClick campaign from uploaded creatives.",
    "site-check": "Check, read-only, that every element or field the tool uses is still there.",
    "sandbox": "Run the local stand-in platform (TrafficJunky-like pages on 127.0.0.1).",
    "worker": "Run queued jobs of this workspace until stopped (Celery's own worker).",
    "queue": "Show queued, running, failed and done work of the workers, by kind.",
    "stats": "Pull per-creative daily stats (impressions, clicks, conversions, cost) by API.",
    "pause": "Pause (or activate) every ad of chosen creatives (dry run unless --live).",
}

# Commands that only read the workspace: a workspace that does not exist is an error for them.
READS_WORKSPACE: frozenset[str] = frozenset(
    {
        "report",
        "fetch-stats",
        "campaign-csv",
        "mass-create",
        "upload",
        "exo-ads",
        "sync-status",
        "stats",
        "pause",
    }
)


def modules(names: tuple[str, ...] = COMMAND_MODULES) -> list[ModuleType]:
    """The command modules, imported (all of them by default)."""
    return [import_module(f"{__name__}.{name}") for name in names]
