"""Desktop app benchmarks on a demo vault, driven through the real widgets (offscreen Qt).

Start-up is measured from outside (`python -m benchmarks.ui_bench VAULT --runs N` alone): a
new interpreter runs `benchmarks/startup_probe.py`, the `svjournal` command's own start
until its lock screen is painted, by turns with the floor (a bare PySide6 window); the time
until each says `painted`, interpreter start included, is the figure, and their ratio.

`run_ui` also notes this process's peak resident memory after each step, then makes a PDF
report and a backup in the same process, as a user of the app would, so that the peak covers
a whole session; and the chart workers' own peaks.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.core_bench import ANCHOR, PASSPHRASE, Timing, measure, measure_pair, summarise
from benchmarks.memory import note_memory, process_peak_bytes
from svjournal.core.vault import Vault

PROBE = Path(__file__).resolve().parent / "startup_probe.py"


def _until_painted(args: list[str], env: dict[str, str], cwd: Path) -> float:
    """Milliseconds from starting a new interpreter on the probe until it says `painted`."""
    started = time.perf_counter()
    # The probe runs as a script (not `-m benchmarks...`): nothing of this package is
    # imported into the measured process.
    child = subprocess.Popen(
        [sys.executable, str(PROBE), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=cwd,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = (time.perf_counter() - started) * 1000
    code = child.wait(timeout=60)
    if line.strip() != "painted" or code != 0:
        raise RuntimeError(f"start-up probe {args[0]} failed (exit {code})")
    return elapsed


def bench_startup(vault_path: Path, runs: int) -> Timing:
    """The app's start path to its painted lock screen, by turns with the floor: a bare
    PySide6 window with a label, a password field and a button, painted.

    Both start a new interpreter (the `svjournal` command's own start, its arguments, its
    log file, in a scratch home). Byte-code is written by the warm-up runs and read by the
    counted ones, as an installed app reads its own; a change in the machine's load falls
    on both alike, so the ratio is the figure to judge."""
    scratch = vault_path.parent / "startup-home"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        {
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(scratch),  # the journals list, window state and keyring: not yours
            "XDG_CONFIG_HOME": str(scratch / "config"),
            "XDG_STATE_HOME": str(scratch / "state"),
            "XDG_DATA_HOME": str(scratch / "data"),
        }
    )
    scratch.mkdir(exist_ok=True)
    app_ms, floor_ms = measure_pair(
        lambda: _until_painted(["app", str(vault_path)], env, scratch),
        lambda: _until_painted(["floor"], env, scratch),
        runs,
    )
    app = summarise("Process start → lock screen shown (new interpreter)", app_ms, target_ms=None)
    app.plain_median_ms = summarise("floor", floor_ms).median_ms
    app.ratio_target = 1.5
    app.note = (
        "floor: a bare PySide6 window (label, password field, button) painted in a new "
        "interpreter, run by turns with the app"
    )
    return app


def run_ui(
    vault_path: Path,
    *,
    per_case: int,
    runs: int,
    heavy_runs: int,
    memory: dict[str, int],
    workers: list[int],
) -> list[Timing]:
    """Every GUI figure; `memory` receives this process's peak resident bytes after each step
    and `workers` each chart worker's."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from benchmarks.export_bench import report_pdf_as_the_app_does
    from svjournal.core.secrets import OSKeyStore
    from svjournal.ui import errors
    from svjournal.ui.app import application
    from svjournal.ui.encounter_editor import EncounterEditor
    from svjournal.ui.main_window import MainWindow
    from svjournal.ui.session import JournalSession

    timings: list[Timing] = []
    app = application()
    errors.show_error = lambda parent, exc: (_ for _ in ()).throw(exc)  # fail loudly
    session = JournalSession(Vault.open(vault_path), OSKeyStore())
    window = MainWindow(session)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    note_memory(memory, "Lock screen shown")

    def unlock_to_today() -> None:
        session.unlock(PASSPHRASE)
        app.processEvents()
        assert window.workspace is not None
        window.workspace.today.grab()
        session.lock()
        app.processEvents()

    timings.append(
        summarise(
            "Unlock → Today shown (Argon2id included)",
            measure(unlock_to_today, heavy_runs, warmup=1),
            target_ms=1000,
        )
    )
    note_memory(memory, "Unlock → Today")

    session.unlock(PASSPHRASE)
    app.processEvents()
    workspace = window.workspace
    assert workspace is not None
    workspace.nav.setCurrentRow(1)
    cases_page = workspace.cases
    cases_page.status.setCurrentIndex(0)  # every case: the largest list
    app.processEvents()
    typed = "demo heron 01"
    samples: list[float] = []
    for _ in range(max(3, runs // 5)):
        cases_page.find.clear()
        app.processEvents()
        for n in range(1, len(typed) + 1):
            started = time.perf_counter()
            cases_page.find.setText(typed[:n])
            app.processEvents()
            samples.append((time.perf_counter() - started) * 1000)
    timings.append(
        summarise("Cases filter, per keystroke (every case listed)", samples, target_ms=50)
    )
    note_memory(memory, "Cases, filtered")

    rows = session.journal.list_cases()
    picks = [rows[i * len(rows) // runs].id for i in range(runs)]

    opened: list[float] = []
    drawn: list[float] = []
    for case_id in picks[:2] + picks:  # the first two warm up the chart processes
        started = time.perf_counter()
        workspace.open_case(case_id)
        app.processEvents()
        opened.append((time.perf_counter() - started) * 1000)
        # As a user would: the next case is opened after this one's chart has appeared.
        while workspace._trajectory_runner.busy:
            app.processEvents()
            time.sleep(0.001)
        drawn.append((time.perf_counter() - started) * 1000)
    timings.append(summarise(f"Open a case ({per_case} encounters)", opened[2:], target_ms=100))
    timings.append(
        summarise(
            "… its stage-trajectory chart shown (drawn in a chart process)",
            drawn[2:],
            target_ms=None,
        )
    )
    note_memory(memory, "Cases opened")

    open_id = next(r.id for r in rows if r.status == "open")
    workspace.open_case(open_id)
    case = session.journal.get_case(open_id)
    moments = iter(range(10_000))

    def save_encounter() -> None:
        editor = EncounterEditor(session.journal, case, None, window)
        when = datetime.combine(ANCHOR, datetime.min.time()).replace(hour=8)
        editor.load_draft(
            {"occurred_at": when.replace(minute=next(moments) % 60).isoformat(), "stage": 5}
        )
        started = time.perf_counter()
        editor.save()
        elapsed = (time.perf_counter() - started) * 1000
        editor.deleteLater()
        samples_save.append(elapsed)

    samples_save: list[float] = []
    measure(save_encounter, runs)
    timings.append(summarise("Save an encounter from the editor", samples_save[2:], target_ms=50))
    note_memory(memory, "Encounters saved")
    timings.extend(bench_charts(app, workspace, heavy_runs))
    note_memory(memory, "Dashboard, every tab")
    report_pdf_as_the_app_does(session.vault.engine)  # the file is made by a chart worker
    note_memory(memory, "PDF report for the year")
    workers.extend(chart_worker_peaks())
    written = session.vault.backup("manual", dest=vault_path.parent / "session.svjbackup")
    written.unlink()
    note_memory(memory, "Backup")
    window.close()
    session.close()
    QApplication.processEvents()
    return timings


def bench_charts(app: Any, workspace: Any, runs: int) -> list[Timing]:
    """Dashboard for a year, period switches, and the longest GUI-thread stall meanwhile."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    page = workspace.charts
    workspace.nav.setCurrentRow(workspace.stack.indexOf(page))
    app.processEvents()
    stalls: list[float] = []
    clock = QElapsedTimer()
    ticker = QTimer()
    ticker.setInterval(5)

    def tick() -> None:
        stalls.append(clock.restart())

    ticker.timeout.connect(tick)

    def until_shown(action: Any) -> float:
        page.rendered = None
        started = time.perf_counter()
        action()
        while page.rendered is None or page.runner.busy:
            app.processEvents()
            time.sleep(0.001)
        app.processEvents()
        return (time.perf_counter() - started) * 1000

    year = page.preset.findText("Last year")
    quarter = page.preset.findText("Last quarter")
    full: list[float] = []
    switch: list[float] = []
    every_tab: list[float] = []
    clock.start()
    ticker.start()
    for _ in range(runs):
        page.preset.setCurrentIndex(quarter)
        app.processEvents()
        while page.runner.busy:
            app.processEvents()
            time.sleep(0.001)
        full.append(until_shown(lambda: page.preset.setCurrentIndex(year)))
        started = time.perf_counter()
        for index in (1, 2):  # then open the other two tabs, as a coordinator would
            page.tabs.setCurrentIndex(index)
            app.processEvents()
            while page.tab_runner.busy:
                app.processEvents()
                time.sleep(0.001)
        every_tab.append(full[-1] + (time.perf_counter() - started) * 1000)
        page.tabs.setCurrentIndex(0)
        switch.append(until_shown(lambda: page.preset.setCurrentIndex(quarter)))
    ticker.stop()
    worst = max(stalls[1:]) if len(stalls) > 1 else 0.0
    return [
        summarise(
            "Dashboard for one year ready: KPIs + the open tab's charts", full, target_ms=1000
        ),
        summarise(
            "… and every tab drawn (12 charts), opening the other two", every_tab, target_ms=None
        ),
        summarise("Switching period (year → quarter), until shown", switch, target_ms=500),
        Timing(
            "Longest GUI-thread stall while charts were computed",
            worst,
            worst,
            len(stalls),
            target_ms=100,
            note="gap between ticks of a 5 ms QTimer on the GUI thread during the runs above",
        ),
    ]


def chart_worker_peaks() -> list[int]:
    """Each live chart worker's peak resident bytes (they are separate processes)."""
    from svjournal.charts import pool

    if pool._POOL is None:
        return []
    # ProcessPoolExecutor keeps its worker processes in a private dict: fine for a benchmark.
    peaks = [process_peak_bytes(pid) for pid in sorted(pool._POOL._executor._processes)]
    return [peak for peak in peaks if peak is not None]


def main() -> None:
    parser = argparse.ArgumentParser(description="Start-up of the app against its floor.")
    parser.add_argument("vault", type=Path, help="a vault folder (a copy: it is opened)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    t = bench_startup(args.vault, args.runs)
    ratio = t.ratio or 0.0
    print(f"{t.name}: {t.median_ms:.0f} ms, floor {t.plain_median_ms:.0f} ms, {ratio:.2f}x")


if __name__ == "__main__":
    main()
