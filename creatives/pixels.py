"""Stills in plain 8-bit RGB(A): CMYK, 16-bit and palette-with-transparency pictures converted."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageOps

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# Pixel modes every browser and the platforms show as meant, per output format.
PLAIN_MODES = {
    "png": ("RGB", "RGBA", "L", "LA", "P"),
    "jpg": ("RGB", "L"),
    "gif": ("P", "L"),
}
SIXTEEN_BIT_MODES = ("I;16", "I;16B", "I;16L", "I;16N", "I")


def png_bit_depth(path: Path) -> int:
    """The bit depth a PNG declares (0 for other files): Pillow reads 16-bit RGB as 8-bit RGB."""
    with path.open("rb") as handle:
        head = handle.read(25)
    return head[24] if head.startswith(PNG_MAGIC) and len(head) == 25 else 0


def odd_pixels(image: Image.Image, path: Path, fmt: str) -> str:
    """What about a still's pixels needs converting before it is used as `fmt` ('' for nothing)."""
    if image.mode not in PLAIN_MODES.get(fmt, ("RGB", "RGBA")):
        return f"{image.mode} pixels"
    if fmt == "png" and png_bit_depth(path) == 16:
        return "16-bit pixels"
    if fmt == "png" and image.mode == "P" and "transparency" in image.info:
        return "a palette with transparency"
    return ""


def has_transparency(image: Image.Image) -> bool:
    """Whether any pixel may be see-through (an alpha band or a transparent palette entry)."""
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def plain_pixels(image: Image.Image, *, alpha: bool) -> Image.Image:
    """The picture upright, as 8-bit RGB, or RGBA when `alpha` and it has transparency;
    without `alpha` transparent parts are laid on white."""
    image = ImageOps.exif_transpose(image)
    if image.mode in SIXTEEN_BIT_MODES:
        # Pillow clips 16-bit values to 255 when converting (a white picture): scale them.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if not has_transparency(image):
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    if alpha:
        return rgba
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(white, rgba).convert("RGB")
