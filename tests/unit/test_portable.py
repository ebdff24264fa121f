"""Portable use: where the marker is looked for, where the journal then lives, no keyring."""

from __future__ import annotations

from pathlib import Path

import pytest

from svjournal.core import portable
from svjournal.core.policy import current_policy
from svjournal.core.vault import default_vault_path


def test_running_from_source_is_never_portable(tmp_path: Path) -> None:
    (tmp_path / "portable").touch()
    python = str(tmp_path / "python3")
    assert portable.portable_root(executable=python, frozen=False, environ={}) is None


def test_a_frozen_executable_with_a_marker_beside_it_is_portable(tmp_path: Path) -> None:
    exe = str(tmp_path / "svjournal.exe")
    assert portable.portable_root(executable=exe, frozen=True, environ={}) is None
    (tmp_path / "portable").touch()
    root = portable.portable_root(executable=exe, frozen=True, environ={})
    assert root == tmp_path.resolve()
    assert portable.portable_vault_path(root) == tmp_path.resolve() / "svjournal-data" / "vault"


def test_a_folder_named_portable_is_not_a_marker(tmp_path: Path) -> None:
    (tmp_path / "portable").mkdir()
    exe = str(tmp_path / "svjournal")
    assert portable.portable_root(executable=exe, frozen=True, environ={}) is None


def test_env_override_stands_in_for_the_executable_folder(tmp_path: Path) -> None:
    env = {"SVJOURNAL_PORTABLE_ROOT": str(tmp_path)}
    assert portable.portable_root(frozen=False, environ=env) is None  # no marker yet
    (tmp_path / "portable").write_text("")
    assert portable.portable_root(frozen=False, environ=env) == tmp_path


def test_default_vault_is_beside_the_executable_in_portable_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SVJOURNAL_VAULT", raising=False)
    monkeypatch.setenv("SVJOURNAL_PORTABLE_ROOT", str(tmp_path))
    assert default_vault_path() != tmp_path / "svjournal-data" / "vault"  # no marker
    (tmp_path / "portable").touch()
    assert default_vault_path() == tmp_path / "svjournal-data" / "vault"
    monkeypatch.setenv("SVJOURNAL_VAULT", str(tmp_path / "explicit"))
    assert default_vault_path() == tmp_path / "explicit"  # an explicit choice still wins


def test_portable_use_refuses_remembering(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVJOURNAL_PORTABLE_ROOT", str(tmp_path))
    assert current_policy().remember_refusal() is None
    (tmp_path / "portable").touch()
    policy = current_policy()
    refusal = policy.remember_refusal()
    assert refusal is not None and "portable use" in refusal
    assert policy.portable_marker == tmp_path / "portable"
