"""How red flags and Tier 3 referrals read wherever a case appears: one wording everywhere.

The marker is text ("⚑ Red flag"), never color alone: it must reach a screen reader and
survive a monochrome screen or print.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from svjournal.core import vocab
from svjournal.core.i18n import N_, ntr, tr
from svjournal.ui.formatting import format_date

MARKER = "⚑"

# Where a Tier 3 referral is (the code stored in the database -> the words shown).
_TIER3 = {
    None: N_("none made"),
    "pending": N_("made, response not yet known"),
    "declined": N_("made, declined"),
    "accepted": N_("made and accepted"),
}


def red_flag() -> str:
    """The marker and its words: "⚑ Red flag"."""
    # Translators: {marker} is the flag symbol ⚑; keep it.
    return tr("{marker} Red flag").format(marker=MARKER)


def case_flag(last_red_flag: datetime | None) -> str:
    """The marker of a case where an encounter recorded a red flag; empty otherwise."""
    return red_flag() if last_red_flag is not None else ""


def compact_flag(flagged: bool) -> str:
    """The marker alone, for list columns headed "Flag" where every pixel counts (1024-px
    windows); the cell's accessible text and tooltip say it in words."""
    return MARKER if flagged else ""


def flagged_alias(alias: str, flagged: bool) -> str:
    """A pseudonym led by the marker when its case has a red flag."""
    return f"{MARKER} {alias}" if flagged else alias


def tier3_text(tier3_referral: str | None) -> str:
    """Whether a Tier 3 referral was made, and accepted ("made and accepted")."""
    return tr(_TIER3[tier3_referral]) if tier3_referral in _TIER3 else str(tier3_referral)


def case_flag_detail(last_red_flag: datetime | None, tier3_referral: str | None) -> str:
    """A sentence for tooltips and the case header: when, and where the Tier 3 referral is."""
    if last_red_flag is None:
        return tr("No red flag recorded.")
    # Translators: {marker} is the flag symbol ⚑; {tier3} is e.g. "made and accepted".
    return tr("{marker} Red flag, last recorded {date}. Tier 3 referral: {tier3}.").format(
        marker=MARKER, date=format_date(last_red_flag), tier3=tier3_text(tier3_referral)
    )


def encounter_flags(codes: Sequence[str]) -> str:
    """The marker of an encounter, with how many when several (the tooltip names them: some
    labels are a sentence long)."""
    if not codes:
        return ""
    if len(codes) == 1:
        return red_flag()
    # Translators: {marker} is the flag symbol ⚑; {n} how many red flags one encounter recorded.
    return ntr("{marker} {n} red flag", "{marker} {n} red flags", len(codes)).format(
        marker=MARKER, n=len(codes)
    )


def encounter_flags_detail(codes: Sequence[str]) -> str:
    return "; ".join(vocab.RED_FLAGS.label(code) for code in codes)
