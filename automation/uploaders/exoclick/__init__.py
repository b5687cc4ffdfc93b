"""ExoClick: uploads and ads through its REST API v2 (no browser)."""

PLATFORM = "exoclick"
