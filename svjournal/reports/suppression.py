"""Small-count suppression with complementary suppression for tables with published totals.

A count below the threshold (1 … threshold-1) is *small* and never published. Hiding it
alone is not enough when the table also publishes totals: the total minus the other cells
of the row gives it back. So further cells are *protected* (hidden too) until no hidden
cell can be worked out from everything that is published.

The attacker we defend against knows the table's structure, every published cell and
total, and the rules: a small cell lies in 1 … t-1 and a protected one is at least t
(zeros are published, as they identify nobody). A hidden cell is *pinned* when these facts
leave it one possible value. When no published cell can unpin it (1 and 1 under a total
"<5" must both be 1), a small figure is *withheld* instead: shown as "c", it may then be
anything, zero included.

Exact test: the equations "row cells sum to the row total", "column cells sum to the
column total" and "row totals and column totals both sum to the grand total" form a
bipartite network (rows and the totals row on one side, columns and the totals column on
the other, one edge per cell). Another integer solution differs from the true one by a
sum of alternating cycles; so a hidden cell can take another value exactly when a ±1
alternating cycle through it stays within every hidden cell's bounds. That is a path
search in a residual graph. Lines whose total is not published impose no equation: their
nodes are joined through one free node, which cycles may pass through.

What to hide is chosen per pinned cell: the figures that close a cycle through it at the
least cost to the reader (a shortest path; see `_conversion` for the costs).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

__all__ = ["MIN_THRESHOLD", "Grid", "Mark", "Suppressed", "Var", "pinned_cells", "suppress"]

# With a threshold of 2 a small cell could only be 1: hiding it would hide nothing.
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
    """

    values: tuple[tuple[int, ...], ...]
    row_totals: bool = False
    column_totals: bool = False
    width: int = 0  # columns (also when there are no rows)

    @classmethod
    def of(
        cls,
        rows: Sequence[Sequence[int]],
        *,
        row_totals: bool,
        column_totals: bool,
        width: int | None = None,
    ) -> Grid:
        values = tuple(tuple(int(v) for v in row) for row in rows)
        widths = {len(row) for row in values} | ({width} if width is not None else set())
        if len(widths) > 1:
            raise ValueError("every row needs the same number of cells")
        if any(v < 0 for row in values for v in row):
            raise ValueError("counts cannot be negative")
        return cls(values, row_totals, column_totals, widths.pop() if widths else 0)

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


# --- the network ----------------------------------------------------------------------
# Node names: ("r", i) rows, ("c", j) columns, ("R",) the totals row, ("C",) the totals
# column, ("F",) the free node. An edge is a variable: ("x", i, j) a cell, ("rt", i) a row
# total, ("ct", j) a column total, ("g",) the grand total.

Node = tuple[object, ...]
Var = tuple[object, ...]
_FREE: Node = ("F",)


@dataclass
class _Edge:
    var: Var
    row_side: Node
    column_side: Node
    sign: int  # +1 cells and grand total, -1 margins: turns the equations into a network
    value: int
    mark: Mark


def _edges(grid: Grid, marks: dict[Var, Mark]) -> list[_Edge]:
    edges = []
    for i, row in enumerate(grid.values):
        for j, value in enumerate(row):
            var = ("x", i, j)
            edges.append(_Edge(var, ("r", i), ("c", j), 1, value, marks[var]))
    if grid.row_totals:
        for i in range(grid.n_rows):
            var = ("rt", i)
            edges.append(_Edge(var, ("r", i), ("C",), -1, grid.row_total(i), marks[var]))
    if grid.column_totals:
        for j in range(grid.n_columns):
            var = ("ct", j)
            edges.append(_Edge(var, ("R",), ("c", j), -1, grid.column_total(j), marks[var]))
    if grid.row_totals and grid.column_totals:
        var = ("g",)
        edges.append(_Edge(var, ("R",), ("C",), 1, grid.grand_total, marks[var]))
    return edges


