"""User settings kept in the vault: names, defaults and how each value is checked."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from svjournal.core import validation as v
from svjournal.core.errors import ValidationError
from svjournal.core.i18n import N_, tr
from svjournal.core.vocab import DEFAULT_DEPARTMENTS

_CODE = re.compile(r"^[a-z0-9_]{1,40}$")


def _int(low: int, high: int) -> Callable[[str, Any], Any]:
    return lambda name, value: v.integer(name, value, low=low, high=high)


def _threshold(name: str, value: Any) -> int | None:
    # 1 and 2 would hide nothing: a "<2" can only be 1 (reports.suppression.MIN_THRESHOLD).
    number = v.integer(name, value, low=0, high=50)
    if number is not None and 0 < number < 3:
        raise ValidationError(name, tr("Use 0 (off) or a number from 3 to 50."))
    return number


def _text(max_len: int) -> Callable[[str, Any], Any]:
    return lambda name, value: v.text(name, value, max_len=max_len)


def _departments(name: str, value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list) or not value:
        raise ValidationError(name, tr("Must list at least one department."))
    seen: set[str] = set()
    result = []
    for item in value:
        if not isinstance(item, dict):
            raise ValidationError(name, tr("Each department needs a code and a label."))
        dept_code, label = item.get("code"), item.get("label")
        if not isinstance(dept_code, str) or not _CODE.match(dept_code):
            problem = tr("{code} is not a valid department code.")
            raise ValidationError(name, problem.format(code=repr(dept_code)))
        if dept_code in seen:
            problem = tr("Department {code} is listed twice.")
            raise ValidationError(name, problem.format(code=repr(dept_code)))
        seen.add(dept_code)
        result.append({"code": dept_code, "label": str(v.text(name, label, max_len=60))})
    return result


def _contacts(name: str, value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise ValidationError(name, tr("Must be a list."))
    result = []
    for item in value:
        if not isinstance(item, dict):
            raise ValidationError(name, tr("Each contact needs a name."))
        result.append(
            {
                "name": str(v.text(name, item.get("name"), max_len=80)),
                "phone": v.text(name, item.get("phone"), max_len=v.MAX_PHONE, required=False) or "",
                "note": v.text(name, item.get("note"), max_len=v.MAX_SHORT_TEXT, required=False)
                or "",
            }
        )
    return result


@dataclass(frozen=True)
class SettingSpec:
    initial: Any  # the default, or a function that gives it in the current language
    check: Callable[[str, Any], Any]
    about: str  # marked with N_; `description` translates it

    @property
    def default(self) -> Any:
        return self.initial() if callable(self.initial) else self.initial

    @property
    def description(self) -> str:
        return tr(self.about)


DEFAULT_PROGRAM_NAME = N_("Peer support program")


def _default_departments() -> list[dict[str, str]]:
    """The default departments, labeled in the current language."""
    return [{"code": t.code, "label": t.label} for t in DEFAULT_DEPARTMENTS]


SETTINGS: dict[str, SettingSpec] = {
    "idle_lock_minutes": SettingSpec(5, _int(1, 120), N_("Lock after this many idle minutes.")),
    "follow_up_cadence_days": SettingSpec(
        7, _int(1, 90), N_("Days until the next follow-up is proposed.")
    ),
    "small_count_threshold": SettingSpec(
        5, _threshold, N_("Counts below this show as '<N' in reports (0 turns it off).")
    ),
    "purge_contacts_on_close": SettingSpec(
        True, lambda n, x: v.flag(n, x), N_("Delete contact details when a case is closed.")
    ),
    "retention_months": SettingSpec(
        0,
        _int(0, 1200),
        N_("Closed cases are de-identified this many months after closing (0: off)."),
    ),
    "backups_kept": SettingSpec(10, _int(1, 100), N_("How many automatic backups to keep.")),
    "extra_backup_folder": SettingSpec(
        "",
        lambda n, x: "" if x in ("", None) else v.text(n, x, max_len=1000),
        N_("Another folder (a USB or network drive) that backups on closing are copied to."),
    ),
    "tray_reminders": SettingSpec(
        True,
        lambda n, x: v.flag(n, x),
        N_("Show a tray icon and a notification when follow-ups become due (counts only)."),
    ),
    "programme_name": SettingSpec(
        lambda: tr(DEFAULT_PROGRAM_NAME), _text(80), N_("Shown on the cover of reports.")
    ),
    "departments": SettingSpec(
        _default_departments,
        _departments,
        N_("The departments cases can be filed under."),
    ),
    # No default contacts: a crisis line is local, and a US number shown to a supporter in
    # another country would send them nowhere. The first run and Settings ask for them
    # (core/escalation.py proposes 988 only where the locale is the US).
    "escalation_contacts": SettingSpec([], _contacts, N_("Shown when a red flag is checked.")),
    "escalation_contacts_confirmed": SettingSpec(
        False,
        lambda n, x: v.flag(n, x),
        N_("The local escalation contacts have been entered, so Settings stops asking for them."),
    ),
}


def check_setting(key: str, value: Any) -> Any:
    spec = SETTINGS.get(key) if isinstance(key, str) else None
    if spec is None:
        raise ValidationError("setting", tr("{key} is not a known setting.").format(key=repr(key)))
    return spec.check(key, value)
