"""Tests for the patient-identifier checker: what it flags, and what it must leave alone."""

from __future__ import annotations

import dataclasses
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svjournal.core.phi import (
    KIND_NOUNS,
    KINDS,
    IdentifierHit,
    find_identifiers,
    kinds_found,
    pseudonym_warning,
)

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
    # Department names that begin with "Patient" are not patients.
    "Patient Safety Office asked for a learning review.",
    "Referred her to the Patient Experience team about the complaint letter.",
    "Patient Advice and Liaison Service were helpful.",
    "She works in Patient Flow and the bed meetings wear her down.",
    "Patient Relations called about the family's complaint.",
    "Met the Patient Safety Specialist on Thursday.",
    "The Patient Experience Lead joined the huddle.",
    "Patient Access team short of 2 staff.",
    "Patient Engagement Forum meets in May.",
    "Patient Transport Service was late again.",
    "Patient Safety Incident Response Framework review is pending.",
    "Patient Advocacy officer sat in on the meeting.",
    "PATIENT SAFETY team informed.",
    "Team of 6 from the Patient Safety Office and 2 from HR.",
    # Ages of 89 and under, durations and counts that look like ages.
    "The patient was 85 years old and it felt unfair.",
    "A 45-year-old colleague, new to nights.",
    "Aged 30 to 40, mostly nurses on the unit.",
    "Felt like a 90-minute shift in resus.",
    "Worked 92 hours over 8 days.",
    # Labels named without a value.
    "The MRN on the wristband was wrong, which led to the error.",
    "DOB mix-up on the labels meant the wrong blood was sent.",
    "Date of birth check was missed at handover.",
    "Her name was not on the rota.",
    "Name badge lost on the ward.",
    "Account manager from HR joined the call.",
    "Policy review due in Q1 2027.",
    "Device alarm kept going off in bay 2.",
    "Serial incidents on the unit over 3 months.",
    "Plate of food left untouched at 14:00.",
    "Sister on the ward offered a break.",
    "Street party at the weekend helped.",
    # Everyday supporter phrasing with numbers.
    "Grand Rounds next week on second victims.",
    "Schwartz Round in March was moving.",
    "Extension 4455 for the chaplain.",
    "Rang 988 with her in the room.",
    "Pager went off 6 times before midnight.",
    "Staff survey score 3.5 of 5.",
    "Between 2020 and 2024 she had 3 incidents.",
    "The 2nd debrief went better than the first.",
    "Back on the 14th after annual leave.",
    "Session at 10.30 in room 2.14.",
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
    # Names: possessives, several people, hyphens, labels without punctuation.
    ("Mrs Patel's son rang the ward", "name_with_title", "Mrs Patel"),
    ("Mr and Mrs Okafor were at the bedside", "name_with_title", "Mrs Okafor"),
    ("Ms Nguyen's husband complained", "name_with_title", "Ms Nguyen"),
    ("Dr. O'Neill-Hughes led the debrief", "name_with_title", "Dr. O'Neill-Hughes"),
    ("MRS HUGHES died on the ward", "name_with_title", "MRS HUGHES"),
    ("The patient, Mr Lee, deteriorated fast", "name_with_title", "Mr Lee"),
    ("Patient: Aisha Khan", "patient_name", "Aisha Khan"),
    ("pt Jones was transferred", "patient_name", "pt Jones"),
    ("Patient Jones's daughter was there", "patient_name", "Patient Jones"),
    ("Her name is Sarah Connor", "patient_name", "Sarah Connor"),
    ("name John Smith on the form", "patient_name", "John Smith"),
    # Geography smaller than a state.
    ("Lives at 14 Acacia Avenue", "address", "14 Acacia Avenue"),
    ("Flat 3, 27 Mill Lane", "address", "27 Mill Lane"),
    ("She lives on Baker Street now", "address", "Baker Street"),
    ("Home in Austin, TX 78701", "zip", "TX 78701"),
    ("postcode M1 1AE", "zip", "postcode M1 1AE"),
    # Dates tied to a person (admission, discharge, death, birth).
    ("Admitted 14/02/2026 via ED", "date", "14/02/2026"),
    ("Discharged on the 3rd of Jan", "date", "3rd of Jan"),
    ("Died 12.03.24 on nights", "date", "12.03.24"),
    ("DOD 5/6/2025", "date", "5/6/2025"),
    ("Surgery was on Tuesday 3 March", "date", "3 March"),
    ("Arrest at 02:10 on 2026-11-30", "date", "2026-11-30"),
    ("DOB 03 04 1950", "date_of_birth", "DOB 03 04 1950"),
    ("born on Jan 5th 1948", "date_of_birth", "Jan 5th 1948"),
    ("Birthday 12 May", "date_of_birth", "12 May"),
    # Ages over 89.
    ("A 94-year-old woman died after the fall", "age", "94-year-old"),
    ("Patient aged 91 with dementia", "age", "aged 91"),
    ("He was 97 years old", "age", "97 years old"),
    ("93 y/o male in bay 4", "age", "93 y/o"),
    # Phone and fax numbers.
    ("Ph 555 123 4567", "phone", "555 123 4567"),
    ("fax 020 7946 0000", "phone", "020 7946 0000"),
    ("mobile 07700 900123", "phone", "07700 900123"),
    ("Her cell is 555.867.5309", "phone", "555.867.5309"),
    ("Call +61 2 9374 4000", "phone", "+61 2 9374 4000"),
    # Email addresses.
    ("Emailed j.smith@nhs.net", "email", "j.smith@nhs.net"),
    ("Contact: JSmith@Hospital.org", "email", "JSmith@Hospital.org"),
    # Social Security numbers.
    ("SSN 123 45 6789", "ssn", "SSN 123 45 6789"),
    ("social security number 123456789", "ssn", "123456789"),
    # Medical record numbers.
    ("MRN1234567 on the wristband", "mrn", "MRN1234567"),
    ("Hosp no 7654321", "mrn", "Hosp no 7654321"),
    ("URN 445566", "mrn", "445566"),
    ("medical record number 00123456", "mrn", "00123456"),
    ("CHI 0101501234", "mrn", "0101501234"),
    ("Datix 1234567 filed", "mrn", "1234567"),
    # Health plan beneficiary and account numbers.
    ("Medicare number 1EG4-TE5-MK73", "account_number", "1EG4-TE5-MK73"),
    ("Medicaid ID 12345678", "account_number", "12345678"),
    ("acct 55667788", "account_number", "55667788"),
    ("Health plan member number HP-99887766", "account_number", "HP-99887766"),
    # Certificate and licence numbers.
    ("licence no. 1234567", "account_number", "1234567"),
    ("NPI 1234567890", "account_number", "1234567890"),
    ("GMC number 7012345", "account_number", "7012345"),
    ("DEA # AB1234563", "account_number", "AB1234563"),
    # Vehicle identifiers.
    ("Her car, plate AB12 CDE, was towed", "vehicle", "AB12 CDE"),
    ("number plate ABC 1234", "vehicle", "ABC 1234"),
    ("VIN 1HGCM82633A004352", "vehicle", "1HGCM82633A004352"),
    # Device identifiers and serial numbers.
    ("pump serial number SN-4481223", "account_number", "SN-4481223"),
    ("Device ID 4455667788 alarmed", "account_number", "4455667788"),
    # Web and network addresses.
    ("Posted on facebook.com/jane.smith.77", "url", "facebook.com/jane.smith.77"),
    ("http://intranet/patients/4411", "url", "http://intranet/patients/4411"),
    ("Logged from 10.0.0.57", "ip_address", "10.0.0.57"),
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
    # Issue 10: at least 60 identifiers and 40 ordinary sentences, from the Safe Harbor list.
    assert len(QUIET) >= 40
    assert len(IDENTIFIERS) >= 60
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


