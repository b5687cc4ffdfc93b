"""Counts read as people write them, in every message and on the report page."""

from __future__ import annotations

from automation.wording import plural


def test_plural_reads_one_many_and_the_es_nouns() -> None:
    assert plural(1, "file") == "1 file"
    assert plural(0, "ad") == "0 ads"
    assert plural(2, "error") == "2 errors"
    assert plural(3, "batch") == "3 batches"
    assert plural(2, "box") == "2 boxes"
    assert plural(1, "batch") == "1 batch"
    assert plural(2, "retry") == "2 retries"
    assert plural(1, "retry") == "1 retry"
    assert plural(7, "day") == "7 days"
