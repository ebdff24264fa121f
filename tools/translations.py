"""The translation catalogues: extract the marked strings, bring each language up to date, check.

    python -m tools.translations update   # (make translations) every catalogue in step
    python -m tools.translations check    # in step with the source, nothing left untranslated
    python -m tools.translations todo de --out todo.json   # what de still lacks, as JSON
    python -m tools.translations fill de done.json         # put translations (same shape) in

Extraction reads every module of svjournal/ with Babel's Python extractor and the
project's markers (`tr`, `ntr`, `ptr`, `N_`; see svjournal/core/i18n.py) into a template
kept in memory (a .pot file in the repository would only differ by its date); each
language's catalogue is svjournal/locale/<language>/LC_MESSAGES/svjournal.po and is shipped
only when it is complete.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from svjournal.core import i18n

PACKAGE = Path(__file__).resolve().parents[1] / "svjournal"
KEYWORDS = {"tr": None, "N_": None, "ntr": (1, 2), "ptr": ((1, "c"), 2)}
# en_GB says most things as US English does: an empty entry there means "the same".
SAME_AS_SOURCE_ALLOWED = {"en_GB"}


def extract(package: Path = PACKAGE) -> Catalog:
    """Every marked string of the package, with where it is used and its translator comment."""
    template = Catalog(project="svjournal", domain=i18n.DOMAIN, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        package,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        template.add(
            message,
            None,
            [(f"svjournal/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return template


def catalogues(root: Path | None = None) -> dict[str, Path]:
    """The languages that have a catalogue, by code."""
    return {
        code: i18n.catalogue_path(code, root)
        for code in i18n.LANGUAGES
        if i18n.catalogue_path(code, root).exists()
    }


def update(template: Catalog, root: Path | None = None, languages: list[str] | None = None) -> None:
    """Bring each catalogue (and any language asked for) in step with the template."""
    wanted = set(catalogues(root)) | set(languages or ())
    for code in sorted(wanted):
        path = i18n.catalogue_path(code, root)
        if path.exists():
            with path.open("rb") as po:
                catalogue = read_po(po, locale=code)
        else:
            catalogue = Catalog(locale=code, domain=i18n.DOMAIN, project="svjournal")
        catalogue.update(template, no_fuzzy_matching=True)
        catalogue.obsolete.clear()  # what the source no longer says is dropped, not kept
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(catalogue, path)


@dataclass(frozen=True)
class Problem:
    language: str
    message: str

    def __str__(self) -> str:
        return f"{self.language}: {self.message}"


def check(template: Catalog, root: Path | None = None) -> list[Problem]:
    """What keeps a catalogue from shipping: a string the source marks that it lacks or
    leaves untranslated (or fuzzy), a plural without every form its language needs, a
    translation that drops or adds a placeholder, or an entry the source no longer has."""
    problems: list[Problem] = []
    wanted = {(_name(m.id), m.context) for m in template if m.id}
    for code, path in catalogues(root).items():
        with path.open("rb") as po:
            catalogue = read_po(po, locale=code)
        have = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in catalogue if m.id}
        problems += [Problem(code, f"missing {key[0]!r}") for key in sorted(wanted - have, key=str)]
        problems += [
            Problem(code, f"no longer used {key[0]!r}") for key in sorted(have - wanted, key=str)
        ]
        for message in catalogue:
            if not message.id:
                continue
            problems += [Problem(code, p) for p in _entry_problems(code, catalogue, message)]
    return problems


def _entry_problems(code: str, catalogue: Catalog, message: object) -> list[str]:
    from babel.messages.catalog import Message

    assert isinstance(message, Message)
    name = _name(message.id)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    if message.fuzzy:
        return [f"fuzzy {name!r}"]
    if not any(strings):
        return [] if code in SAME_AS_SOURCE_ALLOWED else [f"untranslated {name!r}"]
    problems = []
    if isinstance(message.id, tuple) and len([s for s in strings if s]) < catalogue.num_plurals:
        problems.append(f"{name!r} needs {catalogue.num_plurals} plural forms")
    fields = _fields(message.id)
    for string in strings:
        if string and _fields(string) != fields:
            problems.append(f"{name!r}: placeholders differ in {string!r}")
    return problems


def _name(message_id: object) -> str:
    """An entry's English (a plural entry's singular)."""
    if isinstance(message_id, str):
        return message_id
    assert isinstance(message_id, (tuple, list))
    return str(message_id[0])


def _fields(text: object) -> set[str]:
    """The placeholders a translation must keep (markup may move, so it is not compared)."""
    assert isinstance(text, (str, tuple, list))
    texts = [text] if isinstance(text, str) else [str(t) for t in text]
    found = {m.group(0) for t in texts for m in i18n._KEEP.finditer(t)}
    return {field for field in found if not field.startswith("<")}


def _write(catalogue: Catalog, path: Path) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("wb") as out:
        write_po(out, catalogue, width=100, sort_output=False, omit_header=False)
    tmp.replace(path)


def todo(code: str, root: Path | None = None) -> list[dict[str, object]]:
    """The entries of `code`'s catalogue still untranslated or fuzzy, for a translator:
    the English, its context, translator comments, where it is used and the plural forms
    the language needs (`forms`); fill in `translation` (a list of `forms` strings for a
    plural entry) and give the list back to `fill`."""
    catalogue = _read(code, root)
    wanted: list[dict[str, object]] = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not message.fuzzy and all(strings) and _entry_problems(code, catalogue, message) == []:
            continue
        plural = isinstance(message.id, tuple)
        wanted.append(
            {
                "id": list(message.id) if plural else message.id,
                "context": message.context,
                "comments": list(message.auto_comments),
                "where": sorted({f"{f}:{n}" for f, n in message.locations})[:3],
                "forms": catalogue.num_plurals if plural else 1,
                "translation": list(strings) if plural else (strings[0] or ""),
            }
        )
    return wanted


def fill(code: str, entries: list[dict[str, object]], root: Path | None = None) -> int:
    """Write translations given in `todo`'s shape into `code`'s catalogue; the number
    written. An entry whose English the catalogue no longer has is an error (SystemExit)."""
    catalogue = _read(code, root)
    written = 0
    for entry in entries:
        key = entry["id"]
        message_id = tuple(key) if isinstance(key, list) else key
        context = entry.get("context")
        message = catalogue.get(message_id, context=context)  # type: ignore[arg-type]
        if message is None:
            raise SystemExit(f"{code}: no entry {key!r} (context {context!r})")
        translation = entry.get("translation")
        if isinstance(message.id, tuple):
            if not isinstance(translation, list):
                raise SystemExit(f"{code}: {key!r} is a plural entry: give a list of forms")
            message.string = tuple(str(t) for t in translation)
        else:
            if not isinstance(translation, str):
                raise SystemExit(f"{code}: {key!r} needs one string")
            message.string = translation
        message.flags.discard("fuzzy")
        written += 1
    _write(catalogue, i18n.catalogue_path(code, root))
    return written


def _read(code: str, root: Path | None = None) -> Catalog:
    path = i18n.catalogue_path(code, root)
    if not path.exists():
        raise SystemExit(f"no catalogue for {code}: make translations ADD={code}")
    with path.open("rb") as po:
        return read_po(po, locale=code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("update", "check", "todo", "fill"))
    parser.add_argument("language", nargs="?", help="todo/fill: the catalogue's language")
    parser.add_argument("file", nargs="?", help="fill: the JSON of translations")
    parser.add_argument(
        "--add", action="append", default=[], metavar="LANG", help="start a catalogue for LANG"
    )
    parser.add_argument("--out", help="todo: write the JSON here (default: print it)")
    args = parser.parse_args(argv)
    if args.action in ("todo", "fill"):
        if not args.language or (args.action == "fill" and not args.file):
            parser.error(
                f"{args.action} needs a language" + (" and a file" if args.action == "fill" else "")
            )
        code = i18n.normalise(args.language)
        if args.action == "todo":
            text = json.dumps(todo(code), ensure_ascii=False, indent=1)
            if args.out:
                Path(args.out).write_text(text + "\n", encoding="utf-8")
            else:
                print(text)
            return 0
        entries = json.loads(Path(args.file).read_text(encoding="utf-8"))
        print(f"{fill(code, entries)} entries written to {code}")
        return 0
    template = extract()
    if args.action == "update":
        update(template, languages=[i18n.normalise(code) for code in args.add])
        print(f"{len(template)} strings; catalogues: {', '.join(catalogues()) or 'none yet'}")
        return 0
    problems = check(template)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
