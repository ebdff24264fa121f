"""Allow `python -m svjournal`."""

from svjournal.cli import entry_point

entry_point()
