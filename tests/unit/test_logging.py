"""The log file: what a line may hold (logsafe), where it goes, its size cap and permissions."""

from __future__ import annotations

import ast
import enum
import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from svjournal.core import logsafe, logsetup, portable
from svjournal.core.logsafe import WITHHELD, SafeFormatter

PACKAGE = Path(logsafe.__file__).resolve().parent.parent
ROOT = PACKAGE.parent
CANARY = "Canary-7f3e Zebra Orchard"  # stands for an alias, a note or a passphrase


class Stage(enum.IntEnum):
    TWO = 2


class Secretive:
    def __repr__(self) -> str:
        return CANARY

    __str__ = __repr__


def line_for(
    template: object,
    *args: object,
    name: str = "svjournal.core.test",
    exc: BaseException | None = None,
) -> str:
    record = logging.LogRecord(name, logging.WARNING, __file__, 1, template, args or None, None)
    if exc is not None:
        record.exc_info = (type(exc), exc, exc.__traceback__)
    return SafeFormatter().format(record)


def raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:
        return caught


# --- what a line may hold -----------------------------------------------------------------


def test_numbers_enums_and_exception_classes_are_written() -> None:
    line = line_for(
        "%d cases, %s, %s, %s, %s",
        3,
        Stage.TWO,
        ValueError(CANARY),
        KeyError,
        None,
    )
    assert line.endswith("svjournal.core.test: 3 cases, Stage.TWO, ValueError, KeyError, None")
    assert CANARY not in line


def test_strings_and_objects_are_withheld_unless_they_are_known_words() -> None:
    line = line_for("alias %s, note %r, object %s", CANARY, CANARY, Secretive())
    assert CANARY not in line
    assert line.endswith(f"alias {WITHHELD}, note {WITHHELD}, object {WITHHELD}")
    # An exception class's name passed as a string (type(exc).__name__) is a known word.
    assert line_for("failed: %s", "IntegrityError").endswith("failed: IntegrityError")
    assert line_for("%s received", "SIGTERM").endswith("SIGTERM received")


def test_a_str_subclass_or_int_subclass_cannot_pass_as_safe() -> None:
    class Sneaky(str):
        pass

    class Count(int):
        def __str__(self) -> str:
            return CANARY

    line = line_for("%s and %s", Sneaky("IntegrityError"), Count(5))
    assert line.endswith(f"{WITHHELD} and 5")


def test_allowed_words_must_be_one_short_token() -> None:
    logsafe.allow_words("report-pdf", "0.1.0")
    assert line_for("export %s", "report-pdf").endswith("export report-pdf")
    for sentence in ("two words", "x" * 65, "", "line\nbreak"):
        with pytest.raises(ValueError):
            logsafe.allow_words(sentence)


def test_a_message_that_is_not_a_template_is_withheld() -> None:
    assert CANARY not in line_for(Secretive())
    assert "not a template" in line_for(Secretive())
    assert CANARY not in line_for(["list", CANARY])


def test_a_format_mismatch_still_writes_only_safe_values() -> None:
    line = line_for("%d records in %s", CANARY, CANARY)
    assert CANARY not in line and WITHHELD in line
    mapping = line_for("%(alias)s", {"alias": CANARY})
    assert CANARY not in mapping and mapping.endswith(WITHHELD)


def test_other_libraries_messages_are_withheld_even_their_templates() -> None:
    line = line_for(CANARY + " %s", CANARY, name="sqlalchemy.engine.Engine")
    assert CANARY not in line
    assert "sqlalchemy.engine.Engine: <library message withheld>" in line


