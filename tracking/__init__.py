"""Records without a browser: CSV schemas, atomic stores, library cache, campaign CSVs."""
