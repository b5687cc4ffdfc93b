"""The error tree: each expected failure carries the exit code the CLI returns for it."""

from __future__ import annotations

from enum import IntEnum

from creatives.errors import MediaError
from tracking.errors import RecordsError


class ExitCode(IntEnum):
    """Process exit codes, stable for scripts that call the CLI."""

    OK = 0
    UNEXPECTED = 1
    USAGE = 2
    AUTH_REQUIRED = 3
    PLATFORM = 4
    MEDIA = 5
    RECORDS = 6
    PARTIAL = 7
    INTERRUPTED = 130
    BROKEN_PIPE = 141  # the reader of our output went away (e.g. `... | head`)


# What each exit code means and what to do: one kind of cause per code (shown in --help).
EXIT_CODE_CAUSES: dict[ExitCode, str] = {
    ExitCode.OK: "done",
    ExitCode.UNEXPECTED: "unexpected error (a bug: rerun with --verbose and report it)",
    ExitCode.USAGE: "bad options, settings or .env: change how the command is called",
    ExitCode.AUTH_REQUIRED: "no valid session: log in again ('creative-flow login')",
    ExitCode.PLATFORM: "the platform did not behave as expected (see the saved artifacts)",
    ExitCode.MEDIA: "a media file cannot be used: replace or fix that file",
    ExitCode.RECORDS: "a record file or folder is damaged, locked or not writable: repair it",
    ExitCode.PARTIAL: "some items failed, the rest were done and recorded",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C), running the command again resumes",
    ExitCode.BROKEN_PIPE: "the reader of the output went away",
}
EXIT_CODES_HELP = (
    "Exit codes: "
    + "; ".join(f"{int(code)} {cause}" for code, cause in EXIT_CODE_CAUSES.items())
    + "."
)


class CreativeFlowError(Exception):
    """An expected failure: printed as one line, never as a traceback (unless --verbose)."""

    exit_code: ExitCode = ExitCode.UNEXPECTED

    def __init__(self, message: str, *, artifacts: list[str] | None = None) -> None:
        super().__init__(message)
        self.artifacts = list(artifacts or [])

    def __str__(self) -> str:
        text = super().__str__()
        if self.artifacts:
            text += f" (saved: {', '.join(self.artifacts)})"
        return text


class ConfigError(CreativeFlowError):
    """Bad options, settings or environment: the user must change how the tool is called."""

    exit_code = ExitCode.USAGE


class AuthRequiredError(CreativeFlowError):
    """No valid platform session: the user must log in again."""

    exit_code = ExitCode.AUTH_REQUIRED


class PlatformError(CreativeFlowError):
    """The platform (or its page) did not behave as expected."""

    exit_code = ExitCode.PLATFORM


class PartialFailure(CreativeFlowError):
    """Some items failed; the rest were done and recorded."""

    exit_code = ExitCode.PARTIAL


def exit_code_for(exc: BaseException) -> ExitCode:
    """The exit code for any exception, including the libraries' own error types."""
    if isinstance(exc, CreativeFlowError):
        return exc.exit_code
    if isinstance(exc, MediaError):
        return ExitCode.MEDIA
    if isinstance(exc, RecordsError):
        return ExitCode.RECORDS
    if isinstance(exc, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    return ExitCode.UNEXPECTED


def is_expected(exc: BaseException) -> bool:
    """Whether the error is a known failure that prints as one clean line."""
    return isinstance(exc, CreativeFlowError | MediaError | RecordsError)
