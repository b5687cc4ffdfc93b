"""Placeholder while the pages are written."""

from __future__ import annotations

import flask

blueprint = flask.Blueprint("tj_campaigns", __name__)
