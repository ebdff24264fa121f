"""Stable codes and labels for every coded field (see shared DOMAIN.md).

The database stores codes only. A code never changes meaning; labels may be reworded or
translated. Stage and tier codes are integers, all others short lowercase strings.

Labels are marked for the catalogue here (`N_`) and translated each time they are read
(`term.label`, `vocabulary.label(code)`), so a label always speaks the language of the
moment, whether the window's or that of a report written in another language.
"""

from __future__ import annotations

from collections.abc import Mapping

from svjournal.core.i18n import N_
from svjournal.core.vocab_terms import C, Responses
from svjournal.core.vocab_terms import Term as Term
from svjournal.core.vocab_terms import Vocabulary as Vocabulary


def _v(name: str, *terms: Term[C]) -> Vocabulary[C]:
    return Vocabulary(name, tuple(terms))


# Scott's six stages of recovery of the "second victim" (Scott et al. 2009, "The natural
# history of recovery for the healthcare provider 'second victim' after adverse patient
# events"). Translators see each name with a comment: use the names of the published
# translation of the model in your language where there is one.
STAGES: Vocabulary[int] = _v(
    "stage",
    Term(
        1,
        # Translators: stage 1 of Scott's six stages of recovery of the "second victim"
        # (Scott et al. 2009): right after the event, the clinician's first response.
        N_("Chaos and accident response"),
        N_(
            "Error realized, calls for help, stabilizes the patient; may be unable to go on "
            "with that patient; distracted."
        ),
        (N_("How did this happen?"), N_("Why?")),
    ),
    Term(
        2,
        # Translators: stage 2 of Scott's six stages of recovery of the "second victim"
        # (Scott et al. 2009): the event replays in the clinician's mind.
        N_("Intrusive reflections"),
        N_("Replays the event, re-enactments, self-isolation, feels inadequate."),
        (N_("What did I miss?"), N_("Could I have prevented it?")),
    ),
    Term(
        3,
        # Translators: stage 3 of Scott's six stages of recovery of the "second victim"
        # (Scott et al. 2009): seeking to be trusted and accepted again by colleagues.
        N_("Restoring personal integrity"),
        N_("Seeks acceptance, copes with gossip, fear dominates, can't concentrate."),
        (
            N_("What will others think?"),
            N_("Will I be trusted again?"),
            N_("How much trouble am I in?"),
        ),
    ),
    Term(
        4,
        # Translators: stage 4 of Scott's six stages of recovery of the "second victim"
        # (Scott et al. 2009): the investigation of the event ("inquisition" = the
        # questioning by risk management, managers, colleagues), not a religious court.
        N_("Enduring the inquisition"),
        N_(
            "Realizes the seriousness, retells the case to many, many 'why's, learns of "
            "disclosure; physical and psychosocial symptoms."
        ),
        (
            N_("How do I document?"),
            N_("What happens next?"),
            N_("Will I lose my job or license?"),
        ),
    ),
    Term(
        5,
        # Translators: stage 5 of Scott's six stages of recovery of the "second victim"
        # (Scott et al. 2009): looking for support, as first aid is given for an injury.
        N_("Obtaining emotional first aid"),
        N_("Looks for personal or professional support; litigation worries."),
        (
            N_("Why do I react like this?"),
            N_("Is something wrong with me?"),
            N_("Where can I get help?"),
        ),
    ),
    Term(
        6,
        # Translators: stage 6 of Scott's six stages of recovery of the "second victim"
        # (Scott et al. 2009): the last stage, left by one of three paths (the outcomes
        # "Dropping out", "Surviving", "Thriving").
        N_("Moving on"),
        N_(
            "Leaves by one of three paths, recorded as the outcome: dropping out, surviving or "
            "thriving."
        ),
    ),
)
MOVING_ON = 6

