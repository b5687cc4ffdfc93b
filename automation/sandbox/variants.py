"""Sandbox variants: one switch for each behaviour of the real site that the evidence leaves open.

The default of every switch is the most likely real behaviour (shared/TJ-SITE-FACTS.md); each
other value is a form the evidence also shows. A named variant changes exactly one switch from the
default, so a test run on it reads as "when the platform does X, the tool still works".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class VariantSwitch:
    """One open behaviour: the likely real form (default), the other forms, and the evidence."""

    name: str
    default: Any
    others: tuple[Any, ...]
    evidence: str


VARIANT_SWITCHES: tuple[VariantSwitch, ...] = (
    VariantSwitch(
        "tab_navigation", "xhr", ("full_load",),
        "tabs, sub-types and Next switch in-page by XHR (seen); a full page load per tab is "
        "only our old guess",
    ),
    VariantSwitch(
        "instream_tab", "instream", ("in_stream_video",),
        "a#instream_tab read 99 real in-stream creatives; the upload code used "
        "a#in_stream_video_tab (conflict)",
    ),
    VariantSwitch(
        "signed_out", "shell", ("redirect",),
        "a signed-out app page is a 200 shell with 'We missed you', or a redirect to sign-in "
        "(conflict)",
    ),
    VariantSwitch(
        "csv_confirm", "modal", ("page_button",),
        "mass create is confirmed by #csvPreviewModal's button.confirmAds, or by the page's "
        "button.create-ads-from-csv-button 'Create ad(s)' (conflict)",
    ),
    VariantSwitch(
        "page_length", "select2", ("plain",),
        "the ads table's length control is a Select2 over a hidden select, or the select "
        "itself (conflict)",
    ),
    VariantSwitch(
        "duplicate_scope", "tab", ("library",),
        "a file whose name exists is dropped silently (said); per tab or library-wide is "
        "unknown (conflict)",
    ),
    VariantSwitch(
        "short_video_tab", False, (True,),
        "no evidence of a Short Video tab (guess): off by default, on as a variant",
    ),
)  # fmt: skip

VARIANT_DEFAULTS: dict[str, Any] = {s.name: s.default for s in VARIANT_SWITCHES}


def _variant_name(switch: VariantSwitch, value: Any) -> str:
    if isinstance(value, bool):
        return f"{switch.name}-{'on' if value else 'off'}".replace("_", "-")
    return f"{switch.name}-{value}".replace("_", "-")


# Variant name -> the switches it changes from the default ("default" changes none).
VARIANTS: dict[str, dict[str, Any]] = {
    "default": {},
    **{_variant_name(s, v): {s.name: v} for s in VARIANT_SWITCHES for v in s.others},
}


def variant_switches(name: str) -> dict[str, Any]:
    """The switches of a named variant; ValueError naming the known ones for any other name."""
    if name not in VARIANTS:
        raise ValueError(f"unknown sandbox variant {name!r}; one of {', '.join(VARIANTS)}")
    return dict(VARIANTS[name])
