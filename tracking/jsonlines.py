"""Append-only JSON-lines files (the journals): durable appends, and reads that survive a crash.

A crash can cut the last line short, and a disk fault can leave bytes that are not UTF-8; a reader
skips such a line with a warning naming it, and the next append starts on a line of its own.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from tracking.csvstore import append_durably, locked

log = logging.getLogger(__name__)
T = TypeVar("T")


def append_lines(path: Path, lines: Sequence[str], lock: Path) -> None:
    """Append JSON lines (each ending in a newline) under `lock`, fsynced before returning."""
    if not lines:
        return
    with locked(lock):
        text = "".join(lines)
        if _ends_torn(path):
            text = "\n" + text  # a crash cut the last line short: never append onto it
        append_durably(path, text.encode("utf-8"))


def _ends_torn(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) != b"\n"


def read_lines(path: Path, decode: Callable[[dict[str, Any]], T], what: str) -> list[T]:
    """Every line of the file decoded, in order; an unreadable line is skipped with a warning."""
    if not path.exists():
        return []
    items = []
    for number, raw in enumerate(path.read_bytes().splitlines(), 1):
        if not raw.strip():
            continue
        try:  # UnicodeDecodeError is a ValueError: one bad byte costs only its line
            items.append(decode(json.loads(raw.decode("utf-8"))))
        except (ValueError, TypeError, KeyError, AttributeError):
            log.warning("%s:%d: unreadable %s line skipped", path, number, what)
    return items
