"""Wording the supporter reads: empty states that say how to start, no stray punctuation or
command-line quoting, one date format."""

from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from svjournal.core import i18n, vocab
from svjournal.core.inputs import CaseInput
from svjournal.core.journal import Journal
from svjournal.ui.pages.cases import CasesPage
from svjournal.ui.pages.reference import reference_html
from svjournal.ui.session import JournalSession


def _visible_texts(widget: object) -> list[str]:
    return [
        label.text()
        for label in widget.findChildren(QLabel)  # type: ignore[attr-defined]
        if label.isVisibleTo(widget)  # type: ignore[arg-type]
    ]


def test_an_empty_journal_says_how_to_start_not_to_clear_filters(
    qtbot: QtBot, journal: Journal
) -> None:
    # Issue 10: "Clear the filters" was shown with zero cases.
    page = CasesPage(journal)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    texts = " ".join(_visible_texts(page))
    assert "filter" not in texts.lower()
    assert "New case" in texts


def test_filters_that_hide_every_case_say_so(qtbot: QtBot, journal: Journal) -> None:
    journal.open_case(CaseInput("QX-1", "nurse", "icu", "near_miss", "self", date(2026, 11, 1)))
    page = CasesPage(journal)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    page.find.setText("nothing like this")
    texts = " ".join(_visible_texts(page))
    assert "Clear the filters" in texts and "New case" not in texts


def test_reference_has_no_stray_punctuation() -> None:
    # Issue 10: a ".;" where an outcome's description met the separator.
    text = re.sub(r"<[^>]+>", " ", reference_html())
    stray = r"[.;:,]\s*[;:]|[;:,]\s*[.,]"  # ".;", ",:", ";." … ("et al.," is fine)
    assert not re.findall(rf".{{20}}(?:{stray}).{{5}}", text)


def test_team_text_quotes_no_command_line(qtbot: QtBot, session: JournalSession) -> None:
    # Issue 10: "(or `svjournal bundle export`)" in the Team page's empty state.
    from svjournal.ui.pages.team import TeamPage

    page = TeamPage(session)
    qtbot.addWidget(page)
    texts = [label.text() for label in page.findChildren(QLabel)]
    assert not [t for t in texts if "`" in t]


@pytest.mark.parametrize("language", i18n.shipped())
def test_reference_names_each_zone_color_once(language: str) -> None:
    """It read "Ready (green): Green: coping well.": the meaning already names the color."""
    with i18n.speaking(language):
        items = [
            re.sub(r"<[^>]+>", "", li) for li in re.findall(r"<li>(.*?)</li>", reference_html())
        ]
        for zone in vocab.STRESS_ZONES:
            [line] = [item for item in items if item.startswith(zone.label)]
            words = re.findall(r"\w+", line.lower())
            assert words.count(zone.colour.lower()) == 1, (language, line)
