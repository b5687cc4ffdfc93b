"""What an MP4's own header says about its streams, read in-process (no ffprobe process).

An ffprobe process costs tens of milliseconds of CPU before it reads a byte (Debian's links some
two hundred libraries), and processing or planning an upload measures every video. The header
(`moov`) already holds what ffprobe reports for a plain file: the movie's duration, each track's
codec, the H.264 parameter set (profile, level, chroma format, bit depth, colour range, coded
size and cropping) and the display matrix.

Only the plain case is answered, as ffprobe would answer it: an unfragmented ISO file whose first
video track is H.264 with one parameter set in its `avcC`, 4:2:0 at 8 bits, Baseline, Main or
High profile, shown upright or turned by a quarter turn, and whose first audio track, if any, is
AAC. Anything else (another codec, HEVC from a phone, a mirrored matrix, a fragmented or damaged
file) returns None and the caller asks ffprobe.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

# Sample entry codes -> the codec names ffprobe gives them.
VIDEO_CODECS = {b"avc1": "h264", b"avc3": "h264"}
# MPEG-4 object types of AAC in an `esds` (ISO/IEC 14496-1): AAC, and MPEG-2 AAC profiles.
AAC_OBJECT_TYPES = frozenset({0x40, 0x66, 0x67, 0x68})
# Bytes a QuickTime sound description of version 1 or 2 adds to the audio sample entry.
QT_SOUND_EXTRA = {1: 16, 2: 36}
CONTAINERS = frozenset({b"moov", b"trak", b"mdia", b"minf", b"stbl"})
MAX_MOOV_BYTES = 64 * 1024 * 1024  # a header this big is not a plain file: ask ffprobe
# H.264 profile_idc -> ffmpeg's profile name (Baseline with constraint_set1 is "Constrained").
PROFILES = {66: "Baseline", 77: "Main", 100: "High"}
# Profiles whose parameter set carries chroma format, bit depth and scaling lists (H.264 7.3.2.1.1).
HIGH_PROFILES = frozenset({100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135})
# matrix_coefficients that ffmpeg reads as something other than plain YCbCr (GBR, YCgCo).
OTHER_MATRICES = frozenset({0, 8})
FIXED_ONE = 0x10000  # 1.0 in the 16.16 fixed point of a display matrix
# The display matrices of an upright picture and the quarter turns: (a, b, c, d) -> the
# rotation probe.py reports for them (ffprobe's display-matrix angle, taken modulo 360).
TURNS = {
    (FIXED_ONE, 0, 0, FIXED_ONE): 0,
    (0, FIXED_ONE, -FIXED_ONE, 0): 270,
    (-FIXED_ONE, 0, 0, -FIXED_ONE): 180,
    (0, -FIXED_ONE, FIXED_ONE, 0): 90,
}


@dataclass(frozen=True)
class Mp4Streams:
    """The first video track's codec and coded size, and the first audio track's codec."""

    video_codec: str
    width: int
    height: int
    audio_codec: str = ""  # "" when the file has no audio track


@dataclass(frozen=True)
class Mp4Header:
    """What ffprobe would report of a plain MP4, as `creatives.probe.MediaInfo` takes it.

    `width`/`height` are the decoded picture's (cropping applied, rotation not); `duration` is
    the movie header's, in seconds rounded to microseconds as ffprobe gives it; `brand` is the
    file type's major brand, stripped and lower-case ("" when the file has none).
    """

    brand: str
    duration: float
    width: int
    height: int
    rotation: int
    fps: float
    profile: str
    level: int
    pixel_format: str
    video_codec: str
    audio_codec: str


@dataclass(frozen=True)
class _Sps:
    """The parts of an H.264 sequence parameter set ffprobe's answer depends on."""

    profile: str
    level: int
    pixel_format: str
    width: int
    height: int


class _Declined(Exception):
    """The file is not the plain case this reader vouches for."""


def read_streams(path: Path) -> Mp4Streams | None:
    """The file's streams from its header, or None when this reader cannot vouch for them."""
    moov = _moov_of(path)
    if moov is None:
        return None
    try:
        return _streams(moov[1])
    except (_Declined, struct.error, IndexError, KeyError, ValueError):
        return None


def read_header(path: Path) -> Mp4Header | None:
    """Everything `probe` needs of a plain MP4, or None when ffprobe must be asked."""
    moov = _moov_of(path)
    if moov is None:
        return None
    brand, payload = moov
    try:
        return _header(brand, payload)
    except (_Declined, struct.error, IndexError, KeyError, ValueError, ZeroDivisionError):
        return None


def _moov_of(path: Path) -> tuple[str, bytes] | None:
    try:
        with path.open("rb") as handle:
            return _find_moov(handle)
    except (OSError, struct.error):
        return None