def test_exceptions_give_class_and_svjournal_frames_never_messages_locals_or_source() -> None:
    from svjournal.core import validation

    def fails(secret: str) -> None:
        try:
            validation.integer("duration_minutes", secret, low=0, high=1)  # type: ignore[arg-type]
        except Exception as exc:
            raise RuntimeError(f"while saving {secret}") from exc

    exc = raised_from(fails, CANARY)
    line = line_for("saving failed: %s", exc, exc=exc)
    assert CANARY not in line
    assert "saving failed: RuntimeError" in line
    assert "error: RuntimeError" in line
    assert "  from: " in line  # the cause's class
    assert "svjournal/core/validation.py:" in line  # file:line in function
    assert " in integer" in line
    assert "validation.integer(" not in line  # no source lines
    assert "tests/" not in line  # frames outside the package are counted, not named
    assert "frame(s) in Python or libraries" in line


def raised_from(function: object, *args: object) -> BaseException:
    try:
        function(*args)  # type: ignore[operator]
    except BaseException as caught:
        return caught
    raise AssertionError("did not raise")


def test_frames_of_a_frozen_build_are_named_too() -> None:
    """PyInstaller names modules relative to the bundle: `svjournal\\core\\vault.py`."""
    code = compile("raise KeyError('" + CANARY + "')", "svjournal\\core\\vault.py", "exec")
    exc = raised_from(exec, code)
    line = line_for("x", exc=exc)
    assert "svjournal/core/vault.py:1 in <module>" in line and CANARY not in line


def test_a_cycle_of_causes_does_not_hang() -> None:
    first, second = ValueError(CANARY), KeyError(CANARY)
    first.__cause__, second.__cause__ = second, first
    line = line_for("x", exc=first)
    assert line.count("from:") == 1 and CANARY not in line


def test_every_logging_call_in_the_package_has_a_literal_template() -> None:
    """The formatter trusts the template: an f-string or a concatenation there could carry
    anything, so none may exist."""
    levels = {"debug", "info", "warning", "error", "exception", "critical", "log"}
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner = node.func.value
            if node.func.attr not in levels or not isinstance(owner, ast.Name):
                continue
            if owner.id not in ("log", "logger", "logging", "_log"):
                continue
            args = node.args[1:] if node.func.attr == "log" else node.args
            if not args or not (isinstance(args[0], ast.Constant) and type(args[0].value) is str):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, offenders


# --- where it goes, its size, its permissions ---------------------------------------------


def test_log_dir_override_portable_and_platform(tmp_path: Path) -> None:
    assert logsetup.log_dir({"SVJOURNAL_LOG_DIR": str(tmp_path)}) == tmp_path
    (tmp_path / portable.MARKER_NAME).write_text("")
    stick = {portable.ENV_PORTABLE_ROOT: str(tmp_path)}
    assert logsetup.log_dir(stick) == tmp_path / portable.DATA_FOLDER / "logs"
    default = logsetup.log_dir({})
    assert default.name in ("log", "Logs", "svjournal") and "svjournal" in default.parts


@pytest.fixture
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "logs"
    monkeypatch.setenv(logsetup.ENV_LOG_DIR, str(folder))
    yield folder
    logsetup.shutdown()


def test_configure_writes_events_and_is_done_once(log_folder: Path) -> None:
    path = logsetup.configure("cli")
    assert path == log_folder / logsetup.FILE_NAME
    assert logsetup.configure("app") == path  # started from the command line: one handler
    logging.getLogger("svjournal.core.vault").info("journal unlocked after %d tries", 2)
    logging.getLogger("svjournal.core.vault").debug("not kept")
    logging.getLogger("somelibrary").info("library chatter is not kept")
    text = path.read_text(encoding="utf-8")
    assert text.count("started: svjournal") == 1 and "(cli), Python" in text
    assert "journal unlocked after 2 tries" in text
    assert "not kept" not in text


