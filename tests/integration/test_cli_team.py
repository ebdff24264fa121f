"""`svjournal team create|card|join|show|list|remove` and `bundle export|import` end to end."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from svjournal import cli
from svjournal.core import team_keys
from svjournal.core.journal import Journal
from svjournal.core.keyfile import KdfParams
from svjournal.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE

FROM, TO = "2026-01-01", "2026-11-26"
FINGERPRINT = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}")


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    # Vault creation calibrates the KDF; tests use the RFC floor.
    monkeypatch.setattr(KdfParams, "calibrated", classmethod(lambda cls, *a, **k: FAST_KDF))


def secret(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    return path


def run(*args: str | Path) -> int:
    return cli.main([str(a) for a in args])


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {"pass": secret(tmp_path, "pass.txt", PASSPHRASE)}


def opts(tmp_path: Path, files: dict[str, Path], name: str) -> tuple[str | Path, ...]:
    return ("--vault", tmp_path / name, "--passphrase-file", files["pass"])


@pytest.fixture
def coordinator(
    tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> tuple[str | Path, ...]:
    """A coordinator's journal with a team, and its card written to tmp_path/team.svjteam."""
    me = opts(tmp_path, files, "coord")
    assert run("init", *me) == 0
    assert run("team", "create", "--name", "Ward 7 peer support", *me) == 0
    created = capsys.readouterr().out
    assert run("team", "card", "-o", tmp_path / "team.svjteam", *me) == 0
    card = capsys.readouterr().out
    [fingerprint] = set(FINGERPRINT.findall(created))
    assert fingerprint in card and "Ward 7 peer support" in card
    return me


def fingerprint_of(tmp_path: Path, name: str) -> str:
    with Vault.open(tmp_path / name) as vault:
        vault.unlock(PASSPHRASE)
        return team_keys.own_fingerprint(vault.engine)


def supporter(
    tmp_path: Path, files: dict[str, Path], name: str, seed: int, *, demo: bool = True
) -> Path:
    me = opts(tmp_path, files, name)
    if demo:
        assert run("demo", *me, "--cases", "30", "--seed", seed, "--today", "2026-11-20") == 0
    else:
        assert run("init", *me) == 0
    assert run("team", "join", tmp_path / "team.svjteam", "--yes", *me) == 0
    bundle = tmp_path / f"{name}.svjbundle"
    assert run("bundle", "export", *me, "--from", FROM, "--to", TO, "-o", bundle) == 0
    return bundle


