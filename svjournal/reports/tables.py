"""Turning counts into suppressed report tables: cells, blocks of columns, shared totals.

A table's columns come in *blocks*: the columns suppressed together as one grid (for
example accepted / declined / pending, with a total per row). A block may publish a total
per row (an extra column) and a total per column (the table's total line). Some totals
are the same figure as one published elsewhere in the report (the encounters of the
period appear under every breakdown); such a total carries a *shared key*, and when one
table has to hide it, `TableSet` hides it everywhere (otherwise the other table would give
it back).

Smallness goes by people (`Block.people`): a column of encounters hides a cell made of
fewer than t people, however many encounters it holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from svjournal.core.i18n import N_, tr
from svjournal.core.locale_format import format_number, format_percent
from svjournal.reports.model import Cell, CellState, ReportRow, ReportTable, slug
from svjournal.reports.suppression import Grid, Mark, Suppressed, Var, suppress

# Symbols, not words: the same in every language (the report's notices explain them).
PROTECTED_TEXT = "c"
NOT_APPLICABLE_TEXT = "—"
# Translators: the heading of a table's last line, the sum of the lines above.
TOTAL = N_("Total")


def count_text(value: int) -> str:
    """A count as the report's language writes it ('1,234', '1.234')."""
    return format_number(value)


def decimal_text(value: float, digits: int = 1) -> str:
    """`value` with `digits` decimals as the report's language writes it ('26.5', '26,5')."""
    from svjournal.charts.labels import decimal

    return decimal(value, digits)


def percent_text(fraction: float) -> str:
    """A rate as a whole percentage, as the language writes it ('38%', '38 %')."""
    return format_percent(fraction)


def hours_text(hours: float) -> str:
    # Translators: hours with one decimal, "26.5 h"; {hours} is the number.
    return tr("{hours} h").format(hours=decimal_text(hours))


def days_text(days: float) -> str:
    # Translators: days with one decimal, "3.5 days"; {days} is the number.
    return tr("{days} days").format(days=decimal_text(days))


def small_text(threshold: int) -> str:
    return f"<{threshold}"


def published(value: int) -> Cell:
    return Cell(CellState.PUBLISHED, value, count_text(value), "count")


def not_applicable() -> Cell:
    return Cell(CellState.NOT_APPLICABLE, None, NOT_APPLICABLE_TEXT)


def protected() -> Cell:
    return Cell(CellState.PROTECTED, None, PROTECTED_TEXT)


def count_cell(value: int, mark: Mark, threshold: int) -> Cell:
    if mark is Mark.SMALL:
        return Cell(CellState.SMALL, None, small_text(threshold))
    if mark in (Mark.PROTECTED, Mark.WITHHELD):
        return protected()
    return published(value)


def cell_for(value: int, threshold: int, people: int | None = None) -> Cell:
    """A stand-alone count (no totals around it): hidden when fewer than `threshold`
    people stand behind it (`people`, or the count itself when it counts people), zero
    included."""
    behind = value if people is None else people
    mark = Mark.SMALL if threshold and behind < threshold else Mark.PUBLISHED
    return count_cell(value, mark, threshold)


@dataclass
class Block:
    """Columns suppressed together. `shared` names totals published elsewhere too.
    `columns` and `row_total` are headings in the report's language; `keys` and
    `row_total_key` their stable ids (by default made from the headings)."""

    columns: Sequence[str]
    values: Sequence[Sequence[int]]  # one list per table row
    row_total: str | None = None  # heading of the per-row total column, if published
    column_totals: bool = True  # the table's total line shows this block's column sums
    shared: dict[Var, str] = field(default_factory=dict)
    # People behind each figure, by variable, when the values count something else
    # (encounters, follow-ups, referrals); None when the values are people.
    people: Mapping[Var, int] | None = None
    keys: Sequence[str] = ()
    row_total_key: str = ""

    def column_keys(self) -> list[str]:
        keys = list(self.keys) if len(self.keys) == len(self.columns) else []
        keys = keys or [slug(c) for c in self.columns]
        if self.row_total is not None:
            keys.append(self.row_total_key or slug(self.row_total))
        return keys

    def grid(self) -> Grid:
        return Grid.of(
            self.values,
            row_totals=self.row_total is not None,
            column_totals=self.column_totals,
            width=len(self.columns),
            people=self.people,
        )


