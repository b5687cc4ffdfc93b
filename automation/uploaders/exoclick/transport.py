"""The ExoClick API v2 on httpx: bearer login, rate limits, retries, errors, paging.

- The permanent API token (settings.exo_api_token) buys a bearer token at `POST /login`, which
  lasts `expires_in` seconds: the client logs in again before it runs out, and once more when a
  call is refused with 401 or 403 (what an expired token gets is not published); a second
  refusal right after a fresh login is an AuthRequiredError.
- Rate limits come as X-Rate-Limit-Limit/-Remaining/-Reset headers and a 429 (no Retry-After):
  the client waits until the reset, and waits before sending when Remaining is 0.
- 5xx answers and network failures are retried with exponential backoff. A POST that creates
  something is never blindly repeated after the server may have acted on it (5xx, read
  timeout): `ExoClient.upload_file` looks for the file first (see there).
- Lists page with `limit` (at most 50) and `offset`, and end on a short page (`count` would
  ask for the total only, and no total comes beside a page).
- Every failure names the method, the path and the API's own message; no token ever appears.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Self, TypeVar

import httpx
import tenacity

from automation.errors import AuthRequiredError, ConfigError, CreativeFlowError, PlatformError
from automation.settings import Secret, Settings
from automation.uploaders.exoclick.models import forget_reported, required

log = logging.getLogger(__name__)
T = TypeVar("T")

PAGE_SIZE = 50  # the API's most rows per call
MAX_RATE_WAIT_S = 905.0  # a rate-limit window is 900 s (an older manual)
RATE_WAIT_BUFFER_S = 0.25
RATE_LIMIT_WAITS = 5  # waits for a reset per request, beside the retries of failures
EPOCH_2001 = 1_000_000_000  # a Reset this large is a timestamp, not seconds from now


class ExoApiError(PlatformError):
    """The API refused a request (or kept failing); carries its status and message."""

    def __init__(self, message: str, *, status: int | None = None, api_message: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.api_message = api_message


class ExoUnsure(ExoApiError):
    """A creating request failed in a way that may have happened after the server acted on it."""


class Transient(Exception):
    """A failure worth another attempt (5xx, no answer); carries the error to raise at the end."""

    def __init__(self, failure: Exception) -> None:
        super().__init__(str(failure))
        self.failure = failure


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently transient failures are retried."""

    retries: int = 3
    backoff_s: float = 0.5
    max_backoff_s: float = 30.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait before retry number `attempt` (1-based)."""
        return float(min(self.backoff_s * 2 ** (attempt - 1), self.max_backoff_s))


def call_with_retries(
    policy: RetryPolicy,
    sleep: Callable[[float], None],
    on_retry: Callable[[], None],
    attempt: Callable[..., T],
    /,
    *args: Any,
    **kw: Any,
) -> T:
    """`attempt(*args, **kw)`, retried with exponential backoff while it raises Transient.

    Each retry is logged and reported to `on_retry`; when the attempts run out, the error the
    last Transient carries is raised.
    """

    def before_sleep(state: tenacity.RetryCallState) -> None:
        failure = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0.0
        shown = failure.failure if isinstance(failure, Transient) else failure
        log.info("%s; retry %d/%d in %.1f s", shown, state.attempt_number, policy.retries, wait)
        on_retry()

    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(policy.retries + 1),
        wait=tenacity.wait_exponential(multiplier=policy.backoff_s, max=policy.max_backoff_s),
        retry=tenacity.retry_if_exception_type(Transient),
        sleep=sleep,
        before_sleep=before_sleep,
        reraise=True,
    )
    try:
        return retrying(attempt, *args, **kw)
    except Transient as exc:
        raise exc.failure from None


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


def rate_limit_reset_s(response: httpx.Response) -> float | None:
    """X-Rate-Limit-Reset as seconds from now (or from a timestamp), None when absent."""
    value = response.headers.get("X-Rate-Limit-Reset", "").strip()
    try:
        reset = float(value)
    except ValueError:
        return None
    if reset > EPOCH_2001:
        reset -= time.time()
    return max(reset, 0.0)


def rate_limit_remaining(response: httpx.Response) -> int | None:
    """X-Rate-Limit-Remaining, None when absent or unreadable."""
    value = response.headers.get("X-Rate-Limit-Remaining", "").strip()
    return int(value) if value.isdigit() else None


class ApiSession:
    """Calls to the ExoClick API v2 under one bearer token. Use as a context manager."""

    def __init__(
        self,
        base_url: str,
        api_token: Secret,
        *,
        timeout_s: float = 30.0,
        upload_timeout_s: float = 180.0,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._api_token = api_token
        self._token: str | None = None
        self._token_stale_at = 0.0
        self._rate_wait_until = 0.0
        self.policy = policy or RetryPolicy()
        self.upload_timeout_s = upload_timeout_s
        self.retry_count = 0
        self._sleep = sleep
        self._clock = clock
        self._http = httpx.Client(
            base_url=self.base_url, timeout=httpx.Timeout(timeout_s), transport=transport
        )
        forget_reported()

    @classmethod
    def from_settings(cls, settings: Settings, *, retries: int | None = None) -> Self:
        """A client for the API at settings.exo_api_url with settings.exo_api_token."""
        policy = RetryPolicy() if retries is None else RetryPolicy(retries=retries)
        return cls(
            settings.exo_api_url,
            settings.exo_api_token,
            timeout_s=settings.timeout_ms / 1000,
            upload_timeout_s=settings.upload_timeout_s,
            policy=policy,
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # -- auth -----------------------------------------------------------------------------------

    def login(self) -> dict[str, Any]:
        """Trade the permanent API token for a bearer token; the login answer."""
        if not self._api_token:
            raise ConfigError("EXO_API_TOKEN is not set: add your ExoClick API token to .env")
        body = {"api_token": self._api_token.reveal()}
        response = self._send("POST", "/login", auth=False, json=body)
        answer = response.json() if response.content else {}
        token = answer.get("token") if isinstance(answer, dict) else None
        if not token:
            raise ExoApiError("ExoClick API: POST /login answered without a token")
        self._token = str(token)
        lifetime = float(answer.get("expires_in") or 3600)
        # Log in again a little before the token runs out (a quarter of it, at most a minute).
        self._token_stale_at = self._clock() + lifetime - min(60.0, lifetime / 4)
        return dict(answer)

    def _auth_headers(self) -> dict[str, str]:
        if self._token is None or self._clock() >= self._token_stale_at:
            self.login()
        return {"Authorization": f"Bearer {self._token}"}

    # -- transport ------------------------------------------------------------------------------

    def _send(
        self, method: str, path: str, *, auth: bool = True, idempotent: bool = True, **kw: Any
    ) -> httpx.Response:
        """One API call with re-login, rate-limit waits and retries; returns a 2xx response.

        tenacity carries the generic part (attempts, exponential backoff); what is particular
        to this API (a refused token, a 429, a creating POST that may have landed) is decided
        in `_exchange`.
        """
        rate_waits = [0]  # shared by every attempt of this call
        return call_with_retries(
            self.policy, self._sleep, self._count_retry, self._exchange, method, path,
            auth=auth, idempotent=idempotent, rate_waits=rate_waits, **kw,
        )  # fmt: skip

    def _exchange(
        self,
        method: str,
        path: str,
        *,
        auth: bool,
        idempotent: bool,
        rate_waits: list[int],
        **kw: Any,
    ) -> httpx.Response:
        """One attempt, with at most one re-login and the rate-limit waits; Transient to retry."""
        relogged = False
        while True:
            response = self._attempt(method, path, auth=auth, idempotent=idempotent, **kw)
            status = response.status_code if response is not None else None
            if status in (401, 403) and auth and not relogged:
                log.info("ExoClick bearer token refused (%s %d); logging in again", path, status)
                relogged, self._token = True, None
                continue
            if response is not None and status is not None and status < 400:
                return response
            failure = self._failure(method, path, response)
            if status == 429 and response is not None and rate_waits[0] < RATE_LIMIT_WAITS:
                rate_waits[0] += 1
                self._wait_for_reset(response, failure)
                continue
            if status is not None and status >= 500 and not idempotent:
                raise ExoUnsure(str(failure), status=status)
            if status is not None and status < 500:
                raise failure
            raise Transient(failure)

    def _count_retry(self) -> None:
        """Count each retry (the run's status file records the count)."""
        self.retry_count += 1

    def _wait_for_reset(self, response: httpx.Response, failure: CreativeFlowError) -> None:
        """After a 429: wait until X-Rate-Limit-Reset (a backoff when the header is absent)."""
        reset = rate_limit_reset_s(response)
        wait = self.policy.delay(1) if reset is None else reset + RATE_WAIT_BUFFER_S
        if wait > MAX_RATE_WAIT_S:
            raise ExoApiError(f"{failure}; the limit resets in {wait:.0f} s", status=429)
        log.info("%s; waiting %.1f s for the rate limit to reset", failure, wait)
        self.retry_count += 1
        self._sleep(wait)

    def _note_rate(self, response: httpx.Response) -> None:
        """Remaining 0: hold the next request until the reset instead of earning a 429."""
        reset = rate_limit_reset_s(response)
        if rate_limit_remaining(response) == 0 and reset is not None and response.is_success:
            self._rate_wait_until = self._clock() + min(reset, MAX_RATE_WAIT_S)

    def _attempt(
        self, method: str, path: str, *, auth: bool, idempotent: bool, **kw: Any
    ) -> httpx.Response | None:
        """The HTTP exchange; None for a network failure that may be retried."""
        hold = self._rate_wait_until - self._clock()
        if hold > 0:
            log.info("ExoClick rate limit used up; waiting %.1f s for the reset", hold)
            self._sleep(hold + RATE_WAIT_BUFFER_S)
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
        self._note_rate(response)
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

    def get_response(self, path: str, params: dict[str, Any] | None = None) -> httpx.Response:
        """GET one path; the 2xx response (headers too)."""
        return self._send("GET", path, params=params)

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET one path; its JSON answer."""
        return self.get_response(path, params).json()

    def pages(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        query: dict[str, Any] | None = None,
    ) -> Iterator[list[dict[str, Any]]]:
        """A paged listing (limit/offset), one page of items at a time; a short page ends it.

        With `query` the pages are asked for by POSTing it as JSON (the statistics), else by GET.
        """
        method, offset = ("GET" if query is None else "POST"), 0
        while True:
            paging = {"limit": PAGE_SIZE, "offset": offset}
            if query is None:
                body = self.get_json(path, {**(params or {}), **paging})
            else:
                body = self._send("POST", path, json={**query, **paging}).json()
            items = required(body, "result", f"{method} {path}") if isinstance(body, dict) else None
            if not isinstance(items, list):
                raise ExoApiError(f"ExoClick API: {method} {path}: 'result' is not a list of rows")
            if items:
                yield items
            offset += len(items)
            if len(items) < PAGE_SIZE:
                return
