"""What a user would see as broken layout, found from the widgets' own geometry.

Each check looks only at widgets that are visible and returns readable problems ("where:
what, which widget"), so one run lists everything that is wrong at one window size. The
checks read the widgets' size hints and font metrics; they do not depend on the platform
plugin, so they run offscreen.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollBar,
    QStyle,
    QStyleOptionComboBox,
    QTableView,
    QToolButton,
    QWidget,
)

from svjournal import APP_NAME

# A line edit must show at least this many average characters (a pseudonym, a date, a name).
LINE_EDIT_CHARS = 12
# At and above this window width nothing may need sideways scrolling.
NO_SIDEWAYS_FROM = 1366


def settle(rounds: int = 4) -> None:
    """Let layouts, deferred resizes and posted events finish."""
    app = QApplication.instance()
    assert app is not None
    for _ in range(rounds):
        app.processEvents()


def describe(widget: QWidget) -> str:
    """Class, objectName, accessible name and (short) text: enough to find the widget."""
    parts = [type(widget).__name__]
    if widget.objectName():
        parts.append(f"#{widget.objectName()}")
    if widget.accessibleName():
        parts.append(f"[{widget.accessibleName()}]")
    text = getattr(widget, "text", None)
    if callable(text):
        value = text()
        if isinstance(value, str) and value:
            short = value if len(value) <= 70 else value[:67] + "…"
            parts.append(repr(short))
    return " ".join(parts)


def _shown(root: QWidget, kind: type) -> list:  # type: ignore[type-arg]
    """Visible widgets of `kind` in `root`'s own window (not in dialogs parented to it)."""
    window = root.window()
    found = [w for w in root.findChildren(kind) if w.isVisible() and w.window() is window]
    if isinstance(root, kind) and root.isVisible():
        found.insert(0, root)
    return found


def label_problems(root: QWidget) -> list[str]:
    problems = []
    for label in _shown(root, QLabel):
        if not label.text().strip():
            continue
        pixmap = label.pixmap()
        if pixmap is not None and not pixmap.isNull():
            continue
        if label.wordWrap():
            need = label.heightForWidth(label.width())
            if need > label.height():
                problems.append(
                    f"wrapped label cut: needs {need} px height, has {label.height()} "
                    f"(width {label.width()}): {describe(label)}"
                )
        else:
            hint = label.sizeHint()
            if hint.width() > label.width() or hint.height() > label.height():
                problems.append(
                    f"label text does not fit: needs {hint.width()}×{hint.height()}, has "
                    f"{label.width()}×{label.height()}: {describe(label)}"
                )
    return problems


def _stretching(header: QHeaderView) -> set[int]:
    stretch = {
        i
        for i in range(header.count())
        if header.sectionResizeMode(i) == QHeaderView.ResizeMode.Stretch
    }
    if header.stretchLastSection():
        visible = [i for i in range(header.count()) if not header.isSectionHidden(i)]
        if visible:
            stretch.add(max(visible, key=header.visualIndex))
    return stretch


def table_problems(root: QWidget) -> list[str]:
    problems = []
    for view in _shown(root, QTableView):
        model = view.model()
        if model is None:
            continue
        header = view.horizontalHeader()
        name = view.accessibleName() or type(view).__name__
        stretch = _stretching(header)
        for col in range(header.count()):
            if header.isSectionHidden(col):
                continue
            text = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
            width = header.sectionSize(col)
            if header.isVisible() and text:
                need = header.sectionSizeHint(col)
                if width < need:
                    problems.append(f"table '{name}': header '{text}' needs {need} px, has {width}")
            if col in stretch or model.rowCount() == 0:
                continue
            need = view.sizeHintForColumn(col)
            if width < need:
                problems.append(
                    f"table '{name}': cells of column '{text}' are cut (need {need} px, "
                    f"have {width}; only the stretching column may elide)"
                )
    return problems


