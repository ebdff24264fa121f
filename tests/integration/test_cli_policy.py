"""`svjournal policy`, and the CLI obeying the IT policy (remember, report threshold)."""

from __future__ import annotations

from pathlib import Path

import pytest

from svjournal.core.keyfile import KdfParams
from svjournal.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE, MemoryKeyring
from tests.integration.test_cli import run, secret_file

FORBID = "[remember]\nallowed = false\n[small_count]\nmin_threshold = 8\n"


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(KdfParams, "calibrated", classmethod(lambda cls, *a, **k: FAST_KDF))


@pytest.fixture
def pass_file(tmp_path: Path) -> Path:
    return secret_file(tmp_path, "pass.txt", PASSPHRASE)


def use_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("SVJOURNAL_POLICY_FILE", str(path))
    return path


def test_policy_without_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("policy") == 0
    out = capsys.readouterr().out
    assert "(none found)" in out
    assert "idle_lock:            not set" in out
    assert "remember:             allowed" in out


def test_policy_prints_each_value_and_its_origin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = use_policy(
        tmp_path,
        monkeypatch,
        '[programme_name]\nvalue = "Northside"\nlocked = true\n[idle_lock]\nmax_minutes = 10\n'
        "[retention]\nmonths = 24\n" + FORBID,
    )
    assert run("policy") == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    lines = {line.split(":", 1)[0]: line for line in captured.out.splitlines()}
    assert f"{path} (read)" in lines["policy file"]
    assert "'Northside', locked" in lines["programme_name"]
    assert f"[policy file {path}]" in lines["programme_name"]
    assert "at most 10 minutes" in lines["idle_lock"]
    assert "forbidden" in lines["remember"]
    assert "at least 8" in lines["small_count"]
    assert "24 months" in lines["retention"]
    assert "not set" in lines["departments"]


def test_policy_journal_shows_effective_settings_and_origins(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pass_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    vault = tmp_path / "v"
    assert run("init", "--vault", vault, "--passphrase-file", pass_file) == 0
    use_policy(tmp_path, monkeypatch, "[idle_lock]\nmax_minutes = 3\n")
    capsys.readouterr()
    assert run("policy", "--journal", "--vault", vault, "--passphrase-file", pass_file) == 0
    out = capsys.readouterr().out
    idle = next(line for line in out.splitlines() if "Lock after:" in line)
    assert "3" in idle and "(at most 3)" in idle and "policy file" in idle
    threshold = next(line for line in out.splitlines() if "Hide counts below:" in line)
    assert "5" in threshold and "[default]" in threshold
    kept = next(line for line in out.splitlines() if "De-identify closed cases" in line)
    assert "off" in kept and "[default]" in kept


def test_malformed_policy_warns_in_one_line_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = use_policy(tmp_path, monkeypatch, "[idle_lock]\nmax_minutes = 'ten'\n")
    assert run("policy") == 1
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert err.count("\n") == 0
    assert err.startswith("svjournal: warning: The IT policy file") and str(path) in err
    assert "strictest reading" in err
    assert "exactly 1 minute " in captured.out and "forbidden" in captured.out


def test_remember_under_a_forbidding_policy_fails_with_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pass_file: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    vault = tmp_path / "v"
    assert run("init", "--vault", vault, "--passphrase-file", pass_file) == 0
    use_policy(tmp_path, monkeypatch, FORBID)
    capsys.readouterr()
    assert run("remember", "--vault", vault, "--passphrase-file", pass_file) == 1
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0
    assert "turned off by your IT department's policy" in err
    assert memory_keyring.entries == {}


def test_init_remember_is_refused_before_a_journal_is_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pass_file: Path
) -> None:
    use_policy(tmp_path, monkeypatch, FORBID)
    vault = tmp_path / "v"
    assert run("init", "--remember", "--vault", vault, "--passphrase-file", pass_file) == 1
    assert not Vault.exists(vault)


def test_remember_in_portable_use_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pass_file: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    vault = tmp_path / "v"
    assert run("init", "--vault", vault, "--passphrase-file", pass_file) == 0
    (tmp_path / "portable").touch()
    monkeypatch.setenv("SVJOURNAL_PORTABLE_ROOT", str(tmp_path))
    capsys.readouterr()
    assert run("remember", "--vault", vault, "--passphrase-file", pass_file) == 1
    assert "portable use" in capsys.readouterr().err
    assert memory_keyring.entries == {}


def test_report_threshold_below_the_policy_floor_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pass_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    vault = tmp_path / "v"
    assert run("init", "--vault", vault, "--passphrase-file", pass_file) == 0
    use_policy(tmp_path, monkeypatch, FORBID)
    out = tmp_path / "r.csv"
    args = ("report", "--vault", vault, "--passphrase-file", pass_file, "-o", out)
    dates = ("--from", "2026-01-01", "--to", "2026-03-31")
    assert run(*args, *dates, "--threshold", "5") == 1
    assert "at least 8" in capsys.readouterr().err
    assert not out.exists()
    assert run(*args, *dates) == 0  # the journal's threshold, raised to 8
    assert "counts below 8 hidden" in capsys.readouterr().out


def test_policy_names_portable_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "portable").touch()
    monkeypatch.setenv("SVJOURNAL_PORTABLE_ROOT", str(tmp_path))
    assert run("policy") == 0
    lines = {line.split(":", 1)[0]: line for line in capsys.readouterr().out.splitlines()}
    assert str(tmp_path / "portable") in lines["portable use"]
    assert "forbidden [portable use]" in lines["remember"]
