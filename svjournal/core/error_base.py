"""The base of every error the core raises on purpose, apart from the rest of errors.py so
that svjournal.core.i18n can build on it while errors.py translates its messages with it."""

from __future__ import annotations


class SvJournalError(Exception):
    """Base of every error the core raises on purpose."""
