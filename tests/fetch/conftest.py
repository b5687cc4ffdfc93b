"""The sandbox media site as the fetch tests see it, and a CLI runner for module-wide runs."""

from __future__ import annotations

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from automation.cli import invoke
from automation.sandbox import media_site
from automation.sandbox.server import SandboxServer
from automation.settings import ENV_KEYS
from tests.fixtures.env import CliResult, call_in_thread
from tests.fixtures.sandbox import Sandbox
from tracking import downloads

# Fast, still real: no rate limit and tiny backoffs keep a whole-site run to a few seconds.
QUICK = ("--rate", "0", "--backoff", "0.01", "--backoff-max", "0.05", "--timeout", "10")


@dataclass
class MediaSite:
    """The media site of a running sandbox: URLs and the server's request log."""

    server: SandboxServer

    @property
    def base(self) -> str:
        return self.server.url + media_site.URL_PREFIX

    @property
    def listing(self) -> str:
        return f"{self.base}/videos"

    def url(self, path: str) -> str:
        """Absolute URL of a catalogue path such as /media/clip-3.mp4."""
        return self.base + path

    def hits(self, name: str) -> list[float]:
        return media_site.hits(self.server.state, name)

    def expected(self) -> dict[str, str]:
        """Absolute URL -> what a correct fetch does with it ("keep" or a reason)."""
        return {self.url(i.path): i.expect for page in media_site.CATALOGUE for i in page}


@pytest.fixture(scope="session")
def generated_media() -> Path:
    """The site's media, generated once for the session."""
    return media_site.media_dir()


@pytest.fixture
def site(sandbox: Sandbox, generated_media: Path) -> MediaSite:
    """The media site, its request counters reset."""
    return MediaSite(sandbox.server)


def run_tool(home: Path, *args: str | Path) -> CliResult:
    """`creative-flow ARGS` in-process, outside any function-scoped fixture."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        for key in list(os.environ):
            if key in ENV_KEYS or key.startswith(("CREATIVE_FLOW_", "TJ_", "EXO_")):
                mp.delenv(key, raising=False)
        mp.setenv("COLUMNS", "200")
        home.mkdir(parents=True, exist_ok=True)
        mp.chdir(home)
        with redirect_stdout(out), redirect_stderr(err):
            code = call_in_thread(invoke, [str(a) for a in args])
    return CliResult(int(code), out.getvalue(), err.getvalue())


def final_rows(workspace: Path) -> dict[str, dict[str, str]]:
    """URL -> its last downloads.csv row (the URL's outcome)."""
    rows = downloads.load(workspace / "records" / "downloads.csv")
    return {r["url"]: r for r in rows}


def rows_of(workspace: Path, url: str) -> list[dict[str, str]]:
    return [r for r in downloads.load(workspace / "records" / "downloads.csv") if r["url"] == url]
