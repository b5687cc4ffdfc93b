"""Waiting until a page settled, whether it changed in place (XHR) or loaded anew.

A DataTable that reloads by XHR gives no navigation to wait for, and its page gives no "done"
marker either; so a page counts as settled when none of its own XHR/fetch calls started since
the last action is in flight, it is not being left, and nothing changed for a moment. A script
installed in every document (`WATCH_SCRIPT`, before the page's own) keeps that count.
"""

from __future__ import annotations

import logging
import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

log = logging.getLogger(__name__)

# How long the page must stay unchanged, with no request in flight, to count as settled.
QUIET_MS = 400
# A page that never goes quiet (an animation, a long poll) is read after this long.
SETTLE_CAP_MS = 15_000
POLL_MS = 100
# Creative IDs are 10-digit numbers (seen): which ones a page shows tells pages apart.
CREATIVE_ID = re.compile(r"\b\d{10}\b")

# Installed in every document: counts the page's own XHR/fetch calls in flight and notes the
# last change (a request ending, the DOM changing), and whether the document is being left.
WATCH_SCRIPT = """(() => {
  if (window.__siteCheckWatch) return;
  const w = window.__siteCheckWatch = {pending: new Map(), next: 0, last: performance.now(),
                                       leaving: false};
  const touch = () => { w.last = performance.now(); };
  const begin = () => { const id = ++w.next; w.pending.set(id, performance.now()); touch();
                        return id; };
  const end = id => { w.pending.delete(id); touch(); };
  const track = p => { const id = begin(); return p.finally(() => end(id)); };
  if (window.fetch) {
    const fetch = window.fetch;
    window.fetch = function (...args) { return track(fetch.apply(this, args)); };
    for (const m of ["json", "text", "blob", "arrayBuffer"]) {
      const read = Response.prototype[m];
      Response.prototype[m] = function (...args) { return track(read.apply(this, args)); };
    }
  }
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (...args) {
    const id = begin();
    this.addEventListener("loadend", () => end(id));
    return send.apply(this, args);
  };
  new MutationObserver(touch).observe(document,
    {subtree: true, childList: true, attributes: true, characterData: true});
  addEventListener("beforeunload", () => { w.leaving = true; });
})();"""

_MARK_JS = "() => { window.__siteCheckMark = performance.now(); }"
_SETTLED_JS = """(quiet) => {
  const w = window.__siteCheckWatch;
  if (!w) return document.readyState === "complete";
  if (w.leaving || document.readyState === "loading") return false;
  const since = window.__siteCheckMark || 0;
  for (const started of w.pending.values()) if (started >= since) return false;
  return performance.now() - Math.max(w.last, since) >= quiet;
}"""
_HTML_JS = "() => document.body ? document.body.innerHTML : ''"
_OTHER_IDS_JS = """(before) => {
  const html = document.body ? document.body.innerHTML : "";
  const ids = [...new Set(html.match(/\\b\\d{10}\\b/g) || [])].sort();
  return ids.length > 0 && ids.join(",") !== before;
}"""


def mark(page: Page) -> None:
    """Note the moment of an action: the page must settle after it."""
    try:
        page.evaluate(_MARK_JS)
    except PlaywrightError as exc:  # a document on its way out; the next one has no mark
        log.debug("mark: %s", exc)


def settle(page: Page, timeout_ms: float) -> None:
    """Wait until the page settled after the last `mark` (or since it loaded).

    A page that never goes quiet is read as it is after SETTLE_CAP_MS: the state waits before
    this one already proved where the page is.
    """
    for _ in range(3):
        try:
            page.wait_for_function(
                _SETTLED_JS, arg=QUIET_MS, polling=POLL_MS, timeout=min(timeout_ms, SETTLE_CAP_MS)
            )
            return
        except PlaywrightTimeout:
            log.info("%s did not settle; reading it as it is", page.url)
            return
        except PlaywrightError as exc:  # the document was replaced while waiting: wait again
            log.debug("settle: %s", exc)


def creative_ids(page: Page) -> set[str]:
    """The creative IDs the page shows (in its text or attributes)."""
    return set(CREATIVE_ID.findall(page.evaluate(_HTML_JS)))


def wait_for_other_creatives(page: Page, before: set[str], timeout_ms: float) -> bool:
    """Wait until the page shows other creative IDs than `before` (a next page); False if not."""
    try:
        page.wait_for_function(
            _OTHER_IDS_JS, arg=",".join(sorted(before)), polling=POLL_MS, timeout=timeout_ms
        )
    except PlaywrightTimeout:
        return False
    return True
