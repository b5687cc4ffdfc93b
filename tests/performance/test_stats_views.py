"""What `creative-flow stats` prints once stats are recorded: the terminal summary and --json;
no stats and damaged stats as one line saying what to do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from automation.commands.stats_views import show_performance
from automation.errors import ConfigError
from tests.performance.records import TJ_ROWS, build_inventory, build_workspace, write_stats
from tracking.errors import RecordsError
from tracking.stats import stats_csv
from tracking.workspace import Workspace


def _terminal(ws: Workspace, **options: object) -> list[str]:
    console = Console(record=True, width=220)
    show_performance(ws, 7, 1000, False, console, **options)  # type: ignore[arg-type]
    return [" ".join(line.split()) for line in console.export_text().splitlines()]


def test_the_terminal_ranks_creatives_and_shows_small_samples_apart(tmp_path: Path) -> None:
    ws, _ = build_workspace(tmp_path / "ws")
    lines = _terminal(ws)
    text = "\n".join(lines)
    assert lines[0] == (
        "Performance 2026-11-23 to 2026-11-29 (7 days, 2 with stats) on TrafficJunky, ExoClick"
    )
    ranked = [line for line in lines if line.startswith("│ #")]
    assert ranked[:3] == [
        "│ #1 │ ID-CCCC0003 │ Dating │ 1,500 │ 45 │ 3.00% │ 3 │ 6.67% │ 9.00 │ 3.00 │ - │ "
        "3.00% of 1,500 │",
        "│ #2 │ ID-AAAA0001-VID │ Dating │ 12,000 │ 220 │ 1.83% │ 10 │ 4.55% │ 54.00 │ 5.40 │ "
        "2.00% of 10,000 │ 1.00% of 2,000 │",
        "│ #3 │ ID-BBBB0002 │ Gaming │ 5,000 │ 50 │ 1.00% │ 0 │ 0.00% │ 10.00 │ no conversions │ "
        "1.00% of 5,000 │ - │",
    ]
    small = text.index("Small samples (under 1,000 impressions): not ranked")
    assert text.index("│ - │ ID-DDDD0004 │ Gaming │ 500 │ 25 │ 5.00%") > small
    assert "│ Dating │ 2 │ 13,500 │ 265 │ 1.96% │ 13 │ 4.91% │ 63.00 │ 4.85 │ #1 │" in lines
    image = "│ image (no duration) │ 1 │ 500 │ 25 │ 5.00% │ 1 │ 4.00% │ 2.50 │ 2.50 │ small sample"
    assert any(line.startswith(image) for line in lines)
    assert "│ ExoClick │ 2 │ 3,500 │ 65 │ 1.86% │ 3 │ 4.62% │ 13.00 │ 4.33 │ #1 │" in lines
    assert "no stats yet: 1 uploaded creative(s): ID-EEEE0005" in lines


def test_json_gives_every_figure_with_ranks_flags_and_rollups(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws, _ = build_workspace(tmp_path / "ws")
    show_performance(ws, 7, 1000, True)
    doc = json.loads(capsys.readouterr().out)
    assert doc["window"] == {"first": "2026-11-23", "last": "2026-11-29", "days": 7,
                             "days_with_stats": 2}  # fmt: skip
    assert doc["min_impressions"] == 1000
    assert doc["platforms"] == ["trafficjunky", "exoclick"]
    assert [c["unique_id"] for c in doc["creatives"]] == [
        "ID-CCCC0003", "ID-AAAA0001-VID", "ID-BBBB0002", "ID-DDDD0004",
    ]  # fmt: skip
    video = doc["creatives"][1]
    assert video["total"] == {
        "impressions": 12000, "clicks": 220, "conversions": 10, "cost": 54.0,
        "ctr": round(220 / 12000, 6), "cvr": round(10 / 220, 6), "cpa": 5.4,
        "rank": 2, "small_sample": False,
    }  # fmt: skip
    assert video["platforms"]["exoclick"]["creative_id"] == "5000001"
    assert video["attributes"] == {"category": "Dating", "style": "Both",
                                   "duration": "up to 5 s", "native_pair": "ID-AAAA0001",
                                   "source_folder": "dating"}  # fmt: skip
    banner, preroll = doc["creatives"][3], doc["creatives"][2]
    assert (banner["total"]["rank"], banner["total"]["small_sample"]) == (None, True)
    assert preroll["total"]["cpa"] is None  # no conversions, not a CPA of 0
    assert set(doc["attributes"]) == {
        "category", "style", "duration", "native_pair", "source_folder", "platform",
    }  # fmt: skip
    gaming = doc["attributes"]["category"][1]
    assert (gaming["value"], gaming["creatives"], gaming["impressions"], gaming["rank"]) == (
        "Gaming", 2, 5500, 2,
    )  # fmt: skip
    assert doc["without_stats"] == ["ID-EEEE0005"]


@pytest.mark.parametrize("folder", [False, True])
def test_no_stats_recorded_says_to_run_stats_first(tmp_path: Path, folder: bool) -> None:
    ws = Workspace(tmp_path / "ws").ensure()
    build_inventory(ws)
    if folder:
        (ws.records / "stats").mkdir()
    with pytest.raises(ConfigError) as caught:
        show_performance(ws, 7, 1000, False, Console(record=True))
    message = str(caught.value)
    assert "\n" not in message
    assert "no stats recorded yet; run `creative-flow stats --days 7` first" in message


def _torn(path: Path) -> None:
    data = path.read_bytes().rstrip(b"\n")
    path.write_bytes(data[: data.rindex(b",")])


def _replace(old: bytes, new: bytes):  # type: ignore[no-untyped-def]
    def damage(path: Path) -> None:
        path.write_bytes(path.read_bytes().replace(old, new, 1))

    return damage


def _twice(path: Path) -> None:
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join([*lines, lines[2]]))


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (_torn, "trafficjunky.csv:6: stats: the last line is cut short"),
        (_replace(b",4000,", b",4k,"), "trafficjunky.csv:2: stats: impressions '4k' is not"),
        (_replace(b"2026-11-29", b"29/11/2026"), "trafficjunky.csv:3: stats: date '29/11/2026' is"),
        (_replace(b",30.00", b",thirty"), "trafficjunky.csv:3: stats: cost 'thirty' is not a"),
        (_replace(b",cost", b",spend"), "trafficjunky.csv:1: stats: header lacks cost (expected"),
        (_twice, "trafficjunky.csv:7: stats: ID-AAAA0001-VID on 2026-11-29 is already on line 3"),
    ],
)
def test_a_damaged_stats_file_is_one_line_naming_file_line_and_fix(
    tmp_path: Path, damage, words: str
) -> None:
    ws, _ = build_workspace(tmp_path / "ws")
    assert len(TJ_ROWS) == 5
    damage(stats_csv(ws.records, "trafficjunky"))
    with pytest.raises(RecordsError) as caught:
        show_performance(ws, 7, 1000, False, Console(record=True))
    message = str(caught.value)
    assert "\n" not in message and words in message, message
    assert "delete the file and run `creative-flow stats` again" in message


def test_stats_files_without_figures_say_so_and_are_not_an_error(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws").ensure()
    build_inventory(ws)
    write_stats(ws, "trafficjunky", [])
    console = Console(record=True, width=200)
    performance = show_performance(ws, 7, 1000, False, console)
    assert performance.creatives == []
    text = console.export_text()
    assert "Performance on TrafficJunky: the stats records hold no figures yet" in text
    assert "no stats yet: 5 uploaded creative(s)" in text