def test_the_files_are_size_capped(log_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logsetup, "MAX_BYTES", 2_000)
    path = logsetup.configure("cli")
    assert path is not None
    for i in range(500):
        logging.getLogger("svjournal.test").info("event number %d of a long session", i)
    files = sorted(log_folder.iterdir())
    assert [f.name for f in files] == [
        "svjournal.log",
        "svjournal.log.1",
        "svjournal.log.2",
        "svjournal.log.3",
    ]
    assert all(f.stat().st_size <= 2_000 for f in files)
    assert "event number 499 " in path.read_text(encoding="utf-8")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_files_and_folder_are_owner_only_even_under_umask_000(
    log_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logsetup, "MAX_BYTES", 500)
    previous = os.umask(0)
    try:
        logsetup.configure("cli")
        for i in range(40):
            logging.getLogger("svjournal.test").info("event %d", i)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(log_folder.stat().st_mode) == 0o700
    files = list(log_folder.iterdir())
    assert len(files) == 4
    assert {oct(stat.S_IMODE(f.stat().st_mode)) for f in files} == {oct(0o600)}


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_readable_log_left_by_someone_else_is_made_owner_only(log_folder: Path) -> None:
    log_folder.mkdir()
    old = log_folder / logsetup.FILE_NAME
    old.write_text("older lines\n")
    old.chmod(0o644)
    logsetup.configure("app")
    assert stat.S_IMODE(old.stat().st_mode) == 0o600


def test_a_folder_that_cannot_be_made_means_no_log_and_no_noise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv(logsetup.ENV_LOG_DIR, str(blocker / "logs"))
    assert logsetup.configure("cli") is None
    assert logsetup.current_log_file() is None
    assert capsys.readouterr().err == ""


def test_a_write_that_fails_says_nothing_on_stderr(
    log_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    logsetup.configure("cli")
    handler = next(
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logsetup.PrivateRotatingFileHandler)
    )
    assert handler.stream is not None
    handler.stream.close()  # as if the disk went away
    logging.getLogger("svjournal.test").warning("after the disk went: %s", CANARY)
    assert capsys.readouterr().err == ""


def test_warnings_still_reach_stderr_but_through_the_safe_formatter(
    log_folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Outside pytest the root logger has no handlers, and warnings went to stderr (the
    app's may end up in ~/.xsession-errors): they still go there, with the same rules."""
    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    logsetup.configure("app")
    logging.getLogger("svjournal.ui.test").info("an event is not for stderr")
    logging.getLogger("svjournal.ui.test").warning("backup failed: %s %s", OSError(CANARY), CANARY)
    err = capsys.readouterr().err
    assert err == f"backup failed: OSError {WITHHELD}\n"


WRONG_PASSPHRASE_RUN = """
import sys
from svjournal import cli
sys.exit(cli.main(sys.argv[1:]))
"""


def test_the_command_lines_stderr_is_unchanged_by_the_log_file(tmp_path: Path) -> None:
    """Warnings still reach stderr as before (logging's last resort); the file is extra."""
    from svjournal.core.keyfile import KdfParams
    from svjournal.core.vault import Vault

    vault_path = tmp_path / "vault"
    Vault.create(vault_path, "correct horse battery staple", kdf=KdfParams())[0].close()
    wrong = tmp_path / "wrong"
    wrong.write_text(CANARY + "\n")
    outputs = []
    command = ["check", "--vault", str(vault_path), "--passphrase-file", str(wrong)]
    for extra in ([], ["--no-log-file"]):
        logs = tmp_path / f"logs{len(extra)}"
        env = {**os.environ, logsetup.ENV_LOG_DIR: str(logs)}
        result = subprocess.run(
            [sys.executable, "-c", WRONG_PASSPHRASE_RUN, *extra, *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        outputs.append((result.returncode, result.stdout, result.stderr))
        assert logs.exists() == (not extra)
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == 1 and "does not open this journal" in outputs[0][2]
    text = (tmp_path / "logs0" / logsetup.FILE_NAME).read_text(encoding="utf-8")
    assert "command: check" in text and "unlock refused: wrong passphrase (1 in a row)" in text
    assert "command failed: svjournal.core.errors.WrongPassphrase" in text
    assert CANARY not in text