# A derived column: from the row's index and the cells published so far, its cell.
Derived = Callable[[int | None, list[Cell]], Cell]


@dataclass
class TableSpec:
    key: str
    title: str
    dimension: str
    rows: Sequence[tuple[str, str]]  # (label, code)
    blocks: Sequence[Block]
    note: str = ""
    # The total line's heading, a message translated when the table is rendered (the
    # default, TOTAL) or None: the table has no total line.
    total_label: str | None = TOTAL
    derived: Sequence[tuple[str, Derived]] = ()  # (heading, cell maker)
    derived_keys: Sequence[str] = ()  # their stable ids (by default from the headings)


class TableSet:
    """Suppresses a set of tables consistently and renders them."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.hidden_shared: set[str] = set()

    def render(self, specs: Sequence[TableSpec]) -> list[ReportTable]:
        # Hiding a shared total in one table hides it in all; that can make another table
        # need more protection, so repeat until no new shared total is hidden.
        while True:
            before = set(self.hidden_shared)
            marks = {spec.key: [self._suppress(b) for b in spec.blocks] for spec in specs}
            if self.hidden_shared == before:
                return [self._table(spec, marks[spec.key]) for spec in specs]

    def _suppress(self, block: Block) -> Suppressed:
        grid = block.grid()
        hide = {var for var, key in block.shared.items() if key in self.hidden_shared}
        result = suppress(grid, self.threshold, hide=hide, precious=block.shared.keys())
        for var, key in block.shared.items():
            if _mark_of(result, var) is not Mark.PUBLISHED:
                self.hidden_shared.add(key)
        return result

    def _table(self, spec: TableSpec, marks: list[Suppressed]) -> ReportTable:
        t = self.threshold
        columns: list[str] = []
        keys: list[str] = []
        for block in spec.blocks:
            columns += list(block.columns)
            if block.row_total is not None:
                columns.append(block.row_total)
            keys += block.column_keys()
        columns += [name for name, _f in spec.derived]
        if len(spec.derived_keys) == len(spec.derived):
            keys += list(spec.derived_keys)
        else:
            keys += [slug(name) for name, _f in spec.derived]

        rows = []
        for i, (label, code) in enumerate(spec.rows):
            cells: list[Cell] = []
            for block, m in zip(spec.blocks, marks, strict=True):
                values = block.values[i]
                cells += [count_cell(v, m.cells[i][j], t) for j, v in enumerate(values)]
                if block.row_total is not None:
                    cells.append(count_cell(sum(values), m.row_totals[i], t))
            cells += [fn(i, list(cells)) for _name, fn in spec.derived]
            rows.append(ReportRow(label, code, tuple(cells)))

        total = None
        if spec.total_label is not None:
            cells = []
            for block, m in zip(spec.blocks, marks, strict=True):
                grid = block.grid()
                if block.column_totals:
                    cells += [
                        count_cell(grid.column_total(j), m.column_totals[j], t)
                        for j in range(len(block.columns))
                    ]
                else:
                    cells += [not_applicable() for _c in block.columns]
                if block.row_total is not None:
                    if m.grand_total is not None:
                        cells.append(count_cell(grid.grand_total, m.grand_total, t))
                    else:
                        cells.append(not_applicable())
            cells += [fn(None, list(cells)) for _name, fn in spec.derived]
            total = ReportRow(tr(spec.total_label), "", tuple(cells))
        return ReportTable(
            key=spec.key,
            title=spec.title,
            dimension=spec.dimension,
            columns=tuple(columns),
            rows=tuple(rows),
            total=total,
            note=spec.note,
            column_keys=tuple(keys),
        )


def _mark_of(s: Suppressed, var: Var) -> Mark | None:
    kind = var[0]
    if kind == "x":
        i, j = var[1], var[2]
        assert isinstance(i, int) and isinstance(j, int)
        return s.cells[i][j]
    if kind == "rt":
        assert isinstance(var[1], int)
        return s.row_totals[var[1]] if s.row_totals else None
    if kind == "ct":
        assert isinstance(var[1], int)
        return s.column_totals[var[1]] if s.column_totals else None
    return s.grand_total
