"""Translations: one gettext catalogue approach for every layer, plural forms, the pseudo-locale,
which language is spoken, and per-thread languages for reports."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from hypothesis import given
from hypothesis import strategies as st

from svjournal.core import i18n


@pytest.fixture(autouse=True)
def _source_language() -> Iterator[None]:
    yield
    i18n.use(i18n.SOURCE)


def _catalogue(root: Path, language: str, entries: dict[object, object]) -> None:
    catalogue = Catalog(locale=language, domain=i18n.DOMAIN)
    for msgid, msgstr in entries.items():
        catalogue.add(msgid, msgstr)
    path = i18n.catalogue_path(language, root)
    path.parent.mkdir(parents=True)
    with path.open("wb") as out:
        write_po(out, catalogue)


def test_the_source_language_reads_no_catalogue() -> None:
    assert i18n.current() == i18n.SOURCE
    assert i18n.tr("Back up now") == "Back up now"
    assert i18n.ntr("{n} follow-up", "{n} follow-ups", 1) == "{n} follow-up"
    assert i18n.ntr("{n} follow-up", "{n} follow-ups", 2) == "{n} follow-ups"
    assert i18n.N_("Moving on") == "Moving on"


def test_a_catalogue_translates_with_the_languages_plural_rules(tmp_path: Path) -> None:
    _catalogue(
        tmp_path,
        "fr",
        {
            "Back up now": "Sauvegarder maintenant",
            # CLDR's French has three forms: one (0, 1), many (a million), other.
            ("{n} follow-up", "{n} follow-ups"): ("{n} suivi", "{n} de suivis", "{n} suivis"),
        },
    )
    french = i18n.translations_for("fr", tmp_path)
    assert french.gettext("Back up now") == "Sauvegarder maintenant"
    # French counts 0 and 1 as singular; English says "0 follow-ups".
    forms = [french.ngettext("{n} follow-up", "{n} follow-ups", n) for n in (0, 1, 2, 10**6)]
    assert forms == ["{n} suivi", "{n} suivi", "{n} suivis", "{n} de suivis"]
    assert french.gettext("Not in the catalogue") == "Not in the catalogue"


def test_a_report_speaks_its_own_language_in_its_own_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _catalogue(tmp_path, "de", {"Follow-ups kept": "Eingehaltene Nachgespräche"})
    monkeypatch.setattr(i18n, "CATALOGUES", tmp_path)
    seen: dict[str, str] = {}

    def report() -> None:
        with i18n.speaking("de"):
            seen["report"] = i18n.tr("Follow-ups kept")
            seen["language"] = i18n.current()
        seen["after"] = i18n.tr("Follow-ups kept")

    worker = threading.Thread(target=report)
    worker.start()
    seen["window"] = i18n.tr("Follow-ups kept")
    worker.join()
    assert seen == {
        "report": "Eingehaltene Nachgespräche",
        "language": "de",
        "after": "Follow-ups kept",
        "window": "Follow-ups kept",
    }


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("de_AT.UTF-8", "de"),
        ("de-CH", "de"),
        ("pt-BR", "pt_BR"),
        ("pt_PT", "pt_BR"),
        ("en_AU.UTF-8", "en_GB"),
        ("en", "en_US"),
        ("en_CA", "en_US"),
        ("es_MX", "es"),
        ("nl_BE", "nl"),
        ("fr_BE@euro", "fr"),
        ("en-XA", "en_XA"),
    ],
)
def test_os_locales_map_to_the_nearest_shipped_language(code: str, expected: str) -> None:
    assert i18n.normalise(code) == expected


def test_which_language_is_spoken() -> None:
    env = {"LANG": "de_DE.UTF-8"}
    assert i18n.resolve(environ=env) == "de"
    assert i18n.resolve("fr", environ=env) == "fr"  # the user's choice beats the OS
    assert i18n.resolve("fr", policy="es", environ=env) == "es"  # a policy beats both
    assert i18n.resolve(environ={**env, "SVJOURNAL_LANG": "it"}) == "it"
    # An OS locale without a catalogue falls back to US English; LANGUAGE lists preferences.
    assert i18n.resolve(environ={"LANG": "ja_JP.UTF-8"}) == "en_US"
    assert i18n.resolve(environ={"LANGUAGE": "ja:nl", "LANG": "ja_JP"}) == "nl"
    assert i18n.resolve(environ={"LANG": "C"}, system="pt_BR") == "pt_BR"
    assert i18n.resolve(environ={}) == "en_US"
    with pytest.raises(i18n.UnknownLanguage, match="Unknown language 'xx'"):
        i18n.resolve("xx", environ={})


def test_the_pseudo_locale_lengthens_and_accents_but_keeps_placeholders() -> None:
    text = "Save {n} follow-ups for %(alias)s <b>now</b> &amp; later"
    shown = i18n.pseudo(text)
    assert shown.startswith("[") and shown.endswith("]")
    assert len(shown) >= len(text) * 1.4
    for kept in ("{n}", "%(alias)s", "<b>", "</b>", "&amp;"):
        assert kept in shown
    assert "Save" not in shown and "Šåṽé" in shown
    assert shown.replace("{n}", "3") != shown  # still a format string
    i18n.use(i18n.PSEUDO)
    assert i18n.tr("Lock") == i18n.pseudo("Lock")
    assert i18n.ntr("{n} case", "{n} cases", 2).format(n=2).startswith("[2 çåšéš")


@given(st.text(max_size=60))
def test_pseudo_keeps_every_format_field(text: str) -> None:
    fields = [m.group(0) for m in i18n._KEEP.finditer(text)]
    shown = i18n.pseudo(text)
    assert [m.group(0) for m in i18n._KEEP.finditer(shown)][: len(fields)] == fields
    assert shown.count("\n") == text.count("\n")


def test_an_unknown_language_is_refused_in_one_line() -> None:
    with pytest.raises(i18n.UnknownLanguage) as raised:
        i18n.use("klingon")
    assert "\n" not in str(raised.value) and "en_US" in str(raised.value)


def test_the_source_language_does_not_import_babel() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from svjournal.core import i18n; i18n.use('en_US'); i18n.tr('x');"
        "print('babel' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_pseudo_padding_wraps_like_words() -> None:
    shown = i18n.pseudo("word " * 40)
    assert max(len(w) for w in shown.split()) <= 7  # no unbreakable run of tildes
    assert len(shown) >= len("word " * 40) * 1.4
