"""A small client of the ExoClick API v2 on httpx: bearer login, retries, clear errors.

- The permanent API token (settings.exo_api_token) buys a bearer token at `POST /login`; a 401
  on a later call logs in again once (tokens expire), a second 401 is an AuthRequiredError.
- 429 and 5xx answers and network failures are retried with exponential backoff, honouring
  Retry-After. A POST that creates something is never blindly repeated after the server may have
  acted on it (5xx, read timeout): `upload_file` looks for the file first (see there).
- Every failure names the method, the path and the API's own message; no token ever appears.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from automation.errors import AuthRequiredError, ConfigError, CreativeFlowError, PlatformError
from automation.settings import Secret, Settings
from automation.uploaders.exoclick.models import ExoCampaign, ExoFile, ExoVariation

log = logging.getLogger(__name__)

PAGE_SIZE = 100
MAX_RETRY_AFTER_S = 120.0


class ExoApiError(PlatformError):
    """The API refused a request (or kept failing); carries its status and message."""

    def __init__(self, message: str, *, status: int | None = None, api_message: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.api_message = api_message


class ExoUnsure(ExoApiError):
    """A creating request failed in a way that may have happened after the server acted on it."""


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently transient failures are retried."""

    retries: int = 3
    backoff_s: float = 0.5
    max_backoff_s: float = 30.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number `attempt` (1-based)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), MAX_RETRY_AFTER_S)
        return float(min(self.backoff_s * 2 ** (attempt - 1), self.max_backoff_s))


def api_message(response: httpx.Response) -> str:
    """The API's own explanation of a failed response, in one line."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        for key in ("message", "error", "detail"):
            if body.get(key):
                return str(body[key])
    text = " ".join(response.text.split())
    return text[:200] or response.reason_phrase


def retry_after_s(response: httpx.Response) -> float | None:
    """Retry-After as seconds (delta or HTTP date), or None when absent or unreadable."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    when = email.utils.parsedate_to_datetime(value) if value else None
    return max(when.timestamp() - time.time(), 0.0) if when else None


