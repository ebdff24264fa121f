"""The per-user list of journals the lock screen offers: labels and paths only."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from svjournal.core import journals
from svjournal.core.errors import ValidationError
from svjournal.core.journals import JournalList, check_label


def test_opened_puts_the_journal_first_and_keeps_its_label(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        folder.mkdir()
    known = JournalList(tmp_path / "config")
    known.opened(a, "Sam")
    known.opened(b, "  Robin  ")
    assert [(e.path, e.label) for e in known.entries()] == [(b, "Robin"), (a, "Sam")]
    known.opened(a)  # reopened without a new label: the label stays
    assert [(e.path, e.label) for e in known.entries()] == [(a, "Sam"), (b, "Robin")]
    assert known.label_of(b) == "Robin"
    assert [e.label for e in known.others(a)] == ["Robin"]


def test_the_file_holds_labels_and_paths_only_and_is_private(tmp_path: Path) -> None:
    known = JournalList(tmp_path / "config")
    known.opened(tmp_path / "a", "Sam")
    data = json.loads(known.file.read_text(encoding="utf-8"))
    assert data == {"journals": [{"label": "Sam", "path": str((tmp_path / "a").resolve())}]}
    assert stat.S_IMODE(known.file.stat().st_mode) == 0o600


def test_set_label_and_forget(tmp_path: Path) -> None:
    known = JournalList(tmp_path)
    known.set_label(tmp_path / "a", "First")
    known.opened(tmp_path / "b")
    known.set_label(tmp_path / "a", "Renamed")
    assert known.label_of(tmp_path / "a") == "Renamed"
    assert known.label_of(tmp_path / "b") == ""
    known.forget(tmp_path / "a")
    assert [e.path for e in known.entries()] == [(tmp_path / "b").resolve()]


def test_others_leaves_out_folders_that_are_gone(tmp_path: Path) -> None:
    known = JournalList(tmp_path / "config")
    (tmp_path / "kept").mkdir()
    known.opened(tmp_path / "kept", "Kept")
    known.opened(tmp_path / "gone", "Gone")
    assert [e.label for e in known.others(tmp_path / "current")] == ["Kept"]


@pytest.mark.parametrize("content", ["{", '{"journals": 3}', "[]", '{"journals": [7]}'])
def test_a_damaged_list_reads_as_empty_and_is_rewritten(tmp_path: Path, content: str) -> None:
    known = JournalList(tmp_path)
    known.file.write_text(content, encoding="utf-8")
    assert known.entries() == []
    known.opened(tmp_path / "a", "A")
    assert [e.label for e in known.entries()] == ["A"]


def test_labels_are_one_short_line() -> None:
    assert check_label("  Sam  ") == "Sam"
    with pytest.raises(ValidationError):
        check_label("x" * 41)
    with pytest.raises(ValidationError):
        check_label("two\nlines")


def test_the_list_is_kept_with_a_portable_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SVJOURNAL_CONFIG_DIR")
    monkeypatch.setenv("SVJOURNAL_PORTABLE_ROOT", str(tmp_path))
    (tmp_path / "portable").touch()
    assert journals.config_dir() == tmp_path / "svjournal-data"
    assert journals.new_journal_path().parent == tmp_path / "svjournal-data" / "journals"
    assert journals.new_journal_path() != journals.new_journal_path()
