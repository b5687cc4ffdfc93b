"""Run identifiers: sortable by time, unique across concurrent runs."""

from __future__ import annotations

import secrets
from datetime import datetime


def new_run_id(now: datetime | None = None) -> str:
    """A run id like 20261121-053012-a1b2."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{secrets.token_hex(2)}"
