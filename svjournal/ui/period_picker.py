"""The period picker of Charts and Reports: the named periods of `core.periods`, then custom
dates, each with its definition as tooltip, and the From/To fields beside it.

The fields are grayed while a named period is chosen and always show that period's dates
(worked out again on every refresh, so they never go stale past midnight).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDateEdit

from svjournal.core import periods
from svjournal.core.i18n import tr
from svjournal.core.periods import Period, Preset


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def fill(combo: QComboBox, today: date, default: Preset = periods.DEFAULT) -> None:
    """The named periods (data: their key) and custom dates (data: None)."""
    combo.blockSignals(True)
    combo.clear()
    for preset in periods.PRESETS:
        combo.addItem(tr(preset.label), preset.key)
    combo.addItem(tr(periods.CUSTOM_LABEL), None)
    combo.setCurrentIndex(periods.PRESETS.index(default))
    combo.blockSignals(False)
    update_help(combo, today)


def chosen(combo: QComboBox) -> Preset | None:
    key = combo.currentData()
    return None if key is None else periods.preset(key)


def update_help(combo: QComboBox, today: date) -> None:
    """Each item's tooltip is its definition with today's dates; the box shows the chosen one's."""
    for i in range(combo.count()):
        key = combo.itemData(i)
        text = tr(periods.CUSTOM_HELP) if key is None else periods.preset(key).help(today)
        combo.setItemData(i, text, Qt.ItemDataRole.ToolTipRole)
    combo.setToolTip(str(combo.itemData(combo.currentIndex(), Qt.ItemDataRole.ToolTipRole)))
    combo.setAccessibleDescription(combo.toolTip())


def sync(combo: QComboBox, start: QDateEdit, end: QDateEdit, today: date) -> Period:
    """The period chosen; for a named one, its dates are put in the (greyed) fields."""
    update_help(combo, today)
    preset = chosen(combo)
    for edit in (start, end):
        edit.setEnabled(preset is None)
    if preset is None:
        return periods.custom(pydate(start.date()), pydate(end.date()))
    period = preset.period(today)
    for edit, day in ((start, period.start), (end, period.end)):
        edit.blockSignals(True)  # not a user's edit: no refresh of its own
        edit.setDate(qdate(day))
        edit.blockSignals(False)
    return period
