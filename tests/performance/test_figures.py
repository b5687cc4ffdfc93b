"""The figures: CTR, CVR and CPA per creative and per attribute, the window, small samples.

Every expected figure is worked out by hand from the table in tests/performance/records.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.performance.records import LAST_DAY, build_workspace, write_stats
from tracking.performance import Performance, build_performance, performance_of_records
from tracking.stats import Counts, StatRow
from tracking.workspace import Workspace


def _figures(root: Path, *, days: int | None = 7, min_impressions: int = 1000) -> Performance:
    ws, _ = build_workspace(root)
    return performance_of_records(ws.records, ws.inventory_csv, days=days,
                                  min_impressions=min_impressions)  # fmt: skip


def test_each_creative_has_its_figures_on_both_platforms_together_and_on_each(
    tmp_path: Path,
) -> None:
    perf = _figures(tmp_path / "ws")
    video = perf.creative("ID-AAAA0001-VID")
    assert video is not None
    total = video.total.metrics
    # TJ 4000+6000 and Exo 2000 impressions; 80+120+20 clicks; 4+6 conversions; 20+30+4 cost.
    assert (total.impressions, total.clicks, total.conversions) == (12000, 220, 10)
    assert total.cost == Decimal("54.00")
    assert total.ctr == pytest.approx(220 / 12000)
    assert total.cvr == pytest.approx(10 / 220)
    assert total.cpa == Decimal("5.40")
    tj, exo = video.platforms["trafficjunky"].metrics, video.platforms["exoclick"].metrics
    assert (tj.impressions, tj.clicks, tj.ctr, tj.cpa) == (10000, 200, 0.02, Decimal("5"))
    assert (exo.impressions, exo.clicks, exo.ctr) == (2000, 20, 0.01)
    assert video.creative_ids == {"trafficjunky": "1000000001", "exoclick": "5000001"}


def test_no_conversions_and_no_clicks_give_no_ratio_rather_than_zero_or_a_crash() -> None:
    day = date(2026, 11, 29)
    rows = [
        StatRow("trafficjunky", day, "ID-B", "1", Counts(5000, 50, 0, Decimal("10"))),
        StatRow("trafficjunky", day, "ID-Z", "2", Counts(0, 0, 0, Decimal("0"))),
    ]
    inventory = [{"unique_id": "ID-B", "new_filename": "b.mp4", "tj_creative_id": "1"},
                 {"unique_id": "ID-Z", "new_filename": "z.mp4", "tj_creative_id": "2"}]  # fmt: skip
    perf = build_performance(inventory, ["trafficjunky"], rows, min_impressions=0)
    b, z = perf.creative("ID-B"), perf.creative("ID-Z")
    assert b is not None and z is not None
    assert b.total.metrics.cvr == 0.0 and b.total.metrics.cpa is None
    assert z.total.metrics.ctr is None and z.total.metrics.cvr is None
    # With no impressions there is no CTR to rank by, whatever the minimum volume.
    assert (b.total.rank, z.total.rank, z.total.small_sample) == (1, None, True)


def test_a_small_sample_is_flagged_and_never_ranked_even_with_the_best_ctr(tmp_path: Path) -> None:
    perf = _figures(tmp_path / "ws")
    order = [(c.unique_id, c.total.rank, c.total.small_sample) for c in perf.creatives]
    # CTRs: CCCC 45/1500 = 3.00%, AAAA 220/12000 = 1.83%, BBBB 50/5000 = 1.00%,
    # DDDD 25/500 = 5.00% but under 1,000 impressions: shown last, not ranked.
    assert order == [
        ("ID-CCCC0003", 1, False),
        ("ID-AAAA0001-VID", 2, False),
        ("ID-BBBB0002", 3, False),
        ("ID-DDDD0004", None, True),
    ]


def test_the_minimum_volume_is_a_setting(tmp_path: Path) -> None:
    perf = _figures(tmp_path / "ws", min_impressions=400)
    assert [(c.unique_id, c.total.rank) for c in perf.creatives][:2] == [
        ("ID-DDDD0004", 1),
        ("ID-CCCC0003", 2),
    ]
    strict = _figures(tmp_path / "ws2", min_impressions=5001)
    assert [c.unique_id for c in strict.creatives if c.total.rank] == ["ID-AAAA0001-VID"]


def test_the_window_is_the_last_days_recorded_and_older_days_are_left_out(tmp_path: Path) -> None:
    week = _figures(tmp_path / "ws")
    assert week.window is not None
    assert week.window.first == date(2026, 11, 23)
    assert week.window.last == date.fromisoformat(LAST_DAY)
    c = week.creative("ID-CCCC0003")
    assert c is not None and c.total.metrics.impressions == 1500  # the 11-22 row is out
    every_day = _figures(tmp_path / "ws2", days=None)
    c = every_day.creative("ID-CCCC0003")
    assert c is not None
    assert (c.total.metrics.impressions, c.total.metrics.clicks) == (4500, 105)
    assert every_day.window is not None and every_day.window.first == date(2026, 11, 22)


def _rollup(perf: Performance, attribute: str) -> dict[str, tuple[int, int, int, int | None]]:
    return {
        line.value: (line.creatives, line.standing.metrics.impressions,
                     line.standing.metrics.clicks, line.standing.rank)
        for line in perf.attributes[attribute]
    }  # fmt: skip


def test_attributes_roll_up_their_creatives_and_rank_only_enough_volume(tmp_path: Path) -> None:
    perf = _figures(tmp_path / "ws")
    # Dating: AAAA 12000/220 + CCCC 1500/45 = 13500/265 (1.96%); Gaming: BBBB + DDDD = 5500/75.
    assert _rollup(perf, "category") == {"Dating": (2, 13500, 265, 1), "Gaming": (2, 5500, 75, 2)}
    dating = perf.attributes["category"][0].standing.metrics
    assert dating.cost == Decimal("63.00") and dating.conversions == 13
    assert _rollup(perf, "style") == {"Both": (3, 14000, 290, 1), "Solo": (1, 5000, 50, 2)}
    assert _rollup(perf, "duration") == {
        "16-30 s": (1, 1500, 45, 1),
        "up to 5 s": (1, 12000, 220, 2),
        "11-15 s": (1, 5000, 50, 3),
        "image (no duration)": (1, 500, 25, None),
    }
    # The pair's figures are its video's: the image has no rows of its own.
    assert _rollup(perf, "native_pair") == {"ID-AAAA0001": (1, 12000, 220, 1)}
    assert _rollup(perf, "source_folder") == {
        "(inbox top level)": (1, 1500, 45, 1),
        "dating": (1, 12000, 220, 2),
        "fetched/site": (2, 5500, 75, 3),
    }
    # TJ: 10000 + 5000 + 500 = 15500 (275 clicks, 1.77%); Exo: 2000 + 1500 = 3500 (65, 1.86%).
    assert _rollup(perf, "platform") == {
        "exoclick": (2, 3500, 65, 1),
        "trafficjunky": (3, 15500, 275, 2),
    }


def test_uploaded_creatives_without_stats_are_listed_but_not_a_pairs_image(tmp_path: Path) -> None:
    perf = _figures(tmp_path / "ws")
    assert perf.without_stats == ["ID-EEEE0005"]


def test_stats_of_unknown_creatives_or_other_ids_are_reported_not_mixed_in(tmp_path: Path) -> None:
    ws, _ = build_workspace(tmp_path / "ws")
    write_stats(ws, "exoclick", [
        ("2026-11-29", "ID-FFFF9999", "5009999", 9000, 900, 9, "9.00"),
        ("2026-11-29", "ID-CCCC0003", "5000777", 1500, 45, 3, "9.00"),
    ])  # fmt: skip
    perf = performance_of_records(ws.records, ws.inventory_csv, days=7)
    assert perf.creative("ID-FFFF9999") is None
    assert _rollup(perf, "platform")["exoclick"] == (1, 1500, 45, 1)  # 3.00% over 1.77%
    text = " ".join(perf.warnings)
    assert "not in the inventory left out: ID-FFFF9999" in text
    mismatch = "ID-CCCC0003: exoclick stats name creative 5000777 but the inventory records 5000004"
    assert mismatch in text


def test_no_stats_files_give_empty_figures(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws").ensure()
    perf = performance_of_records(ws.records, ws.inventory_csv)
    assert perf.creatives == [] and perf.window is None and perf.platforms == []
