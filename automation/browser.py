"""Chromium launch, per-platform saved sessions, tracing and failure artifacts."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from automation.artifacts import make_private, private_dir, scrub_file, storage_secrets
from automation.errors import AuthRequiredError, ConfigError, CreativeFlowError, PlatformError
from automation.settings import Settings
from tracking.csvstore import atomic_write_text, locked
from tracking.workspace import Workspace

log = logging.getLogger(__name__)

# A closed network refuses Chromium's background services; these keep it quiet and quick.
CLOSED_NETWORK_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
SYSTEM_CHROMIUMS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


@dataclass(frozen=True)
class ChromiumInfo:
    """Where the browser is and how it was found."""

    path: Path
    source: str  # "setting", "playwright", "system"


def _bundled_chromium(playwright: Playwright | None) -> Path | None:
    try:
        if playwright is not None:
            candidate = Path(playwright.chromium.executable_path)
        else:
            with sync_playwright() as p:
                candidate = Path(p.chromium.executable_path)
    except Exception:  # the driver can fail to start on an odd machine; fall back to the system
        return None
    return candidate if candidate.exists() else None


def find_chromium(settings: Settings, playwright: Playwright | None = None) -> ChromiumInfo | None:
    """Explicit setting, else Playwright's bundled browser, else the distribution's chromium."""
    if settings.chromium_path is not None:
        if not settings.chromium_path.exists():
            raise ConfigError(
                f"CREATIVE_FLOW_CHROMIUM={settings.chromium_path} does not exist; "
                "fix the path or unset it"
            )
        return ChromiumInfo(settings.chromium_path, "setting")
    bundled = _bundled_chromium(playwright)
    if bundled is not None:
        return ChromiumInfo(bundled, "playwright")
    for name in (*SYSTEM_CHROMIUMS, "chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return ChromiumInfo(Path(found), "system")
    return None


def chromium_args() -> list[str]:
    """Launch flags: closed-network switches, plus --no-sandbox when running as root."""
    args = list(CLOSED_NETWORK_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start its sandbox as root
    return args


def launch_options(settings: Settings, playwright: Playwright | None = None) -> dict[str, Any]:
    """Keyword arguments for `chromium.launch` from settings (shared with the test suite)."""
    info = find_chromium(settings, playwright)
    if info is None:
        raise ConfigError(
            "no Chromium found: run 'make setup' (or 'playwright install chromium', or "
            "'apt-get install chromium'), or set CREATIVE_FLOW_CHROMIUM"
        )
    headless = settings.headless and not settings.debug
    slowmo = settings.slowmo_ms or (250 if settings.debug else 0)
    return {
        "executable_path": str(info.path),
        "args": chromium_args(),
        "headless": headless,
        "slow_mo": slowmo,
    }


def save_storage_state(context: BrowserContext, path: Path) -> dict[str, Any]:
    """Save a context's session to `path`, readable only by the user (0600, folder 0700).

    Returns the session saved.
    """
    state = dict(context.storage_state())
    private_dir(path.parent)
    # Workers on several machines share the file: one writer at a time, readers see whole files.
    with locked(path):
        atomic_write_text(path, json.dumps(state), mode=0o600)
    return state


def check_session_file(path: Path) -> None:
    """A saved session that cannot be read raises AuthRequiredError saying to log in again."""
    try:
        state = json.loads(path.read_bytes().decode("utf-8"))
        if not isinstance(state, dict) or not isinstance(state.get("cookies", []), list):
            raise ValueError("not a saved browser session")
    except OSError as exc:
        raise AuthRequiredError(
            f"{path}: cannot read the saved session ({exc.strerror}); fix its permissions "
            "(chmod 600) or log in again with 'creative-flow login'"
        ) from None
    except ValueError:
        raise AuthRequiredError(
            f"{path}: the saved session is damaged; log in again with 'creative-flow login'"
        ) from None


def saved_session_secrets(path: Path) -> list[str]:
    """The cookie and stored values of a saved session ([] when there is none or it is damaged)."""
    if not path.exists():
        return []
    with suppress(OSError, ValueError):  # a damaged session file holds nothing usable
        state = json.loads(path.read_text("utf-8"))
        if isinstance(state, dict):
            return storage_secrets(state)
    return []


def session_age_s(path: Path) -> float | None:
    """Seconds since a saved session was written, or None when there is none."""
    return time.time() - path.stat().st_mtime if path.exists() else None


@dataclass
class BrowserRun:
    """One browser flow for one platform: its context, page, session file and artifacts."""

    settings: Settings
    platform: str
    run_id: str
    use_session: bool = True
    playwright: Playwright | None = None
    browser: Browser | None = None
    context: BrowserContext | None = None
    page: Page | None = None
    trace_path: Path | None = None
    artifacts: list[Path] = field(default_factory=list)
    tracing_on: bool = False
    # The saved session's values: read when the run starts and added to on every save.
    session_secrets: list[str] = field(default_factory=list, init=False, repr=False)

    @property
    def workspace(self) -> Workspace:
        return Workspace(self.settings.workspace)

    @property
    def session_file(self) -> Path:
        return self.workspace.session_file(self.platform)

    @property
    def artifacts_dir(self) -> Path:
        return self.workspace.artifacts_dir(self.run_id)

    @property
    def tracing(self) -> bool:
        return self.settings.trace or self.settings.debug

    def start(self) -> Page:
        """Launch the browser and open a page in this platform's (saved) session."""
        if self.use_session and self.session_file.exists():
            check_session_file(self.session_file)  # before a browser starts for nothing
        # Also when this run starts signed out: those values are still a live session of the user.
        self.session_secrets = saved_session_secrets(self.session_file)
        if self.settings.keep_browser:
            self.playwright, self.browser = _kept_browser(self.settings)
        else:
            self.playwright, self.browser = _launch(self.settings)
        state = self.session_file if self.use_session and self.session_file.exists() else None
        self.context = self.browser.new_context(
            storage_state=str(state) if state else None, accept_downloads=False
        )
        self.context.set_default_timeout(self.settings.timeout_ms)
        self.context.set_default_navigation_timeout(self.settings.timeout_ms)
        if self.tracing:
            self.start_tracing()
        self.page = self.context.new_page()
        return self.page

    def start_tracing(self) -> None:
        """Start recording a trace now (a flow that handles credentials starts it after them)."""
        assert self.context is not None, "browser not started"
        if not self.tracing_on:
            self.context.tracing.start(screenshots=True, snapshots=True, sources=False)
            self.tracing_on = True

    def save_session(self) -> Path:
        """Persist the current context's cookies and storage for later headless runs."""
        assert self.context is not None, "browser not started"
        saved = save_storage_state(self.context, self.session_file)
        # The site may replace these cookies later; pages and requests before that showed them.
        self.session_secrets += storage_secrets(saved)
        return self.session_file

    def capture_failure(self, label: str = "failure") -> list[Path]:
        """Save a screenshot and the page HTML of the current page into the run's artifacts."""
        saved: list[Path] = []
        if self.page is None or self.page.is_closed():
            return saved
        self._private_artifacts_dir()
        stamp = time.strftime("%H%M%S")
        shot = self.artifacts_dir / f"{label}-{stamp}.png"
        html = self.artifacts_dir / f"{label}-{stamp}.html"
        try:
            self.page.screenshot(path=str(shot), full_page=True)
            os.chmod(shot, 0o600)
            saved.append(shot)
        except Exception as exc:  # a crashed page cannot be photographed; keep going
            log.debug("screenshot failed: %s", exc)
        try:
            atomic_write_text(html, self.page.content(), mode=0o600)
            scrub_file(html, self._secrets())
            saved.append(html)
        except Exception as exc:
            log.debug("page html failed: %s", exc)
        self.artifacts.extend(saved)
        return saved

    def _private_artifacts_dir(self) -> Path:
        """The run's artifacts folder, and the artifacts root above it, both 0700."""
        private_dir(self.artifacts_dir.parent)
        return private_dir(self.artifacts_dir)

    def _secrets(self) -> list[str]:
        """Every value that would let someone act as the user: cookies, stored tokens, keys."""
        values = list(self.settings.secrets())
        if self.context is not None:
            try:
                values += storage_secrets(dict(self.context.storage_state()))
            except Exception as exc:  # a context gone with its browser has no cookies to hide
                log.debug("no storage state to scrub: %s", exc)
        return values + self.session_secrets

    def _stop_tracing(self) -> None:
        """Save the trace without any session in it, readable only by the user."""
        assert self.context is not None
        secrets = self._secrets()  # before the trace stops: the context still knows them
        self._private_artifacts_dir()
        self.trace_path = self.artifacts_dir / f"trace-{self.platform}.zip"
        self.context.tracing.stop(path=str(self.trace_path))
        self.tracing_on = False
        scrub_file(self.trace_path, secrets)
        self.artifacts.append(self.trace_path)

    def close(self) -> None:
        """Stop tracing (saving the trace), then close everything that was opened."""
        try:
            if self.context is not None and self.tracing_on:
                self._stop_tracing()
        finally:
            make_private(self.artifacts_dir)
            kept = self.settings.keep_browser  # the process's browser outlives this flow
            for closer in (self.context, None if kept else self.browser):
                if closer is not None:
                    try:
                        closer.close()
                    except Exception as exc:
                        log.debug("close failed: %s", exc)
            if self.playwright is not None and not kept:
                self.playwright.stop()
            self.context = self.browser = self.page = self.playwright = None


