"""The Makefile rebuilds a .venv it cannot use instead of failing on every run (issue 11)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")


def project(tmp_path: Path, venv_python: str | None) -> Path:
    """A copy of the Makefile with a .venv whose bin/python is the given script (or missing)."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "requirements", tmp_path / "requirements")
    if venv_python is not None:
        bin_dir = tmp_path / ".venv" / "bin"
        bin_dir.mkdir(parents=True)
        python = bin_dir / "python"
        python.write_text(venv_python, encoding="utf-8")
        python.chmod(0o755)
    return tmp_path


def make(where: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # -n: only show what would run; the check itself happens while the Makefile is read.
    return subprocess.run(
        ["make", "-n", *args], cwd=where, capture_output=True, text=True, check=False, timeout=60
    )


# A python that answers like Python 3.10 does to the Makefile's check.
OLD_PYTHON = "#!/bin/sh\necho False\n"
BROKEN_PYTHON = "#!/bin/sh\necho 'error while loading shared libraries' >&2\nexit 127\n"


@pytest.mark.parametrize("script", [OLD_PYTHON, BROKEN_PYTHON], ids=["python3.10", "broken"])
def test_an_unusable_venv_is_removed_and_built_again(tmp_path: Path, script: str) -> None:
    where = project(tmp_path, script)
    done = make(where, "run", f"PYTHON={sys.executable}")
    assert "building it again" in done.stdout
    assert not (where / ".venv").exists()
    assert f"{sys.executable} -m venv .venv" in done.stdout


def test_a_working_venv_is_kept(tmp_path: Path) -> None:
    where = project(tmp_path, f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    done = make(where, "run")
    assert "building it again" not in done.stdout
    assert (where / ".venv" / "bin" / "python").exists()


def test_a_python_older_than_3_11_is_refused_with_the_way_out(tmp_path: Path) -> None:
    where = project(tmp_path, None)
    old = tmp_path / "python3.10"
    old.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    old.chmod(0o755)
    done = subprocess.run(
        ["make", "run", f"PYTHON={old}"],
        cwd=where,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode != 0
    assert "needs Python 3.11 or newer" in done.stderr
    assert not (where / ".venv").exists()
