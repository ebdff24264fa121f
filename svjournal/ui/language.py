"""The window's language: chosen in Settings, remembered on this workstation, switched live.

Where the choice lives: QSettings (plaintext, beside the window geometry), not the vault.
The lock screen speaks it before any journal is open, it belongs to the person at this
workstation rather than to one journal, and a language says nothing about anyone.

What decides, strongest first (svjournal.core.i18n.resolve): the IT policy's `language`,
then `--lang` / $SVJOURNAL_LANG when the app was started with one, then the choice made in
Settings, then the OS's language, else US English.

Switching is live: the process language changes (`i18n.use`), Qt's own strings (standard
buttons, context menus, calendar pop-ups) follow through Qt's shipped qtbase catalogue, and
the main window rebuilds its views (ui/main_window.py `change_language`), so every visible
string is in the new language without a restart.
"""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from svjournal.core import i18n
from svjournal.core.policy import current_policy
from svjournal.ui import window_state

log = logging.getLogger(__name__)

LANGUAGE_KEY = "ui/language"  # a code of i18n.LANGUAGES, or absent for "as the system"
_qt_translator: QTranslator | None = None
_region_from_system = False  # True once speak_locale has set Qt's default for a language


def chosen() -> str | None:
    """The language picked in Settings on this workstation, None for "as the system"."""
    value = window_state.settings().value(LANGUAGE_KEY)
    if not isinstance(value, str) or not value:
        return None
    try:
        return i18n.normalise(value)
    except i18n.UnknownLanguage:
        return None  # a hand-edited or older settings file: as the system


def remember(language: str | None) -> None:
    store = window_state.settings()
    if language is None:
        store.remove(LANGUAGE_KEY)
    else:
        store.setValue(LANGUAGE_KEY, language)
    store.sync()


def policy_language(chosen: str | None = None) -> str | None:
    """The language the IT policy sets for someone who chose `chosen`: its language when
    it locks it or nothing was chosen, else None (core/policy.py `Policy.language`)."""
    return current_policy().language(chosen)


def policy_locks_language() -> str | None:
    """The language the IT policy imposes (Settings cannot change it then), if any."""
    rule = current_policy().rule("language")
    return str(rule.value) if rule.is_set and rule.locked else None


def start() -> str:
    """At start-up, before any window: the language to speak, spoken (Qt's strings too)."""
    explicit = i18n.current() if i18n.explicitly_chosen() else None
    wanted = explicit or chosen()
    language = i18n.resolve(wanted, policy=policy_language(wanted), system=QLocale.system().name())
    apply(language)
    return language


def for_choice(choice: str | None) -> str:
    """The language a Settings choice means (None: as the system), the policy first."""
    return i18n.resolve(choice, policy=policy_language(choice), system=QLocale.system().name())


def apply(language: str) -> None:
    """Speak `language` in the process: svjournal's strings, Qt's formats, Qt's strings."""
    global _region_from_system
    i18n.use(language)
    QLocale.setDefault(QLocale.system())
    _region_from_system = False  # speak_locale changes it only where it must
    speak_locale()
    _install_qt_translator(language)


def _install_qt_translator(language: str) -> None:
    """Qt's own words (Cancel, Yes, Copy, Select All) in `language`, from the qtbase
    catalogue PySide6 ships; none for US English and the pseudo-locale."""
    global _qt_translator
    app = QCoreApplication.instance()
    if app is None:
        return
    if _qt_translator is not None:
        QCoreApplication.removeTranslator(_qt_translator)
        _qt_translator = None
    if language in (i18n.SOURCE, i18n.PSEUDO):
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", folder) or translator.load(
        f"qtbase_{language.split('_')[0]}", folder
    ):
        QCoreApplication.installTranslator(translator)
        _qt_translator = translator
    else:
        log.info("no Qt catalogue for %s in the Qt translations folder", language)


def speak_locale() -> None:
    """Qt's own formats (dates in editors, numbers, the first day of the week in calendar
    pop-ups) follow the language svjournal speaks (svjournal.core.i18n) where it is not the
    system's: German on an English system writes "03.12.2026", as the German PDF does.

    The system's territory is kept (German on an Austrian workstation is de_AT): crisis-line
    proposals come from the territory, never from the language. US English, the source, and
    the pseudo-locale leave Qt's locale as the system has it.
    """
    language = i18n.current()
    if language in (i18n.SOURCE, i18n.PSEUDO):
        return
    system = QLocale.system()
    wanted = QLocale(language)
    same_language = wanted.language() == system.language()
    if same_language and ("_" not in language or wanted.territory() == system.territory()):
        return
    if "_" not in language and system.territory() != QLocale.Country.AnyCountry:
        kept = QLocale(wanted.language(), system.territory())
        if kept.language() == wanted.language() and kept.territory() == system.territory():
            wanted = kept
    QLocale.setDefault(wanted)
    global _region_from_system
    _region_from_system = True


def region() -> str:
    """The two-letter territory of the workstation's region ("AT"; "" when it has none),
    whatever language is spoken: where speak_locale set Qt's default for the language, the
    system's own (a language alone says nothing about the country: Spanish is spoken in
    Mexico too); else the default locale's (which tests may set)."""
    locale = QLocale.system() if _region_from_system else QLocale()
    _language, _sep, territory = locale.name().partition("_")
    return territory.upper() if len(territory) == 2 else ""


def options() -> list[tuple[str | None, str]]:
    """What Settings offers: "as the system" first, then each shipped language in its own
    name (svjournal.core.i18n.shipped)."""
    environ = {k: v for k, v in os.environ.items() if k != i18n.ENVIRONMENT}
    system = i18n.resolve(None, environ=environ, system=QLocale.system().name())
    system_name = i18n.LANGUAGES.get(system, system)
    # Translators: the first entry of the language list; {language} is in its own name.
    first = i18n.tr("As the system ({language})").format(language=system_name)
    return [(None, first)] + [(code, i18n.LANGUAGES[code]) for code in i18n.shipped()]
