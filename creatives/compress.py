"""Fitting stills under a byte limit while keeping their format and size."""

from __future__ import annotations

import io
import logging

from PIL import Image

from creatives.errors import MediaError

log = logging.getLogger(__name__)

PALETTE_STEPS = (256, 128, 64, 32, 16, 8)
ZLIB_DEFAULT_LEVEL = 6
JPEG_QUALITIES = (90, 80, 70, 60, 50, 40, 30)


def _png(image: Image.Image, *, optimize: bool = True) -> bytes:
    buffer = io.BytesIO()
    if optimize:
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(buffer, "PNG", compress_level=ZLIB_DEFAULT_LEVEL)
    return buffer.getvalue()


def png_within(image: Image.Image, max_bytes: int | None, *, subject: str) -> tuple[bytes, str]:
    """PNG bytes of `image` no larger than `max_bytes`: plain, then optimised, then fewer
    colours.

    Returns the bytes and a note saying what was reduced ('' when nothing was). It stays a real
    PNG of the same pixel size; MediaError when even 8 colours do not fit.
    """
    base = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    if base.mode == "RGBA" and base.getchannel("A").getextrema() == (255, 255):
        base = base.convert("RGB")
    # zlib's default level first: a quarter of the time of the smallest encoding (level 9),
    # for a file a few per cent larger; the smallest is tried only when that does not fit.
    data = _png(base, optimize=False)
    if max_bytes is None or len(data) <= max_bytes:
        return data, ""
    data = _png(base)
    if len(data) <= max_bytes:
        return data, ""
    method = Image.Quantize.FASTOCTREE if base.mode == "RGBA" else Image.Quantize.MEDIANCUT
    for colors in PALETTE_STEPS:
        data = _png(base.quantize(colors=colors, method=method))
        if len(data) <= max_bytes:
            log.debug("%s: %d colours fit in %d bytes", subject, colors, len(data))
            return data, f"reduced to {colors} colours to fit {max_bytes} bytes"
    raise MediaError(
        f"{subject}: cannot fit a PNG under {max_bytes} bytes even with "
        f"{PALETTE_STEPS[-1]} colours; use a simpler picture"
    )


def jpeg_within(image: Image.Image, max_bytes: int | None, *, subject: str) -> tuple[bytes, str]:
    """JPEG bytes of `image` under `max_bytes`, lowering the quality stepwise."""
    rgb = image.convert("RGB")
    for quality in JPEG_QUALITIES:
        buffer = io.BytesIO()
        rgb.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
        data = buffer.getvalue()
        if max_bytes is None or len(data) <= max_bytes:
            note = "" if quality == JPEG_QUALITIES[0] else f"JPEG quality {quality} to fit"
            return data, note
    raise MediaError(
        f"{subject}: cannot fit a JPEG under {max_bytes} bytes even at quality "
        f"{JPEG_QUALITIES[-1]}; use a smaller picture"
    )


def gif_within(image: Image.Image, max_bytes: int | None, *, subject: str) -> tuple[bytes, str]:
    """A still GIF of `image` under `max_bytes`, with fewer colours when needed."""
    rgb = image.convert("RGB")
    for colors in PALETTE_STEPS:
        buffer = io.BytesIO()
        rgb.quantize(colors=colors).save(buffer, "GIF", optimize=True)
        data = buffer.getvalue()
        if max_bytes is None or len(data) <= max_bytes:
            note = "" if colors == PALETTE_STEPS[0] else f"reduced to {colors} colours to fit"
            return data, note
    raise MediaError(f"{subject}: cannot fit a GIF under {max_bytes} bytes; use a simpler picture")


def encode_within(
    image: Image.Image, file_format: str, max_bytes: int | None, *, subject: str
) -> tuple[bytes, str]:
    """Encode `image` as png, jpg or gif within `max_bytes` (None: no limit)."""
    encoders = {"png": png_within, "jpg": jpeg_within, "gif": gif_within}
    encoder = encoders.get(file_format)
    if encoder is None:
        raise MediaError(f"{subject}: cannot write {file_format} stills; use png, jpg or gif")
    return encoder(image, max_bytes, subject=subject)