class ExoClient:
    """The ExoClick API v2, as far as the tool needs it. Use as a context manager."""

    def __init__(
        self,
        base_url: str,
        api_token: Secret,
        *,
        timeout_s: float = 30.0,
        upload_timeout_s: float = 180.0,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._api_token = api_token
        self._token: str | None = None
        self.policy = policy or RetryPolicy()
        self.upload_timeout_s = upload_timeout_s
        self.retry_count = 0
        self._sleep = sleep
        self._http = httpx.Client(base_url=self.base_url, timeout=httpx.Timeout(timeout_s))

    @classmethod
    def from_settings(cls, settings: Settings, *, retries: int | None = None) -> ExoClient:
        """A client for the API at settings.exo_api_url with settings.exo_api_token."""
        policy = RetryPolicy() if retries is None else RetryPolicy(retries=retries)
        return cls(
            settings.exo_api_url,
            settings.exo_api_token,
            timeout_s=settings.timeout_ms / 1000,
            upload_timeout_s=settings.upload_timeout_s,
            policy=policy,
        )

    def __enter__(self) -> ExoClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # -- auth -----------------------------------------------------------------------------------

    def login(self) -> None:
        """Trade the permanent API token for a bearer token."""
        if not self._api_token:
            raise ConfigError("EXO_API_TOKEN is not set: add your ExoClick API token to .env")
        body = {"api_token": self._api_token.reveal()}
        response = self._send("POST", "/login", auth=False, json=body)
        token = response.json().get("token") if response.content else None
        if not token:
            raise ExoApiError("ExoClick API: POST /login answered without a token")
        self._token = str(token)

    def _auth_headers(self) -> dict[str, str]:
        if self._token is None:
            self.login()
        return {"Authorization": f"Bearer {self._token}"}

    # -- transport ------------------------------------------------------------------------------

    def _send(
        self, method: str, path: str, *, auth: bool = True, idempotent: bool = True, **kw: Any
    ) -> httpx.Response:
        """One API call with re-login on 401 and retries; returns a 2xx response.

        A 401 logs in again; only a 401 right after a fresh login (no wait in between) means
        the API token itself is refused. After a backoff the new token may have expired too.
        """
        relogged, attempt = False, 0
        while True:
            response = self._attempt(method, path, auth=auth, idempotent=idempotent, **kw)
            if response is not None and response.status_code == 401 and auth and not relogged:
                log.info("ExoClick bearer token refused (%s); logging in again", path)
                relogged, self._token = True, None
                continue
            if response is not None and response.status_code < 400:
                return response
            failure = self._failure(method, path, response)
            status = response.status_code if response is not None else None
            retryable = status is None or status == 429 or status >= 500
            if status is not None and status >= 500 and not idempotent:
                raise ExoUnsure(str(failure), status=status)
            attempt += 1
            if not retryable or attempt > self.policy.retries:
                raise failure
            wait = self.policy.delay(attempt, retry_after_s(response) if response else None)
            log.info("%s; retry %d/%d in %.1f s", failure, attempt, self.policy.retries, wait)
            self.retry_count += 1
            self._sleep(wait)
            relogged = False

    def _attempt(
        self, method: str, path: str, *, auth: bool, idempotent: bool, **kw: Any
    ) -> httpx.Response | None:
        """The HTTP exchange; None for a network failure that may be retried."""
        headers = self._auth_headers() if auth else {}
        try:
            response = self._http.request(method, path, headers=headers, **kw)
        except httpx.ConnectError as exc:
            log.info("ExoClick API %s %s: cannot connect (%s)", method, path, exc)
            return None
        except httpx.TransportError as exc:  # timeouts, dropped connections, garbled answers
            if not idempotent:
                raise ExoUnsure(f"ExoClick API: {method} {path}: no answer ({exc})") from None
            log.info("ExoClick API %s %s: %s", method, path, type(exc).__name__)
            return None
        log.debug("ExoClick API %s %s -> %d", method, path, response.status_code)
        return response

    def _failure(
        self, method: str, path: str, response: httpx.Response | None
    ) -> CreativeFlowError:
        if response is None:
            return ExoApiError(f"ExoClick API: {method} {path}: cannot reach {self.base_url}")
        message = api_message(response)
        text = f"ExoClick API: {method} {path} -> {response.status_code}: {message}"
        if response.status_code == 401:
            return AuthRequiredError(f"{text} (check EXO_API_TOKEN)")
        if response.status_code == 403:
            return AuthRequiredError(f"{text} (the API token lacks access to this)")
        return ExoApiError(text, status=response.status_code, api_message=message)

    def _json(self, method: str, path: str, **kw: Any) -> Any:
        return self._send(method, path, **kw).json()

    def _pages(
        self, path: str, params: dict[str, Any] | None = None
    ) -> Iterator[list[dict[str, Any]]]:
        """A paged listing (offset/count), one page of items at a time, to the last page."""
        offset = 0
        while True:
            query = {**(params or {}), "offset": offset, "count": PAGE_SIZE}
            body = self._json("GET", path, params=query)
            items = list(body.get("result", []))
            if items:
                yield items
            offset += len(items)
            total = int(body.get("resultset", {}).get("total", offset))
            if not items or offset >= total:
                return

    # -- library --------------------------------------------------------------------------------

    def file_pages(self, file_type: str | None = None) -> Iterator[list[ExoFile]]:
        """The library (of one type, when given), page by page, oldest first."""
        params = {"type": file_type} if file_type else None
        for page in self._pages("/library/file", params):
            yield [ExoFile.from_api(item) for item in page]

    def iter_files(self, file_type: str | None = None) -> Iterator[ExoFile]:
        """Every file in the library (of one type, when given), oldest first."""
        for page in self.file_pages(file_type):
            yield from page

    def upload_file(
        self, path: Path, file_type: str, *, name: str | None = None, known_ids: frozenset[int]
    ) -> ExoFile:
        """Upload one file; `known_ids` are the ids its name already has in the library.

        After an answer that leaves it open whether the file was created (5xx, timeout), the
        library is read (after a backoff, so a server still at work can finish): exactly one new
        file of that name and type is the upload's result; none means it is sent again; more than
        one is an error (no id can be proven).
        """
        shown = name or path.name
        attempt = 0
        while True:
            try:
                return self._post_file(path, file_type, shown)
            except ExoUnsure as exc:
                unsure = exc
            attempt += 1
            self._sleep(self.policy.delay(attempt))
            found = [f for f in self.iter_files(file_type)
                     if f.name == shown and f.id not in known_ids]  # fmt: skip
            if len(found) == 1:
                log.info("%s: created despite %s; id %d", shown, unsure, found[0].id)
                return found[0]
            if len(found) > 1:
                ids = ", ".join(str(f.id) for f in found)
                raise ExoApiError(f"{shown}: several new files with this name ({ids})")
            if attempt > self.policy.retries:
                raise ExoApiError(f"{shown}: {unsure}", status=unsure.status)
            self.retry_count += 1

    def _post_file(self, path: Path, file_type: str, name: str) -> ExoFile:
        with path.open("rb") as handle:
            body = self._json(
                "POST", "/library/file", idempotent=False,
                files={"file": (name, handle)}, data={"type": file_type, "name": name},
                timeout=httpx.Timeout(self.upload_timeout_s),
            )  # fmt: skip
        return ExoFile.from_api(body)

    # -- campaigns ------------------------------------------------------------------------------

    def campaigns(self) -> list[ExoCampaign]:
        """Every campaign of the account."""
        return [ExoCampaign.from_api(i) for page in self._pages("/campaigns") for i in page]

    def variations(self, campaign_id: int) -> list[ExoVariation]:
        """The campaign's variations (its ads)."""
        path = f"/campaigns/{campaign_id}/variation"
        return [ExoVariation.from_api(i) for page in self._pages(path) for i in page]

    def create_variation(
        self, campaign_id: int, file_id: int, *, description: str, url: str
    ) -> ExoVariation:
        """Create one variation (ad) from a library file."""
        body = self._json(
            "POST", f"/campaigns/{campaign_id}/variation", idempotent=False,
            json={"file_id": file_id, "description": description, "url": url},
        )  # fmt: skip
        return ExoVariation.from_api(body)
