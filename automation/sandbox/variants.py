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


def defaults_of(switches: tuple[VariantSwitch, ...]) -> dict[str, Any]:
    """Every switch at its default (the likely real behaviour)."""
    return {s.name: s.default for s in switches}


def named_variants(switches: tuple[VariantSwitch, ...], prefix: str = "") -> dict[str, dict]:
    """Variant name -> the one switch it changes from the default ("default" changes none)."""

    def name(switch: VariantSwitch, value: Any) -> str:
        shown = ("on" if value else "off") if isinstance(value, bool) else value
        return f"{prefix}{switch.name}-{shown}".replace("_", "-")

    return {"default": {}, **{name(s, v): {s.name: v} for s in switches for v in s.others}}


VARIANT_DEFAULTS: dict[str, Any] = defaults_of(VARIANT_SWITCHES)
VARIANTS: dict[str, dict[str, Any]] = named_variants(VARIANT_SWITCHES)


def variant_switches(name: str) -> dict[str, Any]:
    """The switches of a named variant; ValueError naming the known ones for any other name."""
    if name not in VARIANTS:
        raise ValueError(f"unknown sandbox variant {name!r}; one of {', '.join(VARIANTS)}")
    return dict(VARIANTS[name])
