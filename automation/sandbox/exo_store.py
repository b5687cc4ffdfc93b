"""The ExoClick sandbox's state in SQLite: files, campaigns, variations, tokens, switches."""

from __future__ import annotations

import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# ExoClick ids are plain integers; these starts make them easy to tell apart in a log.
FIRST_FILE_ID = 4_810_001
FIRST_VARIATION_ID = 90_000_001
TOKEN_LIFETIME_S = 3600

_SCHEMA = """
CREATE TABLE IF NOT EXISTS exo_files (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, status TEXT NOT NULL,
    size INTEGER NOT NULL, width INTEGER, height INTEGER, duration REAL, mime_type TEXT,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS exo_campaigns (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, format TEXT NOT NULL, status TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS exo_variations (
    id INTEGER PRIMARY KEY, campaign_id INTEGER NOT NULL, file_id INTEGER NOT NULL,
    description TEXT NOT NULL, url TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS exo_tokens (token TEXT PRIMARY KEY, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS exo_switches (key TEXT PRIMARY KEY, value REAL NOT NULL);
CREATE TABLE IF NOT EXISTS exo_requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, method TEXT, path TEXT, status INTEGER);
"""
_TABLES = ("exo_files", "exo_campaigns", "exo_variations", "exo_tokens", "exo_switches",
           "exo_requests")  # fmt: skip

# Which library file types a campaign's ad format takes, as on ExoClick.
FORMAT_FILE_TYPES = {
    "display": ("image", "video_banner"),
    "native": ("image",),
    "instream": ("video",),
}
DEMO_CAMPAIGNS = (
    (1001, "Demo display", "display"),
    (1002, "Demo in-stream", "instream"),
    (1003, "Demo native", "native"),
)


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class FileMeta:
    """What the sandbox measured of an uploaded file."""

    size: int
    width: int | None
    height: int | None
    duration: float | None
    mime_type: str


