"""Layered settings: defaults < .env < environment < CLI flags."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dotenv import dotenv_values

from automation.errors import ConfigError
from tracking.thresholds import DEFAULT_MIN_IMPRESSIONS


class Secret:
    """A value that never shows itself in repr, str, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The real value, for the one place that must send it."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return "Secret('********')" if self._value else "Secret('')"

    __str__ = __repr__


@dataclass(frozen=True)
class Settings:
    """Everything the tool reads from its surroundings; see .env.example for every key."""

    workspace: Path = Path("workspace")
    chromium_path: Path | None = None
    headless: bool = True
    slowmo_ms: int = 0
    trace: bool = False
    debug: bool = False
    timeout_ms: int = 30_000
    # Per file, from when it starts processing: in-stream videos took up to 200 s on the real site.
    upload_timeout_s: float = 240.0
    jobs: int = 0
    # Performance views: fewer impressions than this is a small sample, flagged and not ranked.
    min_impressions: int = DEFAULT_MIN_IMPRESSIONS
    tj_signin_url: str = "https://www.trafficjunky.com/sign-in"
    tj_app_url: str = "https://advertiser.trafficjunky.com"
    tj_username: str = ""
    tj_password: Secret = field(default_factory=lambda: Secret(""))
    exo_api_url: str = "https://api.exoclick.com/v2"
    exo_api_token: Secret = field(default_factory=lambda: Secret(""))
    # Empty: every command runs in this process, as always. A redis:// URL: work goes to Celery.
    broker_url: str = ""
    # How long a job may run without a heartbeat before another worker may take it over.
    queue_lease_s: float = 30.0
    # How long the broker waits before it gives an unacknowledged task of a lost worker again.
    queue_visibility_s: float = 3600.0
    # A download that still fails after its in-run retries is queued again after base * 2**n s.
    fetch_requeue_base_s: float = 60.0
    fetch_requeues: int = 5
    # TrafficJunky's API (stats, pausing ads): its base URL and the account's API key.
    tj_api_url: str = "https://api.trafficjunky.com/api"
    tj_api_key: Secret = field(default_factory=lambda: Secret(""))
    # Queued browser work per platform account: mass-create sessions at once (their users ran
    # two or three browsers in parallel), and uploads at once into one library tab (1: a batch's
    # read-back of the tab must never see another batch's new cards).
    mass_create_sessions: int = 3
    library_upload_sessions: int = 1
    # Set by `creative-flow worker`: one Chromium per worker process, a new context per job.
    keep_browser: bool = False

    @property
    def records_dir(self) -> Path:
        return self.workspace / "records"

    @property
    def sessions_dir(self) -> Path:
        return self.workspace / "sessions"

    @property
    def artifacts_dir(self) -> Path:
        return self.workspace / "artifacts"

    def secrets(self) -> list[str]:
        """Every secret value in force, for log redaction."""
        tokens = (self.tj_password, self.exo_api_token, self.tj_api_key)
        values = [s.reveal() for s in tokens if s]
        broker_password = urlsplit(self.broker_url).password if self.broker_url else None
        return [*values, broker_password] if broker_password else values

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with CLI flags applied; None means 'flag not given'."""
        given = {k: v for k, v in overrides.items() if v is not None}
        unknown = set(given) - {f.name for f in fields(self)}
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return replace(self, **_coerce_all(given))


# Environment key -> Settings field. The order here is the order of .env.example.
ENV_KEYS: dict[str, str] = {
    "CREATIVE_FLOW_WORKSPACE": "workspace",
    "CREATIVE_FLOW_CHROMIUM": "chromium_path",
    "CREATIVE_FLOW_HEADLESS": "headless",
    "CREATIVE_FLOW_SLOWMO": "slowmo_ms",
    "CREATIVE_FLOW_TRACE": "trace",
    "CREATIVE_FLOW_TIMEOUT_MS": "timeout_ms",
    "CREATIVE_FLOW_UPLOAD_TIMEOUT_S": "upload_timeout_s",
    "CREATIVE_FLOW_JOBS": "jobs",
    "CREATIVE_FLOW_MIN_IMPRESSIONS": "min_impressions",
    "TJ_SIGNIN_URL": "tj_signin_url",
    "TJ_APP_URL": "tj_app_url",
    "TJ_USERNAME": "tj_username",
    "TJ_PASSWORD": "tj_password",
    "EXO_API_URL": "exo_api_url",
    "EXO_API_TOKEN": "exo_api_token",
    "CREATIVE_FLOW_BROKER": "broker_url",
    "CREATIVE_FLOW_QUEUE_LEASE_S": "queue_lease_s",
    "CREATIVE_FLOW_QUEUE_VISIBILITY_S": "queue_visibility_s",
    "CREATIVE_FLOW_FETCH_REQUEUE_BASE_S": "fetch_requeue_base_s",
    "CREATIVE_FLOW_FETCH_REQUEUES": "fetch_requeues",
    "TJ_API_URL": "tj_api_url",
    "TJ_API_KEY": "tj_api_key",
    "CREATIVE_FLOW_MASS_CREATE_SESSIONS": "mass_create_sessions",
    "CREATIVE_FLOW_LIBRARY_UPLOAD_SESSIONS": "library_upload_sessions",
}
_TYPES = {f.name: f.type for f in fields(Settings)}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _coerce(name: str, value: Any) -> Any:
    kind = str(_TYPES[name])
    if not isinstance(value, str):
        if "Secret" in kind and not isinstance(value, Secret):
            return Secret(str(value))
        if "Path" in kind and value is not None and not isinstance(value, Path):
            return Path(value)
        return value
    text = value.strip()
    try:
        if "Secret" in kind:
            return Secret(value)
        if "Path" in kind:
            return Path(text).expanduser() if text else None
        if kind == "bool":
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise ValueError("expected true/false")
        if kind == "int":
            return int(text)
        if kind == "float":
            return float(text)
    except ValueError as exc:
        raise ConfigError(f"setting {name}={value!r} is not valid: {exc}") from None
    return text


def _coerce_all(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _coerce(k, v) for k, v in values.items()}


def _from_mapping(source: Mapping[str, str | None]) -> dict[str, Any]:
    return {ENV_KEYS[k]: v for k, v in source.items() if k in ENV_KEYS and v is not None}


def load_settings(
    env_file: Path | None = Path(".env"),
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Build settings from defaults, then `.env`, then the environment, then CLI flags."""
    layered: dict[str, Any] = {}
    if env_file is not None and env_file.is_file():
        layered.update(_from_mapping(dotenv_values(env_file)))
    # The real environment always wins over .env (python-dotenv would not override it either).
    layered.update(_from_mapping(os.environ if environ is None else environ))
    settings = Settings(**_coerce_all(layered))
    return settings.with_overrides(**overrides)


class SecretRedactor(logging.Filter):
    """Replaces secret values in every log record with ********."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if len(s) >= 3]

    def filter(self, record: logging.LogRecord) -> bool:
        if self._secrets:
            message = record.getMessage()
            for secret in self._secrets:
                message = message.replace(secret, "********")
            record.msg, record.args = message, None
        return True


def install_redaction(settings: Settings) -> None:
    """Keep the settings' secrets out of every handler on the root logger."""
    redactor = SecretRedactor(settings.secrets())
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)
