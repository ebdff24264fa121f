"""Small-count suppression: nothing hidden can be worked out from what is published, and
what is hidden depends on nothing but what is published.

"<t" means fewer than t, zero included (issue 12 part 4): the solver below gives a small
cell the range 0 … t-1, and a zero is hidden like any other small count."""

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


def _in_bounds(value: int, mark: Mark, t: int, people_unit: bool = True) -> bool:
    if mark is Mark.SMALL:  # fewer than t people: that many, or any number of encounters
        return 0 <= value <= t - 1 if people_unit else value >= 0
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
            if not _in_bounds(v, s.cells[i][j], t, grid.people is None):
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
        if mark is not Mark.PUBLISHED and not _in_bounds(other, mark, t, true.people is None):
            return False
    return True


def _harmless_zero(
    grid: Grid, s: Suppressed, i: int, j: int, values: set[int], solutions: list[dict]
) -> bool:
    """A small cell that can only be 0, in lines whose totals are published or can only be
    0 themselves (empty lines): "nobody in this category of a large group" is the one fact
    a reader may work out."""
    if values != {0} or s.cells[i][j] is not Mark.SMALL:
        return False
    lines = []
    if grid.row_totals:
        lines.append((s.row_totals[i], {sol["alt"].row_total(i) for sol in solutions}))
    if grid.column_totals:
        lines.append((s.column_totals[j], {sol["alt"].column_total(j) for sol in solutions}))
    grand = {sol["alt"].grand_total for sol in solutions}
    ok_grand = s.grand_total in (None, Mark.PUBLISHED) or grand == {0}
    return all(
        mark is Mark.PUBLISHED or (seen == {0} and mark is Mark.SMALL and ok_grand)
        for mark, seen in lines
    )


def _derivable(grid: Grid, s: Suppressed, t: int) -> list[str]:
    """Hidden cells and totals that take one value in every consistent table."""
    solutions = _solutions(grid, s, t, spread=2 if len(_hidden_interior(s)) <= 5 else 1)
    out = []
    for i, j in _hidden_interior(s):
        values = {sol["cells"][i][j] for sol in solutions}
        if len(values) < 2 and not _harmless_zero(grid, s, i, j, values, solutions):
            out.append(f"cell {i},{j}")
    grand = {sol["alt"].grand_total for sol in solutions}
    # An empty line's total (only 0) is harmless where the grand total is published or 0.
    empty_ok = s.grand_total in (None, Mark.PUBLISHED) or grand == {0}
    for i, mark in enumerate(s.row_totals):
        values = {sol["alt"].row_total(i) for sol in solutions}
        harmless = values == {0} and mark is Mark.SMALL and empty_ok
        if mark is not Mark.PUBLISHED and len(values) < 2 and not harmless:
            out.append(f"row total {i}")
    for j, mark in enumerate(s.column_totals):
        values = {sol["alt"].column_total(j) for sol in solutions}
        harmless = values == {0} and mark is Mark.SMALL and empty_ok
        if mark is not Mark.PUBLISHED and len(values) < 2 and not harmless:
            out.append(f"column total {j}")
    if s.grand_total not in (None, Mark.PUBLISHED) and len(grand) < 2 and grand != {0}:
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
            if value < threshold:  # zeros too: "<t" never tells none from a few
                assert s.cells[i][j] in (Mark.SMALL, Mark.WITHHELD)
            if s.cells[i][j] is Mark.PROTECTED:
                assert value >= threshold
            if s.cells[i][j] is Mark.WITHHELD:  # only small counts and zeros are withheld
                assert value < threshold
    assert _derivable(grid, s, threshold) == []
    assert pinned_cells(grid, s, threshold) == []


def _large_figures(grid: Grid, t: int) -> tuple[object, ...]:
    """Each figure's value when it is t or more, else just "small"."""

    def seen(value: int) -> int | str:
        return value if value >= t else "small"

    rows = tuple(tuple(seen(v) for v in row) for row in grid.values)
    rt = tuple(seen(grid.row_total(i)) for i in range(grid.n_rows)) if grid.row_totals else ()
    ct = (
        tuple(seen(grid.column_total(j)) for j in range(grid.n_columns))
        if grid.column_totals
        else ()
    )
    both = grid.row_totals and grid.column_totals
    return rows, rt, ct, seen(grid.grand_total) if both else None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid=grids, threshold=st.integers(3, 5))
def test_what_is_hidden_depends_only_on_what_is_published(grid: Grid, threshold: int) -> None:
    # Any other table with the same small cells and the same values everywhere else gets
    # the same marks: which cells are protected tells a reader nothing about small ones.
    s = suppress(grid, threshold)
    for sol in _solutions(grid, s, threshold, spread=2 if len(_hidden_interior(s)) <= 4 else 1):
        alt = sol["alt"]
        if _large_figures(alt, threshold) == _large_figures(grid, threshold):
            assert suppress(alt, threshold) == s, alt.values


