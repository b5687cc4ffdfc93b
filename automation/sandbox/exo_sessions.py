"""The ExoClick sandbox's switches, rate-limit window and bearer tokens (a part of ExoStore)."""

from __future__ import annotations

import json
import math
import secrets
import sqlite3
import time
from typing import Any

TOKEN_LIFETIME_S = 3600


class SessionTables:
    """Switches (JSON values), the rate-limit window and tokens; ExoStore supplies the SQL."""

    conn: sqlite3.Connection
    lock: Any

    def _rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _write(self, sql: str, args: tuple[Any, ...] = ()) -> int:
        raise NotImplementedError

    # -- switches (JSON values) -----------------------------------------------------------------

    def switch(self, key: str, default: Any = 0) -> Any:
        rows = self._rows("SELECT value FROM exo_switches WHERE key = ?", (key,))
        return json.loads(rows[0]["value"]) if rows else default

    def set_switch(self, key: str, value: Any) -> None:
        self._write(
            "INSERT OR REPLACE INTO exo_switches (key, value) VALUES (?, ?)",
            (key, json.dumps(value)),
        )

    def _take(self, key: str) -> bool:
        """Count down a switch; True while it was above zero."""
        with self.lock:
            left = float(self.switch(key))
            if left <= 0:
                return False
            self.set_switch(key, left - 1)
            return True

    def take_fail_after_create(self) -> bool:
        """Whether this creating request, having acted, must still answer 500 (and count it)."""
        with self.lock:
            if not self._take("fail_after_create_next"):
                return False
            # ... and the server stays down for the next reads, when asked to.
            self.set_switch("fail_reads_next", self.switch("then_fail_reads"))
            return True

    def take_failed_read(self) -> bool:
        """Whether this read must answer 500 (`then_fail_reads` after a failed create)."""
        return self._take("fail_reads_next")

    # -- rate limit -----------------------------------------------------------------------------

    def count_for_rate_limit(self) -> tuple[int, int, int, bool]:
        """Count one request: (limit, remaining, seconds to reset, whether it is over the limit).

        One window of `rate_window_s` with `rate_limit` requests (an older manual: 150,000 per
        900 s); `rate_limit_exhaust_s` (a control) uses the window up for that long, from the
        next request on (so a test does not race the clock before its first call).
        """
        with self.lock:
            now = time.time()
            limit, window = (
                int(self.switch("rate_limit", 150_000)),
                float(self.switch("rate_window_s", 900)),
            )
            start = self.switch("rate_window_start", None)
            if start is None or now >= float(start) + window:
                start, count = now, 0
                self.set_switch("rate_window_start", start)
            else:
                count = int(self.switch("rate_count", 0))
            pending = float(self.switch("rate_exhaust_pending_s", 0))
            if pending > 0:
                self.set_switch("rate_exhaust_pending_s", 0)
                self.set_switch("rate_blocked_until", now + pending)
            blocked_until = float(self.switch("rate_blocked_until", 0))
            if now < blocked_until:
                return limit, 0, math.ceil(blocked_until - now), True
            count += 1
            self.set_switch("rate_count", count)
            reset = math.ceil(float(start) + window - now)
            return limit, max(limit - count, 0), reset, count > limit

    def exhaust_rate_limit(self, seconds: float) -> None:
        """Use the rate-limit window up for `seconds` from the next request on."""
        self.set_switch("rate_exhaust_pending_s", seconds)

    # -- tokens ---------------------------------------------------------------------------------

    def issue_token(self) -> tuple[str, int]:
        token = secrets.token_hex(20)
        # expires_in is whole seconds; the token lasts exactly that long.
        lifetime_s = max(round(float(self.switch("token_lifetime_s", TOKEN_LIFETIME_S))), 1)
        self._write(
            "INSERT INTO exo_tokens (token, expires_at) VALUES (?, ?)",
            (token, time.time() + lifetime_s),
        )
        return token, lifetime_s

    def token_state(self, token: str) -> str:
        """'valid', 'expired' or 'unknown'."""
        rows = self._rows("SELECT expires_at FROM exo_tokens WHERE token = ?", (token,))
        if not rows:
            return "unknown"
        return "valid" if rows[0]["expires_at"] > time.time() else "expired"

    def expire_tokens(self) -> int:
        with self.lock:
            cur = self.conn.execute("UPDATE exo_tokens SET expires_at = ?", (time.time() - 1,))
            self.conn.commit()
            return cur.rowcount
