"""Reading refused creative IDs from the text of the mass-create validation banner."""

from __future__ import annotations

from automation.uploaders.trafficjunky.campaign_pages import CsvIssue, issues_from_banner
from automation.uploaders.trafficjunky.mass_create_jobs import action_for

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
