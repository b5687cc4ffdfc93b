"""The app a worker loads: `celery -A automation.queue.worker_app worker` or `creative-flow worker`.

Settings (broker, workspace, credentials) come from .env and the environment as for every command;
every `tasks_<kind>.py` module beside this one registers its tasks.
"""

from __future__ import annotations

import pkgutil
from importlib import import_module
from typing import Any

from celery import Celery

from automation import queue
from automation.errors import ConfigError
from automation.queue.app import make_app
from automation.settings import Settings, load_settings

# A module per kind of work; a new kind needs only its tasks_<kind>.py file here.
TASK_MODULES = tuple(
    sorted(
        f"{queue.__name__}.{info.name}"
        for info in pkgutil.iter_modules(queue.__path__)
        if info.name.startswith("tasks_")
    )
)


def build(settings: Settings) -> Celery:
    """The worker's app on the settings' broker, every task registered, made current."""
    if not settings.broker_url:
        raise ConfigError(
            "a worker needs a broker: set CREATIVE_FLOW_BROKER=redis://HOST:6379/0 or pass --queue"
        )
    app = make_app(settings.broker_url, visibility_s=settings.queue_visibility_s, settings=settings)
    app.set_current()
    app.set_default()
    for module in TASK_MODULES:
        import_module(module)
    app.finalize()
    return app


def __getattr__(name: str) -> Any:
    # `celery -A automation.queue.worker_app` asks for `app`: built from .env and the environment.
    if name == "app":
        globals()["app"] = built = build(load_settings())
        return built
    raise AttributeError(name)
