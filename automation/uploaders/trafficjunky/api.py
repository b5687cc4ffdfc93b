"""TrafficJunky's API on httpx: read campaigns, ads and per-ad stats; pause and activate ads.

- The key travels as the `api_key` query parameter (seen); no message, log line or error of
  this module carries it: failures name the method and the path only.
- Dates are DD/MM/YYYY reporting days (EST); "today" cannot be asked for (seen), so callers end
  a range at yesterday at the latest.
- Lists page with `limit` + `offset`. Whether the offset counts from 0 or from 1 is not known
  (both are seen), so pages are read from 0 and rows told apart by id: a page that brings
  nothing new, or a short page, ends the list.
- 429 (no rate headers are known) and 5xx answers or network failures are retried with
  exponential backoff (`call_with_retries`, shared with the ExoClick client); any other
  refusal stops with the API's own message.
- Pausing is only asked for here; the caller proves it by reading the campaign's ad list
  (`ads`, a seen endpoint) after its changes: an ad whose status did not change is an error.
  No per-ad read is known to exist, and one list answers for every ad of the campaign.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Self

import httpx

from automation.errors import AuthRequiredError, ConfigError, PlatformError
from automation.settings import Secret, Settings
from automation.uploaders.exoclick.transport import (
    RetryPolicy,
    Transient,
    api_message,
    call_with_retries,
)
from tracking.stats import Counts

log = logging.getLogger(__name__)

PAGE_SIZE = 100
MAX_PAGES = 10_000  # a guard: an API that never ends a list is an error, not a hang
PAUSED, ACTIVE = "paused", "active"


class TjApiError(PlatformError):
    """The API refused a request, kept failing, or answered in a shape the tool cannot read."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class TjAd:
    """An ad of a campaign; `creative_id` is its banner (for a native ad, the video)."""

    id: int
    campaign_id: int
    name: str
    creative_id: str
    status: str

    @classmethod
    def from_api(cls, item: Any, campaign_id: int | None = None) -> TjAd:
        if not isinstance(item, dict) or "ad_id" not in item:
            raise TjApiError(f"TrafficJunky API: an ad without 'ad_id': {str(item)[:120]}")
        banner = item.get("banner_id")
        return cls(
            id=int(item["ad_id"]),
            campaign_id=int(item.get("campaign_id") or campaign_id or 0),
            name=str(item.get("ad_name") or ""),
            creative_id="" if banner in (None, "") else str(banner),
            status=str(item.get("status") or "").lower(),
        )


def dmy(day: date) -> str:
    """A date as the API takes it."""
    return day.strftime("%d/%m/%Y")


def counts_of(row: Any, where: str) -> Counts:
    """One stats row's numbers (impressions may come as a string)."""
    try:
        return Counts(
            int(row.get("impressions") or 0),
            int(row.get("clicks") or 0),
            int(row.get("conversions") or 0),
            Decimal(str(row.get("cost") or 0)),
        )
    except (AttributeError, ValueError, InvalidOperation):
        shown = str(row)[:120]
        raise TjApiError(f"TrafficJunky API: {where}: unreadable stats row {shown}") from None


