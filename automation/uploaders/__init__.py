"""Per-platform uploaders on a shared base."""
