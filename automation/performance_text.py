"""Performance figures as people read them, the same in the terminal and in the HTML report."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from automation.wording import plural
from tracking.performance import Metrics, Standing, Window
from tracking.schemas import PLATFORM_LABELS

NO_IMPRESSIONS = "no impressions"
NO_CLICKS = "no clicks"
NO_CONVERSIONS = "no conversions"
SMALL_SAMPLE = "small sample"


def count_text(value: int) -> str:
    """12,345."""
    return f"{value:,}"


def percent_text(ratio: float | None, missing: str) -> str:
    """1.23% (two decimals: CTRs of ad networks are often well under 1%), or what is missing."""
    return missing if ratio is None else f"{ratio * 100:.2f}%"


def money_text(value: Decimal) -> str:
    """A cost in the account's currency, to the cent: 1,234.50."""
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def ctr_text(m: Metrics) -> str:
    return percent_text(m.ctr, NO_IMPRESSIONS)


def cvr_text(m: Metrics) -> str:
    return percent_text(m.cvr, NO_CLICKS)


def cpa_text(m: Metrics) -> str:
    return NO_CONVERSIONS if m.cpa is None else money_text(m.cpa)


def rank_text(s: Standing) -> str:
    """'#3', or 'small sample' for a line kept out of the ranking."""
    return f"#{s.rank}" if s.rank is not None else SMALL_SAMPLE


def window_text(window: Window | None) -> str:
    """'2026-11-24 to 2026-11-30 (7 days, 5 with stats)'."""
    if window is None:
        return "no stats recorded"
    days = plural(window.days, "day")
    span = f"{window.first}" if window.first == window.last else f"{window.first} to {window.last}"
    return f"{span} ({days}, {window.days_with_stats} with stats)"


def metrics_json(m: Metrics) -> dict[str, object]:
    """Figures for --json: counts, cost, and ratios as fractions (None: denominator 0)."""
    return {
        "impressions": m.impressions,
        "clicks": m.clicks,
        "conversions": m.conversions,
        "cost": float(m.cost),
        "ctr": None if m.ctr is None else round(m.ctr, 6),
        "cvr": None if m.cvr is None else round(m.cvr, 6),
        "cpa": None if m.cpa is None else round(float(m.cpa), 4),
    }


def standing_json(s: Standing) -> dict[str, object]:
    """A line's figures with its rank (None when not ranked) and its small-sample flag."""
    return {**metrics_json(s.metrics), "rank": s.rank, "small_sample": s.small_sample}


def value_text(attribute: str, value: str) -> str:
    """An attribute value as shown: platforms by their names, the rest as recorded."""
    return PLATFORM_LABELS.get(value, value) if attribute == "platform" else value
