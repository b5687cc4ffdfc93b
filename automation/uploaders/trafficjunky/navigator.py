"""Page loads of TrafficJunky pages that check their answer: a server error, a timeout or a
script that failed to load is retried with a reload a few times, then raised as TransientError.
The requests that fail meanwhile are recorded too, for waits on in-page redraws.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import tenacity
from playwright.sync_api import Page, Request, Response
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from automation.uploaders.base import TransientError
from automation.uploaders.trafficjunky.session import require_session

log = logging.getLogger(__name__)

NAV_ATTEMPTS = 4
NAV_BACKOFF_S = 0.5


class Navigator:
    """Page loads that check their response and retry server errors and timeouts; and a record
    of the requests that failed since `failed` was last cleared (for in-page redraws).

    A page whose own scripts failed to load looks fine but does nothing when clicked (no
    upload area, no sub-type switch), so a script that failed counts as a failed load.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self.broken: list[str] = []
        self.failed: list[str] = []
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)

    def _on_response(self, response: Response) -> None:
        kind = response.request.resource_type
        if response.status >= 500 and kind == "script":
            self.broken.append(f"a script of the page answered {response.status}")
        if response.status >= 500 and kind in ("document", "xhr", "fetch", "script"):
            self.failed.append(f"the platform answered {response.status}")

    def _on_request_failed(self, request: Request) -> None:
        if request.resource_type == "script":
            self.broken.append("a script of the page did not load")
        if request.resource_type in ("document", "xhr", "fetch", "script"):
            self.failed.append("a request of the page failed")

    def navigate(
        self, action: Callable[[], Response | None], what: str, *, signed_in: bool = True
    ) -> None:
        """Run a page load; on a 5xx or a timeout reload until it loads (or give up)."""

        def load(attempt: int) -> str | None:
            return self._load(action if attempt == 1 else self._reload)

        self.retry(load, what)
        if signed_in:
            require_session(self.page)

    def retry(self, step: Callable[[int], str | None], what: str) -> None:
        """Run `step(attempt)` until it reports no problem, or raise TransientError.

        tenacity carries the attempts and the backoff that lets a failing server recover; a
        step returns what went wrong (None: it worked).
        """
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(NAV_ATTEMPTS),
            wait=tenacity.wait_exponential(multiplier=NAV_BACKOFF_S),
            retry=tenacity.retry_if_exception_type(_LoadFailed),
            before_sleep=lambda state: log.info(
                "%s: %s (attempt %d)", what, state.outcome.exception() if state.outcome else "",
                state.attempt_number,
            ),
            reraise=True,
        )  # fmt: skip
        try:
            for attempt in retrying:
                with attempt:
                    problem = step(attempt.retry_state.attempt_number)
                    if problem:
                        raise _LoadFailed(problem)
        except _LoadFailed as exc:
            raise TransientError(
                f"trafficjunky: {what}: {exc} after {NAV_ATTEMPTS} attempts"
            ) from None

    def _reload(self) -> Response | None:
        return self.page.reload(wait_until="domcontentloaded")

    def _load(self, action: Callable[[], Response | None]) -> str | None:
        """One page load; what went wrong when it did not load whole, else None."""
        self.broken.clear()
        try:
            response = action()
        except PlaywrightTimeout:
            return "page load timed out"
        if response is not None and response.status >= 500:
            return f"server answered {response.status}"
        return self.broken[0] if self.broken else None


class _LoadFailed(Exception):
    """A page load that did not load whole (worth a reload)."""
