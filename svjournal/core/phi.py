"""Offline heuristic check that warns when free text looks like it holds a patient identifier."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = [
    "KINDS",
    "KIND_NOUNS",
    "IdentifierHit",
    "find_identifiers",
    "kinds_found",
    "pseudonym_warning",
]

# Privacy: this module only reads the string it is given. It never stores, logs or sends the
# text anywhere, and a hit carries positions and a fixed message, never the text itself.
#
# Speed: every pattern begins with a keyword, a literal or a boundary assertion, so it can only
# start at a few places in a run of similar characters, and no repeated group can match the
# same characters in more than one way, so matching stays linear in the length of the note.
# A 1,000-character note takes about a millisecond.

KINDS: dict[str, str] = {
    "mrn": "Medical record or ID number",
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
    "account_number": "Account, plan, licence or serial number",
    "age": "Age over 89",
    "vehicle": "Vehicle registration or VIN",
}

# What a warning calls each kind, so it can name every kind found in one sentence. Fixed
# wording with no digits, like the messages below.
KIND_NOUNS: dict[str, str] = {
    "mrn": "a record or ID number",
    "date_of_birth": "a date of birth",
    "date": "an exact date",
    "phone": "a phone number",
    "email": "an email address",
    "ssn": "a Social Security number",
    "zip": "a ZIP or postal code",
    "address": "a street address",
    "name_with_title": "a name",
    "patient_name": "a name",
    "url": "a web address",
    "ip_address": "an IP address",
    "account_number": "an account, plan, licence or serial number",
    "age": "an age above eighty-nine",
    "vehicle": "a vehicle registration",
}

# Fixed wording only. No message holds a digit, "@", "." or a capitalised name, so a message can
# never contain the text that was matched.
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
    "account_number": "Looks like an account, plan, licence or serial number",
    "age": "Looks like an age above eighty-nine",
    "vehicle": "Looks like a vehicle registration",
}


@dataclass(frozen=True)
class IdentifierHit:
    """One stretch of text that looks like an identifier: where it is and what it resembles."""

    kind: str  # a key of KINDS
    start: int  # Python str index of the first character
    end: int  # index just past the last character
    message: str  # short plain-English warning; never contains the matched text
    # The other kinds whose matches were merged into this span (overlapping hits become one),
    # so a warning can still name each of them. Not part of equality: the span and kind are.
    also: tuple[str, ...] = field(default=(), compare=False)


_Span = tuple[int, int]
_Check = Callable[[str, re.Match[str]], _Span | None]


@dataclass(frozen=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    priority: int  # the higher wins when hits overlap: the more specific kind
    check: _Check | None = None  # validates a match and may move its span
    needs: tuple[str, ...] = ()  # cheap pre-filter: run only if one occurs in the lowered text


_I = re.IGNORECASE
_DIGITS = tuple("0123456789")

# ---------------------------------------------------------------------------------------------
# Shared vocabulary
# ---------------------------------------------------------------------------------------------


def _words(spaced: str) -> tuple[str, ...]:
    return tuple(spaced.split())


_MONTH_WORDS = _words(
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


_STREET_SUFFIXES = _words(
    "Street St Road Rd Avenue Ave Av Lane Ln Drive Dr Boulevard Blvd Court Ct Place Pl Terrace "
    "Ter Crescent Cres Highway Hwy Parkway Pkwy Way Square Sq Circle Cir Close Gardens Grove Mews"
)

_US_STATES = _words(
    "AL AK AZ AR CA CO CT DE FL GA IA KS KY LA MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND PA "
    "RI SC SD TN TX UT VT VA WA WV WI WY DC PR"
)
# These double as everyday words, so they count only after a comma, as in "Boise, ID 83702".
_US_STATES_AFTER_COMMA = _words("ID IN OK OR ME HI OH")

# Capitalised words that often follow "pt." or a title without being a name.
_NOT_NAMES = frozenset(
    _words(
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


def _check_day_month_year(_text: str, m: re.Match[str]) -> _Span | None:
    a, b = _num(m["a"]), _num(m["b"])
    if 1 <= a <= 31 and 1 <= b <= 31 and (a <= 12 or b <= 12):
        return m.span()
    return None


def _check_year_month_day(_text: str, m: re.Match[str]) -> _Span | None:
    month, day = _num(m["m"]), _num(m["d"])
    return m.span() if 1 <= month <= 12 and 1 <= day <= 31 else None


def _check_ipv4(_text: str, m: re.Match[str]) -> _Span | None:
    return m.span() if all(0 <= _num(p) <= 255 for p in m[0].split(".")) else None


def _check_ipv6(_text: str, m: re.Match[str]) -> _Span | None:
    value = m[0]
    if not any(c.isdecimal() for c in value) or ":::" in value:
        return None
    groups = value.split(":")
    compressed = value.count("::") == 1
    return m.span() if compressed or (len(groups) == 8 and all(groups)) else None


def _digit_count(low: int, high: int, group: int = 0) -> _Check:
    def check(_text: str, m: re.Match[str]) -> _Span | None:
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


def _check_name(text: str, m: re.Match[str]) -> _Span | None:
    end = _name_end(text, m.end())
    return None if end is None else (m.start(), end)


def _letters_and_digits(_text: str, m: re.Match[str]) -> _Span | None:
    value = m["v"]
    has_letter = any(c.isalpha() for c in value)
    return m.span() if has_letter and any(c.isdecimal() for c in value) else None


def _check_street_name(_text: str, m: re.Match[str]) -> _Span | None:
    # "The Road", "This Lane": a capitalised everyday word is not a street's name.
    return None if m["w"].lower() in _NOT_NAMES else m.span()


def _check_state_zip(_text: str, m: re.Match[str]) -> _Span | None:
    return m.start("state" if m["state"] else "state2"), m.end()


def _check_zip_after_street(text: str, m: re.Match[str]) -> _Span | None:
    start = m.start()
    return m.span() if _STREET_BEFORE.search(text, max(0, start - 60), start) else None


# ---------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------

_TLDS = _words("com org net edu gov io info uk au nz eu health")

# Pieces shared by the patterns below, written into them as {NAME}.
_PARTS: dict[str, str] = {
    "H": r"[^\S\r\n]",  # horizontal whitespace: identifiers do not wrap across lines
    "PS": r"(?:[^\S\r\n]|[.-])",  # phone number group separator
    "NO": r"(?:number|num|no\b\.?|#|id\b)",  # "number", "no.", "#" or "id" after a label
    "SEP": r"[^\S\r\n]*(?:(?:is|was)[^\S\r\n]+)?[:#=.\-]?[^\S\r\n]*",  # label ... value
    "URL_TAIL": r"[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]}]",  # less any closing punctuation
    "TLD": "(?:" + "|".join(_TLDS) + ")",
    "MONTH": _month_alternation(),
    "DAY": r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b",
    "SUFFIX": "(?:"
    + "|".join(f"[{s[0]}{s[0].lower()}]{s[1:]}" for s in sorted(_STREET_SUFFIXES, key=len)[::-1])
    + r")\b\.?",
    "STATE": "(?:" + "|".join(_US_STATES) + ")",
    "ANY_STATE": "(?:" + "|".join(_US_STATES + _US_STATES_AFTER_COMMA) + ")",
}
_PART = re.compile(r"\{([A-Z_]+)\}")


def _rx(template: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a pattern after writing the shared pieces into its {NAME} slots."""
    return re.compile(_PART.sub(lambda m: _PARTS[m[1]], template), flags)


