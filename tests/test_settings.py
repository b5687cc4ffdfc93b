"""Settings come from defaults < .env < environment < CLI flags, and secrets never show."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from automation.errors import ConfigError
from automation.settings import Secret, install_redaction, load_settings


def test_defaults_point_at_the_real_platforms(tmp_path: Path) -> None:
    settings = load_settings(env_file=tmp_path / "absent.env", environ={})
    assert settings.workspace == Path("workspace")
    assert settings.tj_app_url.startswith("https://")
    assert settings.headless is True


def test_env_file_overrides_defaults_and_environment_overrides_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("CREATIVE_FLOW_WORKSPACE=/from/dotenv\nTJ_APP_URL=http://dotenv\n")
    settings = load_settings(env_file=env_file, environ={"TJ_APP_URL": "http://127.0.0.1:9/app"})
    assert settings.workspace == Path("/from/dotenv")
    assert settings.tj_app_url == "http://127.0.0.1:9/app"


def test_cli_flags_override_environment(tmp_path: Path) -> None:
    settings = load_settings(
        env_file=None,
        environ={"CREATIVE_FLOW_WORKSPACE": "/from/env", "CREATIVE_FLOW_HEADLESS": "true"},
        workspace=Path("/from/flag"),
        headless=False,
    )
    assert settings.workspace == Path("/from/flag")
    assert settings.headless is False


def test_flag_not_given_keeps_lower_layer(tmp_path: Path) -> None:
    settings = load_settings(env_file=None, environ={"CREATIVE_FLOW_SLOWMO": "120"}, slowmo_ms=None)
    assert settings.slowmo_ms == 120


def test_bad_value_is_a_config_error_naming_the_setting() -> None:
    with pytest.raises(ConfigError, match="slowmo_ms"):
        load_settings(env_file=None, environ={"CREATIVE_FLOW_SLOWMO": "fast"})


def test_secrets_never_appear_in_repr_or_str() -> None:
    settings = load_settings(
        env_file=None, environ={"TJ_PASSWORD": "hunter2-secret", "EXO_API_TOKEN": "tok-98765"}
    )
    text = repr(settings) + str(settings) + str(settings.tj_password)
    assert "hunter2-secret" not in text and "tok-98765" not in text
    assert settings.tj_password.reveal() == "hunter2-secret"
    assert Secret("x") == Secret("x")


def test_secret_values_are_redacted_from_logs(caplog: pytest.LogCaptureFixture) -> None:
    settings = load_settings(env_file=None, environ={"TJ_PASSWORD": "hunter2-secret"})
    logging.getLogger().addHandler(caplog.handler)
    install_redaction(settings)
    logging.getLogger("anything").warning("login with %s failed", "hunter2-secret")
    assert "hunter2-secret" not in caplog.text
    assert "********" in caplog.text


def test_env_example_documents_every_key() -> None:
    from automation.settings import ENV_KEYS

    example = (Path(__file__).parent.parent / ".env.example").read_text()
    for key in ENV_KEYS:
        assert f"{key}=" in example, f"{key} missing from .env.example"