def line_edit_problems(root: QWidget) -> list[str]:
    problems = []
    for edit in _shown(root, QLineEdit):
        parent = edit.parentWidget()
        if isinstance(parent, (QAbstractSpinBox, QComboBox)):
            continue  # the edit inside a spin box, date edit or combo: sized by its owner
        metrics = edit.fontMetrics()
        need = metrics.averageCharWidth() * LINE_EDIT_CHARS
        what = f"{LINE_EDIT_CHARS} characters"
        if not edit.text() and edit.placeholderText():
            placeholder = metrics.horizontalAdvance(edit.placeholderText())
            if placeholder > need:
                need, what = placeholder, f"its placeholder {edit.placeholderText()!r}"
        frame = edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, edit)
        margins = edit.textMargins()
        buttons = sum(
            b.width() + 2 for b in edit.findChildren(QToolButton) if b.parentWidget() is edit
        )
        room = edit.width() - 2 * frame - 4 - margins.left() - margins.right() - buttons
        if room < need:
            problems.append(
                f"line edit too narrow for {what}: text room {room} px, needs {need}: "
                f"{describe(edit)}"
            )
    return problems


def combo_problems(root: QWidget) -> list[str]:
    """A closed combo box must show its current choice whole ("All depar" is not a choice)."""
    problems = []
    for combo in _shown(root, QComboBox):
        text = combo.currentText()
        if not text or combo.isEditable():
            continue
        option = QStyleOptionComboBox()
        option.initFrom(combo)
        option.rect = combo.rect()
        option.currentText = text
        field = combo.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox,
            option,
            QStyle.SubControl.SC_ComboBoxEditField,
            combo,
        )
        need = combo.fontMetrics().horizontalAdvance(text)
        if not combo.itemIcon(combo.currentIndex()).isNull():
            need += combo.iconSize().width() + 4
        if field.width() < need:
            problems.append(
                f"combo box cuts its choice: needs {need} px, shows {field.width()}: "
                f"{describe(combo)} {text!r}"
            )
    return problems


def scrollbar_problems(root: QWidget, window_width: int) -> list[str]:
    problems = []
    for area in _shown(root, QAbstractScrollArea):
        name = area.accessibleName() or area.objectName() or type(area).__name__
        if window_width >= NO_SIDEWAYS_FROM and area.horizontalScrollBar().isVisible():
            problems.append(f"horizontal scrollbar at width {window_width}: {name}")
        if area.verticalScrollBar().isVisible():
            outer = area.parentWidget()
            while outer is not None and outer is not root.window():
                if isinstance(outer, QAbstractScrollArea) and outer.verticalScrollBar().isVisible():
                    problems.append(
                        f"nested vertical scrollbars: {name} scrolls inside "
                        f"{outer.accessibleName() or type(outer).__name__}"
                    )
                    break
                outer = outer.parentWidget()
    for bar in _shown(root, QScrollBar):
        # A free-standing horizontal scrollbar (not one of a scroll area's own) counts too.
        container = bar.parentWidget()
        owner = container.parentWidget() if container is not None else None
        if (
            window_width >= NO_SIDEWAYS_FROM
            and bar.orientation() == Qt.Orientation.Horizontal
            and not isinstance(owner, QAbstractScrollArea)
        ):
            problems.append(f"horizontal scrollbar at width {window_width}: {describe(bar)}")
    return problems


def all_problems(root: QWidget, window_width: int) -> list[str]:
    return (
        label_problems(root)
        + table_problems(root)
        + line_edit_problems(root)
        + combo_problems(root)
        + scrollbar_problems(root, window_width)
    )


# Room a window manager takes in a title bar besides the text: icon, buttons, padding.
TITLE_BAR_CHROME = 120


def title_problem(window: QWidget) -> str | None:
    """A dialog narrower than its title shows "Sched…ournal" in the title bar."""
    title = window.windowTitle()
    if APP_NAME not in title:
        title += f" — {APP_NAME}"  # what the platform shows (the app's display name)
    need = window.fontMetrics().horizontalAdvance(title) + TITLE_BAR_CHROME
    if window.width() < need:
        return f"title {title!r} needs {need} px, the window is {window.width()} wide"
    return None


def fits(size: QSize, limit: QSize) -> bool:
    return size.width() <= limit.width() and size.height() <= limit.height()


def report(problems: Iterable[str]) -> str:
    lines = sorted(set(problems))
    return f"{len(lines)} layout problem(s):\n  " + "\n  ".join(lines)
