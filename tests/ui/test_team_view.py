"""The Team view: importing bundles, the supporter table, charts and report over the merged
data, exporting one's own bundle, removing a supporter, and clearing on lock."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlcipher3
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from svjournal.core import demo, periods, stats
from svjournal.core.journal import Journal
from svjournal.core.keyfile import KdfParams
from svjournal.core.secrets import OSKeyStore
from svjournal.core.stats_model import Period
from svjournal.core.vault import Vault
from svjournal.reports.bundle import export_bundle, open_bundle, supporter_id
from svjournal.reports.team import dispose_team_engine, team_engine
from svjournal.ui import file_dialogs
from svjournal.ui.pages import team as team_module
from svjournal.ui.pages.team import TeamPage
from svjournal.ui.session import JournalSession
from svjournal.ui.team_dialogs import ExportBundleDialog
from tests.conftest import FAST_KDF, PASSPHRASE

TEAM = "lantern orchard velvet compass"
sqlite_error = sqlcipher3.ProgrammingError  # "Cannot operate on a closed database."
BUNDLE_KDF = KdfParams(time_cost=1, memory_kib=8, parallelism=1)


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two supporters' bundles of the last year (made once for the module)."""
    folder = tmp_path_factory.mktemp("team-bundles")
    today = date.today()
    paths = []
    for n in (1, 2):
        vault, _recovery = Vault.create(folder / f"s{n}", PASSPHRASE, kdf=FAST_KDF)
        try:
            demo.generate(vault.engine, cases=50, seed=n, anchor=today, years=0.5)
            exported = export_bundle(
                vault.engine,
                Period(today - timedelta(days=365), today),
                TEAM,
                folder / f"s{n}.svjbundle",
                journal=Journal(vault.engine),
                kdf=BUNDLE_KDF,
            )
            paths.append(exported.path)
        finally:
            vault.close()
    return paths


@pytest.fixture
def page(vault: Vault, qtbot: QtBot) -> TeamPage:
    session = JournalSession(vault, OSKeyStore())
    session.adopt_unlocked()
    team = TeamPage(session)
    qtbot.addWidget(team)
    team.resize(1200, 900)
    team.show()
    return team


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    seen: list[BaseException] = []
    monkeypatch.setattr(team_module.errors, "show_error", lambda _parent, exc: seen.append(exc))
    return seen


def wait_for_message(qtbot: QtBot, page: TeamPage) -> QMessageBox:
    qtbot.waitUntil(lambda: page.last_message is not None and not page.runner.busy, timeout=60_000)
    assert page.last_message is not None
    return page.last_message


def wait_for_charts(qtbot: QtBot, page: TeamPage) -> None:
    charts = page.charts
    qtbot.waitUntil(lambda: charts.rendered is not None and not charts.runner.busy, timeout=60_000)


def import_all(qtbot: QtBot, page: TeamPage, paths: list[Path]) -> QMessageBox:
    page.import_files(paths, TEAM)
    message = wait_for_message(qtbot, page)
    return message


def test_import_fills_the_table_and_the_charts_cover_everyone(
    page: TeamPage, bundles: list[Path], qtbot: QtBot, shown_errors: list[BaseException]
) -> None:
    page.refresh()
    assert page.table_or_empty.currentIndex() == 1  # the empty state
    assert not page.report_button.isEnabled()

    message = import_all(qtbot, page, bundles)
    assert message.text() == "2 of 2 bundles imported"
    assert message.informativeText().count("✔") == 2
    message.close()
    assert page.model.rowCount() == 2 and page.table_or_empty.currentIndex() == 0
    ids = {open_bundle(p.read_bytes(), TEAM).supporter_id for p in bundles}
    shown = {page.model.index(r, 0).data() for r in range(2)}
    assert shown == ids
    assert page.report_button.isEnabled()

    wait_for_charts(qtbot, page)
    merged = team_engine(page.session.vault.engine)
    try:
        expected = stats.dashboard(merged, page.charts.current_filter())
    finally:
        dispose_team_engine(merged)
    assert expected.kpis.encounters > 0
    assert page.charts.kpis[0].value.text() == str(expected.kpis.encounters)
    assert page.charts.kpis[1].value.text() == str(expected.kpis.people_reached)
    # Bundles carry days, not times: the wait is shown in days, never as "0 h".
    median = expected.kpis.median_hours_to_first_contact
    assert page.charts.kpis[2].title.text() == "Median days to first contact"
    assert page.charts.kpis[2].value.text() == (
        "—" if median is None else f"{median / 24:.1f} days"
    )
    assert shown_errors == []


