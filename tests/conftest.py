"""Shared test wiring: fixture modules live in tests/fixtures/, one per concern."""

pytest_plugins = [
    "tests.fixtures.env",
    "tests.fixtures.browser",
    "tests.fixtures.media",
    "tests.fixtures.sandbox",
    "tests.fixtures.redis",
]
