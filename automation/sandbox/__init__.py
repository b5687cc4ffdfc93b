"""Local stand-in platforms for tests, the demo and rehearsal."""
