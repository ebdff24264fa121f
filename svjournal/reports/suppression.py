"""Small-count suppression, with complementary suppression for tables with published totals.

A figure made of fewer than *t* people (the threshold) is *small* and never published, zero
included: "<5" means "fewer than 5, perhaps none", so a reader cannot tell an empty
category from one that holds a person. Most figures count people (cases), and a small one
is then 0 … t-1; a figure of encounters, follow-ups or referrals is small when fewer than t
people stand behind it (`Grid.people`), and may then be any number.

Hiding small figures alone is not enough when the table also publishes totals: the total
minus the other cells of the row gives a hidden one back. So further cells are *protected*
(hidden too, "c") until no hidden figure is pinned by what is published. The reader we
defend against knows the table's structure, every published figure and the rules: a small
figure lies in its range above, a protected one is at least t. A hidden figure is *pinned*
when these facts leave it one possible value. One pin is allowed: a small cell pinned at
zero, when every line through it has a published total (at least t people) — "nobody in
this category of a large group" is no fact about a small one. When no published figure can
unpin a small one (two "<3" under a total "<3" of people must both be 1), it is *withheld*
instead: shown as "c", it may then be anything.

What to hide is chosen per pinned figure: the figures that close a cycle through it at the
least cost to the reader (a shortest path; see `_conversion` for the costs), searched around
the public point (`suppression_network`), so that the choice itself reveals nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import cast

from svjournal.reports import suppression_network as net
from svjournal.reports.suppression_network import Var

__all__ = ["MIN_THRESHOLD", "Grid", "Mark", "Suppressed", "Var", "pinned_cells", "suppress"]

# With a threshold of 2 a small cell could only be 0 or 1: hiding it would hide little.
MIN_THRESHOLD = 3


class Mark(Enum):
    PUBLISHED = "published"
    SMALL = "small"
    PROTECTED = "protected"
    WITHHELD = "withheld"  # the last resort for a tiny table: hidden, may be anything ≥ 0


@dataclass(frozen=True)
class Grid:
    """Counts (rows × columns) and which totals the table publishes beside them.

    With `row_totals` each row's sum is published; with `column_totals` each column's sum
    (a total row); with both, the grand total as well. A one-column table with a total
    row is `Grid([[a], [b], …], row_totals=False, column_totals=True)`.

    `people`, when given, says how many people stand behind each figure (cell and total,
    by variable: ("x", i, j), ("rt", i), ("ct", j), ("g",)): the values then count
    something else (encounters), and smallness goes by people. Without it the values are
    people.
    """

    values: tuple[tuple[int, ...], ...]
    row_totals: bool = False
    column_totals: bool = False
    width: int = 0  # columns (also when there are no rows)
    people: Mapping[Var, int] | None = field(default=None, compare=False)

    @classmethod
    def of(
        cls,
        rows: Sequence[Sequence[int]],
        *,
        row_totals: bool,
        column_totals: bool,
        width: int | None = None,
        people: Mapping[Var, int] | None = None,
    ) -> Grid:
        values = tuple(tuple(int(v) for v in row) for row in rows)
        widths = {len(row) for row in values} | ({width} if width is not None else set())
        if len(widths) > 1:
            raise ValueError("every row needs the same number of cells")
        if any(v < 0 for row in values for v in row):
            raise ValueError("counts cannot be negative")
        return cls(values, row_totals, column_totals, widths.pop() if widths else 0, people=people)

    @property
    def n_rows(self) -> int:
        return len(self.values)

    @property
    def n_columns(self) -> int:
        return self.width

    def row_total(self, i: int) -> int:
        return sum(self.values[i])

    def column_total(self, j: int) -> int:
        return sum(row[j] for row in self.values)

    @property
    def grand_total(self) -> int:
        return sum(sum(row) for row in self.values)


@dataclass(frozen=True)
class Suppressed:
    """Marks for every cell of a `Grid` and for each total it publishes."""

    cells: tuple[tuple[Mark, ...], ...]
    row_totals: tuple[Mark, ...]  # empty when the grid publishes no row totals
    column_totals: tuple[Mark, ...]
    grand_total: Mark | None

    @property
    def hidden_count(self) -> int:
        marks = [m for row in self.cells for m in row]
        marks += [*self.row_totals, *self.column_totals]
        if self.grand_total is not None:
            marks.append(self.grand_total)
        return sum(m is not Mark.PUBLISHED for m in marks)


# --- what a reader knows of each figure ----------------------------------------------


def _bounds(grid: Grid, mark: Mark, threshold: int) -> tuple[float, float]:
    if mark is Mark.SMALL:
        # Fewer than t people: that many, or (counting encounters) any number at all.
        return 0, (threshold - 1 if grid.people is None else float("inf"))
    if mark is Mark.WITHHELD:
        return 0, float("inf")
    if mark is Mark.PROTECTED:
        return threshold, float("inf")  # t people or more, so at least t of anything
    return float("-inf"), float("inf")  # published: its value is known, bounds unused


def _network(grid: Grid, marks: dict[Var, Mark], threshold: int) -> list[net.Edge]:
    """The grid's network with its hidden figures at the public point."""
    bounds = {var: _bounds(grid, mark, threshold) for var, mark in marks.items()}
    network = net.edges(grid, marks, bounds)
    net.public_point(grid, network)
    return network


