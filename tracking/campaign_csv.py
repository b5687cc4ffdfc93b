"""Campaign CSVs for TrafficJunky's "Mass create with CSV" (pandas): build, split, number, write.

Files are `Batch{NNN}_{YYYYMMDD_HHMMSS}_{Native|Preroll|VideoBanner|StaticBanner}[_{Category}].csv`
in records/campaigns/. A file over 50 ads or 500 KB (512,000 bytes) is written as parts that share
the batch number and add `_part{K}` before `.csv` (`..._Native_Teen_part1.csv`, `..._part2.csv`).
Every file (per format and category) takes its own batch number, reserved under a lock from a
counter file (`.batch_counter`) and the names already in the folder, so two runs writing at once
never get the same number and a deleted counter never brings an old number back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from creatives.naming import ad_name  # the naming convention's 64-character ad names
from tracking.campaign_formats import (
    LINE_END,
    MAX_ADS,
    MAX_BYTES,
    TEMPLATE_FIELDS,
    TEXT_FIELDS,
    CampaignFormat,
    FormatSpec,
    fill_target_url,
    spec_for,
)
from tracking.campaign_select import (
    ReviewFilter,
    Selection,
    Skipped,
    pair_natives,
    select_creatives,
)
from tracking.campaign_validate import FIRST_AD_LINE, ProblemKind, validate_frame
from tracking.csvstore import atomic_write_text, locked
from tracking.errors import RecordsError
from tracking.library_cache import LibraryCache

COUNTER_FILE = ".batch_counter"
_BATCH_NAME = re.compile(r"^Batch(\d+)_")
META_COLUMNS = ("_category", "_unique_ids")


@dataclass(frozen=True)
class AdText:
    """What the user types for every ad: target URL template, brand, headline, CTA."""

    target_url: str
    brand: str = ""
    headline: str = ""  # empty: each ad's category
    cta_text: str = ""


@dataclass(frozen=True)
class WrittenFile:
    """One CSV written: where, which batch and part, how many ads and bytes."""

    path: Path
    format: str
    category: str
    batch: int
    part: int  # 0 when the file was not split
    parts: int
    ads: int
    bytes: int


class FieldLimitError(RecordsError):
    """Text fields longer than the platform takes; the message lists every offending ad."""


def _ad_names(names: pd.Series) -> pd.Series:
    return names.map(ad_name)


def _target_urls(text: AdText, values: pd.DataFrame) -> pd.Series:
    template = text.target_url
    if not any(f"{{{name}}}" in template for name in TEMPLATE_FIELDS):
        return pd.Series(template, index=values.index, dtype=str)
    rows = zip(*(values[name] for name in TEMPLATE_FIELDS), strict=True)
    urls = [fill_target_url(template, dict(zip(TEMPLATE_FIELDS, r, strict=True))) for r in rows]
    return pd.Series(urls, index=values.index, dtype=str)


def _native_ads(pairs: pd.DataFrame, text: AdText) -> pd.DataFrame:
    values = pd.DataFrame(
        {
            "category": pairs["category_vid"],
            "unique_id": pairs["unique_id_vid"],
            "pair_id": pairs["pair"],
            "creative_id": pairs["tj_creative_id_vid"],
        }
    )
    return pd.DataFrame({
        "Ad Name": _ad_names(pairs["new_filename_vid"]),
        "Target URL": _target_urls(text, values),
        "Video Creative ID": pairs["tj_creative_id_vid"],
        "Thumbnail Creative ID": pairs["tj_creative_id_img"],
        "Headline": text.headline or pairs["category_vid"],
        "Brand Name": text.brand,
        "_category": pairs["category_vid"],
        "_unique_ids": pairs["unique_id_vid"] + " " + pairs["unique_id_img"],
    })  # fmt: skip


def _single_ads(chosen: pd.DataFrame, spec: FormatSpec, text: AdText) -> pd.DataFrame:
    values = pd.DataFrame(
        {
            "category": chosen["category"],
            "unique_id": chosen["unique_id"],
            "pair_id": chosen["pair"],
            "creative_id": chosen["tj_creative_id"],
        }
    )
    ads = pd.DataFrame("", index=chosen.index, columns=list(spec.columns))
    ads["Ad Name"] = _ad_names(chosen["new_filename"])
    ads["Target URL"] = _target_urls(text, values)
    if spec.id_columns:  # the static banner template names no creative
        ads[spec.id_columns[0]] = chosen["tj_creative_id"]
    if spec.format is CampaignFormat.PREROLL and text.cta_text:
        ads["Custom CTA Text"] = text.cta_text
        ads["Custom CTA URL"] = ads["Target URL"]
    ads["_category"] = chosen["category"]
    ads["_unique_ids"] = chosen["unique_id"]
    return ads  # fmt: skip


def build_ads(
    chosen: pd.DataFrame, fmt: CampaignFormat, text: AdText, gone: list[Skipped] | None = None
) -> tuple[pd.DataFrame, list[Skipped]]:
    """One row per ad in the template's columns (plus `_category`, `_unique_ids`), in order.

    `chosen` comes from campaign_select.select_creatives; for Native it holds both halves and
    only complete pairs become ads, the lone halves are returned as skipped (saying why their
    other half is missing, from `gone`).
    """
    spec = spec_for(fmt)
    skipped: list[Skipped] = []
    if fmt is CampaignFormat.NATIVE:
        pairs, skipped = pair_natives(chosen, gone)
        ads = _native_ads(pairs, text)
    else:
        ads = _single_ads(chosen, spec, text)
    ads = ads.reset_index(drop=True).astype(str)
    # One ad is one line: a line break typed into a field would split it in two.
    for column in ads.columns:
        if ads[column].str.contains(r"[\r\n]", regex=True).any():
            ads[column] = ads[column].str.replace(r"[\r\n]+", " ", regex=True)
    return ads, skipped


def truncate_text_fields(ads: pd.DataFrame, spec: FormatSpec) -> pd.DataFrame:
    """Text fields cut to the platform's limits (--truncate)."""
    ads = ads.copy()
    for column in TEXT_FIELDS:
        if column in spec.limits and column in ads.columns:
            ads[column] = ads[column].str.slice(0, spec.limits[column])
    return ads


