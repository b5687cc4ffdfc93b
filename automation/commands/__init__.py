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
)


def modules() -> list[ModuleType]:
    """The command modules, imported."""
    return [import_module(f"{__name__}.{name}") for name in COMMAND_MODULES]
