"""ExoClick's creative specs as data (DESIGN section 5): 150 KB banners, MP4 H.264/AAC video.

"150 KB" is taken as 150,000 bytes: a file under that is under the limit however it is read.
"""

from __future__ import annotations

from creatives.spec import NativeSpec, PlatformSpecs, PrerollSpec, ShortVideoSpec, Size

DISPLAY_MAX_BYTES = 150_000
BANNER_SIZES = (
    "300x250", "300x100", "300x500", "315x300", "250x250", "468x60", "728x90",
    "160x600", "120x600", "900x250", "950x250", "970x90", "320x50", "320x100",
)  # fmt: skip

SPECS = PlatformSpecs(
    platform="exoclick",
    # Native pairs keep the shared 640x360 shape; the still counts as an image, so 150 KB.
    native=NativeSpec(size=Size(640, 360), clip_seconds=4.0, image_max_bytes=DISPLAY_MAX_BYTES),
    preroll=PrerollSpec(min_seconds=5.0, max_seconds=31.0, aspect_ratios=("16:9", "9:16")),
    short_video=ShortVideoSpec(aspect_ratio="9:16", under_seconds=23.0),
    banner_sizes=tuple(Size.parse(s) for s in BANNER_SIZES),
    # Display banners (gif, png, jpg and mp4 video banners) must stay under 150 KB.
    max_bytes={fmt: DISPLAY_MAX_BYTES for fmt in ("gif", "png", "jpg", "mp4")},
    image_formats=("png", "jpg", "gif"),
    video_format="mp4",
    video_codecs=("h264",),
    audio_codecs=("aac",),
)

# The API's library file type of each inventory creative type. In-stream takes any MP4
# H.264/AAC video; stills (banners and native thumbnails) are images; an MP4 display banner
# is a video_banner.
FILE_TYPES: dict[str, str] = {
    "native_image": "image",
    "image": "image",
    "banner": "image",
    "native_video": "video",
    "preroll": "video",
    "short_video": "video",
    "video": "video",
}
MP4_BANNER_TYPE = "video_banner"
LIBRARY_TYPES = ("image", "video", "video_banner")
# A campaign's ad format, from words in its campaign_type name (the API has no format field and
# the list of type names is not published; a name with none of these words is not checked here,
# the API itself then says whether a file fits).
CAMPAIGN_TYPE_WORDS: tuple[tuple[str, str], ...] = (
    ("native", "native"),
    ("stream", "instream"),
    ("banner", "display"),
    ("display", "display"),
)
# Which library types a campaign's ad format takes for its variations.
CAMPAIGN_FORMAT_TYPES: dict[str, tuple[str, ...]] = {
    "display": ("image", "video_banner"),
    "native": ("image",),
    "instream": ("video",),
}


def campaign_format(type_name: str) -> str:
    """display, native or instream for a campaign_type name; '' when the name says none."""
    lowered = type_name.lower()
    return next((fmt for word, fmt in CAMPAIGN_TYPE_WORDS if word in lowered), "")
