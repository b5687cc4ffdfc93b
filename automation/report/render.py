"""Report data to one self-contained HTML page (styles, script and thumbnails inline)."""

from __future__ import annotations

from collections import Counter
from html import escape
from importlib import resources
from string import Template

from automation import __version__
from automation.report.model import (
    NOT_UPLOADED,
    STATUS_LABELS,
    Creative,
    CreativeGroup,
    ReportData,
    RunOutcome,
)
from tracking.schemas import PLATFORM_LABELS

# Review states in the order a person reads them, for chips and card colours.
STATUS_ORDER = ("approved", "pending", "rejected", "uploaded", NOT_UPLOADED)
RUN_STATUS_ORDER = ("success", "duplicate", "skipped", "dry_run", "failed")


def _asset(name: str) -> str:
    return (resources.files("automation.report") / "assets" / name).read_text(encoding="utf-8")


def duration_text(seconds: float | None) -> str:
    """4 s, 12 s, 1:05."""
    if seconds is None:
        return ""
    whole = round(seconds)
    return f"{whole} s" if whole < 60 else f"{whole // 60}:{whole % 60:02d}"


def size_text(size_mb: float | None) -> str:
    """Decimal sizes as the platforms count them: 286 KB, 1.42 MB."""
    if size_mb is None:
        return ""
    return f"{size_mb * 1000:.0f} KB" if size_mb < 1 else f"{size_mb:.2f} MB"


def breakable(name: str) -> str:
    """A long file name that wraps at its underscores rather than mid-field."""
    return "_<wbr>".join(escape(part) for part in name.split("_"))


def primary_status(creative: Creative) -> str:
    """The status that colours the card: the first platform's."""
    return creative.platforms[0].status if creative.platforms else NOT_UPLOADED


def render_thumb(creative: Creative) -> str:
    """The picture area: thumbnail (or a placeholder), type badge, duration badge."""
    name = escape(creative.name)
    if creative.thumbnail:
        picture = f'<img src="{creative.thumbnail}" alt="Preview of {name}" loading="lazy">'
    else:
        fmt = escape(creative.file_format.upper() or "file")
        picture = f'<span class="none">No preview<br>{fmt} file not found</span>'
    duration = duration_text(creative.duration_s) if creative.is_video else ""
    dur = f'<span class="badge dur">{escape(duration)}</span>' if duration else ""
    return (
        f'<div class="thumb">{picture}'
        f'<span class="badge type">{escape(creative.type_label)}</span>{dur}</div>'
    )


def render_facts(creative: Creative) -> str:
    """Dimensions, duration, size, format and category in one wrapped line."""
    facts = []
    if creative.width and creative.height:
        facts.append(f"<span><b>{creative.width}×{creative.height}</b></span>")
    if creative.is_video and creative.duration_s is not None:
        facts.append(f"<span>{escape(duration_text(creative.duration_s))}</span>")
    if creative.size_mb is not None:
        facts.append(f"<span>{escape(size_text(creative.size_mb))}</span>")
    if creative.file_format:
        facts.append(f"<span>.{escape(creative.file_format)}</span>")
    if creative.category and creative.category.upper() != "UNK":
        facts.append(f'<span class="category">{escape(creative.category)}</span>')
    return f'<p class="facts">{"".join(facts)}</p>'


def render_platforms(creative: Creative) -> str:
    """One line per platform: name, creative ID, review status pill, upload date."""
    items = []
    for state in creative.platforms:
        cid = (
            f'<span class="cid mono">{escape(state.creative_id)}</span>'
            if state.creative_id
            else '<span class="cid none">no creative ID yet</span>'
        )
        items.append(
            f'<li class="platform" data-platform="{escape(state.platform)}">'
            f'<span class="pname">{escape(state.label)}</span>'
            f'<span class="status status-{escape(state.status)}">'
            f"{escape(state.status_label)}</span>{cid}"
            f'<span class="date">{escape(state.upload_date)}</span></li>'
        )
    return f'<ul class="platforms">{"".join(items)}</ul>'


def render_card(creative: Creative) -> str:
    """One creative as a card; data-* attributes feed the filters."""
    search = " ".join(
        [creative.name, creative.unique_id, *(p.creative_id for p in creative.platforms)]
    ).lower()
    attrs = {
        "data-id": creative.unique_id,
        "data-status": " ".join(creative.statuses),
        "data-primary": primary_status(creative),
        "data-type": creative.creative_type,
        "data-category": creative.category,
        "data-search": search,
        "aria-label": creative.name,
    }
    attr_text = " ".join(f'{k}="{escape(v)}"' for k, v in attrs.items())
    return (
        f'<article class="card" {attr_text}>{render_thumb(creative)}<div class="body">'
        f'<h3 class="name" title="{escape(creative.name)}">{breakable(creative.name)}</h3>'
        f"{render_facts(creative)}{render_platforms(creative)}</div></article>"
    )


def render_group(group: CreativeGroup) -> str:
    """A native pair side by side under its shared ID, or a single card."""
    cards = "".join(render_card(c) for c in group.creatives)
    if not group.is_pair:
        return f'<div class="group">{cards}</div>'
    pair = escape(group.pair_id)
    return (
        f'<div class="group pair" data-pair="{pair}"><div class="pair-head">'
        f"<span>Native pair</span><code>{pair}</code></div>"
        f'<div class="pair-cards">{cards}</div></div>'
    )


