"""Stable codes and labels for every coded field (see shared DOMAIN.md).

The database stores codes only. A code never changes meaning; labels may be reworded or
translated. Stage and tier codes are integers, all others short lowercase strings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

C = TypeVar("C", int, str)


@dataclass(frozen=True)
class Term(Generic[C]):
    """One entry of a vocabulary: its stored code and what a person reads."""

    code: C
    label: str
    description: str = ""
    questions: tuple[str, ...] = ()
    tier3: bool = False  # referral targets: part of the Tier 3 expedited referral network
    colour: str = ""  # stress zones: the continuum's colour name


@dataclass(frozen=True)
class Vocabulary(Generic[C]):
    """An ordered list of terms with lookup by code."""

    name: str
    terms: tuple[Term[C], ...]
    _by_code: dict[C, Term[C]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_code = {t.code: t for t in self.terms}
        if len(by_code) != len(self.terms):
            raise ValueError(f"duplicate code in vocabulary {self.name}")
        object.__setattr__(self, "_by_code", by_code)

    def __iter__(self) -> Iterator[Term[C]]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def codes(self) -> tuple[C, ...]:
        return tuple(t.code for t in self.terms)

    def get(self, code: C) -> Term[C]:
        return self._by_code[code]

    def label(self, code: C) -> str:
        term = self._by_code.get(code)
        return term.label if term else str(code)


def _v(name: str, *terms: Term[C]) -> Vocabulary[C]:
    return Vocabulary(name, tuple(terms))


STAGES: Vocabulary[int] = _v(
    "stage",
    Term(
        1,
        "Chaos and accident response",
        "Error realised, calls for help, stabilises the patient; may be unable to go on "
        "with that patient; distracted.",
        ("How did this happen?", "Why?"),
    ),
    Term(
        2,
        "Intrusive reflections",
        "Replays the event, re-enactments, self-isolation, feels inadequate.",
        ("What did I miss?", "Could I have prevented it?"),
    ),
    Term(
        3,
        "Restoring personal integrity",
        "Seeks acceptance, copes with gossip, fear dominates, can't concentrate.",
        (
            "What will others think?",
            "Will I be trusted again?",
            "How much trouble am I in?",
        ),
    ),
    Term(
        4,
        "Enduring the inquisition",
        "Realises the seriousness, retells the case to many, many 'why's, learns of "
        "disclosure; physical and psychosocial symptoms.",
        (
            "How do I document?",
            "What happens next?",
            "Will I lose my job or licence?",
        ),
    ),
    Term(
        5,
        "Obtaining emotional first aid",
        "Looks for personal or professional support; litigation worries.",
        (
            "Why do I react like this?",
            "Is something wrong with me?",
            "Where can I get help?",
        ),
    ),
    Term(
        6,
        "Moving on",
        "Leaves by one of three paths, recorded as the outcome: dropping out, surviving or "
        "thriving.",
    ),
)
MOVING_ON = 6

OUTCOMES: Vocabulary[str] = _v(
    "outcome",
    Term(
        "dropping_out",
        "Dropping out",
        "Changes unit or facility, thinks of quitting, feels inadequate.",
    ),
    Term(
        "surviving",
        "Surviving",
        "Copes, but intrusive thoughts and lasting sadness remain.",
    ),
    Term(
        "thriving",
        "Thriving",
        "Keeps perspective, learns from the event, advocates for safety.",
    ),
)

TIERS: Vocabulary[int] = _v(
    "tier",
    Term(
        1,
        "Tier 1 · local support",
        "Manager, supervisor or colleagues on the unit check at once that the clinician is okay.",
    ),
    Term(
        2,
        "Tier 2 · trained peer supporter",
        "One-to-one support or a team debrief by a trained peer supporter.",
    ),
    Term(
        3,
        "Tier 3 · expedited referral",
        "Clinical psychologist, chaplain, EAP, social work, the person's own counsellor.",
    ),
)
ESCALATION_TIER = 3

CASE_KINDS: Vocabulary[str] = _v(
    "case kind",
    Term("individual", "Individual"),
    Term("group", "Team / group"),
)

CASE_STATUSES: Vocabulary[str] = _v(
    "case status",
    Term("open", "Open"),
    Term("closed", "Closed"),
)

ROLES: Vocabulary[str] = _v(
    "role",
    Term("nurse", "Nurse"),
    Term("physician", "Physician"),
    Term("resident", "Resident / trainee physician"),
    Term("advanced_practice", "Advanced practice provider"),
    Term("pharmacist", "Pharmacist"),
    Term("respiratory_therapist", "Respiratory therapist"),
    Term("midwife", "Midwife"),
    Term("allied_health", "Allied health professional"),
    Term("ems", "Paramedic / EMS"),
    Term("student", "Student"),
    Term("support_staff", "Support staff"),
    Term("leader", "Manager / leader"),
    Term("mixed", "Mixed team"),
    Term("other", "Other"),
)

# Departments are configurable (Settings); these are the defaults a new vault starts with.
DEFAULT_DEPARTMENTS: Vocabulary[str] = _v(
    "department",
    Term("emergency", "Emergency department"),
    Term("icu", "Intensive care"),
    Term("surgery", "Surgery / theatres"),
    Term("medicine", "Medical wards"),
    Term("paediatrics", "Paediatrics"),
    Term("obstetrics", "Obstetrics / maternity"),
    Term("oncology", "Oncology"),
    Term("pharmacy", "Pharmacy"),
    Term("ems", "EMS / ambulance"),
    Term("long_term_care", "Long-term care"),
    Term("outpatient", "Clinics / outpatient"),
    Term("home_health", "Home health"),
    Term("other", "Other"),
)

EVENT_CATEGORIES: Vocabulary[str] = _v(
    "event category",
    Term("unexpected_death", "Unexpected patient death"),
    Term("patient_harm", "Patient harm / adverse event"),
    Term("medical_error", "Medical error"),
    Term("near_miss", "Near miss"),
    Term("complication", "Complication"),
    Term("escalation_of_care", "Escalation to a higher level of care"),
    Term("violence", "Aggression or violence from patients or relatives"),
    Term("ethical_dilemma", "Ethical dilemma"),
    Term("litigation", "Litigation or complaint"),
    Term("staff_death", "Death of a staff member or their family"),
    Term("non_event_stress", "Non-event stress"),
    Term("undisclosed", "Undisclosed", "The clinician need not say what happened."),
    Term("other", "Other"),
)

HIGH_RISK_EVENTS: Vocabulary[str] = _v(
    "high-risk event",
    Term("reminds_of_family", "Patient reminds the clinician of their own family"),
    Term("child_involved", "Unanticipated event involving a child"),
    Term("unexpected_death", "Unexpected patient death"),
    Term("preventable_harm", "Preventable harm to a patient"),
    Term("outcome_cluster", "Several poor outcomes in one area within a short time"),
    Term("long_relationship_death", "Death after a long-term care relationship"),
    Term("first_death", "The clinician's first patient death"),
    Term("failure_to_rescue", "Failure to recognise deterioration in time"),
    Term("young_adult_death", "Death of a young adult"),
    Term("litigation_notice", "Notice of pending litigation"),
    Term("high_profile", "High-profile patient or event"),
    Term("exposure", "Needlestick or exposure from a high-risk patient"),
    Term("staff_death", "Death of a staff member or a staff member's family"),
    Term("violence", "Aggression or violence from patients or relatives"),
)

REFERRAL_SOURCES: Vocabulary[str] = _v(
    "referral source",
    Term("self", "Self-referral"),
    Term("manager", "Manager / supervisor"),
    Term("colleague", "Colleague"),
    Term("risk_management", "Risk management / patient safety"),
    Term("proactive", "Proactive outreach by the team"),
    Term("occupational_health", "Occupational health"),
    Term("other", "Other"),
)

MODES: Vocabulary[str] = _v(
    "mode",
    Term("in_person", "In person"),
    Term("phone", "Phone"),
    Term("video", "Video"),
    Term("message", "Message"),
)

STRESS_ZONES: Vocabulary[str] = _v(
    "stress zone",
    Term("ready", "Ready", "Green: coping well.", colour="green"),
    Term("reacting", "Reacting", "Yellow: mild, temporary distress.", colour="yellow"),
    Term(
        "injured",
        "Injured",
        "Orange: persistent distress or loss of function; most at risk, least likely to ask.",
        colour="orange",
    ),
    Term("ill", "Ill", "Red: likely needs professional help.", colour="red"),
)

RED_FLAGS: Vocabulary[str] = _v(
    "red flag",
    Term("suicidal_thoughts", "Thoughts of suicide"),
    Term("harm_to_others", "Thoughts of harming others"),
    Term("substance_use", "Substance use to cope"),
    Term("zone_worsening", "Orange or red zone that persists or worsens, loss of function"),
    Term("domestic_violence", "Domestic violence"),
    Term("impairment", "Impairment that puts patients at risk"),
)

INTERVENTIONS: Vocabulary[str] = _v(
    "intervention",
    Term("reflective_listening", "Reflective listening"),
    Term("assessment", "Assessment"),
    Term("prioritisation", "Prioritisation"),
    Term("normalising", "Normalising reactions"),
    Term("education", "Education about the second victim experience"),
    Term("coping_strategies", "Coping strategies"),
    Term("practical_help", "Practical help"),
    Term("connecting_colleagues", "Connecting with colleagues"),
    Term("disposition", "Disposition (follow-up, referral)"),
)

REFERRAL_TARGETS: Vocabulary[str] = _v(
    "referral target",
    Term("psychologist", "Clinical psychologist", tier3=True),
    Term("chaplain", "Chaplain / spiritual care", tier3=True),
    Term("eap", "Employee assistance programme", tier3=True),
    Term("social_work", "Social work", tier3=True),
    Term("own_counsellor", "Own counsellor", tier3=True),
    Term("psychiatry", "Psychiatry / crisis service", tier3=True),
    Term("occupational_health", "Occupational health"),
    Term("legal_support", "Legal / risk management support"),
    Term("other", "Other"),
)

REFERRAL_RESPONSES: Vocabulary[str] = _v(
    "referral response",
    Term("pending", "Not yet known"),
    Term("accepted", "Accepted"),
    Term("declined", "Declined"),
)

NEEDS_MET: Vocabulary[str] = _v(
    "needs met",
    Term("yes", "Yes"),
    Term("partly", "Partly"),
    Term("no", "No"),
)

FOLLOW_UP_STATUSES: Vocabulary[str] = _v(
    "follow-up status",
    Term("planned", "Planned"),
    Term("done", "Done"),
    Term("missed", "Missed"),
    Term("cancelled", "Cancelled"),
)

COMMON_RESPONSES: dict[str, tuple[str, ...]] = {
    "Physical": (
        "disturbed sleep",
        "poor concentration",
        "eating changes",
        "headache",
        "fatigue",
        "nausea",
        "racing heart",
        "fast breathing",
        "muscle tension",
    ),
    "Psychological": (
        "isolation",
        "frustration",
        "fear",
        "dread of returning to work",
        "anger or irritability",
        "depression",
        "extreme sadness",
        "self-doubt",
        "numbness",
        "flashbacks",
    ),
    "Worries": (
        "being fired",
        "being sued",
        "losing a licence",
        "what colleagues think",
    ),
}
