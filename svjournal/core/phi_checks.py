"""The pieces the identifier rules (core/phi_rules.py) are built from: the rule type, the
shared vocabulary (months, street suffixes, states, words that are not names), the checks that
validate a match, and `rx`, which writes the shared pattern pieces into a rule's pattern.

Privacy and speed notes for all of this are at the top of core/phi.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

Span = tuple[int, int]
Check = Callable[[str, re.Match[str]], Span | None]


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: re.Pattern[str]
    priority: int  # the higher wins when hits overlap: the more specific kind
    check: Check | None = None  # validates a match and may move its span
    needs: tuple[str, ...] = ()  # cheap pre-filter: run only if one occurs in the lowered text


ICASE = re.IGNORECASE
DIGITS = tuple("0123456789")

# ---------------------------------------------------------------------------------------------
# Shared vocabulary
# ---------------------------------------------------------------------------------------------


def words(spaced: str) -> tuple[str, ...]:
    return tuple(spaced.split())


_MONTH_WORDS = words(
    "january jan february feb march mar april apr may june jun july jul august aug "
    "september sept sep october oct november nov december dec"
)
# "may", "march" and "mar" are everyday words in lower case, so only their capitalised forms count.
_LOWER_CASE_WORDS = {"may", "march", "mar"}


def _month_alternation() -> str:
    forms: list[str] = []
    for word in sorted(_MONTH_WORDS, key=len, reverse=True):
        forms += [word.capitalize(), word.upper()]
        if word not in _LOWER_CASE_WORDS:
            forms.append(word)
    return "(?:" + "|".join(forms) + r")\b\.?"


_STREET_SUFFIXES = words(
    "Street St Road Rd Avenue Ave Av Lane Ln Drive Dr Boulevard Blvd Court Ct Place Pl Terrace "
    "Ter Crescent Cres Highway Hwy Parkway Pkwy Way Square Sq Circle Cir Close Gardens Grove Mews"
)

_US_STATES = words(
    "AL AK AZ AR CA CO CT DE FL GA IA KS KY LA MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND PA "
    "RI SC SD TN TX UT VT VA WA WV WI WY DC PR"
)
# These double as everyday words, so they count only after a comma, as in "Boise, ID 83702".
_US_STATES_AFTER_COMMA = words("ID IN OK OR ME HI OH")

# Capitalised words that often follow "pt." or a title without being a name.
_NOT_NAMES = frozenset(
    words(
        "i a an the he she they we you it his her hers their them him my our your this that "
        "these those there here who what when where why how and but or nor so then if as at on "
        "in of to for with from by into onto about was is are were be been has had have did does "
        "do not no yes also later today tomorrow yesterday tonight now just still very would "
        "could should might must shall after before during while because although since until "
        "unless all some any each every both either neither ok okay said says felt feels seemed "
        "seems asked told came went got mentioned monday tuesday wednesday thursday friday "
        "saturday sunday team ward unit department dept office clinic appointment appt visit "
        "note notes safety experience advice liaison services service care transport records "
        "record portal feedback survey satisfaction relations information info centre center "
        "group forum rights voice voices partners council panel committee charter story stories "
        "number id name flow access engagement advocacy advocate officer lead specialist "
        "partnership family representative relation support"
        # labels that follow a name on a form line: "Mrs Patel's MRN 1234567"
        " mrn dob dod ssn nhs chi urn npi dea gmc nmc vin"
    )
)

# ---------------------------------------------------------------------------------------------
# Checks: validate a match and return the span to report, or None to drop it
# ---------------------------------------------------------------------------------------------


def _num(s: str) -> int:
    return int(s) if s.isdecimal() else -1


def check_day_month_year(_text: str, m: re.Match[str]) -> Span | None:
    a, b = _num(m["a"]), _num(m["b"])
    if 1 <= a <= 31 and 1 <= b <= 31 and (a <= 12 or b <= 12):
        return m.span()
    return None


def check_year_month_day(_text: str, m: re.Match[str]) -> Span | None:
    month, day = _num(m["m"]), _num(m["d"])
    return m.span() if 1 <= month <= 12 and 1 <= day <= 31 else None


def check_ipv4(_text: str, m: re.Match[str]) -> Span | None:
    return m.span() if all(0 <= _num(p) <= 255 for p in m[0].split(".")) else None


def check_ipv6(_text: str, m: re.Match[str]) -> Span | None:
    value = m[0]
    if not any(c.isdecimal() for c in value) or ":::" in value:
        return None
    groups = value.split(":")
    compressed = value.count("::") == 1
    return m.span() if compressed or (len(groups) == 8 and all(groups)) else None


def digit_count(low: int, high: int, group: int = 0) -> Check:
    def check(_text: str, m: re.Match[str]) -> Span | None:
        count = sum(c.isdecimal() for c in m[group])
        return m.span() if low <= count <= high else None

    return check


_NAME_WORD = re.compile(r"[^\S\r\n]+([^\W\d_](?:[\w'’-]*\w)?)(\.?)")


def _name_end(text: str, pos: int, max_words: int = 3) -> int | None:
    """Where the capitalised name that follows pos ends (initials allowed), or None."""
    end: int | None = None
    for _ in range(max_words):
        m = _NAME_WORD.match(text, pos)
        if m is None or not m[1][0].isupper():
            break
        if len(m[1]) == 1 and m[2]:  # an initial such as "J."
            end = pos = m.end()
        elif m[1].lower() in _NOT_NAMES:
            break
        else:
            end = pos = m.end(1)
            if m[1][-2:] in ("'s", "’s"):  # "Mrs Patel's son": the name ends before the 's
                return end - 2
    return end


def check_name(text: str, m: re.Match[str]) -> Span | None:
    end = _name_end(text, m.end())
    return None if end is None else (m.start(), end)


def letters_and_digits(_text: str, m: re.Match[str]) -> Span | None:
    value = m["v"]
    has_letter = any(c.isalpha() for c in value)
    return m.span() if has_letter and any(c.isdecimal() for c in value) else None


def check_street_name(_text: str, m: re.Match[str]) -> Span | None:
    # "The Road", "This Lane": a capitalised everyday word is not a street's name.
    return None if m["w"].lower() in _NOT_NAMES else m.span()


def check_state_zip(_text: str, m: re.Match[str]) -> Span | None:
    return m.start("state" if m["state"] else "state2"), m.end()


def check_zip_after_street(text: str, m: re.Match[str]) -> Span | None:
    start = m.start()
    return m.span() if _STREET_BEFORE.search(text, max(0, start - 60), start) else None


# ---------------------------------------------------------------------------------------------
# Pattern pieces
# ---------------------------------------------------------------------------------------------

TLDS = words("com org net edu gov io info uk au nz eu health")

# Pieces shared by the patterns below, written into them as {NAME}.
_PARTS: dict[str, str] = {
    "H": r"[^\S\r\n]",  # horizontal whitespace: identifiers do not wrap across lines
    "PS": r"(?:[^\S\r\n]|[.-])",  # phone number group separator
    "NO": r"(?:number|num|no\b\.?|#|id\b)",  # "number", "no.", "#" or "id" after a label
    "SEP": r"[^\S\r\n]*(?:(?:is|was)[^\S\r\n]+)?[:#=.\-]?[^\S\r\n]*",  # label ... value
    "URL_TAIL": r"[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]}]",  # less any closing punctuation
    "TLD": "(?:" + "|".join(TLDS) + ")",
    "MONTH": _month_alternation(),
    "DAY": r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b",
    "SUFFIX": "(?:"
    + "|".join(f"[{s[0]}{s[0].lower()}]{s[1:]}" for s in sorted(_STREET_SUFFIXES, key=len)[::-1])
    + r")\b\.?",
    "STATE": "(?:" + "|".join(_US_STATES) + ")",
    "ANY_STATE": "(?:" + "|".join(_US_STATES + _US_STATES_AFTER_COMMA) + ")",
}
_PART = re.compile(r"\{([A-Z_]+)\}")


def rx(template: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a pattern after writing the shared pieces into its {NAME} slots."""
    return re.compile(_PART.sub(lambda m: _PARTS[m[1]], template), flags)


_STREET_BEFORE = rx(r"\b{SUFFIX},?(?:{H}+[A-Z][\w'’-]*){0,3},?{H}+$")
