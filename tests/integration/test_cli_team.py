"""`svjournal bundle export|import` and `svjournal team list|remove` end to end."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from svjournal import cli
from svjournal.core.journal import Journal
from svjournal.core.keyfile import KdfParams
from svjournal.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE

TEAM = "lantern orchard velvet compass"
FROM, TO = "2026-01-01", "2026-11-26"


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    # Vault creation calibrates the KDF; tests use the RFC floor. Bundles keep the real cost.
    monkeypatch.setattr(KdfParams, "calibrated", classmethod(lambda cls, *a, **k: FAST_KDF))


def secret(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    return path


def run(*args: str | Path) -> int:
    return cli.main([str(a) for a in args])


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "pass": secret(tmp_path, "pass.txt", PASSPHRASE),
        "team": secret(tmp_path, "team.txt", TEAM),
        "wrong": secret(tmp_path, "wrong.txt", "another team passphrase entirely"),
    }


def supporter(tmp_path: Path, files: dict[str, Path], name: str, seed: int) -> Path:
    vault = tmp_path / name
    opts = ("--vault", vault, "--passphrase-file", files["pass"])
    assert run("demo", *opts, "--cases", "30", "--seed", seed, "--today", "2026-11-20") == 0
    bundle = tmp_path / f"{name}.svjbundle"
    assert (
        run(
            "bundle",
            "export",
            *opts,
            "--from",
            FROM,
            "--to",
            TO,
            "-o",
            bundle,
            "--team-passphrase-file",
            files["team"],
        )
        == 0
    )
    return bundle


def test_three_supporters_export_and_the_coordinator_merges(
    tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    bundles = [supporter(tmp_path, files, f"s{n}", n) for n in (1, 2, 3)]
    out = capsys.readouterr().out
    assert out.count("Wrote the team bundle for 2026-01-01 to 2026-11-26") == 3
    if os.name == "posix":
        assert all(b.stat().st_mode & 0o777 == 0o600 for b in bundles)
    with Vault.open(tmp_path / "s1") as vault:
        vault.unlock(PASSPHRASE)
        [entry] = Journal(vault.engine).export_log()
    assert entry.kind == "team_bundle" and entry.records and entry.records > 0

    coordinator = ("--vault", tmp_path / "coord", "--passphrase-file", files["pass"])
    assert run("init", *coordinator) == 0
    capsys.readouterr()
    assert (
        run("bundle", "import", *bundles, *coordinator, "--team-passphrase-file", files["team"])
        == 0
    )
    out = capsys.readouterr().out
    assert out.count(": imported ") == 3 and out.count(" records (supporter ") == 3
    assert "3 files: 3 imported, 0 nothing to add, 0 already imported, 0 refused." in out

    assert run("team", "list", *coordinator) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].split()[:3] == ["supporter", "label", "periods"]
    assert len(listing) == 4
    assert all(f"{FROM} to {TO}" in line for line in listing[1:])

    # Again: idempotent.
    assert (
        run("bundle", "import", bundles[0], *coordinator, "--team-passphrase-file", files["team"])
        == 0
    )
    assert f"{bundles[0]}: already imported (supporter " in capsys.readouterr().out

    # The coordinator's leadership report over everyone's data: de-identified, merged.
    report = tmp_path / "leaders.pdf"
    assert run("report", "--team", *coordinator, "--from", FROM, "--to", TO, "-o", report) == 0
    assert "(Team: 3 supporters; PDF" in capsys.readouterr().out
    text = "\n".join(page.extract_text() for page in PdfReader(report).pages)
    assert "Team: 3 supporters" in text and "Median days to first contact" in text
    for name in ("s1", "s2", "s3"):
        with Vault.open(tmp_path / name) as vault:
            vault.unlock(PASSPHRASE)
            aliases = [c.alias for c in Journal(vault.engine).list_cases()]
        assert aliases and not any(alias in text for alias in aliases)

    ident = listing[1].split()[0]
    assert run("team", "remove", ident.lower(), *coordinator, "--yes") == 0
    assert f"Removed supporter {ident}" in capsys.readouterr().out
    assert run("team", "list", *coordinator) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_a_team_report_needs_bundles(
    tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    coordinator = ("--vault", tmp_path / "coord", "--passphrase-file", files["pass"])
    assert run("init", *coordinator) == 0
    capsys.readouterr()
    out = tmp_path / "r.pdf"
    assert run("report", "--team", *coordinator, "--from", FROM, "--to", TO, "-o", out) == 1
    assert "no team bundles imported yet" in capsys.readouterr().err
    assert not out.exists()


def test_bad_files_are_reported_per_file_and_nothing_is_taken_from_them(
    tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    good = supporter(tmp_path, files, "s1", 1)
    truncated = tmp_path / "cut.svjbundle"
    truncated.write_bytes(good.read_bytes()[:-7])
    foreign = tmp_path / "notes.txt"
    foreign.write_text("hello", encoding="utf-8")
    coordinator = ("--vault", tmp_path / "coord", "--passphrase-file", files["pass"])
    assert run("init", *coordinator) == 0
    capsys.readouterr()

    code = run(
        "bundle", "import", truncated, foreign, tmp_path / "missing.svjbundle", *coordinator,
        "--team-passphrase-file", files["team"],
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 1
    assert f"{truncated}: refused: The file is truncated" in out
    assert f"{foreign}: refused: This is not a team bundle" in out
    assert "missing.svjbundle: refused: Cannot read" in out
    assert "3 files: 0 imported, 0 nothing to add, 0 already imported, 3 refused" in out

    assert (
        run("bundle", "import", good, *coordinator, "--team-passphrase-file", files["wrong"]) == 1
    )
    assert "The passphrase does not open this file" in capsys.readouterr().out
    assert run("team", "list", *coordinator) == 0
    assert "No team data yet" in capsys.readouterr().out


def test_a_batch_goes_on_past_bad_files_and_an_empty_bundle_adds_nothing(
    tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 12: an empty bundle used to end the whole import with a traceback."""
    first, second = supporter(tmp_path, files, "s1", 1), supporter(tmp_path, files, "s2", 2)
    newcomer = ("--vault", tmp_path / "new", "--passphrase-file", files["pass"])
    assert run("init", *newcomer) == 0
    empty = tmp_path / "empty.svjbundle"
    team = ("--team-passphrase-file", files["team"])
    assert run("bundle", "export", *newcomer, "--from", FROM, "--to", TO, "-o", empty, *team) == 0
    truncated = tmp_path / "cut.svjbundle"
    truncated.write_bytes(first.read_bytes()[: len(first.read_bytes()) // 2])
    foreign = tmp_path / "chart.png"
    foreign.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    coordinator = ("--vault", tmp_path / "coord", "--passphrase-file", files["pass"])
    assert run("init", *coordinator) == 0

    # The empty bundle alone: nothing to add, and that is no failure.
    capsys.readouterr()
    assert run("bundle", "import", empty, *coordinator, *team) == 0
    captured = capsys.readouterr()
    assert f"{empty}: nothing to add (supporter " in captured.out
    assert "the bundle holds no records" in captured.out
    assert "Traceback" not in captured.err

    code = run("bundle", "import", first, truncated, foreign, empty, second, *coordinator, *team)
    captured = capsys.readouterr()
    assert code == 1  # a file was refused
    lines = captured.out.splitlines()
    assert [line.split(": ", 1)[0] for line in lines[:5]] == [
        str(p) for p in (first, truncated, foreign, empty, second)
    ]
    assert lines[0].startswith(f"{first}: imported ")
    assert lines[1].startswith(f"{truncated}: refused: The file is truncated")
    assert lines[2].startswith(f"{foreign}: refused: This is not a team bundle")
    assert lines[3].startswith(f"{empty}: already imported (supporter ")
    assert lines[4].startswith(f"{second}: imported ")
    assert lines[5] == (
        "5 files: 2 imported, 0 nothing to add, 1 already imported, 2 refused; "
        "nothing was taken from the refused ones."
    )
    assert "Traceback" not in captured.err
    assert run("team", "list", *coordinator) == 0
    assert len(capsys.readouterr().out.splitlines()) == 4  # header and three supporters


def test_usage_mistakes(
    tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    vault = ("--vault", tmp_path / "v", "--passphrase-file", files["pass"])
    assert run("init", *vault) == 0
    team = ("--team-passphrase-file", files["team"])
    assert (
        run("bundle", "export", *vault, "--from", TO, "--to", FROM, "-o", tmp_path / "b", *team)
        == 1
    )
    assert "--to is before --from" in capsys.readouterr().err
    assert run("bundle", "export", *vault, "--from", "26/11/2026", "--to", TO, "-o", "b") == 2
    assert run("bundle", "export", *vault, "--from", FROM, "-o", tmp_path, *team) == 1
    assert "give both --from and --to, or neither" in capsys.readouterr().err
    missing = tmp_path / "nowhere" / "b.svjbundle"
    assert run("bundle", "export", *vault, "--from", FROM, "--to", TO, "-o", missing, *team) == 1
    assert "does not exist" in capsys.readouterr().err
    weak = secret(tmp_path, "weak.txt", "team")
    code = run(
        "bundle", "export", *vault, "--from", FROM, "--to", TO, "-o", tmp_path,
        "--team-passphrase-file", weak,
    )  # fmt: skip
    assert code == 1
    assert "too easy to guess" in capsys.readouterr().err
    assert list(tmp_path.glob("*.svjbundle")) == []
    assert run("team", "remove", "nope", *vault, "--yes") == 1
    assert "is not a supporter ID" in capsys.readouterr().err
    assert run("team", "remove", "AAAAA-BBBBB", *vault, "--yes") == 1
    assert "No supporter with id AAAAA-BBBBB" in capsys.readouterr().err
    assert run("bundle") == 2


def test_bundle_export_defaults_to_the_previous_calendar_quarter(
    tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    vault = ("--vault", tmp_path / "v", "--passphrase-file", files["pass"])
    assert run("demo", *vault, "--cases", "20", "--seed", "3", "--today", "2026-11-20") == 0
    team = ("--team-passphrase-file", files["team"])
    assert run("bundle", "export", *vault, "--today", "2026-11-26", "-o", tmp_path, *team) == 0
    assert "Wrote the team bundle for 2026-07-01 to 2026-09-30" in capsys.readouterr().out
