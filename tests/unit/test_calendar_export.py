"""Calendar export: one all-day event per planned follow-up in the window, stable UIDs and
reference codes, and nothing in the file that names, quotes or reaches anyone."""

from __future__ import annotations

import re
import stat
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from svjournal import cli
from svjournal.core.inputs import CaseInput, ContactInput, EncounterInput
from svjournal.core.journal import Journal
from svjournal.core.vault import Vault
from svjournal.reports.calendar import (
    CalendarItem,
    build_calendar,
    event_uid,
    planned_follow_ups,
    reference_code,
    write_calendar,
)
from tests.conftest import FIXED_NOW, PASSPHRASE

TODAY = FIXED_NOW.date()
ALIAS = "QX-ALIAS-9032"
OTHER_ALIAS = "ZZ-ALIAS-1177"
NOTE = "NOTE-TEXT-tender 5518"
PHONE = "+1 555 0142"
EMAIL = "someone@example.org"


@pytest.fixture
def planned(journal: Journal) -> dict[str, str]:
    """Follow-ups: overdue, today, in 5 and 200 days, one done, one of a deleted case."""
    case = journal.open_case(
        CaseInput(ALIAS, "nurse", "icu", "near_miss", "self", TODAY - timedelta(days=30))
    )
    journal.log_encounter(
        case.id, EncounterInput(FIXED_NOW - timedelta(days=20), "phone", 30, note=NOTE)
    )
    journal.set_contact(case.id, ContactInput(phone=PHONE, email=EMAIL))
    ids = {
        name: journal.schedule_follow_up(case.id, TODAY + timedelta(days=offset), "video").id
        for name, offset in (("overdue", -3), ("today", 0), ("soon", 5), ("far", 200))
    }
    done = journal.schedule_follow_up(case.id, TODAY + timedelta(days=2))
    journal.complete_follow_up(done.id, done_at=FIXED_NOW)
    other = journal.open_case(
        CaseInput(OTHER_ALIAS, "physician", "icu", "near_miss", "self", TODAY)
    )
    journal.schedule_follow_up(other.id, TODAY + timedelta(days=1))
    journal.delete_case(other.id)
    ids["case"] = case.id
    return ids


def events(data: bytes) -> list[dict[str, object]]:
    calendar = Calendar.from_ical(data)
    return [
        {key: component.decoded(key) for key in ("uid", "summary", "dtstart", "dtend")}
        for component in calendar.walk("VEVENT")
    ]


def test_one_all_day_event_per_planned_follow_up_in_the_window(
    journal: Journal, planned: dict[str, str]
) -> None:
    items = planned_follow_ups(journal, TODAY, days=90)
    assert [i.follow_up_id for i in items] == [planned["today"], planned["soon"]]
    found = events(build_calendar(items, TODAY, FIXED_NOW))
    assert [e["dtstart"] for e in found] == [TODAY, TODAY + timedelta(days=5)]
    assert all(e["dtend"] == e["dtstart"] + timedelta(days=1) for e in found)  # type: ignore[operator]
    assert all(type(e["dtstart"]) is date for e in found), "all-day events carry no time"
    code = reference_code(planned["soon"])
    assert found[1]["summary"] == f"Peer support follow-up (ref {code})"
    assert found[1]["uid"] == event_uid(planned["soon"])


def test_overdue_follow_ups_only_when_asked_placed_on_today(
    journal: Journal, planned: dict[str, str]
) -> None:
    items = planned_follow_ups(journal, TODAY, days=365, include_overdue=True)
    assert [i.follow_up_id for i in items] == [
        planned["overdue"],
        planned["today"],
        planned["soon"],
        planned["far"],
    ]
    first = events(build_calendar(items, TODAY, FIXED_NOW))[0]
    assert first["dtstart"] == TODAY
    assert "overdue" in str(first["summary"])


def test_nothing_in_the_file_names_quotes_or_reaches_anyone(
    journal: Journal, planned: dict[str, str], tmp_path: Path
) -> None:
    items = planned_follow_ups(journal, TODAY, days=365, include_overdue=True)
    dest = tmp_path / "f.ics"
    write_calendar(items, dest, today=TODAY, stamp=FIXED_NOW)
    text = dest.read_text(encoding="utf-8")
    unfolded = text.replace("\r\n ", "")
    # (Not bare digits: hashes, stamps and codes may hold any run of them by chance.)
    for secret in (ALIAS, OTHER_ALIAS, NOTE, PHONE, EMAIL, "example.org", "Video"):
        assert secret.lower() not in unfolded.lower(), secret
    for record_id in planned.values():  # ids link to de-identified files elsewhere
        assert record_id not in unfolded
    summaries = re.findall(r"^SUMMARY:(.*)$", unfolded, flags=re.MULTILINE)
    assert len(summaries) == 4
    assert all(re.fullmatch(r"Peer support follow-up( — overdue)? \(ref [A-Z2-9]{6}\)", s)
               for s in summaries)  # fmt: skip
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600


def test_uids_and_codes_are_stable_per_follow_up_and_distinct() -> None:
    ids = [f"00000000-0000-4000-8000-{n:012d}" for n in range(500)]
    assert [event_uid(i) for i in ids] == [event_uid(i) for i in ids]
    assert len({event_uid(i) for i in ids}) == 500
    assert len({reference_code(i) for i in ids}) == 500
    assert all(re.fullmatch(r"[A-HJKMNP-TV-Z2-9]{6}", reference_code(i)) for i in ids)
    # A later export of the same follow-up (moved to another day) updates the same event.
    early = build_calendar([CalendarItem(ids[0], TODAY)], TODAY, datetime(2026, 11, 26, 9))
    later = build_calendar([CalendarItem(ids[0], TODAY + timedelta(days=2))], TODAY,
                           datetime(2026, 11, 27, 9))  # fmt: skip
    first, second = (
        Calendar.from_ical(early).walk("VEVENT")[0],
        Calendar.from_ical(later).walk("VEVENT")[0],
    )
    assert first["uid"] == second["uid"]
    assert int(second["sequence"]) > int(first["sequence"])


def test_an_empty_window_gives_a_valid_empty_calendar(journal: Journal, tmp_path: Path) -> None:
    dest = tmp_path / "empty.ics"
    assert write_calendar(planned_follow_ups(journal, TODAY), dest, today=TODAY) == 0
    assert Calendar.from_ical(dest.read_bytes()).walk("VEVENT") == []


def test_cli_calendar_writes_and_logs(
    vault: Vault,
    journal: Journal,
    planned: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = vault.path
    vault.close()
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    dest = tmp_path / "cal.ics"
    args = ["calendar", "--vault", path, "--passphrase-file", secret, "-o", dest]
    assert cli.main([str(a) for a in [*args, "--days", "10", "--today", TODAY.isoformat()]]) == 0
    assert "Wrote 2 follow-ups" in capsys.readouterr().out
    assert len(events(dest.read_bytes())) == 2
    with Vault.open(path) as again:
        again.unlock(PASSPHRASE)
        log = Journal(again.engine).export_log()
    assert [(e.kind, e.destination, e.records) for e in log] == [("calendar", str(dest), 2)]
