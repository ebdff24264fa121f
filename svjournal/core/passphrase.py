"""Passphrase strength: one estimate (zxcvbn's guesses), one rule, one verdict.

The verdict word, the bar, "good enough" and the time to guess it are all read from the same
number of guesses at the same attack rate, so they can never contradict one another (the
meter used to say "Strong — good enough" beside "time to guess it offline: 2 days").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from svjournal.core.errors import WeakPassphrase
from svjournal.core.i18n import N_, ntr, tr
from svjournal.core.passphrase_feedback import translated

MIN_LENGTH = 10
# An attacker with a copy of the vault guessing offline against a slow hash (zxcvbn's
# "offline slow hashing" rate); Argon2id at our cost is slower still, so this errs safe.
GUESSES_PER_SECOND = 1e4
# log10(guesses) where each level starts: Weak ≈ 3 hours, Fair ≈ 12 days, Strong ≈ 3 years,
# Very strong ≈ 300 years at GUESSES_PER_SECOND. "Good enough" is Strong or better.
# The longest feedback the meter shows (two sentences at most), for the space it reserves.
LONGEST_FEEDBACK = (
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc". '
    "Predictable substitutions like '@' instead of 'a' don't help very much."
)
# Translators: how strong a passphrase is, from "Very weak" to "Very strong".
LEVELS = (
    (N_("Very weak"), 0.0),
    (N_("Weak"), 8.0),
    (N_("Fair"), 10.0),
    (N_("Strong"), 12.0),
    (N_("Very strong"), 14.0),
)
ENOUGH_LEVEL = 3
_ZXCVBN_MAX_INPUT = 72  # zxcvbn refuses longer input (ValueError); the head decides anyway


@dataclass(frozen=True)
class Strength:
    level: int  # 0..4, an index into LEVELS
    acceptable: bool
    feedback: str
    crack_time: str  # e.g. "about 3 years", from the same estimate as `level`
    guesses_log10: float

    @property
    def score(self) -> int:
        """The 0–4 level (the name the meter's bar used before)."""
        return self.level

    @property
    def word(self) -> str:
        return tr(LEVELS[self.level][0])

    @property
    def verdict(self) -> str:
        """The one sentence every passphrase form shows."""
        if self.acceptable:
            # Translators: {strength} is a strength such as "Strong".
            return tr("{strength} — good enough").format(strength=self.word)
        # Translators: {strength} is a strength such as "Fair".
        return tr("{strength} — not yet strong enough").format(strength=self.word)


def level_for(guesses_log10: float) -> int:
    return max(i for i, (_word, start) in enumerate(LEVELS) if guesses_log10 >= start)


def describe_seconds(seconds: float) -> str:
    """A rough, human duration ("about 3 years"); rough on purpose, it is an estimate."""
    units = (("minute", 60), ("hour", 3600), ("day", 86400), ("month", 2_629_800))
    if seconds < 1:
        return tr("less than a second")
    if seconds < 60:
        return tr("less than a minute")
    year = 31_557_600
    if seconds >= 1000 * year:
        return tr("more than a thousand years")
    if seconds >= year:
        count, unit = round(seconds / year), "year"
    else:
        unit, size = next((u, s) for u, s in reversed(units) if seconds >= s)
        count = round(seconds / size)
    return _about(unit, count).format(n=count)


def _about(unit: str, n: int) -> str:
    """'about {n} days' in the plural form `n` takes (a rough time to guess a passphrase)."""
    if unit == "minute":
        return ntr("about {n} minute", "about {n} minutes", n)
    if unit == "hour":
        return ntr("about {n} hour", "about {n} hours", n)
    if unit == "day":
        return ntr("about {n} day", "about {n} days", n)
    if unit == "month":
        return ntr("about {n} month", "about {n} months", n)
    return ntr("about {n} year", "about {n} years", n)


def assess(passphrase: str, user_inputs: tuple[str, ...] = ()) -> Strength:
    from zxcvbn import zxcvbn

    # zxcvbn fails (IndexError) on an empty string; a space scores the same, zero.
    result = zxcvbn(passphrase[:_ZXCVBN_MAX_INPUT] or " ", user_inputs=list(user_inputs))
    guesses_log10 = float(result["guesses_log10"])
    short = len(passphrase) < MIN_LENGTH
    level = level_for(guesses_log10)
    if short:
        level = min(level, ENOUGH_LEVEL - 1)  # too short is never "good enough" in any word
    acceptable = level >= ENOUGH_LEVEL
    hints: list[str] = []
    if short:
        hints.append(
            tr("Use at least {n} characters; four or five words work well.").format(n=MIN_LENGTH)
        )
    if not acceptable:
        warning = result["feedback"].get("warning") or ""
        if warning:
            hints.append(translated(warning.rstrip(".") + "."))
        suggestions = result["feedback"].get("suggestions", [])
        hints.extend(translated(s.rstrip(".") + ".") for s in suggestions)
        if not hints:
            hints.append(tr("Add another word or two that are not a common phrase."))
    seconds = math.pow(10, guesses_log10) / GUESSES_PER_SECOND
    return Strength(
        level, acceptable, " ".join(hints[:2]), describe_seconds(seconds), guesses_log10
    )


def require_strong(passphrase: str) -> None:
    strength = assess(passphrase)
    if not strength.acceptable:
        raise WeakPassphrase(strength.feedback)
