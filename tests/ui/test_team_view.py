"""The Team view: team keys and cards, importing bundles (accepting new supporters once), the
supporter table, charts and report over the merged data, exporting one's own bundle, removing
a supporter (revoking their key), and clearing on lock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlcipher3
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from svjournal.core import demo, periods, stats, team_keys
from svjournal.core.journal import Journal
from svjournal.core.models import now
from svjournal.core.secrets import OSKeyStore
from svjournal.core.stats_model import Period
from svjournal.core.vault import Vault
from svjournal.reports import bundle_seal
from svjournal.reports.bundle import export_bundle
from svjournal.reports.bundle_check import decode
from svjournal.reports.team import dispose_team_engine, team_engine
from svjournal.ui import file_dialogs
from svjournal.ui.pages import team as team_module
from svjournal.ui.pages.team import TeamPage
from svjournal.ui.session import JournalSession
from svjournal.ui.team_dialogs import ExportBundleDialog
from tests.conftest import FAST_KDF, PASSPHRASE

TEAM = "lantern orchard velvet compass"  # the retired format's team passphrase
sqlite_error = sqlcipher3.ProgrammingError  # "Cannot operate on a closed database."
# One team key for the module: each test's coordinator vault gets it (see `page`).
TEAM_KEY = X25519PrivateKey.generate()
CARD = team_keys.TeamCard("Test team", bundle_seal._raw(TEAM_KEY.public_key()))
AUTHORS: list[str] = []  # the fingerprints of the module's supporters


def adopt_team_key(vault: Vault) -> None:
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    private = TEAM_KEY.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    key = team_keys.StoredKey(team_keys.OWN_TEAM, CARD.name, CARD.public_key, private, now())
    with vault.engine.begin() as conn:
        team_keys._write(conn, key)


def supporter_bundle(vault: Vault, period: Period, path: Path) -> Path:
    """The supporter joins the module's team and exports; their fingerprint is accepted."""
    team_keys.join_team(vault.engine, CARD)
    AUTHORS.append(team_keys.own_fingerprint(vault.engine))
    return export_bundle(vault.engine, period, path, journal=Journal(vault.engine)).path


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
            paths.append(
                supporter_bundle(
                    vault, Period(today - timedelta(days=365), today), folder / f"s{n}.svjbundle"
                )
            )
        finally:
            vault.close()
    return paths


@pytest.fixture
def page(vault: Vault, qtbot: QtBot) -> Iterator[TeamPage]:
    adopt_team_key(vault)
    session = JournalSession(vault, OSKeyStore())
    session.adopt_unlocked()
    team = TeamPage(session)
    qtbot.addWidget(team)
    team.resize(1200, 900)
    team.show()
    yield team
    # Charts still computing after an import would read the vault the fixture then closes:
    # forget them (as locking does) and let the workers finish first.
    from PySide6.QtCore import QThreadPool

    team.clear()
    QThreadPool.globalInstance().waitForDone(60_000)


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
    page.import_files(paths, accept=AUTHORS)
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
    ids = {bundle_seal.unseal(p.read_bytes(), TEAM_KEY).fingerprint for p in bundles}
    shown = {page.model.index(r, 1).data() for r in range(2)}
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
    # Bundles carry the minutes to first contact: the wait is shown in hours again.
    assert "days" not in page.charts.kpis[2].title.text()
    # And months, not days: follow-ups are charted by month (weeks would be invented).
    from svjournal.charts.tables import chart_tables

    rendered = page.charts.rendered
    assert rendered is not None and rendered.dashboard.follow_up_grain == "month"
    assert {w.week_start.day for w in rendered.dashboard.follow_up_weeks} <= {1}
    table = chart_tables(rendered.dashboard, rendered.departments)[0]
    assert table.title == "Follow-ups per month" and table.columns[0] == "Month"
    assert [c.title for c in rendered.charts][:1] == ["Follow-ups per month"]
    assert shown_errors == []


def test_the_import_button_asks_files_and_each_new_fingerprint_and_reports_each_file(
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
    shown: list[str] = []
    monkeypatch.setattr(page, "confirm_author", lambda _name, fp: shown.append(fp) or True)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    message = wait_for_message(qtbot, page)
    assert asked == []  # no passphrase for bundles of the current format
    assert shown == [bundle_seal.unseal(bundles[1].read_bytes(), TEAM_KEY).fingerprint]
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
        empty = supporter_bundle(
            newcomer,
            Period(date.today() - timedelta(days=90), date.today()),
            tmp_path / "empty.svjbundle",
        )
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


def test_a_fingerprint_not_accepted_imports_nothing(
    page: TeamPage, bundles: list[Path], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        file_dialogs.QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(bundles[0])], "")
    )
    monkeypatch.setattr(page, "confirm_author", lambda _name, _fp: False)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    message = wait_for_message(qtbot, page)
    assert message.text() == "0 of 1 bundle imported"
    assert "not accepted yet" in message.informativeText()
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
    built = page.merged.database()
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    [gone] = [r for r in page.rows if r.supporter_id == chosen.supporter_id]
    assert gone.revoked and gone.cases == 0 and gone.state == "removed (key revoked)"
    assert "Removed" in page.status.text()
    assert page.merged.database() is not built  # the merged copy was rebuilt without them


