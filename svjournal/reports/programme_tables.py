"""The programme report's tables, before suppression: rows, counts and the people behind them.

Every table lists its whole vocabulary (every role, department, event category, stage,
outcome, onward-referral service; every month of the period), busy or not: which rows a
table has never depends on the journal, so a list of rows cannot tell a reader who was
supported. Codes outside the vocabulary (a retired role, a department since removed) are
counted under "Other", or under a row of their own that every report lists.

Each block carries the people (distinct cases) behind each of its figures, so that the
small-count rule hides a figure made of fewer than t people, however many encounters,
follow-ups or referrals it counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from svjournal.charts.labels import code_label, stage_label, term_label
from svjournal.core import vocab
from svjournal.core.i18n import N_, tr
from svjournal.core.stats_model import CodeCount, Dashboard, People
from svjournal.reports.grain import Grain
from svjournal.reports.programme_time import STAGE_CODES, people_map, time_specs
from svjournal.reports.tables import TOTAL, Block, TableSpec

OTHER = "other"
UNLISTED = "(unlisted)"  # the code of the row for codes outside a list without "Other"
# Translators: the row of a table for departments that are no longer in the list.
UNLISTED_LABEL = N_("Not in the list")
# Contacts per case in fixed bands (a row per observed number would show the busiest case).
# The labels are messages (translated where shown, `band_label`) only where they have words.
CONTACT_BANDS: tuple[tuple[str, str, int, int], ...] = (
    ("1", "1", 1, 1),
    ("2", "2", 2, 2),
    ("3", "3", 3, 3),
    ("4", "4", 4, 4),
    # Translators: a band of the table "Contacts per case": 5 to 9 encounters.
    ("5-9", N_("5 to 9"), 5, 9),
    # Translators: a band of the table "Contacts per case": 10 encounters or more.
    ("10+", N_("10 or more"), 10, 10**9),
)


def band_label(label: str) -> str:
    return label if label.isdigit() else tr(label)


@dataclass(frozen=True)
class Scope:
    """What the report lists: its period, grain and the departments of its rows."""

    period: object  # Period (typed loosely: only grain.time_keys reads it)
    departments: tuple[tuple[str, str], ...]  # (code, label) rows of the department table
    grain: Grain = Grain.MONTH


def department_rows(
    labels: Mapping[str, str], chosen: Sequence[str]
) -> tuple[tuple[str, str], ...]:
    """The department table's rows: the chosen departments, or every configured one."""
    configured = dict(labels) or {t.code: term_label(t) for t in vocab.DEFAULT_DEPARTMENTS}
    codes = list(chosen) if chosen else list(configured)
    rows = [(code, configured.get(code, code)) for code in codes]
    if not chosen and OTHER not in configured:
        rows.append((UNLISTED, tr(UNLISTED_LABEL)))
    return tuple(rows)


def _fold(
    items: Sequence[CodeCount], codes: Sequence[str], *, drop_unknown: bool = False
) -> dict[str, list[int]]:
    """Counts per listed code; unknown codes go to "Other" (or the unlisted row)."""
    into = OTHER if OTHER in codes else UNLISTED
    found: dict[str, list[int]] = {code: [0, 0] for code in codes}
    for item in items:
        code = str(item.code)
        if code not in found:
            if drop_unknown or into not in found:
                continue
            code = into
        found[code][0] += item.encounters
        found[code][1] += item.cases
    return found


def _codes_table(
    key: str,
    title: str,
    dimension: str,
    rows: Sequence[tuple[str, str]],
    found: dict[str, list[int]],
    active_cases: int,
    *,
    note: str,
    cases_add_up: bool,
    encounters_add_up: bool = True,
) -> TableSpec:
    """Encounters and cases per code; each column adds up to its total only when every
    encounter / case has exactly one code of the dimension. An encounters cell is small
    when its cases are."""
    cases = [[found[code][1]] for code, _label in rows]
    blocks = [
        Block(
            [tr("Encounters")],
            [[found[code][0]] for code, _label in rows],
            column_totals=encounters_add_up,
            shared={("ct", 0): "encounters"} if encounters_add_up else {},
            people=people_map(cases, columns=[active_cases] if encounters_add_up else None),
            keys=["encounters"],
        ),
        Block(
            [tr("Cases")],
            cases,
            column_totals=cases_add_up,
            shared={("ct", 0): "active_cases"} if cases_add_up else {},
            keys=["cases"],
        ),
    ]
    total_label = TOTAL if cases_add_up or encounters_add_up else None
    return TableSpec(
        key,
        title,
        dimension,
        [(label, code) for code, label in rows],
        blocks,
        note=note,
        total_label=total_label,
    )


def _vocab_rows(labels: vocab.Vocabulary[str]) -> list[tuple[str, str]]:
    return [(t.code, term_label(t)) for t in labels]


def specs(dash: Dashboard, scope: Scope) -> list[TableSpec]:
    """Every table of the report, at the scope's grain (`dash` already regrouped to it)."""
    people = dash.people or _values_as_people(dash)
    return [
        *time_specs(dash, people, scope),
        *breakdown_specs(dash, scope),
        referral_spec(dash, people),
        *case_specs(dash),
    ]


def _by_case_table(
    active: int,
    key: str,
    title: str,
    dimension: str,
    rows: list[tuple[str, str]],
    counts: list[CodeCount],
    note: str,
) -> TableSpec:
    """A breakdown where each active case is under one code, so the rows add up."""
    folded = _fold(counts, [c for c, _l in rows])
    return _codes_table(key, title, dimension, rows, folded, active, note=note, cases_add_up=True)


