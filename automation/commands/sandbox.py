"""`creative-flow sandbox serve`: run the local TrafficJunky stand-in to rehearse against."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated

import typer

from automation.commands.common import console

HELP = (
    "Run the local stand-in platform (TrafficJunky-like pages on 127.0.0.1).\n\n"
    "Example: creative-flow sandbox serve --port 8765 --seed 40"
)


def serve(
    port: Annotated[
        int,
        typer.Option(
            "--port",
            help="Port of the app site on 127.0.0.1; the sign-in site listens on the next port "
            "(0 = any free ports).",
        ),
    ] = 8765,
    seed: Annotated[
        int,
        typer.Option("--seed", metavar="N", help="Seed N demo creatives into an empty library."),
    ] = 0,
    captcha: Annotated[
        bool,
        typer.Option("--captcha/--no-captcha", help="Require ticking the captcha box to sign in."),
    ] = True,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db", help="Keep the sandbox's state in this SQLite file (default: temporary)."
        ),
    ] = None,
    log_requests: Annotated[
        bool, typer.Option("--log-requests", help="Print one line per request.")
    ] = False,
    variant: Annotated[
        str,
        typer.Option(
            "--variant",
            help="Serve a variant of the platform where its real behaviour is uncertain "
            "(default: the most likely real site; TrafficJunky's in "
            "automation/sandbox/variants.py, ExoClick's (exo-...) in exo_variants.py).",
        ),
    ] = "default",
) -> None:
    """Serve the sandbox until Ctrl-C.

    Example: creative-flow sandbox serve --seed 40 --no-captcha
    """
    # Imported here so that no other command loads the sandbox.
    from automation.errors import ConfigError
    from automation.sandbox.exo_api import store_for
    from automation.sandbox.exo_variants import EXO_VARIANTS
    from automation.sandbox.server import SandboxServer
    from automation.sandbox.state import DEMO_PASSWORD, DEMO_USERNAME
    from automation.sandbox.variants import VARIANTS

    if variant not in VARIANTS and variant not in EXO_VARIANTS:
        known = ", ".join([*VARIANTS, *(v for v in EXO_VARIANTS if v != "default")])
        raise ConfigError(f"sandbox: unknown --variant {variant!r}; one of {known}")
    server = SandboxServer(
        db_path=db,
        port=port,
        captcha=captcha,
        seed=seed,
        log_requests=log_requests,
        variant=variant if variant in VARIANTS else "default",
    )
    exo_store = store_for(server.state)
    for name, value in EXO_VARIANTS.get(variant, {}).items():
        exo_store.set_switch(name, value)
    try:
        server.start()
    except OSError as exc:
        server.close()
        raise ConfigError(
            f"sandbox: cannot listen on 127.0.0.1:{port} and the next port "
            f"({exc.strerror or exc}); "
            "choose another --port"
        ) from None
    _print_banner(
        server.url, server.signin_url, server.app_url, DEMO_USERNAME, DEMO_PASSWORD, captcha
    )
    _stop_on_sigterm()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        console.print("sandbox stopped")
    finally:
        server.close()


def _stop_on_sigterm() -> None:
    """Let `kill` stop the server as cleanly as Ctrl-C does (possible from the main thread only)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)


def _print_banner(
    url: str, signin_url: str, app_url: str, username: str, password: str, captcha: bool
) -> None:
    console.print(f"Sandbox running at {url} (app site)", markup=False)
    console.print(f"  sign-in page:  {signin_url} (sign-in site)", markup=False)
    console.print(f"  media library: {app_url}/media-library", markup=False)
    console.print(f"  campaigns:     {app_url}/campaigns", markup=False)
    console.print(f"  ground truth:  {url}/__sandbox__/truth", markup=False)
    console.print(f"Demo account: {username} / {password}", markup=False)
    console.print(f"Captcha: {'on (tick the box to sign in)' if captcha else 'off'}", markup=False)
    console.print("Point the tool here (environment or .env):", markup=False)
    console.print(f"  TJ_SIGNIN_URL={signin_url}", markup=False)
    console.print(f"  TJ_APP_URL={app_url}", markup=False)
    console.print(f"  TJ_USERNAME={username}", markup=False)
    console.print(f"  TJ_PASSWORD={password}", markup=False)
    from automation.sandbox.exo_api import DEMO_API_TOKEN, URL_PREFIX  # the ExoClick API plug-in

    console.print(f"  EXO_API_URL={url}{URL_PREFIX}", markup=False)
    console.print(f"  EXO_API_TOKEN={DEMO_API_TOKEN}", markup=False)
    from automation.sandbox import tj_api  # the TrafficJunky API plug-in

    console.print(f"  TJ_API_URL={url}{tj_api.URL_PREFIX}", markup=False)
    console.print(f"  TJ_API_KEY={tj_api.DEMO_API_KEY}", markup=False)
    console.print("Press Ctrl-C to stop.", markup=False)


def register(app: typer.Typer) -> None:
    sandbox_app = typer.Typer(help=HELP, no_args_is_help=True)
    sandbox_app.command("serve")(serve)
    app.add_typer(sandbox_app, name="sandbox")
