"""`creative-flow login trafficjunky`: a person solves the captcha; the session is saved."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.live import Live
from rich.text import Text

from automation.commands.common import SlowmoOpt, app_context, console, err_console
from automation.errors import ConfigError
from automation.uploaders.trafficjunky.login import login as tj_login
from automation.uploaders.trafficjunky.login import login_settings
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
        headless: Annotated[
            bool,
            typer.Option(
                "--headless", help="No window (only where the captcha is off, e.g. a sandbox)."
            ),
        ] = False,
        slowmo: SlowmoOpt = None,
    ) -> None:
        """Open a browser on the sign-in page, fill the credentials from settings, wait while you
        tick the captcha, then save the session for headless runs (file mode 0600).

        Example: creative-flow login trafficjunky --timeout 120
        """
        if platform.lower() not in BROWSER_LOGINS:
            raise ConfigError(
                f"{platform}: no browser login; choose from {', '.join(BROWSER_LOGINS)}"
            )
        settings = app_context(ctx).settings.with_overrides(slowmo_ms=slowmo)
        settings = login_settings(settings, headless=headless)
        text = Text("")
        with Live(text, console=err_console, transient=True, auto_refresh=False) as live:

            def countdown(left: int) -> None:
                text.plain = f"Solve the captcha in the browser window: {left} s left"
                live.refresh()

            path = tj_login(settings, new_run_id(), timeout_s=timeout, countdown=countdown)
        console.print(f"logged in; session saved to {path}", markup=False, soft_wrap=True)
