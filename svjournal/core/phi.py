"""Offline heuristic check that warns when free text looks like it holds a patient identifier."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from svjournal.core.i18n import N_, tr
from svjournal.core.phi_rules import DOB_BEFORE, DOB_PRIORITY, RULES

__all__ = [
    "KINDS",
    "KIND_NOUNS",
    "IdentifierHit",
    "find_identifiers",
    "kinds_found",
    "pseudonym_warning",
]

# Privacy: this module only reads the string it is given. It never stores, logs or sends the
# text anywhere, and a hit carries positions and a fixed message, never the text itself.
#
# Speed: every pattern begins with a keyword, a literal or a boundary assertion, so it can only
# start at a few places in a run of similar characters, and no repeated group can match the
# same characters in more than one way, so matching stays linear in the length of the note.
# A 1,000-character note takes about a millisecond.
#
# The rules are in core/phi_rules.py, built from the pieces in core/phi_checks.py.

KINDS: dict[str, str] = {
    "mrn": N_("Medical record or ID number"),
    "date_of_birth": N_("Date of birth"),
    "date": N_("Exact date"),
    "phone": N_("Phone number"),
    "email": N_("Email address"),
    "ssn": N_("Social Security number"),
    "zip": N_("ZIP or postal code"),
    "address": N_("Street address"),
    "name_with_title": N_("Name with a title"),
    "patient_name": N_("Patient name"),
    "url": N_("Web address"),
    "ip_address": N_("IP address"),
    "account_number": N_("Account, plan, license or serial number"),
    "age": N_("Age over 89"),
    "vehicle": N_("Vehicle registration or VIN"),
}

# What a warning calls each kind, so it can name every kind found in one sentence. Fixed
# wording with no digits, like the messages below. Marked here, translated where shown
# (the labels, nouns and messages alike: `tr(KIND_NOUNS[kind])`, `tr(hit.message)`).
KIND_NOUNS: dict[str, str] = {
    "mrn": N_("a record or ID number"),
    "date_of_birth": N_("a date of birth"),
    "date": N_("an exact date"),
    "phone": N_("a phone number"),
    "email": N_("an email address"),
    "ssn": N_("a Social Security number"),
    "zip": N_("a ZIP or postal code"),
    "address": N_("a street address"),
    "name_with_title": N_("a name"),
    "patient_name": N_("a name"),
    "url": N_("a web address"),
    "ip_address": N_("an IP address"),
    "account_number": N_("an account, plan, license or serial number"),
    "age": N_("an age above eighty-nine"),
    "vehicle": N_("a vehicle registration"),
}

# Fixed wording only. No message holds a digit, "@", "." or a capitalised name, so a message can
# never contain the text that was matched.
_MESSAGES: dict[str, str] = {
    "mrn": N_("Looks like a medical record or ID number"),
    "date_of_birth": N_("Looks like a date of birth"),
    "date": N_("Looks like an exact date; the month or year alone is safer"),
    "phone": N_("Looks like a phone number"),
    "email": N_("Looks like an email address"),
    "ssn": N_("Looks like a Social Security number"),
    "zip": N_("Looks like a ZIP or postal code"),
    "address": N_("Looks like a street address"),
    "name_with_title": N_("Looks like a person's name"),
    "patient_name": N_("Looks like a patient's name"),
    "url": N_("Looks like a web address"),
    "ip_address": N_("Looks like an IP address"),
    "account_number": N_("Looks like an account, plan, license or serial number"),
    "age": N_("Looks like an age above eighty-nine"),
    "vehicle": N_("Looks like a vehicle registration"),
}


@dataclass(frozen=True)
class IdentifierHit:
    """One stretch of text that looks like an identifier: where it is and what it resembles."""

    kind: str  # a key of KINDS
    start: int  # Python str index of the first character
    end: int  # index just past the last character
    message: str  # short warning (source text: show tr(message)); never holds the matched text
    # The other kinds whose matches were merged into this span (overlapping hits become one),
    # so a warning can still name each of them. Not part of equality: the span and kind are.
    also: tuple[str, ...] = field(default=(), compare=False)


def find_identifiers(text: str) -> list[IdentifierHit]:
    """Return the stretches of text that look like patient identifiers.

    Hits are sorted by start and never overlap: overlapping matches are merged into one hit
    covering them all, with the most specific kind among them. Heuristic only, for a gentle
    warning while typing; it never blocks, stores or sends anything.
    """
    if not text:
        return []
    lowered = text.lower()
    candidates: list[tuple[int, int, int, str]] = []  # start, end, priority, kind
    for rule in RULES:
        if rule.needs and not any(n in lowered for n in rule.needs):
            continue
        for m in rule.pattern.finditer(text):
            span = m.span() if rule.check is None else rule.check(text, m)
            if span is None or span[0] >= span[1]:
                continue
            start, end = span
            kind, priority = rule.kind, rule.priority
            if kind == "date":
                label = DOB_BEFORE.search(text, max(0, start - 40), start)
                if label is not None:
                    kind, priority, start = "date_of_birth", DOB_PRIORITY, label.start()
            candidates.append((start, end, priority, kind))
    return _merge(candidates)


def _merge(candidates: list[tuple[int, int, int, str]]) -> list[IdentifierHit]:
    """Union overlapping spans; each union keeps the kind of its highest-priority member.

    The other kinds in a union are kept in `also`, so a warning still names every kind found.
    """
    candidates.sort(key=lambda c: (c[0], -c[1]))
    groups: list[list[tuple[int, int, int, str]]] = []
    end_of_group = -1
    for candidate in candidates:
        if groups and candidate[0] < end_of_group:
            groups[-1].append(candidate)
            end_of_group = max(end_of_group, candidate[1])
        else:
            groups.append([candidate])
            end_of_group = candidate[1]
    hits: list[IdentifierHit] = []
    for group in groups:
        best = max(group, key=lambda c: c[2])  # max keeps the first of equal priorities
        also: list[str] = []
        for *_span, _priority, kind in sorted(group, key=lambda c: (-c[2], c[0])):
            if kind != best[3] and kind not in also:
                also.append(kind)
        hits.append(
            IdentifierHit(
                kind=best[3],
                start=group[0][0],
                end=max(c[1] for c in group),
                message=_MESSAGES[best[3]],
                also=tuple(also),
            )
        )
    return hits


def kinds_found(hits: list[IdentifierHit]) -> list[str]:
    """Every kind the hits cover, merged ones included, each once, in the order met."""
    kinds: list[str] = []
    for hit in hits:
        for kind in (hit.kind, *hit.also):
            if kind not in kinds:
                kinds.append(kind)
    return kinds


# A pseudonym of two or three capitalised words and nothing else reads as "First Last".
_FULL_NAME = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*")
_PSEUDONYM_ADVICE = N_("Use a pseudonym so the colleague you support cannot be identified.")


def pseudonym_warning(alias: str) -> str:
    """A warning when a case's pseudonym looks like a real name or a contact detail, else "".

    The worry here is the colleague being supported, not a patient, so the wording says so.
    A code or initials ("NR-12", "JK") passes; "Jane Smith" or "Mrs Jones" does not.
    """
    words = alias.split()
    full_name = 2 <= len(words) <= 3 and all(
        _FULL_NAME.fullmatch(w) and len(w) > 1 and w[0].isupper() and not w[1:].isupper()
        for w in words
    )
    kinds = kinds_found(find_identifiers(alias))
    if full_name or any(k in ("name_with_title", "patient_name") for k in kinds):
        return tr("This looks like a real name. {advice}").format(advice=tr(_PSEUDONYM_ADVICE))
    if kinds:
        # Translators: {what} is one kind of identifier, e.g. "a phone number" (translated
        # on its own); {advice} is the sentence that follows.
        warning = tr("This looks like {what}. {advice}")
        return warning.format(what=tr(KIND_NOUNS[kinds[0]]), advice=tr(_PSEUDONYM_ADVICE))
    return ""
