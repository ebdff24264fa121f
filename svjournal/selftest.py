"""`svjournal --self-test`: the installed app's moving parts, end to end, in a throwaway vault.

Meant for the frozen bundle (it proves that SQLCipher, Argon2, Alembic's migration files, the
keyring plugins, matplotlib in spawned worker processes and Qt's platform plugins all made it
in), and run unfrozen by the test suite so it keeps working. Everything it writes is fictional
and lives in a temporary folder that is removed afterwards; it never touches the user's vault
or keyring (an in-memory keyring stands in for the OS one while it runs).

What an installing administrator reads is translated: the summary line and each check's
reason for failing. The step names in it ("vault", "12 charts", "qt offscreen") are
identifiers for whoever builds the bundle, and stay English.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import struct
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from svjournal.core.i18n import ntr, tr
from svjournal.core.policy import NO_POLICY  # the self-test checks the build, not the policy

if TYPE_CHECKING:
    from svjournal.core.vault import Vault

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")  # a page object, not /Pages
SQLITE_HEADER = b"SQLite format 3\x00"
NOTE = "Self-test note: fictional."


class SelfTestFailed(Exception):
    """A check of the self-test did not hold."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SelfTestFailed(message)


class MemoryKeyring(KeyringBackend):
    """The self-test's keyring: entries in a dict, gone when the process ends."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


@contextmanager
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Install the in-memory keyring; afterwards leave the backend that refuses everything.

    Nothing is restored from before: asking for the previous backend would make keyring probe
    the OS one (D-Bus, Keychain), which the self-test must not touch.
    """
    import keyring
    from keyring.backends import fail

    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(fail.Keyring())


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    check(data.startswith(PNG_SIGNATURE) and data[12:16] == b"IHDR", tr("not a PNG"))
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


