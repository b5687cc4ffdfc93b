"""Performance in the HTML report: a CTR on every card, per-attribute tables, sorting offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.performance.html_tree import Element, parse
from tests.performance.records import build_inventory, build_workspace
from tracking.stats import stats_csv
from tracking.workspace import Workspace


def _report(cli, root: Path, *args: str) -> tuple[Element, str]:  # type: ignore[no-untyped-def]
    result = cli("--workspace", root, "report", *args)
    assert result.exit_code == 0, result.output
    return parse((root / "reports" / "report-latest.html").read_text()), result.stdout


def _strip(doc: Element, unique_id: str) -> str:
    return doc.find("article", data_id=unique_id).find(cls="perf").text()


def test_every_card_shows_its_ctr_or_says_why_it_has_none(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws, _ = build_workspace(tmp_path / "ws")
    doc, stdout = _report(cli, ws.root, "--days", "7")
    video = _strip(doc, "ID-AAAA0001-VID")
    assert video.startswith("CTR 1.83% #2 by CTR 12,000 impressions · 220 clicks · CVR 4.55%")
    assert "TrafficJunky CTR 2.00% of 10,000" in video and "ExoClick CTR 1.00% of 2,000" in video
    assert _strip(doc, "ID-CCCC0003").startswith("CTR 3.00% #1 by CTR 1,500 impressions")
    assert "CPA no conversions" in _strip(doc, "ID-BBBB0002")
    assert _strip(doc, "ID-DDDD0004").startswith("CTR 5.00% small sample 500 impressions")
    assert _strip(doc, "ID-EEEE0005") == "no stats yet"
    assert _strip(doc, "ID-AAAA0001-IMG") == "counted with its video"
    line = "performance 2026-11-23 to 2026-11-29: 3 creative(s) ranked by CTR, 1 small sample(s)"
    assert line in " ".join(stdout.split())


def _rows(table: Element, body: str) -> list[list[str]]:
    rows = table.find("tbody", cls=body).find_all("tr")
    return [[td.text() for td in tr.find_all("td")] for tr in rows if tr.find_all("td")]


def test_the_report_has_a_table_per_attribute_with_small_samples_apart(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws, _ = build_workspace(tmp_path / "ws")
    doc, _ = _report(cli, ws.root, "--days", "7")
    tables = {t.attrs["data-attribute"]: t for t in doc.find_all("table", cls="perf-table")}
    assert list(tables) == ["category", "style", "duration", "native_pair", "source_folder",
                            "platform"]  # fmt: skip
    assert _rows(tables["category"], "ranked") == [
        ["Dating", "2", "13,500", "265", "1.96%", "4.91%", "4.85", "#1"],
        ["Gaming", "2", "5,500", "75", "1.36%", "1.33%", "12.50", "#2"],
    ]
    duration = tables["duration"]
    assert [r[0] for r in _rows(duration, "ranked")] == ["16-30 s", "up to 5 s", "11-15 s"]
    assert _rows(duration, "small") == [
        ["image (no duration)", "1", "500", "25", "5.00%", "4.00%", "2.50", "small sample"]
    ]
    assert "under 1,000 impressions" in duration.find("tbody", cls="small").text()
    assert [r[0] for r in _rows(tables["platform"], "ranked")] == ["ExoClick", "TrafficJunky"]


def test_without_stats_every_card_says_no_stats_yet_and_the_page_says_what_to_run(
    cli, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    ws = Workspace(tmp_path / "ws").ensure()
    made = build_inventory(ws)
    doc, stdout = _report(cli, ws.root)
    strips = {c.unique_id: _strip(doc, c.unique_id) for c in made}
    assert strips.pop("ID-AAAA0001-IMG") == "counted with its video"
    assert set(strips.values()) == {"no stats yet"}
    panel = doc.find("section", cls="performance").text()
    assert "No stats yet: run creative-flow stats --days 7 first" in panel
    assert "performance: no stats yet (run `creative-flow stats --days 7` first)" in stdout


def test_a_damaged_stats_file_leaves_figures_out_and_names_the_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws, _ = build_workspace(tmp_path / "ws")
    path = stats_csv(ws.records, "exoclick")
    path.write_bytes(path.read_bytes().replace(b",1500,", b",1.5k,"))
    doc, stdout = _report(cli, ws.root)
    note = " ".join(stdout.split())
    assert f"note {path}:3: stats: impressions '1.5k' is not a whole number" in note
    assert "delete the file and run `creative-flow stats` again" in note
    assert _strip(doc, "ID-AAAA0001-VID") == "stats unreadable"
    assert not doc.find_all("table", cls="perf-table")


def test_the_minimum_volume_comes_from_the_option_or_the_environment(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    ws, _ = build_workspace(tmp_path / "ws")
    looser = cli("-w", ws.root, "report", "--dry-run", "--json", "--min-impressions", "400")
    assert json.loads(looser.stdout)["performance"]["ranked"] == 4
    monkeypatch.setenv("CREATIVE_FLOW_MIN_IMPRESSIONS", "5001")
    stricter = cli("--workspace", ws.root, "report", "--dry-run", "--json")
    summary = json.loads(stricter.stdout)["performance"]
    assert (summary["min_impressions"], summary["ranked"], summary["small_samples"]) == (5001, 1, 3)


def _card_order(page: Page) -> list[str]:
    return [c.get_attribute("data-id") or "" for c in page.locator("article.card").all()]


@pytest.mark.browser
def test_cards_and_attribute_tables_sort_in_the_browser_offline(
    cli, tmp_path: Path, page: Page
) -> None:  # type: ignore[no-untyped-def]
    ws, _ = build_workspace(tmp_path / "ws")
    _report(cli, ws.root, "--days", "7")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((ws.root / "reports" / "report-latest.html").as_uri())
    page.get_by_label("Sort").select_option("ctr-desc")
    # Ranked by CTR first; the small sample after them whatever its CTR; then no stats.
    expect(page.locator("article.card").first).to_have_attribute("data-id", "ID-CCCC0003")
    assert _card_order(page) == ["ID-CCCC0003", "ID-AAAA0001-VID", "ID-AAAA0001-IMG",
                                 "ID-BBBB0002", "ID-DDDD0004", "ID-EEEE0005"]  # fmt: skip
    page.get_by_label("Sort").select_option("ctr-asc")
    expect(page.locator("article.card").first).to_have_attribute("data-id", "ID-BBBB0002")
    page.get_by_label("Sort").select_option("")  # back to the report's own order: pairs first
    expect(page.locator("article.card").first).to_have_attribute("data-id", "ID-AAAA0001-VID")
    table = page.get_by_role("table", name="Performance by duration")
    first_cell = table.locator("tbody.ranked tr").first.locator("td").first
    table.get_by_role("button", name="impressions").click()
    expect(first_cell).to_have_text("up to 5 s")
    table.get_by_role("button", name="impressions").click()
    expect(first_cell).to_have_text("16-30 s")
    small = table.locator("tbody.small tr td").first
    expect(small).to_have_text("image (no duration)")  # a small sample stays apart
    assert all(url.startswith("file:") or url.startswith("data:") for url in requests)