def _launch(settings: Settings) -> tuple[Playwright, Browser]:
    """Start Playwright and launch Chromium; a failure is one line saying what to do."""
    playwright = sync_playwright().start()
    try:
        return playwright, playwright.chromium.launch(**launch_options(settings, playwright))
    except Exception as exc:
        playwright.stop()
        if isinstance(exc, CreativeFlowError):
            raise
        headless = settings.headless and not settings.debug
        raise _launch_error(exc, headless=headless) from exc


# A worker's one browser for all its jobs (settings.keep_browser): each job still gets a context
# of its own (cookies, trace), but not a Chromium launch of a second or two.
_KEPT: list[tuple[Playwright, Browser]] = []


def _kept_browser(settings: Settings) -> tuple[Playwright, Browser]:
    """The process's kept browser, launched again if it is gone (crashed or closed)."""
    if _KEPT and _KEPT[0][1].is_connected():
        return _KEPT[0]
    while _KEPT:
        with suppress(Exception):
            _KEPT.pop()[0].stop()
    _KEPT.append(_launch(settings))
    return _KEPT[0]


def _launch_error(exc: Exception, *, headless: bool) -> ConfigError:
    """A failed launch as one line saying what to do (a missing display above all)."""
    no_display = not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
    if not headless and sys.platform.startswith("linux") and no_display:
        return ConfigError(
            "a headed browser needs a display and none is set (DISPLAY): run the command "
            "under 'xvfb-run', or without --headed/--debug (login: --headless where no "
            "captcha must be solved)"
        )
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ConfigError(f"Chromium did not start: {first}; 'creative-flow doctor' checks it")


@contextmanager
def browser_run(
    settings: Settings, platform: str, run_id: str, *, use_session: bool = True
) -> Iterator[BrowserRun]:
    """Run a flow in a browser; a failure saves artifacts and names them in the error."""
    run = BrowserRun(settings, platform, run_id, use_session=use_session)
    run.start()
    try:
        yield run
    except BaseException as exc:
        saved: list[Path] = []
        try:
            saved = run.capture_failure()
            page = run.page
            interrupted = isinstance(exc, KeyboardInterrupt)  # the person has already looked
            if settings.debug and page is not None and not settings.headless and not interrupted:
                page.pause()  # --debug: leave the page open for a person to look at
        finally:
            run.close()  # an interrupt while paused still saves the trace
        names = [str(p) for p in run.artifacts]
        if isinstance(exc, CreativeFlowError):
            exc.artifacts.extend(names)
            raise
        if isinstance(exc, KeyboardInterrupt | SystemExit) or not saved:
            raise
        raise PlatformError(f"{platform}: {type(exc).__name__}: {exc}", artifacts=names) from exc
    else:
        run.close()
