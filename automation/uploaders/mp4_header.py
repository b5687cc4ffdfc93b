"""What an MP4's own header says about its streams, read in-process (no ffprobe process).

Planning an upload measures every video; an ffprobe process costs tens of milliseconds to start,
which across a batch of videos is most of the plan's time. The header (`moov`) names each track's
codec and the coded picture size. Only the plain case is answered here: H.264 video with AAC or
no audio; anything else (another codec, a damaged or fragmented file) returns None and the
caller asks ffprobe.
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
CONTAINERS = frozenset({b"moov", b"trak", b"mdia", b"minf", b"stbl"})
MAX_MOOV_BYTES = 64 * 1024 * 1024  # a header this big is not a plain file: ask ffprobe


@dataclass(frozen=True)
class Mp4Streams:
    """The first video track's codec and coded size, and the first audio track's codec."""

    video_codec: str
    width: int
    height: int
    audio_codec: str = ""  # "" when the file has no audio track


def read_streams(path: Path) -> Mp4Streams | None:
    """The file's streams from its header, or None when this reader cannot vouch for them."""
    try:
        with path.open("rb") as handle:
            moov = _find_moov(handle)
    except OSError:
        return None
    if moov is None:
        return None
    try:
        return _streams(moov)
    except (struct.error, IndexError, ValueError):
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


def _find_moov(handle: BinaryIO) -> bytes | None:
    """The `moov` box's payload, skipping the media data wherever it lies."""
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
        if kind == b"moov":
            if size > MAX_MOOV_BYTES:
                return None
            payload = handle.read(size - header)
            return payload if len(payload) == size - header else None
        handle.seek(size - header, 1)


def _tracks(moov: bytes) -> list[dict[bytes, bytes]]:
    """Per track: the handler type and its first sample entry (code + payload)."""
    tracks = []
    for kind, payload in _boxes(moov):
        if kind != b"trak":
            continue
        found: dict[bytes, bytes] = {}
        _walk(payload, found)
        tracks.append(found)
    return tracks


def _walk(data: bytes, found: dict[bytes, bytes]) -> None:
    for kind, payload in _boxes(data):
        if kind in CONTAINERS:
            _walk(payload, found)
        elif kind == b"hdlr":
            found[b"handler"] = payload[8:12]
        elif kind == b"stsd" and struct.unpack_from(">I", payload, 4)[0] >= 1:
            code, entry = _boxes(payload[8:])[0]
            found[b"code"], found[b"entry"] = code, entry


def _streams(moov: bytes) -> Mp4Streams | None:
    video: Mp4Streams | None = None
    audio = ""
    for track in _tracks(moov):
        handler, code, entry = track.get(b"handler"), track.get(b"code"), track.get(b"entry")
        if handler == b"vide" and video is None:
            if code not in VIDEO_CODECS:
                return None
            width, height = struct.unpack_from(">HH", entry or b"", 24)
            video = Mp4Streams(VIDEO_CODECS[code or b""], width, height)
        elif handler == b"soun" and not audio:
            if code != b"mp4a" or _object_type(entry or b"") not in AAC_OBJECT_TYPES:
                return None
            audio = "aac"
    if video is None or not video.width or not video.height:
        return None
    return Mp4Streams(video.video_codec, video.width, video.height, audio)


def _object_type(entry: bytes) -> int | None:
    """The objectTypeIndication in an `mp4a` entry's `esds` (None when absent)."""
    for kind, payload in _boxes(entry[28:]):  # past the fixed audio sample entry fields
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
