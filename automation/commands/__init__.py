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
}


def modules(names: tuple[str, ...] = COMMAND_MODULES) -> list[ModuleType]:
    """The command modules, imported (all of them by default)."""
    return [import_module(f"{__name__}.{name}") for name in names]
