"""The sandbox's whole state in SQLite: library, campaigns, accounts, sessions and switches."""

from __future__ import annotations

import json
import logging
import random
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from automation.sandbox.campaign_store import CampaignStore
from automation.sandbox.creative_store import CreativeStore
from automation.sandbox.db import OWN_TABLES, Database
from automation.sandbox.tj_api_variants import TJ_API_VARIANT_DEFAULTS
from automation.sandbox.variants import VARIANT_DEFAULTS, variant_switches

log = logging.getLogger(__name__)

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-pass-123"
SESSION_COOKIE = "tj_session"
# Failure switches and their defaults; POST /__sandbox__/switches changes them.
DEFAULT_SWITCHES: dict[str, Any] = {
    "latency_ms": 0,
    "error_rate": 0.0,
    "error_routes": [],  # path prefixes the error rate applies to; empty = every route
    "error_seed": 0,
    "expire_after_requests": None,
    "session_lifetime_s": 8 * 3600,
    "captcha": True,
    "processing_delay_ms": 0,
    "reject_name": None,
    "mass_create_shortfall": 0,
    # What the platform does right after creating mass-create ads: None (shows the page),
    # "error" (answers HTTP 500 anyway) or "logout" (the session ends before the page shows).
    "after_mass_create": None,
    # Pendo-like tour guides over app pages: "sometimes" (repeatably, see tour.py), "always", "off";
    # the app's own cookie banner shows until accepted unless switched off.
    "tour_overlay": "sometimes",
    "cookie_banner": True,
    # Behaviours the evidence leaves open (see variants.py); defaults are the likely real site.
    **VARIANT_DEFAULTS,
    # Ad settings delays (table load, CSV check, preview, create): "quick" (short, non-zero)
    # or "real" (the 2-5 s the real site takes, for benchmarks); see tj_campaigns.TIMINGS.
    "ad_settings_timing": "quick",
    # Test-only: {"old": "new"} strings replaced in every page, XHR answer and script the app
    # serves, to change its markup on purpose (what site-check must notice).
    "markup_drift": {},
    # Media library: how long the platform processes an accepted file before its card shows,
    # "seconds" (about a second for test-sized files, more for big ones), "long" (a minute
    # or more) or a number of seconds; and the upload area's content-category picker (a guess:
    # off).
    "processing": "seconds",
    "category_picker": False,
    # The TrafficJunky API (tj_api.py): its open behaviours (tj_api_variants.py), the seed of
    # its synthetic stats, creatives whose ads perform badly (a tenth of the CTR), the most
    # rows a page gives, a rate limit (requests per window; None: none) and the next N API
    # requests answered with HTTP 500.
    **TJ_API_VARIANT_DEFAULTS,
    "tj_api_stats_seed": 0,
    "tj_api_weak_creatives": [],
    "tj_api_max_limit": 100,
    "tj_api_rate_limit": None,
    "tj_api_rate_window_s": 60,
    "tj_api_fail_next": 0,
}


