"""One chart on the Charts page: its image at its drawn size, Save as…, and its figures as a
table, built the first time it is asked for."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from svjournal.charts.tables import ChartTable
from svjournal.core.i18n import tr
from svjournal.ui.chart_table import chart_table_view
from svjournal.ui.pages.charts_render import RenderedChart
from svjournal.ui.pages.common import hint
from svjournal.ui.scaled_image import ScaledImage


class ChartCard(QFrame):
    def __init__(
        self,
        chart: RenderedChart,
        scale: float,
        on_save: Callable[[RenderedChart], object],
        table: ChartTable | None = None,
        as_table: set[int] | None = None,
    ) -> None:
        """`table` holds the chart's numbers ("Show as table"); `as_table` is the page's set
        of charts shown as tables, so the choice survives a redraw."""
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.chart = chart
        # Scales with its cell until the page redraws it at the new size (see ChartsPage).
        image = ScaledImage(minimum_width=160)
        pixmap = QPixmap.fromImage(chart.image) if chart.image is not None else _pixmap(chart.png)
        # The decoded image has done its work: kept, it doubled every chart's pixels in memory
        # (12 charts, ~13 MB at 100,000 encounters); a redraw decodes the PNG again.
        chart.image = None
        pixmap.setDevicePixelRatio(scale)
        image.setPixmap(pixmap)
        image.setAccessibleName(chart.title)
        self.image = image
        save = QPushButton(tr("Save as PNG or SVG…"))
        # Translators: a button's accessible name; {title} is the chart's title.
        save.setAccessibleName(tr("Save chart: {title}").format(title=chart.title))
        save.clicked.connect(lambda: on_save(chart))
        self.view = QStackedWidget()
        self.view.addWidget(image)
        self.table_button: QPushButton | None = None
        # The table view is built the first time it is asked for: building one for every
        # card took ~9 ms each on the GUI thread, for views most people never open.
        self._table_data = table
        self.table: QTableView | None = None
        row = QHBoxLayout()
        row.addStretch(1)
        if table is not None:
            button = QPushButton(tr("Show as table"))
            button.setCheckable(True)
            # Translators: a button's accessible name; {title} is the chart's title.
            button.setAccessibleName(tr("Show as table: {title}").format(title=chart.title))
            self.table_button = button
            button.toggled.connect(lambda on: self._show_table(on, as_table))
            button.setChecked(as_table is not None and chart.index in as_table)
            row.addWidget(button)
        row.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addLayout(row)

    def _table_view(self) -> QTableView:
        if self.table is None:
            table = self._table_data
            assert table is not None
            holder = QWidget()
            inner = QVBoxLayout(holder)
            inner.setContentsMargins(0, 0, 0, 0)
            self.table = chart_table_view(table)
            inner.addWidget(self.table, 1)
            if table.note or not table.rows:
                inner.addWidget(hint(table.note or tr("Nothing to show in this period.")))
            self.view.addWidget(holder)
        return self.table

    def _show_table(self, on: bool, shown: set[int] | None) -> None:
        if on:
            self._table_view()
        self.view.setCurrentIndex(1 if on else 0)
        assert self.table_button is not None
        self.table_button.setText(tr("Show as chart") if on else tr("Show as table"))
        if shown is not None:
            (shown.add if on else shown.discard)(self.chart.index)


def _pixmap(png: bytes) -> QPixmap:
    pixmap = QPixmap()
    pixmap.loadFromData(png, "PNG")
    return pixmap
