"""ExoClick uploads on the shared run: proven IDs, records, dedup, offline rejection, failures."""

from __future__ import annotations

from pathlib import Path

from automation.uploaders.base import UploadOptions
from automation.uploaders.registry import uploader_for
from automation.uploaders.run import RunReport, UploadRun
from tests.exoclick.conftest import Creative, ExoSandbox, add_creatives, make_creatives
from tests.fixtures.media import make_image
from tracking import inventory
from tracking.csvstore import read_rows
from tracking.library_cache import LibraryCache, library_key
from tracking.schemas import UPLOAD_STATUS
from tracking.workspace import Workspace


def run_upload(exo: ExoSandbox, workspace: Path, run_id: str, **options: object) -> RunReport:
    uploader = uploader_for("exoclick", exo.settings(workspace))
    opts = UploadOptions(backoff_s=0.05, **options)  # type: ignore[arg-type]
    return UploadRun(uploader, run_id, opts).execute()


def assert_records_match_truth(exo: ExoSandbox, workspace: Path, creatives: list[Creative]):
    """Every creative is on ExoClick once, and the inventory and cache hold exactly its id."""
    truth = exo.files_by_name()
    rows = {r["unique_id"]: r for r in inventory.load(Workspace(workspace).inventory_csv)}
    cache = LibraryCache.load(Workspace(workspace).library_csv("exoclick"))
    for c in creatives:
        files = truth[library_key(c.path.name)]
        assert len(files) == 1, f"{c.path.name} is on ExoClick {len(files)} times"
        assert rows[c.unique_id]["exo_creative_id"] == str(files[0]["id"])
        assert rows[c.unique_id]["exo_review_status"] == "pending"
        assert rows[c.unique_id]["tj_creative_id"] == ""
        cached = cache.lookup(c.path.name, files[0]["type"])
        assert cached is not None and cached.creative_id == str(files[0]["id"])


def test_live_upload_records_the_ids_exoclick_gave(exo_variant: ExoSandbox, workspace: Path):
    exo = exo_variant
    creatives = make_creatives(workspace, 2)
    report = run_upload(exo, workspace, "run-1", live=True)

    assert report.stopped is None
    assert_records_match_truth(exo, workspace, creatives)
    types = {library_key(f["file_name"]): f["type"] for f in exo.truth()["files"]}
    kinds = {c.creative_type: types[library_key(c.path.name)] for c in creatives}
    assert kinds == {"native_video": "video", "native_image": "image", "preroll": "video",
                     "banner": "image"}  # fmt: skip
    status = read_rows(report.status_csv, UPLOAD_STATUS)
    assert {r["status"] for r in status} == {"success"}
    assert {r["platform"] for r in status} == {"ExoClick"}
    assert len(status) == len(creatives)


def test_dry_run_sends_nothing(exo: ExoSandbox, workspace: Path):
    make_creatives(workspace, 1)
    report = run_upload(exo, workspace, "dry")
    assert exo.requests() == []
    assert {r["status"] for r in read_rows(report.status_csv, UPLOAD_STATUS)} == {"dry_run"}


def test_oversize_banner_is_refused_before_upload(exo: ExoSandbox, workspace: Path):
    processed = Workspace(workspace).processed
    big = make_image(processed / "EN_Big_300x250_ID-0BADF00D.png", width=300, height=250,
                     noisy=True)  # fmt: skip
    assert big.stat().st_size > 150_000
    add_creatives(workspace, [Creative("ID-0BADF00D", big, "banner")])
    report = run_upload(exo, workspace, "big", live=True)
    rows = read_rows(report.status_csv, UPLOAD_STATUS)
    assert [r["status"] for r in rows] == ["failed"]
    assert "150,000-byte limit" in rows[0]["error_message"]
    assert exo.requests("POST", "/exo/v2/library/file") == []
    assert exo.truth()["files"] == []


def test_a_name_exoclick_already_has_is_recorded_not_uploaded_again(
    exo: ExoSandbox, workspace: Path, tmp_path: Path
):
    creatives = make_creatives(workspace, 1)
    first = run_upload(exo, workspace, "first", live=True)
    assert first.stopped is None
    # A second workspace that knows nothing of the first (no cache, no inventory IDs).
    other = tmp_path / "other"
    make_creatives(other, 1)
    second = run_upload(exo, other, "second", live=True)
    rows = read_rows(second.status_csv, UPLOAD_STATUS)
    assert {r["status"] for r in rows} == {"duplicate"}
    assert len(exo.truth()["files"]) == len(creatives)
    assert_records_match_truth(exo, other, creatives)


def test_500s_429s_and_expiring_tokens_still_give_correct_ids(exo: ExoSandbox, workspace: Path):
    creatives = make_creatives(workspace, 2)
    exo.switches(error_rate=0.3, error_routes=["/exo/v2/library"], error_seed=3)
    exo.exo_switches(rate_limit_exhaust_s=1, token_lifetime_s=1, token_expiry="401")
    report = run_upload(exo, workspace, "rough", live=True, retries=4)
    exo.switches(error_rate=0.0)

    assert report.stopped is None
    assert_records_match_truth(exo, workspace, creatives)
    calls = exo.requests()
    uploads = [r["status"] for r in calls if r["method"] == "POST" and "library" in r["path"]]
    assert 500 in uploads and uploads.count(201) == len(creatives)
    assert calls[0]["status"] == 429 and calls[0]["path"] == "/exo/v2/login"
    assert calls[1]["status"] != 429, "the client waited for the reset, not a short backoff"
    assert sum(1 for r in calls if r["path"].endswith("/login") and r["status"] == 200) >= 2
    rows = read_rows(report.status_csv, UPLOAD_STATUS)
    assert sum(int(r["retries"]) for r in rows) >= uploads.count(500), "each resend is counted"


def test_500s_after_exoclick_saved_the_file_never_make_a_second_one(
    exo: ExoSandbox, workspace: Path
):
    creatives = make_creatives(workspace, 1)
    exo.exo_switches(fail_after_create_next=3)

    report = run_upload(exo, workspace, "saved-then-500", live=True)

    assert report.stopped is None
    assert_records_match_truth(exo, workspace, creatives)
    posts = [r["status"] for r in exo.requests("POST", "/exo/v2/library/file")]
    assert posts.count(500) == 3 and len(posts) == len(creatives), "no file was sent twice"
    rows = read_rows(report.status_csv, UPLOAD_STATUS)
    retries = sorted(int(r["retries"]) for r in rows if r["status"] == "success")
    assert retries == [0, 1, 1, 1], "a file confirmed by name after a failed attempt counts it"


def test_retries_option_reaches_the_api_client(exo: ExoSandbox, workspace: Path):
    make_creatives(workspace, 1)
    exo.switches(error_rate=1.0, error_routes=["/exo/v2/library"])

    report = run_upload(exo, workspace, "no-retries", live=True, retries=0)

    exo.switches(error_rate=0.0)
    assert report.stopped is None
    reads = exo.requests("GET", "/exo/v2/library/file")
    assert len(reads) == len(report.plan.batches), "one read per batch, not one more"
    assert exo.requests("POST", "/exo/v2/library/file") == []
    rows = read_rows(report.status_csv, UPLOAD_STATUS)
    assert {r["status"] for r in rows} == {"failed"}
