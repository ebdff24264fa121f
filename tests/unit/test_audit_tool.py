"""tools/audit.py: what fails `make audit`, what is only reported, and an audit that could not
reach the advisory service never passes as "no known vulnerabilities" (issue 11, part 2)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest

from tools import audit


def runner(dependencies: list[dict[str, Any]] | None, code: int = 0, stderr: str = "") -> Any:
    def run(command: Sequence[str]) -> tuple[int, str, str]:
        assert "--disable-pip" in command and "json" in command
        stdout = "" if dependencies is None else json.dumps({"dependencies": dependencies})
        return code, stdout, stderr

    return run


CLEAN = {"name": "keyring", "version": "25.7.0", "vulns": []}
UNFIXED = {
    "name": "reportlab",
    "version": "5.1.0",
    "vulns": [{"id": "PYSEC-0000-1", "fix_versions": [], "aliases": []}],
}
FIXABLE = {
    "name": "cryptography",
    "version": "50.0.2",
    "vulns": [{"id": "GHSA-xxxx-yyyy-zzzz", "fix_versions": ["50.0.3"], "aliases": []}],
}
SKIPPED = {
    "name": "alembic",
    "skip_reason": "Dependency not found on PyPI and could not be audited",
}


def test_nothing_found_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert audit.main(["r.txt"], runner([CLEAN])) == audit.EXIT_CLEAN
    assert "no known vulnerabilities" in capsys.readouterr().out


def test_an_advisory_without_a_fix_is_reported_but_does_not_fail(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert audit.main(["r.txt"], runner([CLEAN, UNFIXED], code=1)) == audit.EXIT_CLEAN
    out = capsys.readouterr().out
    assert "reportlab 5.1.0: PYSEC-0000-1 (no fix released yet)" in out
    assert "no known vulnerabilities" not in out


def test_an_advisory_with_a_fix_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert audit.main(["r.txt"], runner([UNFIXED, FIXABLE], code=1)) == audit.EXIT_FIXABLE
    assert "FIX AVAILABLE: cryptography 50.0.2: GHSA-xxxx-yyyy-zzzz (fixed in 50.0.3)" in (
        capsys.readouterr().out
    )


def test_a_fixable_advisory_fails_even_when_unreachable_is_tolerated() -> None:
    assert audit.main(["--unreachable-ok", "r.txt"], runner([FIXABLE])) == audit.EXIT_FIXABLE


@pytest.mark.parametrize(
    "run",
    [
        runner([SKIPPED, SKIPPED]),  # pip-audit's own verdict here: exit 0, "No known ..."
        runner(None, code=1, stderr="requests.exceptions.ConnectionError: Name or service"),
    ],
    ids=["every-package-skipped", "no-connection"],
)
def test_an_audit_that_checked_nothing_says_so(
    run: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert audit.main(["r.txt"], run) == audit.EXIT_NOT_AUDITED
    out = capsys.readouterr().out
    assert "NOT AUDITED" in out and "no known vulnerabilities" not in out
    # CI tolerates it, but says just as plainly that nothing was checked.
    assert audit.main(["--unreachable-ok", "r.txt"], run) == audit.EXIT_CLEAN
    assert "NOT AUDITED" in capsys.readouterr().out


def test_partly_skipped_lists_what_was_skipped(capsys: pytest.CaptureFixture[str]) -> None:
    assert audit.main(["r.txt"], runner([CLEAN, SKIPPED])) == audit.EXIT_CLEAN
    out = capsys.readouterr().out
    assert "1 of 2 locked packages checked" in out and "skipped alembic" in out
