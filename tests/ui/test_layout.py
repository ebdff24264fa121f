"""The layout a user meets: every page and dialog at the window's default size, the smallest
supported size (1024×640), 1366×768 and 1920×1080, on a demo journal.

Fails on text that does not fit, collapsed table columns, cut cells outside the stretching
column, line edits too narrow to use, sideways scrolling at ≥ 1366 px, nested scrollbars, a
window that changes its own size, and a dialog larger than the screen it opens on. The checks
themselves are in `tests.ui.layout_checks`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, QThreadPool
from PySide6.QtWidgets import QDialog, QScrollArea, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from svjournal.core import backup, demo, i18n, retention
from svjournal.core.vault import Vault
from svjournal.ui import language as window_language
from svjournal.ui import screen_fit
from svjournal.ui.background import BackgroundRunner
from svjournal.ui.main_window import MainWindow, default_window_size
from svjournal.ui.pages.charts import ChartsPage
from svjournal.ui.session import JournalSession
from svjournal.ui.workspace import PAGES, Workspace
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.ui import layout_checks as checks
from tests.ui import mnemonic_checks
from tests.ui import unmarked_checks as unmarked

TEAM_WORDS = "lantern orchard velvet compass"
SMALLEST = QSize(1024, 640)
# The default size is what the window picks on a 1366×768 screen with a 32-px panel; the
# others fill a screen of that size (the screen the app believes in: dialogs size to it).
TYPICAL_SCREEN = QSize(1366, 736)
SIZES = {
    "default": (default_window_size(TYPICAL_SCREEN), TYPICAL_SCREEN),
    "1024x640": (SMALLEST, SMALLEST),
    "1366x768": (QSize(1366, 768), QSize(1366, 768)),
    "1920x1080": (QSize(1920, 1080), QSize(1920, 1080)),
}


class _KeyStore:
    """Says the keyring works, so Settings shows every button it can."""

    def available(self) -> tuple[bool, str]:
        return True, ""

    def load(self, vault_id: str) -> bytes | None:
        return None

    def save(self, vault_id: str, data_key: bytes) -> None:
        pass

    def delete(self, vault_id: str) -> None:
        pass


@dataclass
class Journal:
    session: JournalSession
    backup_path: Path


@pytest.fixture(scope="module")
def demo_journal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    """One demo journal (fixed seed) with a backup and one imported team bundle."""
    from svjournal.core.journal import Journal as CoreJournal
    from svjournal.core.stats_model import Period
    from svjournal.reports.bundle import export_bundle, import_bundles

    folder = tmp_path_factory.mktemp("layout")
    today = date.today()
    vault, _key = Vault.create(folder / "vault", PASSPHRASE, kdf=FAST_KDF)
    demo.generate(vault.engine, cases=80, seed=7, anchor=today)
    with Vault.create(folder / "other", PASSPHRASE, kdf=FAST_KDF)[0] as other:
        demo.generate(other.engine, cases=40, seed=8, anchor=today)
        bundle = folder / "supporter.svjbundle"
        period = Period(date(today.year - 1, 1, 1), today)
        from svjournal.core import team_keys

        team_keys.create_team(vault.engine, "Layout team")
        team_keys.join_team(other.engine, team_keys.card_of(vault.engine))
        author = team_keys.own_fingerprint(other.engine)
        export_bundle(other.engine, period, bundle, journal=CoreJournal(other.engine))
    import_bundles(vault.engine, [bundle], accept=[author])
    backup_path = vault.backup("manual")
    session = JournalSession(vault, _KeyStore())
    session.adopt_unlocked()
    yield Journal(session, backup_path)
    session.close()


def _wait(qtbot: QtBot, *runners: object) -> None:
    """Until background work (runners, a pending redraw timer) is done."""

    def working() -> bool:
        checks.settle()
        return any(getattr(r, "busy", False) or getattr(r, "isActive", bool)() for r in runners)

    deadline = time.monotonic() + 60
    while working() and time.monotonic() < deadline:
        qtbot.wait(20)
    checks.settle()


def _wait_charts(qtbot: QtBot, charts: ChartsPage) -> None:
    # Twice: a resize can start a redraw just as the first drawing ends.
    for _ in range(2):
        _wait(qtbot, charts.runner, charts.tab_runner, charts.resize_timer)
    tab = charts.current_tab()
    drawn = [c for c in (charts.rendered.charts if charts.rendered else []) if c.tab == tab]
    assert drawn and charts.grids[tab].count() == len(drawn), f"{tab}: charts not drawn"


class Visit:
    """Collects the problems of every place visited at one window size (and, in the
    pseudo-locale, every English word shown that is not data: `allowed` holds those)."""

    def __init__(
        self,
        window: MainWindow,
        size_name: str,
        size: QSize,
        qtbot: QtBot,
        allowed: set[str] | None = None,
    ) -> None:
        self.window, self.size_name, self.size, self.qtbot = window, size_name, size, qtbot
        self.allowed = allowed
        self.problems: list[str] = []

    def check(self, where: str, root: QWidget | None = None) -> None:
        checks.settle()
        root = root or self.window
        prefix = f"{where} @ {self.size_name} ({self.size.width()}×{self.size.height()})"
        if self.allowed is not None:
            # The pseudo-locale looks for English never marked. Its layout is not held to
            # the checks: every string half as long again is longer than any shipped
            # language (each of which is checked in full), and would mean a window built
            # for text no one reads. tools/screenshots.py --lang en_XA shows it.
            self.problems += [
                f"{where}: {p}" for p in unmarked.unmarked_problems(root, self.allowed)
            ]
            return
        found = checks.all_problems(root, self.size.width())
        # Two labels or buttons of one window underlining the same Alt+letter: the keyboard
        # user loses both shortcuts (Qt only moves the focus between them).
        found += mnemonic_checks.mnemonic_problems(root)
        if root is self.window and self.window.size() != self.size:
            found.append(
                f"the window changed its own size to {self.window.width()}×{self.window.height()}"
            )
            self.window.resize(self.size)
            checks.settle()
        self.problems += [f"{prefix}: {p}" for p in found]

    def dialog(self, where: str, make: Callable[[], QDialog]) -> None:
        """A dialog opens within the screen, can shrink to the smallest screen, and its
        content fits at the size it opens at."""
        dialog = make()
        dialog.show()
        checks.settle()
        # Work the dialog started (the program report's preview) ends before the dialog is
        # deleted: a build still reading the journal as the next one opens, or as the vault
        # closes at the end, crashed the run now and then.
        _wait(self.qtbot, *dialog.findChildren(BackgroundRunner))
        if self.allowed is not None:  # the pseudo-locale: words only (see `check`)
            self.check(where, dialog)
            dialog.reject()
            dialog.deleteLater()
            checks.settle()
            return
        screen = screen_fit.available_size(dialog)
        if not checks.fits(dialog.size(), screen):
            self.problems.append(
                f"{where} @ {self.size_name}: opens at {dialog.width()}×{dialog.height()}, "
                f"larger than the {screen.width()}×{screen.height()} screen"
            )
        minimum = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
        if not checks.fits(minimum, SMALLEST):
            self.problems.append(
                f"{where}: cannot shrink below {minimum.width()}×{minimum.height()}, larger "
                f"than {SMALLEST.width()}×{SMALLEST.height()}"
            )
        title = checks.title_problem(dialog)
        if title:
            self.problems.append(f"{where}: {title}")
        self.check(where, dialog)
        dialog.reject()
        dialog.deleteLater()
        checks.settle()


def _tabs(visit: Visit, where: str, tabs: QTabWidget, on_tab: Callable[[], None]) -> None:
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        on_tab()
        visit.check(f"{where} › {tabs.tabText(index)}")


def _pages(visit: Visit, qtbot: QtBot, workspace: Workspace) -> None:
    for name in PAGES:
        workspace.nav.setCurrentRow(PAGES.index(name))
        if name == "Follow-ups":
            _tabs(visit, name, workspace.follow_ups.tabs, lambda: None)
        elif name == "Charts":
            charts = workspace.charts
            _tabs(visit, name, charts.tabs, lambda c=charts: _wait_charts(qtbot, c))
        elif name == "Team":
            # The same chart page as Charts, over the merged data: every tab at the size that
            # forbids sideways scrolling, the open one elsewhere (each tab costs seconds).
            charts = workspace.team.charts
            if visit.size_name == "1366x768":
                _tabs(visit, name, charts.tabs, lambda c=charts: _wait_charts(qtbot, c))
            else:
                _wait_charts(qtbot, charts)
                visit.check(f"{name} › {charts.current_tab()}")
        elif name == "Reports":
            _wait(qtbot, workspace.reports.runner)
            visit.check(name)
        else:
            visit.check(name)


def _richest_case(session: JournalSession) -> str:
    journal = session.journal
    rows = [r for r in journal.list_cases() if r.status == "open" and r.kind == "individual"]
    return max(rows, key=lambda r: len(journal.encounters(r.id))).id


def _never() -> Any:
    raise AssertionError("the layout test never applies retention")


def _dialogs(visit: Visit, workspace: Workspace, journal: Journal) -> None:
    from svjournal.ui.backup_dialogs import CalendarDialog, PersonalExportDialog, RestoreDialog
    from svjournal.ui.case_editor import CaseEditor
    from svjournal.ui.change_passphrase import ChangePassphraseDialog
    from svjournal.ui.dialogs import CloseCaseDialog, FollowUpDialog
    from svjournal.ui.encounter_editor import EncounterEditor
    from svjournal.ui.recovery import RecoveryDialog
    from svjournal.ui.report_dialog import ReportDialog
    from svjournal.ui.retention_ui import RetentionPreviewDialog
    from svjournal.ui.team_dialogs import ExportBundleDialog, TeamPassphraseDialog
    from svjournal.ui.trash import TrashDialog

    session, window = journal.session, visit.window
    j = session.journal
    case = workspace.case_view.case
    assert case is not None
    header = backup.read_header(journal.backup_path)
    made: list[tuple[str, Callable[[], QDialog]]] = [
        ("New case", lambda: CaseEditor(j, None, window)),
        ("Edit case", lambda: CaseEditor(j, case, window)),
        ("New encounter", lambda: EncounterEditor(j, case, None, window)),
        (
            "Edit encounter",
            lambda: EncounterEditor(j, case, j.encounters(case.id)[-1], window),
        ),
        ("Schedule follow-up", lambda: FollowUpDialog(14, window)),
        ("Close case", lambda: CloseCaseDialog(True, None, window)),
        (
            "Retention preview",
            lambda: RetentionPreviewDialog(
                retention.preview(session.vault, j, 1, date.today()), _never, window
            ),
        ),
        ("Change passphrase", lambda: ChangePassphraseDialog(session, window)),
        ("Trash", lambda: TrashDialog(j, workspace.ops, window)),
        ("Recovery", lambda: RecoveryDialog(session, window)),
        ("Restore", lambda: RestoreDialog(header, window)),
        ("Personal export", lambda: PersonalExportDialog(window)),
        ("Calendar export", lambda: CalendarDialog(window)),
        ("Export bundle", lambda: ExportBundleDialog(date.today(), window)),
        ("Import bundles", lambda: TeamPassphraseDialog(3, window)),
        (
            "Program report",
            lambda: ReportDialog(
                window,
                source=workspace.team.merged,
                scope_label="Team: 1 supporter",
                session=session,
                days_only=True,
            ),
        ),
    ]
    for where, make in made:
        visit.dialog(where, make)


# US English at every size; each other language, and the pseudo-locale (every string half
# as long again, and any English left unmarked shows), at the smallest and the common size.
RUNS = [(i18n.SOURCE, size) for size in SIZES] + [
    (language, size)
    for language in [*i18n.shipped()[1:], i18n.PSEUDO]
    for size in ("1024x640", "1366x768")
]


@pytest.mark.parametrize(
    ("language", "size_name"), RUNS, ids=[f"{lang}-{size}" for lang, size in RUNS]
)
def test_every_page_and_dialog_fits(
    language: str,
    size_name: str,
    demo_journal: Journal,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    size, screen = SIZES[size_name]
    monkeypatch.setattr(screen_fit, "available_size", lambda widget=None: QSize(screen))
    window_language.apply(language)
    try:
        _visit_in(language, size_name, size, screen, demo_journal, qtbot)
    finally:
        window_language.apply(i18n.SOURCE)


def _visit_in(
    language: str,
    size_name: str,
    size: QSize,
    screen: QSize,
    demo_journal: Journal,
    qtbot: QtBot,
) -> None:
    window = MainWindow(demo_journal.session)
    # Not closed at the end: closing the main window locks the journal the next size uses.
    assert window.size() == default_window_size(screen)
    window.resize(size)
    window.show()
    allowed = _data_words(demo_journal) if language == i18n.PSEUDO else None
    try:
        _visit_everything(window, size_name, size, demo_journal, qtbot, allowed)
    finally:
        window.hide()
        # Every background read ends before the window goes and the vault closes.
        assert QThreadPool.globalInstance().waitForDone(60_000)
        window.deleteLater()
        checks.settle()


def _data_words(journal: Journal) -> set[str]:
    """The English a pseudo-locale window may show: the demo journal's own data."""
    j = journal.session.journal
    texts = [case.alias for case in j.list_cases()]
    texts += [d["label"] for d in j.setting("departments")]
    texts += [str(value) for c in j.setting("escalation_contacts") for value in c.values()]
    texts += [j.setting("programme_name"), TEAM_WORDS, "Team: 1 supporter", "Layout team"]
    return unmarked.data_words(texts) | unmarked.locale_words() | unmarked.ALWAYS_ALLOWED


