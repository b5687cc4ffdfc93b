"""Refused creative IDs: read from the validation banner's text, matched to the file's ads."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.settings import Settings
from automation.uploaders.trafficjunky.campaign_pages import CsvIssue, issues_from_banner
from automation.uploaders.trafficjunky.mass_create import MassCreate
from automation.uploaders.trafficjunky.mass_create_jobs import (
    CampaignJob,
    JobResult,
    JobStatus,
    action_for,
)

HEADING = "At least one issue was detected. Review the following and reupload the CSV"
CATEGORY = (
    "You can only use creatives that match with the campaign content category you selected. "
    "The following creatives are not valid: 1032473171, 1032473181"
)


def test_every_id_of_a_sentence_is_refused_with_that_sentence() -> None:
    issues = issues_from_banner(f"{HEADING}\n{CATEGORY}\n")
    assert issues == [CsvIssue(CATEGORY, "1032473171"), CsvIssue(CATEGORY, "1032473181")]
    assert "content category" in action_for(issues[0].message)


def test_a_reason_on_its_own_line_stays_with_the_ids_that_follow() -> None:
    lead, ids = CATEGORY.split(" The following")
    issues = issues_from_banner(f"{HEADING}\n\n{lead}\nThe following{ids}")
    assert [i.creative_id for i in issues] == ["1032473171", "1032473181"]
    assert all(i.message.startswith("You can only use creatives") for i in issues)


def test_heading_and_sentence_on_one_line_still_give_the_ids() -> None:
    issues = issues_from_banner(f"{HEADING}. {CATEGORY}")
    assert [i.creative_id for i in issues] == ["1032473171", "1032473181"]


def test_sentences_without_a_creative_are_issues_without_an_id() -> None:
    issues = issues_from_banner(f"{HEADING}\nRow 2: Headline is longer than 87 characters.")
    assert issues == [CsvIssue("Row 2: Headline is longer than 87 characters.")]


def test_short_numbers_are_not_creative_ids() -> None:
    issues = issues_from_banner(f"{HEADING}\nRow 12: Brand Name is longer than 25 characters.")
    assert [i.creative_id for i in issues] == [None]


class ScriptedPage:
    """Stands in for the ad settings page: answers each set_csv with the next list of issues."""

    def __init__(self, *answers: list[CsvIssue]) -> None:
        self.answers = list(answers)
        self.files: list[Path] = []

    def set_csv(self, path: Path) -> list[CsvIssue]:
        self.files.append(path)
        return self.answers.pop(0)


def native_file(path: Path, pairs: list[tuple[str, str]]) -> CampaignJob:
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write('"Ad Name","Target URL","Video Creative ID","Thumbnail Creative ID",'
                     'Headline,"Brand Name"\n')  # fmt: skip
        for n, (video, thumb) in enumerate(pairs):
            handle.write(f'"Ad {n}","https://a.test/","{video}","{thumb}","Headline","Brand"\n')
    return CampaignJob("1004210", path)


def test_only_ids_the_file_uses_are_recorded_as_refused(tmp_path: Path) -> None:
    job = native_file(tmp_path / "ads.csv", [("1000000010", "1000000020"),
                                             ("1000000030", "1000000040")])  # fmt: skip
    stray = CsvIssue("Campaign 1234567890 has issues.", "1234567890")
    refused = CsvIssue(CATEGORY.replace("1032473171, 1032473181", "1000000040"), "1000000040")
    page = ScriptedPage([stray, refused], [])
    result = JobResult(job, JobStatus.FAILED, submitted=2)
    MassCreate(Settings(workspace=tmp_path), "run-1", live=True)._submit(page, result, job.csv_file)  # type: ignore[arg-type]
    assert [i.creative_id for i in result.invalid] == ["1000000040"]
    assert result.submitted == 1 and result.cleaned_csv == page.files[1]
    assert "1000000010" in page.files[1].read_text()
    assert "1000000040" not in page.files[1].read_text()


def test_a_number_the_file_does_not_use_refuses_the_file_with_the_pages_words(
    tmp_path: Path,
) -> None:
    job = native_file(tmp_path / "ads.csv", [("1000000010", "1000000020")])
    page = ScriptedPage([CsvIssue("Campaign 1234567890 has issues.", "1234567890")])
    result = JobResult(job, JobStatus.FAILED, submitted=1)
    mass = MassCreate(Settings(workspace=tmp_path), "run-1", live=True)
    with pytest.raises(Exception, match="refused the file: Campaign 1234567890 has issues"):
        mass._submit(page, result, job.csv_file)  # type: ignore[arg-type]
    assert result.invalid == []
