"""`svjournal --self-test`, run unfrozen: it passes here, so it can pass in the bundle."""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path

import keyring
import pytest

from svjournal import cli, selftest

SUMMARY = re.compile(r"^svjournal self-test: ok \((?P<steps>[^)]*)\) in \d+\.\d s$")


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The self-test's temporary folders land here, so the test can see they are gone."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_self_test_passes_and_prints_one_summary_line(private_tmp: Path) -> None:
    out = io.StringIO()

    assert selftest.run_self_test(out) == 0

    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    match = SUMMARY.match(lines[0])
    assert match, lines[0]
    steps = match["steps"].split(", ")
    assert steps[:3] == ["vault", "encounter", "keyring"]
    assert "12 charts" in steps
    assert any(re.fullmatch(r"pdf [1-9]\d* pages", step) for step in steps), steps
    assert steps[-3:-1] == ["backup", "restore"]
    assert "qt offscreen" in steps
    assert list(private_tmp.iterdir()) == []  # the throwaway vault is removed
    # The in-memory keyring is not left behind; what remains refuses everything.
    assert not isinstance(keyring.get_keyring(), selftest.MemoryKeyring)
    assert keyring.get_keyring().priority <= 0


def test_a_failing_step_is_named_in_one_line_and_returns_1(
    private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_backup(self: selftest.SelfTest) -> str:
        raise selftest.SelfTestFailed("backup header is empty")

    monkeypatch.setattr(selftest.SelfTest, "backup", broken_backup)
    # Keep the failing run short: the steps after the backup do not matter here.
    monkeypatch.setattr(selftest.SelfTest, "charts", lambda self: "0 charts")
    out = io.StringIO()

    assert selftest.run_self_test(out) == 1

    assert out.getvalue().splitlines() == [
        "svjournal self-test: FAILED at backup: SelfTestFailed: backup header is empty"
    ]
    assert list(private_tmp.iterdir()) == []  # cleaned up after a failure too


def test_png_size_rejects_what_is_not_a_png() -> None:
    with pytest.raises(selftest.SelfTestFailed):
        selftest.png_size(b"GIF89a" + bytes(30))
    header = selftest.PNG_SIGNATURE + b"\x00\x00\x00\rIHDR" + (620).to_bytes(4, "big")
    assert selftest.png_size(header + (360).to_bytes(4, "big")) == (620, 360)


def test_the_command_line_option_runs_the_self_test(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selftest, "run_self_test", lambda: 7)

    assert cli.main(["--self-test"]) == 7
