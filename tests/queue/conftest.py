"""The queue tests use the fetch tests' media site."""

from tests.fetch.conftest import generated_media, site

__all__ = ["generated_media", "site"]
