"""Light and dark palettes: follow the OS live, and force either one for screenshots."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

_DARK = {
    QPalette.ColorRole.Window: "#2b2d30",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1e1f22",
    QPalette.ColorRole.AlternateBase: "#26282b",
    QPalette.ColorRole.ToolTipBase: "#3c3f41",
    QPalette.ColorRole.ToolTipText: "#e6e6e6",
    QPalette.ColorRole.PlaceholderText: "#a0a4a8",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#3c3f41",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ff6b6b",
    QPalette.ColorRole.Link: "#56B4E9",
    QPalette.ColorRole.Highlight: "#0072B2",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Light: "#4a4d50",
    QPalette.ColorRole.Midlight: "#3f4245",
    QPalette.ColorRole.Mid: "#36383b",
    QPalette.ColorRole.Dark: "#1a1b1d",
    QPalette.ColorRole.Shadow: "#000000",
}


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7d80"))
    return palette


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two opaque colours, 1 to 21."""

    def luminance(c: QColor) -> float:
        def linear(v: float) -> float:
            return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF())

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_on(fill: QColor) -> QColor:
    """Black or white, whichever reads better on `fill` (lightness alone picks white on the
    vermillion and green chips, 3.9:1 and 3.4:1; black reaches 5.4:1 and 6.1:1)."""
    black, white = QColor("#000000"), QColor("#ffffff")
    return black if contrast(black, fill) >= contrast(white, fill) else white


_MIN_TEXT = 4.5  # WCAG AA for body text


def readable(palette: QPalette) -> QPalette:
    """`palette` with the roles body text uses brought to 4.5:1 where they fall short.

    Fusion's light palette draws placeholder text (our hint lines) in half-transparent black,
    3.9:1 on the window, and white on its highlight blue at 3.7:1; both are darkened here.
    """
    result = QPalette(palette)
    dark = is_dark(palette)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        window = palette.color(group, QPalette.ColorRole.Window)
        base = palette.color(group, QPalette.ColorRole.Base)
        hint = _opaque(palette.color(group, QPalette.ColorRole.PlaceholderText), window)
        while min(contrast(hint, window), contrast(hint, base)) < _MIN_TEXT:
            hint = hint.lighter(110) if dark else hint.darker(115)
            if hint.lightness() in (0, 255):
                break
        result.setColor(group, QPalette.ColorRole.PlaceholderText, hint)
        highlight = palette.color(group, QPalette.ColorRole.Highlight)
        chosen = palette.color(group, QPalette.ColorRole.HighlightedText)
        while contrast(chosen, highlight) < _MIN_TEXT and highlight.lightness() > 0:
            highlight = (
                highlight.darker(110) if chosen.lightness() > 127 else highlight.lighter(110)
            )
        result.setColor(group, QPalette.ColorRole.Highlight, highlight)
    return result


def _opaque(colour: QColor, background: QColor) -> QColor:
    a = colour.alphaF()
    return QColor.fromRgbF(
        colour.redF() * a + background.redF() * (1 - a),
        colour.greenF() * a + background.greenF() * (1 - a),
        colour.blueF() * a + background.blueF() * (1 - a),
    )


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def apply_scheme(app: QApplication, scheme: Qt.ColorScheme) -> None:
    """Make the palette match `scheme` when the platform theme did not already."""
    style = app.style()
    if scheme == Qt.ColorScheme.Dark and not is_dark(app.palette()):
        app.setPalette(readable(dark_palette()))
    elif scheme == Qt.ColorScheme.Light and is_dark(app.palette()):
        app.setPalette(readable(style.standardPalette()))
    else:
        app.setPalette(readable(app.palette()))


def follow_os(app: QApplication) -> None:
    hints = QGuiApplication.styleHints()
    apply_scheme(app, hints.colorScheme())
    hints.colorSchemeChanged.connect(lambda scheme: apply_scheme(app, scheme))


class SteadyTabStyle(QProxyStyle):
    """The platform's style, but an unselected tab's label stays where a selected one's is.

    Fusion draws an unselected tab's label 2 px lower and clips its top: the accent of a
    capital letter vanished ("Équipe" read "Equipe" in every tab but the current one)."""

    def pixelMetric(
        self,
        metric: QStyle.PixelMetric,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> int:
        if metric == QStyle.PixelMetric.PM_TabBarTabShiftVertical:
            return 0
        return super().pixelMetric(metric, option, widget)


def install_style(app: QApplication) -> None:
    """Wrap the style the platform chose (before any palette is set: a new style resets it)."""
    if not isinstance(app.style(), SteadyTabStyle):
        app.setStyle(SteadyTabStyle(app.style().name()))
