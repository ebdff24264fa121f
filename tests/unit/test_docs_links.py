"""Every relative link in the project's documents leads somewhere (issue 14 part 7).

The README once pointed readers at documents that were not in the repository. These tests read
every Markdown document a reader is sent to (README.md, CONTRIBUTING.md, CHANGELOG.md, the
other top-level *.md and docs/**/*.md) and fail on a relative link to a path that does not
exist, on an anchor that no heading of the target document makes, on a Markdown file named
in backticks (`docs/DOMAIN.md`) that is not there, and on a module or folder of the
repository named in backticks (`core/stats_sql.py`) that has moved or gone.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Documents that must exist: the README promises them and issue 14 asks for them.
REQUIRED = (
    "README.md",
    "CONTRIBUTING.md",
    "CHANGELOG.md",
    "docs/ARCHITECTURE.md",
    "docs/DOMAIN.md",
    "docs/SECURITY.md",
)

FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"`[^`\n]*`")
# [text](target) and ![alt](target); the target stops at whitespace (an optional "title" follows).
INLINE_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
# A Markdown file named in code, as a path a reader could open: `docs/DOMAIN.md`.
CODE_MD_PATH = re.compile(r"`((?:\.\.?/)?[\w./-]+\.md)(?:#[\w-]+)?`")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
# A file or folder of the repository named in code: `svjournal/core/db.py`, `tests/ui/`, or
# short for a module of the package, `core/db.py`, `reports/bundle*.py` (a glob).
TOP_FOLDERS = ("svjournal", "tests", "tools", "benchmarks", "docs", "requirements", "resources")
PACKAGE_FOLDERS = ("core", "ui", "charts", "reports", "operations", "cli")
CODE_REPO_PATH = re.compile(rf"`((?:{'|'.join(TOP_FOLDERS + PACKAGE_FOLDERS)})/[\w./*-]*)`")


def documents() -> list[Path]:
    found = sorted(ROOT.glob("*.md")) + sorted((ROOT / "docs").rglob("*.md"))
    return [path for path in found if path.is_file()]


def prose_lines(text: str) -> list[tuple[int, str]]:
    """The lines outside fenced code blocks, numbered from 1."""
    lines: list[tuple[int, str]] = []
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append((number, line))
    return lines


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its words
    text = text.replace("`", "").strip().lower()
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in " -_" or category[0] in "LN":
            kept.append(char)
    return "".join(kept).replace(" ", "-")


HTML_ANCHOR = re.compile(r"""<a\s+(?:id|name)=["']([^"']+)["']""")


def anchors(path: Path) -> set[str]:
    """Each heading's anchor, and those an `<a id=…>` makes (GitHub links to both)."""
    made: set[str] = set()
    seen: dict[str, int] = {}
    for _, line in prose_lines(path.read_text(encoding="utf-8")):
        made.update(HTML_ANCHOR.findall(line))
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        made.add(base if count == 0 else f"{base}-{count}")
    return made


def links(path: Path) -> list[tuple[int, str]]:
    """(line, target) for every link in the document's prose."""
    found: list[tuple[int, str]] = []
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        reference = REFERENCE_DEF.match(line)
        if reference:
            found.append((number, reference.group(1)))
        for match in INLINE_LINK.finditer(INLINE_CODE.sub("", line)):
            found.append((number, match.group(1)))
    return found


def broken_links(path: Path, root: Path = ROOT) -> list[str]:
    problems: list[str] = []
    for number, target in links(path):
        if EXTERNAL.match(target):
            continue
        where, _, anchor = target.partition("#")
        destination = (path.parent / where).resolve() if where else path
        name = f"{path.relative_to(root)}:{number}: {target}"
        if not destination.exists():
            problems.append(f"{name} (no such file)")
        elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
            problems.append(f"{name} (no heading makes #{anchor})")
    return problems


def missing_named_documents(path: Path, root: Path = ROOT) -> list[str]:
    problems: list[str] = []
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        for match in CODE_MD_PATH.finditer(line):
            named = match.group(1)
            # A path relative to the document, or to the repository root as commands are.
            if not ((path.parent / named).exists() or (root / named).exists()):
                problems.append(f"{path.relative_to(root)}:{number}: `{named}` does not exist")
    return problems


def missing_named_paths(path: Path, root: Path = ROOT) -> list[str]:
    """Repository paths named in a document's prose that no longer exist (a module moved)."""
    problems: list[str] = []
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        for match in CODE_REPO_PATH.finditer(line):
            named = match.group(1)
            where = named if named.split("/")[0] in TOP_FOLDERS else f"svjournal/{named}"
            if not any(root.glob(where.rstrip("/"))):
                problems.append(f"{path.relative_to(root)}:{number}: `{named}` does not exist")
    return problems


@pytest.mark.parametrize("name", REQUIRED)
def test_the_documents_exist(name: str) -> None:
    assert (ROOT / name).is_file(), f"{name} is missing"


@pytest.mark.parametrize("path", documents(), ids=lambda path: str(path.relative_to(ROOT)))
def test_relative_links_resolve(path: Path) -> None:
    assert broken_links(path) == []


@pytest.mark.parametrize("path", documents(), ids=lambda path: str(path.relative_to(ROOT)))
def test_named_documents_exist(path: Path) -> None:
    assert missing_named_documents(path) == []


@pytest.mark.parametrize("path", documents(), ids=lambda path: str(path.relative_to(ROOT)))
def test_named_repository_paths_exist(path: Path) -> None:
    assert missing_named_paths(path) == []


def test_the_checker_sees_broken_links(tmp_path: Path) -> None:
    """The checks themselves: a missing file, a missing anchor and a missing named document."""
    (tmp_path / "other.md").write_text(
        '# A heading, with words\n- <a id="src"></a>**A source**\n', encoding="utf-8"
    )
    doc = tmp_path / "doc.md"
    doc.write_text(
        "# Top\n"
        "[fine](other.md#a-heading-with-words) [self](#top) [web](https://example.org/x) "
        "[cited](other.md#src)\n"
        "[gone](missing.md) [no anchor](other.md#nowhere) ![pic](img/none.png)\n"
        "```\n[in code](not-checked.md)\n```\n"
        "`[inline](not-checked-either.md)` and `docs/NOT-THERE.md`\n"
        "`core/moved.py`, `core/here.py`, `core/h*.py`, `svjournal/core/`, `tests/gone/`\n",
        encoding="utf-8",
    )
    problems = broken_links(doc, root=tmp_path)
    named = missing_named_documents(doc, root=tmp_path)
    assert [problem.split(" (")[0] for problem in problems] == [
        "doc.md:3: missing.md",
        "doc.md:3: other.md#nowhere",
        "doc.md:3: img/none.png",
    ]
    assert named == ["doc.md:7: `docs/NOT-THERE.md` does not exist"]
    (tmp_path / "svjournal" / "core").mkdir(parents=True)
    (tmp_path / "svjournal" / "core" / "here.py").write_text("", encoding="utf-8")
    assert missing_named_paths(doc, root=tmp_path) == [
        "doc.md:7: `docs/NOT-THERE.md` does not exist",
        "doc.md:8: `core/moved.py` does not exist",
        "doc.md:8: `tests/gone/` does not exist",
    ]
