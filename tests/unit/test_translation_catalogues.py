"""The catalogues stay in step with the source: extraction finds every marked string, an
update brings each language along, and the check refuses what could not ship."""

from __future__ import annotations

import ast
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from svjournal.core import i18n
from tools import translations

SOURCE = """
from svjournal.core.i18n import N_, ntr, ptr, tr

LABEL = N_("Moving on")


def show(n: int) -> str:
    # Translators: the count of follow-ups due today.
    return tr("Due today") + ntr("{n} follow-up", "{n} follow-ups", n) + ptr("verb", "Close")
"""


def _package(tmp_path: Path, source: str = SOURCE) -> Path:
    package = tmp_path / "pkg"
    package.mkdir(exist_ok=True)
    (package / "module.py").write_text(source, encoding="utf-8")
    return package


def _fill(path: Path, language: str, strings: dict[str, str | tuple[str, ...]]) -> None:
    with path.open("rb") as po:
        catalogue = read_po(po, locale=language)
    for message in catalogue:
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key in strings:
            message.string = strings[key]
    with path.open("wb") as out:
        write_po(out, catalogue)


def test_extraction_finds_every_marker_with_its_context_and_comment(tmp_path: Path) -> None:
    template = translations.extract(_package(tmp_path))
    found = {(m.id, m.context) for m in template if m.id}
    assert found == {
        ("Moving on", None),
        ("Due today", None),
        (("{n} follow-up", "{n} follow-ups"), None),
        ("Close", "verb"),
    }
    due = template.get("Due today")
    assert due is not None and due.auto_comments == ["the count of follow-ups due today."]


def test_a_catalogue_ships_only_when_complete(tmp_path: Path) -> None:
    root = tmp_path / "locale"
    template = translations.extract(_package(tmp_path))
    translations.update(template, root, languages=["de"])
    assert i18n.shipped(root) == ["en_US", "de"]
    problems = [str(p) for p in translations.check(template, root)]
    assert "de: untranslated 'Due today'" in problems and len(problems) == 4
    path = i18n.catalogue_path("de", root)
    _fill(
        path,
        "de",
        {
            "Moving on": "Weitergehen",
            "Due today": "Heute fällig",
            "{n} follow-up": ("{n} Nachgespräch", "{count} Nachgespräche"),
            "Close": "Schließen",
        },
    )
    assert [str(p) for p in translations.check(template, root)] == [
        "de: '{n} follow-up': placeholders differ in '{count} Nachgespräche'"
    ]
    _fill(path, "de", {"{n} follow-up": ("{n} Nachgespräch", "{n} Nachgespräche")})
    assert translations.check(template, root) == []
    german = i18n.translations_for("de", root)
    assert german.ngettext("{n} follow-up", "{n} follow-ups", 3) == "{n} Nachgespräche"
    assert german.pgettext("verb", "Close") == "Schließen"
    # The source says something new: the catalogue is behind until it is updated.
    changed = translations.extract(_package(tmp_path, SOURCE + '\nNEW = N_("Lock now")\n'))
    assert [str(p) for p in translations.check(changed, root)] == ["de: missing 'Lock now'"]
    translations.update(changed, root)
    assert [str(p) for p in translations.check(changed, root)] == ["de: untranslated 'Lock now'"]


def test_british_english_may_leave_what_it_says_the_same_way(tmp_path: Path) -> None:
    root = tmp_path / "locale"
    template = translations.extract(_package(tmp_path))
    translations.update(template, root, languages=["en_GB"])
    assert translations.check(template, root) == []
    assert i18n.translations_for("en_GB", root).gettext("Due today") == "Due today"


def test_the_shipped_catalogues_are_complete_and_in_step_with_the_source() -> None:
    assert translations.check(translations.extract()) == []


def test_widgets_never_use_qts_own_translator() -> None:
    """One catalogue for everything: `self.tr(...)` would look in Qt's, which is empty."""
    ui = Path(translations.PACKAGE) / "ui"
    offenders = []
    for path in ui.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "tr"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "self"
            ):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def _marked_literals(path: Path) -> list[tuple[str, int, str | None, str]]:
    """Every `tr`/`N_`/`ntr`/`ptr` call whose text is a literal: (file, line, context, text)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        name, args = node.func.id, node.args
        context = None
        if name == "ptr" and len(args) >= 2 and isinstance(args[0], ast.Constant):
            context, args = args[0].value, args[1:]
        elif name not in {"tr", "N_", "ntr"}:
            continue
        if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
            found.append((path.name, node.lineno, context, args[0].value))
    return found


def test_every_marked_string_reaches_the_catalogue() -> None:
    """Babel's extractor does not look inside an f-string on Python 3.11: a `tr('…')` there
    is marked in the source yet never reaches a translator, and shows in English."""
    template = translations.extract()
    extracted = {(_name(m.id), m.context) for m in template if m.id}
    missing = [
        f"{file}:{line} {text!r}"
        for path in Path(translations.PACKAGE).rglob("*.py")
        for file, line, context, text in _marked_literals(path)
        if (text, context) not in extracted
    ]
    assert missing == []


def _name(message_id: object) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]  # type: ignore[index]
