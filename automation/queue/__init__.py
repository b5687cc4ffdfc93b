"""Scaling out: work queued on Celery with a Redis broker, run by `creative-flow worker`.

Nothing here is imported unless a broker is configured (`--queue` or CREATIVE_FLOW_BROKER); without
one every command runs in its own process as it always did.
"""
