"""Rules over a creative's stats, e.g. `ctr<0.2% and impressions>5000` (for `pause --rule`).

A rule is comparisons joined by `and`; each compares one field with a number. Fields:
impressions, clicks, conversions, cost, and the ratios ctr (clicks / impressions), cvr
(conversions / clicks) and cpa (cost / conversions). A ratio may be written as a percentage
(`0.2%` is 0.002). A ratio whose divisor is 0 is undefined and its comparisons are false, except
that cpa with cost but no conversions is infinitely high (it spent and won nothing).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tracking.stats import Counts

FIELDS = ("ctr", "cvr", "cpa", "impressions", "clicks", "conversions", "cost")
PERCENT_FIELDS = ("ctr", "cvr")
OPERATORS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "<=": operator.le, ">=": operator.ge, "!=": operator.ne, "==": operator.eq,
    "<": operator.lt, ">": operator.gt, "=": operator.eq,
}  # fmt: skip
INFINITY = Decimal("Infinity")
_CONDITION = re.compile(r"^\s*([A-Za-z_]+)\s*(<=|>=|!=|==|<|>|=)\s*([0-9.]+)\s*(%?)\s*$")


class RuleError(ValueError):
    """A rule that cannot be read; the message says what is wrong and what is allowed."""


@dataclass(frozen=True)
class Condition:
    """One comparison, e.g. ctr < 0.002."""

    field: str
    op: str
    value: Decimal

    def holds(self, counts: Counts) -> bool:
        have = metric(counts, self.field)
        return have is not None and OPERATORS[self.op](have, self.value)


@dataclass(frozen=True)
class Rule:
    """Conditions that must all hold; `text` is the rule as written."""

    text: str
    conditions: tuple[Condition, ...]

    def matches(self, counts: Counts) -> bool:
        return all(c.holds(counts) for c in self.conditions)


def metric(counts: Counts, field: str) -> Decimal | None:
    """A field's value for these counts; None where a ratio is undefined."""
    if field == "ctr":
        return _ratio(counts.clicks, counts.impressions)
    if field == "cvr":
        return _ratio(counts.conversions, counts.clicks)
    if field == "cpa":
        if counts.conversions == 0:
            return INFINITY if counts.cost > 0 else None
        return counts.cost / counts.conversions
    return Decimal(getattr(counts, field))


def _ratio(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


def _condition(text: str) -> Condition:
    match = _CONDITION.match(text)
    if match is None:
        raise RuleError(
            f"cannot read {text.strip()!r}: write FIELD OP NUMBER, e.g. ctr<0.2% or "
            "impressions>5000"
        )
    field, op, raw, percent = match.groups()
    field = field.lower()
    if field not in FIELDS:
        raise RuleError(f"unknown field {field!r}; known fields: {', '.join(FIELDS)}")
    if percent and field not in PERCENT_FIELDS:
        raise RuleError(f"{field} is not a ratio: write it without '%'")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise RuleError(f"{raw!r} in {text.strip()!r} is not a number") from None
    return Condition(field, op, value / 100 if percent else value)


def parse_rule(text: str) -> Rule:
    """The rule in `text`; RuleError naming what cannot be read."""
    parts = re.split(r"\s+and\s+", text.strip(), flags=re.IGNORECASE)
    if not text.strip() or any(not p.strip() for p in parts):
        raise RuleError("the rule is empty: e.g. 'ctr<0.2% and impressions>5000'")
    return Rule(text.strip(), tuple(_condition(p) for p in parts))