def _visit_everything(
    window: MainWindow,
    size_name: str,
    size: QSize,
    demo_journal: Journal,
    qtbot: QtBot,
    allowed: set[str] | None = None,
) -> None:
    checks.settle()
    visit = Visit(window, size_name, size, qtbot, allowed)
    # The lock screen first: the window a supporter meets every time.
    demo_journal.session.lock()
    visit.check("Lock screen")
    demo_journal.session.unlock(PASSPHRASE)
    checks.settle()
    workspace = window.workspace
    assert workspace is not None
    _pages(visit, qtbot, workspace)
    workspace.open_case(_richest_case(demo_journal.session))
    _wait(qtbot, workspace._trajectory_runner)
    visit.check("Case view")
    _dialogs(visit, workspace, demo_journal)
    # Whatever was shown, the window can still be made as small as the smallest size.
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    if allowed is None and not checks.fits(minimum, SMALLEST):
        visit.problems.append(
            f"after visiting everything the window cannot shrink to "
            f"{SMALLEST.width()}×{SMALLEST.height()}: its minimum is "
            f"{minimum.width()}×{minimum.height()}"
        )
    assert not visit.problems, checks.report(visit.problems)


def test_a_case_shows_its_details_and_trajectory_whole_at_the_smallest_size(
    demo_journal: Journal, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The top row gets the height it needs: no scrolling details, no shrunken chart."""
    monkeypatch.setattr(screen_fit, "available_size", lambda widget=None: QSize(SMALLEST))
    window = MainWindow(demo_journal.session)
    window.resize(SMALLEST)
    window.show()
    try:
        workspace = window.workspace
        assert workspace is not None
        workspace.open_case(_richest_case(demo_journal.session))
        qtbot.waitUntil(
            lambda: not workspace.case_view.trajectory.pixmap().isNull(), timeout=60_000
        )
        checks.settle()
        view = workspace.case_view
        details = [
            a for a in view.findChildren(QScrollArea) if a.accessibleName() == "About this case"
        ]
        assert len(details) == 1
        assert not details[0].verticalScrollBar().isVisible()
        # The top row is not squeezed to a sliver: the chart has a third of the page's height.
        assert view.trajectory.height() >= view.height() // 3 - 40, view.trajectory.size()
        assert window.size() == SMALLEST
    finally:
        window.hide()
        # Every background read ends before the window goes and the vault closes.
        assert QThreadPool.globalInstance().waitForDone(60_000)
        window.deleteLater()
        checks.settle()


@pytest.mark.parametrize(
    "screen", [QSize(1024, 640), QSize(1280, 800), TYPICAL_SCREEN, QSize(1920, 1050)]
)
def test_the_default_size_fits_the_screen_with_its_title_bar(screen: QSize) -> None:
    size = default_window_size(screen)
    assert checks.fits(size + QSize(0, 32), screen)  # a title bar of 32 px stays on screen
    if checks.fits(SMALLEST + QSize(8, 40), screen):
        assert checks.fits(SMALLEST, size)  # never below the smallest supported size


def test_team_without_bundles_gives_its_height_to_the_charts(vault: Vault, qtbot: QtBot) -> None:
    """No supporters yet: the list is one line of text and keeps no room for four rows."""
    from svjournal.core.secrets import OSKeyStore
    from svjournal.ui.pages.team import TeamPage

    session = JournalSession(vault, OSKeyStore())
    session.adopt_unlocked()
    page = TeamPage(session)
    qtbot.addWidget(page)
    page.resize(1000, 580)  # the Team page in the default window on a 1366×768 screen
    page.show()
    page.refresh()
    _wait_charts(qtbot, page.charts)
    top, charts = page.splitter.sizes()
    assert charts >= 0.6 * (top + charts), (top, charts)
