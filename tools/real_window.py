"""The app in a real X window: a smoke test, and screenshots of the whole screen.

    python -m tools.real_window smoke                 # `make smoke-x11`, run by .ci/run
    python -m tools.real_window screenshots           # `make screenshots-x11`

Each run starts its own Xvfb (a free display number unless --display is given) with the
openbox window manager, makes a throwaway demo journal (fictional data) in a temporary
folder, and runs the app with Qt's xcb platform plugin under tools/real_window_driver.py,
which types the passphrase and presses keys through the X server with xdotool.

The smoke test, on a 1024x640 and a 1366x768 screen: start, unlock, visit every page (and
tab), open a case, open and cancel an encounter form, lock, quit with the window manager's
close. It fails on any traceback, any Qt warning, a window ever larger than the screen, or a
step that does not happen in time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "lantern orchard velvet compass"  # a throwaway journal of fictional data
SIZES = ("1024x640", "1366x768", "1920x1080")

# What the run needs, and the Debian package that provides it.
PROGRAMS = {"Xvfb": "xvfb", "openbox": "openbox", "xdotool": "xdotool", "import": "imagemagick"}
LIBRARIES = {  # Qt's xcb platform plugin loads these
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libX11-xcb.so.1": "libx11-xcb1",
}


def missing_packages() -> list[str]:
    missing = [pkg for prog, pkg in PROGRAMS.items() if shutil.which(prog) is None]
    try:
        known = subprocess.run(
            ["ldconfig", "-p"], capture_output=True, text=True, check=False
        ).stdout
    except OSError:  # no ldconfig (not Linux): let Qt say what it lacks
        known = " ".join(LIBRARIES)
    missing += [pkg for lib, pkg in LIBRARIES.items() if lib not in known]
    return missing


@contextlib.contextmanager
def x_server(size: str, display: str | None, workdir: Path) -> Iterator[str]:
    """Xvfb at `size` with openbox on it; yields the DISPLAY value. Both end with the block."""
    command = ["Xvfb", "-screen", "0", f"{size}x24", "-nolisten", "tcp", "-noreset"]
    if display:
        xvfb = subprocess.Popen(
            [command[0], display, *command[1:]],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        name = display
    else:  # Xvfb picks a free display and writes its number to the pipe
        read, write = os.pipe()
        xvfb = subprocess.Popen(
            [*command, "-displayfd", str(write)],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            name = f":{pipe.readline().strip()}"
    env = {**os.environ, "DISPLAY": name}
    wm = None
    try:
        _wait(lambda: _ok(["xdotool", "getdisplaygeometry"], env), "Xvfb to start")
        wm = subprocess.Popen(
            ["openbox", "--sm-disable"],
            env={**env, "HOME": str(workdir)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # openbox sets the current desktop on the root window once it manages the screen
        _wait(lambda: _ok(["xdotool", "get_desktop"], env), "openbox to start")
        yield name
    finally:
        for process in (wm, xvfb):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()


def _ok(command: list[str], env: dict[str, str]) -> bool:
    return (
        subprocess.run(command, env=env, capture_output=True, check=False, timeout=10).returncode
        == 0
    )


def _wait(test: object, what: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not test():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise SystemExit(f"real_window: timed out waiting for {what}")
        time.sleep(0.1)


def demo_vault(workdir: Path) -> Path:
    vault = workdir / "vault"
    secret = workdir / "passphrase"
    secret.write_text(PASSPHRASE + "\n")
    subprocess.run(
        [
            *(sys.executable, "-m", "svjournal", "demo", "--vault", str(vault)),
            *("--passphrase-file", str(secret), "--cases", "40", "--seed", "7"),
        ],
        cwd=ROOT,
        env=_env(workdir, {}),
        check=True,
        capture_output=True,  # its recovery key is of no use to anyone
        timeout=120,
    )
    secret.unlink()
    return vault


def _env(workdir: Path, extra: dict[str, str]) -> dict[str, str]:
    runtime = workdir / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
        ),
        "TMPDIR": str(workdir),  # the single-instance socket
        "XDG_RUNTIME_DIR": str(runtime),
        "XDG_CONFIG_HOME": str(workdir / "config"),  # remembered window state: a fresh one
        **extra,
    }
    env.pop("SESSION_MANAGER", None)  # no session manager on this X server
    return env


def drive(
    tour: str, vault: Path, display: str, workdir: Path, *more: str
) -> tuple[bool, dict[str, object], str]:
    """Run the app under the driver; (passed, report, stderr)."""
    config = workdir / "config"
    shutil.rmtree(config, ignore_errors=True)  # each run starts as on a new workstation
    env = _env(workdir, {"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"})
    command = [sys.executable, "-m", "tools.real_window_driver", tour, "--vault", str(vault)]
    # Files, not pipes: the app's chart processes would hold a pipe open if the app died.
    out_path, err_path = workdir / f"{tour}.out", workdir / f"{tour}.err"
    with out_path.open("w") as out, err_path.open("w") as err:
        child = subprocess.Popen(
            [*command, *more],
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=err,
            cwd=ROOT,
            env=env,
            text=True,
            start_new_session=True,  # its own process group, ended with it below
        )
        assert child.stdin is not None
        child.stdin.write(PASSPHRASE + "\n")
        child.stdin.close()
        try:
            code: int | None = child.wait(timeout=180)
        except subprocess.TimeoutExpired:
            code = None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)  # whatever it left behind
        child.wait()
    stdout, stderr = out_path.read_text(), err_path.read_text()
    if code is None:
        return False, {"errors": ["the app did not finish within 180 s"]}, stderr
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    report: dict[str, object] = json.loads(lines[-1]) if lines else {}
    if not lines:
        report["errors"] = [f"the app ended with {code} before reporting (a crash?)"]
    passed = code == 0 and bool(lines) and "Traceback" not in stderr
    return passed, report, stderr


def _problems(report: dict[str, object], stderr: str) -> list[str]:
    found: list[str] = []
    for key in ("errors", "warnings", "oversize"):
        found += [f"{key}: {item}" for item in report.get(key, []) or []]  # type: ignore[attr-defined]
    if "Traceback" in stderr:
        found.append("a traceback on stderr")
    return found


def smoke(args: argparse.Namespace) -> int:
    failed = 0
    with tempfile.TemporaryDirectory(prefix="svjournal-x11-") as tmp:
        workdir = Path(tmp)
        vault = demo_vault(workdir)
        for size in args.sizes.split(","):
            started = time.monotonic()
            with x_server(size, args.display, workdir) as display:
                passed, report, stderr = drive("smoke", vault, display, workdir)
            took = time.monotonic() - started
            steps = report.get("steps", []) or []
            if passed:
                print(f"smoke-x11: passed at {size}: {len(steps)} steps in {took:.0f} s")  # type: ignore[arg-type]
                continue
            failed += 1
            print(f"smoke-x11: FAILED at {size} after {took:.0f} s", file=sys.stderr)
            for problem in _problems(report, stderr) or ["the app exited with an error"]:
                print(f"  {problem}", file=sys.stderr)
            print("--- the app's stderr (last 40 lines) ---", file=sys.stderr)
            print("\n".join(stderr.splitlines()[-40:]), file=sys.stderr)
    return 1 if failed else 0


def screenshots(args: argparse.Namespace) -> int:
    failures = 0
    with tempfile.TemporaryDirectory(prefix="svjournal-x11-") as tmp:
        workdir = Path(tmp)
        vault = demo_vault(workdir)
        for size in args.sizes.split(","):
            with x_server(size, args.display, workdir) as display:
                for scheme in ("light", "dark"):
                    out = args.out / size
                    passed, report, stderr = drive(
                        "shots", vault, display, workdir, "--out", str(out), "--scheme", scheme
                    )
                    for path in report.get("shots", []) or []:  # type: ignore[attr-defined]
                        print(path)
                    if not passed:
                        failures += 1
                        print(f"screenshots-x11: {size} {scheme} FAILED", file=sys.stderr)
                        for problem in _problems(report, stderr):
                            print(f"  {problem}", file=sys.stderr)
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--display", help="an X display number such as :13 (default: a free one)")
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("smoke", help="the real-window smoke test")
    one.add_argument(
        "--sizes",
        default="1024x640,1366x768",
        help="screen sizes, one run each (default: the smallest supported and a common one)",
    )
    many = sub.add_parser("screenshots", help="whole-screen pictures at several sizes")
    many.add_argument("--sizes", default=",".join(SIZES))
    many.add_argument("--out", type=Path, default=ROOT / "build" / "screenshots-x11")
    args = parser.parse_args()
    missing = missing_packages()
    if missing:
        print(
            "real_window: missing Debian packages: " + " ".join(missing) + "\n"
            "  install them with: sudo apt-get install " + " ".join(missing),
            file=sys.stderr,
        )
        return 2
    return smoke(args) if args.command == "smoke" else screenshots(args)


if __name__ == "__main__":
    sys.exit(main())
