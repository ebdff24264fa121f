"""Tests for the patient-identifier checker: what it flags, and what it must leave alone."""

from __future__ import annotations

import dataclasses
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svjournal.core.phi import KINDS, IdentifierHit, find_identifiers

# Ordinary peer-support notes: the checker must say nothing about any of these.
QUIET = [
    "Felt shaken after the code on the unit, slept badly for 3 nights.",
    "Talked for 45 minutes, will call again next week.",
    "Second follow-up, feels better, back at work since Monday.",
    "Referred to EAP; accepted.",
    "Stage 4, worried about the review in March 2024.",
    "Team debrief with 8 nurses after the event.",
    "Mentioned the patient reminded her of her own father.",
    "Dr. appointment next week",
    "Reflective listening, normalising reactions.",
    "Shift ended at 7:30, very tired.",
    "Called at 14:00, 20 min.",
    "About 80% better than last week.",
    "Completed 2 of 3 sessions.",
    "Room was busy",
    "Walked 10000 steps to clear her head.",
    "5 patients in resus at once, felt overwhelmed.",
    "Started in 2019, thinking about leaving in 2025.",
    "Night shifts 19:00-07:30 for 4 weeks.",
    "Rated stress 7/10, down from 9/10.",
    "The patient was 54 and it hit close to home.",
    "Saw the pt. He was upset about the outcome.",
    "Worked 12.5 hours, 3 breaks missed.",
    "Dr on call was supportive.",
    "Mr. and Mrs. were not named.",
    "Peer support call 2 of 4, follow-up in 2 weeks.",
    "Ward 7B was short-staffed by 3.",
    "She said the MRI results upset the family.",
    "Agreed to check in again on Friday at 9am.",
    "Used the 4-7-8 breathing exercise.",
    "Version 2.1 of the wellbeing leaflet given.",
    "Worried about the March 2024 audit and the 2023 review.",
    "Followed up by phone, 10 minutes.",
    "Scored 12 on the PHQ-9 and 8 on GAD-7.",
    "Took 1,500 calls this year across the 24/7 line.",
    "Covered for the MS nurse on Ward 3.",
    "Support group in Room 101 with 6 attendees.",
    "Patient Safety team were informed.",
    "Meeting in May with the wellbeing lead.",
    "The resus lasted 35-40 minutes.",
    "Account of the incident was hard to hear.",
    "Paged 3 times between 02:00 and 04:00.",
    "Team of 12 across 3 sites, 100% attendance.",
    "Took into account 2024 figures and the MR scan.",
    "Walked 2 miles down the road after the shift.",
    "Q3 2024 audit, 1 in 5 staff affected.",
    "BP was 120/80 when she arrived, HR 95.",
    "Code blue at 03:15, lasted 25 min, 2 rounds of CPR.",
    "Wants to march 5 km for charity in June.",
    "Call back in 1-2 days.",
    "Session 3/6 done; next on the 14th.",
    "Second victim support since 2021, about 30 calls a month.",
    "",
]

# (note, expected kind, the part of the note that must be covered by a hit of that kind)
IDENTIFIERS = [
    ("MRN 1234567", "mrn", "MRN 1234567"),
    ("Pulled chart, MRN: A123456, before we spoke.", "mrn", "A123456"),
    ("Checked record #123456 today", "mrn", "record #123456"),
    ("Ref 98765432 in the notes", "mrn", "98765432"),
    ("NHS number 943 476 5919", "mrn", "943 476 5919"),
    ("DOB 3/4/1950", "date_of_birth", "DOB 3/4/1950"),
    ("The man, born 12 March 1961, died on the unit.", "date_of_birth", "12 March 1961"),
    ("Date of birth: 1961-03-12", "date_of_birth", "1961-03-12"),
    ("d.o.b. 03041950", "date_of_birth", "03041950"),
    ("Seen on 12/03/2024 in clinic", "date", "12/03/2024"),
    ("Incident 2024-03-12, nights", "date", "2024-03-12"),
    ("It happened 3 March 2024", "date", "3 March 2024"),
    ("On March 3, 2024 she called", "date", "March 3, 2024"),
    ("Since the 3rd of March", "date", "3rd of March"),
    ("On 12-Mar-2024 the family complained", "date", "12-Mar-2024"),
    ("Call 555-123-4567 after 5", "phone", "555-123-4567"),
    ("Her number is (555) 123-4567.", "phone", "(555) 123-4567"),
    ("Rang +44 20 7946 0958 twice", "phone", "+44 20 7946 0958"),
    ("Office 020 7946 0958", "phone", "020 7946 0958"),
    ("555.123.4567", "phone", "555.123.4567"),
    ("+1 555 123 4567", "phone", "+1 555 123 4567"),
    ("tel: 5551234", "phone", "5551234"),
    ("jane.doe@example.com wrote back", "email", "jane.doe@example.com"),
    ("SSN 123-45-6789", "ssn", "123-45-6789"),
    ("it was 123-45-6789 on the form", "ssn", "123-45-6789"),
    ("Lives in Boston, MA 02115", "zip", "MA 02115"),
    ("zip 02115", "zip", "zip 02115"),
    ("Code 02115-1234 on the letter", "zip", "02115-1234"),
    ("London SW1A 1AA", "zip", "SW1A 1AA"),
    ("12 Elm Street, Springfield 01101", "zip", "01101"),
    ("Lives at 12 Elm Street", "address", "12 Elm Street"),
    ("221B Baker St", "address", "221B Baker St"),
    ("Write to PO Box 123", "address", "PO Box 123"),
    ("Mr. Jones was upset", "name_with_title", "Mr. Jones"),
    ("Spoke to Dr Patel about it", "name_with_title", "Dr Patel"),
    ("mrs O'Brien called", "name_with_title", "mrs O'Brien"),
    ("Prof. Anna Kowalski chaired", "name_with_title", "Prof. Anna Kowalski"),
    ("Dr Zoë Müller", "name_with_title", "Dr Zoë Müller"),
    ("patient Smith died overnight", "patient_name", "patient Smith"),
    ("pt. Garcia was moved", "patient_name", "pt. Garcia"),
    ("Name: John Smith", "patient_name", "John Smith"),
    ("See https://example.org/case?id=3.", "url", "https://example.org/case?id=3"),
    ("She found www.example.com helpful", "url", "www.example.com"),
    ("Logged in at mychart.example.org", "url", "mychart.example.org"),
    ("Device at 192.168.0.12 kept alarming", "ip_address", "192.168.0.12"),
    ("fe80::1ff:fe23:4567:890a", "ip_address", "fe80::1ff:fe23:4567:890a"),
    ("account no. 12345678", "account_number", "12345678"),
    ("policy number AB123456", "account_number", "AB123456"),
]


