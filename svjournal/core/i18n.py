"""Translations: one gettext catalogue per language for the whole app.

Why gettext with Babel, not Qt's translator: the core, the charts, the reports and the
command line must speak the user's language without importing Qt, and a report can be
written in another language than the window's. So there is one catalogue format
(`svjournal/locale/<language>/LC_MESSAGES/svjournal.po`), extracted from the source by Babel
(`make translations`), read by Python's gettext everywhere, the UI included.

The source language is US English: with it (the default) no catalogue is read and Babel is
not imported, so start-up pays nothing. Marking, in any module:

    from svjournal.core.i18n import N_, ntr, tr
    tr("Back up now")                                  # translated when called
    ntr("{n} follow-up", "{n} follow-ups", n).format(n=n)  # plural forms per language
    LABEL = N_("Moving on")                            # marked; translated where shown, tr(LABEL)

`tr`, not `_`: `_` is the throwaway name in loops and unpacking, and a loop variable would
quietly shadow the translator. Widgets never call Qt's `self.tr` (a test checks).

The language of the whole process is set once (`use`) from the OS, the settings, a policy
or `--lang`; a worker writing a report in another language wraps its work in
`speaking(language)`, which holds for its own thread (or task) only.
"""

from __future__ import annotations

import contextvars
import gettext
import io
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from svjournal.core.error_base import SvJournalError

SOURCE = "en_US"
PSEUDO = "en_XA"  # the accented, lengthened pseudo-locale (as Android calls it), for testing
DOMAIN = "svjournal"
CATALOGUES = Path(__file__).resolve().parent.parent / "locale"

# Each language in its own name, as the language menu shows it.
LANGUAGES: dict[str, str] = {
    "en_US": "English (US)",
    "en_GB": "English (UK)",
    "es": "Español",
    "de": "Deutsch",
    "fr": "Français",
    "nl": "Nederlands",
    "pt_BR": "Português (Brasil)",
    "it": "Italiano",
}
# Where a locale of the OS has no catalogue of its own, the nearest one that exists.
NEAREST: dict[str, str] = {"en": "en_US", "pt": "pt_BR"}
BRITISH_ENGLISH = ("en_GB", "en_IE", "en_AU", "en_NZ", "en_ZA", "en_IN")
ENVIRONMENT = "SVJOURNAL_LANG"


class UnknownLanguage(SvJournalError, ValueError):
    """A language code that is neither shipped nor the pseudo-locale."""

    def __init__(self, code: str) -> None:
        shipped = ", ".join(LANGUAGES)
        super().__init__(f"Unknown language {code!r}; choose one of {shipped}.")


def N_(message: str) -> str:
    """Mark a string for the catalogue without translating it yet (module-level constants)."""
    return message


def tr(message: str) -> str:
    """`message` in the current language."""
    return _translations().gettext(message)


def ntr(singular: str, plural: str, n: int) -> str:
    """The form of `singular`/`plural` that `n` takes in the current language."""
    return _translations().ngettext(singular, plural, n)


def ptr(context: str, message: str) -> str:
    """`message` in the current language, told apart from the same English in another use."""
    return _translations().pgettext(context, message)


# --- which language ---------------------------------------------------------------------------

_process_language = SOURCE
_explicit = False
_process: gettext.NullTranslations = gettext.NullTranslations()
_here: contextvars.ContextVar[tuple[str, gettext.NullTranslations] | None] = contextvars.ContextVar(
    "svjournal_language", default=None
)


def _translations() -> gettext.NullTranslations:
    local = _here.get()
    return local[1] if local is not None else _process


def current() -> str:
    """The language `tr` speaks here (this thread's, if `speaking` set one)."""
    local = _here.get()
    return local[0] if local is not None else _process_language


def use(language: str, *, explicit: bool = False) -> None:
    """Speak `language` in the whole process (the window, the CLI) from now on; `explicit`
    when the person asked for it at start-up (--lang, $SVJOURNAL_LANG), which then wins
    over the choice remembered in the window's Settings."""
    global _process_language, _process, _explicit
    translations = translations_for(language)
    _process_language, _process = language, translations
    _explicit = explicit


