"""Creative spec records: what a platform accepts, as data the pipeline reads its limits from."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Size:
    """A pixel size, written WxH."""

    width: int
    height: int

    def __str__(self) -> str:
        return f"{self.width}x{self.height}"

    @classmethod
    def parse(cls, text: str) -> Size:
        """`"300x250"` -> Size(300, 250); ValueError on anything else."""
        parts = text.lower().strip().split("x")
        if len(parts) != 2 or not all(p.isdigit() and int(p) > 0 for p in parts):
            raise ValueError(f"{text!r} is not a size like 300x250")
        return cls(int(parts[0]), int(parts[1]))


@dataclass(frozen=True)
class NativeSpec:
    """Native pairs: a short video and a still image of one size, cut from the same source."""

    size: Size = Size(640, 360)
    clip_seconds: float = 4.0
    image_max_bytes: int = 300_000
    # How far into the source to look for a thumbnail frame that is not blank.
    thumbnail_scan_seconds: float = 3.0


@dataclass(frozen=True)
class PrerollSpec:
    """In-stream (pre-roll) videos: a duration window and the aspect ratios accepted."""

    min_seconds: float = 5.0
    max_seconds: float = 31.0
    aspect_ratios: tuple[str, ...] = ("16:9", "9:16")


@dataclass(frozen=True)
class ShortVideoSpec:
    """Short vertical videos: an aspect ratio and a duration they must stay under."""

    aspect_ratio: str = "9:16"
    under_seconds: float = 23.0


@dataclass(frozen=True)
class PlatformSpecs:
    """Everything the pipeline needs to know about one platform's creatives.

    `max_bytes` maps a file format (`png`, `jpg`, `gif`, `mp4`) to the largest file the platform
    takes for banners and images; a format missing from it has no byte limit. `image_formats`
    are the still formats kept as they are; others are converted to PNG. A video is kept as it
    is only when its container, codecs, H.264 profile, pixel format and level are all listed
    here (`max_video_level` as ffprobe writes it: 51 for level 5.1).
    """

    platform: str
    native: NativeSpec = field(default_factory=NativeSpec)
    preroll: PrerollSpec = field(default_factory=PrerollSpec)
    short_video: ShortVideoSpec = field(default_factory=ShortVideoSpec)
    banner_sizes: tuple[Size, ...] = ()
    max_bytes: dict[str, int] = field(default_factory=dict)
    image_formats: tuple[str, ...] = ("png", "jpg", "gif")
    video_format: str = "mp4"
    video_codecs: tuple[str, ...] = ("h264",)
    audio_codecs: tuple[str, ...] = ("aac",)
    # What every browser and phone decodes: 4:2:0 8-bit; High 10/4:2:2/4:4:4 are refused.
    video_profiles: tuple[str, ...] = ("Constrained Baseline", "Baseline", "Main", "High")
    pixel_formats: tuple[str, ...] = ("yuv420p",)
    max_video_level: int = 51

    def with_native_seconds(self, seconds: float) -> PlatformSpecs:
        """A copy whose native clips last `seconds`."""
        return replace(self, native=replace(self.native, clip_seconds=seconds))

    def byte_limit(self, file_format: str) -> int | None:
        """The largest accepted size of a banner/image in `file_format`, or None."""
        return self.max_bytes.get(file_format.lower().lstrip("."))

    def nearest_banner(self, wanted: Size) -> Size:
        """The banner size closest to `wanted` (shape first, then area)."""
        if not self.banner_sizes:
            raise ValueError(f"{self.platform} declares no banner sizes")
        if wanted in self.banner_sizes:
            return wanted

        def distance(size: Size) -> tuple[float, float]:
            shape = abs(size.width / size.height - wanted.width / wanted.height)
            area = abs(size.width * size.height - wanted.width * wanted.height)
            return (round(shape, 2), area)

        return min(self.banner_sizes, key=distance)


def _common(values: list[tuple[str, ...]]) -> tuple[str, ...]:
    """The items every tuple has, in the first tuple's order."""
    return tuple(v for v in values[0] if all(v in other for other in values[1:]))


def strictest(specs: list[PlatformSpecs]) -> PlatformSpecs:
    """Specs every one of `specs` accepts: the tighter side of each rule (for several platforms).

    ValueError when the platforms cannot agree (different native sizes or video containers, or
    no banner size, image format or codec in common).
    """
    if len(specs) == 1:
        return specs[0]
    first = specs[0]
    if len({s.native.size for s in specs}) > 1 or len({s.video_format for s in specs}) > 1:
        raise ValueError("the platforms want different native sizes or video containers")
    limits: dict[str, int] = {}
    for s in specs:
        for fmt, limit in s.max_bytes.items():
            limits[fmt] = min(limit, limits.get(fmt, limit))
    merged = replace(
        first,
        platform="+".join(s.platform for s in specs),
        native=replace(
            first.native,
            clip_seconds=min(s.native.clip_seconds for s in specs),
            image_max_bytes=min(s.native.image_max_bytes for s in specs),
        ),
        preroll=PrerollSpec(
            min_seconds=max(s.preroll.min_seconds for s in specs),
            max_seconds=min(s.preroll.max_seconds for s in specs),
            aspect_ratios=_common([s.preroll.aspect_ratios for s in specs]),
        ),
        short_video=replace(
            first.short_video, under_seconds=min(s.short_video.under_seconds for s in specs)
        ),
        banner_sizes=tuple(
            z for z in first.banner_sizes if all(z in s.banner_sizes for s in specs)
        ),
        max_bytes=limits,
        image_formats=_common([s.image_formats for s in specs]),
        video_codecs=_common([s.video_codecs for s in specs]),
        audio_codecs=_common([s.audio_codecs for s in specs]),
        video_profiles=_common([s.video_profiles for s in specs]),
        pixel_formats=_common([s.pixel_formats for s in specs]),
        max_video_level=min(s.max_video_level for s in specs),
    )
    if not (merged.banner_sizes and merged.image_formats and merged.video_codecs):
        raise ValueError("the platforms have no banner size, image format or video codec in common")
    return merged
