"""Volume thresholds of the performance views, kept apart so that settings load without them."""

from __future__ import annotations

# Fewer impressions than this is a small sample: shown, flagged, and never ranked.
DEFAULT_MIN_IMPRESSIONS = 1_000
