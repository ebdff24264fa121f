"""Red flags stay visible after saving: the case summary columns, the case list's red-flag
filter and Today's "Needs attention" (a recent red flag and no accepted Tier 3 referral)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from svjournal.core.inputs import CaseInput, EncounterInput, ReferralInput
from svjournal.core.journal import CaseFilter, Journal
from tests.conftest import FIXED_NOW

TODAY = FIXED_NOW.date()  # 2026-11-26: needs_attention() reads this clock


def _case(journal: Journal, alias: str) -> str:
    return journal.open_case(
        CaseInput(alias, "nurse", "icu", "unexpected_death", "self", date(2026, 11, 1))
    ).id


def _encounter(journal: Journal, case_id: str, day: int, **changes: Any) -> str:
    data = EncounterInput(datetime(2026, 11, day, 10), "phone", 30, **changes)
    return journal.log_encounter(case_id, data).id


def _row(journal: Journal, case_id: str) -> Any:
    [row] = [r for r in journal.list_cases() if r.id == case_id]
    return row


def test_a_red_flag_is_kept_on_the_case_and_follows_the_live_encounters(
    journal: Journal,
) -> None:
    case_id = _case(journal, "RN-A")
    _encounter(journal, case_id, 10)
    assert _row(journal, case_id).last_red_flag is None
    flagged = _encounter(journal, case_id, 20, red_flags=["suicidal_thoughts"])
    _encounter(journal, case_id, 22)  # a later encounter without a flag does not clear it
    row = _row(journal, case_id)
    assert row.last_red_flag == datetime(2026, 11, 20, 10)
    assert journal.get_case(case_id).last_red_flag_at == datetime(2026, 11, 20, 10)
    assert row.needs_tier3
    journal.delete_encounter(flagged)
    assert _row(journal, case_id).last_red_flag is None
    journal.restore_encounter(flagged)
    assert _row(journal, case_id).last_red_flag == datetime(2026, 11, 20, 10)


def test_the_tier3_referral_state_is_the_best_response_to_a_tier3_target(
    journal: Journal,
) -> None:
    case_id = _case(journal, "RN-B")
    _encounter(journal, case_id, 10, referrals=[ReferralInput("legal_support", "accepted")])
    assert _row(journal, case_id).tier3_referral is None  # not a Tier 3 target
    _encounter(journal, case_id, 11, referrals=[ReferralInput("eap", "declined")])
    assert _row(journal, case_id).tier3_referral == "declined"
    pending = _encounter(journal, case_id, 12, referrals=[ReferralInput("psychologist")])
    assert _row(journal, case_id).tier3_referral == "pending"
    _encounter(
        journal, case_id, 13, red_flags=["substance_use"], referrals=[ReferralInput("chaplain")]
    )
    assert _row(journal, case_id).needs_tier3
    journal.edit_encounter(
        pending,
        EncounterInput(
            datetime(2026, 11, 12, 10),
            "phone",
            30,
            referrals=[ReferralInput("psychologist", "accepted")],
        ),
    )
    row = _row(journal, case_id)
    assert row.tier3_referral == "accepted"
    assert not row.needs_tier3
    assert journal.get_case(case_id).tier3_referral == "accepted"


def test_case_list_filters_by_red_flag(journal: Journal) -> None:
    flagged, plain = _case(journal, "flagged"), _case(journal, "plain")
    _encounter(journal, flagged, 12, red_flags=["domestic_violence"])
    _encounter(journal, plain, 12)
    assert [r.alias for r in journal.list_cases(CaseFilter(red_flag=True))] == ["flagged"]
    assert [r.alias for r in journal.list_cases()] == ["flagged", "plain"]


def test_needs_attention_lists_recent_red_flags_without_an_accepted_tier3_referral(
    journal: Journal,
) -> None:
    recent = _case(journal, "recent")  # flag 13 days ago: inside the 14 days (today counts)
    _encounter(journal, recent, 13, red_flags=["suicidal_thoughts"])
    newest = _case(journal, "newest")
    _encounter(journal, newest, 25, red_flags=["harm_to_others"])
    old = _case(journal, "old")  # flag 14 days ago: outside
    _encounter(journal, old, 12, red_flags=["suicidal_thoughts"])
    referred = _case(journal, "referred")  # a pending referral still needs attention
    _encounter(
        journal,
        referred,
        20,
        red_flags=["impairment"],
        referrals=[ReferralInput("psychiatry", "pending")],
    )
    accepted = _case(journal, "accepted")
    _encounter(
        journal,
        accepted,
        20,
        red_flags=["impairment"],
        referrals=[ReferralInput("psychiatry", "accepted")],
    )
    closed = _case(journal, "closed")
    _encounter(journal, closed, 24, red_flags=["substance_use"])
    journal.close_case(closed)
    deleted = _case(journal, "deleted")
    _encounter(journal, deleted, 24, red_flags=["substance_use"])
    journal.delete_case(deleted)
    _encounter(journal, _case(journal, "unflagged"), 25)

    names = [r.alias for r in journal.needs_attention()]
    assert names == ["newest", "referred", "recent"]  # the latest flag first
    assert [r.alias for r in journal.needs_attention(date(2026, 11, 25))] == [
        "newest",
        "referred",
        "recent",
        "old",
    ]


def test_planned_due_days_are_the_reminders_only_input(journal: Journal) -> None:
    """Planned follow-ups of live cases, by day: done, cancelled and trashed ones are not."""
    live, trashed = _case(journal, "live"), _case(journal, "trashed")
    journal.schedule_follow_up(live, date(2026, 11, 27))
    journal.schedule_follow_up(live, date(2026, 11, 20))
    done = journal.schedule_follow_up(live, date(2026, 11, 22))
    journal.complete_follow_up(done.id)
    cancelled = journal.schedule_follow_up(live, date(2026, 11, 23))
    journal.cancel_follow_up(cancelled.id)
    journal.schedule_follow_up(trashed, date(2026, 11, 26))
    journal.delete_case(trashed)
    assert journal.planned_due_days() == [date(2026, 11, 20), date(2026, 11, 27)]
    assert journal.setting("tray_reminders") is True