class SelfTest:
    """The steps, in order; each adds a word to the summary line."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.passphrase = "self-test " + secrets.token_urlsafe(18)
        self.vault: Vault | None = None
        self.case_id = ""
        self.encounter_id = ""
        self.backup_path = Path()
        self.done: list[str] = []

    @property
    def steps(self) -> list[tuple[str, Callable[[], str]]]:
        return [
            ("vault", self.create_vault),
            ("encounter", self.write_and_read),
            ("keyring", self.keyring_round_trip),
            ("charts", self.charts),
            ("pdf", self.pdf_report),
            ("backup", self.backup),
            ("restore", self.restore),
            ("qt", self.qt_window),
        ]

    # --- steps -------------------------------------------------------------------------

    def create_vault(self) -> str:
        from svjournal.core.vault import Vault

        # Default KDF cost (calibrated): the bundled Argon2 runs as it does for a real vault.
        self.vault, recovery_key = Vault.create(self.workdir / "vault", self.passphrase)
        check(bool(recovery_key), tr("no recovery key"))
        check(
            not self.vault.db_path.read_bytes().startswith(SQLITE_HEADER),
            tr("the database file is not encrypted"),
        )
        return "vault"

    def write_and_read(self) -> str:
        from svjournal.core.inputs import CaseInput, EncounterInput
        from svjournal.core.journal import Journal

        journal = Journal(self.unlocked().engine, policy=NO_POLICY)
        today = date.today()
        case = journal.open_case(
            CaseInput("SELFTEST-1", "nurse", "icu", "near_miss", "self", today - timedelta(days=3))
        )
        when = datetime.combine(today - timedelta(days=2), datetime.min.time()).replace(hour=10)
        encounter = journal.log_encounter(case.id, EncounterInput(when, "phone", 25, note=NOTE))
        self.case_id, self.encounter_id = case.id, encounter.id
        self.expect_encounter(tr("the encounter did not read back after writing"))
        return "encounter"

    def keyring_round_trip(self) -> str:
        from svjournal.core.secrets import OSKeyStore

        # The plugins load through entry points: without the package metadata in the bundle
        # no OS keyring would ever be found.
        plugins = list(entry_points(group="keyring.backends"))
        check(bool(plugins), tr("no keyring backends are registered (package metadata missing)"))
        for plugin in plugins:
            plugin.load()
        vault = self.unlocked()
        with memory_keyring() as backend:
            store = OSKeyStore()
            check(store.available()[0], tr("the keyring store refused the in-memory keyring"))
            vault.remember(store, NO_POLICY)
            check(len(backend.entries) == 1, tr("the key was not stored in the keyring"))
            vault.lock()
            check(
                vault.unlock_with_keystore(store, NO_POLICY),
                tr("the remembered key did not unlock"),
            )
            self.expect_encounter(
                tr("the encounter did not read back after unlocking with the keyring")
            )
            vault.forget(store)
            check(not backend.entries, tr("the key was not removed from the keyring"))
        return "keyring"

    def charts(self) -> str:
        from svjournal.charts.dashboard import FIGSIZE, build_figures, chart_tabs
        from svjournal.charts.pool import ChartPool
        from svjournal.core import demo, stats
        from svjournal.core.journal import Journal
        from svjournal.core.stats_model import Period, StatsFilter

        engine = self.unlocked().engine
        today = date.today()
        demo.generate(engine, cases=40, seed=3, anchor=today)
        filt = StatsFilter(Period(today - timedelta(days=364), today))
        dash = stats.dashboard(engine, filt)
        departments = {
            d["code"]: d["label"] for d in Journal(engine, policy=NO_POLICY).setting("departments")
        }
        count = len(chart_tabs())
        # The GUI's way: spawned worker processes (in a frozen app they re-run the executable).
        pool = ChartPool(workers=2)
        try:
            drawn = pool.render(dash, False, departments, FIGSIZE, 1.0, list(range(count)))
        finally:
            pool.shutdown()
        check(
            len(drawn) == count,
            ntr("{drawn} of {n} chart drawn", "{drawn} of {n} charts drawn", count).format(
                drawn=len(drawn), n=count
            ),
        )
        for _tab, title, png in drawn:
            width, height = png_size(png)
            check(
                width >= 100 and height >= 100 and len(png) > 2000,
                tr("the chart {title} is empty").format(title=repr(title)),
            )
        # Saving a chart as SVG loads matplotlib's SVG backend by name at run time.
        _tab, _title, figure = build_figures(dash, True, departments, FIGSIZE)[0]
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg")
        check(b"<svg" in buffer.getvalue()[:2000], tr("a chart could not be saved as SVG"))
        return f"{count} charts"

    def pdf_report(self) -> str:
        from svjournal.core.stats_model import Period
        from svjournal.reports.programme import ReportRequest, build_report
        from svjournal.reports.write import write_report

        today = date.today()
        request = ReportRequest(Period(today - timedelta(days=364), today), "Self-test program")
        report = build_report(self.unlocked().engine, request)
        data = write_report(report, "pdf", self.workdir / "report.pdf").read_bytes()
        # No PDF library in the bundle: the file's own structure has to do.
        check(data.startswith(b"%PDF-") and b"%%EOF" in data[-64:], tr("the report is not a PDF"))
        # The report embeds matplotlib's DejaVu fonts: proves mpl-data is in the bundle.
        check(b"DejaVuSans" in data, tr("the report's fonts are missing"))
        pages = len(PDF_PAGE.findall(data))
        check(pages >= 1, tr("the report has no pages"))
        return f"pdf {pages} pages"

    def backup(self) -> str:
        from svjournal.core import backup as backups

        written = self.unlocked().backup(reason="self-test")
        header = backups.read_header(written)
        check(
            header.db_size > 0 and header.schema_revision is not None,
            tr("backup header is empty"),
        )
        self.backup_path = written
        return "backup"

    def restore(self) -> str:
        from svjournal.core.inputs import EncounterInput
        from svjournal.core.journal import Journal

        vault = self.unlocked()
        # Written after the backup: the restore must take the journal back to before it.
        later = Journal(vault.engine, policy=NO_POLICY).log_encounter(
            self.case_id, EncounterInput(datetime.now() - timedelta(hours=1), "phone", 10)
        )
        vault.restore(self.backup_path, passphrase=self.passphrase)
        check(not vault.is_unlocked, tr("the vault stayed unlocked through the restore"))
        vault.unlock(self.passphrase)
        self.expect_encounter(tr("the encounter did not read back after the restore"))
        ids = {e.id for e in Journal(vault.engine, policy=NO_POLICY).encounters(self.case_id)}
        check(later.id not in ids, tr("the restore left an encounter written after the backup"))
        return "restore"

    def qt_window(self) -> str:
        # The main window on the open journal, drawn offscreen unless a platform was chosen:
        # proves the platform plugin, the SVG icon engine and the UI modules are bundled.
        from PySide6.QtCore import qInstallMessageHandler

        from svjournal.ui.app import application

        # The offscreen platform warns about window hints it cannot honour; the summary is
        # meant to be the only output.
        previous = qInstallMessageHandler(lambda *_args: None)
        try:
            return self._draw_main_window(application())
        finally:
            qInstallMessageHandler(previous)

    def _draw_main_window(self, app: Any) -> str:
        from PySide6.QtGui import QImageReader

        from svjournal.core.secrets import OSKeyStore
        from svjournal.ui.main_window import MainWindow
        from svjournal.ui.session import JournalSession

        check(not app.windowIcon().pixmap(64, 64).isNull(), tr("the app icon did not load"))
        check(
            b"svg" in QImageReader.supportedImageFormats(), tr("Qt's SVG image plugin is missing")
        )
        session = JournalSession(self.unlocked(), OSKeyStore())
        session.adopt_unlocked()
        window = MainWindow(session)
        try:
            window.resize(1000, 700)
            window.show()
            for _ in range(5):
                app.processEvents()
            image = window.grab().toImage()
            check(not image.isNull() and image.width() >= 1000, tr("the main window did not draw"))
            corner = image.pixel(0, 0)
            check(
                any(
                    image.pixel(x, y) != corner
                    for x in range(0, image.width(), 25)
                    for y in range(0, image.height(), 25)
                ),
                tr("the main window is blank"),
            )
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()
        return f"qt {app.platformName()}"

    # --- helpers -----------------------------------------------------------------------

    def unlocked(self) -> Vault:
        check(self.vault is not None and self.vault.is_unlocked, tr("the vault is not open"))
        assert self.vault is not None
        return self.vault

    def expect_encounter(self, failure: str) -> None:
        from svjournal.core.journal import Journal

        journal = Journal(self.unlocked().engine, policy=NO_POLICY)
        notes = [e.note for e in journal.encounters(self.case_id) if e.id == self.encounter_id]
        check(notes == [NOTE], failure)

    def close(self) -> None:
        if self.vault is not None:
            self.vault.close()
            self.vault = None


def run_self_test(out: TextIO | None = None) -> int:
    """Run every step; print one summary line; 0 when all passed, else 1."""
    out = out or sys.stdout
    started = time.perf_counter()
    # Before any QApplication exists: the self-test must run without a display.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    step = "start"
    try:
        with tempfile.TemporaryDirectory(
            prefix="svjournal-selftest-", ignore_cleanup_errors=True
        ) as tmp:
            test = SelfTest(Path(tmp))
            try:
                for name, action in test.steps:
                    step = name  # named in the failure line
                    test.done.append(action())
            finally:
                test.close()
    except Exception as exc:
        if os.environ.get("SVJOURNAL_SELFTEST_TRACEBACK"):
            traceback.print_exc()  # for whoever builds the bundle; the data is all fictional
        reason = str(exc).splitlines()[0] if str(exc) else ""
        _print(
            out,
            # Translators: {step} is a step's name and {error} an error class, both kept in
            # English (identifiers); {reason} is the check's own words.
            tr("svjournal self-test: FAILED at {step}: {error}: {reason}").format(
                step=step, error=type(exc).__name__, reason=reason
            ),
        )
        return 1
    seconds = _seconds(time.perf_counter() - started)
    _print(
        out,
        # Translators: {steps} lists the steps passed (identifiers, kept in English).
        tr("svjournal self-test: ok ({steps}) in {seconds} s").format(
            steps=", ".join(test.done), seconds=seconds
        ),
    )
    return 0


def _seconds(value: float) -> str:
    """`value` to a tenth, as the language writes decimals ('2.4', '2,4')."""
    from babel.numbers import format_decimal

    from svjournal.core.locale_format import locale

    return format_decimal(value, format="0.0", locale=locale())


def _print(out: TextIO | Any, line: str) -> None:
    # A windowed Windows build has no stdout at all.
    if out is not None:
        print(line, file=out, flush=True)
