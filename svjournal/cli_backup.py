"""`svjournal` sub-commands: (being written this session)."""

from __future__ import annotations

from svjournal.cli import CommandKit


def register(kit: CommandKit) -> None:
    """Add this module's sub-commands."""
