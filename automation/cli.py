"""The one entry point, `creative-flow`: parse, call, map errors to exit codes."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import click
import typer
from rich.logging import RichHandler

from automation import __version__, commands
from automation.commands.common import AppContext, err_console
from automation.errors import EXIT_CODES_HELP, ExitCode, exit_code_for, is_expected
from automation.settings import install_redaction, load_settings

APP_HELP = (
    "Turn raw media into platform-ready ad creatives, upload them with proven IDs, and "
    "build campaign CSVs.\n\nExample: creative-flow --workspace ./workspace doctor"
) + ("\n\n" + EXIT_CODES_HELP)
# Global options that take a value (needed to find the command word in argv).
_VALUE_OPTIONS = {"--workspace", "-w", "--env-file"}
# Secret values in force, so that no error message can print them.
_SECRETS: list[str] = []


def _version(value: bool) -> None:
    if value:
        typer.echo(f"creative-flow {__version__}")
        raise typer.Exit()


def main(
    ctx: typer.Context,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Workspace folder [env CREATIVE_FLOW_WORKSPACE].",
            show_default="./workspace",
        ),
    ] = None,
    env_file: Annotated[
        Path, typer.Option("--env-file", help="Settings file read before the environment.")
    ] = Path(".env"),
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Debug logging; tracebacks on errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Global options; every command reads its settings from here."""
    settings = load_settings(env_file=env_file, workspace=workspace)
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=err_console, show_path=False, show_time=verbose)],
        force=True,
    )
    install_redaction(settings)
    _SECRETS[:] = settings.secrets()
    ctx.obj = AppContext(settings=settings, verbose=verbose)


def build_app(module_names: tuple[str, ...] = commands.COMMAND_MODULES) -> typer.Typer:
    """The Typer app with the global options and the commands of `module_names`."""
    built = typer.Typer(
        name="creative-flow",
        help=APP_HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    built.callback()(main)
    for module in commands.modules(module_names):
        module.register(built)
    return built


def command_word(argv: list[str]) -> str | None:
    """The command named in argv (the first word that is not a global option or its value)."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token == "--":
            return None
        elif token in _VALUE_OPTIONS:
            skip = True
        elif not token.startswith("-"):
            return token
    return None


def app_for(argv: list[str]) -> typer.Typer:
    """An app with just the module the command needs; every module for help or unknown words."""
    module = commands.COMMAND_INDEX.get(command_word(argv) or "")
    return build_app((module,) if module else commands.COMMAND_MODULES)


def __getattr__(name: str) -> typer.Typer:
    # `from automation.cli import app` gives the full app, built on first use.
    if name == "app":
        globals()["app"] = full = build_app()
        return full
    raise AttributeError(name)


def _redact(text: str) -> str:
    for secret in _SECRETS:
        text = text.replace(secret, "********")
    return text


def run(argv: list[str] | None = None) -> int:
    """Console-script entry: run the CLI and exit with the error tree's code."""
    code = invoke(argv)
    sys.exit(code)


def invoke(argv: list[str] | None = None) -> int:
    """Run the CLI in-process and return its exit code (used by tests and the entry point)."""
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "--verbose" in args or "-v" in args
    try:
        command = typer.main.get_command(app_for(args))
        with command.make_context("creative-flow", args) as ctx:
            command.invoke(ctx)
        return ExitCode.OK
    except (click.exceptions.Exit, typer.Exit) as exc:
        return int(exc.exit_code)
    except (click.exceptions.Abort, typer.Abort):
        err_console.print("aborted")
        return ExitCode.INTERRUPTED
    except (click.ClickException, typer.exceptions.TyperException) as exc:
        # Typer may carry its own copy of click: treat any click-style usage error alike.
        show = getattr(exc, "show", None)
        if show is None:
            raise
        show()
        return ExitCode.USAGE
    except BrokenPipeError:
        # Whoever read our output stopped reading: end quietly, like any Unix filter.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return ExitCode.BROKEN_PIPE
    except (KeyboardInterrupt, Exception) as exc:
        message = _redact(str(exc) or type(exc).__name__)
        if verbose:
            err_console.print_exception(show_locals=False)
        if is_expected(exc):
            err_console.print(f"error: {message}", markup=False, soft_wrap=True)
        elif isinstance(exc, KeyboardInterrupt):
            err_console.print("interrupted")
        else:
            err_console.print(
                f"unexpected error: {type(exc).__name__}: {message} (run with --verbose for "
                "the traceback)",
                markup=False,
                soft_wrap=True,
            )
        return exit_code_for(exc)
