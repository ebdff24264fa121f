"""Escalation contacts: no crisis line is assumed; a country's national line is proposed from
the locale's territory (988 only in the US and Canada), never stored until confirmed."""

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


@pytest.mark.parametrize("territory", ["GB", "DE", "IE", "AU", "NZ", "FR", "BR", "", "C", "XX"])
def test_988_is_never_proposed_outside_the_us_and_canada(territory: str) -> None:
    assert all(c["phone"] != "988" for c in proposed_contacts(territory))
    assert all(
        c["phone"] != "988" for c in contacts_in_use([], confirmed=False, territory=territory)
    )


@pytest.mark.parametrize("territory", ["", "C", "XX", "JP"])
def test_nothing_is_proposed_where_no_national_line_is_known(territory: str) -> None:
    assert proposed_contacts(territory) == []
    assert contacts_in_use([], confirmed=False, territory=territory) == []


@pytest.mark.parametrize(
    ("territory", "phone"),
    [
        ("DE", "0800 111 0 111"),
        ("AT", "142"),
        ("ES", "024"),
        ("FR", "3114"),
        ("BR", "188"),
        ("NL", "0800 0113"),
        ("BE", "1813"),
        ("GB", "116 123"),
        ("CA", "988"),
    ],
)
def test_the_national_line_of_the_territory_is_proposed(territory: str, phone: str) -> None:
    proposed = proposed_contacts(territory.lower())
    assert phone in [c["phone"] for c in proposed]
    assert all(c["name"] and set(c) == {"name", "phone", "note"} for c in proposed)
    assert contacts_in_use([], confirmed=False, territory=territory) == proposed
    # Confirmed empty: the supporter removed the proposal on purpose; nothing comes back.
    assert contacts_in_use([], confirmed=True, territory=territory) == []


def test_a_proposal_note_speaks_the_language_but_the_name_is_the_country_s() -> None:
    from svjournal.core import i18n

    with i18n.speaking(i18n.PSEUDO):
        [line] = proposed_contacts("AT")
    assert line["name"] == "TelefonSeelsorge (Österreich)"
    assert line["note"] == i18n.pseudo("24/7.")


def test_988_is_proposed_in_the_us() -> None:
    assert proposed_contacts("US") == [US_CRISIS_LINE]
    assert contacts_in_use([], confirmed=False, territory="us") == [US_CRISIS_LINE]


def test_the_old_stored_default_is_dropped_outside_the_us_until_confirmed() -> None:
    old = [dict(US_CRISIS_LINE)]
    assert contacts_in_use(old, confirmed=False, territory="JP") == []
    assert contacts_in_use(old, confirmed=False, territory="GB") == proposed_contacts("GB")
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