def _boxes(data: bytes) -> list[tuple[bytes, bytes]]:
    """The (type, payload) of each box laid end to end in `data`."""
    found = []
    offset = 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack_from(">I4s", data, offset)
        header = 8
        if size == 1:
            size, header = struct.unpack_from(">Q", data, offset + 8)[0], 16
        elif size == 0:
            size = len(data) - offset
        if size < header or offset + size > len(data):
            raise ValueError("a box runs past its parent")
        found.append((kind, data[offset + header : offset + size]))
        offset += size
    return found


def _find_moov(handle: BinaryIO) -> tuple[str, bytes] | None:
    """The major brand and the `moov` box's payload, skipping the media data wherever it lies."""
    brand = ""
    while True:
        head = handle.read(8)
        if len(head) < 8:
            return None
        size, kind = struct.unpack(">I4s", head)
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", handle.read(8))[0], 16
        if size == 0 or size < header:
            return None
        if kind == b"ftyp" and size - header >= 4:
            payload = handle.read(size - header)
            brand = payload[:4].decode("latin-1").strip().lower()
            continue
        if kind == b"moov":
            if size > MAX_MOOV_BYTES:
                return None
            payload = handle.read(size - header)
            return (brand, payload) if len(payload) == size - header else None
        handle.seek(size - header, 1)


def _tracks(moov: bytes) -> list[dict[bytes, bytes]]:
    """Per track: its header, handler, media header, time-to-sample table and first sample
    entry (code + payload)."""
    tracks = []
    for kind, payload in _boxes(moov):
        if kind != b"trak":
            continue
        found: dict[bytes, bytes] = {}
        _walk(payload, found)
        tracks.append(found)
    return tracks


def _walk(data: bytes, found: dict[bytes, bytes], parent: bytes = b"trak") -> None:
    for kind, payload in _boxes(data):
        if kind in CONTAINERS:
            _walk(payload, found, kind)
        elif kind == b"hdlr" and parent == b"mdia":  # QuickTime puts a data handler in minf
            found[b"handler"] = payload[8:12]
        elif kind in (b"tkhd", b"mdhd", b"stts"):
            found[kind] = payload
        elif kind == b"stsd":
            found[b"entries"] = payload[4:8]
            if struct.unpack_from(">I", payload, 4)[0] >= 1:
                code, entry = _boxes(payload[8:])[0]
                found[b"code"], found[b"entry"] = code, entry


def _first_tracks(moov: bytes) -> tuple[dict[bytes, bytes] | None, str]:
    """The first video track (None when there is none) and the first audio track's codec ("" when
    there is no audio); audio other than AAC is declined."""
    video: dict[bytes, bytes] | None = None
    audio = ""
    for track in _tracks(moov):
        handler = track.get(b"handler")
        if handler == b"vide" and video is None:
            video = track
        elif handler == b"soun" and not audio:
            entry = track.get(b"entry", b"")
            if track.get(b"code") != b"mp4a" or _object_type(entry) not in AAC_OBJECT_TYPES:
                raise _Declined("audio other than AAC")
            audio = "aac"
    return video, audio


def _streams(moov: bytes) -> Mp4Streams | None:
    video, audio = _first_tracks(moov)
    if video is None or video.get(b"code") not in VIDEO_CODECS:
        return None
    width, height = struct.unpack_from(">HH", video.get(b"entry", b""), 24)
    if not width or not height:
        return None
    return Mp4Streams(VIDEO_CODECS[video[b"code"]], width, height, audio)


def _header(brand: str, moov: bytes) -> Mp4Header:
    top = dict(_boxes(moov))
    if b"mvex" in top or b"mvhd" not in top:
        raise _Declined("fragmented, or no movie header")
    duration = _movie_duration(top[b"mvhd"])
    video, audio = _first_tracks(moov)
    if video is None or video.get(b"entries") != b"\x00\x00\x00\x01":
        raise _Declined("no video track, or more than one sample description")
    if video.get(b"code") != b"avc1":  # avc3 keeps its parameter sets in the stream
        raise _Declined("video other than H.264 with its parameter sets in the header")
    entry = video[b"entry"]
    children = dict(_boxes(entry[78:]))  # past the fixed visual sample entry fields
    sps = _parse_sps(_avcc_sps(children[b"avcC"]))
    if _full_range_colr(children.get(b"colr", b"")):
        raise _Declined("the container marks the picture full range")
    stored = struct.unpack_from(">HH", entry, 24)
    if stored != (sps.width, sps.height):
        raise _Declined("the sample description and the parameter set disagree on the size")
    return Mp4Header(
        brand=brand,
        duration=duration,
        width=sps.width,
        height=sps.height,
        rotation=_rotation(video[b"tkhd"]),
        fps=_frame_rate(video[b"mdhd"], video[b"stts"]),
        profile=sps.profile,
        level=sps.level,
        pixel_format=sps.pixel_format,
        video_codec="h264",
        audio_codec=audio,
    )


