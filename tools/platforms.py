"""The installer's platform decisions, as data, so that Linux can test what Windows and macOS get.

build_installer.spec builds what build_plan(sys.platform) says; the Makefile asks
`python -m tools.platforms self-test` which executable runs the frozen self-test.

Windows and macOS tell GUI programs from console programs at build time: a console build
opens a terminal window next to the app, a windowed build has no stdout for the CLI commands.
So there they get two executables sharing one folder of libraries: `svjournal` (windowed; the
desktop app) and `svjournal-cli` (console; commands and `--self-test`). Linux has no such
distinction: one console `svjournal` does both.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass

from packaging.version import Version

NAME = "svjournal"


@dataclass(frozen=True)
class Executable:
    name: str
    console: bool


@dataclass(frozen=True)
class BuildPlan:
    # In this order: macOS takes the .app's executable from the first one.
    executables: tuple[Executable, ...]
    self_test: str  # the file in dist/svjournal/ that runs `--self-test` (a console one)
    icon: str | None  # for the executables, relative to the project root
    version_resource: bool  # Explorer's file properties (Windows only)
    app_bundle: str | None  # the .app beside the folder (macOS only)
    app_icon: str | None  # the .app's icon
    strip_debug_symbols: bool  # see stripped() in the spec; needs binutils

    @property
    def app(self) -> Executable:
        return self.executables[0]


def is_windows(platform: str) -> bool:
    return platform == "win32"


def is_macos(platform: str) -> bool:
    return platform == "darwin"


def build_plan(
    platform: str = sys.platform, have_tool: Callable[[str], object] = shutil.which
) -> BuildPlan:
    windows, macos = is_windows(platform), is_macos(platform)
    executables: tuple[Executable, ...]
    if windows or macos:
        executables = (Executable(NAME, console=False), Executable(f"{NAME}-cli", console=True))
    else:
        executables = (Executable(NAME, console=True),)
    console = next(e for e in executables if e.console)
    return BuildPlan(
        executables=executables,
        self_test=f"{console.name}.exe" if windows else console.name,
        icon="resources/svjournal.ico" if windows else None,
        version_resource=windows,
        app_bundle=f"{NAME}.app" if macos else None,
        app_icon="resources/svjournal.icns" if macos else None,
        strip_debug_symbols=platform.startswith("linux")
        and all(have_tool(tool) for tool in ("strip", "readelf")),
    )


def windows_version_numbers(version: str) -> tuple[int, int, int, int]:
    """Four numbers, as Windows' version resource wants them: "0.1.0" → (0, 1, 0, 0).

    A pre-release keeps its release numbers ("1.2.0rc1" → (1, 2, 0, 0)), never its rc number."""
    release = (*Version(version).release, 0, 0, 0)[:4]
    return (release[0], release[1], release[2], release[3])


if __name__ == "__main__":
    if sys.argv[1:] == ["self-test"]:
        print(build_plan().self_test)
    else:
        print("usage: python -m tools.platforms self-test", file=sys.stderr)
        sys.exit(2)
