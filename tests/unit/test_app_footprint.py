"""The app's own process stays small: heavy drawing libraries load only in the workers."""

from __future__ import annotations

import subprocess
import sys

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