def test_three_supporters_join_export_and_the_coordinator_merges(
    tmp_path: Path,
    files: dict[str, Path],
    coordinator: tuple[str | Path, ...],
    capsys: pytest.CaptureFixture[str],
) -> None:
    bundles = [supporter(tmp_path, files, f"s{n}", n) for n in (1, 2, 3)]
    out = capsys.readouterr().out
    assert out.count("Joined team Ward 7 peer support. Your own fingerprint is ") == 3
    assert out.count("Wrote the team bundle for 2026-01 to 2026-11") == 3
    assert "Months only, no days" in out
    if os.name == "posix":
        assert all(b.stat().st_mode & 0o777 == 0o600 for b in bundles)
    with Vault.open(tmp_path / "s1") as vault:
        vault.unlock(PASSPHRASE)
        [entry] = Journal(vault.engine).export_log()
    assert entry.kind == "team_bundle" and entry.records and entry.records > 0

    # Not accepted yet (no terminal to ask at): every file refused, one line each.
    assert run("bundle", "import", *bundles, *coordinator) == 1
    out = capsys.readouterr().out
    assert out.count("signed by a supporter not accepted yet") == 3
    authors = [fingerprint_of(tmp_path, f"s{n}") for n in (1, 2, 3)]
    accept = [a for fp in authors for a in ("--accept", fp.lower())]
    assert run("bundle", "import", *bundles, *coordinator, *accept) == 0
    out = capsys.readouterr().out
    assert out.count(": imported ") == 3 and out.count(" records (supporter ") == 3
    assert "3 files: 3 imported, 0 nothing to add, 0 already imported, 0 refused." in out

    assert run("team", "list", *coordinator) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].split()[:4] == ["supporter", "label", "state", "months"]
    assert len(listing) == 4
    assert all("2026-01 to 2026-11" in line for line in listing[1:])
    assert {line.split()[0] for line in listing[1:]} == set(authors)

    # Again: idempotent, and no acceptance needed any more.
    assert run("bundle", "import", bundles[0], *coordinator) == 0
    assert f"{bundles[0]}: already imported (supporter " in capsys.readouterr().out

    # The coordinator's leadership report over everyone's data: de-identified, merged.
    report = tmp_path / "leaders.pdf"
    assert run("report", "--team", *coordinator, "--from", FROM, "--to", TO, "-o", report) == 0
    assert "(Team: 3 supporters; PDF" in capsys.readouterr().out
    text = "\n".join(page.extract_text() for page in PdfReader(report).pages)
    assert "Team: 3 supporters" in text
    # Bundles carry the minutes to first contact now: the wait is not rounded to days.
    assert "Median time to first contact" in text and "Median days" not in text
    for name in ("s1", "s2", "s3"):
        with Vault.open(tmp_path / name) as vault:
            vault.unlock(PASSPHRASE)
            aliases = [c.alias for c in Journal(vault.engine).list_cases()]
        assert aliases and not any(alias in text for alias in aliases)

    # Remove and revoke: their next bundle is refused.
    ident = authors[0]
    assert run("team", "remove", ident.lower(), *coordinator, "--yes") == 0
    assert f"Removed supporter {ident}" in capsys.readouterr().out
    assert run("team", "list", *coordinator) == 0
    assert "removed (key revoked)" in capsys.readouterr().out
    again = tmp_path / "again.svjbundle"
    s1 = opts(tmp_path, files, "s1")
    assert run("bundle", "export", *s1, "--from", FROM, "--to", TO, "-o", again) == 0
    capsys.readouterr()
    assert run("bundle", "import", again, *coordinator) == 1
    assert "revoked key" in capsys.readouterr().out


def test_team_show_and_a_coordinator_sends_merged_data_up(
    tmp_path: Path,
    files: dict[str, Path],
    coordinator: tuple[str | Path, ...],
    capsys: pytest.CaptureFixture[str],
) -> None:
    bundle = supporter(tmp_path, files, "s1", 1)
    assert (
        run("bundle", "import", bundle, *coordinator, "--accept", fingerprint_of(tmp_path, "s1"))
        == 0
    )
    national = opts(tmp_path, files, "national")
    assert run("init", *national) == 0
    assert run("team", "create", "--name", "National programme", *national) == 0
    assert run("team", "card", "-o", tmp_path / "national.svjteam", *national) == 0
    assert run("team", "join", tmp_path / "national.svjteam", "--yes", *coordinator) == 0
    capsys.readouterr()
    assert run("team", "show", *coordinator) == 0
    shown = capsys.readouterr().out
    assert "Your team: Ward 7 peer support" in shown and "Bundles go to: National" in shown
    up = tmp_path / "up.svjbundle"
    assert (
        run("bundle", "export", "--merged", *coordinator, "--from", FROM, "--to", TO, "-o", up) == 0
    )
    assert "(merged team data)" in capsys.readouterr().out
    me = fingerprint_of(tmp_path, "coord")
    assert run("bundle", "import", up, *national, "--accept", me) == 0
    assert "imported" in capsys.readouterr().out


