"""How red flags and Tier 3 referrals read wherever a case appears: one wording everywhere.

The marker is text ("⚑ Red flag"), never colour alone: it must reach a screen reader and
survive a monochrome screen or print.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from svjournal.core import vocab
from svjournal.ui.formatting import format_date

MARKER = "⚑"
RED_FLAG = f"{MARKER} Red flag"

_TIER3 = {
    None: "none made",
    "pending": "made, response not yet known",
    "declined": "made, declined",
    "accepted": "made and accepted",
}


def case_flag(last_red_flag: datetime | None) -> str:
    """The marker of a case where an encounter recorded a red flag; empty otherwise."""
    return RED_FLAG if last_red_flag is not None else ""


def compact_flag(flagged: bool) -> str:
    """The marker alone, for list columns headed "Flag" where every pixel counts (1024-px
    windows); the cell's accessible text and tooltip say it in words."""
    return MARKER if flagged else ""


def flagged_alias(alias: str, flagged: bool) -> str:
    """A pseudonym led by the marker when its case has a red flag."""
    return f"{MARKER} {alias}" if flagged else alias


def tier3_text(tier3_referral: str | None) -> str:
    """Whether a Tier 3 referral was made, and accepted ("made and accepted")."""
    return _TIER3.get(tier3_referral, str(tier3_referral))


def case_flag_detail(last_red_flag: datetime | None, tier3_referral: str | None) -> str:
    """A sentence for tooltips and the case header: when, and where the Tier 3 referral is."""
    if last_red_flag is None:
        return "No red flag recorded."
    return (
        f"{RED_FLAG}, last recorded {format_date(last_red_flag)}. "
        f"Tier 3 referral: {tier3_text(tier3_referral)}."
    )


def encounter_flags(codes: Sequence[str]) -> str:
    """The marker of an encounter, with how many when several (the tooltip names them: some
    labels are a sentence long)."""
    if not codes:
        return ""
    return RED_FLAG if len(codes) == 1 else f"{MARKER} {len(codes)} red flags"


def encounter_flags_detail(codes: Sequence[str]) -> str:
    return "; ".join(vocab.RED_FLAGS.label(code) for code in codes)
