"""Walk a paginated listing with Playwright and yield its item links (it never downloads)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from automation.errors import ConfigError, PlatformError

log = logging.getLogger(__name__)

# Absolute URL of whatever the element points at: <a href>, <img/video/source src>, data-href.
_TARGETS_JS = """els => els.map(e => (typeof e.href === 'string' && e.href)
    || (typeof e.src === 'string' && e.src)
    || e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('data-href') || '')"""
# A "Next" control is finished when it, or a wrapper such as Bootstrap's li, is disabled.
_DISABLED_JS = """e => e.hasAttribute('disabled')
    || e.closest('.disabled, [aria-disabled="true"]') !== null"""


@dataclass(frozen=True)
class ListingSpec:
    """Where a listing starts and how to find its item links and its next page."""

    url: str
    link_selector: str
    next_selector: str | None = None
    max_pages: int = 20


@dataclass(frozen=True)
class ListingPage:
    """One page walked: its number (1-based), URL, and the links first seen on it."""

    number: int
    url: str
    links: list[str]


def _absolute(base: str, target: str) -> str | None:
    if not target or target.startswith(("javascript:", "mailto:", "data:", "#")):
        return None
    url, _fragment = urldefrag(urljoin(base, target))
    return url if urlsplit(url).scheme in ("http", "https") else None


def _first_line(exc: Exception) -> str:
    """Playwright's message without its multi-line call log."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _open(page: Page, url: str) -> int:
    """Go to a listing page; returns its HTTP status. PlatformError when it cannot load."""
    try:
        response = page.goto(url, wait_until="domcontentloaded")
    except PlaywrightError as exc:
        raise PlatformError(
            f"{url}: cannot open the listing page ({_first_line(exc)}); check the URL"
        ) from None
    return response.status if response is not None else 200


def _bad_selector(option: str, selector: str, exc: Exception) -> ConfigError:
    return ConfigError(
        f"{option} {selector!r} is not a valid CSS selector ({_first_line(exc)}); fix it"
    )


def _next_control(page: Page, selector: str | None) -> Locator:
    if selector:
        return page.locator(selector).first
    # Without a selector: rel="next", or a link whose text starts with "Next".
    by_text = page.get_by_role("link", name=re.compile(r"^\s*next\b", re.IGNORECASE))
    return page.locator("a[rel~='next']").or_(by_text).first


def _wait_for_links(page: Page, spec: ListingSpec, number: int, timeout_ms: float) -> bool:
    try:
        page.locator(spec.link_selector).first.wait_for(state="attached", timeout=timeout_ms)
    except PlaywrightTimeout:
        if number == 1:
            raise PlatformError(
                f"{page.url}: nothing matches --link-selector {spec.link_selector!r}; "
                "check the selector against the page"
            ) from None
        return False
    except PlaywrightError as exc:
        raise _bad_selector("--link-selector", spec.link_selector, exc) from None
    return True


def _links_on(page: Page, selector: str) -> list[str]:
    targets: list[str] = page.locator(selector).evaluate_all(_TARGETS_JS)
    return [url for t in targets if (url := _absolute(page.url, t))]


def _go_next(
    page: Page, spec: ListingSpec, visited: set[str], before_request: Callable[[], object]
) -> bool:
    """Move to the next page; False on the last page (no control, disabled, or a loop)."""
    control = _next_control(page, spec.next_selector)
    try:
        if control.count() == 0 or control.evaluate(_DISABLED_JS):
            return False
    except PlaywrightError as exc:
        raise _bad_selector("--next-selector", spec.next_selector or "", exc) from None
    href = _absolute(page.url, control.get_attribute("href") or "")
    if href in visited:
        return False
    before_request()
    if href:
        status = _open(page, href)
        if status >= 400:
            # Keep the links of the pages walked so far; an error page has no items.
            log.warning("%s answered HTTP %d: the listing ends here", href, status)
            return False
        return True
    # A script-driven "Next": click it and wait until the first item link changes.
    first = page.locator(spec.link_selector).first
    before = first.get_attribute("href") or ""
    control.click()
    expect(first).not_to_have_attribute("href", before)
    return True


def walk_listing(
    page: Page,
    spec: ListingSpec,
    *,
    before_request: Callable[[], object] | None = None,
    timeout_ms: float = 15_000,
) -> Iterator[ListingPage]:
    """Yield each listing page with its new links (absolute, de-duplicated, in page order)."""
    seen: set[str] = set()
    visited: set[str] = set()
    before_request = before_request or (lambda: None)
    before_request()
    status = _open(page, spec.url)
    if status >= 400:
        # Fail now: on an error page the wait for item links would only run into its timeout.
        raise PlatformError(f"{spec.url}: the listing page answered HTTP {status}")
    for number in range(1, spec.max_pages + 1):
        if not _wait_for_links(page, spec, number, timeout_ms):
            return
        visited.add(page.url)
        new = [url for url in _links_on(page, spec.link_selector) if url not in seen]
        seen.update(new)
        log.debug("listing page %d (%s): %d new link(s)", number, page.url, len(new))
        yield ListingPage(number, page.url, new)
        if number == spec.max_pages:
            return
        if not _go_next(page, spec, visited, before_request):
            return
