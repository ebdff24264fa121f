"""Small-count suppression: nothing hidden can be worked out from what is published."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svjournal.reports.suppression import Grid, Mark, Suppressed, pinned_cells, suppress


def _hidden_interior(s: Suppressed) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, row in enumerate(s.cells)
        for j, mark in enumerate(row)
        if mark is not Mark.PUBLISHED
    ]


def _in_bounds(value: int, mark: Mark, t: int) -> bool:
    if mark is Mark.SMALL:
        return 1 <= value <= t - 1
    if mark is Mark.PROTECTED:
        return value >= t
    if mark is Mark.WITHHELD:
        return value >= 0
    return True


def _solutions(grid: Grid, s: Suppressed, t: int, spread: int) -> list[dict]:
    """Every table consistent with the published cells, totals and the public rules.

    Brute force, independent of the module's network reasoning: hidden cells take values
    near their true ones (any other solution differs by ±1 somewhere along a cycle, so a
    spread of 2 finds one whenever one exists), totals follow from the cells.
    """
    hidden = _hidden_interior(s)
    ranges = [
        [v for v in range(grid.values[i][j] - spread, grid.values[i][j] + spread + 1) if v >= 0]
        for i, j in hidden
    ]
    found = []
    for combo in itertools.product(*ranges):
        values = [list(row) for row in grid.values]
        for (i, j), v in zip(hidden, combo, strict=True):
            if not _in_bounds(v, s.cells[i][j], t):
                break
            values[i][j] = v
        else:
            alt = Grid.of(
                values,
                row_totals=grid.row_totals,
                column_totals=grid.column_totals,
                width=grid.n_columns,
            )
            if _consistent(grid, alt, s, t):
                found.append({"cells": values, "alt": alt})
    return found


def _consistent(true: Grid, alt: Grid, s: Suppressed, t: int) -> bool:
    pairs = []
    if true.row_totals:
        pairs += [
            (true.row_total(i), alt.row_total(i), s.row_totals[i]) for i in range(true.n_rows)
        ]
    if true.column_totals:
        pairs += [
            (true.column_total(j), alt.column_total(j), s.column_totals[j])
            for j in range(true.n_columns)
        ]
    if s.grand_total is not None:
        pairs.append((true.grand_total, alt.grand_total, s.grand_total))
    for real, other, mark in pairs:
        if mark is Mark.PUBLISHED and real != other:
            return False
        if mark is not Mark.PUBLISHED and not _in_bounds(other, mark, t):
            return False
    return True


def _derivable(grid: Grid, s: Suppressed, t: int) -> list[str]:
    """Hidden cells and totals that take one value in every consistent table."""
    solutions = _solutions(grid, s, t, spread=2 if len(_hidden_interior(s)) <= 5 else 1)
    out = []
    for i, j in _hidden_interior(s):
        if len({sol["cells"][i][j] for sol in solutions}) < 2:
            out.append(f"cell {i},{j}")
    for i, mark in enumerate(s.row_totals):
        if mark is not Mark.PUBLISHED and len({sol["alt"].row_total(i) for sol in solutions}) < 2:
            out.append(f"row total {i}")
    for j, mark in enumerate(s.column_totals):
        values = {sol["alt"].column_total(j) for sol in solutions}
        if mark is not Mark.PUBLISHED and len(values) < 2:
            out.append(f"column total {j}")
    grand = {sol["alt"].grand_total for sol in solutions}
    if s.grand_total not in (None, Mark.PUBLISHED) and len(grand) < 2:
        out.append("grand total")
    return out


grids = st.integers(1, 3).flatmap(
    lambda rows: st.integers(1, 3).flatmap(
        lambda cols: st.builds(
            lambda values, rt, ct: Grid.of(values, row_totals=rt, column_totals=ct, width=cols),
            st.lists(
                st.lists(st.integers(0, 12), min_size=cols, max_size=cols),
                min_size=rows,
                max_size=rows,
            ),
            st.booleans(),
            st.booleans(),
        )
    )
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid=grids, threshold=st.integers(3, 6))
def test_no_hidden_count_can_be_worked_out(grid: Grid, threshold: int) -> None:
    s = suppress(grid, threshold)
    # Every small count is hidden, and only hidden cells differ from the truth.
    for i, row in enumerate(grid.values):
        for j, value in enumerate(row):
            if 0 < value < threshold:
                assert s.cells[i][j] in (Mark.SMALL, Mark.WITHHELD)
            if s.cells[i][j] is Mark.PROTECTED:
                assert value >= threshold
            if s.cells[i][j] is Mark.WITHHELD:  # only small counts and zeros are withheld
                assert value < threshold
    assert _derivable(grid, s, threshold) == []
    assert pinned_cells(grid, s, threshold) == []


@settings(max_examples=100, deadline=None)
@given(grid=grids)
def test_threshold_zero_publishes_everything(grid: Grid) -> None:
    s = suppress(grid, 0)
    assert s.hidden_count == 0


def test_a_lone_small_cell_beside_a_total_takes_a_partner() -> None:
    grid = Grid.of([[3], [10], [12]], row_totals=False, column_totals=True)
    s = suppress(grid, 5)
    assert s.cells == ((Mark.SMALL,), (Mark.PROTECTED,), (Mark.PUBLISHED,))
    assert s.column_totals == (Mark.PUBLISHED,)


def test_two_way_table_hides_a_rectangle_not_more() -> None:
    grid = Grid.of([[3, 10, 7], [10, 12, 9], [8, 6, 20]], row_totals=True, column_totals=True)
    s = suppress(grid, 5)
    assert s.hidden_count == 4
    assert s.row_totals == s.column_totals == (Mark.PUBLISHED,) * 3
    assert s.grand_total is Mark.PUBLISHED


def test_two_small_cells_that_could_only_be_ones_are_not_both_shown_small() -> None:
    # 1 and 1 under a published total of 2+30 would give both back (each is at least 1).
    grid = Grid.of([[1], [1], [30]], row_totals=False, column_totals=True)
    s = suppress(grid, 5)
    # Protecting the 30 would cost the reader more than showing one of the ones as "c".
    assert {s.cells[0][0], s.cells[1][0]} == {Mark.SMALL, Mark.WITHHELD}
    assert s.cells[2] == (Mark.PUBLISHED,)
    assert s.column_totals == (Mark.PUBLISHED,)  # never the total while a cell will do
    assert _derivable(grid, s, 5) == []


def test_ones_under_a_small_total_are_withheld_not_the_table() -> None:
    # Two "<3" under a total "<3" could only be 1 and 1: the total is withheld ("c").
    grid = Grid.of([[0, 1], [0, 1]], row_totals=False, column_totals=True)
    s = suppress(grid, 3)
    assert _derivable(grid, s, 3) == []
    # One of the three small figures becomes "c" (may be anything); the zeros stay shown.
    marks = [s.cells[0][1], s.cells[1][1], s.column_totals[1]]
    assert sorted(m.value for m in marks) == ["small", "small", "withheld"]
    assert s.cells[0][0] is s.cells[1][0] is s.column_totals[0] is Mark.PUBLISHED


def test_precious_totals_are_hidden_last() -> None:
    grid = Grid.of([[1], [5]], row_totals=False, column_totals=True)
    s = suppress(grid, 5, precious=[("ct", 0)])
    assert s.column_totals == (Mark.PUBLISHED,)
    assert _derivable(grid, s, 5) == []


def test_a_shared_total_hidden_elsewhere_is_hidden_here_too() -> None:
    grid = Grid.of([[7], [9]], row_totals=False, column_totals=True)
    s = suppress(grid, 5, hide=[("ct", 0)])
    assert s.column_totals == (Mark.PROTECTED,)


@pytest.mark.parametrize("threshold", [1, 2, -1])
def test_thresholds_that_would_hide_nothing_are_refused(threshold: int) -> None:
    with pytest.raises(ValueError):
        suppress(Grid.of([[1]], row_totals=False, column_totals=False), threshold)