def _constrained(grid: Grid, node: Node) -> bool:
    """Whether a published equation holds at `node`."""
    kind = node[0]
    if kind == "r":
        return grid.row_totals
    if kind == "c":
        return grid.column_totals
    if kind in ("R", "C"):
        return grid.row_totals and grid.column_totals
    return False


def _bounds(mark: Mark, threshold: int) -> tuple[int, float]:
    if mark is Mark.SMALL:
        return 1, threshold - 1
    if mark is Mark.WITHHELD:
        return 0, float("inf")
    return threshold, float("inf")


def _arcs(grid: Grid, edges: list[_Edge], threshold: int) -> dict[Node, list[tuple[Node, Var]]]:
    """The residual graph: an arc per way a hidden cell can move by one within its bounds.

    Going from the row side to the column side raises the network variable (sign × value),
    going back lowers it.
    """
    graph: dict[Node, list[tuple[Node, Var]]] = {_FREE: []}
    for edge in edges:
        for node in (edge.row_side, edge.column_side):
            if node not in graph:
                graph[node] = []
                if not _constrained(grid, node):
                    graph[node].append((_FREE, ("free",)))
                    graph[_FREE].append((node, ("free",)))
        if edge.mark is Mark.PUBLISHED:
            continue
        low, high = _bounds(edge.mark, threshold)
        can_rise = edge.value + 1 <= high
        can_fall = edge.value - 1 >= low
        up, down = (can_rise, can_fall) if edge.sign > 0 else (can_fall, can_rise)
        if up:
            graph[edge.row_side].append((edge.column_side, edge.var))
        if down:
            graph[edge.column_side].append((edge.row_side, edge.var))
    return graph


def _reaches(graph: dict[Node, list[tuple[Node, Var]]], start: Node, goal: Node, skip: Var) -> bool:
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            return True
        for nxt, var in graph.get(node, ()):
            if var != skip and nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False


def _pinned(grid: Grid, marks: dict[Var, Mark], threshold: int) -> list[_Edge]:
    edges = _edges(grid, marks)
    graph = _arcs(grid, edges, threshold)
    pinned = []
    for edge in edges:
        if edge.mark is Mark.PUBLISHED:
            continue
        a, b = edge.row_side, edge.column_side
        rise = any(v == edge.var for _n, v in graph[a]) and _reaches(graph, b, a, edge.var)
        fall = any(v == edge.var for _n, v in graph[b]) and _reaches(graph, a, b, edge.var)
        if not (rise or fall):
            pinned.append(edge)
    return pinned


def _initial_marks(grid: Grid, threshold: int) -> dict[Var, Mark]:
    def mark(value: int) -> Mark:
        return Mark.SMALL if 0 < value < threshold else Mark.PUBLISHED

    marks: dict[Var, Mark] = {}
    for i, row in enumerate(grid.values):
        for j, value in enumerate(row):
            marks[("x", i, j)] = mark(value)
    if grid.row_totals:
        for i in range(grid.n_rows):
            marks[("rt", i)] = mark(grid.row_total(i))
    if grid.column_totals:
        for j in range(grid.n_columns):
            marks[("ct", j)] = mark(grid.column_total(j))
    if grid.row_totals and grid.column_totals:
        marks[("g",)] = mark(grid.grand_total)
    return marks


# What hiding one more figure costs the reader. A published cell costs its value (the
# textbook choice: protect the smallest). Turning a "<N" into "c" (its range is then
# unknown) costs about as much as protecting a small cell; hiding a zero, more; a total,
# far more; a total the report also publishes elsewhere ("precious"), the most.
def _conversion(edge: _Edge, threshold: int, precious: frozenset[Var]) -> tuple[Mark, int] | None:
    margin = edge.var[0] != "x"
    if edge.mark is Mark.SMALL:
        return Mark.WITHHELD, 3 * threshold + (1_000 if margin else 0)
    if edge.mark is not Mark.PUBLISHED:
        return None
    if edge.value == 0:
        return Mark.WITHHELD, 100_000 if margin else 1_000
    cost = edge.value + 1
    if margin:
        cost += 1_000_000_000 if edge.var in precious else 1_000_000
    return Mark.PROTECTED, cost


