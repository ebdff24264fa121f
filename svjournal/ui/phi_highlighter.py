"""Wavy underlines and a warning line for free text that looks like a patient identifier."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextEdit, QWidget

from svjournal.core.i18n import tr
from svjournal.core.phi import KIND_NOUNS, IdentifierHit, find_identifiers, kinds_found

# Privacy: nothing here logs, stores or sends the text. Hits carry positions and fixed
# messages only, so the signal and the warning line can never leak what was typed.

_AMBER_ON_LIGHT = QColor("#a34700")  # ≥ 4.5:1 against white
_AMBER_ON_DARK = QColor("#ffb86b")  # ≥ 4.5:1 against a dark grey


def warning_colour(palette: QPalette, role: QPalette.ColorRole = QPalette.ColorRole.Base) -> QColor:
    """An amber that reads on the palette's `role` background, light or dark theme alike.

    Qt palettes have no "warning" role, so the color is picked by the background's lightness.
    """
    return _AMBER_ON_DARK if palette.color(role).lightness() < 128 else _AMBER_ON_LIGHT


def blend(base: QColor, accent: QColor, share: float) -> QColor:
    """`base` with `share` (0..1) of `accent` mixed in: a tint that keeps base's light or dark."""
    return QColor.fromRgbF(
        base.redF() + (accent.redF() - base.redF()) * share,
        base.greenF() + (accent.greenF() - base.greenF()) * share,
        base.blueF() + (accent.blueF() - base.blueF()) * share,
    )


def warning_text(hits: list[IdentifierHit]) -> str:
    """One sentence naming every kind of identifier found, merged hits' kinds included.

    e.g. 'Looks like a name, a record or ID number and a date of birth — the journal …'.
    """
    kinds = kinds_found(hits)
    nouns: list[str] = []
    for kind in kinds:
        noun = tr(KIND_NOUNS[kind])
        if noun not in nouns:  # both name kinds read "a name"
            nouns.append(noun)
    if not nouns:
        return ""
    listed = QLocale().createSeparatedList(nouns)  # "a, b and c" as the language joins them
    if "date" in kinds:
        # Translators: {kinds} lists what was found: "a name, a phone number and an exact date".
        text = tr(
            "Looks like {kinds} — the journal must not hold patient identifiers. "
            "The month or year alone is safer than an exact date."
        )
    else:
        # Translators: {kinds} lists what was found: "a name and a phone number".
        text = tr("Looks like {kinds} — the journal must not hold patient identifiers.")
    return text.format(kinds=listed)


def _utf16_offsets(text: str) -> list[int] | None:
    """Python index → UTF-16 index (Qt's unit), or None when the two agree (no astral chars)."""
    if all(ord(ch) <= 0xFFFF for ch in text):
        return None
    offsets = [0]
    for ch in text:
        offsets.append(offsets[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return offsets


class IdentifierHighlighter(QSyntaxHighlighter):
    """Underlines what `find_identifiers` flags; `hitsChanged` tells a form what to warn about.

    Pass the text edit itself (not only its document) so the colour follows its palette when
    the theme switches between light and dark. It never blocks typing or saving.
    """

    hitsChanged = Signal(list)

    def __init__(self, target: QTextDocument | QPlainTextEdit | QTextEdit) -> None:
        document = target if isinstance(target, QTextDocument) else target.document()
        super().__init__(document)
        self._widget: QWidget | None = None if isinstance(target, QTextDocument) else target
        self._text: str | None = None
        self._hits: list[IdentifierHit] = []
        self._spans: list[tuple[int, int]] = []  # UTF-16 spans of _hits, for highlightBlock
        self._emitted: list[IdentifierHit] = []
        self._rehighlighting = False
        if self._widget is not None:
            self._widget.installEventFilter(self)
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._palette_changed)
        document.contentsChanged.connect(self._contents_changed)
        self._contents_changed()

    def hits(self) -> list[IdentifierHit]:
        """The current hits, positions as Python indices into the document's plain text."""
        self._refresh()
        return list(self._hits)

    def _format(self) -> QTextCharFormat:
        palette = self._widget.palette() if self._widget is not None else QGuiApplication.palette()
        amber = warning_colour(palette)
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(amber)
        # A faint tint too: a thin wave alone is easy to miss with low vision.
        fmt.setBackground(blend(palette.color(QPalette.ColorRole.Base), amber, 0.16))
        return fmt

    def _refresh(self) -> None:
        document = self.document()
        text = document.toPlainText() if document is not None else ""
        if text == self._text:
            return
        self._text = text
        self._hits = find_identifiers(text)
        offsets = _utf16_offsets(text)
        self._spans = [
            (h.start, h.end) if offsets is None else (offsets[h.start], offsets[h.end])
            for h in self._hits
        ]

    def highlightBlock(self, text: str) -> None:
        self._refresh()
        block = self.currentBlock()
        first, last = block.position(), block.position() + block.length() - 1
        base: QTextCharFormat | None = None
        for hit, (start, end) in zip(self._hits, self._spans, strict=True):
            lo, hi = max(start, first), min(end, last)
            if lo < hi:
                base = base or self._format()
                fmt = QTextCharFormat(base)
                fmt.setToolTip(tr(hit.message))  # a fixed message, never the matched text
                self.setFormat(lo - first, hi - lo, fmt)

    def _contents_changed(self) -> None:
        # Re-highlighting emits contentsChanged again; the guard stops the loop.
        if self._rehighlighting:
            return
        self._refresh()
        if self._hits == self._emitted:
            return
        self._emitted = list(self._hits)
        # An edit in one line can move or end a hit in another: repaint every block.
        self._repaint()
        self.hitsChanged.emit(list(self._hits))

    def _repaint(self) -> None:
        self._rehighlighting = True
        try:
            self.rehighlight()
        finally:
            self._rehighlighting = False

    def _palette_changed(self, *_args: object) -> None:
        self._repaint()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._repaint()
        return False


class IdentifierWarning(QLabel):
    """A word-wrapped warning line listing what looks like an identifier; hidden when clear."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setAccessibleName(tr("Identifier warning"))
        self._apply_colour()
        self.hide()

    def show_hits(self, hits: list[IdentifierHit]) -> None:
        self.show_message(warning_text(hits))

    def show_message(self, message: str) -> None:
        """Show a fixed warning sentence (never the text typed), or hide when it is empty."""
        self.setText(f"⚠ {message}" if message else "")
        self.setAccessibleDescription(message)
        self.setVisible(bool(message))

    def _apply_colour(self) -> None:
        palette = self.palette()
        palette.setColor(
            QPalette.ColorRole.WindowText,
            warning_colour(QGuiApplication.palette(), QPalette.ColorRole.Window),
        )
        self.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            self._apply_colour()
