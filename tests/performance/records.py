"""Inventories and stats records with figures chosen by hand, for the performance views.

Most tests look at the last 7 days up to 2026-11-29 (2026-11-23 to 2026-11-29). Figures are
impressions/clicks/conversions/cost:

- ID-AAAA0001-VID: Dating, Both, 4 s, inbox/dating; TJ 4000/80/4/20 (11-28) and
  6000/120/6/30 (11-29); Exo 2000/20/0/4 (11-29). Its image ID-AAAA0001-IMG has no rows.
- ID-BBBB0002: Gaming, Solo, 12 s, inbox/fetched/site; TJ 5000/50/0/10.
- ID-CCCC0003: Dating, Both, 20 s, inbox top level; TJ 3000/60/3/9 on 11-22 (before the
  window); Exo 1500/45/3/9.
- ID-DDDD0004: Gaming, Both, image, inbox/fetched/site; TJ 500/25/1/2.50 (a small sample with
  the best CTR).
- ID-EEEE0005: Fitness, 8 s; uploaded, no stats.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tracking import inventory
from tracking.csvstore import write_rows
from tracking.stats import STATS, stats_csv
from tracking.workspace import Workspace

LAST_DAY = "2026-11-29"


@dataclass(frozen=True)
class Made:
    """A creative the fixture recorded."""

    unique_id: str
    name: str


def _name(kind: str, category: str, style: str, hex_id: str, seconds: int | None, tag: str,
          ext: str) -> str:  # fmt: skip
    prefix = f"{kind}_" if kind else ""
    dur = f"_{seconds}sec" if seconds else ""
    return f"{prefix}EN_{category}_MFT_{style}_R_Generic_Studio{dur}_ID-{hex_id}{tag}.{ext}"


def _row(uid: str, name: str, category: str, seconds: float | None, source: str, *,
         creative_type: str, pair: str = "", tj: str = "",
         exo: str = "") -> dict[str, str]:  # fmt: skip
    return {
        "unique_id": uid, "original_filename": Path(source).name, "new_filename": name,
        "creator_name": "Studio", "language": "EN", "category": category,
        "content_type": "R", "creative_type": creative_type,
        "duration_seconds": f"{seconds:.3f}" if seconds else "", "source_path": source,
        "native_pair_id": pair, "tj_creative_id": tj, "exo_creative_id": exo,
        "file_format": name.rsplit(".", 1)[-1],
    }  # fmt: skip


def build_inventory(ws: Workspace) -> list[Made]:
    """The six creatives of the table above, written to records/inventory.csv."""
    rows = [
        _row("ID-AAAA0001-VID", _name("VID", "Dating", "Both", "AAAA0001", 4, "-VID", "mp4"),
             "Dating", 4.02, "originals/dating/a.mov", creative_type="native_video",
             pair="ID-AAAA0001", tj="1000000001", exo="5000001"),
        _row("ID-AAAA0001-IMG", _name("IMG", "Dating", "Both", "AAAA0001", None, "-IMG", "png"),
             "Dating", None, "originals/dating/a.mov", creative_type="native_image",
             pair="ID-AAAA0001", tj="1000000002", exo="5000002"),
        _row("ID-BBBB0002", _name("", "Gaming", "Solo", "BBBB0002", 12, "", "mp4"), "Gaming",
             12.0, "originals/fetched/site/b.mp4", creative_type="preroll", tj="1000000003"),
        _row("ID-CCCC0003", _name("", "Dating", "Both", "CCCC0003", 20, "", "mp4"), "Dating",
             19.6, "originals/c.mp4", creative_type="preroll", tj="1000000004", exo="5000004"),
        _row("ID-DDDD0004", _name("", "Gaming", "Both", "DDDD0004", None, "", "png"), "Gaming",
             None, "originals/fetched/site/d.png", creative_type="banner", tj="1000000005"),
        _row("ID-EEEE0005", _name("", "Fitness", "Both", "EEEE0005", 8, "", "mp4"), "Fitness",
             8.0, "originals/fitness/e.mp4", creative_type="preroll", tj="1000000006"),
    ]  # fmt: skip
    inventory.append(ws.inventory_csv, rows)
    return [Made(r["unique_id"], r["new_filename"]) for r in rows]


TJ_ROWS = [
    ("2026-11-28", "ID-AAAA0001-VID", "1000000001", 4000, 80, 4, "20.00"),
    ("2026-11-29", "ID-AAAA0001-VID", "1000000001", 6000, 120, 6, "30.00"),
    ("2026-11-29", "ID-BBBB0002", "1000000003", 5000, 50, 0, "10.00"),
    ("2026-11-22", "ID-CCCC0003", "1000000004", 3000, 60, 3, "9.00"),
    ("2026-11-29", "ID-DDDD0004", "1000000005", 500, 25, 1, "2.50"),
]
EXO_ROWS = [
    ("2026-11-29", "ID-AAAA0001-VID", "5000001", 2000, 20, 0, "4.0000"),
    ("2026-11-29", "ID-CCCC0003", "5000004", 1500, 45, 3, "9.00"),
]


def write_stats(ws: Workspace, platform: str, rows: list[tuple[object, ...]]) -> Path:
    """records/stats/<platform>.csv with these rows (in STATS column order)."""
    path = stats_csv(ws.records, platform)
    write_rows(path, STATS, [dict(zip(STATS.columns, map(str, r), strict=True)) for r in rows])
    return path


def build_workspace(root: Path) -> tuple[Workspace, list[Made]]:
    """The inventory and both platforms' stats of the table above."""
    ws = Workspace(root).ensure()
    made = build_inventory(ws)
    write_stats(ws, "trafficjunky", TJ_ROWS)
    write_stats(ws, "exoclick", EXO_ROWS)
    return ws, made
