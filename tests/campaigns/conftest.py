"""Shared pieces of the campaign tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

URL = "https://acme.example/landing?c={CampaignID}&s={SpotID}&cat={category}"
BATCH_FILE = re.compile(
    r"^Batch(?P<batch>\d{3,})_(?P<stamp>\d{8}_\d{6})_(?P<label>Native|Preroll|VideoBanner|StaticBanner)"
    r"(?:_(?P<category>[A-Za-z0-9-]+?))?(?:_part(?P<part>\d+))?\.csv$"
)


def campaign_files(workspace: Path) -> list[Path]:
    """The campaign CSVs written into a workspace, by name."""
    folder = workspace / "records" / "campaigns"
    return sorted(folder.glob("Batch*.csv")) if folder.exists() else []


@pytest.fixture
def url() -> str:
    return URL