def explicitly_chosen() -> bool:
    """Whether the language spoken was asked for at start-up (see `use`)."""
    return _explicit


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Speak `language` in this thread (or task) only, e.g. while writing a report."""
    token = _here.set((language, translations_for(language)))
    try:
        yield
    finally:
        _here.reset(token)


def normalise(code: str) -> str:
    """'de-AT', 'de_AT.UTF-8', 'pt-BR' -> the shipped language to speak ('de', 'pt_BR')."""
    cleaned = code.strip().split(".")[0].split("@")[0].replace("-", "_")
    if not cleaned:
        raise UnknownLanguage(code)
    language, _sep, region = cleaned.partition("_")
    full = f"{language.lower()}_{region.upper()}" if region else language.lower()
    if full in LANGUAGES or full == PSEUDO:
        return full
    if full in BRITISH_ENGLISH:
        return "en_GB"
    if language.lower() in LANGUAGES:
        return language.lower()
    if language.lower() in NEAREST:
        return NEAREST[language.lower()]
    raise UnknownLanguage(code)


def resolve(
    chosen: str | None = None,
    *,
    policy: str | None = None,
    environ: Mapping[str, str] = os.environ,
    system: str | None = None,
) -> str:
    """The language to speak: a policy's, else the one chosen (settings or `--lang`), else
    SVJOURNAL_LANG, else the OS's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, or `system`, the
    locale Qt or Windows reports), else US English. An OS locale with no catalogue falls
    back to US English; an unknown explicit choice is an error (UnknownLanguage)."""
    for explicit in (policy, chosen, environ.get(ENVIRONMENT)):
        if explicit:
            return normalise(explicit)
    candidates = [
        *environ.get("LANGUAGE", "").split(":"),
        environ.get("LC_ALL", ""),
        environ.get("LC_MESSAGES", ""),
        environ.get("LANG", ""),
        system or "",
    ]
    for candidate in candidates:
        if candidate and candidate not in ("C", "POSIX"):
            try:
                return normalise(candidate)
            except UnknownLanguage:
                continue
    return SOURCE


# --- catalogues -------------------------------------------------------------------------------


def catalogue_path(language: str, root: Path | None = None) -> Path:
    return (root or CATALOGUES) / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def shipped(root: Path | None = None) -> list[str]:
    """The languages that can be chosen: the source, and each whose catalogue is shipped
    (a catalogue ships only when complete: tools/translations.py check)."""
    return [SOURCE] + [
        code for code in LANGUAGES if code != SOURCE and catalogue_path(code, root).exists()
    ]


def translations_for(language: str, root: Path | None = None) -> gettext.NullTranslations:
    """The translations of one language: nothing to read for the source language, a
    generated one for the pseudo-locale, else its catalogue (read once per process)."""
    if language == SOURCE:
        return gettext.NullTranslations()
    if language == PSEUDO:
        return PseudoTranslations()
    if language not in LANGUAGES:
        raise UnknownLanguage(language)
    return _read_catalogue(catalogue_path(language, root))


@lru_cache(maxsize=16)
def _read_catalogue(path: Path) -> gettext.NullTranslations:
    # The .po text is the only file shipped (no compiled .mo to keep in step): Babel
    # compiles it in memory, a few milliseconds for the whole catalogue.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    if not path.exists():  # a language shipped without its catalogue yet speaks English
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalogue = read_po(po)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


# --- the pseudo-locale ------------------------------------------------------------------------

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
# What must reach the program unchanged: format fields, printf fields, markup, entities.
_KEEP = re.compile(r"\{[^{}]*\}|%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]|<[^>]*>|&\w+;")


def pseudo(text: str) -> str:
    """`text` accented and half as long again, its placeholders kept: 'Save {n}' ->
    '[Šåṽé {n} ~~~~]'. Clipped or untranslated text then shows at a glance."""
    if not text:
        return text
    parts: list[str] = []
    last = 0
    for match in _KEEP.finditer(text):
        parts.append(text[last : match.start()].translate(_ACCENTED))
        parts.append(match.group(0))
        last = match.end()
    parts.append(text[last:].translate(_ACCENTED))
    body = "".join(parts)
    # The padding comes in words of at most six, as real words wrap: one run of sixty
    # tildes would be a word no language has, and a wrapped label could not wrap it.
    tildes = max(1, len(text) // 2 - 2)
    padding = " ".join("~" * min(6, tildes - i) for i in range(0, tildes, 7))
    # A leading or trailing newline stays where it is, so line structure is unchanged.
    stripped = body.rstrip("\n")
    return f"[{stripped} {padding}]" + body[len(stripped) :]


class PseudoTranslations(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)
