"""Reachable by everyone: every control by Tab in reading order, a name for every control,
and text, chips and chart colours that reach WCAG contrast in the light and dark palettes."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTabBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from svjournal.charts import style as chart_style
from svjournal.core import backup, vocab
from svjournal.ui import screen_fit, theme
from svjournal.ui.main_window import MainWindow
from svjournal.ui.pages.common import STAGE_COLOURS, stage_chip
from svjournal.ui.phi_highlighter import warning_colour
from svjournal.ui.workspace import PAGES, Workspace
from tests.ui import layout_checks as checks
from tests.ui.test_layout import Journal, _richest_case, _wait, _wait_charts, demo_journal

__all__ = ["demo_journal"]  # the module-scoped demo journal of the layout test

CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QAbstractSpinBox,
    QComboBox,
    QPlainTextEdit,
    QTextEdit,
    QAbstractItemView,
    QTabBar,
)
ROW_TOLERANCE = 12  # px: controls on one line may sit a little higher or lower


def _controls(root: QWidget) -> list[QWidget]:
    """The enabled controls a person can see in `root`."""
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisibleTo(root):
            continue
        if not widget.isEnabled() or widget.window() is not root.window():
            continue
        if isinstance(widget, QAbstractButton) and _inside(widget, (QComboBox, QAbstractSpinBox)):
            continue  # a combo's or spin box's own arrows
        if widget.objectName().startswith("qt_") or _inside(widget, (QAbstractItemView,)):
            continue  # Qt's own parts: scroll bar buttons, a view's editors and headers
        if isinstance(widget, QTextEdit) and widget.isReadOnly() and not widget.isVisible():
            continue
        found.append(widget)
    return found


def _inside(widget: QWidget, kinds: tuple[type, ...]) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, kinds):
            return True
        parent = parent.parentWidget()
    return False


def _tab_chain(root: QWidget) -> list[QWidget]:
    """What Tab visits inside `root`, in order: the focus chain less what Tab skips."""
    chain: list[QWidget] = []
    start = root
    widget = root.nextInFocusChain()
    while widget is not start and len(chain) < 2000:
        if (
            widget.isVisibleTo(root)
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and (widget is root or root.isAncestorOf(widget))
            and widget.focusProxy() is None
        ):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def _reachable(widget: QWidget, chain: list[QWidget]) -> bool:
    if widget in chain or (widget.focusProxy() is not None and widget.focusProxy() in chain):
        return True
    if isinstance(widget, QRadioButton) and widget.autoExclusive():
        # Tab enters an exclusive group at one button; the arrow keys move within it.
        group = [w for w in widget.parentWidget().findChildren(QRadioButton) if w.autoExclusive()]
        return any(w in chain for w in group)
    return False


def _rect(widget: QWidget, root: QWidget) -> QRect:
    return QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())


def _scroller(widget: QWidget, root: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QAbstractScrollArea) and not isinstance(parent, QAbstractItemView):
            return parent
        parent = parent.parentWidget()
    return None


def _place(widget: QWidget, other: QWidget, root: QWidget) -> QRect:
    """Where `widget` reads, compared with `other`: inside one scroll area the content's own
    positions; across its edge, the part of the scroll area it scrolls within."""
    rect = _rect(widget, root)
    area = _scroller(widget, root)
    if area is None or area is _scroller(other, root):
        return rect
    return _rect(area.viewport(), root)


def _order_problems(chain: list[QWidget], root: QWidget) -> list[str]:
    """Reading order, left to right then top to bottom: Tab may go right, go down, or go up
    to a column on the right; never back up-and-left, never leftwards along one line.

    Tab goes round in a circle, so the chain is read from the control nearest the top left.
    """
    problems = []
    seen = [w for w in chain if w.isVisibleTo(root)]
    if not seen:
        return []

    def corner(i: int) -> tuple[int, int]:
        rect = _rect(seen[i], root)
        return rect.top() // 40, rect.left()

    first = min(range(len(seen)), key=corner)
    seen = seen[first:] + seen[:first]
    for before, after in itertools.pairwise(seen):
        a, b = _place(before, after, root), _place(after, before, root)
        same_line = abs(a.top() - b.top()) <= ROW_TOLERANCE
        up = b.top() < a.top() - ROW_TOLERANCE
        left = b.left() < a.left() - ROW_TOLERANCE
        # A control that starts left of the previous one but overlaps it vertically sits in
        # the same column band (a form's next row, a table below its buttons): fine.
        right_column = b.left() >= a.right() - ROW_TOLERANCE
        if (same_line and left) or (up and not right_column):
            problems.append(
                f"Tab goes from {_name(before)} {a.getRect()} to {_name(after)} {b.getRect()}"
            )
    return problems


def _name(widget: QWidget) -> str:
    text = widget.accessibleName() or getattr(widget, "text", lambda: "")() or ""
    return f"{type(widget).__name__}({text!r})"


def _has_name(widget: QWidget, root: QWidget) -> bool:
    if widget.accessibleName().strip():
        return True
    if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
        return True
    if isinstance(widget, QTabBar):
        return all(widget.tabText(i).strip() for i in range(widget.count()))
    return any(label.buddy() is widget for label in root.findChildren(QLabel))


def _check(where: str, root: QWidget, problems: list[str]) -> None:
    checks.settle()
    chain = _tab_chain(root)
    for widget in _controls(root):
        if not _reachable(widget, chain):
            problems.append(f"{where}: {_name(widget)} cannot be reached by Tab")
        if not _has_name(widget, root):
            problems.append(f"{where}: {_name(widget)} has no accessible name or buddy label")
    problems += [f"{where}: {p}" for p in _order_problems(chain, root)]


def _dialogs(workspace: Workspace, journal: Journal) -> list[tuple[str, Callable[[], QDialog]]]:
    from svjournal.ui.backup_dialogs import CalendarDialog, PersonalExportDialog, RestoreDialog
    from svjournal.ui.case_editor import CaseEditor
    from svjournal.ui.change_passphrase import ChangePassphraseDialog
    from svjournal.ui.dialogs import CloseCaseDialog, FollowUpDialog
    from svjournal.ui.encounter_editor import EncounterEditor
    from svjournal.ui.recovery import RecoveryDialog
    from svjournal.ui.team_dialogs import ExportBundleDialog, TeamPassphraseDialog
    from svjournal.ui.trash import TrashDialog

    session = journal.session
    j = session.journal
    case = workspace.case_view.case
    assert case is not None
    window = workspace.window()
    header = backup.read_header(journal.backup_path)
    return [
        ("New case", lambda: CaseEditor(j, None, window)),
        ("Edit case", lambda: CaseEditor(j, case, window)),
        ("Log encounter", lambda: EncounterEditor(j, case, None, window)),
        ("Schedule follow-up", lambda: FollowUpDialog(14, window)),
        ("Close case", lambda: CloseCaseDialog(True, None, window)),
        ("Change passphrase", lambda: ChangePassphraseDialog(session, window)),
        ("Trash", lambda: TrashDialog(j, workspace.ops, window)),
        ("Recovery", lambda: RecoveryDialog(session, window)),
        ("Restore", lambda: RestoreDialog(header, window)),
        ("Personal export", lambda: PersonalExportDialog(window)),
        ("Calendar export", lambda: CalendarDialog(window)),
        ("Export bundle", lambda: ExportBundleDialog(date.today(), window)),
        ("Import bundles", lambda: TeamPassphraseDialog(3, window)),
    ]


@pytest.fixture
def window(demo_journal: Journal, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    monkeypatch.setattr(screen_fit, "available_size", lambda widget=None: QSize(1366, 768))
    main = MainWindow(demo_journal.session)
    main.resize(1366, 768)
    main.show()
    yield main
    main.hide()
    main.deleteLater()
    checks.settle()


def test_every_control_is_reachable_by_tab_in_reading_order_and_named(
    window: MainWindow, demo_journal: Journal, qtbot: QtBot
) -> None:
    workspace = window.workspace
    assert workspace is not None
    problems: list[str] = []
    for name in PAGES:
        workspace.nav.setCurrentRow(PAGES.index(name))
        if name == "Charts":
            _wait_charts(qtbot, workspace.charts)
        elif name == "Reports":
            _wait(qtbot, workspace.reports.runner)
        _check(name, window, problems)
    workspace.open_case(_richest_case(demo_journal.session))
    _wait(qtbot, workspace._trajectory_runner)
    _check("Case view", window, problems)
    for where, make in _dialogs(workspace, demo_journal):
        dialog = make()
        dialog.show()
        _check(where, dialog, problems)
        dialog.reject()
        dialog.deleteLater()
    checks.settle()
    assert not problems, "\n".join(problems)


# --- contrast ----------------------------------------------------------------------------

R = QPalette.ColorRole
TEXT_PAIRS = [
    (R.Text, R.Base),
    (R.WindowText, R.Window),
    (R.PlaceholderText, R.Window),  # hint() body text
    (R.PlaceholderText, R.Base),
    (R.ButtonText, R.Button),
    (R.HighlightedText, R.Highlight),  # selected rows, the current section
    (R.Link, R.Base),
    (R.ToolTipText, R.ToolTipBase),
]


def _over(fg: QColor, bg: QColor) -> str:
    """`fg` as seen over `bg` (a translucent placeholder colour is mixed in)."""
    a = fg.alphaF()
    channels = zip(fg.getRgbF()[:3], bg.getRgbF()[:3], strict=True)
    return QColor.fromRgbF(*(f * a + b * (1 - a) for f, b in channels)).name()


def _palettes() -> dict[str, QPalette]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return {
        "light": theme.readable(app.style().standardPalette()),
        "dark": theme.readable(theme.dark_palette()),
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_body_text_reaches_4_5_to_1_in_both_palettes(qtbot: QtBot, scheme: str) -> None:
    palette = _palettes()[scheme]
    low = []
    for fg, bg in TEXT_PAIRS:
        back = palette.color(bg)
        ratio = chart_style.contrast_ratio(_over(palette.color(fg), back), back.name())
        if ratio < 4.5:
            low.append(f"{fg.name} on {bg.name}: {ratio:.2f}")
    warning = warning_colour(palette, R.Window).name()
    ratio = chart_style.contrast_ratio(warning, palette.color(R.Window).name())
    if ratio < 4.5:
        low.append(f"identifier warning: {ratio:.2f}")
    assert not low


def test_the_app_palette_is_the_readable_one(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    try:
        theme.apply_scheme(app, Qt.ColorScheme.Dark)
        dark = app.palette()
        assert dark.color(R.Window).lightness() < 128
        theme.apply_scheme(app, Qt.ColorScheme.Light)
        light = app.palette()
        for palette in (dark, light):
            back = palette.color(R.Window)
            text = _over(palette.color(R.PlaceholderText), back)
            assert chart_style.contrast_ratio(text, back.name()) >= 4.5
    finally:
        app.setPalette(before)


@pytest.mark.parametrize("stage", sorted(STAGE_COLOURS))
def test_stage_chip_text_reaches_4_5_to_1(qtbot: QtBot, stage: int) -> None:
    chip = stage_chip(stage)
    qtbot.addWidget(chip)
    sheet = chip.styleSheet()
    background = sheet.split("background:")[1].split(";")[0].strip()
    colour = sheet.split(" color:")[1].split(";")[0].strip()
    assert chart_style.contrast_ratio(colour, background) >= 4.5, (stage, colour, background)


def test_stage_cells_in_the_encounter_table_reach_4_5_to_1() -> None:
    for fill in STAGE_COLOURS.values():
        text = theme.text_on(QColor(fill)).name()
        assert chart_style.contrast_ratio(text, fill) >= 4.5, fill


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_red_flag_marker_reaches_4_5_to_1(scheme: str) -> None:
    palette = _palettes()[scheme]
    from svjournal.ui.pages.case_view import red_flag_border

    for back in (palette.color(R.Window), palette.color(R.Base)):
        ratio = chart_style.contrast_ratio(red_flag_border(palette).name(), back.name())
        assert ratio >= 4.5, (scheme, red_flag_border(palette).name(), back.name())


def _chart_fills() -> set[str]:
    s = chart_style
    fills = {*s.STAGE_COLOURS.values(), *s.OUTCOME_COLOURS.values(), *s.TIER_COLOURS.values()}
    fills |= {*s.FOLLOW_UP_COLOURS.values(), *s.REFERRAL_COLOURS.values()}
    return fills | {*s.ENCOUNTER_KIND_COLOURS.values(), s.TRIGGER_COLOUR}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_text_reaches_4_5_to_1_and_every_bar_is_told_apart(scheme: str) -> None:
    """Text on a chart (titles, axes, muted notes, a bar's own label) needs 4.5:1, and so does
    every bar against the background (issue 10; WCAG 1.4.11 asks only 3:1 of a graphic), by its
    fill or its outline."""
    s = chart_style.ChartStyle.light() if scheme == "light" else chart_style.ChartStyle.dark()
    ratio = chart_style.contrast_ratio
    assert ratio(s.foreground, s.background) >= 4.5
    assert ratio(s.muted, s.background) >= 4.5
    for fill in _chart_fills() | {s.accent, s.neutral}:
        assert ratio(s.text_on(fill), fill) >= 4.5, fill
        seen = max(ratio(fill, s.background), ratio(s.edge_for(fill), s.background))
        assert seen >= 4.5, (scheme, fill, seen)


def test_vocab_stages_all_have_a_chip_colour() -> None:
    assert set(STAGE_COLOURS) == {t.code for t in vocab.STAGES}
