"""The app's own process stays small: heavy drawing libraries load only in the workers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = ("matplotlib", "numpy", "PIL", "reportlab", "openpyxl")


def _loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return out.stdout.split()


def test_knowing_the_chart_tabs_loads_no_drawing_library() -> None:
    assert _loaded_after("from svjournal.charts.dashboard import chart_tabs; chart_tabs()") == []


def test_building_a_report_loads_no_drawing_library() -> None:
    code = (
        "from datetime import date\n"
        "from svjournal.core.stats_model import Dashboard, Kpis, Period, StatsFilter\n"
        "from svjournal.reports.programme import ReportRequest, report_from_dashboard\n"
        "k = Kpis(9, 9, 1.0, 9, 9, None, 9, 9, 1.0, 0, 0.0, 9, 0, 0.0)\n"
        "p = Period(date(2026, 1, 1), date(2026, 3, 31))\n"
        "report_from_dashboard(Dashboard(StatsFilter(p), k, k), ReportRequest(p, 'x'))\n"
    )
    assert _loaded_after(code) == []


def test_a_session_with_cases_charts_and_a_report_loads_no_drawing_library(
    tmp_path: Path,
) -> None:
    # Charts, the case trajectory and report files are drawn by worker processes; the
    # app's own process would grow by ~50 MB per library if it imported them itself.
    code = f"""
import os, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from datetime import date
from pathlib import Path
from PySide6.QtWidgets import QApplication
from svjournal.core import demo
from svjournal.core.secrets import OSKeyStore
from svjournal.core.vault import Vault
from svjournal.ui.main_window import MainWindow
from svjournal.ui.session import JournalSession
from tests.conftest import FAST_KDF, PASSPHRASE

def main():
    app = QApplication([])
    vault, _ = Vault.create(Path({str(tmp_path / "v")!r}), PASSPHRASE, kdf=FAST_KDF)
    demo.generate(vault.engine, cases=20, seed=3, anchor=date(2026, 11, 26))
    session = JournalSession(vault, OSKeyStore())
    session.adopt_unlocked()
    window = MainWindow(session)
    window.show()
    ws = window.workspace

    def settle(done, seconds=60):
        end = time.time() + seconds
        while not done() and time.time() < end:
            app.processEvents()
            time.sleep(0.01)
        assert done(), "timed out"

    case_id = session.journal.list_cases()[0].id
    ws.open_case(case_id)
    settle(lambda: ws.case_view.trajectory.pixmap() is not None
           and not ws.case_view.trajectory.pixmap().isNull())
    ws.nav.setCurrentRow(3)  # Charts
    settle(lambda: ws.charts.rendered is not None and not ws.charts.runner.busy)
    ws.nav.setCurrentRow(4)  # Reports
    settle(lambda: ws.reports.report is not None and not ws.reports.runner.busy)
    ws.reports.export_to(Path({str(tmp_path / "r.pdf")!r}))
    settle(lambda: ws.reports.show_folder.isVisible())
    window.close()
    session.close()
    from svjournal.charts.pool import shutdown_shared_pool
    shutdown_shared_pool()

if __name__ == "__main__":
    main()
"""
    script = tmp_path / "session.py"
    script.write_text(code, encoding="utf-8")
    probe = (
        f"import runpy, sys; runpy.run_path({str(script)!r}, run_name='__main__'); "
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == [], out.stdout
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
