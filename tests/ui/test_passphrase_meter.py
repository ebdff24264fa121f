"""The strength meter says one thing, and the fields around it stay where they are."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from svjournal.ui.passphrase_widgets import PassphraseField, PassphraseStrengthMeter

TYPED = ["a", "abc", "password1234", "summer holidays", "Tr0ub4dor&3xyz", "qwertyuiopasdfgh", ""]


def test_the_meter_shows_the_core_verdict_and_time(qtbot: QtBot) -> None:
    meter = PassphraseStrengthMeter()
    qtbot.addWidget(meter)
    meter.set_passphrase("ilovemycat2024")
    strength = meter.flush()
    assert strength is not None
    assert meter.verdict.text() == f"Strength: {strength.verdict}"
    assert strength.crack_time in meter.crack_time.text()
    assert ("good enough" in meter.verdict.text()) == ("year" in meter.crack_time.text())


def _form_with_meter(
    qtbot: QtBot,
) -> tuple[QWidget, PassphraseField, PassphraseStrengthMeter, PassphraseField]:
    from PySide6.QtWidgets import QFormLayout

    window = QWidget()
    form = QFormLayout(window)
    first, repeat = PassphraseField(), PassphraseField("Repeat passphrase")
    meter = PassphraseStrengthMeter(delay_ms=0)
    form.addRow("Passphrase:", first)
    form.addRow("", meter)
    form.addRow("Repeat it:", repeat)
    first.textChanged.connect(meter.set_passphrase)
    qtbot.addWidget(window)
    window.resize(460, 420)
    window.show()
    qtbot.waitExposed(window)
    return window, first, meter, repeat


def test_the_confirm_field_does_not_move_as_the_hint_changes(qtbot: QtBot) -> None:
    window, first, meter, repeat = _form_with_meter(qtbot)
    QApplication.processEvents()
    where = repeat.mapTo(window, QPoint(0, 0))
    seen = set()
    for text in TYPED:
        first.setText(text)
        meter.flush()
        QApplication.processEvents()
        seen.add(meter.feedback.text())
        assert repeat.mapTo(window, QPoint(0, 0)) == where, text
    assert len(seen) >= 3  # the hint did change


def test_every_passphrase_form_uses_the_same_meter() -> None:
    """Issue 14: one new-secret widget (two fields, the meter, the core's rule) in every
    dialog that sets a secret: first run, change, recovery, personal export."""
    import inspect
    from pathlib import Path

    from svjournal.ui import backup_dialogs, change_passphrase, recovery, wizard

    for module in (wizard, recovery, backup_dialogs, change_passphrase):
        source = inspect.getsource(module)
        assert "NewPassphrase(" in source, module.__name__
        assert "crack_time" not in source and "score" not in source, module.__name__
    ui = Path(wizard.__file__).parent
    builders = sorted(
        str(path.relative_to(ui))
        for path in ui.rglob("*.py")
        if "PassphraseStrengthMeter("
        in path.read_text(encoding="utf-8").replace("class PassphraseStrengthMeter(", "")
    )
    assert builders == ["new_passphrase.py"]  # no dialog builds a meter of its own
