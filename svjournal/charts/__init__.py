"""Chart builders: programme figures in, `matplotlib.figure.Figure` out (no pyplot, no Qt).

Importing this package loads no matplotlib: each builder's module is imported on first use
(PEP 562), so the GUI pays for matplotlib only when the charts are first shown.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from svjournal.charts.breakdowns import breakdown, referrals
    from svjournal.charts.follow_ups import contacts_per_case, follow_up_weeks
    from svjournal.charts.impact import monthly_encounters, tier_mix
    from svjournal.charts.stages import (
        case_trajectory,
        encounters_by_month_stage,
        open_case_stages,
        stage_outcomes,
    )
    from svjournal.charts.style import ChartStyle

_WHERE = {
    "ChartStyle": "style",
    "follow_up_weeks": "follow_ups",
    "contacts_per_case": "follow_ups",
    "open_case_stages": "stages",
    "encounters_by_month_stage": "stages",
    "stage_outcomes": "stages",
    "case_trajectory": "stages",
    "monthly_encounters": "impact",
    "breakdown": "breakdowns",
    "tier_mix": "impact",
    "referrals": "breakdowns",
}

__all__ = [
    "ChartStyle",
    "breakdown",
    "case_trajectory",
    "contacts_per_case",
    "encounters_by_month_stage",
    "follow_up_weeks",
    "monthly_encounters",
    "open_case_stages",
    "referrals",
    "stage_outcomes",
    "tier_mix",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
