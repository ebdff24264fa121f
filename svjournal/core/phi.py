"""Offline heuristic check that warns when free text looks like it holds a patient identifier."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["KINDS", "IdentifierHit", "find_identifiers"]

# Privacy: this module only reads the string it is given. It never stores, logs or sends the
# text anywhere, and the hits it returns carry positions and fixed messages, never the text.
#
# Performance: every pattern starts with a keyword, a literal or a boundary assertion so that
# it can only begin at a few places in a run of characters, and no quantified group contains
# another unbounded quantifier that could match the same characters, so matching stays linear.

KINDS: dict[str, str] = {
    "mrn": "Medical record number",
    "date_of_birth": "Date of birth",
    "date": "Exact date",
    "phone": "Phone number",
    "email": "Email address",
    "ssn": "Social Security number",
    "zip": "ZIP or postal code",
    "address": "Street address",
    "name_with_title": "Name with a title",
    "patient_name": "Patient name",
    "url": "Web address",
    "ip_address": "IP address",
    "account_number": "Account or policy number",
}

# Fixed wording only: a message never quotes the note (no digits, "@" or "." in here either,
# so a message can never contain what was matched).
_MESSAGES: dict[str, str] = {
    "mrn": "Looks like a medical record or ID number",
    "date_of_birth": "Looks like a date of birth",
    "date": "Looks like an exact date; the month or year alone is safer",
    "phone": "Looks like a phone number",
    "email": "Looks like an email address",
    "ssn": "Looks like a Social Security number",
    "zip": "Looks like a ZIP or postal code",
    "address": "Looks like a street address",
    "name_with_title": "Looks like a person's name",
    "patient_name": "Looks like a patient's name",
    "url": "Looks like a web address",
    "ip_address": "Looks like an IP address",
    "account_number": "Looks like an account or policy number",
}


@dataclass(frozen=True)
class IdentifierHit:
    """One stretch of text that looks like an identifier: where it is and what it resembles."""

    kind: str  # a key of KINDS
    start: int  # Python str index of the first character
    end: int  # index just past the last character
    message: str  # short plain-English warning; never contains the matched text


_Span = tuple[int, int]
_Check = Callable[[str, re.Match[str]], _Span | None]


@dataclass(frozen=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    priority: int  # higher wins when hits overlap ("more specific")
    check: _Check | None = None  # validates a match and may narrow its span
    needs: str = ""  # cheap pre-filter: skip the rule unless one of these characters occurs


_I = re.IGNORECASE
_DIGITS = "0123456789"
_HS = r"[ \t\u00a0]"  # horizontal space: identifiers do not wrap across lines
_PS = r"[ \t\u00a0.\-]"  # phone number group separator

# ---------------------------------------------------------------------------------------------
# Shared vocabulary
# ---------------------------------------------------------------------------------------------

_MONTH_WORDS = (
    "january jan february feb march mar april apr may june jun july jul august aug "
    "september sept sep october oct november nov december dec"
).split()
# Lower-case "may", "march" and "mar" are ordinary words, so only their capitalised forms count.
_LOWER_AMBIGUOUS = {"may", "march", "mar"}


def _month_alternation() -> str:
    forms: list[str] = []
    for word in sorted(_MONTH_WORDS, key=len, reverse=True):
        forms.extend([word.capitalize(), word.upper()])
        if word not in _LOWER_AMBIGUOUS:
            forms.append(word)
    return "(?:" + "|".join(forms) + ")"


_MONTH = _month_alternation() + r"\b\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b"

_STREET_SUFFIXES = (
    "Street St Road Rd Avenue Ave Av Lane Ln Drive Dr Boulevard Blvd Court Ct Place Pl "
    "Terrace Ter Crescent Cres Highway Hwy Parkway Pkwy Way Square Sq Circle Cir Close "
    "Gardens Grove Mews"
).split()
_SUFFIX = (
    "(?:"
    + "|".join(f"[{s[0]}{s[0].lower()}]{s[1:]}" for s in sorted(_STREET_SUFFIXES, key=len)[::-1])
    + r")\b\.?"
)

_US_STATES_PLAIN = (
    "AL AK AZ AR CA CO CT DE FL GA IA KS KY LA MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
    "PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR"
).split()
# These double as everyday words or abbreviations, so they need a "City, ST" comma before them.
_US_STATES_AMBIGUOUS = "ID IN OK OR ME HI OH".split()

# Capitalised words that commonly follow "pt." / a title without being a name.
_NOT_NAMES = frozenset(
    w.lower()
    for w in (
        "I A An The He She They We You It His Her Hers Their Them Him My Our Your This That "
        "These Those There Here Who What When Where Why How And But Or Nor So Then If As At On "
        "In Of To For With From By Into Onto About Was Is Are Were Be Been Has Had Have Did "
        "Does Do Not No Yes Also Later Today Tomorrow Yesterday Tonight Now Just Still Very "
        "Would Could Should Might Must Shall After Before During While Because Although Since "
        "Until Unless All Some Any Each Every Both Either Neither Ok Okay Said Says Felt Feels "
        "Seemed Seems Asked Told Came Went Got Mentioned Monday Tuesday Wednesday Thursday "
        "Friday Saturday Sunday Team Ward Unit Department Dept Office Clinic Appointment Appt "
        "Visit Note Notes Safety Experience Advice Liaison Services Service Care Transport "
        "Records Record Portal Feedback Survey Satisfaction Relations Information Info Centre "
        "Center Group Forum Rights Voice Voices Partners Council Panel Committee Charter Story "
        "Stories Number No Id Name"
    ).split()
)

# ---------------------------------------------------------------------------------------------
# Checks: validate a regex match, optionally narrowing its span
# ---------------------------------------------------------------------------------------------


def _num(s: str) -> int:
    return int(s) if s.isdecimal() else -1


def _check_dmy(_: str, m: re.Match[str]) -> _Span | None:
    a, b = _num(m.group("a")), _num(m.group("b"))
    if 1 <= a <= 31 and 1 <= b <= 31 and (a <= 12 or b <= 12):
        return m.span()
    return None


def _check_ymd(_: str, m: re.Match[str]) -> _Span | None:
    month, day = _num(m.group("m")), _num(m.group("d"))
    return m.span() if 1 <= month <= 12 and 1 <= day <= 31 else None


def _check_ipv4(_: str, m: re.Match[str]) -> _Span | None:
    return m.span() if all(0 <= _num(p) <= 255 for p in m.group().split(".")) else None


def _check_ipv6(_: str, m: re.Match[str]) -> _Span | None:
    value = m.group()
    groups = value.split(":")
    if not any(c in _DIGITS for c in value):
        return None
    if value.count("::") == 1 and not value.startswith(":::") and ":::" not in value:
        return m.span()
    if len(groups) == 8 and all(groups):
        return m.span()
    return None


def _digit_count(low: int, high: int, group: int | str = 0) -> _Check:
    def check(_: str, m: re.Match[str]) -> _Span | None:
        count = sum(c.isdecimal() for c in m.group(group))
        return m.span() if low <= count <= high else None

    return check


_NAME_TOKEN = re.compile(r"[^\S\r\n]+([^\W\d_](?:[\w'’-]*\w)?)(\.?)")


def _name_after(text: str, pos: int, limit: int = 3) -> int | None:
    """End of the capitalised name starting after pos (initials allowed), or None."""
    end: int | None = None
    for _ in range(limit):
        m = _NAME_TOKEN.match(text, pos)
        if m is None:
            break
        word = m.group(1)
        if not word[0].isupper():
            break
        if len(word) == 1 and m.group(2):  # an initial such as "J."
            end = pos = m.end()
            continue
        if word.lower() in _NOT_NAMES:
            break
        end = pos = m.end(1)
    return end


def _check_name(text: str, m: re.Match[str]) -> _Span | None:
    end = _name_after(text, m.end())
    return None if end is None else (m.start(), end)


def _check_state_zip(_: str, m: re.Match[str]) -> _Span | None:
    state = "st" if m.group("st") else "st2"
    return m.start(state), m.end()


_STREET_BEFORE = re.compile(
    r"\b" + _SUFFIX + r",?(?:[^\S\r\n]+[A-Z][\w'’-]*){0,3},?[^\S\r\n]+$",
)


def _check_bare_zip(text: str, m: re.Match[str]) -> _Span | None:
    start = m.start()
    if _STREET_BEFORE.search(text, max(0, start - 60), start):
        return m.span()
    return None


# ---------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------

_NO = r"(?:number|num|no\b\.?|#|id\b)"  # "number", "no.", "#", "id" after a label word
_SEP = r"[^\S\r\n]*(?:(?:is|was)[^\S\r\n]+)?[:#=.\-]?[^\S\r\n]*"  # between label and value

_RULES: tuple[_Rule, ...] = (
    # --- web and network ----------------------------------------------------------------
    _Rule(
        "url",
        re.compile(
            r"(?<![\w@.-])(?:(?:https?|ftp)://|www\.)[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]}]",
            _I,
        ),
        100,
        needs="/.",
    ),
    _Rule(
        "url",
        re.compile(
            r"(?<![\w@./-])[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*"
            r"\.(?:com|org|net|edu|gov|io|info|uk|au|nz|eu|health)\b(?![.-]\w|@)"
            r"(?:/[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]}])?",
            _I,
        ),
        100,
        needs=".",
    ),
    _Rule(
        "email",
        re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", _I),
        95,
        needs="@",
    ),
    _Rule(
        "ip_address",
        re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d)"),
        90,
        _check_ipv4,
        needs=".",
    ),
    _Rule(
        "ip_address",
        re.compile(r"(?<![\w:])[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}(?![\w:])", _I),
        90,
        _check_ipv6,
        needs=":",
    ),
    # --- government and record numbers --------------------------------------------------
    _Rule(
        "ssn",
        re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w]|-\d)"),
        92,
        needs=_DIGITS,
    ),
    _Rule(
        "ssn",
        re.compile(
            r"\b(?:SSN|SS\s?#|social\s+security(?:\s+"
            + _NO
            + r")?)"
            + _SEP
            + r"\d{3}[-\s]?\d{2}[-\s]?\d{4}(?!\w)",
            _I,
        ),
        92,
        needs=_DIGITS,
    ),
    _Rule(
        "date_of_birth",
        re.compile(
            r"\b(?:DOB|D\.O\.B\b\.?|date\s+of\s+birth|birth\s*date)"
            + _SEP
            + r"\d(?:[/. -]?\d){5,7}(?!\w)",
            _I,
        ),
        85,
        needs=_DIGITS,
    ),
    _Rule(
        "mrn",
        re.compile(
            r"\b(?:MRN|MR\s?#|MR\s?(?:number|no\b\.?)|UR\s?(?:number|no\b\.?)"
            r"|(?:medical\s+)?record\s*"
            + _NO
            + r"|medical\s+record|chart\s*"
            + _NO
            + r"|(?:hospital|patient|case|unit|NHS|CHI)\s*"
            + _NO
            + r")"
            + _SEP
            + r"(?:(?-i:[A-Z]{1,4})[- ]?)?\d(?:[ -]?\d){3,14}(?!\w)",
            _I,
        ),
        80,
        needs=_DIGITS,
    ),
    _Rule(
        "account_number",
        re.compile(
            r"\b(?:(?:account|acct|a/c)(?:\s*" + _NO + r"|" + _HS + r"*:)"
            r"|(?:policy|member|subscriber|insurance|beneficiary|claim|licen[cs]e|serial"
            r"|device|plan|certificate|vehicle)\s*"
            + _NO
            + r")"
            + _SEP
            + r"(?:(?-i:[A-Z]{1,4})[- ]?)?\d(?:-?\d){3,18}(?!\w)",
            _I,
        ),
        78,
        needs=_DIGITS,
    ),
    # --- phone numbers --------------------------------------------------------------------
    _Rule(  # North American: 555-123-4567, (555) 123-4567, +1 555.123.4567
        "phone",
        re.compile(
            r"(?<![\w+(.-])(?:\+?1" + _PS + r"?)?(?:\(\d{3}\)" + _HS + r"?|\d{3}" + _PS + r")"
            r"\d{3}" + _PS + r"\d{4}(?!\w|[.-]\d)"
        ),
        70,
        needs=_DIGITS,
    ),
    _Rule(  # International: +44 20 7946 0958, +33 (0)1 23 45 67 89
        "phone",
        re.compile(
            r"(?<![\w+])\+\d{1,3}" + _PS + r"?(?:\(\d{1,4}\)" + _PS + r"?)?\d(?:" + _PS
            + r"?\d){5,13}(?!\w)"
        ),
        70,
        _digit_count(8, 15),
        needs="+",
    ),
    _Rule(  # National trunk prefix: 020 7946 0958, 07700 900123
        "phone",
        re.compile(r"(?<![\w+.-])0\d{2,4}[ -]\d{3,4}[ -]?\d{3,4}(?!\w|[.-]\d)"),
        70,
        needs="0",
    ),
    _Rule(  # Seven-digit local: 555-1234
        "phone",
        re.compile(r"(?<![\w+./-])\d{3}-\d{4}(?!\w|[.-]\d)"),
        70,
        needs="-",
    ),
    _Rule(  # Labelled: "tel: 5551234", "mobile 07700 900 123"
        "phone",
        re.compile(
            r"\b(?:tel|telephone|phone|mobile|mob|cell|cellphone|fax|landline|pager|bleep)"
            r"\b\.?(?:\s*(?:number|no\b\.?|#))?[^\S\r\n]*[:#-]?[^\S\r\n]*"
            r"(\+?\(?\d(?:[ ().-]{0,2}\d){5,16})(?!\w)",
            _I,
        ),
        70,
        _digit_count(7, 15, 1),
        needs=_DIGITS,
    ),
    # --- places ---------------------------------------------------------------------------
    _Rule(
        "zip",
        re.compile(
            r"(?:\b(?P<st>"
            + "|".join(_US_STATES_PLAIN)
            + r")|,[^\S\r\n]*(?P<st2>"
            + "|".join(_US_STATES_PLAIN + _US_STATES_AMBIGUOUS)
            + r"))[^\S\r\n]+\d{5}(?:-\d{4})?(?![\w]|[.,-]\d)"
        ),
        65,
        _check_state_zip,
        needs=_DIGITS,
    ),
    _Rule(
        "zip",
        re.compile(
            r"\b(?:zip(?:\s*code)?|postal\s+code|post\s?code)"
            + _SEP
            + r"(?:\d{5}(?:-\d{4})?|(?-i:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}))(?!\w)",
            _I,
        ),
        65,
        needs=_DIGITS,
    ),
    _Rule(  # ZIP+4
        "zip",
        re.compile(r"(?<![\w.-])\d{5}-\d{4}(?![\w]|-\d)"),
        65,
        needs="-",
    ),
    _Rule(  # UK postcode, canonical form with a space: SW1A 1AA
        "zip",
        re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}\b"),
        65,
        needs=_DIGITS,
    ),
    _Rule(  # bare five digits straight after a street address
        "zip",
        re.compile(r"(?<![\w.,$£€/-])\d{5}(?![\w]|[.,:/-]\d)"),
        65,
        _check_bare_zip,
        needs=_DIGITS,
    ),
    _Rule(
        "address",
        re.compile(
            r"\b\d{1,5}[A-Za-z]?,?[^\S\r\n]+"
            r"(?:(?:\d{1,3}(?:st|nd|rd|th)|[A-Z][\w'’-]*)\.?[^\S\r\n]+){1,3}" + _SUFFIX
        ),
        60,
        needs=_DIGITS,
    ),
    _Rule(
        "address",
        re.compile(r"\bP\.?[^\S\r\n]?O\.?[^\S\r\n]+Box[^\S\r\n]+\d+\b", _I),
        60,
        needs=_DIGITS,
    ),
    # --- names ----------------------------------------------------------------------------
    _Rule(
        "patient_name",
        re.compile(r"(?<![\w.])(?:[Pp]atient|PATIENT|[Pp]t)\b\.?:?"),
        55,
        _check_name,
    ),
    _Rule(
        "patient_name",
        re.compile(r"\b(?:[Ff]ull |FULL )?(?:[Nn]ame|NAME)[^\S\r\n]*[:=]"),
        55,
        _check_name,
        needs=":=",
    ),
    _Rule(
        "name_with_title",
        re.compile(
            r"(?<![\w.])(?:[Mm](?:rs|r|s|iss|x)|MRS|MISS|[Dd]r|DR|[Pp]rof|PROF|[Ss]r"
            r"|Doctor|Professor|Sister)\b\.?"
        ),
        50,
        _check_name,
    ),
    # --- dates ----------------------------------------------------------------------------
    _Rule(  # 12/03/2024, 3.4.50, 12-03-2024
        "date",
        re.compile(
            r"(?<![\w/.-])(?P<a>\d{1,2})(?P<s>[/.-])(?P<b>\d{1,2})(?P=s)(?:\d{4}|\d{2})"
            r"(?![\w]|[/.-]\d)"
        ),
        40,
        _check_dmy,
        needs=_DIGITS,
    ),
    _Rule(  # 2024-03-12, 2024/3/12
        "date",
        re.compile(
            r"(?<![\w/.-])\d{4}(?P<s>[/.-])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?![\w]|[/.-]\d)"
        ),
        40,
        _check_ymd,
        needs=_DIGITS,
    ),
    _Rule(  # 3 March 2024, 12th of March, 12-Mar-24
        "date",
        re.compile(
            r"(?<![\w.,/-])"
            + _DAY
            + r"(?:[^\S\r\n]+(?:of[^\S\r\n]+)?|[-/])"
            + _MONTH
            + r"(?:,?[^\S\r\n]+\d{4}|[-/]\d{2}(?:\d{2})?|[^\S\r\n]+'\d{2})?(?!\d)"
        ),
        40,
        needs=_DIGITS,
    ),
    _Rule(  # March 3, 2024 / March 3rd
        "date",
        re.compile(r"\b" + _MONTH + r"[^\S\r\n]+" + _DAY + r"(?:,?[^\S\r\n]+\d{4})?(?![\d:.,]\d)"),
        40,
        needs=_DIGITS,
    ),
    # --- generic long numbers (least specific) ------------------------------------------
    _Rule(
        "mrn",
        re.compile(r"(?<![\w.,$£€/-])(?:[A-Za-z]{1,4}-?)?\d{6,}(?![\w]|[.,]\d)"),
        30,
        needs=_DIGITS,
    ),
)

_DOB_PRIORITY = 85
_DOB_BEFORE = re.compile(
    r"\b(?:DOB|D\.O\.B\b\.?|date\s+of\s+birth|birth\s*date|birthday|born)"
    r"[^\S\r\n]*(?:(?:is|was)[^\S\r\n]+)?(?:on[^\S\r\n]+)?[:#=,.-]?[^\S\r\n]*$",
    _I,
)


def find_identifiers(text: str) -> list[IdentifierHit]:
    """Return stretches of text that look like patient identifiers, sorted and non-overlapping.

    Overlapping matches are merged into one hit that keeps the most specific kind. Heuristic
    only: meant for a gentle warning while typing, never for blocking or redaction.
    """
    if not text:
        return []
    present = set(text)
    candidates: list[tuple[int, int, int, str]] = []  # start, end, priority, kind
    for rule in _RULES:
        if rule.needs and present.isdisjoint(rule.needs):
            continue
        for m in rule.pattern.finditer(text):
            span = rule.check(text, m) if rule.check is not None else m.span()
            if span is None or span[0] >= span[1]:
                continue
            start, end = span
            kind, priority = rule.kind, rule.priority
            if kind == "date":
                before = _DOB_BEFORE.search(text, max(0, start - 40), start)
                if before is not None:
                    kind, priority, start = "date_of_birth", _DOB_PRIORITY, before.start()
            candidates.append((start, end, priority, kind))
    return _merge(candidates)


def _merge(candidates: list[tuple[int, int, int, str]]) -> list[IdentifierHit]:
    """Union overlapping spans; each union keeps the kind of its highest-priority member."""
    candidates.sort(key=lambda c: (c[0], -c[1]))
    merged: list[tuple[int, int, int, str]] = []
    for start, end, priority, kind in candidates:
        if merged and start < merged[-1][1]:
            m_start, m_end, m_priority, m_kind = merged[-1]
            if priority > m_priority:
                m_priority, m_kind = priority, kind
            merged[-1] = (m_start, max(m_end, end), m_priority, m_kind)
        else:
            merged.append((start, end, priority, kind))
    return [
        IdentifierHit(kind=kind, start=start, end=end, message=_MESSAGES[kind])
        for start, end, _priority, kind in merged
    ]
