"""Passphrase input with a show/hide toggle, a live strength meter, and sensitive copying."""

from __future__ import annotations

import atexit
import hashlib
import sys

from PySide6.QtCore import (
    QCoreApplication,
    QMimeData,
    QObject,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QClipboard,
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from svjournal.core import passphrase
from svjournal.core.i18n import tr
from svjournal.core.passphrase import Strength

CLIPBOARD_CLEAR_MS = 60_000
ASSESS_DELAY_MS = 150

# Red to green; the words beside the bar carry the meaning for anyone who cannot tell them apart.
_SCORE_COLOURS = ("#c62828", "#e65100", "#f9a825", "#2e7d32", "#1b5e20")
_SECRET_INPUT_HINTS = (
    Qt.InputMethodHint.ImhSensitiveData
    | Qt.InputMethodHint.ImhNoPredictiveText
    | Qt.InputMethodHint.ImhNoAutoUppercase
)


def monospace_font(scale: float = 1.0) -> QFont:
    """The system's fixed-width font, scaled relative to the normal text size."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    base = QApplication.font().pointSizeF()
    if base > 0:
        font.setPointSizeF(base * scale)
    return font


class _EyeIconEngine(QIconEngine):
    """An eye, crossed out or not, drawn at any size so it stays crisp at 200 % scaling."""

    def __init__(self, crossed: bool) -> None:
        super().__init__()
        self._crossed = crossed

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        role = QPalette.ColorRole.ButtonText
        group = (
            QPalette.ColorGroup.Disabled
            if mode == QIcon.Mode.Disabled
            else QPalette.ColorGroup.Active
        )
        colour = QApplication.palette().color(group, role)
        side = min(rect.width(), rect.height())
        box = QRectF(
            rect.x() + (rect.width() - side) / 2, rect.y() + (rect.height() - side) / 2, side, side
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(colour, max(1.0, side / 12))
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(box.adjusted(side * 0.08, side * 0.25, -side * 0.08, -side * 0.25))
        painter.setBrush(colour)
        painter.drawEllipse(box.center(), side * 0.14, side * 0.14)
        if self._crossed:
            painter.drawLine(
                QPointF(box.left() + side * 0.15, box.bottom() - side * 0.15),
                QPointF(box.right() - side * 0.15, box.top() + side * 0.15),
            )
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(0, 0, size.width(), size.height()), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return _EyeIconEngine(self._crossed)


def _eye_icon(crossed: bool) -> QIcon:
    # Follow the desktop's icon theme when it has one (Breeze, Adwaita); otherwise draw.
    for name in (
        ("view-hidden", "view-conceal-symbolic")
        if crossed
        else ("view-visible", "view-reveal-symbolic")
    ):
        if QIcon.hasThemeIcon(name):
            return QIcon.fromTheme(name)
    return QIcon(_EyeIconEngine(crossed))


class PassphraseField(QWidget):
    """A password-mode line edit with an icon-only show/hide toggle beside it."""

    textChanged = Signal(str)
    returnPressed = Signal()

    def __init__(self, accessible_name: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if accessible_name is None:
            accessible_name = tr("Passphrase")
        self.edit = QLineEdit(self)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(accessible_name)
        self.edit.setInputMethodHints(_SECRET_INPUT_HINTS)
        self.edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 28)
        self.toggle = QToolButton(self)
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName(tr("Show passphrase"))
        # Translators: {field} is the accessible name of the field, e.g. "New passphrase".
        hint = tr("Shows or hides the text typed in {field}").format(field=accessible_name)
        self.toggle.setAccessibleDescription(hint)
        # Reachable with Tab, but a mouse click leaves the caret in the field.
        self.toggle.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.toggle.toggled.connect(self._set_revealed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.toggle)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self.textChanged)
        self.edit.returnPressed.connect(self.returnPressed)
        self._set_revealed(False)

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:
        self.edit.setText(text)

    def clear(self) -> None:
        """Empty the field and hide it again, so the next person sees dots."""
        self.edit.clear()
        self.toggle.setChecked(False)

    def is_revealed(self) -> bool:
        return self.toggle.isChecked()

    def _set_revealed(self, revealed: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if revealed else QLineEdit.EchoMode.Password
        self.edit.setEchoMode(mode)
        # Password mode sets its own hints; in Normal mode keep input methods from learning it.
        self.edit.setInputMethodHints(_SECRET_INPUT_HINTS)
        self.toggle.setIcon(_eye_icon(crossed=revealed))
        self.toggle.setToolTip(tr("Hide passphrase") if revealed else tr("Show passphrase"))


class PassphraseStrengthMeter(QWidget):
    """A 0–4 bar, the strength in words, zxcvbn's advice and the estimated time to guess.

    `set_passphrase` is cheap: the estimate runs once typing pauses, so long passphrases
    stay fluent. `strength` is None while an estimate is pending or the field is empty.
    """

    assessed = Signal(object)  # Strength | None

    def __init__(self, parent: QWidget | None = None, *, delay_ms: int = ASSESS_DELAY_MS) -> None:
        super().__init__(parent)
        self._pending: str | None = None
        self._strength: Strength | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)

        self.bar = QProgressBar(self)
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName(tr("Passphrase strength"))
        self.bar.setMaximumHeight(self.fontMetrics().height() // 2 + 4)
        self.verdict = QLabel(self)
        verdict_font = self.verdict.font()
        verdict_font.setBold(True)
        self.verdict.setFont(verdict_font)
        self.verdict.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        # The advice keeps the room of the longest advice it can give, and the time line is
        # always there: the fields below the meter never move while the person types.
        self.feedback = ReservedLabel((passphrase.LONGEST_FEEDBACK,), self)
        self.crack_time = QLabel(self)
        self.crack_time.setMinimumHeight(self.crack_time.fontMetrics().lineSpacing())
        self.crack_time.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.bar)
        layout.addWidget(self.verdict)
        layout.addWidget(self.feedback)
        layout.addWidget(self.crack_time)
        # Never taller than its text: spare room belongs below the form, not between lines.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._show(None)

    @property
    def strength(self) -> Strength | None:
        return self._strength

    @property
    def is_pending(self) -> bool:
        return self._pending is not None

    def set_passphrase(self, text: str) -> None:
        self._strength = None
        if not text:
            self._pending = None
            self._timer.stop()
            self._show(None)
            self.assessed.emit(None)
            return
        self._pending = text
        self._timer.start()

    def flush(self) -> Strength | None:
        """Assess now if an estimate is pending (e.g. before acting on the result)."""
        self._timer.stop()
        if self._pending is None:
            return self._strength
        text, self._pending = self._pending, None
        self._strength = passphrase.assess(text)
        self._show(self._strength)
        self.assessed.emit(self._strength)
        return self._strength

    def clear(self) -> None:
        self.set_passphrase("")

    def _show(self, strength: Strength | None) -> None:
        if strength is None:
            self.bar.setValue(0)
            self.verdict.setText(tr("Strength: nothing typed yet"))
            self.feedback.setText(
                tr("Four or five unrelated words you can remember make a strong passphrase.")
            )
            self.crack_time.clear()
            self.bar.setAccessibleDescription(tr("No passphrase typed yet"))
            return
        # Every word shown comes from the one estimate in core.passphrase: no second opinion.
        self.bar.setValue(strength.level)
        palette = self.bar.palette()
        palette.setColor(QPalette.ColorRole.Highlight, QColor(_SCORE_COLOURS[strength.level]))
        self.bar.setPalette(palette)
        # The verdict, feedback and time come from core.passphrase (the feedback from zxcvbn).
        # Translators: {verdict} is e.g. "Strong — good enough".
        self.verdict.setText(tr("Strength: {verdict}").format(verdict=strength.verdict))
        self.feedback.setText(strength.feedback)
        # Translators: {time} is a rough duration, e.g. "about 3 years".
        time_text = tr("Estimated time to guess it offline: {time}.")
        self.crack_time.setText(time_text.format(time=strength.crack_time))
        self.bar.setAccessibleDescription(self.verdict.text())
        # After this event, once the layout has taken in the new text.
        QTimer.singleShot(0, self, lambda: grow_dialog_to_fit(self))


class ReservedLabel(QLabel):
    """Word-wrapped text that always takes the height of the tallest of `reserved` texts
    (at the width it is given), so that changing its text never moves what lies below."""

    def __init__(self, reserved: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reserved = reserved
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._fit()

    def _reserved_height(self, width: int) -> int:
        margins = self.contentsMargins()
        inner = max(1, width - margins.left() - margins.right())
        metrics = self.fontMetrics()
        flags = int(Qt.TextFlag.TextWordWrap)
        box = QRect(0, 0, inner, 100_000)
        tallest = max(metrics.boundingRect(box, flags, t).height() for t in self._reserved)
        return tallest + margins.top() + margins.bottom()

    def _fit(self) -> None:
        # A fixed height, changed only by the width (or by a text taller than the reserve).
        chars = self.fontMetrics().averageCharWidth() * 60  # before the first layout
        width = self.width() if self.testAttribute(Qt.WidgetAttribute.WA_Resized) else chars
        height = max(super().heightForWidth(width), self._reserved_height(width))
        if self.minimumHeight() != height or self.maximumHeight() != height:
            self.setFixedHeight(height)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit()


def grow_dialog_to_fit(widget: QWidget) -> None:
    """Let the dialog holding `widget` grow (never shrink) to fit text that grew.

    A dialog sizes itself when first shown; wrapped text added later would be clipped.
    Windows that are not dialogs (the main window) are left alone.
    """
    window = widget.window()
    if not isinstance(window, QDialog) or not window.isVisible():
        return
    hint = window.sizeHint()
    height = max(hint.height(), window.heightForWidth(window.width()))
    wanted = QSize(max(window.width(), hint.width()), max(window.height(), height))
    if wanted != window.size():
        window.resize(wanted)


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class _ClipboardGuard(QObject):
    """Clears the clipboard after a delay, or when the app quits, if it still holds our text.

    Only a digest is kept for the comparison, so the secret does not linger here. The guard
    belongs to the application, not to a window: closing the window must not cancel it.
    """

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._digest: bytes | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear_if_ours)
        app.aboutToQuit.connect(self.clear_if_ours)
        # Also at interpreter exit when no event loop quit first (scripts, tests): that clears
        # the secret, and Qt must not be left owning Python-made mime data at teardown.
        atexit.register(_clear_at_exit)

    def hold(self, text: str, clear_after_ms: int) -> None:
        self._digest = _digest(text)
        self._timer.start(clear_after_ms)

    def clear_if_ours(self) -> None:
        self._timer.stop()
        board = QGuiApplication.clipboard()
        if self._digest is not None and _digest(board.text(QClipboard.Mode.Clipboard)) == (
            self._digest
        ):
            board.clear(QClipboard.Mode.Clipboard)
        self._digest = None


def _clear_at_exit() -> None:
    app = QCoreApplication.instance()
    guard = app.findChild(_ClipboardGuard) if app is not None else None
    if guard is not None:
        guard.clear_if_ours()


def copy_secret_to_clipboard(text: str, *, clear_after_ms: int | None = None) -> None:
    """Copy marked as sensitive; cleared after the delay (default CLIPBOARD_CLEAR_MS) or at
    exit, if the clipboard still holds it."""
    mime = QMimeData()
    mime.setText(text)
    # Clipboard managers (Klipper, KDE Connect, …) skip entries with this hint.
    mime.setData("x-kde-passwordManagerHint", b"secret")
    if sys.platform == "darwin":
        mime.setData("application/x-nspasteboard-concealed-type", b"secret")
    elif sys.platform == "win32":
        # Keep it out of Windows clipboard history and cloud clipboard sync.
        mime.setData("ExcludeClipboardContentFromMonitorProcessing", b"\x01")
        mime.setData("CanIncludeInClipboardHistory", b"\x00\x00\x00\x00")
        mime.setData("CanUploadToCloudClipboard", b"\x00\x00\x00\x00")
    QGuiApplication.clipboard().setMimeData(mime, QClipboard.Mode.Clipboard)
    app = QCoreApplication.instance()
    assert app is not None
    guard = app.findChild(_ClipboardGuard) or _ClipboardGuard(app)
    guard.hold(text, CLIPBOARD_CLEAR_MS if clear_after_ms is None else clear_after_ms)
