"""Hypothesis over the command line: every argument list ends in an exit code and one line.

`svjournal.cli.main` runs in-process with generated arguments (commands, options, values,
paths to good, damaged, missing and odd things). It must return 0, 1 or 2 — never raise —
with no traceback: a refused command says why in one `svjournal: …` line (argparse's usage
errors end in one `error:` line), and the good vault is left sound whatever was asked.
"""

from __future__ import annotations

import argparse
import io
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svjournal import cli
from svjournal.cli import vault_commands
from svjournal.core.db import KeyHolder, check_integrity, open_raw
from svjournal.core.keyfile import KdfParams, KeyFile
from svjournal.core.vault import ENV_VAULT, Vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.reliability.support import snapshot


def subcommands() -> dict[str, list[str]]:
    """Every sub-command and its long options, as the parser defines them today."""
    parser = cli.build_parser()
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return {
        name: sorted(k for k in command._option_string_actions if k.startswith("--"))
        for name, command in sub.choices.items()
    }


COMMANDS = subcommands()
OPTIONS = sorted({option for options in COMMANDS.values() for option in options})


@dataclass
class Sandbox:
    root: Path
    good: Path
    pristine: Path
    data_key: bytes
    vaults: list[str]
    files: list[str]
    outputs: list[str]


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Sandbox:
    root = tmp_path_factory.mktemp("cli")
    good = root / "good"
    vault, _ = Vault.create(good, PASSPHRASE, kdf=FAST_KDF)
    vault.backup()
    vault.close()
    data_key = KeyFile.from_bytes((good / "journal.key").read_bytes()).unwrap_with_passphrase(
        PASSPHRASE
    )
    shutil.copytree(good, root / "pristine")
    shutil.copytree(good, root / "damaged")
    db = root / "damaged" / "journal.db"
    db.write_bytes(db.read_bytes()[:4096])
    (root / "empty-dir").mkdir()
    (root / "a-file").write_text("not a vault\n")
    secrets = {
        "right.txt": (PASSPHRASE + "\n").encode(),
        "right-crlf.txt": (PASSPHRASE + "\r\n").encode(),
        "new.txt": b"violet submarine under the quiet harbour\n",
        "wrong.txt": b"not the passphrase at all, sorry\n",
        "weak.txt": b"password\n",
        "empty.txt": b"",
        "binary.bin": bytes(range(256)),
        "recovery.txt": b"ABCDE-FGHJK-MNPQR-STVWX-YZ234-56789\n",
        "huge.txt": b"x" * 2_000_000,
        "long.txt": ("a quiet harbour at dusk, " * 6).encode(),  # strong, 150 characters
    }
    for name, data in secrets.items():
        (root / name).write_bytes(data)
    vaults = ["good", "damaged", "missing", "empty-dir", "a-file", "", " ", "wéird ñame 🐢"]
    files = [*secrets, "missing.txt", "empty-dir", "a-file", "good", "\udcff.txt"]
    outputs = ["out", "out.pdf", "empty-dir", "missing/out", "a-file/out", "good/journal.key"]
    return Sandbox(root, good, root / "pristine", data_key, vaults, files, outputs)


def safe_text(text: str) -> bool:
    """Free text that stays inside the sandbox as a path: argv holds no NUL either."""
    return "\x00" not in text and not text.startswith(("/", "~")) and ".." not in text


free_text = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["0", "-1", "1e9", "nan", "inf", "2026-02-30", "0001-01-01", "9999-12-31"]),
    st.sampled_from(["csv", "pdf", "xlsx", "json", "ics", "all", "--", "-", "=", "é", "\u202e"]),
    st.integers(-(10**6), 10**6).map(str),
).filter(safe_text)


def value_for(option: str, sandbox: Sandbox) -> st.SearchStrategy[str]:
    if option == "--vault":
        return st.sampled_from(sandbox.vaults)
    if option.endswith("-file"):
        return st.sampled_from(sandbox.files)
    if option == "--output":
        return st.sampled_from(sandbox.outputs)
    return free_text


@st.composite
def arguments(draw: st.DrawFn, sandbox: Sandbox) -> list[str]:
    """A command with each of its options present or not (mostly with a value from the
    pools), now and then a missing value, an unknown option or a stray word."""
    command = draw(
        st.integers(0, 9).flatmap(
            lambda n: (
                st.sampled_from(sorted(COMMANDS))
                if n
                else st.sampled_from(["", "--help", "--version", "nonsense"])
            )
        )
    )
    argv = [command] if command else []
    for option in COMMANDS.get(command, ["--vault"]):
        if option == "--help" or not draw(st.integers(0, 2)):
            continue
        argv.append(option)
        if draw(st.integers(0, 9)):
            argv.append(draw(value_for(option, sandbox)))
    if not draw(st.integers(0, 5)):
        argv.insert(draw(st.integers(0, len(argv))), draw(st.sampled_from(["--nope", "stray"])))
    return argv


@pytest.fixture
def cli_sandbox(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Sandbox, list[Any]]]:
    monkeypatch.chdir(sandbox.root)  # relative paths, and whatever a command writes, land here
    monkeypatch.setenv(ENV_VAULT, str(sandbox.root / "default-vault"))
    monkeypatch.setattr(KdfParams, "calibrated", classmethod(lambda cls, *a, **k: FAST_KDF))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: prompts refuse
    started: list[Any] = []
    monkeypatch.setattr(vault_commands, "cmd_gui", lambda args: started.append(args) or cli.EXIT_OK)
    yield sandbox, started


