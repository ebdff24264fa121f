"""One estimate, one rule: the verdict and the time to guess never contradict each other."""

from __future__ import annotations

import pytest

from svjournal.core import passphrase
from svjournal.core.passphrase import assess, describe_seconds, level_for

SAMPLES = [
    "abc",
    "password1234",
    "summer holidays",
    "sunshine99x",
    "ilovemycat2024",
    "Tr0ub4dor&3xyz",
    "purple elephant dances",
    "correct horse battery staple",
    "qwertyuiopasdf",
    "violet submarine under the quiet harbour",
]
YEAR = 31_557_600


@pytest.mark.parametrize("text", SAMPLES)
def test_good_enough_only_beside_years_and_never_beside_years_otherwise(text: str) -> None:
    strength = assess(text)
    seconds = 10**strength.guesses_log10 / passphrase.GUESSES_PER_SECOND
    assert strength.acceptable == (seconds >= 3 * YEAR and len(text) >= passphrase.MIN_LENGTH)
    if strength.acceptable:
        assert "year" in strength.crack_time
        assert strength.verdict.endswith("good enough")
        assert strength.word in ("Strong", "Very strong")
    else:
        assert strength.verdict.endswith("not yet strong enough")
        assert strength.word in ("Very weak", "Weak", "Fair")
        assert strength.feedback  # always says what to do next


def test_the_levels_and_the_durations_share_their_edges() -> None:
    rate = passphrase.GUESSES_PER_SECOND
    for index, (word, start) in enumerate(passphrase.LEVELS[1:], start=1):
        assert passphrase.LEVELS[level_for(start)][0] == word
        assert level_for(start - 0.01) == index - 1
    assert describe_seconds(10**12 / rate) == "about 3 years"  # where "good enough" starts
    assert describe_seconds(10**10 / rate) == "about 12 days"
    assert describe_seconds(2 * 86400) == "about 2 days"


def test_too_short_is_never_good_enough_whatever_the_estimate() -> None:
    strength = assess("Zq#8!vR2w")  # nine random characters
    assert not strength.acceptable and strength.word != "Strong"
    assert "at least 10 characters" in strength.feedback


def test_zxcvbn_feedback_is_in_the_catalogue_and_translated() -> None:
    from svjournal.core import i18n
    from svjournal.core.passphrase import assess

    try:
        i18n.use(i18n.PSEUDO)
        strength = assess("aaaaaaaaaa")  # a repeat: zxcvbn's own warning
    finally:
        i18n.use(i18n.SOURCE)
    assert strength.feedback.startswith(i18n.pseudo('Repeats like "aaa" are easy to guess.'))
    assert assess("aaaaaaaaaa").feedback.startswith('Repeats like "aaa" are easy to guess.')
