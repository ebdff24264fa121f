"""Draw dashboard charts in worker processes, several at once, away from the GUI's GIL.

Drawing a chart with Agg costs 100–200 ms of pure Python and C that holds the GIL; twelve of
them in a thread would both take seconds and stall the GUI thread. Worker processes draw in
parallel and leave the GUI process free. They receive only aggregate figures (the Dashboard
dataclasses: no aliases, no notes) over a pipe and send PNG bytes back; nothing touches disk.

A worker speaks the language of whoever asked: each task carries the caller's language
(`i18n.current()`, the window's, or the report's inside `i18n.speaking`), so a chart's
words and a report file's headings never fall back to the worker's own default.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from svjournal.core import i18n
from svjournal.core.stats_model import Dashboard


def _in_language(language: str, work: Callable[..., Any], *args: Any) -> Any:
    """Runs in a worker process: `work(*args)` in `language`."""
    with i18n.speaking(language):
        return work(*args)


def _render_one(
    dash: Dashboard,
    index: int,
    dark: bool,
    departments: dict[str, str],
    figsize: tuple[float, float],
    scale: float,
) -> tuple[str, str, bytes]:
    """Runs in a worker process: build chart `index` and draw it."""
    from svjournal.charts.dashboard import chart_specs, render_png
    from svjournal.charts.style import ChartStyle

    style = ChartStyle.dark() if dark else ChartStyle.light()
    tab, title, build = chart_specs(dash, style, departments, figsize)[index]
    return tab, title, render_png(build(), scale)


def _render_trajectory(
    points: list[Any], dark: bool, figsize: tuple[float, float], scale: float
) -> bytes:
    """Runs in a worker process: one case's stage trajectory, drawn."""
    from svjournal.charts.dashboard import render_png
    from svjournal.charts.stages import case_trajectory
    from svjournal.charts.style import ChartStyle

    style = ChartStyle.dark() if dark else ChartStyle.light()
    return render_png(case_trajectory(points, style, figsize=figsize), scale)


def _warm_up() -> int:
    # Importing matplotlib and the builders is the slow part of a worker's first chart.
    import matplotlib.backends.backend_agg  # noqa: F401

    import svjournal.charts.breakdowns
    import svjournal.charts.follow_ups
    import svjournal.charts.impact
    import svjournal.charts.stages  # noqa: F401

    return os.getpid()


class ChartPool:
    """A small pool of drawing processes, started once and reused."""

    def __init__(self, workers: int | None = None) -> None:
        count = workers or max(1, min(4, os.cpu_count() or 1))
        # spawn: a fork of a Qt process with threads is unsafe; spawn starts clean interpreters.
        context = multiprocessing.get_context("spawn")
        self._executor = ProcessPoolExecutor(max_workers=count, mp_context=context)
        self.workers = count
        for _ in range(count):
            self._executor.submit(_warm_up)

    def render(
        self,
        dash: Dashboard,
        dark: bool,
        departments: dict[str, str],
        figsize: tuple[float, float],
        scale: float,
        indices: list[int],
    ) -> list[tuple[str, str, bytes]]:
        """Draw the charts at `indices` in parallel; blocks the calling (worker) thread only."""
        language = i18n.current()
        futures: list[Future[tuple[str, str, bytes]]] = [
            self._executor.submit(
                _in_language, language, _render_one, dash, i, dark, departments, figsize, scale
            )
            for i in indices
        ]
        return [future.result(timeout=120) for future in futures]

    def render_trajectory(
        self, points: list[Any], dark: bool, figsize: tuple[float, float], scale: float
    ) -> bytes:
        future = self._executor.submit(
            _in_language, i18n.current(), _render_trajectory, points, dark, figsize, scale
        )
        return bytes(future.result(timeout=120))

    def render_document(
        self,
        render: Callable[[Any, str], bytes],
        report: Any,
        fmt: str,
        *,
        language: str | None = None,
    ) -> bytes:
        """A programme report file made by `render` (reports.write.render_report, handed in
        so that charts never import reports) in a drawing process: matplotlib and reportlab
        (~45 MB) then never load into the app's own process. `language`: the file's words
        (its headings, sheet names, chart titles; None: the caller's current language),
        which should be the language the report was built in."""
        chosen = language or i18n.current()
        return bytes(
            self._executor.submit(_in_language, chosen, render, report, fmt).result(timeout=600)
        )

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


_POOL: ChartPool | None = None


def shared_pool() -> ChartPool:
    global _POOL
    if _POOL is None:
        _POOL = ChartPool()
    return _POOL


def shutdown_shared_pool() -> None:
    global _POOL
    if _POOL is not None:
        _POOL.shutdown()
        _POOL = None
