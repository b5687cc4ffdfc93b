"""`creative-flow report` from the command line: files written, totals, bad records."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from automation.errors import ExitCode
from automation.report import KEEP_REPORTS, build_report
from automation.report.runs import load_runs
from tests.report.sample import _run_row, build_sample
from tracking import inventory
from tracking.csvstore import write_rows
from tracking.schemas import INVENTORY, UPLOAD_STATUS
from tracking.workspace import Workspace


def test_report_writes_a_dated_file_and_a_latest_copy(cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    creatives = build_sample(workspace)
    result = cli("--workspace", workspace, "report", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    path, latest = Path(summary["path"]), Path(summary["latest"])
    assert path.parent == workspace / "reports"
    assert path.name.startswith("report-") and path.suffix == ".html"
    assert latest.name == "report-latest.html"
    assert latest.read_text() == path.read_text()
    assert summary["totals"]["creatives"] == len(creatives)
    assert summary["totals"]["approved"] == 2
    assert summary["missing_thumbnails"] == 0
    html = path.read_text()
    for c in creatives:
        assert f'aria-label="{c.name}"' in html
    assert html.count("data:image/jpeg;base64,") == len(creatives)


def test_report_summary_for_people(cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    build_sample(workspace)
    result = cli("--workspace", workspace, "report")
    assert result.exit_code == 0, result.output
    assert "7 creatives (3 native pairs), 5 uploaded" in result.stdout
    assert "2 approved" in result.stdout and "1 rejected" in result.stdout
    assert "report-latest.html" in result.stdout


def test_a_dry_run_counts_the_same_and_writes_nothing(cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    creatives = build_sample(workspace)
    plain = cli("--workspace", workspace, "report", "--dry-run")
    as_json = cli("--workspace", workspace, "report", "--dry-run", "--json")
    assert plain.exit_code == as_json.exit_code == 0, plain.output
    assert "7 creatives (3 native pairs), 5 uploaded" in plain.stdout
    assert "dry run: nothing written" in plain.stdout
    summary = json.loads(as_json.stdout)
    assert summary["dry_run"] is True and summary["totals"]["creatives"] == len(creatives)
    reports = workspace / "reports"
    assert not reports.exists() or not list(reports.glob("*.html"))


def test_empty_workspace_gets_a_report_saying_what_to_do(cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("--workspace", workspace, "report", "--json")
    assert result.exit_code == 0, result.output
    html = Path(json.loads(result.stdout)["path"]).read_text()
    assert "No creatives recorded yet" in html
    assert "No upload runs recorded yet" in html


def test_a_creative_whose_file_is_gone_still_gets_a_card(cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    creatives = build_sample(workspace)
    gone = creatives[0]
    (workspace / "processed" / gone.name).unlink()
    result = cli("--workspace", workspace, "report")
    assert result.exit_code == 0, result.output
    assert "1 creative(s) without a preview" in result.stdout
    html = (workspace / "reports" / "report-latest.html").read_text()
    assert html.count("data:image/jpeg;base64,") == len(creatives) - 1
    assert "No preview" in html
    assert f'aria-label="{gone.name}"' in html


def test_a_broken_inventory_is_one_clear_line_and_no_report(cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    build_sample(workspace)
    inventory = workspace / "records" / "inventory.csv"
    inventory.write_text(inventory.read_text() + "a,b,c" + ",x" * 40 + "\n")
    result = cli("--workspace", workspace, "report")
    assert result.exit_code == ExitCode.RECORDS
    assert "inventory.csv" in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (workspace / "reports" / "report-latest.html").exists()


def test_an_unreadable_run_file_is_noted_and_the_rest_reported(cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    build_sample(workspace)
    broken = workspace / "records" / "uploads" / "20261122-090000-cccc.csv"
    broken.write_text("something,else\n1,2\n")
    result = cli("--workspace", workspace, "report")
    assert result.exit_code == 0, result.output
    assert "20261122-090000-cccc.csv" in result.stdout
    html = (workspace / "reports" / "report-latest.html").read_text()
    assert "20261121-101500-aaaa" in html and "20261121-113000-bbbb" in html


def test_two_platforms_get_a_line_each_and_exact_counts(cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    creatives = build_sample(workspace)
    on_exo = {c.unique_id: {"creative_id": f"48100{n:02d}", "review_status": "pending"}
              for n, c in enumerate(creatives[:3])}  # fmt: skip
    inventory.set_platform_fields(workspace / "records" / "inventory.csv", "exoclick", on_exo)
    result = cli("--workspace", workspace, "report", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["by_platform"]["ExoClick"] == {"pending": 3, "not-uploaded": 4}
    assert summary["by_platform"]["TrafficJunky"]["approved"] == 2
    # Creatives, not platform entries: never more pending than there are creatives.
    assert summary["totals"]["pending"] <= summary["totals"]["creatives"]
    html = Path(summary["path"]).read_text()
    pending_tile = html[html.index('data-total="pending"') :].split("</div></div>")[0]
    assert "<span>TrafficJunky 1</span><span>ExoClick 3</span>" in pending_tile
    uploaded_tile = html[html.index('data-total="uploaded"') :].split("</div></div>")[0]
    assert "<span>TrafficJunky 5</span><span>ExoClick 3</span>" in uploaded_tile
    assert html.count('data-platform="exoclick"') == len(creatives)
    assert "4810000" in html


def test_an_archived_creative_keeps_its_preview(cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    creatives = build_sample(workspace)
    moved = creatives[0]
    archive = workspace / "archive" / "trafficjunky" / "batch-1"
    archive.mkdir(parents=True)
    (workspace / "processed" / moved.name).rename(archive / moved.name)
    result = cli("--workspace", workspace, "report", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["missing_thumbnails"] == 0


def test_open_without_a_browser_says_where_the_report_is(cli, workspace: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    build_sample(workspace)
    monkeypatch.setattr("webbrowser.open", lambda url: False)
    result = cli("--workspace", workspace, "report", "--open", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["latest"].endswith("report-latest.html")
    expected = workspace.resolve() / "reports" / "report-latest.html"
    assert f"no web browser found to open it; open {expected} yourself" in result.stderr


def test_a_dry_run_is_marked_and_its_plan_notes_are_not_errors(workspace: Path) -> None:

    made = build_sample(workspace)
    ws = Workspace(workspace)
    rows = [_run_row(c, "dry_run", "would upload to static_banner (b01)") for c in made[:3]]
    rows.append(_run_row(made[3], "failed", "is 180,000 bytes, over the 150,000-byte limit"))
    write_rows(ws.uploads_dir / "20261122-090000-cccc.csv", UPLOAD_STATUS, rows)

    runs, _ = load_runs(ws)

    rehearsal = next(r for r in runs if r.run_id == "20261122-090000-cccc")
    assert rehearsal.dry_run
    assert [e.split(": ", 1)[1] for e in rehearsal.errors] == [
        "is 180,000 bytes, over the 150,000-byte limit"
    ]
    assert not any(r.dry_run for r in runs if r.run_id != rehearsal.run_id)


def test_report_keeps_latest_and_a_bounded_history(cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]

    build_sample(workspace)
    start = datetime(2026, 11, 21, 9, 0, 0)
    for n in range(KEEP_REPORTS + 3):
        build_report(Workspace(workspace), now=start + timedelta(minutes=n))
    reports = workspace / "reports"
    dated = sorted(p.name for p in reports.glob("report-2*.html"))
    assert len(dated) == KEEP_REPORTS
    assert dated[-1] == "report-20261121-090700.html"
    assert (reports / "report-latest.html").read_text() == (reports / dated[-1]).read_text()


def test_names_from_the_records_are_escaped(cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    build_sample(workspace)
    path = workspace / "records" / "inventory.csv"
    rows = inventory.load(path)
    rows[0]["category"] = '<script>alert("x")</script>'

    write_rows(path, INVENTORY, rows)
    result = cli("--workspace", workspace, "report", "--json")
    assert result.exit_code == 0, result.output
    html = (workspace / "reports" / "report-latest.html").read_text()
    assert '<script>alert("x")' not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
