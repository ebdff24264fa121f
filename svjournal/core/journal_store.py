"""Settings changes, drafts of forms and the export log; part of `Journal` (settings reads
are in `journal_base`, since every part obeys them)."""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlmodel import col, select

from svjournal.core import logsafe
from svjournal.core import validation as v
from svjournal.core.errors import ValidationError
from svjournal.core.i18n import tr
from svjournal.core.journal_base import JournalBase
from svjournal.core.models import Draft, ExportLogEntry, Setting
from svjournal.core.records import DraftRecord, ExportLogRecord, record_of
from svjournal.core.settings import check_setting

# The name this logger always had (the export line is the journal service's).
log = logging.getLogger("svjournal.core.journal")

# Export kinds the log may name (any other kind is written as <withheld>).
LOGGED_EXPORT_KINDS = (
    "backup",
    "personal-export",
    "calendar",
    "chart",
    "team_bundle",
    "report-pdf",
    "report-xlsx",
    "report-csv",
)
logsafe.allow_words(*LOGGED_EXPORT_KINDS)


class StorePart(JournalBase):
    """Change settings, keep drafts across a lock, log every export."""

    def set_setting(self, key: str, value: Any) -> None:
        check_setting(key, value)  # a key that is not a name (a list) is refused here
        self.set_settings({key: value})

    def set_settings(self, values: dict[str, Any]) -> None:
        """Change several settings in one transaction, after checking every one of them."""
        problems = v.Problems()
        checked: dict[str, Any] = {}
        for key, value in values.items():
            checked[key] = problems.check(check_setting, key, value)
        problems.raise_any()
        for key, value in checked.items():
            self.policy.check_change(key, value)
        with self._session() as s:
            for key, value in checked.items():
                row = s.get(Setting, key)
                if row is None:
                    s.add(Setting(key=key, value=value))
                else:
                    row.value = value
                    row.updated_at = self._clock()

    def save_draft(self, key: str, kind: str, payload: dict[str, Any]) -> None:
        v.text("draft key", key, max_len=200)
        v.text("draft kind", kind, max_len=200)
        if not isinstance(payload, dict):
            raise ValidationError("draft", tr("Must be a mapping of form fields."))
        try:
            json.dumps(payload, allow_nan=False)
        except (TypeError, ValueError):
            raise ValidationError("draft", tr("Holds something that cannot be kept.")) from None
        with self._session() as s:
            draft = s.get(Draft, key)
            if draft is None:
                s.add(Draft(key=key, kind=kind, payload=payload, updated_at=self._clock()))
            else:
                draft.kind, draft.payload, draft.updated_at = kind, payload, self._clock()

    def load_draft(self, key: str) -> DraftRecord | None:
        with self._session() as s:
            draft = s.get(Draft, key)
            return None if draft is None else record_of(DraftRecord, draft)

    def drafts(self) -> list[DraftRecord]:
        with self._session() as s:
            query = select(Draft).order_by(col(Draft.updated_at).desc())
            return [record_of(DraftRecord, d) for d in s.exec(query).all()]

    def discard_draft(self, key: str) -> None:
        with self._session() as s:
            draft = s.get(Draft, key)
            if draft is not None:
                s.delete(draft)

    def record_export(
        self, kind: str, destination: str, detail: str = "", *, records: int | None = None
    ) -> None:
        """Log an export: what kind, where to, how many records; never what it contained.

        `detail` stays positional for the callers that predate `records`.
        """
        if records is not None:
            v.integer("records", records, low=0, high=2**62)
        with self._session() as s:
            s.add(
                ExportLogEntry(
                    kind=kind,
                    destination=destination,
                    records=records,
                    detail=detail,
                    at=self._clock(),
                )
            )
        # The kind alone (a word of ours, see LOGGED_EXPORT_KINDS); never where, never what.
        log.info("export written: %s", kind)

    def export_log(self) -> list[ExportLogRecord]:
        """Every export, the newest first (with `records` where the export counted them)."""
        with self._session() as s:
            query = select(ExportLogEntry).order_by(col(ExportLogEntry.at).desc())
            return [record_of(ExportLogRecord, entry) for entry in s.exec(query).all()]
