"""Where the journal lives by default on Windows, macOS and Linux, checked on Linux (issue 11,
part 6): default_vault_path() with platformdirs' implementation for each platform, as the
README states them."""

from __future__ import annotations

import sys
from pathlib import Path, PureWindowsPath

import platformdirs
import platformdirs.macos
import platformdirs.unix
import platformdirs.windows
import pytest

from svjournal.core.vault import default_vault_path

IMPLEMENTATIONS = {
    "win32": platformdirs.windows.Windows,
    "darwin": platformdirs.macos.MacOS,
    "linux": platformdirs.unix.Unix,
}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("SVJOURNAL_VAULT", "SVJOURNAL_PORTABLE_ROOT", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path


def on(platform: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # platformdirs picks its class when imported; this is the one that platform would get.
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(platformdirs, "PlatformDirs", IMPLEMENTATIONS[platform])


def test_windows_keeps_the_journal_in_local_not_roaming_appdata(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # platformdirs' own stand-ins for the Windows known-folder lookup.
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", r"C:\Users\ann\AppData\Local")
    monkeypatch.setenv("WIN_PD_OVERRIDE_APPDATA", r"C:\Users\ann\AppData\Roaming")
    on("win32", monkeypatch)
    # Local: a roaming profile would copy the journal to the profile server and other PCs.
    expected = PureWindowsPath(r"C:\Users\ann\AppData\Local\svjournal\vault")
    assert PureWindowsPath(str(default_vault_path())) == expected


def test_macos_keeps_the_journal_in_application_support(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on("darwin", monkeypatch)
    assert default_vault_path() == home / "Library" / "Application Support" / "svjournal" / "vault"


def test_linux_keeps_the_journal_in_the_xdg_data_folder(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on("linux", monkeypatch)
    assert default_vault_path() == home / ".local" / "share" / "svjournal" / "vault"
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    assert default_vault_path() == home / "data" / "svjournal" / "vault"


@pytest.mark.parametrize("platform", sorted(IMPLEMENTATIONS))
def test_an_explicit_vault_wins_on_every_platform(
    platform: str, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", r"C:\Users\ann\AppData\Local")
    on(platform, monkeypatch)
    monkeypatch.setenv("SVJOURNAL_VAULT", str(home / "elsewhere"))
    assert default_vault_path() == home / "elsewhere"
