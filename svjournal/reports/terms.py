"""The programme report's terms and their definitions, printed at the end of every report.

One word names one thing: the cases *referred to the programme* (a referral in) are not the
*onward referrals* a supporter makes to other services (referrals out). Definitions follow
shared DOMAIN.md, "What programmes report".
"""

from __future__ import annotations

from svjournal.reports import grain

# (KPI key, label, definition), in the order the key figures print.
KPI_TERMS: tuple[tuple[str, str, str], ...] = (
    ("encounters", "Encounters", "Live encounters dated in the period (individual and group)."),
    (
        "people_reached",
        "People reached",
        "Distinct individual cases with an encounter in the period, plus the attendees of "
        "group encounters.",
    ),
    ("hours_of_support", "Hours of support", "Sum of the recorded encounter durations."),
    ("active_cases", "Active cases", "Cases with at least one encounter in the period."),
    ("open_cases", "Open cases now", "Cases open when the report was made (not period-bound)."),
    (
        "median_hours_to_first_contact",
        "Median time to first contact",
        "Median hours from the referral day (00:00) to the first encounter, for cases "
        "referred in the period.",
    ),
    (
        "follow_ups_due",
        "Follow-ups due",
        "Follow-ups due in the period up to the report date (cancelled ones excluded).",
    ),
    (
        "follow_ups_on_time",
        "Follow-ups kept on time",
        "Follow-ups done by their due day plus one grace day.",
    ),
    ("follow_up_completion", "Follow-up completion", "Follow-ups kept on time / follow-ups due."),
    (
        "escalated_cases",
        "Escalated cases",
        "Active cases with a Tier 3 encounter or a referral to a Tier 3 service.",
    ),
    ("escalation_rate", "Escalation rate", "Escalated cases / active cases."),
    (
        "referrals",
        "Cases referred to the programme",
        "Cases whose referral to the peer support programme fell in the period (one per "
        "case; not the onward referrals supporters make).",
    ),
    (
        "support_declined",
        "Support declined",
        "Of the cases referred to the programme, those where the supported person declined "
        "support.",
    ),
    ("decline_rate", "Decline rate", "Support declined / cases referred to the programme."),
)

# The rule that no reader learns anything about a group of fewer than t people (issue 12
# part 4; docs/REPORTS.md says the same at more length). Printed in every report.
SMALL_GROUP_RULES: tuple[tuple[str, str], ...] = (
    (
        "Small-count suppression",
        "A figure made of fewer than the threshold of people (cases, not encounters: nine "
        "encounters of one person are one person) is shown as “<N”, zero included: “<5” "
        "means fewer than 5, perhaps none. Further cells (“c”) are hidden so that no hidden "
        "figure can be worked out from the published totals and cells; the one thing a "
        "reader may work out is that a category of a group of at least N people is empty.",
    ),
    (
        "Every category listed",
        "Each table lists every role, department, kind of event, high-risk event, tier, "
        "stage, outcome and service, and every month of the period, whether anyone is in "
        "it or not, so the list of rows tells nothing. Codes outside the lists count under "
        "“Other”.",
    ),
    (
        "Small populations",
        "When fewer than N people are in the report at all (after its period and its "
        "departments), every table is withheld and every key figure hidden, and the report "
        "says so. The previous period's figures are hidden the same way when it had fewer "
        "than N people.",
    ),
    (
        "Rates, medians and hours",
        "A rate is shown only when its two counts are; the median time to first contact "
        "only when at least N people's waits make it; hours only where the encounters "
        "they belong to are shown.",
    ),
    (
        "Figures shared between tables",
        "The period's encounters, active cases, open cases, follow-ups due and kept, and "
        "each month's encounters appear in several tables and key figures: hidden in one, "
        "they are hidden in all, so one table cannot give back what another hides.",
    ),
    (
        "What suppression does not cover",
        "A reader who already knows most of the people in a figure can still learn about "
        "the rest; suppression is exact for each table's own sums and for the shared "
        "figures above, not for every combination of tables; totals may narrow a “<N” "
        "(never to one value); and two reports over "
        "overlapping periods or departments can be subtracted from each other. Share "
        "reports only with the people they are meant for.",
    ),
)

DEFINITIONS: tuple[tuple[str, str], ...] = (
    *((label, definition) for _key, label, definition in KPI_TERMS),
    (
        "Recovery stages",
        "The six stages of Scott et al. (2009): 1 chaos and accident response, 2 intrusive "
        "reflections, 3 restoring personal integrity, 4 enduring the inquisition, 5 obtaining "
        "emotional first aid, 6 moving on (dropping out, surviving or thriving).",
    ),
    (
        "Tiers of support",
        "Tier 1: local (unit/department) support; Tier 2: trained peer supporters; Tier 3: "
        "expedited referral to professional services (employee assistance, chaplaincy, "
        "social work, clinical psychology).",
    ),
    (
        "Encounters by month and stage",
        "Each encounter counted under the stage tagged in it; 'No stage yet' when none was.",
    ),
    (
        "Follow-ups by month",
        "Follow-ups by the month they were due: on time (by the due day plus one grace day), "
        "late, missed (marked missed, or still planned after the due day) and not yet done "
        "(due today).",
    ),
    (
        "Onward referrals",
        "Referrals a supporter made in encounters of the period to a service of the referral "
        "network (employee assistance, chaplaincy, …), by service and by the response "
        "recorded (pending when none yet). Not the cases referred to the programme.",
    ),
    ("Months, quarters and years", grain.GRAIN_RULE),
    *SMALL_GROUP_RULES,
)
