"""Fixtures of the reliability tests, shared with the upload and ExoClick tests."""

from __future__ import annotations

from tests.exoclick.conftest import exo  # noqa: F401 - the ExoClick sandbox fixture
from tests.upload.conftest import tj  # noqa: F401 - the logged-in upload workspace fixture
