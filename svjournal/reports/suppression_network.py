"""The network behind complementary suppression: what a reader can work out, and from what.

The equations "row cells sum to the row total", "column cells sum to the column total" and
"row totals and column totals both sum to the grand total" form a bipartite network (rows
and the totals row on one side, columns and the totals column on the other, one edge per
cell). Another integer solution differs from a given one by a sum of alternating cycles; so
a hidden figure can take another value exactly when a ±1 alternating cycle through it stays
within every hidden figure's bounds: a path search in the residual graph. Lines whose total
is not published impose no equation: their nodes are joined through one free node.

Every search runs around the *public point* (`public_point`): the lexicographically least
table consistent with what is published. It depends only on the published figures and on
which figures are hidden, never on the hidden values themselves — so the cells chosen for
protection cannot tell a reader anything the published figures do not (two journals that
publish the same figures get the same protection).
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from svjournal.reports.suppression import Grid, Mark

# Node names: ("r", i) rows, ("c", j) columns, ("R",) the totals row, ("C",) the totals
# column, ("F",) the free node. An edge is a variable: ("x", i, j) a cell, ("rt", i) a row
# total, ("ct", j) a column total, ("g",) the grand total.
Node = tuple[object, ...]
Var = tuple[object, ...]
FREE: Node = ("F",)
Arc = tuple[Node, Var]


@dataclass
class Edge:
    var: Var
    row_side: Node
    column_side: Node
    sign: int  # +1 cells and grand total, -1 margins: turns the equations into a network
    value: int  # the true value for a published figure, the public point's for a hidden one
    mark: Mark
    low: float  # what a reader knows of the figure, from its mark
    high: float
    hidden: bool = False  # set from the mark (a plain field: read millions of times)

    def __post_init__(self) -> None:
        self.hidden = self.mark.value != "published"

    def moves(self) -> tuple[bool, bool]:
        """(up, down): whether the network variable can rise / fall by one in bounds."""
        can_rise = self.value + 1 <= self.high
        can_fall = self.value - 1 >= self.low
        return (can_rise, can_fall) if self.sign > 0 else (can_fall, can_rise)


def edges(grid: Grid, marks: dict[Var, Mark], bounds: dict[Var, tuple[float, float]]) -> list[Edge]:
    """The grid's figures as network edges, valued at their true values."""
    out = []

    def add(var: Var, a: Node, b: Node, sign: int, value: int) -> None:
        low, high = bounds[var]
        out.append(Edge(var, a, b, sign, value, marks[var], low, high))

    for i, row in enumerate(grid.values):
        for j, value in enumerate(row):
            add(("x", i, j), ("r", i), ("c", j), 1, value)
    if grid.row_totals:
        for i in range(grid.n_rows):
            add(("rt", i), ("r", i), ("C",), -1, grid.row_total(i))
    if grid.column_totals:
        for j in range(grid.n_columns):
            add(("ct", j), ("R",), ("c", j), -1, grid.column_total(j))
    if grid.row_totals and grid.column_totals:
        add(("g",), ("R",), ("C",), 1, grid.grand_total)
    return out


def constrained(grid: Grid, node: Node) -> bool:
    """Whether a published equation holds at `node`."""
    kind = node[0]
    if kind == "r":
        return grid.row_totals
    if kind == "c":
        return grid.column_totals
    if kind in ("R", "C"):
        return grid.row_totals and grid.column_totals
    return False


def arcs(grid: Grid, network: list[Edge]) -> dict[Node, list[Arc]]:
    """The residual graph: an arc per way a hidden figure can move by one within its bounds.

    Going from the row side to the column side raises the network variable (sign × value),
    going back lowers it.
    """
    graph: dict[Node, list[Arc]] = {FREE: []}
    for edge in network:
        for node in (edge.row_side, edge.column_side):
            if node not in graph:
                graph[node] = []
                if not constrained(grid, node):
                    graph[node].append((FREE, ("free",)))
                    graph[FREE].append((node, ("free",)))
        if not edge.hidden:
            continue
        up, down = edge.moves()
        if up:
            graph[edge.row_side].append((edge.column_side, edge.var))
        if down:
            graph[edge.column_side].append((edge.row_side, edge.var))
    return graph


