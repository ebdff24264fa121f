"""A journal for the retention tests: one case closed long ago that holds text in every
place retention clears, one closed recently and one open, each with distinctive canaries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from svjournal.core.inputs import CaseInput, ContactInput, EncounterInput
from svjournal.core.journal import Journal

TODAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 12, 0, 0)

# What must be gone after retention (the old case's text)...
OLD_ALIAS = "WOMBAT-CANARY-ALIAS-3311"
OLD_NOTE = "NOTE-CANARY kestrel-9120 spoke about the inquest"
OLD_NOTE_2 = "SECOND-NOTE-CANARY heron-4471 in the trash"
OLD_PHONE = "0161 496 0911"
OLD_EMAIL = "wombat.canary@example.org"
OLD_OTHER = "OTHER-CANARY ask for ward 9 desk"
OLD_DRAFT = "DRAFT-CANARY lapwing-6034 half-typed"
GONE = {
    "alias": OLD_ALIAS,
    "note": OLD_NOTE,
    "trashed note": OLD_NOTE_2,
    "phone": OLD_PHONE,
    "email": OLD_EMAIL,
    "other": OLD_OTHER,
    "draft": OLD_DRAFT,
}
# ...and what must stay (cases not past the window).
RECENT_ALIAS = "RECENT-KEEP-ALIAS-7002"
RECENT_NOTE = "RECENT-KEEP-NOTE plover"
OPEN_ALIAS = "OPEN-KEEP-ALIAS-8123"
OPEN_NOTE = "OPEN-KEEP-NOTE dunlin"


@dataclass(frozen=True)
class Seeded:
    old: str
    recent: str
    open: str


def _case(journal: Journal, alias: str, referred: date) -> str:
    return journal.open_case(
        CaseInput(
            alias=alias,
            role="nurse",
            department="icu",
            event_category="medical_error",
            referral_source="self",
            referred_on=referred,
        )
    ).id


def _encounter(journal: Journal, case_id: str, when: datetime, note: str, stage: int) -> str:
    return journal.log_encounter(
        case_id,
        EncounterInput(occurred_at=when, mode="phone", duration_minutes=25, stage=stage, note=note),
    ).id


def seed(journal: Journal) -> Seeded:
    old = _case(journal, OLD_ALIAS, date(2023, 1, 10))
    _encounter(journal, old, datetime(2023, 1, 11, 10), OLD_NOTE, 2)
    trashed = _encounter(journal, old, datetime(2023, 2, 1, 10), OLD_NOTE_2, 4)
    journal.delete_encounter(trashed)
    journal.set_setting("purge_contacts_on_close", False)  # so the contact is still there
    journal.set_contact(old, ContactInput(phone=OLD_PHONE, email=OLD_EMAIL, other=OLD_OTHER))
    follow_up = journal.schedule_follow_up(old, date(2023, 1, 20))
    journal.complete_follow_up(follow_up.id, done_at=datetime(2023, 1, 20, 9))
    journal.close_case(old, outcome="thriving", closed_on=date(2023, 6, 1))
    journal.save_draft(
        "encounter-editor", "encounter", {"case_id": old, "form": {"note": OLD_DRAFT}}
    )

    recent = _case(journal, RECENT_ALIAS, date(2026, 6, 1))
    _encounter(journal, recent, datetime(2026, 6, 2, 10), RECENT_NOTE, 3)
    journal.close_case(recent, outcome="surviving", closed_on=date(2026, 9, 1))

    still_open = _case(journal, OPEN_ALIAS, date(2022, 3, 1))
    _encounter(journal, still_open, datetime(2022, 3, 2, 10), OPEN_NOTE, 2)
    return Seeded(old, recent, still_open)