def _lines(grid: Grid, var: Var) -> list[Var]:
    """The totals of the equations a figure takes part in (its row's, its column's; a
    margin's is the grand total)."""
    both = grid.row_totals and grid.column_totals
    lines: list[Var] = []
    if var[0] == "x":
        if grid.row_totals:
            lines.append(("rt", var[1]))
        if grid.column_totals:
            lines.append(("ct", var[2]))
    elif var[0] in ("rt", "ct") and both:
        lines.append(("g",))
    return lines


def _harmful(grid: Grid, marks: dict[Var, Mark], pinned: list[net.Edge]) -> list[net.Edge]:
    """The pins that tell something about a small group.

    A small figure pinned at 0 says "nobody here"; that is harmless when every line it lies
    in has a published total (a group of t people or more) or a total that is itself a
    harmless 0 (an empty line). Any other pin gives a hidden figure away.
    """
    zeros = {e.var for e in pinned if e.mark is Mark.SMALL and e.value == 0}
    harmless: set[Var] = set()
    changed = True
    while changed:
        changed = False
        for var in zeros - harmless:
            if all(marks[line] is Mark.PUBLISHED or line in harmless for line in _lines(grid, var)):
                harmless.add(var)
                changed = True
    return [e for e in pinned if e.var not in harmless]


def _pinned(grid: Grid, marks: dict[Var, Mark], threshold: int) -> list[net.Edge]:
    network = _network(grid, marks, threshold)
    return _harmful(grid, marks, net.pinned(grid, network))


def _is_small(grid: Grid, var: Var, value: int, threshold: int) -> bool:
    if grid.people is None:
        return value < threshold
    return grid.people.get(var, 0) < threshold


def _initial_marks(grid: Grid, threshold: int) -> dict[Var, Mark]:
    marks: dict[Var, Mark] = {}

    def mark(var: Var, value: int) -> None:
        small = threshold > 0 and _is_small(grid, var, value, threshold)
        marks[var] = Mark.SMALL if small else Mark.PUBLISHED

    for i, row in enumerate(grid.values):
        for j, value in enumerate(row):
            mark(("x", i, j), value)
    if grid.row_totals:
        for i in range(grid.n_rows):
            mark(("rt", i), grid.row_total(i))
    if grid.column_totals:
        for j in range(grid.n_columns):
            mark(("ct", j), grid.column_total(j))
    if grid.row_totals and grid.column_totals:
        mark(("g",), grid.grand_total)
    return marks


# What hiding one more figure costs the reader. A published figure costs its value (the
# textbook choice: protect the smallest). Turning a "<N" into "c" (its range is then
# unknown) costs about as much as protecting a small cell; a total, far more; a total the
# report also publishes elsewhere ("precious"), the most. Every cost is public: published
# values and marks only.
def _conversion(
    grid: Grid, edge: net.Edge, threshold: int, precious: frozenset[Var]
) -> tuple[Mark, int] | None:
    margin = edge.var[0] != "x"
    if edge.mark is Mark.SMALL:
        if grid.people is not None:
            return None  # already any number: "c" would say no less
        return Mark.WITHHELD, 3 * threshold + (1_000 if margin else 0)
    if edge.mark is not Mark.PUBLISHED:
        return None
    cost = edge.value + 1
    if margin:
        cost += 1_000_000_000 if edge.var in precious else 1_000_000
    return Mark.PROTECTED, cost