def _movie_duration(mvhd: bytes) -> float:
    """The movie header's duration in seconds, rounded to microseconds (as ffprobe's format
    duration is); its matrix must be the identity (a movie-wide turn is left to ffprobe)."""
    if mvhd[0] == 1:
        timescale, duration = struct.unpack_from(">IQ", mvhd, 20)
        matrix_at = 32 + 4 + 2 + 10
    else:
        timescale, duration = struct.unpack_from(">II", mvhd, 12)
        matrix_at = 20 + 4 + 2 + 10
    unknown = duration in (0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF)
    if not timescale or not duration or unknown:
        raise _Declined("no movie duration")
    if struct.unpack_from(">9i", mvhd, matrix_at) != (FIXED_ONE, 0, 0, 0, FIXED_ONE, 0, 0, 0,
                                                       0x40000000):  # fmt: skip
        raise _Declined("a movie matrix")
    microseconds = (duration * 1_000_000 + timescale // 2) // timescale
    return microseconds / 1_000_000


def _rotation(tkhd: bytes) -> int:
    """The display rotation of a track's matrix: none or a quarter turn, else declined."""
    at = 4 + (32 if tkhd[0] == 1 else 20) + 8 + 2 + 2 + 2 + 2
    a, b, u, c, d, v, _x, _y, w = struct.unpack_from(">9i", tkhd, at)
    turn = TURNS.get((a, b, c, d))
    if turn is None or u or v or w != 0x40000000:
        raise _Declined("a display matrix that is not a quarter turn")
    return turn


def _frame_rate(mdhd: bytes, stts: bytes) -> float:
    """Frames per second as ffmpeg averages them: samples over the time-to-sample total, the
    last entry's outlier duration (a long final frame) counted as the average."""
    timescale = struct.unpack_from(">I", mdhd, 20 if mdhd[0] == 1 else 12)[0]
    (entries,) = struct.unpack_from(">I", stts, 4)
    duration = samples = 0
    for i in range(entries):
        count, delta = struct.unpack_from(">Ii", stts, 8 + 8 * i)
        if (
            i
            and i + 1 == entries
            and count == 1
            and samples > 100
            and delta // 10 > duration // samples
        ):
            delta = duration // samples
        duration += count * delta
        samples += count
    if not timescale or duration <= 0 or not samples:
        raise _Declined("no frame timing")
    return timescale * samples / duration


def _avcc_sps(avcc: bytes) -> bytes:
    """The one sequence parameter set of an `avcC`, emulation prevention removed."""
    if avcc[0] != 1 or avcc[5] & 0x1F != 1:
        raise _Declined("not one parameter set")
    (length,) = struct.unpack_from(">H", avcc, 6)
    nal = avcc[8 : 8 + length]
    if len(nal) != length or nal[0] & 0x1F != 7 or nal[1] != avcc[1]:
        raise _Declined("a damaged parameter set")
    return nal[1:].replace(b"\x00\x00\x03", b"\x00\x00")


def _parse_sps(rbsp: bytes) -> _Sps:
    """Profile, level, pixel format and cropped size from a sequence parameter set (H.264
    7.3.2.1.1 and E.1.1), named as ffmpeg names them."""
    bits = _Bits(rbsp)
    profile_idc, constraints, level = bits.u(8), bits.u(8), bits.u(8)
    bits.ue()  # seq_parameter_set_id
    chroma, depth_luma, depth_chroma = 1, 8, 8
    if profile_idc in HIGH_PROFILES:
        chroma = bits.ue()
        if chroma == 3:
            bits.u(1)
        depth_luma, depth_chroma = bits.ue() + 8, bits.ue() + 8
        bits.u(1)  # qpprime_y_zero_transform_bypass_flag
        if bits.u(1):
            for i in range(8 if chroma != 3 else 12):
                if bits.u(1):
                    _skip_scaling_list(bits, 16 if i < 6 else 64)
    if profile_idc not in PROFILES or chroma != 1 or (depth_luma, depth_chroma) != (8, 8):
        raise _Declined("a profile, chroma format or bit depth left to ffprobe")
    if level <= 11:  # level 1b is spelled through a constraint flag: left to ffprobe
        raise _Declined("a very low level")
    bits.ue()  # log2_max_frame_num_minus4
    order_type = bits.ue()
    if order_type == 0:
        bits.ue()
    elif order_type == 1:
        bits.u(1)
        bits.se()
        bits.se()
        for _ in range(bits.ue()):
            bits.se()
    bits.ue()  # max_num_ref_frames
    bits.u(1)  # gaps_in_frame_num_value_allowed_flag
    width_mbs, height_units = bits.ue() + 1, bits.ue() + 1
    frames_only = bits.u(1)
    if not frames_only:
        bits.u(1)
    bits.u(1)  # direct_8x8_inference_flag
    crop = (bits.ue(), bits.ue(), bits.ue(), bits.ue()) if bits.u(1) else (0, 0, 0, 0)
    if crop[0] or crop[2]:  # a crop from the left or top: how ffmpeg applies it varies
        raise _Declined("a picture cropped from the left or top")
    full_range, matrix = _vui_colour(bits) if bits.u(1) else (False, 2)
    if matrix in OTHER_MATRICES:
        raise _Declined("GBR or YCgCo colour")
    unit_y = 2 * (2 - frames_only)  # 4:2:0: chroma is half height, doubled for fields
    width = width_mbs * 16 - 2 * (crop[0] + crop[1])
    height = (2 - frames_only) * height_units * 16 - unit_y * (crop[2] + crop[3])
    if width <= 0 or height <= 0:
        raise _Declined("a cropping larger than the picture")
    name = PROFILES[profile_idc]
    if profile_idc == 66 and constraints & 0x40:  # constraint_set1_flag
        name = "Constrained Baseline"
    return _Sps(name, level, "yuvj420p" if full_range else "yuv420p", width, height)


def _vui_colour(bits: _Bits) -> tuple[bool, int]:
    """(video_full_range_flag, matrix_coefficients) from the start of the VUI (2 unspecified)."""
    if bits.u(1) and bits.u(8) == 255:  # aspect ratio, extended: a 16-bit pair follows
        bits.u(32)
    if bits.u(1):
        bits.u(1)  # overscan_appropriate_flag
    if not bits.u(1):
        return False, 2
    bits.u(3)  # video_format
    full_range = bool(bits.u(1))
    if not bits.u(1):
        return full_range, 2
    bits.u(16)  # colour_primaries, transfer_characteristics
    return full_range, bits.u(8)


def _skip_scaling_list(bits: _Bits, size: int) -> None:
    last = following = 8
    for _ in range(size):
        if following:
            following = (last + bits.se() + 256) % 256
        last = following or last


def _full_range_colr(colr: bytes) -> bool:
    """Whether an `nclx` colour box marks the picture full range."""
    return colr[:4] == b"nclx" and len(colr) >= 11 and bool(colr[10] & 0x80)


class _Bits:
    """A big-endian bit reader with H.264's Exp-Golomb codes."""

    def __init__(self, data: bytes) -> None:
        self.value = int.from_bytes(data, "big")
        self.left = 8 * len(data)

    def u(self, n: int) -> int:
        if n > self.left:
            raise ValueError("the parameter set ends early")
        self.left -= n
        return (self.value >> self.left) & ((1 << n) - 1)

    def ue(self) -> int:
        zeros = 0
        while not self.u(1):
            zeros += 1
            if zeros > 31:
                raise ValueError("an Exp-Golomb code too long")
        return (1 << zeros) - 1 + self.u(zeros)

    def se(self) -> int:
        code = self.ue()
        return (code + 1) // 2 if code % 2 else -(code // 2)


def _object_type(entry: bytes) -> int | None:
    """The objectTypeIndication in an `mp4a` entry's `esds` (None when absent)."""
    # Past the fixed audio sample entry fields; QuickTime's sound descriptions 1 and 2 are longer.
    start = 28 + QT_SOUND_EXTRA.get(struct.unpack_from(">H", entry, 8)[0], 0)
    boxes = _boxes(entry[start:])
    boxes += [box for kind, payload in boxes if kind == b"wave" for box in _boxes(payload)]
    for kind, payload in boxes:
        if kind != b"esds":
            continue
        data, offset = payload[4:], 0  # past version and flags
        while offset < len(data):
            tag = data[offset]
            offset, length = _descriptor_length(data, offset + 1)
            if tag == 0x03:  # ES descriptor: id, flags, then optional fields
                flags = data[offset + 2]
                offset += 3 + (2 if flags & 0x80 else 0)
                offset += (1 + data[offset]) if flags & 0x40 else 0
                offset += 2 if flags & 0x20 else 0
            elif tag == 0x04:  # decoder config: the object type comes first
                return data[offset]
            else:
                offset += length
    return None


def _descriptor_length(data: bytes, offset: int) -> tuple[int, int]:
    """(offset after the length, length) of an expandable descriptor length."""
    length = 0
    for _ in range(4):
        byte = data[offset]
        offset += 1
        length = (length << 7) | (byte & 0x7F)
        if not byte & 0x80:
            break
    return offset, length
