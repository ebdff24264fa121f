"""A picture (a drawn chart) that shrinks and grows with the room its layout gives it.

A QLabel showing a pixmap insists on the pixmap's full size as its minimum, so a wide chart
pushes the window wider (or forces sideways scrolling) and a tall one makes the window grow
past the screen. This label keeps the QLabel API (text while drawing, `pixmap()`), asks for
its natural size but accepts less, and paints the picture scaled to fit, proportions kept.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ScaledImage(QLabel):
    def __init__(self, parent: QWidget | None = None, *, minimum_width: int = 200) -> None:
        super().__init__(parent)
        self._source: QPixmap | None = None
        self._minimum_width = minimum_width
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    # --- the QLabel API the pages use --------------------------------------------------------

    def setPixmap(self, pixmap: QPixmap) -> None:  # type: ignore[override]
        self._source = None if pixmap.isNull() else pixmap
        super().setText("")
        self.updateGeometry()
        self.update()

    def pixmap(self) -> QPixmap:
        return self._source if self._source is not None else QPixmap()

    def setText(self, text: str) -> None:
        self._source = None
        super().setText(text)
        self.updateGeometry()

    def clear(self) -> None:
        self._source = None
        super().clear()
        self.updateGeometry()

    # --- sizing ------------------------------------------------------------------------------

    def natural_size(self) -> QSize:
        """The picture's size in device-independent pixels (what it was drawn for)."""
        if self._source is None:
            return QSize()
        ratio = self._source.devicePixelRatio() or 1.0
        return QSize(
            math.ceil(self._source.width() / ratio), math.ceil(self._source.height() / ratio)
        )

    def sizeHint(self) -> QSize:
        return self.natural_size() if self._source is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        if self._source is None:
            return super().minimumSizeHint()
        width = min(self._minimum_width, self.natural_size().width())
        return QSize(width, self.heightForWidth(width))

    def hasHeightForWidth(self) -> bool:
        return self._source is not None

    def heightForWidth(self, width: int) -> int:
        natural = self.natural_size()
        if self._source is None or natural.width() <= 0:
            return super().heightForWidth(width)
        return math.ceil(natural.height() * width / natural.width())

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._source is None:
            super().paintEvent(event)
            return
        target = self.natural_size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        rect = QRect(0, 0, target.width(), target.height())
        rect.moveCenter(self.rect().center())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(rect, self._source)
        painter.end()
