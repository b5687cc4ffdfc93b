"""Page loads of TrafficJunky pages that check their answer: a server error, a timeout or a
script that failed to load is retried with a reload a few times, then raised as TransientError.
The requests that fail meanwhile are recorded too, for waits on in-page redraws.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

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
        problem = ""
        for attempt in range(NAV_ATTEMPTS):
            self.broken.clear()
            try:
                response = (
                    action() if attempt == 0 else self.page.reload(wait_until="domcontentloaded")
                )
            except PlaywrightTimeout:
                response, problem = None, "page load timed out"
            else:
                if response is not None and response.status >= 500:
                    problem = f"server answered {response.status}"
                elif self.broken:
                    problem = self.broken[0]
                else:
                    if signed_in:
                        require_session(self.page)
                    return
            log.info("%s: %s (attempt %d)", what, problem, attempt + 1)
            time.sleep(NAV_BACKOFF_S * 2**attempt)  # back off a failing server
        raise TransientError(f"trafficjunky: {what}: {problem} after {NAV_ATTEMPTS} attempts")
