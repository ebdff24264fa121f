"""Planned follow-ups as an iCalendar (.ics) file that reveals nothing about anyone.

Each event is an all-day reminder titled "Peer support follow-up (ref K7QM2X)": no
pseudonym, note, contact detail or method. Titles and descriptions are in the current
language, and a due day is written as that language writes dates (CLDR); the event's own
dates are iCalendar values, the same in every language. The reference code and the UID are one-way
hashes of the follow-up's id, so the same follow-up keeps its UID across exports (a calendar
re-importing the file updates the event instead of adding a second one) while nothing in the
file can be traced back without the journal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from svjournal.core.atomic import atomic_write_bytes
from svjournal.core.errors import ExportFileError
from svjournal.core.i18n import N_, tr
from svjournal.core.locale_format import format_date

if TYPE_CHECKING:
    from svjournal.core.journal import Journal

# Translators: the title of a follow-up's event in the exported calendar.
SUMMARY = N_("Peer support follow-up")
DEFAULT_DAYS = 90
# No look-alikes (0/O, 1/I/L, U): the code is read off a phone screen and typed into a find box.
_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
_CODE_LENGTH = 6


@dataclass(frozen=True)
class CalendarItem:
    """A planned follow-up as the calendar sees it: an id, a day, whether it is late."""

    follow_up_id: str
    due_on: date
    overdue: bool = False


def reference_code(follow_up_id: str) -> str:
    """Six characters derived from the follow-up's id; the same id gives the same code."""
    digest = hashlib.sha256(f"svjournal calendar reference:{follow_up_id}".encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(_CODE_LENGTH):
        number, index = divmod(number, len(_ALPHABET))
        chars.append(_ALPHABET[index])
    return "".join(chars)


def event_uid(follow_up_id: str) -> str:
    digest = hashlib.sha256(f"svjournal calendar uid:{follow_up_id}".encode()).hexdigest()
    return f"{digest[:32]}@svjournal"


def planned_follow_ups(
    journal: Journal, today: date, days: int = DEFAULT_DAYS, *, include_overdue: bool = False
) -> list[CalendarItem]:
    """Follow-ups still planned, due from `today` to `today + days`; overdue ones too if asked."""
    last = today + timedelta(days=days)
    rows = list(journal.due_today(today)) + list(journal.upcoming(today, limit=1_000_000))
    items = [CalendarItem(r.id, r.due_on) for r in rows if r.due_on <= last]
    if include_overdue:
        items = [CalendarItem(r.id, r.due_on, overdue=True) for r in journal.overdue(today)] + items
    return items


def build_calendar(items: Iterable[CalendarItem], today: date, stamp: datetime) -> bytes:
    """The .ics bytes. Overdue follow-ups are placed on `today`, marked as overdue."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//svjournal//peer support follow-ups//EN")  # an id, not text
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # Translators: the name of the exported calendar, as calendar apps list it.
    calendar.add("x-wr-calname", tr("Peer support follow-ups"))
    summary = tr(SUMMARY)
    # Translators: where the event's details are (nowhere in the calendar file itself).
    details = tr("Details in svjournal.")
    stamp = stamp.astimezone(UTC)
    # Later exports carry a higher sequence, so a calendar takes a moved date as an update.
    sequence = int(stamp.timestamp()) // 60
    for item in items:
        code = reference_code(item.follow_up_id)
        day = today if item.overdue else item.due_on
        event = Event()
        event.add("uid", event_uid(item.follow_up_id))
        event.add("dtstamp", stamp)
        event.add("sequence", sequence)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        if item.overdue:
            # Translators: an overdue follow-up's event; {title} is "Peer support follow-up",
            # {code} a six-character reference ("K7QM2X").
            title = tr("{title} — overdue (ref {code})").format(title=summary, code=code)
            # Translators: {date} is the day the follow-up was due ("November 3, 2026");
            # {details} is "Details in svjournal."
            text = tr("Was due {date}. {details}").format(
                date=format_date(item.due_on, "long"), details=details
            )
            event.add("summary", title)
            event.add("description", text)
        else:
            # Translators: a follow-up's event; {title} is "Peer support follow-up", {code} a
            # six-character reference ("K7QM2X").
            event.add("summary", tr("{title} (ref {code})").format(title=summary, code=code))
            event.add("description", details)
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
        event.add("class", "PRIVATE")
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def write_calendar(
    items: list[CalendarItem], path: Path, *, today: date, stamp: datetime | None = None
) -> int:
    """Write the .ics file atomically (owner-only); returns how many events it holds."""
    if path.is_dir():
        raise ExportFileError(tr("{path} is a folder; give a file name.").format(path=path))
    if not path.parent.is_dir():
        raise ExportFileError(tr("The folder {folder} does not exist.").format(folder=path.parent))
    data = build_calendar(items, today, stamp or datetime.now(UTC))
    try:
        atomic_write_bytes(path, data, clean_stale=True)
    except OSError as exc:
        raise ExportFileError(
            tr("{path} cannot be written ({reason}).").format(path=path, reason=exc.strerror or exc)
        ) from exc
    return len(items)
