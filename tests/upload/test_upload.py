"""`creative-flow upload --live` against the sandbox: every recorded ID is the platform's own."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from automation.errors import ExitCode
from tests.upload.workspace import TJWorkspace, arm_request_counter, sandbox_requests_seen
from tracking.library_cache import LibraryEntry, record_entries

pytestmark = pytest.mark.browser


def _upload(cli, tj: TJWorkspace, *args: str):  # type: ignore[no-untyped-def]
    return cli("--workspace", tj.root, "upload", "--live", "--json", *args)


def test_25_creatives_go_up_in_3_batches_and_every_id_is_the_platforms(cli, tj: TJWorkspace):
    tj.banners(25)

    result = _upload(cli, tj)

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)[0]
    assert sorted({f["batch"] for f in report["files"]}) == ["b01", "b02", "b03"]
    assert report["counts"]["success"] == 25
    expected = tj.expected_ids()
    assert all(expected.values()) and tj.recorded_ids() == expected
    cache = tj.cache()
    for row in tj.rows:
        hit = cache.lookup(row["new_filename"], "static_banner")
        assert hit is not None and hit.creative_id == expected[row["unique_id"]]
    statuses = tj.status_rows()
    assert {r["platform"] for r in statuses} == {"TrafficJunky"}
    assert all(r["tj_creative_id"] == expected[r["unique_id"]] for r in statuses)
    assert not tj.journals(), "a finished run leaves no journal behind"


def test_native_pairs_land_in_their_own_sub_tabs(cli, tj: TJWorkspace):
    pair_ids = tj.pairs(2)

    result = _upload(cli, tj)

    assert result.exit_code == 0, result.output
    recorded = tj.recorded_ids()
    rollover, static = tj.truth_ids("native_rollover"), tj.truth_ids("native_static")
    assert len(rollover) == 2 and len(static) == 2
    for pair in pair_ids:
        video = next(r for r in tj.rows if r["unique_id"] == f"{pair}-VID")
        image = next(r for r in tj.rows if r["unique_id"] == f"{pair}-IMG")
        assert recorded[video["unique_id"]] == rollover[Path(video["new_filename"]).stem]
        assert recorded[image["unique_id"]] == static[Path(image["new_filename"]).stem]
    batches = {f["unique_id"]: f["batch"] for f in json.loads(result.stdout)[0]["files"]}
    assert all(batches[f"{p}-VID"] == batches[f"{p}-IMG"] for p in pair_ids)


def test_silent_duplicate_records_the_existing_id_found_past_page_one(cli, tj: TJWorkspace):
    seeded = tj.sandbox.seed(creatives=20, tabs=["static_banner"])["creatives"]
    oldest = seeded[0]  # newest first on the page: the first seeded is on page 2
    tj.named_banner(oldest["name"], "ID-0000DUPE")
    tj.banners(2)
    before = len(tj.truth())

    result = _upload(cli, tj)

    assert result.exit_code == 0, result.output
    files = {f["unique_id"]: f for f in json.loads(result.stdout)[0]["files"]}
    assert files["ID-0000DUPE"]["status"] == "duplicate"
    assert tj.recorded_ids()["ID-0000DUPE"] == str(oldest["id"])
    assert len(tj.truth()) == before + 2, "the duplicate created nothing"
    assert tj.recorded_ids() == tj.expected_ids()


def test_same_name_in_another_tab_is_not_a_duplicate(cli, tj: TJWorkspace):
    trap = tj.sandbox.seed(creatives=1, tabs=["static_banner"])["creatives"][0]
    record_entries(
        tj.ws.library_csv("trafficjunky"),
        [LibraryEntry(str(trap["id"]), trap["name"], creative_type="static_banner")],
    )
    tj.named_banner(trap["name"], "ID-0000TRAP-IMG", creative_type="native_image")

    result = _upload(cli, tj)

    assert result.exit_code == 0, result.output
    recorded = tj.recorded_ids()["ID-0000TRAP-IMG"]
    assert recorded == tj.truth_ids("native_static")[trap["name"]]
    assert recorded != str(trap["id"])


def test_cache_hit_is_skipped_without_touching_the_platform(cli, tj: TJWorkspace):
    tj.banners(2)
    record_entries(
        tj.ws.library_csv("trafficjunky"),
        [
            LibraryEntry("1000000990", Path(r["new_filename"]).stem, creative_type="static_banner")
            for r in tj.rows[:1]
        ]
        + [
            LibraryEntry("1000000980", Path(r["new_filename"]).stem, creative_type="static_banner")
            for r in tj.rows[1:]
        ],
    )
    arm_request_counter(tj.sandbox)

    result = _upload(cli, tj)

    assert result.exit_code == 0, result.output
    assert sandbox_requests_seen(tj.sandbox) == 0
    assert [f["status"] for f in json.loads(result.stdout)[0]["files"]] == ["duplicate"] * 2
    assert tj.recorded_ids() == {
        tj.rows[0]["unique_id"]: "1000000990",
        tj.rows[1]["unique_id"]: "1000000980",
    }
    assert not tj.truth()


def test_rejected_files_get_their_message_in_the_status_csv(cli, tj: TJWorkspace):
    tj.banners(3)
    rejected = Path(tj.rows[1]["new_filename"]).stem
    tj.sandbox.switches(reject_name=rejected)
    tj.preroll("EN_Cat_MFT_Both_NA_TooShort_Bob_3sec_ID-0000BEEF", "ID-0000BEEF", seconds=3)

    result = _upload(cli, tj)

    assert result.exit_code == ExitCode.PARTIAL
    rows = {r["unique_id"]: r for r in tj.status_rows()}
    assert rows[tj.rows[1]["unique_id"]]["status"] == "failed"
    assert rows[tj.rows[1]["unique_id"]]["error_message"]  # the platform's dz-error text
    assert "5 to 31 s" in rows["ID-0000BEEF"]["error_message"], "refused offline by the specs"
    assert not tj.truth_ids("in_stream_video")
    assert tj.recorded_ids()[tj.rows[1]["unique_id"]] == ""
    assert tj.recorded_ids()[tj.rows[0]["unique_id"]] == tj.expected_ids()[tj.rows[0]["unique_id"]]


def test_server_errors_and_latency_are_survived_with_correct_ids(cli, tj: TJWorkspace):
    tj.banners(12)
    tj.sandbox.switches(error_rate=0.25, error_seed=7, latency_ms=100)

    result = _upload(cli, tj, "--retries", "3")

    tj.sandbox.switches(error_rate=0.0, latency_ms=0)
    assert result.exit_code == 0, result.output
    assert tj.recorded_ids() == tj.expected_ids()
    assert not tj.duplicates_in_sandbox()
    retried = [int(r["retries"]) for r in tj.status_rows()]
    assert any(retried), "with a quarter of requests failing some file needed a retry"


def test_session_expiry_mid_run_stops_cleanly_and_a_rerun_finishes(cli, tj: TJWorkspace):
    tj.banners(25)
    tj.sandbox.switches(expire_after_requests=25)  # runs out during the second batch

    first = _upload(cli, tj)

    assert first.exit_code == ExitCode.AUTH_REQUIRED
    assert "creative-flow login trafficjunky" in first.stderr
    recorded = {k: v for k, v in tj.recorded_ids().items() if v}
    assert recorded, "the batches confirmed before the expiry are recorded"
    expected = tj.expected_ids()
    assert all(expected[k] == v for k, v in recorded.items())

    tj.sandbox.write_session(tj.root)
    second = _upload(cli, tj)

    assert second.exit_code == 0, second.output
    assert tj.recorded_ids() == tj.expected_ids()
    assert not tj.duplicates_in_sandbox()
    assert not tj.journals()


def test_no_saved_session_says_how_to_log_in(cli, tj: TJWorkspace):
    tj.banners(1)
    tj.ws.session_file("trafficjunky").unlink()

    result = _upload(cli, tj)

    assert result.exit_code == ExitCode.AUTH_REQUIRED
    assert "creative-flow login trafficjunky" in result.stderr
    assert not tj.truth()


def test_archive_moves_files_only_after_their_ids_are_recorded(cli, tj: TJWorkspace):
    tj.banners(2)
    tj.sandbox.switches(reject_name=Path(tj.rows[1]["new_filename"]).stem)

    result = _upload(cli, tj, "--archive")

    assert result.exit_code == ExitCode.PARTIAL
    run_id = json.loads(result.stdout)[0]["run_id"]
    archived = tj.root / "archive" / "trafficjunky" / f"{run_id}-b01" / tj.rows[0]["new_filename"]
    assert archived.is_file()
    assert not (tj.ws.processed / tj.rows[0]["new_filename"]).exists()
    assert (tj.ws.processed / tj.rows[1]["new_filename"]).is_file(), "a failed file stays"
    assert tj.recorded_ids()[tj.rows[0]["unique_id"]] == tj.expected_ids()[tj.rows[0]["unique_id"]]


def test_stuck_previews_are_retried_and_still_end_with_the_right_ids(
    cli, tj: TJWorkspace, monkeypatch: pytest.MonkeyPatch
):
    tj.banners(3)
    monkeypatch.setenv("CREATIVE_FLOW_UPLOAD_TIMEOUT_S", "0.5")
    tj.sandbox.switches(processing_delay_ms=3000)  # every preview outlives its deadline

    result = _upload(cli, tj, "--retries", "3")

    assert result.exit_code == 0, result.output
    assert tj.recorded_ids() == tj.expected_ids()
    assert not tj.duplicates_in_sandbox()
    rows = tj.status_rows()
    assert all(r["status"] in ("success", "duplicate") for r in rows)
    assert any(r["retries"] != "0" or "failed attempt" in r["error_message"] for r in rows)


def test_a_name_held_in_another_tab_records_no_id_when_duplicates_are_library_wide(
    cli, tj: TJWorkspace
):
    tj.sandbox.switches(duplicate_scope="library")
    other = tj.sandbox.seed(creatives=1, tabs=["static_banner"])["creatives"][0]
    tj.named_banner(other["name"], "ID-0000WIDE-IMG", creative_type="native_image")

    result = _upload(cli, tj)

    assert result.exit_code == ExitCode.PARTIAL
    assert tj.recorded_ids()["ID-0000WIDE-IMG"] == "", "never the other tab's creative"
    (row,) = tj.status_rows()
    assert row["status"] == "failed"
    assert "another tab" in row["error_message"]
    assert len(tj.truth()) == 1


def _wait_until_processed(tj: TJWorkspace, limit_s: float = 60) -> None:
    """Until the sandbox has processed every accepted file (polling its state)."""
    deadline = time.monotonic() + limit_s
    while any(c["ready_at"] > time.time() for c in tj.truth()):
        assert time.monotonic() < deadline, "the sandbox never finished processing"
        time.sleep(0.1)


def test_processing_longer_than_the_previews_is_waited_for(cli, tj: TJWorkspace):
    tj.banners(3)
    tj.sandbox.switches(processing=12)  # longer than any settle time after the previews

    result = _upload(cli, tj)

    assert result.exit_code == 0, result.output
    assert tj.recorded_ids() == tj.expected_ids()
    assert all(tj.recorded_ids().values())


def test_processing_past_the_upload_timeout_records_no_id_until_a_rerun_proves_it(
    cli, tj: TJWorkspace, monkeypatch: pytest.MonkeyPatch
):
    tj.banners(2)
    tj.sandbox.switches(processing=6)
    monkeypatch.setenv("CREATIVE_FLOW_UPLOAD_TIMEOUT_S", "1")

    first = _upload(cli, tj)

    assert first.exit_code == ExitCode.PARTIAL
    assert set(tj.recorded_ids().values()) == {""}, "no card yet: no ID"
    assert all("processing" in r["error_message"] for r in tj.status_rows())
    _wait_until_processed(tj)
    second = _upload(cli, tj)

    assert second.exit_code == 0, second.output
    assert tj.recorded_ids() == tj.expected_ids()
    assert len(tj.truth()) == 2
