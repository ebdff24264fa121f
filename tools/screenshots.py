"""`make screenshots`: every page and the main dialogs, rendered offscreen from a demo journal
at 1024x640, 1366x768 and 1920x1080, light and dark, into docs/screenshots/<size>/.

    python -m tools.screenshots [--out docs/screenshots] [--sizes 1366x768,...] [--lang de]

One process per size, each on an offscreen screen of that size (Qt's offscreen platform reads
the screen from a JSON file), so that dialogs size themselves to it as they would on a real
one. The window fills the screen. The journal is a throwaway one in a temporary folder, filled
with fictional demo data; `make screenshots-x11` (tools/real_window.py) shows the real window
under a window manager instead. PNGs are reduced to a 256-colour palette to stay small.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QDialog, QScrollArea, QWidget

from svjournal.core import demo, i18n
from svjournal.core.keyfile import KdfParams
from svjournal.core.vault import Vault
from svjournal.ui import language as window_language
from svjournal.ui.app import application
from svjournal.ui.backup_dialogs import RestoreDialog
from svjournal.ui.session import JournalSession
from svjournal.ui.theme import dark_palette

PASSPHRASE = "screenshot passphrase of several words"
SIZES = ("1024x640", "1366x768", "1920x1080")


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
    shrink_png(path)
    return path


def shrink_png(path: Path) -> None:
    """A 256-colour palette (what pngquant does): a third of the size, no visible change
    for flat UI colours and anti-aliased text."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(
            256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    small.save(path, optimize=True)


def wait_for(app: QApplication, runner: Any, seconds: float = 60) -> None:
    """Let a background runner deliver its result before the picture is taken."""
    deadline = time.monotonic() + seconds
    while runner.busy and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()


def import_team_bundles(vault: Vault, folder: Path) -> None:
    """Three fictional supporters join the team and send bundles; the coordinator accepts."""
    from svjournal.core import team_keys
    from svjournal.core.journal import Journal
    from svjournal.core.stats_model import Period
    from svjournal.reports.bundle import export_bundle, import_bundles

    folder.mkdir(parents=True, exist_ok=True)
    if team_keys.stored(vault.engine, team_keys.OWN_TEAM) is None:
        team_keys.create_team(vault.engine, "Ward 7 peer support")
    card = team_keys.card_of(vault.engine)
    today = date.today()
    period = Period(date(today.year - 1, 1, 1), today)
    bundles, authors = [], []
    for n in (1, 2, 3):
        other, _key = Vault.create(folder / f"supporter-{n}", PASSPHRASE, kdf=KdfParams())
        with other:
            demo.generate(other.engine, cases=60 + 25 * n, seed=100 + n, anchor=today)
            team_keys.join_team(other.engine, card)
            authors.append(team_keys.own_fingerprint(other.engine))
            bundle = folder / f"supporter-{n}.svjbundle"
            export_bundle(other.engine, period, bundle, journal=Journal(other.engine))
            bundles.append(bundle)
    import_bundles(vault.engine, bundles, accept=authors)


def close_unasked(dialog: QDialog) -> None:
    """Close without the "Discard changes?" question a filled form asks (nobody would answer)."""
    QDialog.done(dialog, QDialog.DialogCode.Rejected)


def make_vault(workdir: Path) -> Path:
    """The demo journal every size is rendered from, with three supporters' team bundles."""
    path = workdir / "vault"
    vault, _recovery = Vault.create(path, PASSPHRASE, kdf=KdfParams())
    with vault:
        demo.generate(vault.engine, cases=140, seed=7, anchor=date.today())
        import_team_bundles(vault, workdir / "team")
        vault.backup("manual")
    return path


