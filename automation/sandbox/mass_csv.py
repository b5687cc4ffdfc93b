"""The server-side check of a "Mass create with CSV" file, as strict as the platform's."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from automation.sandbox.campaign_store import Campaign
from automation.sandbox.creative_store import CreativeStore
from automation.sandbox.tabs import TABS

MAX_ADS = 50
MAX_BYTES = 512_000  # "500 KB", counted as 500 x 1024 bytes (seen)
TEMPLATES: dict[str, list[str]] = {
    "native": ["Ad Name", "Target URL", "Video Creative ID", "Thumbnail Creative ID",
               "Headline", "Brand Name"],
    "preroll": ["Ad Name", "Target URL", "Creative ID", "Custom CTA Text", "Custom CTA URL",
                "Banner CTA Creative ID", "Banner CTA Title", "Banner CTA Subtitle",
                "Banner CTA URL", "Tracking Pixel"],
    "video_banner": ["Ad Name", "Target URL", "Creative Video ID", "Creative Overlay ID"],
    # Static banner ads name no creative in the file (seen: the two-column template).
    "static_banner": ["Ad Name", "Target URL"],
}  # fmt: skip
LABELS = {"native": "Native", "preroll": "Pre-roll", "video_banner": "Video banner",
          "static_banner": "Static banner"}  # fmt: skip
REQUIRED = {
    "native": TEMPLATES["native"],
    "preroll": ["Ad Name", "Target URL", "Creative ID"],
    "video_banner": ["Ad Name", "Target URL", "Creative Video ID"],
    "static_banner": ["Ad Name", "Target URL"],
}
# Creative columns: the place the creative must come from, and whether the column is required.
CREATIVE_COLUMNS: dict[str, dict[str, tuple[str, bool]]] = {
    "native": {"Video Creative ID": ("native_rollover", True),
               "Thumbnail Creative ID": ("native_static", True)},
    "preroll": {"Creative ID": ("in_stream_video", True),
                "Banner CTA Creative ID": ("static_banner", False)},
    "video_banner": {"Creative Video ID": ("video_banner", True),
                     "Creative Overlay ID": ("static_banner", False)},
    "static_banner": {},
}  # fmt: skip
MAX_LENGTHS = {"Ad Name": 64, "Brand Name": 25, "Headline": 87, "Custom CTA Text": 25,
               "Banner CTA Title": 25, "Banner CTA Subtitle": 30}  # fmt: skip
URL_COLUMNS = ("Target URL", "Custom CTA URL", "Banner CTA URL", "Tracking Pixel")


@dataclass(frozen=True)
class Issue:
    """One sentence of the validation banner; `creative_ids` are the creatives it names.

    The page shows only the sentence: the IDs are in its text, several in one sentence, and no
    attribute carries them (as on the real site).
    """

    message: str
    creative_ids: tuple[str, ...] = ()


@dataclass
class CsvCheck:
    """The outcome of checking one file: its template, its rows and every issue found."""

    kind: str | None = None
    rows: list[dict[str, str]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues and bool(self.rows)


def _template_for(header: list[str]) -> tuple[str | None, list[Issue]]:
    for kind, columns in TEMPLATES.items():
        if header == columns or set(header) == set(columns):
            return kind, []
    best = max(TEMPLATES, key=lambda k: len(set(header) & set(TEMPLATES[k])))
    if not set(header) & set(TEMPLATES[best]):
        names = ", ".join(LABELS.values())
        return None, [Issue(f"The header does not match any template ({names}).")]
    issues = []
    missing = [c for c in TEMPLATES[best] if c not in header]
    unknown = [c for c in header if c not in TEMPLATES[best]]
    if missing:
        issues.append(
            Issue(f"Missing column(s) of the {LABELS[best]} template: {', '.join(missing)}")
        )
    if unknown:
        issues.append(Issue(f"Unknown column(s): {', '.join(unknown)}"))
    return best, issues


def _parse(data: bytes) -> tuple[list[str], list[dict[str, str]]] | Issue:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Issue("The file is not UTF-8 text.")
    table = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not table:
        return Issue("The file is empty.")
    header = [cell.strip() for cell in table[0]]
    rows = [
        {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        for row in table[1:]
    ]
    return header, rows


def _row_issues(kind: str, number: int, row: dict[str, str]) -> list[Issue]:
    issues = []
    for column in REQUIRED[kind]:
        if not row.get(column):
            issues.append(Issue(f"Row {number}: {column} is required."))
    for column, limit in MAX_LENGTHS.items():
        if len(row.get(column, "")) > limit:
            issues.append(Issue(f"Row {number}: {column} is longer than {limit} characters."))
    for column in URL_COLUMNS:
        value = row.get(column, "")
        if value and not value.lower().startswith(("http://", "https://")):
            issues.append(Issue(f"Row {number}: {column} must start with http:// or https://."))
    return issues


# The real site's sentence for a category mismatch (seen); the other reasons follow its form.
CATEGORY_SENTENCE = (
    "You can only use creatives that match with the campaign content category you selected. "
    "The following creatives are not valid: {ids}"
)
REASON_SENTENCES = {
    "category": CATEGORY_SENTENCE,
    "not_found": "The following creatives were not found in your media library: {ids}",
    "rejected": "The following creatives were rejected in review and cannot be used: {ids}",
    "wrong_type": "The following creatives are not {label} creatives ({column}): {ids}",
}


def creative_problem(
    library: CreativeStore, campaign: Campaign, value: str, place_key: str, column: str
) -> tuple[str, str] | None:
    """(reason key, sentence key) of why `value` cannot be used in `column`, or None."""
    creative = library.creative(int(value)) if value.isdigit() else None
    if creative is None:
        return "not_found", "not_found"
    place = TABS[place_key]
    if (creative.tab, creative.native_type) != (place.tab, place.native_type):
        return "wrong_type", f"wrong_type:{place.label}:{column}"
    if creative.content_category != campaign.content_category:
        return "category", "category"
    if creative.status == "rejected":
        return "rejected", "rejected"
    return None


def creative_issue(
    library: CreativeStore, campaign: Campaign, value: str, place_key: str, column: str
) -> str | None:
    """Why `value` cannot be used in `column` of an ad in `campaign` (a phrase), or None."""
    problem = creative_problem(library, campaign, value, place_key, column)
    if problem is None:
        return None
    phrases = {
        "not_found": f"was not found in your media library ({column})",
        "wrong_type": f"is not a {TABS[place_key].label} creative ({column})",
        "category": "does not match the campaign content category",
        "rejected": "was rejected in review",
    }
    return phrases[problem[0]]


def _sentence(key: str, ids: list[str]) -> str:
    reason, _, rest = key.partition(":")
    label, _, column = rest.partition(":")
    return REASON_SENTENCES[reason].format(ids=", ".join(ids), label=label, column=column)


def _creative_issues(
    library: CreativeStore, campaign: Campaign, kind: str, rows: list[dict[str, str]]
) -> list[Issue]:
    """One sentence per reason, naming every creative refused for it, in order of appearance."""
    found: dict[str, list[str]] = {}
    for row in rows:
        for column, (place_key, _required) in CREATIVE_COLUMNS[kind].items():
            value = row.get(column, "")
            if not value:
                continue
            problem = creative_problem(library, campaign, value, place_key, column)
            if problem and value not in found.setdefault(problem[1], []):
                found[problem[1]].append(value)
    return [Issue(_sentence(key, ids), tuple(ids)) for key, ids in found.items()]


def check_csv(data: bytes, campaign: Campaign, library: CreativeStore) -> CsvCheck:
    """Check a mass-create file against the templates, the limits and the library."""
    if len(data) > MAX_BYTES:
        return CsvCheck(issues=[Issue(f"The file is {len(data):,} bytes; at most 500 KB.")])
    parsed = _parse(data)
    if isinstance(parsed, Issue):
        return CsvCheck(issues=[parsed])
    header, rows = parsed
    kind, issues = _template_for(header)
    check = CsvCheck(kind, rows, issues)
    if kind is None or issues:
        return check
    if campaign.ad_format and campaign.ad_format != kind:
        wanted = LABELS.get(campaign.ad_format, campaign.ad_format)
        issues.append(Issue(f"This campaign takes {wanted} ads; the file is a {LABELS[kind]} CSV."))
    if not rows:
        issues.append(Issue("The file has no ads."))
    if len(rows) > MAX_ADS:
        issues.append(Issue(f"The file has {len(rows)} ads; at most {MAX_ADS} per file."))
    for number, row in enumerate(rows, start=2):
        issues.extend(_row_issues(kind, number, row))
    issues.extend(_creative_issues(library, campaign, kind, rows))
    return check


def creative_ids(kind: str, row: dict[str, str]) -> list[int]:
    """The creative IDs an ad row uses, in column order."""
    return [int(row[c]) for c in CREATIVE_COLUMNS[kind] if row.get(c, "").isdigit()]