def test_export_my_bundle_writes_an_owner_only_file_and_logs_it(
    page: TeamPage, tmp_path: Path, qtbot: QtBot
) -> None:
    engine = page.session.vault.engine
    demo.generate(engine, cases=20, seed=9, anchor=date.today(), years=0.5)
    team_keys.join_team(engine, CARD)
    today = date.today()
    path = tmp_path / "mine"  # the suffix is added
    page.export_to(path, Period(today - timedelta(days=200), today))
    message = wait_for_message(qtbot, page)
    written = tmp_path / "mine.svjbundle"
    assert message.text() == "Bundle saved"
    assert team_keys.own_fingerprint(engine) in message.informativeText()
    assert decode(bundle_seal.unseal(written.read_bytes(), TEAM_KEY).payload).encounters
    if os.name == "posix":
        assert written.stat().st_mode & 0o777 == 0o600
    [entry] = page.session.journal.export_log()
    assert (entry.kind, entry.destination) == ("team_bundle", str(written))
    assert entry.records and entry.records > 0


def test_export_dialog_needs_only_a_period(qtbot: QtBot) -> None:
    dialog = ExportBundleDialog(date(2026, 11, 26), card=CARD)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.period() == Period(date(2026, 7, 1), date(2026, 9, 30))
    assert dialog.period_hint.text().startswith(
        "Last quarter: the previous calendar quarter, Jul 1\u2009–\u2009Sep 30, 2026."
    )
    assert dialog.ok.isEnabled() and not dialog.merged()
    assert dialog.merged_box.isHidden()  # only a coordinator with a team has merged data
    dialog.end.setDate(dialog.start.date().addDays(-1))
    assert not dialog.ok.isEnabled() and "ends before" in dialog.problem.text()
    dialog.reject()
    coordinator = ExportBundleDialog(date(2026, 11, 26), card=CARD, can_merge=True)
    qtbot.addWidget(coordinator)
    coordinator.merged_box.setChecked(True)
    assert coordinator.merged()


def test_the_key_panel_creates_a_team_saves_its_card_and_joins_one(
    vault: Vault, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = JournalSession(vault, OSKeyStore())
    session.adopt_unlocked()
    page = TeamPage(session)
    qtbot.addWidget(page)
    page.refresh()
    panel = page.keys
    assert "none yet" in panel.own.text() and "no team joined" in panel.joined.text()
    assert not panel.create_button.isHidden() and panel.card_button.isHidden()
    monkeypatch.setattr(panel, "ask_team_name", lambda: "Night shift team")
    qtbot.mouseClick(panel.create_button, Qt.MouseButton.LeftButton)
    own = team_keys.card_of(vault.engine)
    assert own.fingerprint in panel.own.text() and "Night shift team" in panel.own.text()
    assert panel.create_button.isHidden() and not panel.card_button.isHidden()
    card_path = tmp_path / "team.svjteam"
    monkeypatch.setattr(panel, "ask_card_path", lambda: card_path)
    qtbot.mouseClick(panel.card_button, Qt.MouseButton.LeftButton)
    assert team_keys.read_card_file(card_path) == own

    other = tmp_path / "other.svjteam"
    other.write_bytes(CARD.to_bytes())
    monkeypatch.setattr(panel, "ask_card_file", lambda: other)
    shown: list[str] = []
    monkeypatch.setattr(panel, "confirm_join", lambda card: shown.append(card.fingerprint))
    qtbot.mouseClick(panel.join_button, Qt.MouseButton.LeftButton)
    assert shown == [CARD.fingerprint] and team_keys.joined_team(vault.engine) is None
    monkeypatch.setattr(panel, "confirm_join", lambda card: True)
    qtbot.mouseClick(panel.join_button, Qt.MouseButton.LeftButton)
    assert team_keys.joined_team(vault.engine) == CARD
    assert CARD.fingerprint in panel.joined.text()
    assert team_keys.own_fingerprint(vault.engine) in panel.mine.text()
    page.clear()
    assert panel.own.text() == ""


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
        path = supporter_bundle(vault, default, tmp_path / "s.svjbundle")
    finally:
        vault.close()
    encounters = len(decode(bundle_seal.unseal(path.read_bytes(), TEAM_KEY).payload).encounters)
    assert encounters > 0
    import_all(qtbot, page, [path]).close()
    wait_for_charts(qtbot, page)
    assert page.charts.preset.currentText() == "Last quarter"
    assert page.charts.kpis[0].value.text() == str(encounters)


def test_programme_report_opens_over_the_merged_data(
    page: TeamPage, bundles: list[Path], qtbot: QtBot
) -> None:
    from svjournal.ui.report_dialog import ReportDialog

    import_all(qtbot, page, bundles).close()
    qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    dialog = page.report_dialog
    assert isinstance(dialog, ReportDialog)
    assert dialog.windowTitle() == "Program report — Team: 2 supporters"
    qtbot.waitUntil(lambda: not dialog.panel.runner.busy, timeout=60_000)
    dialog.close()
    qtbot.waitUntil(lambda: page.report_dialog is None, timeout=10_000)


def test_locking_clears_the_view_and_drops_the_merged_data(
    page: TeamPage, bundles: list[Path], qtbot: QtBot
) -> None:
    message = import_all(qtbot, page, bundles)
    wait_for_charts(qtbot, page)
    merged = page.merged._built
    assert merged is not None
    with merged.connect() as conn:
        raw = conn.connection.dbapi_connection
    page.clear()
    assert page.model.rowCount() == 0 and page.rows == []
    assert not page.merged.is_built
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