_STREET_BEFORE = _rx(r"\b{SUFFIX},?(?:{H}+[A-Z][\w'’-]*){0,3},?{H}+$")

_RULES: tuple[_Rule, ...] = (
    # --- web and network ----------------------------------------------------------------------
    _Rule(
        "url",
        _rx(r"(?<![\w@.-])(?:(?:https?|ftp)://|www\.){URL_TAIL}", _I),
        100,
        needs=("://", "www."),
    ),
    _Rule(  # bare domain: mychart.example.org/login
        "url",
        _rx(
            r"(?<![\w@./-])[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.{TLD}\b"
            r"(?![.-]\w|@)(?:/{URL_TAIL})?",
            _I,
        ),
        100,
        needs=tuple("." + t for t in _TLDS),
    ),
    _Rule(
        "email",
        _rx(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", _I),
        95,
        needs=("@",),
    ),
    _Rule(
        "ip_address",
        _rx(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?!\w|\.\d)"),
        90,
        _check_ipv4,
        needs=(".",),
    ),
    _Rule(
        "ip_address",
        _rx(r"(?<![\w:])[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}(?![\w:])", _I),
        90,
        _check_ipv6,
        needs=(":",),
    ),
    # --- government, record and account numbers -----------------------------------------------
    _Rule(
        "ssn",
        _rx(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?!\w|-\d)"),
        92,
        needs=("-",),
    ),
    _Rule(
        "ssn",
        _rx(
            r"\b(?:SSN|SS\s?#|social\s+security(?:\s+{NO})?){SEP}\d{3}[-\s]?\d{2}[-\s]?\d{4}(?!\w)",
            _I,
        ),
        92,
        needs=("ss", "social"),
    ),
    _Rule(  # labelled, in a form the date rules do not read: "DOB 03041950"
        "date_of_birth",
        _rx(
            r"\b(?:DOB|D\.O\.B\b\.?|date\s+of\s+birth|birth\s*date){SEP}\d(?:[/. -]?\d){5,7}(?!\w)",
            _I,
        ),
        85,
        needs=("dob", "d.o.b", "birth"),
    ),
    _Rule(  # "MRN 1234567", "MRN: A123456", "record #123456", "NHS number 943 476 5919"
        "mrn",
        _rx(
            r"\b(?:MRN|MR\s?#|MR\s?(?:number|no\b\.?)|UR\s?(?:number|no\b\.?)|medical\s+record"
            r"|(?:medical\s+)?record\s*{NO}|chart\s*{NO}"
            r"|(?:hospital|hosp|patient|case|unit|NHS|CHI)\s*{NO})"
            r"{SEP}(?:(?-i:[A-Z]{1,4})[- ]?)?\d(?:[ -]?\d){3,14}(?!\w)",
            _I,
        ),
        80,
        needs=("mr", "ur", "record", "chart", "hosp", "patient", "case", "unit", "nhs", "chi"),
    ),
    _Rule(  # "account no. 12345678", "policy number AB123456", "Member ID: 99887766"
        "account_number",
        _rx(
            r"\b(?:(?:account|a/c)(?:\s*{NO}|{H}*:)|acct\b\.?|(?:NPI|DEA|GMC|NMC)\b(?:\s*{NO})?"
            r"|(?:policy|member|subscriber|insurance|beneficiary|claim|licen[cs]e|serial|device"
            r"|plan|certificate|vehicle|medicare|medicaid)\s*{NO})"
            r"{SEP}(?:(?-i:[A-Z]{1,4})[- ]?)?\d(?:-?\d){3,18}(?!\w)",
            _I,
        ),
        78,
        needs=_words(
            "acc a/c policy member subscriber insurance beneficiary claim licen serial device "
            "plan certificate vehicle medica npi dea gmc nmc"
        ),
    ),
    _Rule(  # letters and digits mixed: "Medicare number 1EG4-TE5-MK73"
        "account_number",
        _rx(
            r"\b(?:policy|member|subscriber|insurance|beneficiary|medicare|medicaid|plan)\s*{NO}"
            r"{SEP}(?P<v>(?-i:[A-Z0-9]{2,12}(?:-[A-Z0-9]{2,12}){0,4}))(?![\w-])",
            _I,
        ),
        78,
        _digit_count(3, 30, 1),
        needs=_words("policy member subscriber insurance beneficiary medica plan"),
    ),
    # --- vehicles -----------------------------------------------------------------------------
    _Rule(  # "plate AB12 CDE", "number plate ABC 1234", "reg. 7ABC123"
        "vehicle",
        _rx(
            r"\b(?:(?:licen[cs]e|number|registration|reg)\s+plate|plate|reg\b\.?|registration)"
            r"(?:\s*{NO})?{SEP}(?P<v>(?-i:[A-Z0-9]{1,4}[- ]?[A-Z0-9]{2,4}))(?![\w-])",
            _I,
        ),
        78,
        _letters_and_digits,
        needs=("plate", "reg"),
    ),
    _Rule(  # a vehicle identification number: 17 characters, never I, O or Q
        "vehicle",
        _rx(r"\bVIN\b(?:\s*{NO})?{SEP}(?-i:[A-HJ-NPR-Z0-9]{17})(?!\w)", _I),
        78,
        needs=("vin",),
    ),
    # --- phone numbers ------------------------------------------------------------------------
    _Rule(  # North American: 555-123-4567, (555) 123-4567, +1 555.123.4567
        "phone",
        _rx(r"(?<![\w+(.-])(?:\+?1{PS}?)?(?:\(\d{3}\){H}?|\d{3}{PS})\d{3}{PS}\d{4}(?!\w|[.-]\d)"),
        70,
        needs=_DIGITS,
    ),
    _Rule(  # international: +44 20 7946 0958, +33 (0)1 23 45 67 89
        "phone",
        _rx(r"(?<![\w+])\+\d{1,3}{PS}?(?:\(\d{1,4}\){PS}?)?\d(?:{PS}?\d){5,13}(?!\w)"),
        70,
        _digit_count(8, 15),
        needs=("+",),
    ),
    _Rule(  # with a national trunk prefix: 020 7946 0958, 07700 900123
        "phone",
        _rx(r"(?<![\w+.-])0\d{2,4}[ -]\d{3,4}[ -]?\d{3,4}(?!\w|[.-]\d)"),
        70,
        needs=("0",),
    ),
    _Rule(  # seven-digit local: 555-1234
        "phone",
        _rx(r"(?<![\w+./-])\d{3}-\d{4}(?!\w|[.-]\d)"),
        70,
        needs=("-",),
    ),
    _Rule(  # labelled: "tel: 5551234", "mobile 07700 900 123"
        "phone",
        _rx(
            r"\b(?:tel|telephone|phone|mobile|mob|cell|cellphone|fax|landline|pager|bleep)\b\.?"
            r"(?:\s*(?:number|no\b\.?|#))?{H}*[:#-]?{H}*(\+?\(?\d(?:[ ().-]{0,2}\d){5,16})(?!\w)",
            _I,
        ),
        70,
        _digit_count(7, 15, 1),
        needs=("tel", "phone", "mob", "cell", "fax", "landline", "pager", "bleep"),
    ),
    # --- places -------------------------------------------------------------------------------
    _Rule(  # "MA 02115", "Boise, ID 83702-1234"
        "zip",
        _rx(
            r"(?:\b(?P<state>{STATE})|,{H}*(?P<state2>{ANY_STATE}))"
            r"{H}+\d{5}(?:-\d{4})?(?!\w|[.,-]\d)"
        ),
        65,
        _check_state_zip,
        needs=_DIGITS,
    ),
    _Rule(  # "zip 02115", "postcode: SW1A 1AA"
        "zip",
        _rx(
            r"\b(?:zip(?:\s*code)?|postal\s+code|post\s?code){SEP}"
            r"(?:\d{5}(?:-\d{4})?|(?-i:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}))(?!\w)",
            _I,
        ),
        65,
        needs=("zip", "post"),
    ),
    _Rule(  # ZIP+4: 02115-1234
        "zip",
        _rx(r"(?<![\w.-])\d{5}-\d{4}(?!\w|-\d)"),
        65,
        needs=("-",),
    ),
    _Rule(  # UK postcode in its canonical spaced form: SW1A 1AA
        "zip",
        _rx(r"\b[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}\b"),
        65,
        needs=_DIGITS,
    ),
    _Rule(  # five digits just after a street address: "12 Elm Street, Springfield 01101"
        "zip",
        _rx(r"(?<![\w.,$£€/-])\d{5}(?!\w|[.,:/-]\d)"),
        65,
        _check_zip_after_street,
        needs=_DIGITS,
    ),
    _Rule(  # "12 Elm Street", "221B Baker St", "350 5th Avenue"
        "address",
        _rx(
            r"\b\d{1,5}[A-Za-z]?,?{H}+"
            r"(?:(?:\d{1,3}(?:st|nd|rd|th)|[A-Z][\w'’-]*)\.?{H}+){1,3}{SUFFIX}"
        ),
        60,
        needs=_DIGITS,
    ),
    _Rule(
        "address",
        _rx(r"\bP\.?{H}?O\.?{H}+Box{H}+\d+\b", _I),
        60,
        needs=("box",),
    ),
    _Rule(  # a named street without its number: "lives on Baker Street"
        "address",
        _rx(
            r"(?<![\w'’-])(?P<w>[A-Z][a-z'’]+){H}+"
            r"(?:Street|Road|Avenue|Lane|Boulevard|Crescent|Terrace)\b"
        ),
        58,
        _check_street_name,
        needs=("street", "road", "avenue", "lane", "boulevard", "crescent", "terrace"),
    ),
    # --- ages over 89 (Safe Harbor keeps only "90 or older") ----------------------------------
    _Rule(  # "aged 91", "age: 94"
        "age",
        _rx(r"\bage[d:]?{H}*[:=]?{H}*(?:9\d|1[0-2]\d)\b(?![.:/,]\d)", _I),
        45,
        needs=("age",),
    ),
    _Rule(  # "94-year-old", "97 years old", "93 y/o", "92yo"
        "age",
        _rx(
            r"(?<![\w.,/-])(?:9\d|1[0-2]\d)(?:[- ]?years?[- ]old|[- ]?yrs?[- ]old|[- ]?y/o"
            r"|[- ]?yo\b)",
            _I,
        ),
        45,
        needs=("year", "yr", "y/o", "yo"),
    ),
    # --- names: a keyword here, then capitalised words that _check_name reads -----------------
    _Rule(  # "patient Smith", "pt. Garcia"
        "patient_name",
        _rx(r"(?<![\w.])(?:[Pp]atient|PATIENT|[Pp]t)\b\.?:?"),
        55,
        _check_name,
        needs=("pt", "patient"),
    ),
    _Rule(  # "Name: John Smith", "name John Smith", "her name is Sarah Connor"
        "patient_name",
        _rx(r"\b(?:[Ff]ull |FULL )?(?:[Nn]ame|NAME)(?:{H}*[:=]|{H}+(?:is|was)\b)?"),
        55,
        _check_name,
        needs=("name",),
    ),
    _Rule(  # "Mr. Jones", "Dr Patel", "Prof Anna Kowalski"
        "name_with_title",
        _rx(
            r"(?<![\w.])(?:[Mm](?:rs|r|s|iss|x)|MRS|MISS|[Dd]r|DR|[Pp]rof|PROF|[Ss]r"
            r"|Doctor|Professor|Sister)\b\.?"
        ),
        50,
        _check_name,
        needs=("mr", "ms", "miss", "mx", "dr", "prof", "sr", "doctor", "sister"),
    ),
    # --- dates (a bare year, or a month and year, is fine) ------------------------------------
    _Rule(  # 12/03/2024, 3.4.50, 12-03-2024
        "date",
        _rx(
            r"(?<![\w/.-])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?:\d{4}|\d{2})"
            r"(?!\w|[/.-]\d)"
        ),
        40,
        _check_day_month_year,
        needs=("/", ".", "-"),
    ),
    _Rule(  # 2024-03-12, 2024/3/12
        "date",
        _rx(r"(?<![\w/.-])\d{4}(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\w|[/.-]\d)"),
        40,
        _check_year_month_day,
        needs=("/", ".", "-"),
    ),
    _Rule(  # 3 March 2024, 12th of March, 12-Mar-24
        "date",
        _rx(
            r"(?<![\w.,/-]){DAY}(?:{H}+(?:of{H}+)?|[-/]){MONTH}"
            r"(?:,?{H}+\d{4}|[-/]\d{2}(?:\d{2})?|{H}+'\d{2})?(?!\d)"
        ),
        40,
        needs=_DIGITS,
    ),
    _Rule(  # March 3, 2024 / March 3rd
        "date",
        _rx(r"\b{MONTH}{H}+{DAY}(?:,?{H}+\d{4})?(?![\d:.,]\d)"),
        40,
        needs=_DIGITS,
    ),
    # --- long numbers with no label (least specific) ------------------------------------------
    _Rule(
        "mrn",
        _rx(r"(?<![\w.,$£€/-])(?:[A-Za-z]{1,4}-?)?\d{6,}(?!\w|[.,]\d)"),
        30,
        needs=_DIGITS,
    ),
)

# A date straight after one of these words is reported as a date of birth.
_DOB_PRIORITY = 85
_DOB_BEFORE = _rx(
    r"\b(?:DOB|D\.O\.B\b\.?|date\s+of\s+birth|birth\s*date|birthday|born)"
    r"{H}*(?:(?:is|was){H}+)?(?:on{H}+)?[:#=,.-]?{H}*$",
    _I,
)


def find_identifiers(text: str) -> list[IdentifierHit]:
    """Return the stretches of text that look like patient identifiers.

    Hits are sorted by start and never overlap: overlapping matches are merged into one hit
    covering them all, with the most specific kind among them. Heuristic only, for a gentle
    warning while typing; it never blocks, stores or sends anything.
    """
    if not text:
        return []
    lowered = text.lower()
    candidates: list[tuple[int, int, int, str]] = []  # start, end, priority, kind
    for rule in _RULES:
        if rule.needs and not any(n in lowered for n in rule.needs):
            continue
        for m in rule.pattern.finditer(text):
            span = m.span() if rule.check is None else rule.check(text, m)
            if span is None or span[0] >= span[1]:
                continue
            start, end = span
            kind, priority = rule.kind, rule.priority
            if kind == "date":
                label = _DOB_BEFORE.search(text, max(0, start - 40), start)
                if label is not None:
                    kind, priority, start = "date_of_birth", _DOB_PRIORITY, label.start()
            candidates.append((start, end, priority, kind))
    return _merge(candidates)


def _merge(candidates: list[tuple[int, int, int, str]]) -> list[IdentifierHit]:
    """Union overlapping spans; each union keeps the kind of its highest-priority member.

    The other kinds in a union are kept in `also`, so a warning still names every kind found.
    """
    candidates.sort(key=lambda c: (c[0], -c[1]))
    groups: list[list[tuple[int, int, int, str]]] = []
    end_of_group = -1
    for candidate in candidates:
        if groups and candidate[0] < end_of_group:
            groups[-1].append(candidate)
            end_of_group = max(end_of_group, candidate[1])
        else:
            groups.append([candidate])
            end_of_group = candidate[1]
    hits: list[IdentifierHit] = []
    for group in groups:
        best = max(group, key=lambda c: c[2])  # max keeps the first of equal priorities
        also: list[str] = []
        for *_span, _priority, kind in sorted(group, key=lambda c: (-c[2], c[0])):
            if kind != best[3] and kind not in also:
                also.append(kind)
        hits.append(
            IdentifierHit(
                kind=best[3],
                start=group[0][0],
                end=max(c[1] for c in group),
                message=_MESSAGES[best[3]],
                also=tuple(also),
            )
        )
    return hits


def kinds_found(hits: list[IdentifierHit]) -> list[str]:
    """Every kind the hits cover, merged ones included, each once, in the order met."""
    kinds: list[str] = []
    for hit in hits:
        for kind in (hit.kind, *hit.also):
            if kind not in kinds:
                kinds.append(kind)
    return kinds


# A pseudonym of two or three capitalised words and nothing else reads as "First Last".
_FULL_NAME = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*")
_PSEUDONYM_ADVICE = "Use a pseudonym so the colleague you support cannot be identified."


def pseudonym_warning(alias: str) -> str:
    """A warning when a case's pseudonym looks like a real name or a contact detail, else "".

    The worry here is the colleague being supported, not a patient, so the wording says so.
    A code or initials ("NR-12", "JK") passes; "Jane Smith" or "Mrs Jones" does not.
    """
    words = alias.split()
    full_name = 2 <= len(words) <= 3 and all(
        _FULL_NAME.fullmatch(w) and len(w) > 1 and w[0].isupper() and not w[1:].isupper()
        for w in words
    )
    kinds = kinds_found(find_identifiers(alias))
    if full_name or any(k in ("name_with_title", "patient_name") for k in kinds):
        return f"This looks like a real name. {_PSEUDONYM_ADVICE}"
    if kinds:
        return f"This looks like {KIND_NOUNS[kinds[0]]}. {_PSEUDONYM_ADVICE}"
    return ""
