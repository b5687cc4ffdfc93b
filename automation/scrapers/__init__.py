"""Library pagination and media fetching."""
