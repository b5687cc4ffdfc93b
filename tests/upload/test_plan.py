"""Planning and the journal, offline: batches of ten, pairs together, torn journal lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.errors import ConfigError
from automation.uploaders import registry
from automation.uploaders.base import FileOutcome, Outcome, UploadOptions
from automation.uploaders.batch import BatchRunner
from automation.uploaders.plan import (
    Batch,
    Disposition,
    PlannedFile,
    Selection,
    UploadItem,
    build_plan,
)
from automation.uploaders.records import RunRecords
from automation.uploaders.trafficjunky.specs import SPECS
from automation.uploaders.validation import measure, spec_problem
from creatives import ffmpeg
from creatives.mp4_header import Mp4Streams, read_streams
from tests.fixtures.media import make_image, make_video
from tracking.journal import Journal, JournalEntry, JournalState, journal_path, unresolved_entries
from tracking.library_cache import LibraryCache, LibraryEntry
from tracking.schemas import UploadStatus
from tracking.workspace import Workspace


def _items(tmp_path: Path, singles: int, pairs: int) -> list[UploadItem]:
    items = []
    for i in range(singles):
        path = tmp_path / f"banner{i}.png"
        path.write_bytes(b"x")
        items.append(UploadItem(f"ID-B{i}", path, f"banner{i}", "banner", "static_banner"))
    for i in range(pairs):
        for kind, target, suffix in (
            ("native_video", "native_rollover", "VID"),
            ("native_image", "native_static", "IMG"),
        ):
            path = tmp_path / f"pair{i}-{suffix}.bin"
            path.write_bytes(b"x")
            items.append(
                UploadItem(f"ID-P{i}-{suffix}", path, path.stem, kind, target, pair_id=f"ID-P{i}")
            )
    return items


def _plan(tmp_path: Path, items: list[UploadItem], cache: LibraryCache | None = None, **kw):  # type: ignore[no-untyped-def]
    return build_plan(
        items,
        cache or LibraryCache(tmp_path / "c.csv"),
        check=lambda item: None,
        selection=Selection(**kw),
    )


def test_batches_hold_at_most_ten_and_pairs_share_a_batch_label(tmp_path: Path):
    plan = _plan(tmp_path, _items(tmp_path, singles=23, pairs=12))

    assert all(len(b.items) <= 10 for b in plan.batches)
    assert sum(len(b.items) for b in plan.batches) == 23 + 24
    assert {len({i.target for i in b.items}) for b in plan.batches} == {1}
    label_of = {f.item.unique_id: f.batch for f in plan.files}
    assert all(label_of[f"ID-P{i}-VID"] == label_of[f"ID-P{i}-IMG"] for i in range(12))


def test_limit_counts_files_and_holds_back_a_pair_that_does_not_fit(tmp_path: Path):
    plan = _plan(tmp_path, _items(tmp_path, singles=0, pairs=3) + _items(tmp_path, 2, 0), limit=5)

    uploads = [f.item.unique_id for f in plan.of(Disposition.UPLOAD)]
    assert uploads == ["ID-P0-VID", "ID-P0-IMG", "ID-P1-VID", "ID-P1-IMG"]
    assert plan.held_back == 4


def test_cache_decides_per_target_and_never_resolves_an_ambiguous_name(tmp_path: Path):
    items = _items(tmp_path, singles=3, pairs=0)
    cache = LibraryCache(
        tmp_path / "c.csv",
        [
            LibraryEntry("1000000010", "banner0", creative_type="static_banner"),
            LibraryEntry("1000000020", "banner1", creative_type="native_static"),
            LibraryEntry("1000000030", "banner2", creative_type="static_banner"),
            LibraryEntry("1000000040", "banner2", creative_type="static_banner"),
        ],
    )

    plan = _plan(tmp_path, items, cache)

    decided = {f.item.name: (f.disposition, f.creative_id) for f in plan.files}
    assert decided["banner0"] == (Disposition.CACHED, "1000000010")
    assert decided["banner1"] == (Disposition.UPLOAD, "")
    assert decided["banner2"] == (Disposition.AMBIGUOUS, "")
    forced = _plan(tmp_path, items, cache, force=True)
    assert len(forced.of(Disposition.UPLOAD)) == 3


def test_specs_refuse_what_the_platform_would(tmp_path: Path):
    banner = make_image(tmp_path / "b.png", width=300, height=250)
    odd = make_image(tmp_path / "odd.png", width=301, height=250)
    big = make_image(tmp_path / "big.png", width=640, height=360, noisy=True)
    short = make_video(tmp_path / "s.mp4", width=640, height=360, seconds=2, audio=False, fps=5)

    assert spec_problem(banner, "banner", SPECS) is None
    assert "banners must be one of" in str(spec_problem(odd, "banner", SPECS))
    assert "300,000-byte limit" in str(spec_problem(big, "native_image", SPECS))
    assert "5 to 31 s" in str(spec_problem(short, "preroll", SPECS))
    assert "short videos must be 9:16" in str(spec_problem(short, "short_video", SPECS))
    assert spec_problem(short, "native_video", SPECS) is None
    assert "expected a video" in str(spec_problem(banner, "native_video", SPECS))


def test_a_plain_mp4_passes_on_its_header_and_a_refusal_is_ffprobes_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    native = make_video(tmp_path / "n.mp4", width=640, height=360, seconds=1, fps=5)
    wide = make_video(tmp_path / "w.mp4", width=1280, height=720, seconds=1, audio=False, fps=5)
    rotated = make_video(tmp_path / "r.mp4", width=640, height=360, seconds=1, fps=5, rotate=90)
    for path in (native, wide, rotated):
        measured = measure(path)
        assert read_streams(path) == Mp4Streams(
            measured.video_codec, measured.size.width, measured.size.height, measured.audio_codec
        ), path.name
    (tmp_path / "torn.mp4").write_bytes(native.read_bytes()[:2000])
    assert read_streams(tmp_path / "torn.mp4") is None, "a reader that cannot vouch says so"

    probed: list[Path] = []
    real_probe = ffmpeg.probe_json
    monkeypatch.setattr(ffmpeg, "probe_json", lambda p, **kw: probed.append(p) or real_probe(p))
    assert spec_problem(native, "native_video", SPECS) is None
    assert probed == [], "no ffprobe process for a plain MP4 that passes"
    assert "native creatives must be 640x360" in str(spec_problem(wide, "native_video", SPECS))
    assert probed == [wide], "a refusal is measured by ffprobe"
    assert "5 to 31 s" in str(spec_problem(native, "preroll", SPECS)), "durations: ffprobe"
    preroll = make_video(tmp_path / "p.mp4", width=640, height=360, seconds=6, audio=False, fps=5)
    probed.clear()
    assert spec_problem(preroll, "preroll", SPECS) is None
    assert probed == [], "a duration rule met on the header's word: no ffprobe process"


def _entry(run: str, name: str, state: JournalState) -> JournalEntry:
    return JournalEntry(run, "trafficjunky", name, "static_banner", f"ID-{name}", state)


def test_journal_survives_a_torn_last_line_and_tracks_the_last_state(tmp_path: Path):
    journal = Journal(journal_path(tmp_path, "run-1"))
    journal.write([_entry("run-1", "a", JournalState.SUBMITTING)])
    journal.write([_entry("run-1", "b", JournalState.SUBMITTING)])
    journal.write([_entry("run-1", "a", JournalState.CONFIRMED)])
    with journal.path.open("a") as handle:
        handle.write('{"run_id": "run-1", "name": "c", "sta')  # killed mid-write

    assert [e.name for e in journal.unresolved()] == ["b"]
    assert [e.name for _, e in unresolved_entries(tmp_path, "trafficjunky")] == ["b"]
    assert unresolved_entries(tmp_path, "trafficjunky", exclude_run="run-1") == []
    assert not journal.remove_if_resolved()
    journal.write([_entry("run-1", "b", JournalState.ABSENT)])
    assert journal.remove_if_resolved() and not journal.path.exists()


def test_registry_resolves_names_lists_and_all():
    assert registry.resolve("trafficjunky") == ["trafficjunky"]
    assert registry.resolve("all") == registry.names()
    with pytest.raises(ConfigError, match="unknown platform"):
        registry.resolve("myspace")


def test_accepted_without_any_creative_of_its_name_is_a_failure_not_a_duplicate(
    tmp_path: Path,
):
    [item] = _items(tmp_path, 1, 0)

    class AcceptsButShowsNothing:
        def upload_batch(self, batch, before_submit):  # type: ignore[no-untyped-def]
            before_submit()
            return [FileOutcome(i, Outcome.EXISTING) for i in batch.items]

        def find_names(self, target, names):  # type: ignore[no-untyped-def]
            return {}

    ws = Workspace(tmp_path / "ws")
    journal = Journal(journal_path(ws.uploads_dir, "run"))
    results = []
    runner = BatchRunner(
        AcceptsButShowsNothing(),  # type: ignore[arg-type]
        RunRecords(ws, "trafficjunky", "run"),
        journal,
        UploadOptions(live=True, retries=0),
        results.extend,
    )
    runner.run(Batch("b01", "static_banner", [item]))

    assert [(r.status, r.proven_id) for r in results] == [(UploadStatus.FAILED, "")]
    assert "no creative named banner0" in results[0].message
    assert [e.state for e in journal.entries()] == [JournalState.SUBMITTING, JournalState.FAILED]


def test_each_refusal_stays_with_its_own_file_in_a_mixed_selection(tmp_path: Path):
    items = _items(tmp_path, singles=4, pairs=0)
    items[1].path.unlink()
    no_target = PlannedFile(items[3], Disposition.INVALID, "no target for banner")
    plan = build_plan(
        [items[0], items[1], no_target, items[2]],
        LibraryCache(tmp_path / "c.csv"),
        check=lambda item: "is 1x1, banners must be 300x250" if item.name == "banner2" else None,
        selection=Selection(),
    )

    decided = [(f.item.unique_id, f.disposition, f.note) for f in plan.files]
    assert decided == [
        ("ID-B0", Disposition.UPLOAD, ""),
        ("ID-B1", Disposition.INVALID,
         f"{items[1].path} is missing; run 'creative-flow process' again or restore it"),
        ("ID-B3", Disposition.INVALID, "no target for banner"),
        ("ID-B2", Disposition.INVALID, "banner2.png is 1x1, banners must be 300x250"),
    ]  # fmt: skip
