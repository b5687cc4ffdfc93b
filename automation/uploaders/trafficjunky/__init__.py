"""TrafficJunky: web UI uploads (its API cannot create creatives)."""

PLATFORM = "trafficjunky"