def reset(sandbox: Sandbox) -> None:
    """Put back the good vault and remove whatever the last command created."""
    if snapshot(sandbox.good) != snapshot(sandbox.pristine):
        shutil.rmtree(sandbox.good)
        shutil.copytree(sandbox.pristine, sandbox.good)
    keep = {"good", "pristine", "damaged", "empty-dir", "a-file", *sandbox.files}
    for entry in sandbox.root.iterdir():
        if entry.name not in keep:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    for entry in (sandbox.root / "empty-dir").iterdir():
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def assert_sound(sandbox: Sandbox) -> None:
    """The good vault still opens with its key and passes both integrity checks."""
    key_file = KeyFile.from_bytes((sandbox.good / "journal.key").read_bytes())
    assert key_file.fits(sandbox.data_key)
    conn = open_raw(sandbox.good / "journal.db", KeyHolder(sandbox.data_key), configure=False)
    try:
        assert check_integrity(conn).ok
    finally:
        conn.close()


@contextmanager
def terminal_streams() -> Iterator[tuple[io.TextIOWrapper, io.TextIOWrapper]]:
    """stdout and stderr as Python sets them up in a UTF-8 terminal: strict, and lenient."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
    with redirect_stdout(out), redirect_stderr(err):
        yield out, err


def text_of(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8")


def run_cli(sandbox: Sandbox, started: list[Any], argv: list[str]) -> int:
    """Run one command line and check how it ended; returns the exit code."""
    before = snapshot(sandbox.good)
    started.clear()
    with terminal_streams() as (stdout, stderr):
        code = cli.main(argv)  # anything raised here is the failure being looked for
    out, err = text_of(stdout), text_of(stderr)
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in out + err
    if code == 1:
        # One error line, and last (a command may print a warning before it).
        lines = err.splitlines()
        assert lines and lines[-1].startswith("svjournal: "), err
        assert sum(line.startswith("svjournal: ") for line in lines) == 1, err
    elif code == 2:
        assert err.startswith("usage: ") and ": error: " in err, err
    if code != 0:
        assert snapshot(sandbox.good) == before, "a refused command changed the vault"
    assert_sound(sandbox)
    # The desktop app (stubbed here) starts only when no command was given.
    assert not started or not argv or argv[0] not in COMMANDS, argv
    return code


def test_any_command_line_ends_in_an_exit_code_and_one_clear_line(
    cli_sandbox: tuple[Sandbox, list[Any]],
) -> None:
    sandbox, started = cli_sandbox
    outcomes: Counter[tuple[str, int]] = Counter()

    @settings(
        max_examples=150,
        derandomize=True,  # the counts asserted below must not depend on a lucky draw
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        argv = data.draw(arguments(sandbox))
        try:
            outcomes[(argv[0] if argv else "", run_cli(sandbox, started, argv))] += 1
        finally:
            reset(sandbox)

    run()
    codes = Counter(code for (_command, code), n in outcomes.items() for _ in range(n))
    assert codes[0] and codes[1] and codes[2], outcomes
    # Commands got past the parser and did their work, or refused it, often enough to count.
    assert codes[0] + codes[1] >= 20, outcomes


RIGHT = ["--passphrase-file", "right.txt"]
NEW = ["--new-passphrase-file", "new.txt"]
DEMO = ["demo", "--vault", "good", *RIGHT, "--cases", "2"]
PASSWD = ["passwd", "--vault", "good"]
NASTY = {
    "init where a file is": ["init", "--vault", "a-file", *RIGHT],
    "init below a file": ["init", "--vault", "a-file/vault", *RIGHT],
    "init with an empty passphrase": ["init", "--vault", "new", "--passphrase-file", "empty.txt"],
    "init with a 2 MB passphrase": ["init", "--vault", "new", "--passphrase-file", "huge.txt"],
    "init with a 150-character passphrase": [
        "init",
        "--vault",
        "new",
        "--passphrase-file",
        "long.txt",
    ],
    "init at a name that is not UTF-8": ["init", "--vault", "new-\udcff", *RIGHT],
    "check a name that is not UTF-8": ["check", "--vault", "\udcff", *RIGHT],
    "passwd to an empty passphrase": [*PASSWD, *RIGHT, "--new-passphrase-file", "empty.txt"],
    "passwd from a binary file": [*PASSWD, "--passphrase-file", "binary.bin", *NEW],
    "demo, not a number of encounters": [*DEMO, "--encounters-per-case", "nan"],
    "demo, infinitely many encounters": [*DEMO, "--encounters-per-case", "inf"],
    "demo on the first day there is": [*DEMO, "--today", "0001-01-01"],
    "demo on the last day there is": [*DEMO, "--today", "9999-12-31"],
}


@pytest.mark.parametrize("argv", NASTY.values(), ids=NASTY.keys())
def test_known_nasty_command_lines_end_cleanly(
    cli_sandbox: tuple[Sandbox, list[Any]], argv: list[str]
) -> None:
    sandbox, started = cli_sandbox
    try:
        run_cli(sandbox, started, argv)
    finally:
        reset(sandbox)


def test_demo_data_twice_into_the_same_journal_ends_cleanly(
    cli_sandbox: tuple[Sandbox, list[Any]],
) -> None:
    sandbox, started = cli_sandbox
    try:
        assert run_cli(sandbox, started, DEMO) == 0
        run_cli(sandbox, started, DEMO)  # same seed: the same demo records again
    finally:
        reset(sandbox)
