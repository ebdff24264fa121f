"""The IT policy: a TOML file an administrator places system-wide that sets and may lock
some settings, bounds others, and may forbid remembering the key on the workstation.

Its shape (every section optional; README › IT policy has the full example):

    [idle_lock]
    max_minutes = 10        # the longest lock delay anyone may choose
    locked = true           # optional: then the delay is exactly max_minutes

    [remember]
    allowed = false

    [language]
    value = "de"            # the app's language (any code svjournal.core.i18n accepts)
    locked = true           # optional: then nobody can choose another

A file that cannot be used exactly as written never weakens anything: the restrictions
(remember, idle lock, small-count threshold) then take their strictest reading, and only the
values that passed their own check are used (see `STRICTEST`).
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from typing import Any, Generic, TypeVar

from svjournal.core import portable
from svjournal.core.errors import PolicyRefused, ValidationError
from svjournal.core.i18n import ntr, ptr, tr
from svjournal.core.policy_keys import CEILINGS, FLOORS, KEYS, LABELS, SETS, STRICTEST

T = TypeVar("T")

ENV_POLICY_FILE = "SVJOURNAL_POLICY_FILE"
MAX_FILE_BYTES = 256 * 1024


def policy_path(platform: str = sys.platform, environ: Mapping[str, str] = os.environ) -> PurePath:
    """Where the administrator's policy file lives on this kind of system."""
    override = environ.get(ENV_POLICY_FILE)
    if override:
        return Path(override).expanduser()
    if platform.startswith("win"):
        return PureWindowsPath(
            environ.get("PROGRAMDATA") or r"C:\ProgramData", "svjournal", "policy.toml"
        )
    if platform == "darwin":
        return PurePosixPath("/Library/Application Support/svjournal/policy.toml")
    return PurePosixPath("/etc/svjournal/policy.toml")