OUTCOMES: Vocabulary[str] = _v(
    "outcome",
    Term(
        "dropping_out",
        # Translators: one of the three paths out of Scott's stage 6 "Moving on": the
        # clinician leaves the unit, the facility or the profession.
        N_("Dropping out"),
        N_("Changes unit or facility, thinks of quitting, feels inadequate."),
    ),
    Term(
        "surviving",
        # Translators: one of the three paths out of Scott's stage 6 "Moving on": coping.
        N_("Surviving"),
        N_("Copes, but intrusive thoughts and lasting sadness remain."),
    ),
    Term(
        "thriving",
        # Translators: one of the three paths out of Scott's stage 6 "Moving on": growing.
        N_("Thriving"),
        N_("Keeps perspective, learns from the event, advocates for safety."),
    ),
)

TIERS: Vocabulary[int] = _v(
    "tier",
    Term(
        1,
        # Translators: the first of the three tiers of support of the forYOU model (Scott
        # et al.): the clinician's own unit; keep "Tier 1" and the middle dot.
        N_("Tier 1 · local support"),
        N_(
            "Manager, supervisor or colleagues on the unit check at once that the clinician "
            "is okay."
        ),
    ),
    Term(
        2,
        # Translators: the second of the three tiers of support: a trained peer supporter
        # (the users of this app); keep "Tier 2" and the middle dot.
        N_("Tier 2 · trained peer supporter"),
        N_("One-to-one support or a team debrief by a trained peer supporter."),
    ),
    Term(
        3,
        # Translators: the third of the three tiers of support: a fast-tracked referral to
        # professional help; keep "Tier 3" and the middle dot.
        N_("Tier 3 · expedited referral"),
        N_("Clinical psychologist, chaplain, EAP, social work, the person's own counselor."),
    ),
)
ESCALATION_TIER = 3

CASE_KINDS: Vocabulary[str] = _v(
    "case kind",
    # Translators: a case kind: support for one person.
    Term("individual", N_("Individual")),
    # Translators: a case kind: support for a team or group (e.g. a debrief).
    Term("group", N_("Team / group")),
)

CASE_STATUSES: Vocabulary[str] = _v(
    "case status",
    # Translators: a case's status (the case is still being followed).
    Term("open", N_("Open")),
    # Translators: a case's status (support has ended).
    Term("closed", N_("Closed")),
)

ROLES: Vocabulary[str] = _v(
    "role",
    Term("nurse", N_("Nurse")),
    Term("physician", N_("Physician")),
    Term("resident", N_("Resident / trainee physician")),
    Term("advanced_practice", N_("Advanced practice provider")),
    Term("pharmacist", N_("Pharmacist")),
    Term("respiratory_therapist", N_("Respiratory therapist")),
    Term("midwife", N_("Midwife")),
    Term("allied_health", N_("Allied health professional")),
    Term("ems", N_("Paramedic / EMS")),
    Term("student", N_("Student")),
    Term("support_staff", N_("Support staff")),
    Term("leader", N_("Manager / leader")),
    Term("mixed", N_("Mixed team")),
    # Translators: the last choice of a list (a role, a department, an event ...).
    Term("other", N_("Other")),
)

# Departments are configurable (Settings); these are the defaults a new vault starts with.
DEFAULT_DEPARTMENTS: Vocabulary[str] = _v(
    "department",
    Term("emergency", N_("Emergency department")),
    Term("icu", N_("Intensive care")),
    Term("surgery", N_("Surgery / operating rooms")),
    Term("medicine", N_("Medical wards")),
    Term("paediatrics", N_("Pediatrics")),
    Term("obstetrics", N_("Obstetrics / maternity")),
    Term("oncology", N_("Oncology")),
    Term("pharmacy", N_("Pharmacy")),
    Term("ems", N_("EMS / ambulance")),
    Term("long_term_care", N_("Long-term care")),
    Term("outpatient", N_("Clinics / outpatient")),
    Term("home_health", N_("Home health")),
    Term("other", N_("Other")),
)