def test_the_import_button_asks_files_and_passphrase_and_reports_each_file(
    page: TeamPage,
    bundles: list[Path],
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    damaged = tmp_path / "damaged.svjbundle"
    damaged.write_bytes(bundles[0].read_bytes()[:-3])
    monkeypatch.setattr(
        file_dialogs.QFileDialog,
        "getOpenFileNames",
        lambda *a, **k: ([str(damaged), str(bundles[1])], ""),
    )
    asked: list[int] = []
    monkeypatch.setattr(page, "ask_team_passphrase", lambda n: asked.append(n) or TEAM)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    message = wait_for_message(qtbot, page)
    assert asked == [2]  # one passphrase for all the files
    assert message.text() == "1 of 2 bundles imported"
    lines = message.informativeText().split("\n\n")
    assert lines[0].startswith("✘ damaged.svjbundle: refused: The file is damaged.")
    assert lines[1].startswith(f"✔ {bundles[1].name}: imported ")
    assert [row.bundles for row in page.rows] == [1]


def test_a_batch_goes_on_past_bad_files_and_an_empty_bundle_adds_nothing(
    page: TeamPage, bundles: list[Path], tmp_path: Path, qtbot: QtBot
) -> None:
    """Issue 12: an empty bundle (a supporter with no cases) used to fail the whole batch."""
    newcomer, _recovery = Vault.create(tmp_path / "newcomer", PASSPHRASE, kdf=FAST_KDF)
    try:
        empty = export_bundle(
            newcomer.engine,
            Period(date.today() - timedelta(days=90), date.today()),
            TEAM,
            tmp_path / "empty.svjbundle",
            journal=Journal(newcomer.engine),
            kdf=BUNDLE_KDF,
        ).path
    finally:
        newcomer.close()
    truncated = tmp_path / "cut.svjbundle"
    truncated.write_bytes(bundles[0].read_bytes()[:-40])
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a bundle", encoding="utf-8")

    message = import_all(qtbot, page, [bundles[0], truncated, foreign, empty, bundles[1]])
    assert message.text() == "3 of 5 bundles imported"
    assert message.icon() == QMessageBox.Icon.Warning
    *lines, tally = message.informativeText().split("\n\n")
    assert [line.split(": ", 1)[0] for line in lines] == [
        f"✔ {bundles[0].name}",
        "✘ cut.svjbundle",
        "✘ notes.txt",
        "✔ empty.svjbundle",
        f"✔ {bundles[1].name}",
    ]
    assert lines[0].startswith(f"✔ {bundles[0].name}: imported ")
    assert lines[1].startswith("✘ cut.svjbundle: refused: The file is damaged.")
    assert lines[2].startswith("✘ notes.txt: refused: Not the expected file.")
    assert lines[3].startswith("✔ empty.svjbundle: nothing to add (supporter ")
    assert tally == (
        "5 files: 2 imported, 1 nothing to add, 0 already imported, 2 refused; "
        "nothing was taken from the refused ones."
    )
    assert sorted(row.cases > 0 for row in page.rows) == [False, True, True]


def test_a_cancelled_passphrase_imports_nothing(
    page: TeamPage, bundles: list[Path], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        file_dialogs.QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(bundles[0])], "")
    )
    monkeypatch.setattr(page, "ask_team_passphrase", lambda n: None)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert not page.runner.busy and page.last_message is None
    page.refresh()
    assert page.rows == []