@dataclass(frozen=True)
class Rule(Generic[T]):
    """One policy key: what it sets (None: nothing), whether it is locked, and from where."""

    value: T | None = None
    locked: bool = False
    origin: str = ""

    @property
    def is_set(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Effective:
    """A setting as it applies, and where its value came from."""

    value: Any
    origin: str  # "user setting", "default", or the policy's origin
    locked: bool = False


def _ceiling_refusal(setting: str, label: str, limit: int) -> str:
    if setting == "idle_lock_minutes":
        text = ntr(
            "{setting}: your IT department's policy allows at most {n} minute.",
            "{setting}: your IT department's policy allows at most {n} minutes.",
            limit,
        )
    else:
        text = ntr(
            "{setting}: your IT department's policy allows at most {n} month.",
            "{setting}: your IT department's policy allows at most {n} months.",
            limit,
        )
    return text.format(setting=label, n=limit)


def _above(setting: str, value: Any, limit: Any) -> bool:
    if setting == "retention_months" and not value:
        return True  # off: kept for ever
    return bool(value > limit)


@dataclass(frozen=True)
class Policy:
    """The policy as read (or its strictest reading); `rules` has every key of `KEYS`."""

    path: PurePath | None = None  # the file that was read; None when there is none
    problem: str | None = None  # why the file could not be used as written
    rules: dict[str, Rule[Any]] = field(default_factory=dict)
    portable_marker: Path | None = None

    def rule(self, key: str) -> Rule[Any]:
        return self.rules.get(key, Rule())

    @property
    def warning(self) -> str | None:
        """The one line to show when the file has a problem."""
        if self.problem is None:
            return None
        return tr(
            "The IT policy file {path} cannot be used as written ({problem}); "
            "its strictest reading applies until it is fixed."
        ).format(path=self.path, problem=self.problem)

    # --- remembering the key -------------------------------------------------------------

    def remember_refusal(self) -> str | None:
        """Why remembering the key on this workstation is refused; None when it is allowed."""
        if self.rule("remember").value is False:
            return tr(
                "Remembering the key on this workstation is turned off by your IT "
                "department's policy ({path})."
            ).format(path=self.path)
        if self.portable_marker is not None:
            return tr(
                "Remembering the key is off in portable use: the journal travels with its "
                "drive, and a key remembered here would stay on this computer."
            )
        return None

    # --- settings ---------------------------------------------------------------------------

    def governs(self, setting: str) -> Rule[Any] | None:
        name = SETS.get(setting) or CEILINGS.get(setting) or FLOORS.get(setting)
        return self.rule(name) if name else None

    def is_locked(self, setting: str) -> bool:
        rule = self.governs(setting)
        return rule is not None and rule.is_set and rule.locked

    def idle_max(self) -> int | None:
        return self.rule("idle_lock").value

    def retention_max(self) -> int | None:
        return self.rule("retention").value

    def threshold_min(self) -> int | None:
        return self.rule("small_count").value

    def apply(self, setting: str, value: Any, *, stored: bool) -> Effective:
        """The effective value of a setting whose own value is `value` (stored by the user,
        or the default when `stored` is false)."""
        # Translators: where a setting's value comes from (shown in brackets beside it).
        own = Effective(value, tr("user setting") if stored else ptr("setting", "default"))
        rule = self.governs(setting)
        if rule is None or not rule.is_set:
            return own
        if rule.locked:
            return Effective(rule.value, rule.origin, locked=True)
        limit: Any = rule.value
        if setting in SETS:
            return own if stored else Effective(limit, rule.origin)
        if setting in CEILINGS and _above(setting, value, limit):
            # Translators: {origin} is where a limit comes from, e.g. "policy file /etc/...".
            return Effective(
                limit, tr("{origin} (at most {n})").format(origin=rule.origin, n=limit)
            )
        if setting in FLOORS and value < limit:  # 0 (off) is below any floor
            # Translators: {origin} is where a limit comes from, e.g. "policy file /etc/...".
            return Effective(
                limit, tr("{origin} (at least {n})").format(origin=rule.origin, n=limit)
            )
        return own

    def check_change(self, setting: str, value: Any) -> None:
        """Refuse a user's change the policy does not allow (PolicyRefused)."""
        rule = self.governs(setting)
        if rule is None or not rule.is_set:
            return
        label = LABELS.get(setting, setting)
        if rule.locked:
            if value != rule.value:  # saving the locked value unchanged is no change
                raise PolicyRefused(
                    tr(
                        "{setting} is set by your IT department's policy and cannot be "
                        "changed here."
                    ).format(setting=label)
                )
            return
        limit: Any = rule.value
        if setting in CEILINGS and _above(setting, value, limit):
            raise PolicyRefused(_ceiling_refusal(setting, label, limit))
        if setting in FLOORS and value < limit:
            raise PolicyRefused(
                tr(
                    "{setting}: your IT department's policy requires a threshold of at least {n}."
                ).format(setting=label, n=limit)
            )

    def check_threshold(self, threshold: int) -> None:
        """A threshold chosen for one report obeys the same floor (a higher one is fine)."""
        floor = self.threshold_min()
        if floor and threshold < floor:
            raise PolicyRefused(
                tr(
                    "Your IT department's policy requires a small-count threshold of at least {n}."
                ).format(n=floor)
            )

    def language(self, chosen: str | None = None) -> str | None:
        """The language the policy sets for someone who chose `chosen` (None: no choice),
        as `i18n.resolve(chosen, policy=...)` takes it: the policy's when it is locked or
        nothing was chosen, else None (the person's choice stands)."""
        rule = self.rule("language")
        if not rule.is_set or (chosen and not rule.locked):
            return None
        return str(rule.value)

    def with_portable(self, marker: Path) -> Policy:
        return replace(self, portable_marker=marker)


NO_POLICY = Policy()


def _parse(data: dict[str, Any], origin: str) -> tuple[dict[str, Rule[Any]], list[str]]:
    rules: dict[str, Rule[Any]] = {}
    problems: list[str] = []
    for section, body in data.items():
        spec = KEYS.get(section)
        if spec is None:
            problems.append(tr("[{section}] is not a policy key").format(section=section))
            continue
        if not isinstance(body, dict):
            problems.append(
                tr("{section} must be a table like [{section}]").format(section=section)
            )
            continue
        allowed = {spec.value_key, "locked"} if spec.lockable else {spec.value_key}
        unknown = sorted(set(body) - allowed)
        if unknown:
            problems.append(
                tr("[{section}] {key} is not a policy key").format(section=section, key=unknown[0])
            )
            continue
        if spec.value_key not in body:
            problems.append(
                tr("[{section}] needs {key} = …").format(section=section, key=spec.value_key)
            )
            continue
        locked = body.get("locked", False)
        if not isinstance(locked, bool):
            problems.append(tr("[{section}] locked must be true or false").format(section=section))
            continue
        try:
            value = spec.check(spec.value_key, body[spec.value_key])
        except ValidationError as exc:
            # Translators: {problem} is a value's problem, e.g. "Must be at most 120".
            problem = tr("[{section}] {key}: {problem}")
            problems.append(
                problem.format(section=section, key=spec.value_key, problem=exc.message.rstrip("."))
            )
            continue
        rules[section] = Rule(value, locked, origin)
    return rules, problems


def _strictest(rules: dict[str, Rule[Any]], path: PurePath) -> dict[str, Rule[Any]]:
    origin = tr("strictest reading (the policy file {path} has a problem)").format(path=path)
    result = dict(rules)
    for key, value in STRICTEST.items():
        result[key] = Rule(value, key != "remember", origin)
    return result


def _read(path: Path) -> str:
    with path.open("rb") as handle:
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise ValueError(tr("larger than {n} KiB").format(n=MAX_FILE_BYTES // 1024))
    return raw.decode("utf-8")


def load_policy(path: PurePath) -> Policy:
    """The policy at `path`: nothing when there is no file, its strictest reading when the
    file exists but cannot be used exactly as written."""
    file = Path(path)
    origin = tr("policy file {path}").format(path=path)
    try:
        text = _read(file)
    except FileNotFoundError:
        return Policy()
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        if isinstance(exc, UnicodeDecodeError):
            why = tr("not UTF-8 text")
        return Policy(path, tr("unreadable: {reason}").format(reason=why), _strictest({}, path))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problem = tr("not valid TOML: {error}").format(error=exc)
        return Policy(path, problem, _strictest({}, path))
    rules, problems = _parse(data, origin)
    if not problems:
        return Policy(path, None, rules)
    first = problems[0]
    if len(problems) > 1:
        n = len(problems) - 1
        # Translators: {problem} is the first problem of a policy file, {n} how many more.
        first = ntr("{problem} (and {n} more)", "{problem} (and {n} more)", n).format(
            problem=first, n=n
        )
    return Policy(path, first, _strictest(rules, path))


def current_policy(environ: Mapping[str, str] = os.environ) -> Policy:
    """The policy this process runs under: the system file, plus portable use if marked."""
    policy = load_policy(policy_path(environ=environ))
    root = portable.portable_root(environ=environ)
    if root is not None:
        policy = policy.with_portable(root / portable.MARKER_NAME)
    return policy