def _cheapest_protection(
    grid: Grid,
    network: list[net.Edge],
    pinned: net.Edge,
    threshold: int,
    precious: frozenset[Var],
) -> dict[Var, Mark]:
    """The figures whose hiding closes a cycle through `pinned` at the least cost.

    Dijkstra over the residual graph at the public point, where the arcs of hidden figures
    are free and every other figure offers the arcs it would have once hidden, at the cost
    of hiding it.
    """
    graph: dict[net.Node, list[tuple[net.Node, Var, int]]] = {}
    for node, node_arcs in net.arcs(grid, network).items():
        graph[node] = [(nxt, var, 0) for nxt, var in node_arcs]
    conversions: dict[Var, Mark] = {}
    for edge in network:
        option = _conversion(grid, edge, threshold, precious)
        if option is None:
            continue
        new_mark, cost = option
        conversions[edge.var] = new_mark
        low, high = _bounds(grid, new_mark, threshold)
        as_hidden = net.Edge(
            edge.var, edge.row_side, edge.column_side, edge.sign, edge.value, new_mark, low, high
        )
        up, down = as_hidden.moves()
        if up:
            graph[edge.row_side].append((edge.column_side, edge.var, cost))
        if down:
            graph[edge.column_side].append((edge.row_side, edge.var, cost))
    # The pinned figure's own arcs, as the search needs them even at no cost.
    path = net.cheapest_cycle(graph, next(e for e in network if e.var == pinned.var))
    if path is None:
        return {}
    return {var: conversions[var] for var in path if var in conversions}


def pinned_cells(grid: Grid, marks: Suppressed, threshold: int) -> list[Var]:
    """The hidden figures (as variables) a reader can work out from what is published
    (a harmless zero, see the module's docstring, excepted)."""
    return [edge.var for edge in _pinned(grid, _as_dict(grid, marks), threshold)]


def suppress(
    grid: Grid,
    threshold: int,
    *,
    hide: Iterable[Var] = (),
    precious: Iterable[Var] = (),
) -> Suppressed:
    """Mark small cells and the cells that must be hidden with them.

    `hide` lists cells (usually totals) to protect from the start because the same figure
    is hidden elsewhere in the report; `precious` lists totals published elsewhere, which
    are hidden only when nothing else will do.
    """
    if threshold != 0 and threshold < MIN_THRESHOLD:
        raise ValueError(f"the threshold is 0 (off) or at least {MIN_THRESHOLD}")
    marks = _initial_marks(grid, 0 if threshold == 0 else threshold)
    if threshold:
        for var in hide:
            if marks.get(var) is Mark.PUBLISHED and _value(grid, var) > 0:
                marks[var] = Mark.PROTECTED
        while True:
            network = _network(grid, marks, threshold)
            pinned = _harmful(grid, marks, net.pinned(grid, network))
            if not pinned:
                break
            chosen = _cheapest_protection(grid, network, pinned[0], threshold, frozenset(precious))
            if not chosen:  # cannot happen while anything is left to hide; stay safe
                marks = dict.fromkeys(marks, Mark.WITHHELD)
                break
            marks.update(chosen)
    return _as_suppressed(grid, marks)


def _value(grid: Grid, var: Var) -> int:
    kind = var[0]
    if kind == "x":
        return grid.values[cast(int, var[1])][cast(int, var[2])]
    if kind == "rt":
        return grid.row_total(var[1])  # type: ignore[arg-type]
    if kind == "ct":
        return grid.column_total(var[1])  # type: ignore[arg-type]
    return grid.grand_total


def _as_suppressed(grid: Grid, marks: dict[Var, Mark]) -> Suppressed:
    both = grid.row_totals and grid.column_totals
    return Suppressed(
        cells=tuple(
            tuple(marks[("x", i, j)] for j in range(grid.n_columns)) for i in range(grid.n_rows)
        ),
        row_totals=tuple(marks[("rt", i)] for i in range(grid.n_rows)) if grid.row_totals else (),
        column_totals=(
            tuple(marks[("ct", j)] for j in range(grid.n_columns)) if grid.column_totals else ()
        ),
        grand_total=marks[("g",)] if both else None,
    )


def _as_dict(grid: Grid, s: Suppressed) -> dict[Var, Mark]:
    marks: dict[Var, Mark] = {}
    for i, row in enumerate(s.cells):
        for j, mark in enumerate(row):
            marks[("x", i, j)] = mark
    for i, mark in enumerate(s.row_totals):
        marks[("rt", i)] = mark
    for j, mark in enumerate(s.column_totals):
        marks[("ct", j)] = mark
    if s.grand_total is not None:
        marks[("g",)] = s.grand_total
    return marks
