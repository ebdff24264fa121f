"""The identifier rules: one pattern per way an identifier is written, with its kind, its
priority when hits overlap, an optional check and a cheap pre-filter. Read by
`find_identifiers` in core/phi.py; the pieces are in core/phi_checks.py.
"""

from __future__ import annotations

from svjournal.core.phi_checks import (
    DIGITS,
    ICASE,
    TLDS,
    Rule,
    check_day_month_year,
    check_ipv4,
    check_ipv6,
    check_name,
    check_state_zip,
    check_street_name,
    check_year_month_day,
    check_zip_after_street,
    digit_count,
    letters_and_digits,
    rx,
    words,
)

RULES: tuple[Rule, ...] = (
    # --- web and network ----------------------------------------------------------------------
    Rule(
        "url",
        rx(r"(?<![\w@.-])(?:(?:https?|ftp)://|www\.){URL_TAIL}", ICASE),
        100,
        needs=("://", "www."),
    ),
    Rule(  # bare domain: mychart.example.org/login
        "url",
        rx(
            r"(?<![\w@./-])[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.{TLD}\b"
            r"(?![.-]\w|@)(?:/{URL_TAIL})?",
            ICASE,
        ),
        100,
        needs=tuple("." + t for t in TLDS),
    ),
    Rule(
        "email",
        rx(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", ICASE),
        95,
        needs=("@",),
    ),
    Rule(
        "ip_address",
        rx(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?!\w|\.\d)"),
        90,
        check_ipv4,
        needs=(".",),
    ),
    Rule(
        "ip_address",
        rx(r"(?<![\w:])[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}(?![\w:])", ICASE),
        90,
        check_ipv6,
        needs=(":",),
    ),
    # --- government, record and account numbers -----------------------------------------------
    Rule(
        "ssn",
        rx(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?!\w|-\d)"),
        92,
        needs=("-",),
    ),
    Rule(
        "ssn",
        rx(
            r"\b(?:SSN|SS\s?#|social\s+security(?:\s+{NO})?){SEP}\d{3}[-\s]?\d{2}[-\s]?\d{4}(?!\w)",
            ICASE,
        ),
        92,
        needs=("ss", "social"),
    ),
    Rule(  # labelled, in a form the date rules do not read: "DOB 03041950"
        "date_of_birth",
        rx(
            r"\b(?:DOB|D\.O\.B\b\.?|date\s+of\s+birth|birth\s*date){SEP}\d(?:[/. -]?\d){5,7}(?!\w)",
            ICASE,
        ),
        85,
        needs=("dob", "d.o.b", "birth"),
    ),
    Rule(  # "MRN 1234567", "MRN: A123456", "record #123456", "NHS number 943 476 5919"
        "mrn",
        rx(
            r"\b(?:MRN|MR\s?#|MR\s?(?:number|no\b\.?)|UR\s?(?:number|no\b\.?)|medical\s+record"
            r"|(?:medical\s+)?record\s*{NO}|chart\s*{NO}"
            r"|(?:hospital|hosp|patient|case|unit|NHS|CHI)\s*{NO})"
            r"{SEP}(?:(?-i:[A-Z]{1,4})[- ]?)?\d(?:[ -]?\d){3,14}(?!\w)",
            ICASE,
        ),
        80,
        needs=("mr", "ur", "record", "chart", "hosp", "patient", "case", "unit", "nhs", "chi"),
    ),
    Rule(  # "account no. 12345678", "policy number AB123456", "Member ID: 99887766"
        "account_number",
        rx(
            r"\b(?:(?:account|a/c)(?:\s*{NO}|{H}*:)|acct\b\.?|(?:NPI|DEA|GMC|NMC)\b(?:\s*{NO})?"
            r"|(?:policy|member|subscriber|insurance|beneficiary|claim|licen[cs]e|serial|device"
            r"|plan|certificate|vehicle|medicare|medicaid)\s*{NO})"
            r"{SEP}(?:(?-i:[A-Z]{1,4})[- ]?)?\d(?:-?\d){3,18}(?!\w)",
            ICASE,
        ),
        78,
        needs=words(
            "acc a/c policy member subscriber insurance beneficiary claim licen serial device "
            "plan certificate vehicle medica npi dea gmc nmc"
        ),
    ),
    Rule(  # letters and digits mixed: "Medicare number 1EG4-TE5-MK73"
        "account_number",
        rx(
            r"\b(?:policy|member|subscriber|insurance|beneficiary|medicare|medicaid|plan)\s*{NO}"
            r"{SEP}(?P<v>(?-i:[A-Z0-9]{2,12}(?:-[A-Z0-9]{2,12}){0,4}))(?![\w-])",
            ICASE,
        ),
        78,
        digit_count(3, 30, 1),
        needs=words("policy member subscriber insurance beneficiary medica plan"),
    ),
    # --- vehicles -----------------------------------------------------------------------------
    Rule(  # "plate AB12 CDE", "number plate ABC 1234", "reg. 7ABC123"
        "vehicle",
        rx(
            r"\b(?:(?:licen[cs]e|number|registration|reg)\s+plate|plate|reg\b\.?|registration)"
            r"(?:\s*{NO})?{SEP}(?P<v>(?-i:[A-Z0-9]{1,4}[- ]?[A-Z0-9]{2,4}))(?![\w-])",
            ICASE,
        ),
        78,
        letters_and_digits,
        needs=("plate", "reg"),
    ),
    Rule(  # a vehicle identification number: 17 characters, never I, O or Q
        "vehicle",
        rx(r"\bVIN\b(?:\s*{NO})?{SEP}(?-i:[A-HJ-NPR-Z0-9]{17})(?!\w)", ICASE),
        78,
        needs=("vin",),
    ),
    # --- phone numbers ------------------------------------------------------------------------
    Rule(  # North American: 555-123-4567, (555) 123-4567, +1 555.123.4567
        "phone",
        rx(r"(?<![\w+(.-])(?:\+?1{PS}?)?(?:\(\d{3}\){H}?|\d{3}{PS})\d{3}{PS}\d{4}(?!\w|[.-]\d)"),
        70,
        needs=DIGITS,
    ),
    Rule(  # international: +44 20 7946 0958, +33 (0)1 23 45 67 89
        "phone",
        rx(r"(?<![\w+])\+\d{1,3}{PS}?(?:\(\d{1,4}\){PS}?)?\d(?:{PS}?\d){5,13}(?!\w)"),
        70,
        digit_count(8, 15),
        needs=("+",),
    ),
    Rule(  # with a national trunk prefix: 020 7946 0958, 07700 900123
        "phone",
        rx(r"(?<![\w+.-])0\d{2,4}[ -]\d{3,4}[ -]?\d{3,4}(?!\w|[.-]\d)"),
        70,
        needs=("0",),
    ),
    Rule(  # seven-digit local: 555-1234
        "phone",
        rx(r"(?<![\w+./-])\d{3}-\d{4}(?!\w|[.-]\d)"),
        70,
        needs=("-",),
    ),
    Rule(  # labelled: "tel: 5551234", "mobile 07700 900 123"
        "phone",
        rx(
            r"\b(?:tel|telephone|phone|mobile|mob|cell|cellphone|fax|landline|pager|bleep)\b\.?"
            r"(?:\s*(?:number|no\b\.?|#))?{H}*[:#-]?{H}*(\+?\(?\d(?:[ ().-]{0,2}\d){5,16})(?!\w)",
            ICASE,
        ),
        70,
        digit_count(7, 15, 1),
        needs=("tel", "phone", "mob", "cell", "fax", "landline", "pager", "bleep"),
    ),
    # --- places -------------------------------------------------------------------------------
    Rule(  # "MA 02115", "Boise, ID 83702-1234"
        "zip",
        rx(
            r"(?:\b(?P<state>{STATE})|,{H}*(?P<state2>{ANY_STATE}))"
            r"{H}+\d{5}(?:-\d{4})?(?!\w|[.,-]\d)"
        ),
        65,
        check_state_zip,
        needs=DIGITS,
    ),
    Rule(  # "zip 02115", "postcode: SW1A 1AA"
        "zip",
        rx(
            r"\b(?:zip(?:\s*code)?|postal\s+code|post\s?code){SEP}"
            r"(?:\d{5}(?:-\d{4})?|(?-i:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}))(?!\w)",
            ICASE,
        ),
        65,
        needs=("zip", "post"),
    ),
    Rule(  # ZIP+4: 02115-1234
        "zip",
        rx(r"(?<![\w.-])\d{5}-\d{4}(?!\w|-\d)"),
        65,
        needs=("-",),
    ),
    Rule(  # UK postcode in its canonical spaced form: SW1A 1AA
        "zip",
        rx(r"\b[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}\b"),
        65,
        needs=DIGITS,
    ),
    Rule(  # five digits just after a street address: "12 Elm Street, Springfield 01101"
        "zip",
        rx(r"(?<![\w.,$£€/-])\d{5}(?!\w|[.,:/-]\d)"),
        65,
        check_zip_after_street,
        needs=DIGITS,
    ),
    Rule(  # "12 Elm Street", "221B Baker St", "350 5th Avenue"
        "address",
        rx(
            r"\b\d{1,5}[A-Za-z]?,?{H}+"
            r"(?:(?:\d{1,3}(?:st|nd|rd|th)|[A-Z][\w'’-]*)\.?{H}+){1,3}{SUFFIX}"
        ),
        60,
        needs=DIGITS,
    ),
    Rule(
        "address",
        rx(r"\bP\.?{H}?O\.?{H}+Box{H}+\d+\b", ICASE),
        60,
        needs=("box",),
    ),
    Rule(  # a named street without its number: "lives on Baker Street"
        "address",
        rx(
            r"(?<![\w'’-])(?P<w>[A-Z][a-z'’]+){H}+"
            r"(?:Street|Road|Avenue|Lane|Boulevard|Crescent|Terrace)\b"
        ),
        58,
        check_street_name,
        needs=("street", "road", "avenue", "lane", "boulevard", "crescent", "terrace"),
    ),
    # --- ages over 89 (Safe Harbor keeps only "90 or older") ----------------------------------
    Rule(  # "aged 91", "age: 94"
        "age",
        rx(r"\bage[d:]?{H}*[:=]?{H}*(?:9\d|1[0-2]\d)\b(?![.:/,]\d)", ICASE),
        45,
        needs=("age",),
    ),
    Rule(  # "94-year-old", "97 years old", "93 y/o", "92yo"
        "age",
        rx(
            r"(?<![\w.,/-])(?:9\d|1[0-2]\d)(?:[- ]?years?[- ]old|[- ]?yrs?[- ]old|[- ]?y/o"
            r"|[- ]?yo\b)",
            ICASE,
        ),
        45,
        needs=("year", "yr", "y/o", "yo"),
    ),
    # --- names: a keyword here, then capitalised words that check_name reads -----------------
    Rule(  # "patient Smith", "pt. Garcia"
        "patient_name",
        rx(r"(?<![\w.])(?:[Pp]atient|PATIENT|[Pp]t)\b\.?:?"),
        55,
        check_name,
        needs=("pt", "patient"),
    ),
    Rule(  # "Name: John Smith", "name John Smith", "her name is Sarah Connor"
        "patient_name",
        rx(r"\b(?:[Ff]ull |FULL )?(?:[Nn]ame|NAME)(?:{H}*[:=]|{H}+(?:is|was)\b)?"),
        55,
        check_name,
        needs=("name",),
    ),
    Rule(  # "Mr. Jones", "Dr Patel", "Prof Anna Kowalski"
        "name_with_title",
        rx(
            r"(?<![\w.])(?:[Mm](?:rs|r|s|iss|x)|MRS|MISS|[Dd]r|DR|[Pp]rof|PROF|[Ss]r"
            r"|Doctor|Professor|Sister)\b\.?"
        ),
        50,
        check_name,
        needs=("mr", "ms", "miss", "mx", "dr", "prof", "sr", "doctor", "sister"),
    ),
    # --- dates (a bare year, or a month and year, is fine) ------------------------------------
    Rule(  # 12/03/2024, 3.4.50, 12-03-2024
        "date",
        rx(
            r"(?<![\w/.-])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?:\d{4}|\d{2})"
            r"(?!\w|[/.-]\d)"
        ),
        40,
        check_day_month_year,
        needs=("/", ".", "-"),
    ),
    Rule(  # 2024-03-12, 2024/3/12
        "date",
        rx(r"(?<![\w/.-])\d{4}(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\w|[/.-]\d)"),
        40,
        check_year_month_day,
        needs=("/", ".", "-"),
    ),
    Rule(  # 3 March 2024, 12th of March, 12-Mar-24
        "date",
        rx(
            r"(?<![\w.,/-]){DAY}(?:{H}+(?:of{H}+)?|[-/]){MONTH}"
            r"(?:,?{H}+\d{4}|[-/]\d{2}(?:\d{2})?|{H}+'\d{2})?(?!\d)"
        ),
        40,
        needs=DIGITS,
    ),
    Rule(  # March 3, 2024 / March 3rd
        "date",
        rx(r"\b{MONTH}{H}+{DAY}(?:,?{H}+\d{4})?(?![\d:.,]\d)"),
        40,
        needs=DIGITS,
    ),
    # --- long numbers with no label (least specific) ------------------------------------------
    Rule(
        "mrn",
        rx(r"(?<![\w.,$£€/-])(?:[A-Za-z]{1,4}-?)?\d{6,}(?!\w|[.,]\d)"),
        30,
        needs=DIGITS,
    ),
)

# A date straight after one of these words is reported as a date of birth.
DOB_PRIORITY = 85
DOB_BEFORE = rx(
    r"\b(?:DOB|D\.O\.B\b\.?|date\s+of\s+birth|birth\s*date|birthday|born)"
    r"{H}*(?:(?:is|was){H}+)?(?:on{H}+)?[:#=,.-]?{H}*$",
    ICASE,
)
