"""A programme report's request from the vault's settings.

The CLI and the Reports view both build their request here, so the same settings apply;
writing the file and its export-log line is one operation (svjournal/operations/reports.py).
"""

from __future__ import annotations

from svjournal.core.journal import Journal
from svjournal.core.stats_model import Period
from svjournal.reports.programme import YOUR_JOURNAL, ReportRequest


def request_from_settings(
    journal: Journal,
    period: Period,
    *,
    departments: tuple[str, ...] = (),
    threshold: int | None = None,
    scope: str = YOUR_JOURNAL,
    days_only: bool = False,
    team_size: int | None = None,
) -> ReportRequest:
    """A request with the vault's programme name, threshold and department names.
    `team_size`: a team report, said "Team: 3 supporters" in the report's language."""
    labels = {d["code"]: d["label"] for d in journal.setting("departments")}
    if threshold is not None:
        journal.policy.check_threshold(threshold)  # the IT policy's floor holds here too
    return ReportRequest(
        period=period,
        programme_name=journal.setting("programme_name"),
        threshold=journal.setting("small_count_threshold") if threshold is None else threshold,
        departments=departments,
        department_labels=labels,
        scope=scope,
        days_only=days_only,
        team_size=team_size,
    )