@pytest.mark.parametrize("note", QUIET)
def test_ordinary_notes_raise_no_warning(note: str) -> None:
    assert find_identifiers(note) == []


@pytest.mark.parametrize(("note", "kind", "fragment"), IDENTIFIERS)
def test_identifier_is_flagged_with_its_kind(note: str, kind: str, fragment: str) -> None:
    hits = find_identifiers(note)
    first = note.index(fragment)
    last = first + len(fragment)
    covering = [h for h in hits if h.start <= first and h.end >= last]
    assert [h.kind for h in covering] == [kind], [(h.kind, note[h.start : h.end]) for h in hits]


def test_enough_samples_on_both_sides() -> None:
    assert len(QUIET) >= 25
    assert len(IDENTIFIERS) >= 25
    assert {kind for _, kind, _ in IDENTIFIERS} == set(KINDS)


@pytest.mark.parametrize(
    "note",
    [
        "March 2024",
        "in 2024",
        "Dr. appointment",
        "dr smith",  # a lower-case word after a title is not taken for a name
        "the patient said",
        "5 patients",
        "10000 steps",
        "7:30",
        "14:00",
        "2 of 3",
        "50%",
    ],
)
def test_near_misses_stay_quiet(note: str) -> None:
    assert find_identifiers(note) == []


def test_label_and_date_merge_into_one_date_of_birth_hit() -> None:
    note = "DOB 3/4/1950"
    assert find_identifiers(note) == [
        IdentifierHit("date_of_birth", 0, len(note), "Looks like a date of birth")
    ]


def test_title_inside_patient_phrase_is_one_patient_name_hit() -> None:
    [hit] = find_identifiers("Spoke about the patient Mrs Jones.")
    assert hit.kind == "patient_name"


def test_several_identifiers_come_back_sorted_with_exact_spans() -> None:
    note = "Mr Jones (MRN 1234567) rang 555-123-4567 on 12/03/2024."
    hits = find_identifiers(note)
    assert [(h.kind, note[h.start : h.end]) for h in hits] == [
        ("name_with_title", "Mr Jones"),
        ("mrn", "MRN 1234567"),
        ("phone", "555-123-4567"),
        ("date", "12/03/2024"),
    ]


def test_each_kind_has_a_label_and_a_message_without_the_text() -> None:
    for note, _kind, fragment in IDENTIFIERS:
        for hit in find_identifiers(note):
            assert hit.kind in KINDS
            assert KINDS[hit.kind]
            assert hit.message.startswith("Looks like")
            assert fragment not in hit.message


def test_hits_are_immutable() -> None:
    [hit] = find_identifiers("MRN 1234567")
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.start = 3  # type: ignore[misc]


def test_checking_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        find_identifiers("patient Smith, MRN 1234567, DOB 3/4/1950, jane@example.com")
    assert caplog.records == []


def test_long_note_is_handled() -> None:
    note = ("Talked for 45 minutes about the code on the unit. " * 20)[:1000] + " MRN 1234567"
    hits = find_identifiers(note)
    assert [h.kind for h in hits] == ["mrn"]
    assert hits[0].end == len(note)


def _assert_well_formed(text: str, hits: list[IdentifierHit]) -> None:
    previous_end = 0
    for hit in hits:
        assert 0 <= previous_end <= hit.start < hit.end <= len(text)
        assert hit.kind in KINDS
        assert text[hit.start : hit.end] not in hit.message
        previous_end = hit.end


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises_and_spans_are_well_formed(text: str) -> None:
    _assert_well_formed(text, find_identifiers(text))


_PIECES = [fragment for _, _, fragment in IDENTIFIERS] + [
    "Mr",
    "Dr.",
    "pt.",
    "patient",
    "DOB",
    "born",
    "MRN",
    "March",
    "3",
    "2024",
    "-",
    "/",
    ".",
    ",",
    ":",
    "+",
    "@",
    "(",
    ")",
    "\n",
    "Street",
    "Smith",
    "MA",
    "02115",
    "555",
    "1234",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES) | st.text(max_size=4), max_size=16),
    st.sampled_from(["", " ", "  "]),
)
def test_mixed_identifier_text_gives_well_formed_spans(pieces: list[str], joiner: str) -> None:
    text = joiner.join(pieces)
    _assert_well_formed(text, find_identifiers(text))