def test_a_name_beside_a_record_number_and_a_date_keeps_all_three_kinds() -> None:
    # Issue 10: the record number swallowed "Mrs Patel's", so the warning named no name.
    note = "Mrs Patel's MRN 1234567, DOB 3/4/1950"
    hits = find_identifiers(note)
    assert [(h.kind, note[h.start : h.end]) for h in hits] == [
        ("name_with_title", "Mrs Patel"),
        ("mrn", "MRN 1234567"),
        ("date_of_birth", "DOB 3/4/1950"),
    ]


def test_merged_hits_remember_every_kind_they_cover() -> None:
    [hit] = find_identifiers("Spoke about the patient Mrs Jones.")
    assert hit.kind == "patient_name" and "name_with_title" in hit.also
    assert kinds_found([hit]) == ["patient_name", "name_with_title"]


def test_kinds_found_lists_each_kind_once_in_order() -> None:
    note = "Mr Jones rang 555-123-4567 and Dr Patel rang 555-987-6543 on 12/03/2024."
    assert kinds_found(find_identifiers(note)) == ["name_with_title", "phone", "date"]


def test_every_kind_has_a_noun_without_digits_for_the_warning() -> None:
    for kind in KINDS:
        noun = KIND_NOUNS[kind]
        assert noun.startswith(("a ", "an ")) and not any(c.isdigit() for c in noun)


@pytest.mark.parametrize(
    "alias", ["Jane Smith", "Mrs. Jones", "Dr Patel", "jane.smith@example.org", "555-123-4567"]
)
def test_a_pseudonym_that_looks_like_a_real_name_or_contact_is_warned(alias: str) -> None:
    message = pseudonym_warning(alias)
    assert "colleague you support cannot be identified" in message
    assert "patient" not in message and alias not in message


@pytest.mark.parametrize("alias", ["NR-12", "JK", "Demo Kestrel 001", "Team B nights", "", "A.B."])
def test_a_code_or_initials_as_a_pseudonym_is_not_warned(alias: str) -> None:
    assert pseudonym_warning(alias) == ""


def test_a_real_name_pseudonym_gets_the_colleague_wording() -> None:
    assert pseudonym_warning("Jane Smith") == (
        "This looks like a real name. Use a pseudonym so the colleague you support "
        "cannot be identified."
    )
