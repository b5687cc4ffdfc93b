"""The validation function: every problem of a campaign CSV, each with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracking.campaign_validate import ProblemKind, validate_csv
from tracking.library_cache import LibraryCache, LibraryEntry

NATIVE_HEADER = ('"Ad Name","Target URL","Video Creative ID","Thumbnail Creative ID",'
                 'Headline,"Brand Name"\n')  # fmt: skip
PREROLL_HEADER = ("Ad Name,Target URL,Creative ID,Custom CTA Text,Custom CTA URL,"
                  "Banner CTA Creative ID,Banner CTA Title,Banner CTA Subtitle,Banner CTA URL,"
                  "Tracking Pixel\n")  # fmt: skip
GOOD = '"Ad One","https://a.example/?c={CampaignID}","1000000001","1000000002","Teen","Acme"\n'


def library(statuses: dict[str, str] | None = None) -> LibraryCache:
    statuses = statuses or {"1000000001": "approved", "1000000002": "approved"}
    return LibraryCache(Path("lib.csv"), [LibraryEntry(cid, f"name-{cid}", review_status=s)
                                          for cid, s in statuses.items()])  # fmt: skip


def check(tmp_path: Path, text: str, **kw):
    path = tmp_path / "ads.csv"
    path.write_text(text, encoding="utf-8")
    return validate_csv(path, **kw)


def test_a_valid_native_file_has_no_problems(tmp_path: Path) -> None:
    report = check(tmp_path, NATIVE_HEADER + GOOD, library=library(), require_approved=True)
    assert report.ok and report.ads == 1 and report.spec and report.spec.file_label == "Native"


CASES = [
    ("missing column",
     '"Ad Name","Target URL","Video Creative ID","Headline","Brand Name"\n'
     '"A","https://a.example/","1000000001","Teen","Acme"\n',
     ProblemKind.MISSING_COLUMN, 1, "lacks column 'Thumbnail Creative ID'"),
    ("unknown format", "Name,URL\nA,https://a.example/\n", ProblemKind.UNKNOWN_FORMAT, 1,
     "not a known campaign CSV format"),
    ("columns out of order",
     '"Target URL","Ad Name","Video Creative ID","Thumbnail Creative ID","Headline","Brand Name"\n',
     ProblemKind.UNKNOWN_FORMAT, 1, "template order"),
    ("empty required field",
     NATIVE_HEADER + GOOD + '"Ad Two","https://a.example/","1000000001","1000000002","","Acme"\n',
     ProblemKind.EMPTY_FIELD, 3, "Headline is empty"),
    ("headline over 87", NATIVE_HEADER + GOOD.replace('"Teen"', '"' + "H" * 88 + '"'),
     ProblemKind.LIMIT, 2, "Headline is 88 characters, the limit is 87"),
    ("brand over 25", NATIVE_HEADER + GOOD.replace('"Acme"', '"' + "B" * 26 + '"'),
     ProblemKind.LIMIT, 2, "Brand Name is 26 characters, the limit is 25"),
    ("ad name over 64", NATIVE_HEADER + GOOD.replace('"Ad One"', '"' + "N" * 65 + '"'),
     ProblemKind.LIMIT, 2, "Ad Name is 65 characters"),
    ("cta text over 25",
     PREROLL_HEADER + "Ad,https://a.example/,1000000001," + "C" * 26 + ",,,,,,\n",
     ProblemKind.LIMIT, 2, "Custom CTA Text is 26 characters"),
    ("banner subtitle over 30",
     PREROLL_HEADER + "Ad,https://a.example/,1000000001,,,,," + "S" * 31 + ",,\n",
     ProblemKind.LIMIT, 2, "Banner CTA Subtitle is 31 characters, the limit is 30"),
    ("too many ads", NATIVE_HEADER + GOOD * 51, ProblemKind.LIMIT, 0, "at most 50"),
    ("not a creative id", NATIVE_HEADER + GOOD.replace('"1000000002"', '"abc"'),
     ProblemKind.BAD_ID, 2, "'abc' is not a creative ID"),
    ("not in library", NATIVE_HEADER + GOOD.replace('"1000000002"', '"1000000999"'),
     ProblemKind.NOT_IN_LIBRARY, 2, "1000000999 is not in the library cache"),
    ("unknown macro", NATIVE_HEADER + GOOD.replace("{CampaignID}", "{Campaign}"),
     ProblemKind.UNKNOWN_MACRO, 2, "unknown macro {Campaign}"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind", "line", "words"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_each_problem_is_reported_with_its_line(
    tmp_path: Path, text: str, kind: ProblemKind, line: int, words: str
) -> None:
    report = check(tmp_path, text, library=library())
    found = report.of_kind(kind)
    assert found, report.lines()
    assert any(p.line == line and words in p.message for p in found), report.lines()
    assert any(s.startswith(f"{tmp_path / 'ads.csv'}") for s in report.lines())


def test_not_approved_only_when_asked(tmp_path: Path) -> None:
    lib = library({"1000000001": "approved", "1000000002": "pending"})
    assert check(tmp_path, NATIVE_HEADER + GOOD, library=lib).ok
    report = check(tmp_path, NATIVE_HEADER + GOOD, library=lib, require_approved=True)
    [problem] = report.problems
    assert problem.kind is ProblemKind.NOT_APPROVED and problem.creative_id == "1000000002"
    assert "pending, not approved" in problem.message


def test_every_offending_row_is_listed(tmp_path: Path) -> None:
    rows = GOOD.replace('"Acme"', '"' + "B" * 30 + '"') * 4
    report = check(tmp_path, NATIVE_HEADER + rows)
    assert [p.line for p in report.of_kind(ProblemKind.LIMIT)] == [2, 3, 4, 5]


def test_a_file_over_500_kb_is_reported(tmp_path: Path) -> None:
    # 500 KB as the platform counts it: 512,000 bytes. 510,000 bytes pass, 513,000 do not.
    def sized(total: int) -> str:
        head = NATIVE_HEADER
        pad = total - len(head) - len(GOOD) * 40
        filler = GOOD.replace("{CampaignID}", "{CampaignID}&p=" + "x" * (pad // 40))
        return head + filler * 40

    under, over = sized(510_000), sized(513_000)
    assert 505_000 < len(under) <= 512_000 < len(over)
    assert not check(tmp_path, under).problems
    report = check(tmp_path, over)
    assert any("bytes; the platform takes at most 512000" in p.message for p in report.problems)


def test_a_broken_file_is_one_problem_not_a_crash(tmp_path: Path) -> None:
    report = check(tmp_path, NATIVE_HEADER + GOOD + '"a","b","c","d","e","f","g","h"\n')
    [problem] = report.problems
    assert problem.kind is ProblemKind.UNREADABLE
    missing = validate_csv(tmp_path / "nope.csv")
    assert missing.problems[0].kind is ProblemKind.UNREADABLE
