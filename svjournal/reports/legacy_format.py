"""The retired team bundle (version 1, sealed with a team passphrase): payload and header.

Still read, for one release, so that bundles written before team keys import (with a notice
that the format is retired); nothing writes it any more.

A bundle carries de-identified records only: codes, counts and days. Left out on purpose,
field by field (models.py): the alias, the event date (an adverse event's day and unit can
name the incident, and so the clinician), closed_on, contact details, notes, stress zone,
red flags, interventions, needs met (sensitive or unused by any figure), the link from a
follow-up to its encounter, and all created/updated times. Free text never travels;
department codes do (programme categories made of [a-z0-9_]), department labels do not.

`live_case_ids` lists the ids of all the supporter's cases that still exist (random UUIDs,
nothing else): the coordinator drops cases the supporter has deleted since an earlier bundle.

`legacy_check.decode` checks every row of a payload before anything is written.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from svjournal.core.errors import FileDamaged, FileTooNew
from svjournal.core.i18n import tr
from svjournal.reports.bundle_format import RecordCount, encounter_payload

MAGIC = b"SVJBUNDLE\n"
FORMAT_NAME = "svjournal-team-bundle"
BUNDLE_VERSION = 1

CASE_COLUMNS = (
    "id",
    "kind",
    "role",
    "department",
    "event_category",
    "high_risk_events",
    "referral_source",
    "referred_on",
    "status",
    "current_stage",
    "outcome",
    "first_contact_on",
    "last_contact_on",
    "next_follow_up_on",
)
ENCOUNTER_COLUMNS = (
    "id",
    "case_id",
    "day",
    "mode",
    "duration_minutes",
    "group_size",
    "tier",
    "stage",
    "outcome",
    "triggered",
    "referrals",
    "support_declined",
)
FOLLOW_UP_COLUMNS = ("id", "case_id", "due_on", "method", "status", "done_on")

PAYLOAD_KEYS = frozenset(
    {
        "format",
        "bundle_version",
        "supporter_id",
        "period",
        "created",
        "case_columns",
        "cases",
        "encounter_columns",
        "encounters",
        "follow_up_columns",
        "follow_ups",
        "live_case_ids",
    }
)

# A random per-vault ID in Crockford's base32 (no I, L, O, U): 50 bits, easy to read aloud.
SUPPORTER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SUPPORTER_ID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$")


class BundleInvalid(FileDamaged):
    """The bundle opened, but a value in it is not one svjournal writes; nothing was taken.
    `problem` is a message (N_, in English: `self.problem`), said in the current language,
    its {fields} filled from `values`; `where` names the value (a row and a column code)."""

    def __init__(self, where: str, problem: str, **values: object) -> None:
        said = tr(problem).format(**values) if values else tr(problem)
        # Translators: {where} names the value ("case 3, department"), {problem} says what
        # is wrong with it ("not a department code").
        super().__init__(
            tr(
                "The bundle's contents are not valid ({where}: {problem}); nothing was imported."
            ).format(where=where, problem=said)
        )
        self.where = where
        self.problem = problem.format(**values) if values else problem


@dataclass(frozen=True)
class BundleData(RecordCount):
    """A checked bundle; rows are tuples in the column order above, database-ready."""

    supporter_id: str
    period_start: date
    period_end: date
    created: datetime
    cases: list[tuple[Any, ...]]
    encounters: list[tuple[Any, ...]]
    follow_ups: list[tuple[Any, ...]]
    live_case_ids: list[str]


def sealed_size(payload: bytes) -> int:
    """What `sealed.seal` appends after the header: the zlib stream (level 6, deterministic)
    and the 16-byte GCM tag."""
    return len(zlib.compress(payload, 6)) + 16


def encode(data: BundleData) -> bytes:
    """The payload bytes (JSON; the sealed format compresses them)."""

    def row(values: tuple[Any, ...], json_columns: Sequence[int]) -> list[Any]:
        out = list(values)
        for i in json_columns:
            out[i] = json.loads(out[i])
        return out

    payload = {
        "format": FORMAT_NAME,
        "bundle_version": BUNDLE_VERSION,
        "supporter_id": data.supporter_id,
        "period": [data.period_start.isoformat(), data.period_end.isoformat()],
        "created": data.created.isoformat(timespec="seconds"),
        "case_columns": list(CASE_COLUMNS),
        "cases": [row(c, (CASE_COLUMNS.index("high_risk_events"),)) for c in data.cases],
        "encounter_columns": list(ENCOUNTER_COLUMNS),
        "encounters": [encounter_payload(e, ENCOUNTER_COLUMNS) for e in data.encounters],
        "follow_up_columns": list(FOLLOW_UP_COLUMNS),
        "follow_ups": [list(f) for f in data.follow_ups],
        "live_case_ids": data.live_case_ids,
    }
    return json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def metadata(data: BundleData, sealed_bytes: int) -> dict[str, Any]:
    """The public header: who (a random ID), which period, when, how many; nothing else.

    `sealed_bytes`, the length of what follows the header, tells a truncated file from a
    wrong passphrase (AES-GCM alone cannot).
    """
    return {
        "sealed_bytes": sealed_bytes,
        "bundle_version": BUNDLE_VERSION,
        "supporter_id": data.supporter_id,
        "period_start": data.period_start.isoformat(),
        "period_end": data.period_end.isoformat(),
        "created": data.created.isoformat(timespec="seconds"),
        "cases": len(data.cases),
        "encounters": len(data.encounters),
        "follow_ups": len(data.follow_ups),
    }


def check_header_version(meta: dict[str, Any]) -> None:
    version = meta.get("bundle_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > BUNDLE_VERSION:
        raise FileTooNew(tr("The bundle was written by a newer version of svjournal; update it."))
