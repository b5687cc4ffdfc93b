"""What the media-library page shows, each read in one round trip to the browser.

A refresh reads a page, checks it shows the target, and pages on, dozens of times: every read
here is a single `evaluate_all` on one locator (Playwright resolves its own selector forms), with
what else it needs looked up in the page by plain CSS. Reading nothing twice is what keeps a
refresh close to the speed of the page itself.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from automation.uploaders.trafficjunky import selectors as sel

# Whether the first tab link is the active one and, for a native sub-type, its radio checked.
_SHOWING_JS = """(links, s) => {
  const link = links[0];
  if (!link) return false;
  const li = link.parentElement;
  const active = link.classList.contains(s.active)
    || link.getAttribute('aria-selected') === 'true'
    || (li !== null && li.tagName === 'LI' && li.classList.contains(s.active));
  if (!active) return false;
  if (!s.radio) return true;
  const radio = document.querySelector(s.radio);
  return radio !== null && radio.checked;
}"""
_CARDS_JS = f"""(links, s) => {{
  if (!({_SHOWING_JS})(links, s)) return null;
  return Array.from(document.querySelectorAll(s.card)).map(c => {{
    const text = q => {{ const e = c.querySelector(q); return e ? e.textContent.trim() : ""; }};
    const status = c.querySelector(s.status);
    return {{id: c.getAttribute(s.idAttr), name: text(s.name), dims: text(s.dims),
             type: text(s.type),
             status: (status && status.getAttribute(s.statusAttr))
                     || c.getAttribute(s.statusAttr) || ""}};
  }});
}}"""
_HAS_NEXT_JS = "(items, disabled) => items.length > 0 && !items[0].classList.contains(disabled)"
# Elements of the union that are not the library's own tab link are signed-out markers.
_SESSION_JS = """(els, tab) => ({
  signedOut: els.some(e => !e.matches(tab)),
  library: els.some(e => e.matches(tab)),
})"""


def _spec(radio: str | None) -> dict[str, Any]:
    return {
        "active": sel.ACTIVE_TAB_CLASS,
        "radio": radio or "",
        "card": sel.CARD,
        "name": sel.CARD_NAME,
        "dims": sel.CARD_DIMENSIONS,
        "type": sel.CARD_FILE_TYPE,
        "status": sel.CARD_REVIEW_STATUS,
        "statusAttr": sel.CARD_STATUS_ATTR,
        "idAttr": sel.CARD_ID_ATTR,
    }


def showing(page: Page, tab_link: str, radio: str | None) -> bool:
    """Whether the tab (and the native sub-type's radio, when given) is the one shown."""
    return bool(page.locator(tab_link).evaluate_all(_SHOWING_JS, _spec(radio)))


def cards_if_showing(page: Page, tab_link: str, radio: str | None) -> list[dict[str, str]] | None:
    """Every card of the page as raw fields, or None when the page shows another place."""
    raw: list[dict[str, str]] | None = page.locator(tab_link).evaluate_all(_CARDS_JS, _spec(radio))
    return raw


def has_next(page: Page) -> bool:
    """Whether the pager offers a next page."""
    return bool(page.locator(sel.NEXT_ITEM).evaluate_all(_HAS_NEXT_JS, sel.DISABLED_CLASS))


def session_and_library(page: Page) -> tuple[bool, bool]:
    """(signed-out marker shown, library tabs shown), in one read."""
    tab = sel.TAB_LINKS["static_banner"]
    both = page.locator(sel.LOGGED_OUT_MARKERS).or_(page.locator(tab))
    found: dict[str, bool] = both.evaluate_all(_SESSION_JS, tab)
    return bool(found["signedOut"]), bool(found["library"])