def _with_people(grid: Grid, people: list[list[int]]) -> Grid:
    """The grid counting encounters of `people` distinct people per cell (at most one
    encounter each … any number), each person in one cell."""
    cells = [
        [min(p, v) if v else 0 for p, v in zip(prow, row, strict=False)]
        for prow, row in zip(people, grid.values, strict=False)
    ]
    counts: dict[tuple[object, ...], int] = {}
    for i, row in enumerate(cells):
        for j, p in enumerate(row):
            counts[("x", i, j)] = max(p, 1) if grid.values[i][j] else 0
    for i in range(grid.n_rows):
        counts[("rt", i)] = sum(counts[("x", i, j)] for j in range(grid.n_columns))
    for j in range(grid.n_columns):
        counts[("ct", j)] = sum(counts[("x", i, j)] for i in range(grid.n_rows))
    counts[("g",)] = sum(counts[("rt", i)] for i in range(grid.n_rows))
    return Grid.of(
        grid.values,
        row_totals=grid.row_totals,
        column_totals=grid.column_totals,
        width=grid.n_columns,
        people=counts,
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    grid=grids,
    people=st.lists(st.lists(st.integers(0, 6), min_size=3, max_size=3), min_size=3, max_size=3),
    threshold=st.integers(3, 5),
)
def test_encounters_of_few_people_cannot_be_worked_out(
    grid: Grid, people: list[list[int]], threshold: int
) -> None:
    # A cell of encounters is small by its people; hidden, it may be any number.
    counted = _with_people(grid, people)
    s = suppress(counted, threshold)
    assert counted.people is not None
    for i, row in enumerate(counted.values):
        for j, _value in enumerate(row):
            if counted.people[("x", i, j)] < threshold:
                assert s.cells[i][j] is Mark.SMALL
    assert _derivable(counted, s, threshold) == []
    assert pinned_cells(counted, s, threshold) == []


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


def test_two_small_cells_under_a_total_stay_small() -> None:
    # 1 and 1 under a published total of 2+30: as "<5" may be 0, they may be 0 and 2 too.
    # (When "<5" meant 1 … 4 this took a "c"; issue 12 part 4 made zeros small too.)
    grid = Grid.of([[1], [1], [30]], row_totals=False, column_totals=True)
    s = suppress(grid, 5)
    assert s.cells == ((Mark.SMALL,), (Mark.SMALL,), (Mark.PUBLISHED,))
    assert s.column_totals == (Mark.PUBLISHED,)
    assert _derivable(grid, s, 5) == []


def test_zeros_are_hidden_like_other_small_counts() -> None:
    # 0, 0 under a total 0: shown as 0 they would tell the reader the column is empty.
    grid = Grid.of([[0, 1], [0, 1]], row_totals=False, column_totals=True)
    s = suppress(grid, 3)
    assert s.hidden_count == 6 and _derivable(grid, s, 3) == []


def test_small_cells_at_their_most_take_a_partner() -> None:
    # Two "<3" under a published 13 beside a 9 could only be 2 and 2.
    grid = Grid.of([[2], [2], [9]], row_totals=False, column_totals=True)
    s = suppress(grid, 3)
    assert _derivable(grid, s, 3) == []
    assert (s.cells[0][0], s.cells[1][0], s.cells[2][0]) != (Mark.SMALL, Mark.SMALL, Mark.PUBLISHED)


def test_nobody_in_a_category_of_a_large_group_may_follow() -> None:
    # 12 nurses of 12: every other role is 0, and "<5" for them is no secret about anyone.
    grid = Grid.of([[12], [0], [0]], row_totals=False, column_totals=True)
    s = suppress(grid, 5)
    assert s.cells == ((Mark.PUBLISHED,), (Mark.SMALL,), (Mark.SMALL,))
    assert pinned_cells(grid, s, 5) == []


def test_encounters_of_few_people_are_hidden_however_many() -> None:
    # 9 encounters of 1 person, 20 of 8 people: the 9 is small (by people) and, as it may
    # be any number, the total minus the 20 would give it back: the 20 is protected.
    people = {("x", 0, 0): 1, ("x", 1, 0): 8, ("ct", 0): 9}
    grid = Grid.of([[9], [20]], row_totals=False, column_totals=True, people=people)
    s = suppress(grid, 5)
    assert s.cells == ((Mark.SMALL,), (Mark.PROTECTED,))
    assert s.column_totals == (Mark.PUBLISHED,)
    assert pinned_cells(grid, s, 5) == []


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


@pytest.mark.parametrize(
    ("threshold", "values", "other"),
    [
        # Found by brute force when protection was searched around the true values: the
        # two tables publish the same figures, yet were given different protected cells.
        (5, ((1, 12, 1), (1, 3, 3), (5, 12, 5)), ((2, 12, 0), (0, 3, 4), (5, 12, 5))),
        (5, ((3, 2, 5), (1, 1, 0)), ((3, 2, 5), (0, 2, 0))),
        (3, ((0, 6, 1, 2), (0, 3, 4, 0)), ((1, 6, 1, 1), (0, 3, 4, 0))),
    ],
)
def test_tables_that_differ_only_in_small_cells_get_the_same_marks(
    threshold: int, values: tuple[tuple[int, ...], ...], other: tuple[tuple[int, ...], ...]
) -> None:
    one = Grid.of(values, row_totals=True, column_totals=True)
    two = Grid.of(other, row_totals=True, column_totals=True)
    assert _large_figures(one, threshold) == _large_figures(two, threshold)
    assert suppress(one, threshold) == suppress(two, threshold)
