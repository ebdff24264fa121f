"""The programme report's terms and their definitions, printed at the end of every report.

One word names one thing: the cases *referred to the program* (a referral in) are not the
*onward referrals* a supporter makes to other services (referrals out). Definitions follow
shared DOMAIN.md, "What programmes report".
"""

from __future__ import annotations

from svjournal.core.i18n import N_, tr
from svjournal.reports import grain
from svjournal.reports.model import slug

# Every text here is a message (N_), translated where the report is built: `definitions()`,
# and `tr(label)` for the key figures.
# (KPI key, label, definition), in the order the key figures print.
KPI_TERMS: tuple[tuple[str, str, str], ...] = (
    (
        "encounters",
        N_("Encounters"),
        N_("Live encounters dated in the period (individual and group)."),
    ),
    (
        "people_reached",
        N_("People reached"),
        N_(
            "Distinct individual cases with an encounter in the period, plus the attendees of "
            "group encounters."
        ),
    ),
    ("hours_of_support", N_("Hours of support"), N_("Sum of the recorded encounter durations.")),
    ("active_cases", N_("Active cases"), N_("Cases with at least one encounter in the period.")),
    (
        "open_cases",
        N_("Open cases now"),
        N_("Cases open when the report was made (not period-bound)."),
    ),
    (
        "median_hours_to_first_contact",
        N_("Median time to first contact"),
        N_(
            "Median hours from the referral day (00:00) to the first encounter, for cases "
            "referred in the period."
        ),
    ),
    (
        "follow_ups_due",
        N_("Follow-ups due"),
        N_("Follow-ups due in the period up to the report date (canceled ones excluded)."),
    ),
    (
        "follow_ups_on_time",
        N_("Follow-ups kept on time"),
        N_("Follow-ups done by their due day plus one grace day."),
    ),
    (
        "follow_up_completion",
        N_("Follow-up completion"),
        N_("Follow-ups kept on time / follow-ups due."),
    ),
    (
        "escalated_cases",
        N_("Escalated cases"),
        N_("Active cases with a Tier 3 encounter or a referral to a Tier 3 service."),
    ),
    ("escalation_rate", N_("Escalation rate"), N_("Escalated cases / active cases.")),
    (
        "referrals",
        N_("Cases referred to the program"),
        N_(
            "Cases whose referral to the peer support program fell in the period (one per "
            "case; not the onward referrals supporters make)."
        ),
    ),
    (
        "support_declined",
        N_("Support declined"),
        N_(
            "Of the cases referred to the program, those where the supported person declined "
            "support."
        ),
    ),
    ("decline_rate", N_("Decline rate"), N_("Support declined / cases referred to the program.")),
)

# The rule that no reader learns anything about a group of fewer than t people (issue 12
# part 4; docs/REPORTS.md says the same at more length). Printed in every report.
SMALL_GROUP_RULES: tuple[tuple[str, str], ...] = (
    (
        N_("Small-count suppression"),
        # Translators: N stands for the threshold, a number; keep “<N”, “<5” and “c”.
        N_(
            "A figure made of fewer than the threshold of people (cases, not encounters: nine "
            "encounters of one person are one person) is shown as “<N”, zero included: “<5” "
            "means fewer than 5, perhaps none. Further cells (“c”) are hidden so that no hidden "
            "figure can be worked out from the published totals and cells; the one thing a "
            "reader may work out is that a category of a group of at least N people is empty."
        ),
    ),
    (
        N_("Every category listed"),
        N_(
            "Each table lists every role, department, kind of event, high-risk event, tier, "
            "stage, outcome and service, and every month of the period, whether anyone is in "
            "it or not, so the list of rows tells nothing. Codes outside the lists count under "
            "“Other”.",
        ),
    ),
    (
        N_("Small populations"),
        N_(
            "When fewer than N people are in the report at all (after its period and its "
            "departments), every table is withheld and every key figure hidden, and the report "
            "says so. The previous period's figures are hidden the same way when it had fewer "
            "than N people."
        ),
    ),
    (
        N_("Rates, medians and hours"),
        N_(
            "A rate is shown only when its two counts are; the median time to first contact "
            "only when at least N people's waits make it; hours only where the encounters "
            "they belong to are shown."
        ),
    ),
    (
        N_("Figures shared between tables"),
        N_(
            "The period's encounters, active cases, open cases, follow-ups due and kept, and "
            "each month's encounters appear in several tables and key figures: hidden in one, "
            "they are hidden in all, so one table cannot give back what another hides."
        ),
    ),
    (
        N_("What suppression does not cover"),
        N_(
            "A reader who already knows most of the people in a figure can still learn about "
            "the rest; suppression is exact for each table's own sums and for the shared "
            "figures above, not for every combination of tables; totals may narrow a “<N” "
            "(never to one value); and two reports over "
            "overlapping periods or departments can be subtracted from each other. Share "
            "reports only with the people they are meant for."
        ),
    ),
)

DEFINITIONS: tuple[tuple[str, str], ...] = (
    *((label, definition) for _key, label, definition in KPI_TERMS),
    (
        N_("Recovery stages"),
        N_(
            "The six stages of Scott et al. (2009): 1 chaos and accident response, 2 intrusive "
            "reflections, 3 restoring personal integrity, 4 enduring the inquisition, 5 obtaining "
            "emotional first aid, 6 moving on (dropping out, surviving or thriving)."
        ),
    ),
    (
        N_("Tiers of support"),
        N_(
            "Tier 1: local (unit/department) support; Tier 2: trained peer supporters; Tier 3: "
            "expedited referral to professional services (employee assistance, chaplaincy, "
            "social work, clinical psychology)."
        ),
    ),
    (
        N_("Encounters by month and stage"),
        N_("Each encounter counted under the stage tagged in it; 'No stage yet' when none was."),
    ),
    (
        N_("Follow-ups by month"),
        N_(
            "Follow-ups by the month they were due: on time (by the due day plus one grace day), "
            "late, missed (marked missed, or still planned after the due day) and not yet done "
            "(due today)."
        ),
    ),
    (
        N_("Onward referrals"),
        N_(
            "Referrals a supporter made in encounters of the period to a service of the referral "
            "network (employee assistance, chaplaincy, …), by service and by the response "
            "recorded (pending when none yet). Not the cases referred to the program."
        ),
    ),
    (N_("Months, quarters and years"), grain.GRAIN_RULE),
    *SMALL_GROUP_RULES,
)


def definitions() -> tuple[tuple[str, str], ...]:
    """Every (term, definition) in the current language, in reading order."""
    return tuple((tr(term), tr(text)) for term, text in DEFINITIONS)


def definition_keys() -> tuple[str, ...]:
    """A stable id per definition, from its English term ('people_reached')."""
    return tuple(slug(term) for term, _text in DEFINITIONS)
