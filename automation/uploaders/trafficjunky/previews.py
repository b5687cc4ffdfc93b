"""Watching Dropzone previews until each file succeeds, fails, or passes its own deadline.

Waits are on the previews' classes (a `wait_for_function` that returns when any preview changes),
so a fast upload returns at once and a slow one is given its full per-file deadline.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from automation.uploaders.trafficjunky import selectors as sel

_STATES_JS = """(s) => Array.from(document.querySelectorAll(s.preview)).map(p => {
  const name = p.querySelector(s.name); const err = p.querySelector(s.error);
  return [name ? name.textContent.trim() : "", p.className, err ? err.textContent.trim() : ""];
})"""
_CHANGED_JS = f"""([s, before]) => JSON.stringify(({_STATES_JS})(s)) !== before"""


class PreviewState(StrEnum):
    """Where one file's Dropzone preview stands."""

    QUEUED = "queued"
    PROCESSING = "processing"
    SUCCESS = "success"
    ERROR = "error"
    STUCK = "stuck"  # no answer within its deadline
    MISSING = "missing"  # no preview ever appeared for it


@dataclass(frozen=True)
class PreviewResult:
    """One file's final preview state and its dz-error message."""

    file_name: str
    state: PreviewState
    message: str = ""


def _state_of(classes: str) -> PreviewState:
    names = classes.split()
    if sel.PREVIEW_ERROR_CLASS in names:
        return PreviewState.ERROR
    if sel.PREVIEW_SUCCESS_CLASS in names:
        return PreviewState.SUCCESS
    if sel.PREVIEW_PROCESSING_CLASS in names:
        return PreviewState.PROCESSING
    return PreviewState.QUEUED


class PreviewWatcher:
    """The previews of one submission (those added after `mark()`)."""

    def __init__(self, page: Page, per_file_timeout_s: float) -> None:
        self.page = page
        self.timeout_s = per_file_timeout_s
        self.spec = {
            "preview": sel.PREVIEW,
            "name": sel.PREVIEW_FILENAME,
            "error": sel.PREVIEW_ERROR_MESSAGE,
        }
        self.offset = 0

    def _raw(self) -> list[list[str]]:
        raw: Any = self.page.evaluate(_STATES_JS, self.spec)
        return list(raw)

    def mark(self) -> None:
        """Remember how many previews exist already: only later ones are this submission's."""
        self.offset = len(self._raw())

    def wait(self, names: list[str]) -> list[PreviewResult]:
        """Wait until every file's preview is final or past its deadline; one result per name."""
        started_batch = time.monotonic()
        started: dict[int, float] = {}
        stuck: set[int] = set()
        # A queued file has not started its clock; cap the whole wait so nothing hangs forever.
        cap = started_batch + self.timeout_s * max(1, len(names))
        while True:
            raw = self._raw()
            mine = raw[self.offset : self.offset + len(names)]
            now = time.monotonic()
            waiting = []
            for index in range(len(names)):
                state = _state_of(mine[index][1]) if index < len(mine) else PreviewState.QUEUED
                if state is PreviewState.PROCESSING:
                    started.setdefault(index, now)
                if state in (PreviewState.QUEUED, PreviewState.PROCESSING) and index not in stuck:
                    deadline = started[index] + self.timeout_s if index in started else cap
                    if now >= deadline:
                        stuck.add(index)
                    else:
                        waiting.append(deadline)
            if not waiting:
                return self._results(names, mine, stuck)
            self._wait_for_change(raw, min(waiting) - now)

    def _wait_for_change(self, raw: list[list[str]], seconds: float) -> None:
        # On timeout a deadline passed; the caller's loop marks who is stuck.
        with contextlib.suppress(PlaywrightTimeout):
            self.page.wait_for_function(
                _CHANGED_JS,
                arg=[self.spec, json.dumps(raw, separators=(",", ":"), ensure_ascii=False)],
                timeout=max(50.0, seconds * 1000),
            )

    def _results(
        self, names: list[str], mine: list[list[str]], stuck: set[int]
    ) -> list[PreviewResult]:
        by_name = {row[0]: row for row in mine}
        results = []
        for index, name in enumerate(names):
            row = by_name.get(name) or (mine[index] if index < len(mine) else None)
            if row is None:
                results.append(PreviewResult(name, PreviewState.MISSING))
            elif index in stuck:
                results.append(PreviewResult(name, PreviewState.STUCK))
            else:
                results.append(PreviewResult(name, _state_of(row[1]), row[2]))
        return results
