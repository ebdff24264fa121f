"""The `svjournal` command line: each command, its errors, and its exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from svjournal import cli
from svjournal.core.journal import Journal
from svjournal.core.keyfile import KdfParams
from svjournal.core.schema import head_revision
from svjournal.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    # The CLI calibrates the KDF; tests use the RFC floor to stay quick.
    monkeypatch.setattr(KdfParams, "calibrated", classmethod(lambda cls, *a, **k: FAST_KDF))


def secret_file(tmp_path: Path, name: str, text: str, newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes((text + newline).encode("utf-8"))
    return path


@pytest.fixture
def pass_file(tmp_path: Path) -> Path:
    return secret_file(tmp_path, "pass.txt", PASSPHRASE)


def run(*args: str | Path) -> int:
    return cli.main([str(a) for a in args])


def test_init_then_check_exit_zero(
    tmp_path: Path, pass_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "v"
    assert run("init", "--vault", vault, "--passphrase-file", pass_file) == 0
    out = capsys.readouterr().out
    recovery_line = next(line.strip() for line in out.splitlines() if line.count("-") == 5)
    assert len(recovery_line) == 35
    assert run("check", "--vault", vault, "--passphrase-file", pass_file) == 0
    out = capsys.readouterr().out
    assert "SQLCipher 4." in out
    assert "cipher integrity:   ok" in out
    head = head_revision()  # a new journal is created at the newest migration
    assert f"schema version:     {head} (expected {head})" in out
    assert "result:             OK" in out


def test_passphrase_file_ignores_exactly_one_trailing_newline(tmp_path: Path) -> None:
    assert cli.read_secret_file(secret_file(tmp_path, "a", "abc", "\n")) == "abc"
    assert cli.read_secret_file(secret_file(tmp_path, "b", "abc", "\r\n")) == "abc"
    assert cli.read_secret_file(secret_file(tmp_path, "c", "abc\n", "\n")) == "abc\n"
    assert cli.read_secret_file(secret_file(tmp_path, "d", " abc ", "")) == " abc "


def test_demo_then_check(tmp_path: Path, pass_file: Path) -> None:
    vault = tmp_path / "demo"
    args = ("--vault", vault, "--passphrase-file", pass_file)
    assert run("demo", *args, "--cases", "40", "--seed", "7", "--today", "2026-11-26") == 0
    assert run("check", *args) == 0
    with Vault.open(vault) as opened:
        opened.unlock(PASSPHRASE)
        rows = Journal(opened.engine).list_cases()
        assert len(rows) == 40
        assert all(row.alias.startswith("Demo ") for row in rows)
        assert {row.kind for row in rows} <= {"individual", "group"}


def test_demo_is_deterministic_for_a_seed(tmp_path: Path, pass_file: Path) -> None:
    def aliases_and_stages(name: str) -> list[tuple[str, int | None, str]]:
        vault = tmp_path / name
        run("demo", "--vault", vault, "--passphrase-file", pass_file, "--cases", "30",
            "--seed", "11", "--today", "2026-06-01")  # fmt: skip
        with Vault.open(vault) as opened:
            opened.unlock(PASSPHRASE)
            rows = Journal(opened.engine).list_cases()
            return [(r.alias, r.current_stage, r.id) for r in rows]

    assert aliases_and_stages("one") == aliases_and_stages("two")


def test_wrong_passphrase_is_one_line_and_non_zero(
    tmp_path: Path, pass_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "v"
    run("init", "--vault", vault, "--passphrase-file", pass_file)
    capsys.readouterr()
    wrong = secret_file(tmp_path, "wrong", "not the passphrase at all")
    assert run("check", "--vault", vault, "--passphrase-file", wrong) == 1
    err = capsys.readouterr().err
    assert err.strip() == "svjournal: That passphrase does not open this journal."


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", "--vault", "{tmp}/missing", "--passphrase-file", "{pass}"), "No journal vault"),
        (("check", "--vault", "{tmp}/v", "--passphrase-file", "{tmp}/nope"), "no such file"),
        (("init", "--vault", "{tmp}/v", "--passphrase-file", "{pass}"), "already exists"),
        (("init", "--vault", "{tmp}/w", "--passphrase-file", "{weak}"), "too easy to guess"),
    ],
)
def test_user_mistakes_print_one_line(
    tmp_path: Path,
    pass_file: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    run("init", "--vault", tmp_path / "v", "--passphrase-file", pass_file)
    weak = secret_file(tmp_path, "weak", "password1")
    capsys.readouterr()
    filled = [a.format(tmp=tmp_path, weak=weak, **{"pass": pass_file}) for a in args]
    assert run(*filled) == 1
    err = capsys.readouterr().err.strip()
    assert message in err
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("no-such-command") == 2
    assert run("demo", "--cases", "0") == 2
    assert run("demo", "--today", "yesterday") == 2


def test_passwd_and_recover(
    tmp_path: Path, pass_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "v"
    run("init", "--vault", vault, "--passphrase-file", pass_file)
    recovery = next(
        line.strip() for line in capsys.readouterr().out.splitlines() if line.count("-") == 5
    )
    new = secret_file(tmp_path, "new", 'Ça "marche" \\ vraiment 🐢 bien')
    assert run("passwd", "--vault", vault, "--passphrase-file", pass_file,
               "--new-passphrase-file", new) == 0  # fmt: skip
    # Issue 13: a passphrase change issues a new recovery key (shown once) and spends the old.
    out = capsys.readouterr().out
    new_recovery = next(line.strip() for line in out.splitlines() if line.count("-") == 5)
    assert new_recovery != recovery and "no longer open" in out
    assert run("check", "--vault", vault, "--passphrase-file", pass_file) == 1
    assert run("check", "--vault", vault, "--passphrase-file", new) == 0
    old_key = secret_file(tmp_path, "old-rk", recovery)
    capsys.readouterr()
    assert run("recover", "--vault", vault, "--recovery-key-file", old_key,
               "--new-passphrase-file", new) == 1  # fmt: skip
    assert "recovery key does not open" in capsys.readouterr().err
    recovery = new_recovery

    key_file = secret_file(tmp_path, "rk", recovery.lower().replace("-", " "))
    newer = secret_file(tmp_path, "newer", "lantern orchard velvet compass")
    assert run("recover", "--vault", vault, "--recovery-key-file", key_file,
               "--new-passphrase-file", newer) == 0  # fmt: skip
    assert run("check", "--vault", vault, "--passphrase-file", newer) == 0
    assert run("check", "--vault", vault, "--passphrase-file", new) == 1

    bad_key = secret_file(tmp_path, "bad", "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA")
    capsys.readouterr()
    assert run("recover", "--vault", vault, "--recovery-key-file", bad_key,
               "--new-passphrase-file", newer) == 1  # fmt: skip
    assert "recovery key does not open" in capsys.readouterr().err


def recovery_in(out: str) -> str:
    return next(line.strip() for line in out.splitlines() if line.count("-") == 5)


def test_rekey_and_recovery_key_new_keep_the_passphrase(
    tmp_path: Path, pass_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "v"
    run("init", "--vault", vault, "--passphrase-file", pass_file)
    first = recovery_in(capsys.readouterr().out)
    with Vault.open(vault) as opened:
        opened.unlock(PASSPHRASE)
        backup = opened.backup()
        db_before = opened.db_path.read_bytes()
    assert run("rekey", "--vault", vault, "--passphrase-file", pass_file) == 0
    out = capsys.readouterr().out
    second = recovery_in(out)
    assert second != first and "Backups re-sealed under the new key: 1." in out
    assert (vault / "journal.db").read_bytes() != db_before
    assert run("recovery-key", "--vault", vault, "--passphrase-file", pass_file) == 1
    assert "--new" in capsys.readouterr().err
    assert run("recovery-key", "--new", "--vault", vault, "--passphrase-file", pass_file,
               "--keep-old-backups") == 0  # fmt: skip
    captured = capsys.readouterr()
    third = recovery_in(captured.out)
    assert third not in (first, second)
    assert "with the old passphrase" in captured.err and str(backup) in captured.err
    assert run("check", "--vault", vault, "--passphrase-file", pass_file) == 0
    for spent in (first, second):
        rk = secret_file(tmp_path, "rk", spent)
        new = secret_file(tmp_path, "n", "lantern orchard velvet compass")
        assert run("recover", "--vault", vault, "--recovery-key-file", rk,
                   "--new-passphrase-file", new) == 1  # fmt: skip


def test_passwd_updates_a_remembered_key(
    tmp_path: Path,
    pass_file: Path,
    memory_keyring,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    vault = tmp_path / "v"
    run("init", "--vault", vault, "--passphrase-file", pass_file, "--remember")
    before = dict(memory_keyring.entries)
    new = secret_file(tmp_path, "new", "lantern orchard velvet compass")
    assert run("passwd", "--vault", vault, "--passphrase-file", pass_file,
               "--new-passphrase-file", new) == 0  # fmt: skip
    assert "remembered on this workstation was updated" in capsys.readouterr().out
    assert memory_keyring.entries.keys() == before.keys()
    assert memory_keyring.entries != before
    from svjournal.core.secrets import OSKeyStore

    with Vault.open(vault) as opened:
        assert opened.unlock_with_keystore(OSKeyStore())


def test_remember_and_forget(tmp_path: Path, pass_file: Path, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    vault = tmp_path / "v"
    run("init", "--vault", vault, "--passphrase-file", pass_file)
    assert run("remember", "--vault", vault, "--passphrase-file", pass_file) == 0
    assert len(memory_keyring.entries) == 1
    assert run("forget", "--vault", vault) == 0
    assert memory_keyring.entries == {}


def test_remember_without_keyring_says_so(
    tmp_path: Path, pass_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "v"
    run("init", "--vault", vault, "--passphrase-file", pass_file)
    capsys.readouterr()
    assert run("remember", "--vault", vault, "--passphrase-file", pass_file) == 1
    err = capsys.readouterr().err
    assert "keyring" in err
    assert "passphrase" not in err.lower().replace("passphrase-file", "")


def test_check_reports_damage_with_non_zero_exit(
    tmp_path: Path, pass_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "v"
    run("init", "--vault", vault, "--passphrase-file", pass_file)
    db = vault / "journal.db"
    data = bytearray(db.read_bytes())
    data[len(data) // 2] ^= 0xFF  # a page deep inside, not page 1
    db.write_bytes(bytes(data))
    capsys.readouterr()
    assert run("check", "--vault", vault, "--passphrase-file", pass_file) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err


def test_svjournal_vault_environment_variable(
    tmp_path: Path, pass_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SVJOURNAL_VAULT", str(tmp_path / "env-vault"))
    assert run("init", "--passphrase-file", pass_file) == 0
    assert (tmp_path / "env-vault" / "journal.key").exists()


def test_module_entry_point_runs_in_a_subprocess(tmp_path: Path, pass_file: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "svjournal",
            "check",
            "--vault",
            str(tmp_path / "none"),
            "--passphrase-file",
            str(pass_file),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip().startswith("svjournal: No journal vault")


def test_lang_chooses_the_language_before_or_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from svjournal.core import i18n

    monkeypatch.delenv("SVJOURNAL_LANG", raising=False)
    spoken: list[tuple[str, bool]] = []
    monkeypatch.setattr(i18n, "use", lambda lang, explicit=False: spoken.append((lang, explicit)))
    monkeypatch.setenv("LANG", "C")
    vault = tmp_path / "v"
    assert run("--lang", "de", "policy", "--vault", vault) == 0
    assert run("policy", "--lang", "pt-BR", "--vault", vault) == 0
    monkeypatch.setenv("SVJOURNAL_LANG", "fr_BE.UTF-8")
    assert run("policy", "--vault", vault) == 0
    monkeypatch.delenv("SVJOURNAL_LANG")
    assert run("policy", "--vault", vault) == 0  # nothing asked: the system's, not explicit
    assert spoken == [("de", True), ("pt_BR", True), ("fr", True), ("en_US", False)]
    capsys.readouterr()
    assert run("--lang", "klingon", "policy", "--vault", vault) == 1
    err = capsys.readouterr().err
    assert err.startswith("svjournal: Unknown language 'klingon'") and err.count("\n") == 1


def test_a_policy_language_is_the_default_and_wins_when_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from svjournal.core import i18n
    from svjournal.core.policy import ENV_POLICY_FILE

    monkeypatch.delenv("SVJOURNAL_LANG", raising=False)
    monkeypatch.setenv("LANG", "C")
    spoken: list[str] = []
    monkeypatch.setattr(i18n, "use", lambda lang, explicit=False: spoken.append(lang))
    policy = tmp_path / "policy.toml"
    monkeypatch.setenv(ENV_POLICY_FILE, str(policy))
    vault = tmp_path / "v"
    policy.write_text('[language]\nvalue = "nl"\n', encoding="utf-8")
    assert run("policy", "--vault", vault) == 0  # the policy's default
    assert run("--lang", "de", "policy", "--vault", vault) == 0  # a choice stands
    policy.write_text('[language]\nvalue = "nl"\nlocked = true\n', encoding="utf-8")
    assert run("--lang", "de", "policy", "--vault", vault) == 0  # locked: the policy's
    assert spoken == ["nl", "de", "nl"]


@pytest.mark.parametrize(
    ("args", "env", "described"),
    [
        (
            ("--lang", "en_XA", "--help"),
            None,
            "An encrypted, offline journal for peer supporters. "
            "Without a command, the desktop app starts.",
        ),
        (
            ("backup", "--help", "--lang", "en_XA"),
            None,
            "write a verified, encrypted backup of the journal",
        ),
        (("backup", "--help"), "en_XA", "write a verified, encrypted backup of the journal"),
    ],
)
def test_help_speaks_the_language_given_anywhere_or_in_the_environment(
    args: tuple[str, ...],
    env: str | None,
    described: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from svjournal.core import i18n

    if env is None:
        monkeypatch.delenv("SVJOURNAL_LANG", raising=False)
    else:
        monkeypatch.setenv("SVJOURNAL_LANG", env)
    try:
        assert run(*args) == 0
    finally:
        i18n.use(i18n.SOURCE)  # the language is the whole process's
    out = capsys.readouterr().out
    words = " ".join(out.split())  # argparse wraps the help text at the terminal's width
    assert " ".join(i18n.pseudo(described).split()) in words
    vault_help = i18n.pseudo("the vault folder (default: {variable} or the user data folder)")
    assert " ".join(vault_help.format(variable="$SVJOURNAL_VAULT").split()) in words
    # argparse's own words come from Python's `argparse` gettext domain: English.
    assert out.startswith("usage: svjournal")
