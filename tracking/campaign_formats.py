"""TrafficJunky's campaign CSV templates as data: columns, quoting, limits, macros.

Declared once here and used by the writer (campaign_csv), the validator (campaign_validate)
and the mass-create workflow alike.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

# The platform refuses a mass-create file with more ads or more bytes than this; its 500 KB
# are 500 x 1024 bytes, as the tools that ran against it counted them.
MAX_ADS = 50
MAX_BYTES = 512_000
AD_NAME_LIMIT = 64
LINE_END = "\n"

# TrafficJunky's click macros, as real tracking links use them: kept as typed in --target-url
# and replaced by the platform (names are case-sensitive).
TJ_MACROS = frozenset({
    "CampaignID", "CampaignName", "BanID", "BanName", "AdID", "SpotID", "SpotName", "SiteName",
    "BLPID", "BLPName", "Location", "Keywords", "ACLID", "BidValue",
})  # fmt: skip
# Our own template fields, filled per ad when the CSV is written (lower case, unlike macros).
TEMPLATE_FIELDS = ("category", "unique_id", "pair_id", "creative_id")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class CampaignFormat(StrEnum):
    """The mass-create templates the tool writes."""

    NATIVE = "native"
    PREROLL = "preroll"
    VIDEO_BANNER = "video-banner"
    STATIC_BANNER = "static-banner"


@dataclass(frozen=True)
class FormatSpec:
    """One template: exact header, quoting, required columns, creative-ID columns, limits.

    `header` is the first line exactly as the platform's own template file has it (its quoting
    differs from the rows' in the Native template); `quoting` is how ad rows are written.
    """

    format: CampaignFormat
    file_label: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    id_columns: tuple[str, ...]
    header: str
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_MINIMAL
    limits: dict[str, int] = field(default_factory=dict)


FORMATS: dict[CampaignFormat, FormatSpec] = {
    CampaignFormat.NATIVE: FormatSpec(
        format=CampaignFormat.NATIVE,
        file_label="Native",
        columns=("Ad Name", "Target URL", "Video Creative ID", "Thumbnail Creative ID",
                 "Headline", "Brand Name"),
        required=("Ad Name", "Target URL", "Video Creative ID", "Thumbnail Creative ID",
                  "Headline", "Brand Name"),
        id_columns=("Video Creative ID", "Thumbnail Creative ID"),
        # The platform's Native template: Headline alone unquoted in the header; its example
        # rows quote every field.
        header='"Ad Name","Target URL","Video Creative ID","Thumbnail Creative ID",Headline,'
        '"Brand Name"',
        quoting=csv.QUOTE_ALL,
        limits={"Ad Name": AD_NAME_LIMIT, "Headline": 87, "Brand Name": 25},
    ),
    CampaignFormat.PREROLL: FormatSpec(
        format=CampaignFormat.PREROLL,
        file_label="Preroll",
        columns=("Ad Name", "Target URL", "Creative ID", "Custom CTA Text", "Custom CTA URL",
                 "Banner CTA Creative ID", "Banner CTA Title", "Banner CTA Subtitle",
                 "Banner CTA URL", "Tracking Pixel"),
        required=("Ad Name", "Target URL", "Creative ID"),
        id_columns=("Creative ID", "Banner CTA Creative ID"),
        header="Ad Name,Target URL,Creative ID,Custom CTA Text,Custom CTA URL,"
        "Banner CTA Creative ID,Banner CTA Title,Banner CTA Subtitle,Banner CTA URL,Tracking Pixel",
        limits={"Ad Name": AD_NAME_LIMIT, "Custom CTA Text": 25, "Banner CTA Title": 25,
                "Banner CTA Subtitle": 30},
    ),
    CampaignFormat.VIDEO_BANNER: FormatSpec(
        format=CampaignFormat.VIDEO_BANNER,
        file_label="VideoBanner",
        columns=("Ad Name", "Target URL", "Creative Video ID", "Creative Overlay ID"),
        required=("Ad Name", "Target URL", "Creative Video ID"),
        id_columns=("Creative Video ID", "Creative Overlay ID"),
        header="Ad Name,Target URL,Creative Video ID,Creative Overlay ID",
        limits={"Ad Name": AD_NAME_LIMIT},
    ),
    # The static banner template has no creative column (the banner is assigned in the
    # platform's media library, not in the file); pop ads use the same two columns.
    CampaignFormat.STATIC_BANNER: FormatSpec(
        format=CampaignFormat.STATIC_BANNER,
        file_label="StaticBanner",
        columns=("Ad Name", "Target URL"),
        required=("Ad Name", "Target URL"),
        id_columns=(),
        header="Ad Name,Target URL",
        limits={"Ad Name": AD_NAME_LIMIT},
    ),
}  # fmt: skip

# Fields filled from CLI text (not from the creative); an over-long one is the user's to fix.
TEXT_FIELDS = ("Headline", "Brand Name", "Custom CTA Text", "Banner CTA Title",
               "Banner CTA Subtitle")  # fmt: skip


def spec_for(fmt: CampaignFormat | str) -> FormatSpec:
    """The template of a format, by enum or by its CLI name."""
    return FORMATS[CampaignFormat(fmt)]


def detect_format(header: list[str] | tuple[str, ...]) -> FormatSpec | None:
    """The template whose header this is exactly (surrounding spaces ignored), if any."""
    names = tuple(h.strip() for h in header)
    for spec in FORMATS.values():
        if names == spec.columns:
            return spec
    return None


def closest_format(header: list[str] | tuple[str, ...]) -> FormatSpec | None:
    """The template sharing the most columns with this header (for 'missing column' reports)."""
    names = {h.strip() for h in header}
    best = max(FORMATS.values(), key=lambda s: len(names & set(s.columns)))
    return best if len(names & set(best.columns)) >= 2 else None


def unknown_placeholders(url: str) -> list[str]:
    """Every `{Name}` in a target URL that is neither a TrafficJunky macro nor a template field."""
    return [
        f"{{{name}}}"
        for name in _PLACEHOLDER.findall(url)
        if name not in TJ_MACROS and name not in TEMPLATE_FIELDS
    ]


def unknown_macros(url: str) -> list[str]:
    """Every `{Name}` left in a written URL that TrafficJunky does not know."""
    return [f"{{{name}}}" for name in _PLACEHOLDER.findall(url) if name not in TJ_MACROS]


def fill_target_url(template: str, values: dict[str, str]) -> str:
    """The template with our fields filled; TrafficJunky macros stay exactly as typed."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return values.get(name, match.group(0)) if name in TEMPLATE_FIELDS else match.group(0)

    return _PLACEHOLDER.sub(replace, template)
