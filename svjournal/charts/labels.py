"""Text for chart labels: stage and code names, wrapping, months, percentages.

Every word here is in the current language (svjournal.core.i18n), and every date and
number is written as that language writes it (CLDR, svjournal.core.locale_format): the
charts of the window and of a report written in another language alike."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import date
from typing import Any, TypeVar

from svjournal.core import vocab
from svjournal.core.i18n import N_, tr
from svjournal.core.locale_format import format_month, format_percent, locale
from svjournal.core.vocab import Term, Vocabulary

ELLIPSIS = "…"
NO_STAGE = N_("No stage yet")

# A vocabulary, or a plain code → label map for lists that live in settings (departments).
LabelSource = Vocabulary[str] | Vocabulary[int] | Mapping[str, str]

K = TypeVar("K", bound=Hashable)


def tally(pairs: Iterable[tuple[K, int]]) -> dict[K, int]:
    """(key, count) pairs summed per key, in the order the keys first appear."""
    totals: dict[K, int] = {}
    for key, n in pairs:
        totals[key] = totals.get(key, 0) + n
    return totals


def encounters_and_cases(
    rows: Iterable[Any], key: Callable[[Any], str] = lambda code: code
) -> dict[str, list[int]]:
    """CodeCount rows summed per code (`key` of the code): [encounters, cases]."""
    merged: dict[str, list[int]] = {}
    for r in rows:
        enc_cases = merged.setdefault(key(r.code), [0, 0])
        enc_cases[0] += r.encounters
        enc_cases[1] += r.cases
    return merged


def shorten(text: str, width: int) -> str:
    """One line of at most `width` characters, cut with an ellipsis when longer."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    return text[: max(1, width - 1)].rstrip() + ELLIPSIS


def wrap(text: str, width: int, max_lines: int = 2) -> str:
    """Wrap to `width` characters a line; the last allowed line ends in an ellipsis if cut."""
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) <= max_lines:
        return "\n".join(lines)
    kept = lines[: max_lines - 1]
    rest = " ".join(lines[max_lines - 1 :])
    return "\n".join([*kept, shorten(rest + " ", width) if len(rest) > width else rest])


def stage_label(stage: int | None) -> str:
    """'1 · Chaos and accident response', or 'No stage yet'."""
    if stage is None:
        return tr(NO_STAGE)
    return f"{stage} · {term_label(vocab.STAGES.get(stage))}"


def term_label(term: Term[str] | Term[int]) -> str:
    """A vocabulary term's label in the current language (the code never changes; the
    term translates its label each time it is read)."""
    return term.label


def code_label(labels: LabelSource, code: str) -> str:
    """The reader's name for `code`; tier codes arrive as '1'..'3' but TIERS keys are ints.
    A vocabulary's labels are translated; a list from the settings (departments) is the
    programme's own words, shown as entered."""
    if isinstance(labels, Vocabulary):
        if code in labels:
            return term_label(labels.get(code))  # type: ignore[arg-type]
        if code.isdigit() and int(code) in labels:
            return term_label(labels.get(int(code)))  # type: ignore[arg-type]
        return code
    return labels.get(code, code)


def percent(fraction: float) -> str:
    """0.834 → '83%' ('83 %' in German, French …): CLDR's pattern for the language."""
    return format_percent(fraction)


def number(value: float) -> str:
    """A count or a rounded figure as the language writes it ('1,234', '1.234')."""
    from svjournal.core.locale_format import format_number

    return format_number(value)


def decimal(value: float, digits: int = 1) -> str:
    """`value` with `digits` decimals as the language writes it ('2.5', '2,5')."""
    from babel.numbers import format_decimal

    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(round(value, digits), format=pattern, locale=locale())


def month_name(day: date) -> str:
    """The month's short name on its own ('Nov', 'nov.', 'Nov.'), for axis ticks."""
    from babel.dates import get_month_names

    return str(get_month_names("abbreviated", context="stand-alone", locale=locale())[day.month])


def day_and_month(day: date) -> str:
    """'Nov 3' / '3 Nov' / '3. Nov.': a day of the month, as the language writes it."""
    from babel.dates import format_skeleton

    return format_skeleton("MMMd", day, locale=locale())


def month_and_year(day: date) -> str:
    """'Nov 2026' / 'nov 2026'."""
    return format_month(day)


def parse_month(month: str) -> date:
    """'YYYY-MM' → the first day of that month."""
    year, mon = month.split("-")[:2]
    return date(int(year), int(mon), 1)


def month_range(months: Iterable[str]) -> list[str]:
    """Every month from the earliest to the latest given, so gaps show as empty bars."""
    firsts = sorted({parse_month(m) for m in months})
    if not firsts:
        return []
    out: list[str] = []
    y, m = firsts[0].year, firsts[0].month
    last = (firsts[-1].year, firsts[-1].month)
    while (y, m) <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_ticks(months: list[str], max_labels: int) -> list[tuple[int, str]]:
    """(index, label) for a readable subset: 'Jan\n2026', 'Feb', …

    The year shows only when it changes, so 60 months stay legible; thinned ticks fall on
    calendar quarters, halves or years, which are easier to scan than every fifth month.
    """
    if not months:
        return []
    max_labels = max(1, max_labels)
    step = 1
    for step in (1, 2, 3, 4, 6, 12, 24, 36, 48, 60, 120):
        if len(months) / step <= max_labels:
            break
    firsts = [parse_month(m) for m in months]
    if step <= 12:
        picked = [i for i, d in enumerate(firsts) if (d.month - 1) % step == 0]
    else:
        years = step // 12
        picked = [
            i
            for i, d in enumerate(firsts)
            if d.month == 1 and (d.year - firsts[0].year) % years == 0
        ]
    if not picked or (picked[0] > 0 and len(months) <= step):
        picked = [0, *picked]
    ticks: list[tuple[int, str]] = []
    last_year: int | None = None
    for i in picked:
        d = firsts[i]
        name = month_name(d)
        ticks.append((i, f"{name}\n{d.year}" if d.year != last_year else name))
        last_year = d.year
    return ticks


def histogram_median(hist: Iterable[tuple[int, int]]) -> float | None:
    """Median of values given as (value, how many); None when there are none."""
    pairs = sorted((v, n) for v, n in hist if n > 0)
    total = sum(n for _, n in pairs)
    if total == 0:
        return None

    def nth(k: int) -> int:  # 0-based k-th value in sorted order
        seen = 0
        for value, n in pairs:
            seen += n
            if k < seen:
                return value
        return pairs[-1][0]

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2