def test_a_team_report_needs_bundles(
    tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    coordinator = opts(tmp_path, files, "coord")
    assert run("init", *coordinator) == 0
    capsys.readouterr()
    out = tmp_path / "r.pdf"
    assert run("report", "--team", *coordinator, "--from", FROM, "--to", TO, "-o", out) == 1
    assert "no team bundles imported yet" in capsys.readouterr().err
    assert not out.exists()


def test_a_batch_goes_on_past_bad_files_and_an_empty_bundle_adds_nothing(
    tmp_path: Path,
    files: dict[str, Path],
    coordinator: tuple[str | Path, ...],
    capsys: pytest.CaptureFixture[str],
) -> None:
    first, second = supporter(tmp_path, files, "s1", 1), supporter(tmp_path, files, "s2", 2)
    empty = supporter(tmp_path, files, "new", 3, demo=False)
    truncated = tmp_path / "cut.svjbundle"
    truncated.write_bytes(first.read_bytes()[: len(first.read_bytes()) // 2])
    foreign = tmp_path / "chart.png"
    foreign.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    accept = [
        a for name in ("s1", "s2", "new") for a in ("--accept", fingerprint_of(tmp_path, name))
    ]
    capsys.readouterr()
    assert run("bundle", "import", empty, *coordinator, *accept) == 0
    captured = capsys.readouterr()
    assert f"{empty}: nothing to add (supporter " in captured.out
    assert "the bundle holds no records" in captured.out

    missing = tmp_path / "missing.svjbundle"
    paths = (first, truncated, foreign, empty, missing, second)
    code = run("bundle", "import", *paths, *coordinator, *accept)
    captured = capsys.readouterr()
    assert code == 1
    lines = captured.out.splitlines()
    assert [line.split(": ", 1)[0] for line in lines[:6]] == [str(p) for p in paths]
    assert lines[0].startswith(f"{first}: imported ")
    assert lines[1].startswith(f"{truncated}: refused: The bundle is truncated")
    assert lines[2].startswith(f"{foreign}: refused: This is not a team bundle")
    assert lines[3].startswith(f"{empty}: already imported (supporter ")
    assert lines[4].startswith(f"{missing}: refused: Cannot read")
    assert lines[5].startswith(f"{second}: imported ")
    assert lines[6] == (
        "6 files: 2 imported, 0 nothing to add, 1 already imported, 3 refused; "
        "nothing was taken from the refused ones."
    )
    assert "Traceback" not in captured.err


def test_usage_mistakes(
    tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    vault = opts(tmp_path, files, "v")
    assert run("init", *vault) == 0
    capsys.readouterr()
    assert run("bundle", "export", *vault, "--from", FROM, "--to", TO, "-o", tmp_path) == 1
    assert "has not joined a team" in capsys.readouterr().err
    assert run("bundle", "export", *vault, "--from", TO, "--to", FROM, "-o", tmp_path) == 1
    assert "--to is before --from" in capsys.readouterr().err
    assert run("bundle", "export", *vault, "--from", "26/11/2026", "--to", TO, "-o", "b") == 2
    assert run("bundle", "export", *vault, "--from", FROM, "-o", tmp_path) == 1
    assert "give both --from and --to, or neither" in capsys.readouterr().err
    missing = tmp_path / "nowhere" / "b.svjbundle"
    assert run("bundle", "export", *vault, "--from", FROM, "--to", TO, "-o", missing) == 1
    assert "does not exist" in capsys.readouterr().err
    assert list(tmp_path.glob("*.svjbundle")) == []
    assert run("team", "card", "-o", tmp_path / "c", *vault) == 1
    assert "no team yet" in capsys.readouterr().err
    foreign = secret(tmp_path, "not-a-card.svjteam", "hello")
    assert run("team", "join", foreign, "--yes", *vault) == 1
    assert "not a svjournal team card" in capsys.readouterr().err
    assert run("team", "remove", "nope", *vault, "--yes") == 1
    assert "is not a supporter fingerprint" in capsys.readouterr().err
    assert run("team", "remove", "AAAA-BBBB-CCCC-DDDD", *vault, "--yes") == 1
    assert "No supporter with id AAAA-BBBB-CCCC-DDDD" in capsys.readouterr().err
    assert run("bundle") == 2


def test_bundle_export_defaults_to_the_previous_calendar_quarter(
    tmp_path: Path,
    files: dict[str, Path],
    coordinator: tuple[str | Path, ...],
    capsys: pytest.CaptureFixture[str],
) -> None:
    vault = opts(tmp_path, files, "v")
    assert run("demo", *vault, "--cases", "20", "--seed", "3", "--today", "2026-11-20") == 0
    assert run("team", "join", tmp_path / "team.svjteam", "--yes", *vault) == 0
    assert run("bundle", "export", *vault, "--today", "2026-11-26", "-o", tmp_path) == 0
    assert "Wrote the team bundle for 2026-07 to 2026-09" in capsys.readouterr().out
