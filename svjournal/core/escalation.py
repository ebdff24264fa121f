"""Which escalation contacts a supporter sees, and whether the journal still has to ask for them.

Crisis lines are local. The journal assumes none: from the locale's territory (ISO 3166
two-letter code, "US", "AT"; the UI reads it from the system locale, never from the chosen
language: German on an Austrian workstation proposes the Austrian line) it proposes that
country's national suicide-prevention or crisis line where it knows one, and it asks for the
local contacts until the supporter has checked, edited and saved them. A proposal is never
stored by itself; nothing is proposed for a territory it does not know.

The national lines (checked 2026-12; each is the country's public, free, 24-hour line where
one exists) are listed in docs/ESCALATION_LINES.md with their sources; a supporter always
adds the local ones (on-call psychiatry, occupational health, the program lead).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from svjournal.core.i18n import N_, tr

__all__ = ["US_CRISIS_LINE", "contacts_in_use", "contacts_pending", "proposed_contacts"]

Contact = dict[str, str]

US_CRISIS_LINE: Contact = {
    "name": "988 Suicide & Crisis Lifeline (US)",
    "phone": "988",
    "note": "Call or text, 24/7.",
}


_DAY_AND_NIGHT = N_("24/7.")
# Translators: a crisis line's note, shown in the proposed contacts before they are saved.
_CALL_OR_TEXT = N_("Call or text, 24/7.")

# territory -> (service name as the country writes it, phone, note)
NATIONAL_LINES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "US": ((US_CRISIS_LINE["name"], "988", _CALL_OR_TEXT),),
    "CA": (("9-8-8 Suicide Crisis Helpline (Canada)", "988", _CALL_OR_TEXT),),
    "GB": (("Samaritans (UK)", "116 123", _DAY_AND_NIGHT),),
    "IE": (("Samaritans (Ireland)", "116 123", _DAY_AND_NIGHT),),
    "AU": (("Lifeline Australia", "13 11 14", _DAY_AND_NIGHT),),
    "NZ": (("Need to talk? (New Zealand)", "1737", _CALL_OR_TEXT),),
    "ES": (("Línea 024 de atención a la conducta suicida", "024", _DAY_AND_NIGHT),),
    "DE": (
        ("TelefonSeelsorge (Deutschland)", "0800 111 0 111", _DAY_AND_NIGHT),
        ("TelefonSeelsorge (Deutschland)", "0800 111 0 222", _DAY_AND_NIGHT),
    ),
    "AT": (("TelefonSeelsorge (Österreich)", "142", _DAY_AND_NIGHT),),
    "CH": (("Die Dargebotene Hand / La Main Tendue", "143", _DAY_AND_NIGHT),),
    "FR": (("3114 – Numéro national de prévention du suicide", "3114", _DAY_AND_NIGHT),),
    "BE": (
        ("Zelfmoordlijn 1813", "1813", _DAY_AND_NIGHT),
        ("Centre de Prévention du Suicide", "0800 32 123", _DAY_AND_NIGHT),
    ),
    "NL": (("113 Zelfmoordpreventie", "0800 0113", _DAY_AND_NIGHT),),
    "IT": (("Telefono Amico Italia", "02 2327 2327", ""),),
    "BR": (("CVV – Centro de Valorização da Vida", "188", _DAY_AND_NIGHT),),
}


def proposed_contacts(territory: str) -> list[Contact]:
    """What the contacts table starts with before the supporter has entered any: the
    national line of `territory` where one is known (its note in the language spoken)."""
    return [
        {"name": name, "phone": phone, "note": tr(note) if note else ""}
        for name, phone, note in NATIONAL_LINES.get(territory.upper(), ())
    ]


def contacts_in_use(
    stored: Sequence[Mapping[str, str]], *, confirmed: bool, territory: str
) -> list[Contact]:
    """The contacts to show when a red flag is ticked (and to start the Settings table with).

    Until the supporter confirms their own list, an empty list becomes the proposal for the
    territory, and the 988 line that earlier versions stored by default gives way to it outside
    the US: nobody chose it, and elsewhere it reaches no one.
    """
    contacts = [dict(c) for c in stored]
    if confirmed:
        return contacts
    if not contacts:
        return proposed_contacts(territory)
    if contacts == [US_CRISIS_LINE] and territory.upper() != "US":
        return proposed_contacts(territory)  # the territory's own line, if known, instead
    return contacts


def contacts_pending(*, confirmed: bool, locked: bool) -> bool:
    """Whether the journal should still ask for the local contacts.

    Not when the IT department sets them (`locked`): the supporter cannot change them then.
    """
    return not confirmed and not locked
