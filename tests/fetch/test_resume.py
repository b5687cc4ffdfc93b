"""An interrupted fetch leaves no partial file in the inbox, and the rerun fetches the rest once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fetch.conftest import QUICK, MediaSite, rows_of
from tests.fixtures.env import default_sigint
from tests.fixtures.sandbox import Sandbox
from tracking import downloads

pytestmark = pytest.mark.slow

CLIPS = ("/media/clip-3.mp4", "/watch/sunrise-run", "/watch/city-lights", "/watch/vertical-dance")


def _start_fetch(workspace: Path, urls: list[str]) -> subprocess.Popen[bytes]:
    code = "import sys; from automation.cli import run; run(sys.argv[1:])"
    argv = [sys.executable, "-c", code, "--workspace", str(workspace), "fetch", *urls, *QUICK]
    return subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=default_sigint
    )


def _wait_for_first_download(proc: subprocess.Popen[bytes], csv: Path, limit_s: float) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and proc.poll() is None:
        if csv.exists() and any(r["status"] == "downloaded" for r in downloads.load(csv)):
            return
        time.sleep(0.05)  # polling the records: the state we wait for
    raise AssertionError(f"no download recorded in {limit_s} s (exit {proc.poll()})")


def test_interrupted_run_resumes_without_refetching(
    workspace: Path, site: MediaSite, sandbox: Sandbox
) -> None:
    urls = [site.url(p) for p in CLIPS]
    csv = workspace / "records" / "downloads.csv"
    sandbox.switches(latency_ms=300)  # every request slow: the interrupt lands mid-run
    proc = _start_fetch(workspace, urls)
    _wait_for_first_download(proc, csv, limit_s=60)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()

    kept = {r["url"]: r for r in downloads.load(csv) if r["status"] == "downloaded"}
    assert 1 <= len(kept) < len(urls)
    inbox = sorted(p for p in (workspace / "inbox").rglob("*") if p.is_file())
    assert sorted(workspace / r["file"] for r in kept.values()) == inbox  # nothing half-written
    clip3_hits = len(site.hits("media/clip-3.mp4"))

    sandbox.switches(latency_ms=0)
    again = _start_fetch(workspace, urls)
    _out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err.decode()
    for url in urls:
        assert [r["status"] for r in rows_of(workspace, url)] == ["downloaded"], url
    assert len(site.hits("media/clip-3.mp4")) == clip3_hits  # the first file was not refetched
    assert len(list((workspace / "inbox").rglob("*.mp4"))) == len(urls)
    assert not (workspace / ".partial").exists()
    assert not any(".part" in p.name for p in (workspace / "inbox").rglob("*"))
    assert os.path.getsize(csv) > 0
