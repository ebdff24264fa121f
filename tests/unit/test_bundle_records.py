"""The installer's records for IT: the SHA-256 manifest and the SBOM filter (issue 11, part 2)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from tools import manifest, sbom


def bundle(root: Path, names: list[str]) -> Path:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(name.encode("utf-8") * 3)
    return root


NAMES = ["svjournal", "_internal/libQt6Core.so.6", "_internal/b/é.txt", "_internal/B/x", "a"]


def test_the_manifest_lists_every_file_with_its_sha256_in_a_fixed_order(tmp_path: Path) -> None:
    first = manifest.manifest(bundle(tmp_path / "one", NAMES))
    second = manifest.manifest(bundle(tmp_path / "two", list(reversed(NAMES))))
    assert first == second  # the order files were made in does not matter
    lines = first.splitlines()
    paths = [line.split("  ", 1)[1] for line in lines]
    assert paths == sorted(NAMES, key=lambda p: p.encode("utf-8"))
    digest, path = lines[0].split("  ", 1)
    assert digest == hashlib.sha256(path.encode("utf-8") * 3).hexdigest()


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs coreutils' sha256sum")
def test_sha256sum_verifies_the_bundle_and_notices_a_changed_file(tmp_path: Path) -> None:
    folder = bundle(tmp_path / "svjournal", NAMES)
    assert manifest.main([str(folder), str(tmp_path / "svjournal.sha256")]) == 0
    check = ["sha256sum", "--check", "--quiet", "../svjournal.sha256"]
    assert subprocess.run(check, cwd=folder, capture_output=True, check=False).returncode == 0
    (folder / "_internal" / "libQt6Core.so.6").write_bytes(b"tampered")
    assert subprocess.run(check, cwd=folder, capture_output=True, check=False).returncode != 0


def test_the_manifest_is_not_written_inside_the_bundle(tmp_path: Path) -> None:
    folder = bundle(tmp_path / "svjournal", NAMES)
    assert manifest.main([str(folder), str(folder / "MANIFEST")]) == 1
    assert not (folder / "MANIFEST").exists()


def test_the_runtime_closure_holds_the_app_libraries_and_no_test_tools() -> None:
    closure = sbom.runtime_closure()
    assert {"pyside6-essentials", "sqlalchemy", "sqlcipher3", "cryptography", "numpy"} <= closure
    assert not closure & {"pytest", "hypothesis", "pypdf", "ruff", "mypy", "pytest-qt"}
    assert "svjournal" not in closure


def test_the_sbom_keeps_only_shipped_components_and_their_graph() -> None:
    bom = {
        "metadata": {"component": {"bom-ref": "root-component", "name": "svjournal"}},
        "components": [
            {"bom-ref": "SQLAlchemy==2.1.9", "name": "SQLAlchemy"},
            {"bom-ref": "pytest==9.2.0", "name": "pytest"},
            {"bom-ref": "typing_extensions==4.16.0", "name": "typing_extensions"},
        ],
        "dependencies": [
            {"ref": "root-component", "dependsOn": ["SQLAlchemy==2.1.9", "pytest==9.2.0"]},
            {"ref": "SQLAlchemy==2.1.9", "dependsOn": ["typing_extensions==4.16.0"]},
            {"ref": "pytest==9.2.0", "dependsOn": ["typing_extensions==4.16.0"]},
        ],
    }
    kept = sbom.shipped_only(bom, {"sqlalchemy", "typing-extensions"})
    assert [c["name"] for c in kept["components"]] == ["SQLAlchemy", "typing_extensions"]
    assert kept["dependencies"] == [
        {"ref": "root-component", "dependsOn": ["SQLAlchemy==2.1.9"]},
        {"ref": "SQLAlchemy==2.1.9", "dependsOn": ["typing_extensions==4.16.0"]},
    ]
    assert kept["metadata"] == bom["metadata"]
