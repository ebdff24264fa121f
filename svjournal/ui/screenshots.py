"""`make screenshots`: render every main screen offscreen from a demo vault, light and dark.

Run as `python -m svjournal.ui.screenshots --out docs/screenshots`. The vault is a throwaway
one in a temporary folder, filled with the fictional demo data.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from svjournal.core import demo
from svjournal.core.keyfile import KdfParams
from svjournal.core.vault import Vault
from svjournal.ui.app import application
from svjournal.ui.session import JournalSession
from svjournal.ui.theme import dark_palette

PASSPHRASE = "screenshot passphrase of several words"
WINDOW = QSize(1280, 800)


class ShowcaseKeyStore:
    """A keyring stand-in that says it works, so Settings shows its real buttons."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def available(self) -> tuple[bool, str]:
        return True, ""

    def load(self, vault_id: str) -> bytes | None:
        return self.entries.get(vault_id)

    def save(self, vault_id: str, data_key: bytes) -> None:
        self.entries[vault_id] = data_key

    def delete(self, vault_id: str) -> None:
        self.entries.pop(vault_id, None)


def settle(app: QApplication, widget: QWidget) -> None:
    for _ in range(5):
        app.processEvents()
    widget.repaint()


def save(app: QApplication, widget: QWidget, out: Path, name: str, scheme: str) -> Path:
    settle(app, widget)
    path = out / f"{name}-{scheme}.png"
    widget.grab().save(str(path))
    return path


def wait_for(app: QApplication, runner: Any, seconds: float = 60) -> None:
    """Let a background runner deliver its result before the picture is taken."""
    deadline = time.monotonic() + seconds
    while runner.busy and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()


def import_team_bundles(vault: Vault, folder: Path) -> None:
    """Three fictional supporters' bundles, imported as a coordinator would."""
    from svjournal.core.journal import Journal
    from svjournal.core.stats_model import Period
    from svjournal.reports.bundle import export_bundle, import_bundles

    folder.mkdir(parents=True, exist_ok=True)
    team = "lantern orchard velvet compass"
    today = date.today()
    period = Period(date(today.year - 1, 1, 1), today)
    bundles = []
    for n in (1, 2, 3):
        other, _key = Vault.create(folder / f"supporter-{n}", PASSPHRASE, kdf=KdfParams())
        with other:
            demo.generate(other.engine, cases=60 + 25 * n, seed=100 + n, anchor=today)
            bundle = folder / f"supporter-{n}.svjbundle"
            export_bundle(other.engine, period, team, bundle, journal=Journal(other.engine))
            bundles.append(bundle)
    import_bundles(vault.engine, bundles, team)


def render_all(out: Path, scheme: str, workdir: Path) -> list[Path]:
    from svjournal.ui.encounter_editor import EncounterEditor
    from svjournal.ui.main_window import MainWindow
    from svjournal.ui.wizard import FirstRunWizard
    from svjournal.ui.workspace import PAGES

    app = application()
    app.setPalette(dark_palette() if scheme == "dark" else app.style().standardPalette())
    out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    keystore = ShowcaseKeyStore()

    wizard = FirstRunWizard(workdir / f"wizard-{scheme}", keystore, kdf=KdfParams())
    wizard.show()
    shots.append(save(app, wizard, out, "wizard-welcome", scheme))
    wizard.next()
    wizard.passphrase_page.passphrase.setText("summer2024")
    wizard.passphrase_page.repeat.setText("summer2024")
    wizard.passphrase_page.meter.flush()  # show the feedback without waiting for the debounce
    shots.append(save(app, wizard, out, "wizard-passphrase", scheme))
    wizard.close()

    vault, _recovery = Vault.create(workdir / f"vault-{scheme}", PASSPHRASE, kdf=KdfParams())
    demo.generate(vault.engine, cases=140, seed=7, anchor=date.today())
    import_team_bundles(vault, workdir / f"team-{scheme}")
    vault.backup("manual")
    session = JournalSession(vault, keystore)
    window = MainWindow(session)
    window.resize(WINDOW)
    window.show()
    shots.append(save(app, window, out, "unlock", scheme))
    session.unlock(PASSPHRASE)
    workspace = window.workspace
    assert workspace is not None

    for name in PAGES:
        workspace.nav.setCurrentRow(PAGES.index(name))
        if name == "Charts":
            wait_for(app, workspace.charts.runner)
        if name == "Reports":
            wait_for(app, workspace.reports.runner)
        if name == "Team":
            wait_for(app, workspace.team.charts.runner)
        shots.append(save(app, window, out, name.lower(), scheme))
        if name == "Settings":  # and its backups and exports, further down
            for area in workspace.settings.findChildren(QScrollArea):
                area.ensureWidgetVisible(workspace.settings.backups, 0, 0)
                area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
            shots.append(save(app, window, out, "settings-backups", scheme))

    journal = session.journal
    rows = [r for r in journal.list_cases() if r.status == "open" and r.kind == "individual"]
    richest = max(rows, key=lambda r: len(journal.encounters(r.id)))
    workspace.open_case(richest.id)
    wait_for(app, workspace._trajectory_runner)
    shots.append(save(app, window, out, "case-view", scheme))

    case = journal.get_case(richest.id)
    editor = EncounterEditor(journal, case, None, window)
    editor.load_draft(
        {
            **editor.draft_payload(),
            "stage": 4,
            "stress_zone": "reacting",
            "interventions": ["reflective_listening", "normalising", "education"],
            "note": "Talked for 40 minutes; wants to call Mr. Jones back at 555-123-4567.",
        }
    )
    editor.resize(QSize(820, 780))
    editor.show()
    settle(app, editor)
    # Show the note with its identifier warning: that is what this screenshot is for.
    editor.form.note.setFocus()
    for area in editor.findChildren(QScrollArea):
        area.ensureWidgetVisible(editor.form.note, 0, 220)
    shots.append(save(app, editor, out, "encounter-editor", scheme))
    editor.close()
    window.close()
    session.close()
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--scheme", choices=("light", "dark", "both"), default="both")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before the QApplication exists
    schemes = ("light", "dark") if args.scheme == "both" else (args.scheme,)
    with tempfile.TemporaryDirectory(prefix="svjournal-shots-") as tmp:
        for scheme in schemes:
            for path in render_all(args.out, scheme, Path(tmp)):
                print(path)


if __name__ == "__main__":
    main()