class ExoStore:
    """All reads and writes of the ExoClick tables, each under one lock (the server is threaded)."""

    def __init__(self, conn: sqlite3.Connection, lock: Any | None = None) -> None:
        self.conn = conn
        self.lock = lock if lock is not None else threading.RLock()

    def _rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self.lock:
            cur = self.conn.execute(sql, args)
            names = [c[0] for c in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def _write(self, sql: str, args: tuple[Any, ...] = ()) -> int:
        with self.lock:
            cur = self.conn.execute(sql, args)
            self.conn.commit()
            return int(cur.lastrowid or 0)

    def ensure(self) -> ExoStore:
        """Create the ExoClick tables when the database does not have them yet."""
        with self.lock:
            self.conn.executescript(_SCHEMA)
        return self

    def reset(self) -> None:
        """Empty every ExoClick table."""
        with self.lock:
            for table in _TABLES:
                self.conn.execute(f"DROP TABLE IF EXISTS {table}")
            self.conn.executescript(_SCHEMA)
            self.conn.commit()

    def seed_demo(self) -> None:
        """The demo account's campaigns, one per ad format (kept when already there)."""
        with self.lock:
            self.conn.executemany(
                "INSERT OR IGNORE INTO exo_campaigns (id, name, format, status) "
                "VALUES (?, ?, ?, 'active')",
                DEMO_CAMPAIGNS,
            )
            self.conn.commit()

    # -- switches -------------------------------------------------------------------------------

    def switch(self, key: str, default: float = 0.0) -> float:
        rows = self._rows("SELECT value FROM exo_switches WHERE key = ?", (key,))
        return float(rows[0]["value"]) if rows else default

    def set_switch(self, key: str, value: float) -> None:
        self._write("INSERT OR REPLACE INTO exo_switches (key, value) VALUES (?, ?)", (key, value))

    def take_rate_limit(self) -> float | None:
        """Retry-After seconds when this request must get a 429 (and count it), else None."""
        with self.lock:
            left = self.switch("rate_limit_next")
            if left <= 0:
                return None
            self.set_switch("rate_limit_next", left - 1)
            return self.switch("retry_after_s", 1.0)

    def take_fail_after_create(self) -> bool:
        """Whether this creating request, having acted, must still answer 500 (and count it)."""
        with self.lock:
            left = self.switch("fail_after_create_next")
            if left <= 0:
                return False
            self.set_switch("fail_after_create_next", left - 1)
            # ... and the server stays down for the next reads, when asked to.
            self.set_switch("fail_reads_next", self.switch("then_fail_reads"))
            return True

    def take_failed_read(self) -> bool:
        """Whether this read must answer 500 (`then_fail_reads` after a failed create)."""
        with self.lock:
            left = self.switch("fail_reads_next")
            if left <= 0:
                return False
            self.set_switch("fail_reads_next", left - 1)
            return True

    # -- tokens ---------------------------------------------------------------------------------

    def issue_token(self) -> tuple[str, int]:
        token = secrets.token_hex(20)
        lifetime = self.switch("token_lifetime_s", TOKEN_LIFETIME_S)
        self._write(
            "INSERT INTO exo_tokens (token, expires_at) VALUES (?, ?)",
            (token, time.time() + lifetime),
        )
        return token, max(int(lifetime), 1)

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

    # -- library files --------------------------------------------------------------------------

    def add_file(self, name: str, file_type: str, meta: FileMeta) -> dict[str, Any]:
        with self.lock:
            top = self._rows("SELECT MAX(id) AS top FROM exo_files")[0]["top"]
            new_id = int(top) + 1 if top else FIRST_FILE_ID
            self._write(
                "INSERT INTO exo_files VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)",
                (new_id, name, file_type, meta.size, meta.width, meta.height, meta.duration,
                 meta.mime_type, _now_iso()),
            )  # fmt: skip
            return self.file(new_id) or {}

    def file(self, file_id: int) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM exo_files WHERE id = ?", (file_id,))
        return rows[0] if rows else None

    def files(
        self, offset: int = 0, count: int | None = None, file_type: str | None = None
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of files and the total; oldest first, so offsets stay stable as files arrive."""
        where, args = ("WHERE type = ?", (file_type,)) if file_type else ("", ())
        total = self._rows(f"SELECT COUNT(*) AS n FROM exo_files {where}", args)[0]["n"]
        limit = -1 if count is None else count
        page = self._rows(
            f"SELECT * FROM exo_files {where} ORDER BY id LIMIT ? OFFSET ?", (*args, limit, offset)
        )
        return page, int(total)

    def set_status(self, ids: list[int], status: str) -> int:
        with self.lock:
            marks = ",".join("?" * len(ids))
            cur = self.conn.execute(
                f"UPDATE exo_files SET status = ? WHERE id IN ({marks})", (status, *ids)
            )
            self.conn.commit()
            return cur.rowcount

    # -- campaigns and variations ---------------------------------------------------------------

    def add_campaign(self, name: str, fmt: str, campaign_id: int | None = None) -> dict[str, Any]:
        new_id = self._write(
            "INSERT INTO exo_campaigns (id, name, format, status) VALUES (?, ?, ?, 'active')",
            (campaign_id, name, fmt),
        )
        return self.campaign(new_id) or {}

    def campaign(self, campaign_id: int) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM exo_campaigns WHERE id = ?", (campaign_id,))
        return rows[0] if rows else None

    def campaigns(self) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM exo_campaigns ORDER BY id")

    def add_variation(
        self, campaign_id: int, file_id: int, description: str, url: str
    ) -> dict[str, Any]:
        with self.lock:
            top = self._rows("SELECT MAX(id) AS top FROM exo_variations")[0]["top"]
            new_id = int(top) + 1 if top else FIRST_VARIATION_ID
            self._write(
                "INSERT INTO exo_variations VALUES (?, ?, ?, ?, ?, 'active', ?)",
                (new_id, campaign_id, file_id, description, url, _now_iso()),
            )
            return self._rows("SELECT * FROM exo_variations WHERE id = ?", (new_id,))[0]

    def variations(self, campaign_id: int) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT * FROM exo_variations WHERE campaign_id = ? ORDER BY id", (campaign_id,)
        )

    # -- request log and ground truth -----------------------------------------------------------

    def log_request(self, method: str, path: str, status: int) -> None:
        self._write(
            "INSERT INTO exo_requests (method, path, status) VALUES (?, ?, ?)",
            (method, path, status),
        )

    def truth(self) -> dict[str, Any]:
        """Everything the sandbox holds, for tests: files, campaigns with variations, requests."""
        files, _ = self.files()
        campaigns = [{**c, "variations": self.variations(c["id"])} for c in self.campaigns()]
        requests = self._rows("SELECT method, path, status FROM exo_requests ORDER BY seq")
        return {"files": files, "campaigns": campaigns, "requests": requests}
