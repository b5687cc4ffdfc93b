"""Ad performance on the platforms: per-creative stats pulled by API, and pausing ads."""
