"""The library cache finds a creative by its displayed name, however the name was written."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tracking import library_cache
from tracking.csvstore import write_rows
from tracking.errors import RecordsError
from tracking.library_cache import (
    LibraryCache,
    LibraryEntry,
    library_key,
    rebuild,
    record_entries,
)
from tracking.schemas import LIBRARY


@pytest.mark.parametrize(
    "written",
    [
        "EN_Cat_MFT_Both_NA_Generic_Bob_ID-1A2B3C4D",
        "EN_Cat_MFT_Both_NA_Generic_Bob_ID-1A2B3C4D.mp4",
        "/w/processed/EN_Cat_MFT_Both_NA_Generic_Bob_ID-1A2B3C4D.MP4",
        "  EN_Cat_MFT_Both_NA_Generic_Bob_ID-1A2B3C4D.png ",
    ],
)
def test_every_spelling_of_a_name_gives_one_key(written: str) -> None:
    assert library_key(written) == "EN_Cat_MFT_Both_NA_Generic_Bob_ID-1A2B3C4D"


def test_a_dot_inside_a_name_is_not_an_extension() -> None:
    assert library_key("promo.v2") == "promo.v2"


def test_row_written_with_extension_is_found_without(tmp_path: Path) -> None:
    path = tmp_path / "library" / "trafficjunky.csv"
    record_entries(
        path,
        [LibraryEntry("1000000010", "clip_ID-AAAAAAAA-VID.mp4", creative_type="native_rollover")],
    )
    cache = LibraryCache.load(path)
    hit = cache.lookup("clip_ID-AAAAAAAA-VID", "native_rollover")
    assert hit is not None and hit.creative_id == "1000000010"
    assert "clip_ID-AAAAAAAA-VID.mp4" not in path.read_text()


def test_same_name_in_another_tab_is_not_a_hit(tmp_path: Path) -> None:
    cache = LibraryCache(
        tmp_path / "c.csv", [LibraryEntry("1000000010", "x", creative_type="static_banner")]
    )
    assert cache.lookup("x", "native_static") is None
    assert cache.lookup("x", "static_banner") is not None


def test_ambiguous_name_is_never_resolved_to_one_id(tmp_path: Path) -> None:
    cache = LibraryCache(
        tmp_path / "c.csv",
        [
            LibraryEntry("1000000010", "x", creative_type="t"),
            LibraryEntry("1000000020", "x", creative_type="t"),
        ],
    )
    assert cache.lookup("x", "t") is None
    assert len(cache.lookup_all("x", "t")) == 2


def test_broken_row_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "creative_id,filename,upload_date,dimensions,file_type,creative_type,review_status\n"
        "1000000010,a,,,,,\n"
        "abc,b,,,,,\n"
    )
    with pytest.raises(RecordsError, match=r"c\.csv:3"):
        LibraryCache.load(path)


def test_hand_edited_file_with_extra_column_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "creative_id,filename,upload_date,dimensions,file_type,creative_type,review_status,my_note\n"
        "1000000010,a,,,,t,,keep me\n"
    )
    record_entries(path, [LibraryEntry("1000000020", "b", creative_type="t")])
    text = path.read_text()
    assert "my_note" in text and "1000000020" in text and "1000000010" in text


def test_rebuild_reports_changes_and_keeps_unread_tabs(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    record_entries(
        path,
        [
            LibraryEntry("1000000010", "a", creative_type="t1", review_status="pending"),
            LibraryEntry("1000000020", "b", creative_type="t1"),
            LibraryEntry("1000000030", "c", creative_type="t2"),
        ],
    )
    diff = rebuild(
        path,
        [
            LibraryEntry("1000000010", "a", creative_type="t1", review_status="approved"),
            LibraryEntry("1000000040", "d", creative_type="t1"),
        ],
        tabs=["t1"],
    )
    assert [e.creative_id for e in diff.added] == ["1000000040"]
    assert [e.creative_id for e in diff.removed] == ["1000000020"]
    assert [new.review_status for _, new in diff.status_changed] == ["approved"]
    ids = {e.creative_id for e in LibraryCache.load(path)}
    assert ids == {"1000000010", "1000000030", "1000000040"}


HEADER = "creative_id,filename,upload_date,dimensions,file_type,creative_type,review_status"


@pytest.mark.parametrize(
    "body",
    [
        "1000000010,clip_ID-AAAAAAAA.mp4,2026-03-02,640x360,.mp4,t, approved \n"
        "1000000020,b,,,,t,\n",
        "1000000010,clip_ID-AAAAAAAA,2026-03-02,640x360,.mp4,t,approved\r\n"
        "\r\n"
        "1000000020,b,,,,t,\r\n",
        '1000000010,"clip_ID-AAAAAAAA",2026-03-02,640x360,.mp4,t,approved\n1000000020,b,,,,t,\n',
        "1000000020,old-name,,,,t,\n"
        "1000000010,clip_ID-AAAAAAAA,2026-03-02,640x360,.mp4,t,approved\n"
        "1000000020,b,,,,t,",
        "1000000010,clip_ID-AAAAAAAA,2026-03-02,640x360,.mp4,t,approved\n"
        ",,,,,,\n"
        "1000000020,b,,,,t,\n",
    ],
    ids=["as-written", "crlf-blank-line", "quoted", "id-listed-twice", "blank-row"],
)
def test_every_form_of_a_cache_file_reads_to_the_same_entries(tmp_path: Path, body: str) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(f"{HEADER}\n{body}".encode())

    cache = LibraryCache.load(path)

    assert len(cache) == 2
    clip = cache.lookup("clip_ID-AAAAAAAA.mp4", "t")
    assert clip == LibraryEntry(
        "1000000010", "clip_ID-AAAAAAAA", "2026-03-02", "640x360", ".mp4", "t", "approved"
    )
    assert cache.by_id("1000000020") == LibraryEntry("1000000020", "b", creative_type="t")
    assert cache.lookup("old-name") is None
    assert sorted(r["creative_id"] for r in cache.rows()) == ["1000000010", "1000000020"]


def _random_cache(rng: random.Random) -> str:
    """A cache file's text with the oddities users' files have: padded and path-like names,
    IDs listed twice, names in two tabs, blank, short and bad rows, either line ending."""
    fields = [
        ["1000000010", "1000000020", " 1000000030", "10x", ""],
        ["a", "a.mp4", "dir/a.png", "dir/a", "dir\\a", " b ", "c.v2", "x:y", ""],
        ["", "2026-01-01"], [""], ["", ".mp4"], ["t1", "t2"], ["", "approved "],
    ]  # fmt: skip
    rows = [",".join(rng.choice(f) for f in fields) for _ in range(rng.randint(0, 6))]
    for odd in (",,,,,,", "1000000040,short"):
        if rng.random() < 0.1:
            rows.insert(rng.randint(0, len(rows)), odd)
    newline = rng.choice(["\n", "\r\n"])
    return newline.join([HEADER, *rows]) + (newline if rng.random() < 0.8 else "")


def _read(path: Path) -> object:
    try:
        cache = LibraryCache.load(path)
    except RecordsError as exc:
        return str(exc)
    lookups = [cache.lookup_all(n, t) for n in ("a", "b", "c.v2", "x:y") for t in ("t1", None)]
    return cache.rows(), lookups, [cache.by_id(i) for i in ("1000000010", "1000000030")]


def test_the_fast_reading_agrees_with_the_csv_module_on_every_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(7)
    paths = []
    for n in range(300):
        paths.append(tmp_path / f"c{n}.csv")
        paths[-1].write_bytes(_random_cache(rng).encode())
    fast = [_read(p) for p in paths]
    monkeypatch.setattr(library_cache, "plain_lines", lambda text, columns: None)

    assert [_read(p) for p in paths] == fast


def _recorded_as_before(path: Path, entries: list[LibraryEntry]) -> bytes:
    """The file `record_entries` wrote before saves kept rows as read: every row rendered."""
    cache = LibraryCache.load(path)
    cache.add(entries)
    write_rows(path, LIBRARY, cache.rows())
    return path.read_bytes()


def _record_both_ways(folder: Path, text: bytes, entries: list[LibraryEntry]) -> bytes:
    """Record `entries` into a cache holding `text`, now and as before; both files agree."""
    folder.mkdir(exist_ok=True)
    now, before = folder / "now.csv", folder / "before.csv"
    now.write_bytes(text)
    before.write_bytes(text)
    record_entries(now, entries)
    assert now.read_bytes() == _recorded_as_before(before, entries)
    return now.read_bytes()


def test_recording_writes_the_file_byte_for_byte_as_rendering_every_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = (
        f"{HEADER}\n"
        "1000000010,clip_ID-AAAAAAAA,2026-03-02,640x360,.mp4,t1,approved\n"
        "1000000020,promo.v2,,,,t1,\n"  # a dot that is not an extension
        "1000000030,shared,,,,t1,pending\n"
        "1000000040,shared,,,,t1,approved\n"  # one name, two IDs
        "1000000050,old.mp4,,,,t2,\n"  # written with its extension
        "1000000060, padded ,2026-03-02,, .png,t2, approved \n"
        "1000000070,dir/a.mp4.mp4,,,,t2,\n"
        "1000000080,tab\tinside,,,,t2,\n"
        "1000000030,shared,,,,t1,approved\n"  # listed twice: the later row wins
    ).encode()
    batch = [
        LibraryEntry("1000000090", 'Say "hi", now.mp4', creative_type="t1"),  # needs quotes
        LibraryEntry("1000000100", "line\nbreak", creative_type="t1"),
        LibraryEntry("1000000110", "shared.mp4", creative_type="t1"),  # a third ID, one name
        LibraryEntry("1000000020", "promo.v2", "2026-03-03", creative_type="t1"),  # replaced
        LibraryEntry("1000000050", "renamed", creative_type="t2"),  # replaced, renamed
    ]
    rendered: list[str] = []
    as_row = LibraryEntry.as_row
    with monkeypatch.context() as patch:
        patch.setattr(LibraryEntry, "as_row", lambda e: rendered.append(e.creative_id) or as_row(e))
        record_entries(tmp_path / "probe.csv", [])  # a new file: header only
        (tmp_path / "probe.csv").write_bytes(cache)
        record_entries(tmp_path / "probe.csv", batch)
    # Rows nobody changed, which the writer gives back as read, are written without rendering.
    assert not {"1000000010", "1000000030", "1000000040", "1000000080"} & set(rendered)

    first = _record_both_ways(tmp_path / "first", cache, batch)
    assert first == (tmp_path / "probe.csv").read_bytes()
    assert '"Say ""hi"", now"' in first.decode()
    again = [LibraryEntry("1000000120", "next", creative_type="t2")]
    _record_both_ways(tmp_path / "second", first, again)  # a file with quotes, CRLF now
    saved = LibraryCache.load(tmp_path / "second" / "now.csv")
    assert len(saved) == 12 and [e.creative_id for e in saved.lookup_all("shared", "t1")] == [
        "1000000030", "1000000040", "1000000110"
    ]  # fmt: skip


def test_recording_agrees_with_rendering_every_row_on_every_file(tmp_path: Path) -> None:
    rng = random.Random(11)
    names = ["a", "a.mp4", "new", "q,uote", 'x"y', " z "]
    recorded = 0
    for n in range(600):
        text = _random_cache(rng).encode()
        (tmp_path / "probe.csv").write_bytes(text)
        try:
            LibraryCache.load(tmp_path / "probe.csv")
        except RecordsError:
            continue
        batch = [
            LibraryEntry(rng.choice(["1000000010", "1000000030", "1000000099"]),
                         rng.choice(names), creative_type=rng.choice(["t1", "t2"]))
            for _ in range(rng.randint(1, 3))
        ]  # fmt: skip
        _record_both_ways(tmp_path / str(n), text, batch)
        recorded += 1
    assert recorded > 150


@pytest.mark.parametrize(
    "odd_row",
    [
        " 1000000020,b,,,,t,",
        "1000000020,b,,,,t,approved ",
        "1000000020,b ,,,,t,",
        "1000000020,b,, 640x360,,t,",
        "1000000020,b,,,,t,\u3000",
        "1000000020,b\xa0,,,,t,",
        "1000000020,b,\x1f2026-03-02,,,t,",
    ],
    ids=["id-first", "status-last", "name", "size", "wide-space", "no-break", "unit-separator"],
)
def test_a_row_the_writer_would_strip_is_written_as_before(tmp_path: Path, odd_row: str) -> None:
    plain = "1000000010,a,,,,t,"
    text = "\r\n".join([HEADER, plain, odd_row, plain.replace("10,a", "30,c"), ""]).encode()
    _record_both_ways(tmp_path, text, [LibraryEntry("1000000040", "d", creative_type="t")])


def test_a_row_written_with_two_extensions_can_be_replaced(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(f"{HEADER}\n1000000010,dir/a.mp4.mp4,,,,t,\n1000000020,b,,,,t,\n")

    record_entries(path, [LibraryEntry("1000000010", "renamed", creative_type="t")])

    cache = LibraryCache.load(path)
    assert cache.lookup("renamed", "t") == LibraryEntry("1000000010", "renamed", creative_type="t")
    assert cache.lookup_all("a.mp4") == [] and len(cache) == 2