def breakdown_specs(dash: Dashboard, scope: Scope) -> list[TableSpec]:
    active = dash.kpis.active_cases
    roles = _vocab_rows(vocab.ROLES)
    departments = list(scope.departments)
    events = _vocab_rows(vocab.EVENT_CATEGORIES)
    risks = _vocab_rows(vocab.HIGH_RISK_EVENTS)
    tiers = [(str(t.code), term_label(t)) for t in vocab.TIERS]
    by_case = partial(_by_case_table, active)

    return [
        by_case(
            "by_role",
            tr("By role of the supported person"),
            tr("Role"),
            roles,
            dash.by_role,
            tr("Active cases and their encounters in the period, by role."),
        ),
        by_case(
            "by_department",
            tr("By department"),
            tr("Department"),
            departments,
            dash.by_department,
            tr("Active cases and their encounters in the period, by department."),
        ),
        by_case(
            "by_event_category",
            tr("By kind of event"),
            tr("Event category"),
            events,
            dash.by_event_category,
            tr("Active cases and their encounters in the period, by the kind of event."),
        ),
        _codes_table(
            "by_high_risk_event",
            tr("High-risk events"),
            tr("High-risk event"),
            risks,
            _fold(dash.by_high_risk_event, [c for c, _l in risks], drop_unknown=True),
            active,
            note=tr(
                "A case counts under each high-risk event flagged for it, so the rows do "
                "not add up to a total."
            ),
            cases_add_up=False,
            encounters_add_up=False,
        ),
        _codes_table(
            "by_tier",
            tr("By tier of support"),
            tr("Tier"),
            tiers,
            _fold(dash.by_tier, [c for c, _l in tiers], drop_unknown=True),
            active,
            note=tr(
                "Encounters at each tier; a case may have encounters at several tiers, so "
                "cases do not add up."
            ),
            cases_add_up=False,
        ),
    ]


def referral_spec(dash: Dashboard, people: People) -> TableSpec:
    targets = [t.code for t in vocab.REFERRAL_TARGETS]
    counts: dict[str, list[int]] = {code: [0, 0, 0] for code in targets}
    who: dict[str, list[int]] = {code: [0, 0, 0, 0] for code in targets}
    for r in dash.referrals:
        code = r.target if r.target in counts else OTHER
        for k, n in enumerate((r.accepted, r.declined, r.pending)):
            counts[code][k] += n
        # Unknown targets folded into "Other": at least as many people as the largest.
        seen = people.referrals.get(r.target, (0, 0, 0, 0))
        who[code] = [max(a, b) for a, b in zip(who[code], seen, strict=True)]
    return TableSpec(
        "referrals",
        tr("Onward referrals by service and response"),
        tr("Service"),
        [(code_label(vocab.REFERRAL_TARGETS, code), code) for code in targets],
        [
            Block(
                [tr("Accepted"), tr("Declined"), tr("Pending")],
                [counts[code] for code in targets],
                row_total=tr("All onward referrals"),
                keys=["accepted", "declined", "pending"],
                row_total_key="all_onward_referrals",
                people=people_map(
                    [who[code][:3] for code in targets],
                    rows=[who[code][3] for code in targets],
                    columns=people.referral_totals[:3],
                    grand=people.referral_totals[3],
                ),
            )
        ],
        note=tr(
            "Onward referrals: those a supporter made in encounters of the period, to "
            "the services of the referral network."
        ),
    )


def case_specs(dash: Dashboard) -> list[TableSpec]:
    stages = dict(dash.open_case_stages)
    outcomes = dict(dash.outcomes)
    contacts = [0] * len(CONTACT_BANDS)
    for n, cases in dash.contacts_per_case:
        for b, (_code, _label, low, high) in enumerate(CONTACT_BANDS):
            if low <= n <= high:
                contacts[b] += cases
    return [
        TableSpec(
            "open_cases_by_stage",
            tr("Open cases by current stage"),
            tr("Stage"),
            [(stage_label(s), "" if s is None else str(s)) for s in STAGE_CODES],
            [
                Block(
                    [tr("Open cases")],
                    [[stages.get(s, 0)] for s in STAGE_CODES],
                    shared={("ct", 0): "open_cases"},
                    keys=["open_cases"],
                )
            ],
            note=tr("Cases open now, by the stage tagged in their latest encounter."),
        ),
        TableSpec(
            "outcomes",
            tr("Stage 6 outcomes"),
            tr("Outcome"),
            [(term_label(t), t.code) for t in vocab.OUTCOMES],
            [
                Block(
                    [tr("Cases")],
                    [[outcomes.get(t.code, 0)] for t in vocab.OUTCOMES],
                    keys=["cases"],
                )
            ],
            note=tr("Active cases whose latest stage 6 encounter recorded an outcome."),
        ),
        TableSpec(
            "contacts_per_case",
            tr("Contacts per case"),
            tr("Encounters in the period"),
            [(band_label(label), code) for code, label, _low, _high in CONTACT_BANDS],
            [
                Block(
                    [tr("Cases")],
                    [[n] for n in contacts],
                    shared={("ct", 0): "active_cases"},
                    keys=["cases"],
                )
            ],
            note=tr("How many active cases had one, two, three … encounters in the period."),
        ),
    ]


def _values_as_people(dash: Dashboard) -> People:
    """For a hand-built dashboard without people counts: the most cautious reading, as
    few people behind every encounter figure as the figures allow (one per cell at most
    what is known of the whole: the active cases)."""
    del dash
    return People()
