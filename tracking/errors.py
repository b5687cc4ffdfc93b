"""Errors of the record stores."""


class RecordsError(Exception):
    """A record file is unreadable or cannot be written: the message names the file (and line)."""