def _path(
    graph: dict[Node, list[Arc]], start: Node, goal: Node, skip: set[Var]
) -> list[tuple[Node, Node, Var]] | None:
    """A shortest path start ⇝ goal avoiding the arcs of `skip`, as (from, to, var) steps."""
    came: dict[Node, tuple[Node, Var] | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            steps = []
            while (step := came[node]) is not None:
                steps.append((step[0], node, step[1]))
                node = step[0]
            return steps[::-1]
        for nxt, var in graph.get(node, ()):
            if var not in skip and nxt not in came:
                came[nxt] = (node, var)
                queue.append(nxt)
    return None


# The residual graph for `public_point`, as dictionaries: node → {(variable, upwards): next
# node}; free arcs are keyed (("free", next node), True). One edge's arcs can then be
# refreshed after it moves, instead of rebuilding the whole graph after every step.
Keyed = dict[Node, dict[tuple[Var, bool], Node]]


def _keyed_arcs(grid: Grid, network: list[Edge]) -> Keyed:
    graph: Keyed = {}
    for node, node_arcs in arcs(grid, network).items():
        graph[node] = {}
        for nxt, var in node_arcs:
            if var == ("free",):
                graph[node][(("free", nxt), True)] = nxt
    for edge in network:
        if edge.hidden:
            _refresh(graph, edge)
    return graph


def _refresh(graph: Keyed, edge: Edge) -> None:
    graph[edge.row_side].pop((edge.var, True), None)
    graph[edge.column_side].pop((edge.var, False), None)
    up, down = edge.moves()
    if up:
        graph[edge.row_side][(edge.var, True)] = edge.column_side
    if down:
        graph[edge.column_side][(edge.var, False)] = edge.row_side


def _search(graph: Keyed, start: Node, goal: Node, skip: set[Var]) -> list[tuple[Var, bool]] | None:
    """The (variable, upwards) steps of a shortest path start ⇝ goal avoiding `skip`."""
    came: dict[Node, tuple[Node, tuple[Var, bool]] | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            steps = []
            while (step := came[node]) is not None:
                steps.append(step[1])
                node = step[0]
            return steps
        for key, nxt in graph.get(node, {}).items():
            if nxt not in came and key[0] not in skip:
                came[nxt] = (node, key)
                queue.append(nxt)
    return None


def public_point(grid: Grid, network: list[Edge]) -> None:
    """Move the hidden figures of `network` to the lexicographically least consistent table.

    The figures are minimised one by one in the network's order, each as far as a cycle
    avoiding the figures already fixed allows. The least table is unique, so the result
    depends on the published figures and the bounds alone; starting from the true values
    only makes it quick to find.
    """
    by_var = {edge.var: edge for edge in network}
    graph: Keyed | None = None
    fixed: set[Var] = {edge.var for edge in network if not edge.hidden}
    for edge in network:
        if edge.var in fixed:
            continue
        while edge.value - 1 >= edge.low:
            if graph is None:
                graph = _keyed_arcs(grid, network)
            # Lowering the value: a cell's network variable falls (column → row side), a
            # margin's rises (row → column side); the cycle closes back to the arc's tail.
            tail, head = (
                (edge.column_side, edge.row_side)
                if edge.sign > 0
                else (edge.row_side, edge.column_side)
            )
            steps = _search(graph, head, tail, fixed | {edge.var})
            if steps is None:
                break
            edge.value -= 1
            moved = [edge]
            for var, upwards in steps:
                if var[0] == "free":
                    continue
                other = by_var[var]
                other.value += other.sign if upwards else -other.sign
                moved.append(other)
            for other in moved:
                _refresh(graph, other)
        fixed.add(edge.var)


def reaches(graph: dict[Node, list[Arc]], start: Node, goal: Node, skip: Var) -> bool:
    return _path(graph, start, goal, {skip}) is not None


def pinned(grid: Grid, network: list[Edge]) -> list[Edge]:
    """The hidden figures that take one value in every table consistent with the rest."""
    graph = arcs(grid, network)
    out = []
    for edge in network:
        if not edge.hidden:
            continue
        a, b = edge.row_side, edge.column_side
        rise = any(v == edge.var for _n, v in graph[a]) and reaches(graph, b, a, edge.var)
        fall = any(v == edge.var for _n, v in graph[b]) and reaches(graph, a, b, edge.var)
        if not (rise or fall):
            out.append(edge)
    return out


def cheapest_cycle(
    graph: dict[Node, list[tuple[Node, Var, int]]], pinned_edge: Edge
) -> list[Var] | None:
    """The figures on the least costly cycle through `pinned_edge` (Dijkstra both ways)."""
    a, b = pinned_edge.row_side, pinned_edge.column_side
    best: tuple[int, list[Var]] | None = None
    # Up: the pinned figure's arc a → b, closed by a path b ⇝ a; down: b → a, closed by a ⇝ b.
    for tail, head in ((a, b), (b, a)):
        own = [c for nxt, var, c in graph[tail] if var == pinned_edge.var and nxt == head]
        if not own:
            continue
        found = _dijkstra(graph, head, tail, pinned_edge.var)
        if found is None:
            continue
        cost, path = found[0] + min(own), found[1]
        if min(own) > 0:
            path = [*path, pinned_edge.var]
        if best is None or cost < best[0]:
            best = (cost, path)
    return None if best is None else best[1]


def _dijkstra(
    graph: dict[Node, list[tuple[Node, Var, int]]], start: Node, goal: Node, skip: Var
) -> tuple[int, list[Var]] | None:
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
