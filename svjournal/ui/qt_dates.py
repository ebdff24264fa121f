"""Python dates to Qt's and back, typed: PySide6 converts them at run time, but its stubs say
a `QDateEdit` takes a `QDate` and that `toPython()` returns `object`."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QTime


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def qdatetime(moment: datetime) -> QDateTime:
    """A naive local time, to the millisecond (as PySide6 converts one)."""
    clock = QTime(moment.hour, moment.minute, moment.second, moment.microsecond // 1000)
    return QDateTime(qdate(moment), clock)


def py_date(day: QDate) -> date:
    value = day.toPython()
    assert isinstance(value, date)
    return value


def py_datetime(moment: QDateTime) -> datetime:
    value = moment.toPython()
    assert isinstance(value, datetime)
    return value
