"""TrafficJunky's creative specs as data (DESIGN section 5)."""

from __future__ import annotations

from creatives.spec import NativeSpec, PlatformSpecs, PrerollSpec, ShortVideoSpec, Size

SPECS = PlatformSpecs(
    platform="trafficjunky",
    native=NativeSpec(size=Size(640, 360), clip_seconds=4.0, image_max_bytes=300_000),
    preroll=PrerollSpec(min_seconds=5.0, max_seconds=31.0, aspect_ratios=("16:9", "9:16")),
    short_video=ShortVideoSpec(aspect_ratio="9:16", under_seconds=23.0),
    banner_sizes=tuple(
        Size.parse(s)
        for s in (
            "300x250",
            "950x250",
            "468x60",
            "305x99",
            "300x100",
            "970x90",
            "320x480",
            "640x360",
        )
    ),
    # The platform publishes no byte limit for static banners; native images have their own.
    max_bytes={},
    image_formats=("png", "jpg", "gif"),
)
