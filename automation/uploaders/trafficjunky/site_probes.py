"""Probes of TrafficJunky's selectors on one page: found (how many), missing (and what is there
instead), absent (optional), or not tried.

Which selectors exist, and where each must show, is read from selectors.py at run time
(`SEEN_ON`, `OPTIONAL`): others edit that module, and a check that hard-coded its names would
check yesterday's tool.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from automation.uploaders.site_check import Probe, ProbeStatus

# Constants of selectors.py that describe the others rather than markup.
META_CONSTANTS = frozenset({"SEEN_ON", "OPTIONAL"})
NEARBY_SHOWN = 4
# Words too common in markup to say that two elements are related.
_STOP_WORDS = frozenset(
    {"type", "name", "value", "text", "has", "not", "the", "and", "input", "div", "span"}
)
_IDS_AND_CLASSES = re.compile(r"[#.]([A-Za-z_][\w-]*)")
_ATTRIBUTE_VALUES = re.compile(r"\[[\w-]+\s*[*^$~|]?=\s*[\"']?([^\"'\]]+)")
_FIRST_TAG = re.compile(r"^\s*([a-z][a-z0-9]*)\b")
_LONG_NUMBER = re.compile(r"\d{5,}")

# Elements whose id, class or name shares a word with the selector: what the page has instead.
_NEARBY_JS = """([tokens, tag, shown]) => {
  const split = s => (s || "").replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase()
    .split(/[^a-z0-9]+/).filter(t => t.length >= 3);
  const found = new Map();
  for (const el of document.querySelectorAll("body *")) {
    const words = new Set([el.id, el.getAttribute("name"), ...el.classList].flatMap(split));
    let score = tokens.filter(t => words.has(t)).length;
    if (!score) continue;
    const name = el.tagName.toLowerCase();
    if (name === tag) score += 0.5;
    const sig = name + (el.id ? "#" + el.id : "") + [...el.classList].map(c => "." + c).join("");
    const seen = found.get(sig) || {sig, score, n: 0};
    seen.n += 1;
    found.set(sig, seen);
  }
  return [...found.values()].sort((a, b) => b.score - a.score || b.n - a.n).slice(0, shown)
    .map(e => e.n > 1 ? `${e.sig} x${e.n}` : e.sig);
}"""


@dataclass(frozen=True)
class Visit:
    """One page state the walker reached: the page kinds it stands for, and a label for people.

    `creatives`: how many creative IDs (10-digit numbers) the page shows; an empty library tab
    cannot show card markup, which is not a change of the site.
    """

    where: str
    kinds: frozenset[str]
    creatives: int = 0


@dataclass(frozen=True)
class SelectorEntry:
    """One selector to probe: `NAME` or `NAME[key]`, its value, and the page kinds it shows on."""

    name: str
    selector: str
    kinds: tuple[str, ...]
    optional: bool


def selector_entries(selectors: ModuleType) -> list[SelectorEntry]:
    """Every selector constant of the module (dicts key by key), with where it must show."""
    seen_on: dict[str, tuple[str, ...]] = getattr(selectors, "SEEN_ON", {})
    optional: frozenset[str] = getattr(selectors, "OPTIONAL", frozenset())
    entries = []
    for name, value in vars(selectors).items():
        if not name.isupper() or name in META_CONSTANTS:
            continue
        kinds = tuple(seen_on.get(name, ()))
        if isinstance(value, str):
            entries.append(SelectorEntry(name, value, kinds, name in optional))
        elif isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            entries.extend(
                SelectorEntry(f"{name}[{key}]", str(v), kinds, name in optional)
                for key, v in value.items()
            )
    return entries


def probe_visit(page: Page, visit: Visit, entries: Iterable[SelectorEntry]) -> list[Probe]:
    """A probe for every entry that must show on a page of this visit's kinds."""
    return [
        _probe(page, visit, entry) for entry in entries if visit.kinds.intersection(entry.kinds)
    ]


def _probe(page: Page, visit: Visit, entry: SelectorEntry) -> Probe:
    try:
        count = page.locator(entry.selector).count()
    except PlaywrightError as exc:  # a selector the browser cannot parse is as good as missing
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid"
        return Probe(entry.name, visit.where, ProbeStatus.MISSING, f"selector error: {first}")
    if count:
        return Probe(entry.name, visit.where, ProbeStatus.FOUND, f"{count} found")
    if entry.optional:
        return Probe(entry.name, visit.where, ProbeStatus.ABSENT_OK, "not on this page")
    return Probe(entry.name, visit.where, ProbeStatus.MISSING, nearby(page, entry.selector))


def selector_tokens(selector: str) -> list[str]:
    """The words of a selector's ids, classes and attribute values ("creativeName" -> creative,
    name), for finding what the page has instead."""
    parts = _IDS_AND_CLASSES.findall(selector) + _ATTRIBUTE_VALUES.findall(selector)
    words: list[str] = []
    for part in parts:
        spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", part).lower()
        for word in re.split(r"[^a-z0-9]+", spaced):
            if len(word) >= 3 and word not in _STOP_WORDS and word not in words:
                words.append(word)
    return words


def nearby(page: Page, selector: str) -> str:
    """'0 found; nearby: tag#id.class x12, ...': elements sharing a word with the selector."""
    tokens = selector_tokens(selector)
    tag_match = _FIRST_TAG.match(selector)
    tag = tag_match.group(1) if tag_match else ""
    if not tokens:
        return "0 found"
    try:
        similar: list[str] = page.evaluate(_NEARBY_JS, [tokens, tag, NEARBY_SHOWN])
    except PlaywrightError as exc:
        return f"0 found (could not look nearby: {str(exc).splitlines()[0]})"
    if not similar:
        return f"0 found; nothing with {'/'.join(tokens)} in its id, class or name"
    # An id or class may carry a creative or campaign ID; the report names no user data.
    shown = [_LONG_NUMBER.sub(lambda m: "0" * len(m.group()), s) for s in similar]
    return f"0 found; nearby: {', '.join(shown)}"


def not_tried(
    entries: Iterable[SelectorEntry], visited: set[str], reasons: dict[str, str]
) -> list[Probe]:
    """Probes for what this run did not look at: write-only selectors, and page kinds not reached.

    `reasons`: page kind -> why it was not reached (e.g. "needs --campaign").
    """
    probes = []
    for entry in entries:
        if not entry.kinds:
            probes.append(
                Probe(
                    entry.name,
                    "-",
                    ProbeStatus.NOT_TRIED,
                    "shows only during a write (or is no page element)",
                )
            )
            continue
        for kind in entry.kinds:
            if kind not in visited:
                reason = reasons.get(kind, "page not reached")
                probes.append(Probe(entry.name, kind, ProbeStatus.NOT_TRIED, reason))
    return probes


def excuse_empty_tabs(probes: list[Probe], visits: Iterable[Visit]) -> list[Probe]:
    """Missing on a tab that shows no creative: card markup cannot show there.

    Such a probe becomes "not tried" when a tab with creatives judged the same selector (found
    or missing, it is reported there); only a selector no such tab judged stays missing.
    """
    empty = {v.where for v in visits if v.creatives == 0 and "library" in v.kinds}
    judged = {
        p.name for p in probes if p.where not in empty and p.status is not ProbeStatus.NOT_TRIED
    }
    return [
        Probe(p.name, p.where, ProbeStatus.NOT_TRIED, "this tab shows no creatives")
        if p.status is ProbeStatus.MISSING and p.where in empty and p.name in judged
        else p
        for p in probes
    ]
