"""`creative-flow login trafficjunky`: a person solves the captcha; the session is saved."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.live import Live
from rich.text import Text

from automation.commands.common import (
    DebugOpt,
    SlowmoOpt,
    TraceOpt,
    app_context,
    console,
    err_console,
)
from automation.errors import ConfigError
from tracking.runs import new_run_id

# Platforms whose web UI needs a person at sign-in (ExoClick uses an API token instead).
BROWSER_LOGINS = ("trafficjunky",)


def register(app: typer.Typer) -> None:
    @app.command()
    def login(
        ctx: typer.Context,
        platform: Annotated[str, typer.Argument(help="Platform to sign in to.")] = "trafficjunky",
        timeout: Annotated[
            float,
            typer.Option("--timeout", min=1, help="Seconds to wait for the captcha to be solved."),
        ] = 300.0,
        headed: Annotated[
            bool,
            typer.Option(
                "--headed/--headless",
                help="Show the window (the default: you tick the captcha); --headless only "
                "where the captcha is off, e.g. a sandbox.",
            ),
        ] = True,
        slowmo: SlowmoOpt = None,
        trace: TraceOpt = False,
        debug: DebugOpt = False,
    ) -> None:
        """Open a browser on the sign-in page, fill the credentials from settings, wait while you
        tick the captcha, then save the session for headless runs (file mode 0600).

        --trace records only what happens after the platform accepted the sign-in (credentials
        are never in a trace); --debug keeps the window, slows it and pauses on a failure.

        Example: creative-flow login trafficjunky --timeout 120
        """
        # Playwright loads only when a login runs, not for --help.
        from automation.uploaders.trafficjunky.login import login as tj_login
        from automation.uploaders.trafficjunky.login import login_settings

        if platform.lower() not in BROWSER_LOGINS:
            raise ConfigError(
                f"{platform}: no browser login; choose from {', '.join(BROWSER_LOGINS)}"
            )
        settings = app_context(ctx).settings.with_overrides(slowmo_ms=slowmo)
        settings = login_settings(settings, headless=not headed, debug=debug)
        run_id = new_run_id()
        text = Text("")
        with Live(text, console=err_console, transient=True, auto_refresh=False) as live:

            def countdown(left: int) -> None:
                text.plain = f"Solve the captcha in the browser window: {left} s left"
                live.refresh()

            path = tj_login(
                settings, run_id, timeout_s=timeout, countdown=countdown, trace=trace or debug
            )
        console.print(f"logged in; session saved to {path}", markup=False, soft_wrap=True)
        trace_zip = settings.workspace / "artifacts" / run_id / "trace-trafficjunky.zip"
        if trace_zip.exists():
            console.print(f"trace: playwright show-trace {trace_zip}", markup=False, soft_wrap=True)
