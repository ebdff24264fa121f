"""The encounter form's stage picker, and what Mark done carries into it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from svjournal.core import vocab
from svjournal.core.inputs import CaseInput, EncounterInput
from svjournal.core.secrets import OSKeyStore
from svjournal.core.vault import Vault
from svjournal.ui.encounter_editor import EncounterEditor
from svjournal.ui.main_window import MainWindow
from svjournal.ui.session import JournalSession


def _session(vault: Vault) -> JournalSession:
    session = JournalSession(vault, OSKeyStore())
    session.adopt_unlocked()
    return session


def test_the_stage_picker_shows_the_stage_numbers(qtbot: QtBot, vault: Vault) -> None:
    journal = _session(vault).journal
    case = journal.open_case(CaseInput("ST-1", "nurse", "icu", "near_miss", "self", date.today()))
    editor = EncounterEditor(journal, case)
    qtbot.addWidget(editor)
    stage = editor.form.stage
    texts = [stage.itemText(i) for i in range(stage.count())]
    assert texts[0] == "Not assessed"
    assert texts[1] == "1 · Chaos and accident response"
    assert texts[1:] == [f"{t.code} · {t.label}" for t in vocab.STAGES]


def test_mark_done_carries_the_latest_stage_forward(qtbot: QtBot, vault: Vault) -> None:
    session = _session(vault)
    journal = session.journal
    referred = date.today() - timedelta(days=10)
    case = journal.open_case(CaseInput("ST-2", "nurse", "icu", "near_miss", "self", referred))
    for days_ago, stage in ((8, 2), (5, 4)):
        when = datetime.now().replace(second=0, microsecond=0) - timedelta(days=days_ago)
        journal.log_encounter(case.id, EncounterInput(when, "phone", 20, stage=stage))
    journal.schedule_follow_up(case.id, date.today(), "video")
    window = MainWindow(session)
    qtbot.addWidget(window)
    ws = window.workspace
    assert ws is not None
    [row] = journal.due_today()
    ws.follow_up_done(row)
    editor = ws.encounter_editor
    assert isinstance(editor, EncounterEditor)
    assert editor.form.stage.code() == 4 and editor.form.mode.code() == "video"
    assert not editor.has_changes()  # the prefill is where the form starts
    editor.close_without_asking()


def test_choosing_a_stage_or_zone_never_moves_the_red_flags(qtbot: QtBot, vault: Vault) -> None:
    """A click meant for 'Substance use' must not land on 'Thoughts of suicide': the stage help
    and the zone help keep the space of their tallest text whatever is chosen, and stage 6's
    outcome is always in its row (greyed out for the other stages)."""
    journal = _session(vault).journal
    case = journal.open_case(CaseInput("ST-3", "nurse", "icu", "near_miss", "self", date.today()))
    editor = EncounterEditor(journal, case)
    qtbot.addWidget(editor)
    editor.resize(900, 600)
    editor.show()
    qtbot.waitExposed(editor)
    form = editor.form

    def flags_at() -> tuple[int, int]:
        QApplication.processEvents()
        point = form.red_flags.mapTo(form, QPoint(0, 0))
        return point.x(), point.y()

    start = flags_at()
    seen = set()
    for stage in [*(t.code for t in vocab.STAGES), None]:
        form.stage.set_code(stage)
        seen.add(("stage", stage, flags_at()))
        for zone in form.zone._codes:
            form.zone.set_code(zone)
            seen.add(("zone", zone, flags_at()))
    editor.close_without_asking()  # before asserting: a changed form left open would ask
    moved = sorted({(kind, code, at) for kind, code, at in seen if at != start}, key=str)
    assert not moved, f"the red flags moved from {start}: {moved[:5]}"
