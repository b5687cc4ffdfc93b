"""Page loads retry a failing server with reloads, then give up with one clear line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from automation.uploaders.base import TransientError
from automation.uploaders.trafficjunky import navigator
from automation.uploaders.trafficjunky.navigator import Navigator


@dataclass
class _Answer:
    status: int


class _Page:
    """Just enough of a page: its reloads answer the given statuses in turn."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.reloads = 0

    def on(self, event: str, handler: Any) -> None:
        pass

    def reload(self, wait_until: str) -> _Answer:
        self.reloads += 1
        return _Answer(self.statuses.pop(0))


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(navigator, "NAV_BACKOFF_S", 0.0)


def test_a_server_error_is_reloaded_until_the_page_loads() -> None:
    page = _Page([502, 503, 200])
    Navigator(page).navigate(lambda: _Answer(500), "media library", signed_in=False)  # type: ignore[arg-type, return-value]
    assert page.reloads == 3


def test_a_server_that_keeps_failing_is_one_transient_error() -> None:
    page = _Page([500, 500, 500, 500])
    with pytest.raises(TransientError) as caught:
        Navigator(page).navigate(lambda: _Answer(500), "media library", signed_in=False)  # type: ignore[arg-type, return-value]
    assert str(caught.value) == (
        f"trafficjunky: media library: server answered 500 after {navigator.NAV_ATTEMPTS} attempts"
    )
    assert page.reloads == navigator.NAV_ATTEMPTS - 1
