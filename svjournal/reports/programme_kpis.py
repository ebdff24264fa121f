"""The report's key figures, suppressed: counts by the people behind them, rates and the
median only for groups of at least t people."""

from __future__ import annotations

from svjournal.core.i18n import tr
from svjournal.core.stats_model import Kpis, People
from svjournal.reports.model import Cell, CellState, KpiLine
from svjournal.reports.tables import (
    cell_for,
    days_text,
    decimal_text,
    hours_text,
    not_applicable,
    percent_text,
    protected,
    small_text,
)
from svjournal.reports.terms import KPI_TERMS

# KPI key → the shared key of the same figure in the tables (hidden there ⇒ hidden here).
_SHARED_KPIS = {
    "encounters": "encounters",
    "active_cases": "active_cases",
    "open_cases": "open_cases",
    "follow_ups_due": "follow_ups_due",
    "follow_ups_on_time": "follow_ups_on_time",
}
COUNT_KPIS = (
    "encounters",
    "people_reached",
    "active_cases",
    "open_cases",
    "follow_ups_due",
    "follow_ups_on_time",
    "escalated_cases",
    "referrals",
    "support_declined",
)


def _behind(k: Kpis, people: People | None, previous: bool) -> dict[str, int | None]:
    """The people behind each count KPI (None: the count is of people itself)."""
    fu = people.previous_follow_ups if people and previous else None
    if people and not previous:
        fu = people.follow_up_totals[:2]
    return {
        "encounters": k.active_cases,
        "people_reached": k.active_cases,
        "follow_ups_due": None if fu is None else fu[0],
        "follow_ups_on_time": None if fu is None else fu[1],
    }


def kpi_lines(
    current: Kpis,
    previous: Kpis,
    t: int,
    hidden: set[str],
    *,
    people: People | None = None,
    days_only: bool = False,
    withhold_current: bool = False,
    withhold_previous: bool = False,
) -> list[KpiLine]:
    """The key figures of both periods. A withheld period (fewer than t people in it)
    shows the same for every figure whatever the journal holds."""

    def counts(k: Kpis, shared: set[str], *, is_previous: bool, withhold: bool) -> dict[str, Cell]:
        if withhold:
            return _withheld(t)
        behind = _behind(k, people, is_previous)
        if people is None:  # a hand-built dashboard: follow-ups by their own count
            behind["follow_ups_due"] = behind["follow_ups_on_time"] = 0
        waits = None if people is None else (people.previous_waits if is_previous else people.waits)
        cells = {name: cell_for(getattr(k, name), t, behind.get(name)) for name in COUNT_KPIS}
        for name, key in _SHARED_KPIS.items():
            if key in shared and cells[name].published:
                cells[name] = protected()
        cells["hours_of_support"] = (
            Cell(
                CellState.PUBLISHED,
                round(k.hours_of_support, 1),
                decimal_text(k.hours_of_support),
                "decimal",
            )
            if cells["encounters"].published
            else protected()
        )
        cells["follow_up_completion"] = _rate(
            k.follow_up_completion, cells["follow_ups_on_time"], cells["follow_ups_due"]
        )
        cells["escalation_rate"] = _rate(
            k.escalation_rate, cells["escalated_cases"], cells["active_cases"]
        )
        cells["decline_rate"] = _rate(k.decline_rate, cells["support_declined"], cells["referrals"])
        cells["median_hours_to_first_contact"] = _median(
            k.median_hours_to_first_contact, waits, t, days_only
        )
        return cells

    now_cells = counts(current, hidden, is_previous=False, withhold=withhold_current)
    # The previous period's figures are not in any table, so only their own size matters.
    before_cells = counts(previous, set(), is_previous=True, withhold=withhold_previous)
    before_cells["open_cases"] = not_applicable()  # "open now" has no earlier figure
    lines = []
    for key, label, definition in KPI_TERMS:
        label, definition = tr(label), tr(definition)
        if days_only and key == "median_hours_to_first_contact":
            label = tr("Median days to first contact")
            definition = tr(
                "Median whole days from the referral day to the day of the first encounter, "
                "for cases referred in the period (team bundles carry days, not times; "
                "0 = the same day)."
            )
        lines.append(KpiLine(key, label, now_cells[key], before_cells[key], definition))
    return lines


def _withheld(t: int) -> dict[str, Cell]:
    cells = {name: Cell(CellState.SMALL, None, small_text(t)) for name in COUNT_KPIS}
    for name in (
        "hours_of_support",
        "follow_up_completion",
        "escalation_rate",
        "decline_rate",
        "median_hours_to_first_contact",
    ):
        cells[name] = protected()
    return cells


def _median(value: float | None, waits: int | None, t: int, days_only: bool) -> Cell:
    """The median wait of the cases referred with a first contact: published only when
    at least t people's waits make it (a median of two is nearly their own waits); hidden
    alike whether there is one or not, so "—" never tells that nobody was contacted."""
    behind = waits if waits is not None else 0
    if t and behind < t:
        return protected()
    if value is None:
        return not_applicable()
    if days_only:
        days = value / 24
        return Cell(CellState.PUBLISHED, round(days, 1), days_text(days), "days")
    return Cell(CellState.PUBLISHED, round(value, 1), hours_text(value), "hours")


def _rate(value: float | None, numerator: Cell, denominator: Cell) -> Cell:
    """A rate only when both its counts are published (so at least t people each)."""
    if not (numerator.published and denominator.published):
        return protected()
    if value is None:
        return not_applicable()
    return Cell(CellState.PUBLISHED, round(value, 4), percent_text(value), "percent")
