"""The one entry point, `creative-flow`: parse, call, map errors to exit codes."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.logging import RichHandler

from automation import __version__, commands
from automation.commands import common
from automation.commands.common import AppContext, err_console
from automation.errors import EXIT_CODES_HELP, ConfigError, ExitCode, exit_code_for, is_expected
from automation.settings import install_redaction, load_settings

APP_HELP = (
    "Turn raw media into platform-ready ad creatives, upload them with proven IDs, and "
    "build campaign CSVs.\n\nExample: creative-flow --workspace ./workspace doctor"
) + ("\n\n" + EXIT_CODES_HELP)
# Global options that take a value (needed to find the command word in argv).
_VALUE_OPTIONS = {"--workspace", "-w", "--env-file"}
_E = TypeVar("_E", bound=Exception)
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
            envvar="CREATIVE_FLOW_WORKSPACE",
            show_envvar=True,
            help="Workspace folder (also accepted after the command word).",
            show_default="./workspace",
        ),
    ] = None,
    env_file: Annotated[
        Path | None,
        typer.Option(
            "--env-file",
            help="Settings file read before the environment (it must exist).",
            show_default="./.env when present",
        ),
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Debug logging; tracebacks on errors (also accepted after the command word).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Global options; every command reads its settings from here."""
    if env_file is not None and not env_file.exists():
        raise ConfigError(f"--env-file {env_file}: no such file; create it or leave --env-file out")
    settings = load_settings(env_file=env_file or Path(".env"), workspace=workspace)
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=err_console, show_path=False, show_time=verbose)],
        force=True,
    )
    install_redaction(settings)
    _SECRETS[:] = settings.secrets()
    ctx.obj = AppContext(settings=settings, verbose=verbose)


def _new_app() -> typer.Typer:
    # Plain Click help: it wraps text, shows env vars as written and no type of a flag.
    built = typer.Typer(
        name="creative-flow",
        help=APP_HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    built.callback()(main)
    return built


def build_app(module_names: tuple[str, ...] = commands.COMMAND_MODULES) -> typer.Typer:
    """The Typer app with the global options and the commands of `module_names`."""
    built = _new_app()
    for module in commands.modules(module_names):
        module.register(built)
    return built


def summary_app() -> typer.Typer:
    """The app as `creative-flow --help` lists it: every command by name and summary only.

    Importing the command modules pulls in pandas, yt-dlp and Playwright; the list of commands
    needs none of them.
    """
    built = _new_app()
    for name, summary in commands.COMMAND_SUMMARY.items():
        built.command(name, help=summary)(_not_loaded)
    return built


def _not_loaded() -> None:
    # Never reached: app_for() builds the real module's app whenever a command word is known.
    raise ConfigError("command not loaded")


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
    """An app with just the module the command needs; the summary app for help or unknown words."""
    module = commands.COMMAND_INDEX.get(command_word(argv) or "")
    return build_app((module,)) if module else summary_app()


def click_command(app: typer.Typer) -> Any:
    """The Click command of `app`, each subcommand listed with its summary from the index."""
    command = typer.main.get_command(app)
    for name, sub in getattr(command, "commands", {}).items():
        sub.short_help = commands.COMMAND_SUMMARY.get(name, sub.short_help)
    return command


def hoist_global_options(argv: list[str], command: Any) -> list[str]:
    """argv with -v/--verbose and -w/--workspace moved before the command word.

    Users type them after the command (`creative-flow report -v`); a command's own option of
    the same name (demo's --workspace) keeps it.
    """
    word = command_word(argv)
    sub = getattr(command, "commands", {}).get(word or "")
    if sub is None or word is None:
        return argv
    at = argv.index(word)
    own = {opt for param in sub.params for opt in param.opts}
    takes_value = {
        opt
        for param in sub.params
        if getattr(param, "param_type_name", "") == "option" and not getattr(param, "is_flag", True)
        for opt in param.opts
    }
    head, tail, moved = argv[:at], argv[at + 1 :], []
    kept: list[str] = []
    i = 0
    while i < len(tail):
        token = tail[i]
        name = token.split("=", 1)[0]
        if token == "--":
            kept.extend(tail[i:])
            break
        if name in own:
            kept.append(token)
            if name in takes_value and "=" not in token and i + 1 < len(tail):
                kept.append(tail[i + 1])
                i += 1
        elif name in ("-v", "--verbose"):
            moved.append(token)
        elif name in ("-w", "--workspace"):
            moved.append(token)
            if "=" not in token and i + 1 < len(tail):
                moved.append(tail[i + 1])
                i += 1
        else:
            kept.append(token)
        i += 1
    return [*head, *moved, word, *kept]


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


def parse_only(argv: list[str]) -> Any:
    """Parse argv as a run would, values converted and checked, without running anything.

    Raises Click's usage errors; returns the innermost (command) context.
    """
    command = click_command(app_for(argv))
    args = hoist_global_options(list(argv), command)
    ctx = command.make_context("creative-flow", args)
    if not hasattr(command, "resolve_command"):
        return ctx
    rest = [*ctx._protected_args, *ctx.args]
    if not rest:
        return ctx
    name, sub, sub_args = command.resolve_command(ctx, rest)
    assert sub is not None and name is not None
    return sub.make_context(name, sub_args, parent=ctx)


def _with_click(kind: type[_E], click_name: str) -> tuple[type[_E], ...]:
    """Typer's exception `kind`, and Click's own of that name when something has loaded Click.

    Typer carries its own copy of Click; the real one (Celery's worker runs on it) has the same
    attributes. It is not imported just to name its errors: none can be raised before it loads.
    """
    click = sys.modules.get("click")
    return (kind,) if click is None else (kind, getattr(click.exceptions, click_name))


def invoke(argv: list[str] | None = None) -> int:
    """Run the CLI in-process and return its exit code (used by tests and the entry point)."""
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "--verbose" in args or "-v" in args
    as_json = "--json" in args
    common.forget_json_printed()
    try:
        command = click_command(app_for(args))
        args = hoist_global_options(args, command)
        with command.make_context("creative-flow", args) as ctx:
            command.invoke(ctx)
        return ExitCode.OK
    except _with_click(typer.Exit, "Exit") as exc:
        return int(exc.exit_code)
    except _with_click(typer.Abort, "Abort"):
        return _fail("aborted", ExitCode.INTERRUPTED, as_json)
    except _with_click(typer.exceptions.TyperException, "ClickException") as exc:
        # Typer may carry its own copy of click: treat any click-style usage error alike.
        show = getattr(exc, "show", None)
        if show is None:
            raise
        if as_json:
            return _fail(exc.format_message(), ExitCode.USAGE, as_json)
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
            return _fail(message, exit_code_for(exc), as_json)
        if isinstance(exc, KeyboardInterrupt):
            return _fail("interrupted", exit_code_for(exc), as_json)
        return _fail(
            f"unexpected error: {type(exc).__name__}: {message} (run with --verbose for "
            "the traceback)",
            exit_code_for(exc),
            as_json,
            prefix="",
        )


def _fail(message: str, code: int, as_json: bool, prefix: str = "error: ") -> int:
    """Print one failure line (a JSON object under --json) and return its exit code."""
    if as_json:
        # A command that already printed its JSON result keeps stdout one document.
        stream = sys.stderr if common.json_printed() else sys.stdout
        print(json.dumps({"error": message, "exit_code": int(code)}), file=stream)
    else:
        err_console.print(f"{prefix}{message}", markup=False, soft_wrap=True)
    return code