def render_tiles(data: ReportData) -> str:
    """The header figures; with several platforms, each status tile says how many where."""
    totals = data.totals()
    per_platform = data.by_platform()
    tiles = [
        ("total", totals["creatives"], "Creatives"),
        ("pairs", totals["pairs"], "Native pairs"),
        ("uploaded", totals["uploaded"], "Uploaded"),
        ("approved", totals["approved"], "Approved"),
        ("pending", totals["pending"], "Pending review"),
        ("rejected", totals["rejected"], "Rejected"),
        (NOT_UPLOADED, totals[NOT_UPLOADED], "Not uploaded"),
    ]
    html = []
    for cls, value, label in tiles:
        split = ""
        if len(per_platform) > 1 and cls in STATUS_ORDER:
            lines = "".join(
                f"<span>{escape(platform)} {_platform_count(counts, cls)}</span>"
                for platform, counts in per_platform.items()
            )
            split = f'<div class="split">{lines}</div>'
        html.append(
            f'<div class="tile {cls}" data-total="{cls}"><div class="value">{value}</div>'
            f'<div class="label">{label}</div>{split}</div>'
        )
    return "\n".join(html)


def _platform_count(counts: Counter[str], tile: str) -> int:
    """A tile's figure on one platform ('uploaded' = every creative with an ID there)."""
    if tile == "uploaded":
        return sum(n for status, n in counts.items() if status != NOT_UPLOADED)
    return counts.get(tile, 0)


def render_run(run: RunOutcome) -> str:
    """One row of the runs table."""
    keys = [s for s in RUN_STATUS_ORDER if s in run.counts]
    keys += sorted(s for s in run.counts if s not in RUN_STATUS_ORDER)
    counts = "".join(
        f'<span class="count {escape(s)}">{run.counts[s]} {escape(s.replace("_", " "))}</span>'
        for s in keys
    )
    errors = ""
    if run.errors:
        items = "".join(f"<li>{escape(e)}</li>" for e in run.errors[:10])
        more = f"<li>… and {len(run.errors) - 10} more</li>" if len(run.errors) > 10 else ""
        summary = f"<summary>{len(run.errors)} error(s)</summary>"
        errors = f"<details>{summary}<ul>{items}{more}</ul></details>"
    return (
        f'<tr data-run="{escape(run.run_id)}"><td class="mono">{escape(run.run_id)}</td>'
        f"<td>{escape(run.started)}</td><td>{escape(run.platform)}</td>"
        f'<td class="num">{run.total}</td><td>{counts}{errors}</td></tr>'
    )


def render_runs(runs: list[RunOutcome]) -> str:
    """The runs table, or a line saying there are none."""
    if not runs:
        return '<p class="muted">No upload runs recorded yet (records/uploads/ is empty).</p>'
    head = "<tr><th>Run</th><th>Started</th><th>Platform</th><th>Files</th><th>Outcome</th></tr>"
    body = "\n".join(render_run(r) for r in runs)
    return f'<table class="runs-table"><thead>{head}</thead><tbody>{body}</tbody></table>'


def render_chips(data: ReportData) -> str:
    """Status filter buttons with their counts (a creative counts once per platform)."""
    counts = Counter(s for c in data.creatives for s in set(c.statuses))
    chips = [
        f'<button type="button" class="chip all" data-status="all" aria-pressed="true">'
        f'All <span class="n">{len(data.creatives)}</span></button>'
    ]
    for status in STATUS_ORDER:
        if counts.get(status):
            chips.append(
                f'<button type="button" class="chip {status}" data-status="{status}" '
                f'aria-pressed="false"><span class="dot"></span>{STATUS_LABELS[status]} '
                f'<span class="n">{counts[status]}</span></button>'
            )
    return "\n".join(chips)


def render_options(values: dict[str, str], all_label: str) -> str:
    """<option>s for a select: value -> label, plus 'all'."""
    options = [f'<option value="">{escape(all_label)}</option>']
    options += [
        f'<option value="{escape(v)}">{escape(label)}</option>'
        for v, label in sorted(values.items(), key=lambda kv: kv[1])
    ]
    return "".join(options)


def render_page(data: ReportData) -> str:
    """The whole HTML document."""
    creatives = data.creatives
    types = {c.creative_type: c.type_label for c in creatives if c.creative_type}
    categories = {c.category: c.category for c in creatives if c.category}
    warnings = "".join(f'<p class="warn">{escape(w)}</p>' for w in data.warnings)
    empty = (
        ""
        if creatives
        else '<p class="empty">No creatives recorded yet: run <code>creative-flow process</code> '
        "first, then <code>creative-flow report</code> again.</p>"
    )
    labels = [PLATFORM_LABELS.get(p, p) for p in data.platforms]
    return Template(_asset("page.html")).safe_substitute(
        version=__version__,
        workspace=escape(str(data.workspace)),
        workspace_name=escape(data.workspace.name or str(data.workspace)),
        generated_at=escape(data.generated_at),
        platforms_line=escape("Platforms: " + ", ".join(labels)),
        warnings=warnings,
        tiles=render_tiles(data),
        runs=render_runs(data.runs),
        status_chips=render_chips(data),
        type_options=render_options(types, "All types"),
        category_options=render_options(categories, "All categories"),
        groups="\n".join(render_group(g) for g in data.groups),
        empty_inventory=empty,
        css=_asset("report.css"),
        js=_asset("report.js"),
    )