def render_parts(ads: pd.DataFrame, spec: FormatSpec) -> list[str]:
    """The CSV text of the ads, split into files of at most MAX_ADS ads and MAX_BYTES bytes."""
    text = ads[list(spec.columns)].to_csv(
        index=False, header=False, quoting=spec.quoting, lineterminator=LINE_END
    )
    header, lines = spec.header, text.split(LINE_END)[:-1]
    header_bytes = len(header.encode()) + 1
    parts: list[list[str]] = []
    size = MAX_BYTES + 1
    for line in lines:
        line_bytes = len(line.encode()) + 1
        if header_bytes + line_bytes > MAX_BYTES:
            raise RecordsError(f"one ad is {line_bytes} bytes; no file of {MAX_BYTES} holds it")
        if size + line_bytes > MAX_BYTES or len(parts[-1]) >= MAX_ADS:
            parts.append([])
            size = header_bytes
        parts[-1].append(line)
        size += line_bytes
    return [LINE_END.join([header, *part]) + LINE_END for part in parts]


def reserve_batches(folder: Path, count: int) -> list[int]:
    """`count` batch numbers no run has used or will use (counter file under its lock)."""
    counter = folder / COUNTER_FILE
    with locked(counter):
        text = counter.read_text().strip() if counter.exists() else ""
        last = int(text) if text.isdigit() else 0
        for path in folder.glob("Batch*"):
            match = _BATCH_NAME.match(path.name)
            if match:
                last = max(last, int(match.group(1)))
        atomic_write_text(counter, f"{last + count}\n")
    return list(range(last + 1, last + count + 1))


