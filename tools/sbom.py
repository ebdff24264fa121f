"""The installer's SBOM: CycloneDX JSON of what the bundle ships, written beside it.

`cyclonedx-py environment` describes every package of the build venv, which also holds the
build and test tools (pytest, ruff, mypy, cyclonedx itself ...) that never reach the bundle.
This keeps the components that svjournal needs at run time on this platform (its declared
dependencies, followed through their metadata with markers evaluated here) plus PyInstaller,
whose bootloader is inside the executables, and drops the rest from the components and the
dependency graph. The root component (svjournal, its version and SPDX licence) comes from
pyproject.toml.

Usage (in the build venv): python tools/sbom.py pyproject.toml dist/svjournal.cdx.json
"""

from __future__ import annotations

import importlib.metadata as metadata
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT_PACKAGE = "svjournal"
# Not imported by the app, but its bootloader is the start of every frozen executable.
SHIPPED_BUILD_TOOLS = frozenset({"pyinstaller"})


def runtime_closure(root: str = ROOT_PACKAGE) -> set[str]:
    """Canonical names of root's run-time dependencies, transitively, as installed here."""
    environment = {key: str(value) for key, value in default_environment().items()}
    environment["extra"] = ""
    seen: set[str] = set()
    pending = [root]
    while pending:
        name = canonicalize_name(pending.pop())
        if name in seen:
            continue
        try:
            requires = metadata.distribution(name).requires or []
        except metadata.PackageNotFoundError:
            continue  # a marker-less requirement of another platform; not installed here
        seen.add(name)
        for text in requires:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate(environment):
                pending.append(requirement.name)
    seen.discard(canonicalize_name(root))
    return seen


def shipped_only(bom: dict[str, Any], keep: set[str]) -> dict[str, Any]:
    """The BOM with only the components named in keep (canonical names), graph included."""
    components = [c for c in bom.get("components", []) if canonicalize_name(c["name"]) in keep]
    refs = {c["bom-ref"] for c in components}
    root_ref = bom.get("metadata", {}).get("component", {}).get("bom-ref")
    if root_ref is not None:
        refs.add(root_ref)
    dependencies = [
        {**d, "dependsOn": [r for r in d.get("dependsOn", []) if r in refs]}
        for d in bom.get("dependencies", [])
        if d["ref"] in refs
    ]
    return {**bom, "components": components, "dependencies": dependencies}


def environment_bom(pyproject: Path) -> dict[str, Any]:
    done = subprocess.run(
        [
            *(sys.executable, "-m", "cyclonedx_py", "environment"),
            *("--pyproject", str(pyproject), "--mc-type", "application"),
            *("--output-reproducible", "--output-format", "JSON", "--output-file", "-"),
            sys.executable,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def main(argv: list[str]) -> int:
    pyproject, output = Path(argv[0]), Path(argv[1])
    keep = runtime_closure() | SHIPPED_BUILD_TOOLS
    bom = shipped_only(environment_bom(pyproject), keep)
    missing = keep - {canonicalize_name(c["name"]) for c in bom["components"]}
    if missing - SHIPPED_BUILD_TOOLS:
        print(f"sbom: installed but not described by cyclonedx-py: {sorted(missing)}")
        return 1
    output.write_text(json.dumps(bom, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"sbom: {output} ({len(bom['components'])} components, CycloneDX {bom['specVersion']})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
