"""`make audit`: pip-audit over a locked requirements file, read so that silence means something.

pip-audit alone has two ways of saying nothing useful. When the advisory service cannot be
reached (or does not know a version) it skips the package and still prints "No known
vulnerabilities found" with exit code 0; and it fails the same way for an advisory that has a
fixed release as for one that has none. This script runs it with JSON output and decides:

- exit 1: an advisory has a fixed release (raise the bound or the lock: `make lock UPGRADE=1`);
- exit 0: nothing found, or only advisories without a fix yet (listed, so they are seen);
- exit 3: nothing could be audited (no network, service down, every package skipped). With
  --unreachable-ok (CI, whose machine may have no route to the advisory service) that is
  reported just as loudly but exits 0.

Usage: python tools/audit.py [--unreachable-ok] [--service pypi|osv] REQUIREMENTS.txt
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

EXIT_CLEAN = 0
EXIT_FIXABLE = 1
EXIT_NOT_AUDITED = 3

# Runs pip-audit; returns (exit code, stdout, stderr). Injected so tests need no network.
Runner = Callable[[Sequence[str]], tuple[int, str, str]]


@dataclass(frozen=True)
class Finding:
    package: str
    version: str
    advisory: str
    fixed_in: tuple[str, ...]

    def line(self) -> str:
        fix = f"fixed in {', '.join(self.fixed_in)}" if self.fixed_in else "no fix released yet"
        return f"{self.package} {self.version}: {self.advisory} ({fix})"


@dataclass
class Outcome:
    audited: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None

    @property
    def fixable(self) -> list[Finding]:
        return [f for f in self.findings if f.fixed_in]

    @property
    def unfixed(self) -> list[Finding]:
        return [f for f in self.findings if not f.fixed_in]


def pip_audit_command(requirements: Path, service: str) -> list[str]:
    # --disable-pip: the lock is fully hashed and pinned, so pip-audit reads it as it is
    # instead of installing it into a temporary venv (no resolving, no downloads).
    return [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        str(requirements),
        "--disable-pip",
        "--vulnerability-service",
        service,
        "--progress-spinner",
        "off",
        "--format",
        "json",
    ]


def run_pip_audit(command: Sequence[str]) -> tuple[int, str, str]:
    done = subprocess.run(list(command), capture_output=True, text=True, check=False)
    return done.returncode, done.stdout, done.stderr


def parse(returncode: int, stdout: str, stderr: str) -> Outcome:
    """pip-audit's JSON report ({"dependencies": [...]}) as an Outcome."""
    try:
        report = json.loads(stdout)
        dependencies = report["dependencies"]
    except (ValueError, KeyError, TypeError):
        last = next((ln for ln in reversed(stderr.strip().splitlines()) if ln.strip()), "")
        return Outcome(error=f"pip-audit exited {returncode} without a report: {last[:300]}")
    outcome = Outcome()
    for dep in dependencies:
        name = str(dep.get("name", "?"))
        if "skip_reason" in dep:
            outcome.skipped.append((name, str(dep["skip_reason"])))
            continue
        outcome.audited.append(name)
        for vuln in dep.get("vulns", []):
            outcome.findings.append(
                Finding(
                    package=name,
                    version=str(dep.get("version", "?")),
                    advisory=str(vuln.get("id", "?")),
                    fixed_in=tuple(str(v) for v in vuln.get("fix_versions", [])),
                )
            )
    return outcome


def report(outcome: Outcome, requirements: Path, service: str, unreachable_ok: bool) -> int:
    """Prints what was and was not audited; returns the exit code."""
    if outcome.error is not None or not outcome.audited:
        reason = outcome.error or (outcome.skipped[0][1] if outcome.skipped else "nothing listed")
        print(f"audit: NOT AUDITED - no package of {requirements} could be checked against the")
        print(
            f"audit: '{service}' advisory service (unreachable from here?). First reason: {reason}"
        )
        if unreachable_ok:
            print("audit: not failing the build for that (--unreachable-ok)")
            return EXIT_CLEAN
        return EXIT_NOT_AUDITED
    total = len(outcome.audited) + len(outcome.skipped)
    print(f"audit: {len(outcome.audited)} of {total} locked packages checked ({service})")
    for name, reason in outcome.skipped:
        print(f"audit: skipped {name}: {reason}")
    for finding in outcome.unfixed:
        print(f"audit: advisory without a fix (reported, not failing): {finding.line()}")
    for finding in outcome.fixable:
        print(f"audit: FIX AVAILABLE: {finding.line()}")
    if outcome.fixable:
        print("audit: update the lock (make lock UPGRADE=1, or raise the bound in pyproject.toml)")
        return EXIT_FIXABLE
    if not outcome.findings:
        print("audit: no known vulnerabilities")
    return EXIT_CLEAN


def main(argv: Sequence[str] | None = None, runner: Runner = run_pip_audit) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("requirements", type=Path)
    parser.add_argument("--service", default="pypi", choices=("pypi", "osv"))
    parser.add_argument("--unreachable-ok", action="store_true")
    args = parser.parse_args(argv)
    outcome = parse(*runner(pip_audit_command(args.requirements, args.service)))
    return report(outcome, args.requirements, args.service, args.unreachable_ok)


if __name__ == "__main__":
    sys.exit(main())