class TjApi:
    """The TrafficJunky API endpoints the tool uses. Use as a context manager."""

    def __init__(
        self,
        base_url: str,
        api_key: Secret,
        *,
        timeout_s: float = 30.0,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not api_key:
            raise ConfigError(
                "TJ_API_KEY is not set: add your TrafficJunky API key to .env "
                "(TrafficJunky profile > API Token)"
            )
        self.base_url = base_url.rstrip("/")
        self._key = api_key
        self.policy = policy or RetryPolicy()
        self.retry_count = 0
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=self.base_url, timeout=httpx.Timeout(timeout_s), transport=transport
        )

    @classmethod
    def from_settings(cls, settings: Settings, *, retries: int | None = None) -> Self:
        policy = RetryPolicy() if retries is None else RetryPolicy(retries=retries)
        return cls(
            settings.tj_api_url, settings.tj_api_key, timeout_s=settings.timeout_ms / 1000,
            policy=policy,
        )  # fmt: skip

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # -- transport ------------------------------------------------------------------------------

    def _send(self, method: str, path: str, params: dict[str, Any] | None = None) -> Any:
        """One call with retries of 429, 5xx and network failures; its JSON answer."""
        return call_with_retries(
            self.policy, self._sleep, self._count_retry, self._attempt, method, path, params or {}
        )

    def _attempt(self, method: str, path: str, params: dict[str, Any]) -> Any:
        query = {**params, "api_key": self._key.reveal()}
        try:
            response = self._http.request(method, path, params=query)
        except httpx.TransportError as exc:
            raise Transient(
                TjApiError(f"TrafficJunky API: {method} {path}: no answer ({type(exc).__name__})")
            ) from None
        status = response.status_code
        if status < 400:
            try:
                return response.json()
            except ValueError:
                raise TjApiError(f"TrafficJunky API: {method} {path}: answer is not JSON") from None
        text = f"TrafficJunky API: {method} {path} -> {status}: {api_message(response)}"
        if status in (401, 403):
            raise AuthRequiredError(f"{text} (check TJ_API_KEY)")
        if status == 429 or status >= 500:
            raise Transient(TjApiError(text, status=status))
        raise TjApiError(text, status=status)

    def _count_retry(self) -> None:
        self.retry_count += 1

    def _listing(self, path: str, id_field: str) -> Iterator[dict[str, Any]]:
        """Every row of a paged list, each once (see the module note on offsets)."""
        seen: set[str] = set()
        offset = 0
        for _ in range(MAX_PAGES):
            page = self._send("GET", path, {"limit": PAGE_SIZE, "offset": offset})
            rows = list(page.values()) if isinstance(page, dict) else page
            if not isinstance(rows, list):
                raise TjApiError(f"TrafficJunky API: GET {path}: the answer is not a list")
            new = [r for r in rows if isinstance(r, dict) and str(r.get(id_field)) not in seen]
            for row in new:
                seen.add(str(row.get(id_field)))
                yield row
            if len(rows) < PAGE_SIZE or not new:
                return
            offset += len(rows)
        raise TjApiError(f"TrafficJunky API: GET {path}: the list never ended")

    # -- endpoints ------------------------------------------------------------------------------

    def campaign_ids(self) -> list[int]:
        """Every campaign of the account."""
        return [int(row["campaign_id"]) for row in self._listing("/campaigns.json", "campaign_id")]

    def ads(self, campaign_id: int) -> list[TjAd]:
        """A campaign's ads."""
        rows = self._listing(f"/ads/{campaign_id}.json", "ad_id")
        return [TjAd.from_api(row, campaign_id) for row in rows]

    def ad_stats(self, campaign_id: int, day: date) -> dict[int, Counts]:
        """Each ad's numbers of a campaign on one reporting day."""
        path = f"/ads/{campaign_id}/stats/one.json"
        body = self._send("GET", path, {"startDate": dmy(day), "endDate": dmy(day)})
        if isinstance(body, dict):
            pairs = [(k, v) for k, v in body.items()]
        elif isinstance(body, list):
            pairs = [(r.get("ad_id") if isinstance(r, dict) else None, r) for r in body]
        else:
            raise TjApiError(f"TrafficJunky API: GET {path}: unreadable answer")
        out: dict[int, Counts] = {}
        for key, row in pairs:
            if not str(key).isdigit():
                raise TjApiError(f"TrafficJunky API: GET {path}: a stats row without an ad id")
            out[int(str(key))] = counts_of(row, f"GET {path}")
        return out

    def set_paused(self, ad_id: int, paused: bool) -> None:
        """Ask the API to pause or activate one ad (read its campaign's `ads` to prove it)."""
        path = f"/ads/{ad_id}/{'pause' if paused else 'activate'}.json"
        try:
            self._send("PUT", path)
        except TjApiError as exc:
            if exc.status not in (404, 405):
                raise
            # The API is known to pause ads, but the path is not documented anywhere we can
            # read: a refusal of the path itself must say so, not look like a bad ad id.
            raise TjApiError(
                f"{exc} (the API did not take {path}; this pause path is not confirmed for "
                "TrafficJunky's API: pause the ad in its campaign's ad settings instead, and "
                "report the path your account's API documentation gives)",
                status=exc.status,
            ) from None