def render_all(out: Path, scheme: str, vault_path: Path, workdir: Path) -> list[Path]:
    from svjournal.core import backup as backups
    from svjournal.core.team_keys import card_of
    from svjournal.ui.case_editor import CaseEditor
    from svjournal.ui.dialogs import CloseCaseDialog, FollowUpDialog
    from svjournal.ui.encounter_editor import EncounterEditor
    from svjournal.ui.main_window import MainWindow
    from svjournal.ui.team_dialogs import ExportBundleDialog
    from svjournal.ui.wizard import FirstRunWizard
    from svjournal.ui.workspace import PAGES

    app = application()
    app.setPalette(dark_palette() if scheme == "dark" else app.style().standardPalette())
    out.mkdir(parents=True, exist_ok=True)
    screen = app.primaryScreen().availableSize()
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

    vault = Vault.open(vault_path)
    session = JournalSession(vault, keystore)
    window = MainWindow(session)
    window.resize(screen)  # the window fills the screen
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
    editor.show()
    settle(app, editor)
    # Show the note with its identifier warning: that is what this screenshot is for.
    editor.form.note.setFocus()
    for area in editor.findChildren(QScrollArea):
        area.ensureWidgetVisible(editor.form.note, 0, 220)
    shots.append(save(app, editor, out, "encounter-editor", scheme))
    close_unasked(editor)

    newest = vault.newest_backup()
    assert newest is not None
    header = backups.read_header(newest)
    dialogs: list[tuple[str, Any]] = [
        ("case-editor", lambda: CaseEditor(journal, None, window)),
        ("schedule-follow-up", lambda: FollowUpDialog(14, window)),
        ("close-case", lambda: CloseCaseDialog(True, None, window)),
        ("restore", lambda: RestoreDialog(header, window)),
        (
            "export-bundle",
            lambda: ExportBundleDialog(date.today(), window, card=card_of(vault.engine)),
        ),
    ]
    for name, make in dialogs:
        dialog = make()
        dialog.show()
        shots.append(save(app, dialog, out, name, scheme))
        close_unasked(dialog)
        dialog.deleteLater()

    session.lock()  # closing an unlocked window would take a backup on closing
    window.close()
    session.close()
    return shots


def render_size(
    size: str, out: Path, vault: Path, schemes: tuple[str, ...], language: str = i18n.SOURCE
) -> int:
    """In a child process per size: this process's offscreen screen is `size`."""
    application()
    window_language.apply(language)
    with tempfile.TemporaryDirectory(prefix="svjournal-shots-") as tmp:
        for scheme in schemes:
            for path in render_all(out, scheme, vault, Path(tmp)):
                print(path, flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--scheme", choices=("light", "dark", "both"), default="both")
    parser.add_argument("--one", metavar="SIZE", help=argparse.SUPPRESS)  # the child's part
    parser.add_argument("--vault", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--lang", default=i18n.SOURCE, help="the window's language (e.g. es, de, en_XA)"
    )
    args = parser.parse_args()
    args.lang = i18n.normalise(args.lang)
    schemes = ("light", "dark") if args.scheme == "both" else (args.scheme,)
    if args.one:
        return render_size(args.one, args.out, args.vault, schemes, args.lang)
    with tempfile.TemporaryDirectory(prefix="svjournal-shots-") as tmp:
        workdir = Path(tmp)
        vault = make_vault(workdir)
        for size in args.sizes.split(","):
            width, height = (int(n) for n in size.split("x"))
            config = workdir / f"screen-{size}.json"
            screen = {"name": size, "x": 0, "y": 0, "width": width, "height": height}
            screen |= {"logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1}
            config.write_text(json.dumps({"windowFrameMargins": False, "screens": [screen]}))
            copy = workdir / f"vault-{size}"
            shutil.copytree(vault, copy)
            env = {
                **os.environ,
                "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
                # Not the user's window state or journals list; one per size, so that the lock
                # screen lists no "other journals" (the copies for the other sizes).
                "XDG_CONFIG_HOME": str(workdir / f"config-{size}"),
            }
            subprocess.run(
                [
                    *(sys.executable, "-m", "tools.screenshots", "--one", size),
                    *("--vault", str(copy), "--out", str(args.out / size)),
                    *("--scheme", args.scheme, "--lang", args.lang),
                ],
                env=env,
                check=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
