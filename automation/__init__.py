"""creative-flow: browser-driven flows and the command line."""

__version__ = "0.1.0"
