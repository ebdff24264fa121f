"""Passphrase strength: zxcvbn's estimate plus a length floor, with concrete feedback."""

from __future__ import annotations

from dataclasses import dataclass

from svjournal.core.errors import WeakPassphrase

MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable: moderate protection from offline attacks"
_ZXCVBN_MAX_INPUT = 72  # zxcvbn refuses longer input (ValueError); the head decides anyway


@dataclass(frozen=True)
class Strength:
    score: int  # 0..4
    acceptable: bool
    feedback: str
    crack_time: str


def assess(passphrase: str, user_inputs: tuple[str, ...] = ()) -> Strength:
    from zxcvbn import zxcvbn

    # zxcvbn fails (IndexError) on an empty string; a space scores the same, zero.
    result = zxcvbn(passphrase[:_ZXCVBN_MAX_INPUT] or " ", user_inputs=list(user_inputs))
    score = int(result["score"])
    hints: list[str] = []
    warning = result["feedback"].get("warning") or ""
    if warning:
        hints.append(warning.rstrip(".") + ".")
    hints.extend(s.rstrip(".") + "." for s in result["feedback"].get("suggestions", []))
    if len(passphrase) < MIN_LENGTH:
        hints.insert(0, f"Use at least {MIN_LENGTH} characters; four or five words work well.")
    acceptable = len(passphrase) >= MIN_LENGTH and score >= MIN_SCORE
    if not acceptable and not hints:
        hints.append("Add another word or two that are not a common phrase.")
    crack = str(result["crack_times_display"]["offline_slow_hashing_1e4_per_second"])
    return Strength(score, acceptable, " ".join(hints), crack)


def require_strong(passphrase: str) -> None:
    strength = assess(passphrase)
    if not strength.acceptable:
        raise WeakPassphrase(strength.feedback)
