"""Reproducible performance measurements (not timed tests)."""