class SandboxState(CreativeStore, CampaignStore):
    """Everything the sandbox knows, in a SQLite file (or a temporary one)."""

    def __init__(
        self, path: Path | str | None = None, *, captcha: bool = True, variant: str = "default"
    ) -> None:
        self.db = Database(path)
        # A variant's switches are part of its defaults: a reset keeps the variant.
        self.defaults = {**DEFAULT_SWITCHES, **variant_switches(variant), "captcha": captcha}
        self.rng = random.Random(0)
        self._rng_lock = threading.Lock()
        self._reset_hooks: dict[str, Callable[[SandboxState], None]] = {}
        if self.db.meta("initialised") is None:
            self.reset()

    @property
    def conn(self) -> Any:
        """The SQLite connection, for plug-ins that keep their own tables (hold `lock`)."""
        return self.db.conn

    @property
    def lock(self) -> threading.RLock:
        return self.db.lock

    def on_reset(self, name: str, hook: Callable[[SandboxState], None]) -> None:
        """Call `hook(state)` on every reset (plug-ins clear their own tables there)."""
        self._reset_hooks[name] = hook

    def reset(self) -> None:
        """Empty library, no campaigns, no sessions, default switches, the demo account."""
        with self.db.transaction():
            for table in OWN_TABLES:
                self.db.execute(f"DELETE FROM {table}")
            self.db.execute(
                "INSERT INTO accounts (username, password) VALUES (?, ?)",
                (DEMO_USERNAME, DEMO_PASSWORD),
            )
            for name, value in self.defaults.items():
                self._store_switch(name, value)
            self.db.set_meta("initialised", time.time())
        self.rng = random.Random(self.defaults["error_seed"])
        for hook in self._reset_hooks.values():
            hook(self)

    # --- switches --------------------------------------------------------------------
    def _store_switch(self, name: str, value: Any) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO switches (name, value) VALUES (?, ?)", (name, json.dumps(value))
        )

    def switches(self) -> dict[str, Any]:
        """The switches in force."""
        stored = {
            r["name"]: json.loads(r["value"]) for r in self.db.query("SELECT * FROM switches")
        }
        return {**self.defaults, **stored}

    def set_switches(self, **changes: Any) -> dict[str, Any]:
        """Change switches; `expire_sessions_now=True` ends every session at once."""
        if changes.pop("expire_sessions_now", False):
            self.expire_sessions()
        unknown = set(changes) - set(DEFAULT_SWITCHES)
        if unknown:
            raise ValueError(f"unknown switch(es): {', '.join(sorted(unknown))}")
        for name, value in changes.items():
            self._store_switch(name, value)
        if "error_seed" in changes or "error_rate" in changes:
            with self._rng_lock:
                self.rng = random.Random(self.switches()["error_seed"])
        return self.switches()

    def roll_error(self, rate: float) -> bool:
        """True for a request that should fail; repeatable for a given error_seed."""
        with self._rng_lock:
            return self.rng.random() < rate

    def count_request(self) -> None:
        """Count one request toward `expire_after_requests`; expire sessions when it runs out."""
        with self.lock:
            remaining = self.switches()["expire_after_requests"]
            if remaining is None:
                return
            if int(remaining) <= 0:
                self.expire_sessions()
                self._store_switch("expire_after_requests", None)
            else:
                self._store_switch("expire_after_requests", int(remaining) - 1)

    def set_auto_approve(self, seconds: float | None) -> None:
        """Approve pending creatives once they are this old (None: never)."""
        self.db.set_meta("auto_approve_after_s", "" if seconds is None else float(seconds))

    # --- accounts and sessions ------------------------------------------------------------
    def add_account(self, username: str, password: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO accounts (username, password) VALUES (?, ?)",
            (username, password),
        )

    def check_credentials(self, username: str, password: str) -> bool:
        rows = self.db.query("SELECT password FROM accounts WHERE username = ?", (username,))
        return bool(rows) and secrets.compare_digest(str(rows[0]["password"]), password)

    def create_session(self, username: str = DEMO_USERNAME) -> str:
        """A new session token for an account."""
        token = secrets.token_urlsafe(24)
        self.db.execute(
            "INSERT INTO sessions (token, username, created_at) VALUES (?, ?, ?)",
            (token, username, time.time()),
        )
        return token

    def session_user(self, token: str | None) -> str | None:
        """The account of a live session, or None when missing or expired."""
        if not token:
            return None
        rows = self.db.query("SELECT * FROM sessions WHERE token = ?", (token,))
        if not rows:
            return None
        lifetime = self.switches()["session_lifetime_s"]
        if lifetime is not None and time.time() - rows[0]["created_at"] > float(lifetime):
            self.db.execute("DELETE FROM sessions WHERE token = ?", (token,))
            return None
        return str(rows[0]["username"])

    def end_session(self, token: str) -> None:
        self.db.execute("DELETE FROM sessions WHERE token = ?", (token,))

    def expire_sessions(self) -> int:
        """End every session; how many there were."""
        return self.db.execute("DELETE FROM sessions")

    def issue_captcha_token(self) -> str:
        """A one-time proof that the captcha box was ticked."""
        token = secrets.token_urlsafe(16)
        self.db.execute(
            "INSERT INTO captcha_tokens (token, created_at) VALUES (?, ?)", (token, time.time())
        )
        return token

    def use_captcha_token(self, token: str) -> bool:
        """True once for a token issued in the last ten minutes."""
        cutoff = time.time() - 600
        return (
            self.db.execute(
                "DELETE FROM captcha_tokens WHERE token = ? AND created_at >= ?", (token, cutoff)
            )
            == 1
        )

    # --- ground truth -----------------------------------------------------------------------
    def truth(self) -> dict[str, Any]:
        """Every creative, every campaign with its ads, and the switches in force."""
        campaigns = []
        for campaign in self.campaigns():
            ads = [
                {"id": a.id, "name": a.name, "target_url": a.target_url,
                 "creative_ids": a.creative_ids, "fields": a.fields}
                for a in self.ads(campaign.id)
            ]  # fmt: skip
            campaigns.append({**campaign.as_dict(), "ads": ads})
        return {
            "creatives": [c.as_dict() for c in self.creatives()],
            "campaigns": campaigns,
            "switches": self.switches(),
        }

    def close(self) -> None:
        self.db.close()
