"""How counts read, the same in the terminal and in the HTML report (no imports: start-up)."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """'1 file', '2 files', '1 batch', '3 batches', '0 ads', '2 retries', '2 days'."""
    if count == 1:
        return f"{count} {noun}"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return f"{count} {noun[:-1]}ies"
    tail = "es" if noun.endswith(("s", "x", "ch", "sh")) else "s"
    return f"{count} {noun}{tail}"
