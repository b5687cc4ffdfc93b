"""A workspace with records a person would have after a few days' work, media generated here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.fixtures.media import make_image, make_video
from tracking import inventory
from tracking.csvstore import write_rows
from tracking.schemas import UPLOAD_STATUS
from tracking.workspace import Workspace


@dataclass(frozen=True)
class SampleCreative:
    """What a test expects to see on the card of one creative."""

    unique_id: str
    name: str
    creative_type: str
    category: str
    creative_id: str
    status: str  # as recorded: approved/pending/rejected, or "" when not reviewed yet


def _name(kind: str, category: str, hex_id: str, seconds: int | None, suffix: str, ext: str) -> str:
    dur = f"_{seconds}sec" if seconds else ""
    prefix = f"{kind}_" if kind else ""
    return f"{prefix}EN_{category}_MFT_Both_R_Generic_Studio{dur}_ID-{hex_id}{suffix}.{ext}"


def _row(c: SampleCreative, path: Path, *, width: int, height: int, seconds: float | None,
         pair: str = "") -> dict[str, str]:  # fmt: skip
    return {
        "unique_id": c.unique_id,
        "original_filename": f"source-{c.unique_id}.mov",
        "new_filename": c.name,
        "creator_name": "Studio",
        "language": "EN",
        "category": c.category,
        "content_type": "video" if path.suffix == ".mp4" else "image",
        "creative_type": c.creative_type,
        "duration_seconds": f"{seconds:.2f}" if seconds else "",
        "aspect_ratio": "16:9",
        "width_px": str(width),
        "height_px": str(height),
        "file_size_mb": f"{path.stat().st_size / 1_000_000:.3f}",
        "file_format": path.suffix.lstrip("."),
        "date_processed": "2026-11-20",
        "native_pair_id": pair,
        "tj_creative_id": c.creative_id,
        "tj_upload_date": "2026-11-21" if c.creative_id else "",
        "tj_review_status": c.status,
    }


def build_sample(root: Path) -> list[SampleCreative]:
    """Two native pairs, a pre-roll and a not-yet-uploaded pair; records and upload runs."""
    ws = Workspace(root).ensure()
    rows: list[dict[str, str]] = []
    made: list[SampleCreative] = []
    pairs = [
        ("A1B2C3D4", "Dating", ("1000000101", "approved"), ("1000000102", "approved"), 1),
        ("B2C3D4E5", "Gaming", ("1000000103", "pending"), ("1000000104", "rejected"), 2),
        ("C3D4E5F6", "Fitness", ("", ""), ("", ""), 3),
    ]
    for hex_id, category, vid_state, img_state, seed in pairs:
        pair = f"ID-{hex_id}"
        vid = SampleCreative(f"{pair}-VID", _name("VID", category, hex_id, 4, "-VID", "mp4"),
                             "native_video", category, *vid_state)  # fmt: skip
        img = SampleCreative(f"{pair}-IMG", _name("IMG", category, hex_id, None, "-IMG", "png"),
                             "native_image", category, *img_state)  # fmt: skip
        vpath = make_video(ws.processed / vid.name, width=640, height=360, seconds=4, seed=seed)
        ipath = make_image(ws.processed / img.name, width=640, height=360, seed=seed)
        rows.append(_row(vid, vpath, width=640, height=360, seconds=4.0, pair=pair))
        rows.append(_row(img, ipath, width=640, height=360, seconds=None, pair=pair))
        made += [vid, img]
    pre = SampleCreative("ID-D4E5F6A7", _name("", "Dating", "D4E5F6A7", 6, "", "mp4"),
                         "preroll", "Dating", "1000000105", "")  # fmt: skip
    ppath = make_video(ws.processed / pre.name, width=1280, height=720, seconds=6,
                       pattern="smptehdbars")  # fmt: skip
    rows.append(_row(pre, ppath, width=1280, height=720, seconds=6.0))
    made.append(pre)
    inventory.append(ws.inventory_csv, rows)
    _write_runs(ws, made)
    return made


def _write_runs(ws: Workspace, made: list[SampleCreative]) -> None:
    uploaded = [c for c in made if c.creative_id]
    first = [_run_row(c, "success") for c in uploaded]
    second = [_run_row(uploaded[0], "duplicate"), _run_row(made[-2], "failed", "file too large")]
    write_rows(ws.uploads_dir / "20261121-101500-aaaa.csv", UPLOAD_STATUS, first)
    write_rows(ws.uploads_dir / "20261121-113000-bbbb.csv", UPLOAD_STATUS, second)


def _run_row(c: SampleCreative, status: str, error: str = "") -> dict[str, str]:
    return {
        "unique_id": c.unique_id, "file_name": c.name, "file_path": f"processed/{c.name}",
        "upload_date": "2026-11-21", "upload_time": "10:15:00", "platform": "trafficjunky",
        "tj_creative_id": c.creative_id if status == "success" else "", "status": status,
        "error_message": error, "creative_type": c.creative_type, "native_pair_id": "",
        "retries": "0",
    }  # fmt: skip
