"""What the installer build makes on Windows, macOS and Linux, checked on Linux (issue 11,
part 6): tools/platforms.py's decisions, and build_installer.spec run against stand-ins for
PyInstaller's build steps so that the spec is seen to carry them out."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest

import svjournal
from tools.platforms import Executable, build_plan, windows_version_numbers

ROOT = Path(__file__).resolve().parents[2]


def no_tools(_tool: str) -> None:
    return None


def test_windows_has_a_windowed_app_and_a_console_cli_with_icon_and_version() -> None:
    plan = build_plan("win32", no_tools)
    assert plan.executables == (
        Executable("svjournal", console=False),
        Executable("svjournal-cli", console=True),
    )
    assert plan.self_test == "svjournal-cli.exe"
    assert plan.icon == "resources/svjournal.ico" and plan.version_resource
    assert plan.app_bundle is None and not plan.strip_debug_symbols


def test_macos_has_the_windowed_app_first_for_the_app_bundle() -> None:
    plan = build_plan("darwin", no_tools)
    assert plan.app == Executable("svjournal", console=False)
    assert plan.executables[1] == Executable("svjournal-cli", console=True)
    assert plan.self_test == "svjournal-cli"
    assert plan.app_bundle == "svjournal.app" and plan.app_icon == "resources/svjournal.icns"
    assert plan.icon is None and not plan.version_resource and not plan.strip_debug_symbols


def test_linux_has_one_console_executable_for_app_and_commands() -> None:
    plan = build_plan("linux", lambda tool: f"/usr/bin/{tool}")
    assert plan.executables == (Executable("svjournal", console=True),)
    assert plan.self_test == "svjournal"
    assert plan.icon is None and plan.app_bundle is None and not plan.version_resource
    assert plan.strip_debug_symbols
    assert not build_plan("linux", no_tools).strip_debug_symbols  # no binutils: left as is


def test_every_icon_the_plans_name_is_in_the_repository() -> None:
    for platform in ("win32", "darwin", "linux"):
        plan = build_plan(platform, no_tools)
        for icon in (plan.icon, plan.app_icon):
            assert icon is None or (ROOT / icon).is_file(), icon


@pytest.mark.parametrize(
    ("version", "numbers"),
    [("0.1.0", (0, 1, 0, 0)), ("2.3", (2, 3, 0, 0)), ("1.2.3.4.5", (1, 2, 3, 4)),
     ("1.2.0rc1", (1, 2, 0, 0))],
)  # fmt: skip
def test_windows_version_numbers(version: str, numbers: tuple[int, ...]) -> None:
    assert windows_version_numbers(version) == numbers


class Recorder:
    """Stand-ins for the names PyInstaller gives a spec; each call is recorded."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def step(self, name: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, kwargs))
            return types.SimpleNamespace(pure=[], scripts=[], binaries=[], datas=[], args=args)

        return call

    def named(self, name: str) -> list[dict[str, Any]]:
        return [kwargs for step, kwargs in self.calls if step == name]


def run_spec(platform: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Recorder:
    recorder = Recorder()
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_data_files = lambda *a, **k: []  # type: ignore[attr-defined]
    hooks.collect_submodules = lambda *a, **k: []  # type: ignore[attr-defined]
    hooks.copy_metadata = lambda *a, **k: []  # type: ignore[attr-defined]
    versioninfo = types.ModuleType("PyInstaller.utils.win32.versioninfo")
    for name in ("FixedFileInfo", "StringFileInfo", "StringStruct", "StringTable", "VarFileInfo",
                 "VarStruct", "VSVersionInfo"):  # fmt: skip
        setattr(versioninfo, name, recorder.step(name))
    for module in ("PyInstaller", "PyInstaller.utils", "PyInstaller.utils.win32"):
        monkeypatch.setitem(sys.modules, module, types.ModuleType(module))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.win32.versioninfo", versioninfo)
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the spec puts the project root first
    spec_globals: dict[str, Any] = {
        "SPECPATH": str(ROOT),
        "workpath": str(tmp_path),
        **{name: recorder.step(name) for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")},
    }
    source = (ROOT / "build_installer.spec").read_text(encoding="utf-8")
    exec(compile(source, "build_installer.spec", "exec"), spec_globals)
    return recorder


def test_the_spec_builds_for_windows_what_the_plan_says(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    built = run_spec("win32", monkeypatch, tmp_path)
    exes = built.named("EXE")
    assert [(e["name"], e["console"]) for e in exes] == [
        ("svjournal", False),
        ("svjournal-cli", True),
    ]
    assert all(e["icon"] == str(ROOT / "resources" / "svjournal.ico") for e in exes)
    assert all(e["version"] is not None for e in exes)
    # The version resource shows the package version, as four numbers.
    fixed = built.named("FixedFileInfo")
    assert len(fixed) == 2
    assert all(f["filevers"] == windows_version_numbers(svjournal.__version__) for f in fixed)
    assert not built.named("BUNDLE")


def test_the_spec_builds_for_macos_an_app_around_the_windowed_executable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    built = run_spec("darwin", monkeypatch, tmp_path)
    assert [(e["name"], e["console"]) for e in built.named("EXE")] == [
        ("svjournal", False),
        ("svjournal-cli", True),
    ]
    assert all(e["icon"] is None and e["version"] is None for e in built.named("EXE"))
    (bundle,) = built.named("BUNDLE")
    assert bundle["name"] == "svjournal.app"
    assert bundle["icon"] == str(ROOT / "resources" / "svjournal.icns")
    assert bundle["info_plist"]["NSHighResolutionCapable"] is True


def test_the_spec_builds_for_linux_one_console_executable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    built = run_spec("linux", monkeypatch, tmp_path)
    assert [(e["name"], e["console"]) for e in built.named("EXE")] == [("svjournal", True)]
    assert not built.named("BUNDLE") and not built.named("VSVersionInfo")
    (collected,) = built.named("COLLECT")
    assert collected["name"] == "svjournal"
