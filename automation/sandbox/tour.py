"""Product-tour guides (Pendo-like) that cover the app's pages now and then, with a backdrop
that swallows clicks until the guide is closed.

The real site shows them at moments a user cannot predict (seen: their tools closed
`button.pendo-close-guide` / `div._pendo-close-guide_` and `.modal-backdrop` mid-flow). The
sandbox makes "now and then" repeatable: with `tour_overlay` = "sometimes" (default) a guide
shows on every third signed-in app page load after a reset, a moment after the page loaded, so
that it can land on a button the tool is about to click; "always" shows one on every load, "off"
never. The close control takes either evidenced form, alternately.
"""

from __future__ import annotations

from typing import Any

from automation.sandbox.app import state_of
from automation.sandbox.shell import current_user, site

EVERY_NTH_LOAD = 3
DELAY_MS = 300  # after load: late enough to cover a button the tool found already
_COUNTER = "tour_page_loads"


def _next_load() -> int:
    """Count one signed-in app page load; its number since the last reset (1, 2, ...)."""
    state = state_of()
    with state.lock:
        count = int(state.db.meta(_COUNTER) or 0) + 1
        state.db.set_meta(_COUNTER, count)
    return count


def tour_guide() -> dict[str, Any] | None:
    """The guide this page shows (its close control's form and delay), or None.

    Called by base.html once per full page, so page fragments fetched by XHR do not count.
    """
    mode = state_of().switches()["tour_overlay"]
    if mode == "off" or site() != "app" or current_user() is None:
        return None
    count = _next_load()
    if mode == "sometimes" and count % EVERY_NTH_LOAD != EVERY_NTH_LOAD - 1:
        return None
    shown = count // EVERY_NTH_LOAD if mode == "sometimes" else count
    return {"close": "button" if shown % 2 else "div", "delay_ms": DELAY_MS}
