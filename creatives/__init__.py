"""Media processing without a browser: probe, naming, conversion, compression, spec checks."""
