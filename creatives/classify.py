"""Creative types and how a probed source is classified against a platform's specs."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from math import gcd

from creatives.probe import MediaInfo
from creatives.spec import PlatformSpecs

# Common shapes, so a 1918x1080 frame still reads as 16:9.
KNOWN_RATIOS = ("16:9", "9:16", "1:1", "4:3", "3:4", "4:5", "5:4", "21:9", "2:1", "1:2")
RATIO_TOLERANCE = 0.02


class CreativeType(StrEnum):
    """The inventory's creative_type values."""

    NATIVE_VIDEO = "native_video"
    NATIVE_IMAGE = "native_image"
    PREROLL = "preroll"
    SHORT_VIDEO = "short_video"
    VIDEO = "video"
    IMAGE = "image"
    BANNER = "banner"


def _ratio_value(text: str) -> float:
    width, height = text.split(":")
    return int(width) / int(height)


def aspect_ratio(width: int, height: int) -> str:
    """'16:9' for 1920x1080; a known shape when within 2 %, else the reduced fraction."""
    if width <= 0 or height <= 0:
        return ""
    value = width / height
    for known in KNOWN_RATIOS:
        if abs(value / _ratio_value(known) - 1) <= RATIO_TOLERANCE:
            return known
    divisor = gcd(width, height)
    return f"{width // divisor}:{height // divisor}"


@dataclass(frozen=True)
class Classification:
    """A video's type, and why it is not a pre-roll when it looked like one (for the report)."""

    creative_type: CreativeType
    note: str = ""


def classify_video(info: MediaInfo, specs: PlatformSpecs) -> Classification:
    """short_video, preroll or video for a non-native video source."""
    ratio = aspect_ratio(info.width, info.height)
    short = specs.short_video
    if ratio == short.aspect_ratio and info.duration < short.under_seconds:
        return Classification(CreativeType.SHORT_VIDEO)
    pre = specs.preroll
    in_window = pre.min_seconds <= info.duration <= pre.max_seconds
    if ratio in pre.aspect_ratios and in_window:
        return Classification(CreativeType.PREROLL)
    if ratio in pre.aspect_ratios:
        note = (
            f"not a pre-roll: {info.duration:.1f} s is outside "
            f"{pre.min_seconds:g}-{pre.max_seconds:g} s"
        )
    elif in_window:
        note = f"not a pre-roll: {ratio} is not {' or '.join(pre.aspect_ratios)}"
    else:
        note = ""
    return Classification(CreativeType.VIDEO, note)