EVENT_CATEGORIES: Vocabulary[str] = _v(
    "event category",
    Term("unexpected_death", N_("Unexpected patient death")),
    Term("patient_harm", N_("Patient harm / adverse event")),
    Term("medical_error", N_("Medical error")),
    Term("near_miss", N_("Near miss")),
    Term("complication", N_("Complication")),
    Term("escalation_of_care", N_("Escalation to a higher level of care")),
    Term("violence", N_("Aggression or violence from patients or relatives")),
    Term("ethical_dilemma", N_("Ethical dilemma")),
    Term("litigation", N_("Litigation or complaint")),
    Term("staff_death", N_("Death of a staff member or their family")),
    # Translators: stress that comes from no single event (workload, staffing ...).
    Term("non_event_stress", N_("Non-event stress")),
    Term(
        "undisclosed",
        # Translators: an event category: the clinician chose not to say what happened.
        N_("Undisclosed"),
        N_("The clinician need not say what happened."),
    ),
    Term("other", N_("Other")),
)

HIGH_RISK_EVENTS: Vocabulary[str] = _v(
    "high-risk event",
    Term("reminds_of_family", N_("Patient reminds the clinician of their own family")),
    Term("child_involved", N_("Unanticipated event involving a child")),
    Term("unexpected_death", N_("Unexpected patient death")),
    Term("preventable_harm", N_("Preventable harm to a patient")),
    Term("outcome_cluster", N_("Several poor outcomes in one area within a short time")),
    Term("long_relationship_death", N_("Death after a long-term care relationship")),
    Term("first_death", N_("The clinician's first patient death")),
    Term("failure_to_rescue", N_("Failure to recognize deterioration in time")),
    Term("young_adult_death", N_("Death of a young adult")),
    Term("litigation_notice", N_("Notice of pending litigation")),
    Term("high_profile", N_("High-profile patient or event")),
    Term("exposure", N_("Needlestick or exposure from a high-risk patient")),
    Term("staff_death", N_("Death of a staff member or a staff member's family")),
    Term("violence", N_("Aggression or violence from patients or relatives")),
)

REFERRAL_SOURCES: Vocabulary[str] = _v(
    "referral source",
    Term("self", N_("Self-referral")),
    Term("manager", N_("Manager / supervisor")),
    Term("colleague", N_("Colleague")),
    Term("risk_management", N_("Risk management / patient safety")),
    Term("proactive", N_("Proactive outreach by the team")),
    Term("occupational_health", N_("Occupational health")),
    Term("other", N_("Other")),
)

MODES: Vocabulary[str] = _v(
    "mode",
    # Translators: how an encounter took place.
    Term("in_person", N_("In person")),
    # Translators: how an encounter took place (a phone call).
    Term("phone", N_("Phone")),
    # Translators: how an encounter took place (a video call).
    Term("video", N_("Video")),
    # Translators: how an encounter took place (a written message, e.g. a text or chat).
    Term("message", N_("Message")),
)

# The stress continuum (green, yellow, orange, red), as in the US Navy and Marine Corps model.
STRESS_ZONES: Vocabulary[str] = _v(
    "stress zone",
    Term(
        "ready",
        # Translators: the green zone of the stress continuum.
        N_("Ready"),
        N_("Green: coping well."),
        # Translators: the color of the "Ready" zone of the stress continuum.
        colour=N_("green"),
    ),
    Term(
        "reacting",
        # Translators: the yellow zone of the stress continuum.
        N_("Reacting"),
        N_("Yellow: mild, temporary distress."),
        # Translators: the color of the "Reacting" zone of the stress continuum.
        colour=N_("yellow"),
    ),
    Term(
        "injured",
        # Translators: the orange zone of the stress continuum.
        N_("Injured"),
        N_("Orange: persistent distress or loss of function; most at risk, least likely to ask."),
        # Translators: the color of the "Injured" zone of the stress continuum.
        colour=N_("orange"),
    ),
    Term(
        "ill",
        # Translators: the red zone of the stress continuum.
        N_("Ill"),
        N_("Red: likely needs professional help."),
        # Translators: the color of the "Ill" zone of the stress continuum.
        colour=N_("red"),
    ),
)