def category_label(category: str) -> str:
    """A category as it appears in a file name (the naming convention's field characters)."""
    return re.sub(r"[^A-Za-z0-9-]", "", category) or "UNK"


def _groups(ads: pd.DataFrame, by_category: bool) -> list[tuple[str, pd.DataFrame]]:
    if not by_category:
        return [("", ads)]
    return [(str(cat), group) for cat, group in ads.groupby("_category", sort=True)]


def write_campaign_files(
    ads: pd.DataFrame,
    fmt: CampaignFormat,
    folder: Path,
    *,
    by_category: bool = False,
    now: datetime | None = None,
) -> list[WrittenFile]:
    """Write the ads as numbered campaign CSVs (split into parts as needed); atomic per file."""
    spec = spec_for(fmt)
    if ads.empty:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y%m%d_%H%M%S")
    groups = _groups(ads, by_category)
    batches = reserve_batches(folder, len(groups))
    written: list[WrittenFile] = []
    for batch, (category, group) in zip(batches, groups, strict=True):
        parts = render_parts(group, spec)
        base = f"Batch{batch:03d}_{stamp}_{spec.file_label}"
        if category:
            base += f"_{category_label(category)}"
        for number, text in enumerate(parts, start=1):
            suffix = f"_part{number}" if len(parts) > 1 else ""
            path = folder / f"{base}{suffix}.csv"
            atomic_write_text(path, text)
            written.append(WrittenFile(path, fmt.value, category, batch,
                                       number if len(parts) > 1 else 0, len(parts),
                                       text.count(LINE_END) - 1, len(text.encode())))  # fmt: skip
    return written


@dataclass
class CampaignResult:
    """What one campaign-csv run wrote and what it left out."""

    files: list[WrittenFile]
    skipped: list[Skipped]

    @property
    def ads(self) -> int:
        return sum(f.ads for f in self.files)


def _drop_invalid(
    ads: pd.DataFrame, spec: FormatSpec, library: LibraryCache | None, approved_only: bool
) -> tuple[pd.DataFrame, list[Skipped]]:
    """Ads without the validator's row problems; over-long text fields raise FieldLimitError."""
    problems = validate_frame(ads, spec, library=library, require_approved=approved_only)
    too_long = [p for p in problems if p.kind is ProblemKind.LIMIT]
    if too_long:
        lines = "\n".join(f"  ad {p.line - 1}: {p.message}" for p in too_long)
        raise FieldLimitError(
            f"{len(too_long)} field(s) over the platform's limits (shorten --headline/--brand/"
            f"--cta-text or pass --truncate):\n{lines}"
        )
    skipped: list[Skipped] = []
    bad_rows: set[int] = set()
    for problem in problems:
        row = problem.line - FIRST_AD_LINE
        bad_rows.add(row)
        skipped.append(Skipped(str(ads["_unique_ids"].iat[row]), problem.message))
    keep = [i for i in range(len(ads)) if i not in bad_rows]
    return ads.iloc[keep].reset_index(drop=True), skipped


def generate(
    frame: pd.DataFrame,
    fmt: CampaignFormat,
    text: AdText,
    folder: Path,
    *,
    selection: Selection,
    runs: pd.DataFrame | None = None,
    library: LibraryCache | None = None,
    by_category: bool = False,
    truncate: bool = False,
    now: datetime | None = None,
) -> CampaignResult:
    """Select, pair, validate and write one format's campaign CSVs from an inventory frame."""
    spec = spec_for(fmt)
    chosen, skipped = select_creatives(frame, fmt, selection, runs=runs, library=library)
    ads, lone = build_ads(chosen, fmt, text, skipped)
    if truncate:
        ads = truncate_text_fields(ads, spec)
    approved = selection.review_filter is ReviewFilter.APPROVED
    ads, invalid = _drop_invalid(ads, spec, library, approved)
    files = write_campaign_files(ads, fmt, folder, by_category=by_category, now=now)
    return CampaignResult(files, [*skipped, *lone, *invalid])