def test_remove_and_name_a_supporter(
    page: TeamPage, bundles: list[Path], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_all(qtbot, page, bundles).close()
    assert not page.remove_button.isEnabled()
    page.table.selectRow(0)
    assert page.remove_button.isEnabled() and page.name_button.isEnabled()

    monkeypatch.setattr(team_module.QInputDialog, "getText", lambda *a, **k: ("Night shift", True))
    qtbot.mouseClick(page.name_button, Qt.MouseButton.LeftButton)
    names = {page.model.index(r, 0).data() for r in range(page.model.rowCount())}
    assert "Night shift" in names

    page.table.selectRow(0)
    chosen = page.selected()
    assert chosen is not None
    monkeypatch.setattr(team_module, "confirm", lambda *a: True)
    wait_for_charts(qtbot, page)
    built = page.merged.engine()
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert len(page.rows) == 1
    assert chosen.supporter_id not in {r.supporter_id for r in page.rows}
    assert "Removed" in page.status.text()
    assert page.merged.engine() is not built  # the merged copy was rebuilt without them


def test_export_my_bundle_writes_an_owner_only_file_and_logs_it(
    page: TeamPage, tmp_path: Path, qtbot: QtBot
) -> None:
    demo.generate(page.session.vault.engine, cases=20, seed=9, anchor=date.today(), years=0.5)
    today = date.today()
    path = tmp_path / "mine"  # the suffix is added
    page.export_to(path, Period(today - timedelta(days=200), today), TEAM)
    message = wait_for_message(qtbot, page)
    written = tmp_path / "mine.svjbundle"
    assert message.text() == "Bundle saved"
    assert supporter_id(page.session.vault.engine) in message.informativeText()
    assert open_bundle(written.read_bytes(), TEAM).encounters
    if os.name == "posix":
        assert written.stat().st_mode & 0o777 == 0o600
    [entry] = page.session.journal.export_log()
    assert (entry.kind, entry.destination) == ("team_bundle", str(written))
    assert entry.records and entry.records > 0


def test_export_dialog_needs_a_period_and_a_strong_repeated_passphrase(qtbot: QtBot) -> None:
    dialog = ExportBundleDialog(date(2026, 11, 26))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.period() == Period(date(2026, 7, 1), date(2026, 9, 30))
    assert dialog.period_hint.text().startswith(
        "Last quarter: the previous calendar quarter, 1 Jul – 30 Sep 2026."
    )
    assert not dialog.ok.isEnabled()

    def type_in(first: str, second: str) -> None:
        dialog.passphrase.setText(first)
        dialog.repeat.setText(second)
        dialog.meter.flush()

    type_in("team", "team")
    assert not dialog.ok.isEnabled() and "stronger" in dialog.problem.text()
    type_in(TEAM, TEAM + "x")
    assert not dialog.ok.isEnabled() and "differ" in dialog.problem.text()
    type_in(TEAM, TEAM)
    assert dialog.ok.isEnabled() and dialog.problem.text() == ""
    dialog.end.setDate(dialog.start.date().addDays(-1))
    assert not dialog.ok.isEnabled() and "ends before" in dialog.problem.text()
    dialog.reject()
    assert dialog.passphrase.text() == "" and dialog.repeat.text() == ""


def test_the_bundle_default_is_the_last_quarter_the_team_charts_show(
    page: TeamPage, tmp_path: Path, qtbot: QtBot
) -> None:
    """Bundles written for the default period are shown whole by the default Team charts
    (they once showed 28 of 107 encounters: "Last quarter" meant the last 91 days there)."""
    today = date.today()
    default = ExportBundleDialog(today).period()
    assert default == periods.LAST_QUARTER.period(today)
    vault, _recovery = Vault.create(tmp_path / "s", PASSPHRASE, kdf=FAST_KDF)
    try:
        demo.generate(vault.engine, cases=40, seed=5, anchor=today, years=0.6)
        exported = export_bundle(
            vault.engine,
            default,
            TEAM,
            tmp_path / "s.svjbundle",
            journal=Journal(vault.engine),
            kdf=BUNDLE_KDF,
        )
    finally:
        vault.close()
    assert exported.encounters > 0
    import_all(qtbot, page, [exported.path]).close()
    wait_for_charts(qtbot, page)
    assert page.charts.preset.currentText() == "Last quarter"
    assert page.charts.kpis[0].value.text() == str(exported.encounters)


def test_programme_report_opens_over_the_merged_data(
    page: TeamPage, bundles: list[Path], qtbot: QtBot
) -> None:
    from svjournal.ui.report_dialog import ReportDialog

    import_all(qtbot, page, bundles).close()
    qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    dialog = page.report_dialog
    assert isinstance(dialog, ReportDialog)
    assert dialog.windowTitle() == "Programme report — Team: 2 supporters"
    qtbot.waitUntil(lambda: not dialog.panel.runner.busy, timeout=60_000)
    dialog.close()
    qtbot.waitUntil(lambda: page.report_dialog is None, timeout=10_000)


def test_locking_clears_the_view_and_drops_the_merged_data(
    page: TeamPage, bundles: list[Path], qtbot: QtBot
) -> None:
    message = import_all(qtbot, page, bundles)
    wait_for_charts(qtbot, page)
    merged = page.merged._engine
    assert merged is not None
    with merged.connect() as conn:
        raw = conn.connection.dbapi_connection
    page.clear()
    assert page.model.rowCount() == 0 and page.rows == []
    assert page.merged._engine is None
    with pytest.raises(sqlite_error):  # the merged copy's connections are closed
        raw.execute("SELECT 1")
    qtbot.waitUntil(lambda: not message.isVisible(), timeout=10_000)


def test_the_workspace_lists_the_team_page(vault: Vault, qtbot: QtBot) -> None:
    from svjournal.ui.workspace import PAGES, Workspace

    session = JournalSession(vault, OSKeyStore())
    session.adopt_unlocked()
    workspace = Workspace(session)
    qtbot.addWidget(workspace)
    workspace.nav.setCurrentRow(PAGES.index("Team"))
    assert workspace.stack.currentWidget() is workspace.team
    assert workspace.team.table_or_empty.currentIndex() == 1
    workspace.clear()


def test_team_passphrase_dialog(qtbot: QtBot) -> None:
    from svjournal.ui.team_dialogs import TeamPassphraseDialog

    dialog = TeamPassphraseDialog(3)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ok.isEnabled()
    dialog.field.setText(TEAM)
    assert dialog.ok.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=5_000):
        dialog.field.edit.returnPressed.emit()
    assert dialog.passphrase() == TEAM
    dialog.field.setText("typed, then cancelled")
    dialog.reject()
    assert dialog.passphrase() == ""