RED_FLAGS: Vocabulary[str] = _v(
    "red flag",
    Term("suicidal_thoughts", N_("Thoughts of suicide")),
    Term("harm_to_others", N_("Thoughts of harming others")),
    Term("substance_use", N_("Substance use to cope")),
    Term("zone_worsening", N_("Orange or red zone that persists or worsens, loss of function")),
    Term("domestic_violence", N_("Domestic violence")),
    Term("impairment", N_("Impairment that puts patients at risk")),
)

INTERVENTIONS: Vocabulary[str] = _v(
    "intervention",
    Term("reflective_listening", N_("Reflective listening")),
    Term("assessment", N_("Assessment")),
    # Translators: an intervention: helping the clinician sort out what matters first.
    Term("prioritisation", N_("Prioritization")),
    Term("normalising", N_("Normalizing reactions")),
    Term("education", N_("Education about the second victim experience")),
    Term("coping_strategies", N_("Coping strategies")),
    Term("practical_help", N_("Practical help")),
    Term("connecting_colleagues", N_("Connecting with colleagues")),
    Term("disposition", N_("Disposition (follow-up, referral)")),
)

REFERRAL_TARGETS: Vocabulary[str] = _v(
    "referral target",
    Term("psychologist", N_("Clinical psychologist"), tier3=True),
    Term("chaplain", N_("Chaplain / spiritual care"), tier3=True),
    Term("eap", N_("Employee assistance program"), tier3=True),
    Term("social_work", N_("Social work"), tier3=True),
    # Translators: a referral to the clinician's own (private) counselor or therapist.
    Term("own_counsellor", N_("Own counselor"), tier3=True),
    Term("psychiatry", N_("Psychiatry / crisis service"), tier3=True),
    Term("occupational_health", N_("Occupational health")),
    Term("legal_support", N_("Legal / risk management support")),
    Term("other", N_("Other")),
)

REFERRAL_RESPONSES: Vocabulary[str] = _v(
    "referral response",
    # Translators: the response to a referral is not yet known.
    Term("pending", N_("Not yet known")),
    # Translators: the clinician accepted the referral.
    Term("accepted", N_("Accepted")),
    # Translators: the clinician declined the referral.
    Term("declined", N_("Declined")),
)

NEEDS_MET: Vocabulary[str] = _v(
    "needs met",
    # Translators: were the clinician's needs met? Yes.
    Term("yes", N_("Yes")),
    # Translators: were the clinician's needs met? Partly.
    Term("partly", N_("Partly")),
    # Translators: were the clinician's needs met? No.
    Term("no", N_("No")),
)

FOLLOW_UP_STATUSES: Vocabulary[str] = _v(
    "follow-up status",
    # Translators: a follow-up's status: planned, not yet done.
    Term("planned", N_("Planned")),
    # Translators: a follow-up's status.
    Term("done", N_("Done")),
    # Translators: a follow-up's status: it did not take place.
    Term("missed", N_("Missed")),
    # Translators: a follow-up's status: called off.
    Term("cancelled", N_("Canceled")),
)


COMMON_RESPONSES: Mapping[str, tuple[str, ...]] = Responses(
    {
        # Translators: a group of common responses to an adverse event (body).
        N_("Physical"): (
            N_("disturbed sleep"),
            N_("poor concentration"),
            N_("eating changes"),
            N_("headache"),
            N_("fatigue"),
            N_("nausea"),
            N_("racing heart"),
            N_("fast breathing"),
            N_("muscle tension"),
        ),
        # Translators: a group of common responses to an adverse event (mind).
        N_("Psychological"): (
            N_("isolation"),
            N_("frustration"),
            N_("fear"),
            N_("dread of returning to work"),
            N_("anger or irritability"),
            N_("depression"),
            N_("extreme sadness"),
            N_("self-doubt"),
            N_("numbness"),
            N_("flashbacks"),
        ),
        # Translators: a group of common responses to an adverse event (what the clinician
        # fears may happen).
        N_("Worries"): (
            N_("being fired"),
            N_("being sued"),
            N_("losing a license"),
            N_("what colleagues think"),
        ),
    }
)
