"""The browser launcher: starts Chromium, keeps sessions private, saves artifacts on failure."""

from __future__ import annotations

import stat
import sys
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from automation.browser import browser_run
from automation.errors import ConfigError, PlatformError
from automation.settings import Settings
from tests.fixtures.env import call_in_thread


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<html><head><title>Local</title></head><body><h1>Hello page</h1></body></html>"
        cookie = "sid=abc123"
        if self.path == "/rotate":  # a site replacing its session cookie, showing the old one
            body = f"<html><body><h1>Rotated</h1>{self.headers['Cookie']}</body></html>".encode()
            cookie = "sid=def456rotated"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Set-Cookie", f"{cookie}; Path=/")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def local_page() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_launch_opens_a_local_page_and_saves_a_private_session(
    local_page: str, workspace: Path
) -> None:
    settings = Settings(workspace=workspace)

    def first_run() -> tuple[str, Path]:
        with browser_run(settings, "testsite", "run-1") as run:
            assert run.page is not None
            run.page.goto(local_page)
            return run.page.get_by_role("heading").inner_text(), run.save_session()

    heading, saved = call_in_thread(first_run)
    assert heading == "Hello page"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert "abc123" in saved.read_text()

    def cookies_of_next_run() -> list[str]:
        with browser_run(settings, "testsite", "run-2") as run:
            assert run.context is not None
            return [c["value"] for c in run.context.cookies()]

    # The next run starts inside the saved session.
    assert "abc123" in call_in_thread(cookies_of_next_run)


def test_failure_saves_screenshot_and_html_and_names_them(local_page: str, workspace: Path) -> None:
    settings = Settings(workspace=workspace, timeout_ms=1500, trace=True)

    def failing_flow() -> None:
        with browser_run(settings, "testsite", "run-3") as run:
            assert run.page is not None
            run.page.goto(local_page)
            run.page.locator("#does-not-exist").click()

    with pytest.raises(PlatformError) as caught:
        call_in_thread(failing_flow)
    artifacts = workspace / "artifacts" / "run-3"
    names = sorted(p.suffix for p in artifacts.iterdir())
    assert names == [".html", ".png", ".zip"]
    assert "Hello page" in next(artifacts.glob("*.html")).read_text()
    for path in artifacts.iterdir():
        assert str(path) in str(caught.value)


def test_headed_mode_runs_under_a_virtual_display(
    local_page: str, workspace: Path, virtual_display: str
) -> None:
    settings = Settings(workspace=workspace, headless=False, slowmo_ms=10)

    def headed_flow() -> tuple[str, int]:
        with browser_run(settings, "testsite", "run-4") as run:
            assert run.page is not None
            run.page.goto(local_page)
            return run.page.title(), run.page.evaluate("() => window.outerWidth")

    title, width = call_in_thread(headed_flow)
    assert title == "Local"
    assert width > 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland displays")
def test_headed_without_a_display_is_one_line_saying_what_to_do(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    settings = Settings(workspace=workspace, headless=False)

    def headed_flow() -> None:
        with browser_run(settings, "testsite", "run-5"):
            pass

    with pytest.raises(ConfigError) as caught:
        call_in_thread(headed_flow)
    assert "needs a display" in str(caught.value) and "xvfb-run" in str(caught.value)


def _executable_shown_by(page) -> str:  # type: ignore[no-untyped-def]
    """The browser binary as Chromium itself reports it (a wrapper script is resolved)."""
    page.goto("chrome://version")
    return str(page.locator("#executable_path").inner_text()).strip()


def test_pytest_playwright_uses_the_same_chromium(page, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    def tools_executable() -> str:
        with browser_run(
            Settings(workspace=workspace), "testsite", "run-6", use_session=False
        ) as run:
            assert run.page is not None
            return _executable_shown_by(run.page)

    tests_executable = _executable_shown_by(page)
    assert tests_executable
    assert tests_executable == call_in_thread(tools_executable)


def _trace_bytes(path: Path) -> bytes:
    with zipfile.ZipFile(path) as trace:
        return b"".join(trace.read(name) for name in trace.namelist())


def test_a_trace_keeps_no_cookie_and_only_the_user_can_read_it(
    local_page: str, workspace: Path
) -> None:
    settings = Settings(workspace=workspace, trace=True)

    def traced_flow() -> None:
        with browser_run(settings, "testsite", "run-5") as run:
            assert run.page is not None
            run.page.goto(local_page)
            run.page.goto(local_page)  # this request sends the cookie the first one set

    call_in_thread(traced_flow)
    [trace] = (workspace / "artifacts" / "run-5").glob("trace-*.zip")
    content = _trace_bytes(trace)
    assert b"Hello page" in content, "the trace still shows the pages"
    assert b"abc123" not in content
    assert stat.S_IMODE(trace.stat().st_mode) == 0o600
    for folder in (trace.parent, trace.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_session_saved_in_the_run_stays_out_of_its_trace_once_the_site_replaces_it(
    local_page: str, workspace: Path
) -> None:
    settings = Settings(workspace=workspace, trace=True)

    def signing_in_flow() -> None:
        with browser_run(settings, "testsite", "run-7", use_session=False) as run:
            assert run.page is not None
            run.page.goto(local_page)
            run.save_session()  # the first session there is: nothing saved when the run began
            run.page.goto(f"{local_page}rotate")

    call_in_thread(signing_in_flow)
    [trace] = (workspace / "artifacts" / "run-7").glob("trace-*.zip")
    content = _trace_bytes(trace)
    assert b"Rotated" in content, "the trace still shows the page that held the saved cookie"
    assert b"abc123" not in content and b"def456rotated" not in content


def test_an_interrupted_debug_run_still_saves_its_trace(
    local_page: str, workspace: Path, virtual_display: str
) -> None:
    settings = Settings(workspace=workspace, debug=True, slowmo_ms=1)

    def interrupted_flow() -> None:
        with browser_run(settings, "testsite", "run-6") as run:
            assert run.page is not None
            run.page.goto(local_page)
            raise KeyboardInterrupt  # Ctrl-C while the run goes on (or sits paused)

    with pytest.raises(KeyboardInterrupt):
        call_in_thread(interrupted_flow)
    [trace] = (workspace / "artifacts" / "run-6").glob("trace-*.zip")
    assert b"Hello page" in _trace_bytes(trace)
