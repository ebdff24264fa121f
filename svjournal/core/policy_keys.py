"""What an IT policy file may say: each key's section, value and check, how each governs a
setting (sets it, caps it or floors it), and the strictest reading of the restrictions.

svjournal.core.policy reads the file with these and applies it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from svjournal.core import i18n
from svjournal.core import validation as v
from svjournal.core.errors import ValidationError
from svjournal.core.i18n import N_, tr
from svjournal.core.settings import check_setting
from svjournal.core.vocab_terms import Labels


def _setting_check(key: str) -> Callable[[str, Any], Any]:
    return lambda _name, value: check_setting(key, value)


def _folder(name: str, value: Any) -> str:
    return str(v.text(name, value, max_len=1000))


def _months(name: str, value: Any) -> int:
    return int(v.integer(name, value, low=1, high=1200))  # type: ignore[arg-type]


def _threshold_floor(name: str, value: Any) -> int:
    number = check_setting("small_count_threshold", value)
    return int(number)


def _allowed(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(name, tr("Must be true or false."))
    return value


def _language(name: str, value: Any) -> str:
    """A language code i18n accepts ('de', 'pt-BR', 'en_GB'), kept in its normal form."""
    if not isinstance(value, str):
        raise ValidationError(name, tr("Must be text."))
    try:
        return i18n.normalise(value)
    except i18n.UnknownLanguage:
        # Translators: {value} is what the policy file says; {languages} lists codes.
        problem = tr("{value} is not a language svjournal speaks; use one of {languages}.")
        choices = ", ".join(i18n.LANGUAGES)
        raise ValidationError(name, problem.format(value=repr(value), languages=choices)) from None


@dataclass(frozen=True)
class _Key:
    section: str
    value_key: str
    check: Callable[[str, Any], Any]
    lockable: bool = True


KEYS: dict[str, _Key] = {
    "programme_name": _Key("programme_name", "value", _setting_check("programme_name")),
    "departments": _Key("departments", "value", _setting_check("departments")),
    "escalation_contacts": _Key(
        "escalation_contacts", "value", _setting_check("escalation_contacts")
    ),
    "idle_lock": _Key("idle_lock", "max_minutes", _setting_check("idle_lock_minutes")),
    "remember": _Key("remember", "allowed", _allowed, lockable=False),
    "backup_folder": _Key("backup_folder", "value", _folder),
    "small_count": _Key("small_count", "min_threshold", _threshold_floor),
    "retention": _Key("retention", "months", _months),
    "language": _Key("language", "value", _language),
}

# The strictest reading of each restriction, used when the file cannot be used as written:
# no remembering, the shortest lock delay the app allows (1 minute) and the highest
# small-count threshold it allows (50), both locked. The other keys are content, not
# restrictions: a value that failed its check is simply not applied (the journal's own value,
# or the default, stays). Retention is no restriction to read strictly: its strictest
# reading would de-identify cases, so a retention value that failed its check is not applied.
STRICTEST: dict[str, Any] = {"remember": False, "idle_lock": 1, "small_count": 50}

# Settings (core.settings keys) the policy governs, and how.
SETS = {  # the policy value replaces the user's when locked, is the default otherwise
    "programme_name": "programme_name",
    "departments": "departments",
    "escalation_contacts": "escalation_contacts",
    "extra_backup_folder": "backup_folder",
}
# Ceilings: the user may choose less, never more. Retention's "off" (0) keeps cases for
# ever, which is more than any number of months.
CEILINGS = {"idle_lock_minutes": "idle_lock", "retention_months": "retention"}
FLOORS = {"small_count_threshold": "small_count"}
# Each governed setting as Settings names it (translated when read).
LABELS: Mapping[str, str] = Labels(
    {
        "programme_name": N_("Program name"),
        "departments": N_("Departments"),
        "escalation_contacts": N_("Escalation contacts"),
        "extra_backup_folder": N_("Extra backup folder"),
        "idle_lock_minutes": N_("Lock after"),
        "small_count_threshold": N_("Hide counts below"),
        "retention_months": N_("De-identify closed cases after"),
    }
)
