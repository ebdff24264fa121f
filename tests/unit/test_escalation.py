"""Escalation contacts: no crisis line is assumed, 988 is proposed only in the US."""

from __future__ import annotations

import pytest

from svjournal.core.escalation import (
    US_CRISIS_LINE,
    contacts_in_use,
    contacts_pending,
    proposed_contacts,
)
from svjournal.core.journal import Journal

LOCAL = [{"name": "Staff support line", "phone": "0161 555 0100", "note": "Weekdays 9–5"}]


def test_a_new_journal_holds_no_contacts_and_is_not_confirmed(journal: Journal) -> None:
    # Issue 10: the default was the US 988 line, shown in every country.
    assert journal.setting("escalation_contacts") == []
    assert journal.setting("escalation_contacts_confirmed") is False


@pytest.mark.parametrize("territory", ["GB", "DE", "IE", "AU", "CA", "NZ", "", "C"])
def test_988_is_never_proposed_outside_the_us(territory: str) -> None:
    assert proposed_contacts(territory) == []
    assert contacts_in_use([], confirmed=False, territory=territory) == []


def test_988_is_proposed_in_the_us() -> None:
    assert proposed_contacts("US") == [US_CRISIS_LINE]
    assert contacts_in_use([], confirmed=False, territory="us") == [US_CRISIS_LINE]


def test_the_old_stored_default_is_dropped_outside_the_us_until_confirmed() -> None:
    old = [dict(US_CRISIS_LINE)]
    assert contacts_in_use(old, confirmed=False, territory="GB") == []
    assert contacts_in_use(old, confirmed=False, territory="US") == old
    # Chosen on purpose (confirmed): kept, wherever the supporter is.
    assert contacts_in_use(old, confirmed=True, territory="GB") == old


def test_entered_contacts_are_shown_as_they_are() -> None:
    assert contacts_in_use(LOCAL, confirmed=False, territory="GB") == LOCAL
    assert contacts_in_use(LOCAL, confirmed=True, territory="US") == LOCAL
    assert contacts_in_use([], confirmed=True, territory="US") == []


def test_pending_until_confirmed_unless_the_it_department_sets_them() -> None:
    assert contacts_pending(confirmed=False, locked=False)
    assert not contacts_pending(confirmed=True, locked=False)
    assert not contacts_pending(confirmed=False, locked=True)


def test_confirmation_is_a_typed_setting(journal: Journal) -> None:
    journal.set_setting("escalation_contacts", LOCAL)
    journal.set_setting("escalation_contacts_confirmed", True)
    assert journal.setting("escalation_contacts") == LOCAL
    assert journal.setting("escalation_contacts_confirmed") is True
