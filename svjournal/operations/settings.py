"""Change settings: every value checked first, all saved in one transaction."""

from __future__ import annotations

from typing import Any

from svjournal.core.i18n import tr
from svjournal.core.journal import Journal
from svjournal.operations.changes import Changes
from svjournal.operations.recording import recorded
from svjournal.operations.result import OpResult


def change_settings(journal: Journal, values: dict[str, Any]) -> OpResult[None]:
    """Only the values that differ are written (and undone)."""
    changed = {k: v for k, v in values.items() if journal.setting(k) != v}
    keys = sorted(changed)
    return recorded(
        journal,
        tr("Change settings"),
        lambda: journal.set_settings(changed),
        lambda _none: Changes.of(settings=keys),
        setting_keys=keys,
    )