def _cheapest_protection(
    grid: Grid,
    marks: dict[Var, Mark],
    pinned: _Edge,
    threshold: int,
    precious: frozenset[Var],
) -> dict[Var, Mark]:
    """The figures whose hiding closes a cycle through `pinned` at the least cost.

    Dijkstra over the residual graph, where the arcs of hidden cells are free and every
    other figure offers the arcs it would have once hidden, at the cost of hiding it.
    """
    edges = _edges(grid, marks)
    graph: dict[Node, list[tuple[Node, Var, int]]] = {}
    for node, arcs in _arcs(grid, edges, threshold).items():
        graph[node] = [(nxt, var, 0) for nxt, var in arcs]
    conversions: dict[Var, Mark] = {}
    for edge in edges:
        option = _conversion(edge, threshold, precious)
        if option is None:
            continue
        new_mark, cost = option
        conversions[edge.var] = new_mark
        low, high = _bounds(new_mark, threshold)
        can_rise, can_fall = edge.value + 1 <= high, edge.value - 1 >= low
        up, down = (can_rise, can_fall) if edge.sign > 0 else (can_fall, can_rise)
        if up:
            graph[edge.row_side].append((edge.column_side, edge.var, cost))
        if down:
            graph[edge.column_side].append((edge.row_side, edge.var, cost))

    a, b = pinned.row_side, pinned.column_side
    best: tuple[int, list[Var]] | None = None
    # Up: the pinned cell's arc a → b, closed by a path b ⇝ a; down: b → a, closed by a ⇝ b.
    for tail, head in ((a, b), (b, a)):
        own = [c for nxt, var, c in graph[tail] if var == pinned.var and nxt == head]
        if not own:
            continue
        found = _dijkstra(graph, head, tail, pinned.var)
        if found is None:
            continue
        cost, path = found[0] + min(own), found[1]
        if min(own) > 0:
            path = [*path, pinned.var]
        if best is None or cost < best[0]:
            best = (cost, path)
    if best is None:
        return {}
    return {var: conversions[var] for var in best[1] if var in conversions}


def _dijkstra(
    graph: dict[Node, list[tuple[Node, Var, int]]], start: Node, goal: Node, skip: Var
) -> tuple[int, list[Var]] | None:
    import heapq

    queue: list[tuple[int, int, Node]] = [(0, 0, start)]
    came: dict[Node, tuple[Node, Var] | None] = {start: None}
    cost = {start: 0}
    tie = 1
    while queue:
        dist, _tie, node = heapq.heappop(queue)
        if node == goal:
            path: list[Var] = []
            step = came[node]
            while step is not None:
                path.append(step[1])
                step = came[step[0]]
            return dist, path
        if dist > cost[node]:
            continue
        for nxt, var, weight in graph.get(node, ()):
            if var == skip:
                continue
            new = dist + weight
            if new < cost.get(nxt, new + 1):
                cost[nxt] = new
                came[nxt] = (node, var)
                heapq.heappush(queue, (new, tie, nxt))
                tie += 1
    return None


def pinned_cells(grid: Grid, marks: Suppressed, threshold: int) -> list[Var]:
    """The hidden cells (as variables) whose value follows from what is published."""
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
        while pinned := _pinned(grid, marks, threshold):
            chosen = _cheapest_protection(grid, marks, pinned[0], threshold, frozenset(precious))
            if not chosen:  # cannot happen while anything is left to hide; stay safe
                marks = dict.fromkeys(marks, Mark.WITHHELD)
                break
            marks.update(chosen)
    return _as_suppressed(grid, marks)


def _value(grid: Grid, var: Var) -> int:
    kind = var[0]
    if kind == "x":
        return grid.values[var[1]][var[2]]  # type: ignore[index]
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
