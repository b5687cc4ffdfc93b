"""The sandbox's SQLite connection: one connection shared by the server's threads, under a lock."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS switches (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (username TEXT PRIMARY KEY, password TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    token TEXT PRIMARY KEY, username TEXT NOT NULL, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS captcha_tokens (token TEXT PRIMARY KEY, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS creatives (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, tab TEXT NOT NULL, native_type TEXT,
    dimensions TEXT NOT NULL, file_type TEXT NOT NULL, creative_type TEXT NOT NULL,
    status TEXT NOT NULL, upload_order INTEGER NOT NULL, content_category TEXT NOT NULL,
    size_bytes INTEGER NOT NULL, duration_s REAL, created_at REAL NOT NULL,
    ready_at REAL NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS campaigns (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, content_category TEXT NOT NULL, ad_format TEXT);
CREATE TABLE IF NOT EXISTS ads (
    id INTEGER PRIMARY KEY, campaign_id INTEGER NOT NULL, name TEXT NOT NULL,
    target_url TEXT NOT NULL, creative_ids TEXT NOT NULL, fields TEXT NOT NULL,
    created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS csv_drafts (
    token TEXT PRIMARY KEY, campaign_id INTEGER NOT NULL, kind TEXT NOT NULL,
    rows TEXT NOT NULL, created_at REAL NOT NULL);
-- The ads paused through the TrafficJunky API (tj_api.py clears them in its reset hook).
CREATE TABLE IF NOT EXISTS tj_api_ad_status (ad_id INTEGER PRIMARY KEY, status TEXT);
CREATE TABLE IF NOT EXISTS tj_handoffs (
    token TEXT PRIMARY KEY, username TEXT NOT NULL, created_at REAL NOT NULL);
"""
# (table, column, definition) added after the first release of the schema.
ADDED_COLUMNS = (("creatives", "ready_at", "REAL NOT NULL DEFAULT 0"),)
# Cleared by reset(), in this order; plug-ins clear their own tables in their reset hook.
OWN_TABLES = (
    "ads", "csv_drafts", "campaigns", "creatives", "captcha_tokens", "sessions", "accounts",
    "switches", "meta",
)  # fmt: skip


class Database:
    """A SQLite file (or a temporary one removed on close) shared by every request thread."""

    def __init__(self, path: Path | str | None = None) -> None:
        self._temporary = path is None
        if path is None:
            fd, name = tempfile.mkstemp(prefix="tj-sandbox-", suffix=".sqlite3")
            os.close(fd)
            path = name
        self.path = Path(path)
        self.lock = threading.RLock()
        self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.executescript(SCHEMA)
        self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        """Columns added since a state file was made (CREATE IF NOT EXISTS keeps old tables)."""
        for table, column, ddl in ADDED_COLUMNS:
            have = {row["name"] for row in self.conn.execute(f"PRAGMA table_info({table})")}
            if column not in have:
                self.conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {ddl}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The connection inside one transaction, holding the lock."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def query(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[sqlite3.Row]:
        """All rows of one SELECT."""
        with self.lock:
            return list(self.conn.execute(sql, params))

    def execute(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> int:
        """Run one statement; the number of rows it changed."""
        with self.lock:
            return self.conn.execute(sql, params).rowcount

    def meta(self, key: str, default: str | None = None) -> str | None:
        rows = self.query("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0]["value"]) if rows else default

    def set_meta(self, key: str, value: object) -> None:
        self.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, str(value)))

    def next_number(self, key: str, start: int, step: int) -> int:
        """A counter kept in meta: `start`, then `start + step`, and so on."""
        with self.lock:
            current = self.meta(key)
            value = start if current is None else int(current) + step
            self.set_meta(key, value)
            return value

    def close(self) -> None:
        with self.lock:
            self.conn.close()
        if self._temporary:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
