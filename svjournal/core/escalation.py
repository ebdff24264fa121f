"""Which escalation contacts a supporter sees, and whether the journal still has to ask for them.

Crisis lines are local. The journal assumes none: it proposes the US 988 line only where the
locale's territory is the US, and it asks for the local contacts until they have been entered.
Territories are ISO 3166 two-letter codes ("US", "GB"); the UI reads them from the locale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["US_CRISIS_LINE", "contacts_in_use", "contacts_pending", "proposed_contacts"]

Contact = dict[str, str]

US_CRISIS_LINE: Contact = {
    "name": "988 Suicide & Crisis Lifeline (US)",
    "phone": "988",
    "note": "Call or text, 24/7.",
}


def proposed_contacts(territory: str) -> list[Contact]:
    """What the contacts table starts with before the supporter has entered any."""
    return [dict(US_CRISIS_LINE)] if territory.upper() == "US" else []


def contacts_in_use(
    stored: Sequence[Mapping[str, str]], *, confirmed: bool, territory: str
) -> list[Contact]:
    """The contacts to show when a red flag is ticked (and to start the Settings table with).

    Until the supporter confirms their own list, an empty list becomes the proposal for the
    territory, and the 988 line that earlier versions stored by default is dropped outside the
    US: nobody chose it, and elsewhere it reaches no one.
    """
    contacts = [dict(c) for c in stored]
    if confirmed:
        return contacts
    if not contacts:
        return proposed_contacts(territory)
    if contacts == [US_CRISIS_LINE] and territory.upper() != "US":
        return []
    return contacts


def contacts_pending(*, confirmed: bool, locked: bool) -> bool:
    """Whether the journal should still ask for the local contacts.

    Not when the IT department sets them (`locked`): the supporter cannot change them then.
    """
    return not confirmed and not locked
