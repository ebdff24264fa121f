"""`make bench`: run every benchmark at each vault size and regenerate BENCHMARKS.md.

For each size a cached demo vault (and its plain twin) is copied afresh, then two new
interpreters run the figures (`benchmarks.size_bench core` and `app`), so each one's peak
memory belongs to that size; start-up is timed from here, one new interpreter per run.
Team-bundle import is timed once (its size is fixed by issue 5's goal).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlcipher3

from benchmarks.core_bench import Timing
from benchmarks.vaults import SEED, DemoPair, prepare, working_copy
from svjournal.core.keyfile import KdfParams

ROOT = Path(__file__).resolve().parents[1]
MEMORY_TARGET_MB = 300
MEMORY_TARGET_ENCOUNTERS = 100_000


@dataclass
class SizeResult:
    pair: DemoPair
    build_seconds: float
    runs: int
    heavy_runs: int
    app: list[Timing] = field(default_factory=list)
    core: list[Timing] = field(default_factory=list)
    app_peak: int = 0
    checkpoints: dict[str, int] = field(default_factory=dict)
    workers: list[int] = field(default_factory=list)


def describe_machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    conn = sqlcipher3.connect(":memory:")
    cipher = conn.execute("PRAGMA cipher_version").fetchone()[0]
    conn.close()
    return [
        f"- CPU: {cpu}, {os.cpu_count()} logical cores; memory: {memory or 'unknown'}",
        f"- OS: {platform.system()} {platform.release()} ({platform.machine()})",
        f"- Python {platform.python_version()}; SQLCipher {cipher} "
        f"(SQLite {sqlcipher3.sqlite_version}); the plain twin is the same library unkeyed",
    ]


def load_average() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "unknown"


# --- running ------------------------------------------------------------------------------


def heavy_runs_for(encounters: int, args: argparse.Namespace) -> int:
    """Runs for the slow figures (seconds each): fewer at 100,000 encounters."""
    if args.heavy_runs:
        return int(args.heavy_runs)
    return 3 if encounters >= 100_000 else 5


def child(kind: str, pair: DemoPair, args: argparse.Namespace, heavy: int) -> dict[str, Any]:
    out = pair.vault.parent / f"{kind}.json"
    command = [
        sys.executable,
        "-m",
        "benchmarks.size_bench",
        kind,
        f"--vault={pair.vault}",
        f"--plain={pair.plain}",
        f"--per-case={pair.per_case}",
        f"--saves={args.saves}",
        f"--runs={args.runs}",
        f"--heavy-runs={heavy}",
        f"--json={out}",
    ]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(command, env=env, cwd=ROOT, check=True, timeout=3 * 3600)
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def run_size(workdir: Path, encounters: int, args: argparse.Namespace) -> SizeResult:
    from benchmarks.ui_bench import bench_startup

    cases = encounters // args.per_case
    progress(f"{encounters:,} encounters: demo vault ({cases:,} cases)")
    pair, built = prepare(workdir, cases, args.per_case)
    heavy = heavy_runs_for(encounters, args)
    result = SizeResult(pair, built, args.runs, heavy)
    scratch = workdir / "run"
    try:
        if encounters > args.app_max:  # a growth check of the core only (issue 15 part 5)
            progress(f"{encounters:,} encounters: core queries, dashboard SQL, summaries")
            core = child("growth", working_copy(pair, scratch), args, heavy)
            result.core = [Timing(**t) for t in core["timings"]]
            return result
        progress(f"{encounters:,} encounters: core, queries, report, backup")
        core = child("core", working_copy(pair, scratch), args, heavy)
        result.core = [Timing(**t) for t in core["timings"]]
        copy = working_copy(pair, scratch)
        progress(f"{encounters:,} encounters: start-up")
        result.app.append(bench_startup(copy.vault, max(5, heavy)))
        progress(f"{encounters:,} encounters: desktop app")
        app = child("app", copy, args, heavy)
        result.app.extend(Timing(**t) for t in app["timings"])
        result.app_peak = int(app["peak_bytes"])
        result.checkpoints = {k: int(v) for k, v in app["checkpoints"].items()}
        result.workers = [int(w) for w in app["workers"]]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return result


def progress(message: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# --- writing ------------------------------------------------------------------------------


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "–"
    if value >= 1000:
        return f"{value / 1000:.2f} s"
    return f"{value:.0f} ms" if value >= 100 else f"{value:.1f} ms"


def fmt_target(value: float | None) -> str:
    if value is None:
        return "–"
    return f"≤ {value / 1000:g} s" if value >= 1000 else f"≤ {value:g} ms"


def fmt_cell(t: Timing) -> str:
    """The median; for a target set against a floor, the ratio and the floor too."""
    if t.ratio_target is None or t.ratio is None:
        return fmt_ms(t.median_ms)
    return f"{fmt_ms(t.median_ms)} = {t.ratio:.2f}× {fmt_ms(t.plain_median_ms)}"


def fmt_mb(value: int | None) -> str:
    return "–" if value is None else f"{value / 1_000_000:.0f} MB"


def size_heading(result: SizeResult) -> str:
    return f"{result.pair.encounters:,}"


def _met(timings: dict[int, Timing]) -> str:
    judged = {size: t.meets_target for size, t in timings.items() if t.meets_target is not None}
    if not judged:
        return "–"
    missed = [f"{size:,}" for size, ok in judged.items() if not ok]
    return "yes" if not missed else f"**no** at {', '.join(missed)}"


def _by_name(results: list[SizeResult], part: str) -> list[tuple[str, dict[int, Timing]]]:
    """Each scenario (in the order measured) with its timing at every size."""
    rows: dict[str, dict[int, Timing]] = {}
    for result in results:
        for t in getattr(result, part):
            rows.setdefault(t.name, {})[result.pair.encounters] = t
    return list(rows.items())


def summary_table(results: list[SizeResult], part: str) -> list[str]:
    sizes = [r.pair.encounters for r in results]
    lines = [
        "| scenario | target | " + " | ".join(f"{s:,}" for s in sizes) + " | met |",
        "|---|---:|" + "---:|" * len(sizes) + ":-:|",
    ]
    for name, by_size in _by_name(results, part):
        any_timing = next(iter(by_size.values()))
        target = fmt_target(any_timing.target_ms)
        if any_timing.ratio_target is not None:
            target = f"≤ {any_timing.ratio_target:g}× floor"
        cells = [fmt_cell(by_size[s]) if s in by_size else "–" for s in sizes]
        lines.append(f"| {name} | {target} | " + " | ".join(cells) + f" | {_met(by_size)} |")
    return lines


def ratio_table(results: list[SizeResult]) -> list[str]:
    sizes = [r.pair.encounters for r in results]
    lines = [
        "| scenario | " + " | ".join(f"{s:,}" for s in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for name, by_size in _by_name(results, "core"):
        if all(t.ratio is None for t in by_size.values()):
            continue
        cells = []
        for s in sizes:
            t = by_size.get(s)
            cells.append(
                "–"
                if t is None or t.ratio is None
                else f"{t.ratio:.2f}× ({fmt_ms(t.median_ms)} / {fmt_ms(t.plain_median_ms)})"
            )
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def memory_table(results: list[SizeResult]) -> list[str]:
    results = [r for r in results if r.app]  # sizes measured for the core only have none
    sizes = [r.pair.encounters for r in results]
    judged = MEMORY_TARGET_ENCOUNTERS in sizes
    target = f"≤ {MEMORY_TARGET_MB} MB at {MEMORY_TARGET_ENCOUNTERS:,}"

    def met(values: dict[int, int | None]) -> str:
        value = values.get(MEMORY_TARGET_ENCOUNTERS)
        if not judged or value is None:
            return f"– ({MEMORY_TARGET_ENCOUNTERS:,} not measured)"
        return "yes" if value <= MEMORY_TARGET_MB * 1_000_000 else "**no**"

    rows: list[tuple[str, dict[int, int | None], bool]] = [
        (
            "App process: a whole session (every step above, then a PDF report and a backup)",
            {r.pair.encounters: r.app_peak for r in results},
            True,
        ),
        (
            "App process: resident at the end of that session (what it keeps, not its peak)",
            {r.pair.encounters: r.checkpoints.get("now:Backup") for r in results},
            True,
        ),
        (
            "Largest chart worker process",
            {r.pair.encounters: max(r.workers) if r.workers else None for r in results},
            False,
        ),
        (
            "App + all its chart workers (sum of their peaks: an upper bound)",
            {r.pair.encounters: r.app_peak + sum(r.workers) for r in results},
            True,
        ),
    ]
    lines = [
        "| process | " + " | ".join(f"{s:,}" for s in sizes) + " | target | met |",
        "|---|" + "---:|" * len(sizes) + "---|:-:|",
    ]
    for name, values, targeted in rows:
        cells = " | ".join(fmt_mb(values.get(s)) for s in sizes)
        tail = f"{target} | {met(values)}" if targeted else "– | –"
        lines.append(f"| {name} | {cells} | {tail} |")
    workers = {len(r.workers) for r in results}
    lines += [
        "",
        f"Chart workers on this machine: {', '.join(str(w) for w in sorted(workers))} "
        "(spawned processes drawing the charts; one per core, at most four). Unlocking",
        f"allocates Argon2id's {KdfParams().memory_kib // 1024} MiB for a moment, and that "
        "counts in the app's peak.",
        "",
        "The app process after each step: its peak so far / its resident set at that moment",
        "(the peak keeps brief allocations such as Argon2id's; the resident set is what stays):",
        "",
        "| after | " + " | ".join(f"{s:,}" for s in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    steps: dict[str, dict[int, int]] = {}
    for r in results:
        for step, value in r.checkpoints.items():
            steps.setdefault(step, {})[r.pair.encounters] = value
    for step, at in steps.items():
        if step.startswith("now:"):
            continue
        now = steps.get(f"now:{step}", {})
        cells = [fmt_mb(at.get(s)) + (f" / {fmt_mb(now[s])}" if s in now else "") for s in sizes]
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    return lines


def table(timings: list[Timing]) -> list[str]:
    lines = [
        "| scenario | median | p95 | runs | target | met | plain SQLite | SQLCipher / plain |",
        "|---|---:|---:|---:|---:|:-:|---:|---:|",
    ]
    for t in timings:
        met = {True: "yes", False: "**no**", None: "–"}[t.meets_target]
        ratio = "–" if t.ratio is None else f"{t.ratio:.2f}×"
        lines.append(
            f"| {t.name} | {fmt_ms(t.median_ms)} | {fmt_ms(t.p95_ms)} | {t.runs} | "
            f"{fmt_target(t.target_ms)} | {met} | {fmt_ms(t.plain_median_ms)} | {ratio} |"
        )
    notes = [f"- {t.name}: {t.note}" for t in timings if t.note]
    return lines + (["", *notes] if notes else [])


def details(result: SizeResult) -> list[str]:
    pair = result.pair
    built = (
        f"built in {result.build_seconds:.0f} s"
        if result.build_seconds
        else "taken from the work folder's cache"
    )
    return [
        f"### {pair.encounters:,} encounters ({pair.cases:,} cases × {pair.per_case})",
        "",
        f"Demo vault {built}; quick figures {result.runs} runs, slow ones "
        f"{result.heavy_runs} (each after warm-up).",
        "",
        *table(result.app),
        "",
        *table(result.core),
        "",
    ]


def import_section(found: dict[str, Any] | None) -> list[str]:
    if found is None:
        return ["Not measured in this run (`--no-import`).", ""]
    target_ms = found["target_seconds"] * 1000
    median_ms = found["import_seconds"] * 1000
    met = "yes" if found["meets_target"] else "**no**"
    runs = found["runs"]
    return [
        f"{found['bundles']} real bundles of {found['encounters_per_bundle']:,} encounters each "
        f"({found['bundle_bytes'] / 1_000_000:.1f} MB in all), imported into a new coordinator "
        f"vault; median of {runs} run{'s' if runs != 1 else ''}, each into a fresh vault "
        f"({', '.join(f'{s:.2f} s' for s in found['import_seconds_all'])}).",
        "",
        "| scenario | median | runs | target | met |",
        "|---|---:|---:|---:|:-:|",
        f"| {found['name']} | {fmt_ms(median_ms)} | {runs} | {fmt_target(target_ms)} | {met} |",
        f"| … the same ten again (each recognised as already imported) | "
        f"{fmt_ms(found['reimport_seconds'] * 1000)} | {runs} | – | – |",
        f"| Merged team database built from them | "
        f"{fmt_ms(found['team_engine_seconds'] * 1000)} | {runs} | – | – |",
        f"| Team dashboard figures over it | "
        f"{fmt_ms(found['dashboard_seconds'] * 1000)} | {runs} | – | – |",
        "",
        f"- {found['note']}",
        "",
    ]


def how_to_read(args: argparse.Namespace, sizes: list[int]) -> list[str]:
    slow = str(args.heavy_runs) if args.heavy_runs else "5, or 3 at 100,000 encounters and more"
    return [
        "## How to read this",
        "",
        "- Every figure was measured on the machine described above by the command shown, never",
        "  estimated. Each is the median of several runs after warm-up runs; the details per size",
        "  give the 95th percentile and the number of runs. Quick figures take "
        f"{args.runs} runs (each",
        "  keystroke or save counts as one); slow ones (start-up, unlock, dashboard, report,",
        f"  backup) take {slow}. The GUI stall is a maximum, not a median.",
        "- **met**: the median is within the target at every size measured; otherwise the sizes",
        "  that miss are named. Targets come from the issues; start-up includes a new interpreter.",
        "- **SQLCipher / plain**: the same figure on a plain-SQLite twin of the vault (the same",
        "  library unkeyed, the same rows, indexes and code path), the two run by turns;",
        "  1.00× means encryption costs nothing measurable there; small differences are noise.",
        "- **Peak memory**: peak resident set (VmHWM in /proc) in MB (10⁶ bytes) of a new",
        "  process per size: the app's own process through a whole session, and the chart",
        "  workers (separate processes) apart. Target: the app at 100,000 encounters.",
        f"- The vaults: fictional demo data (seed {SEED}), "
        + " / ".join(f"{s // args.per_case:,}" for s in sizes)
        + f" cases of {args.per_case} encounters each, spread over",
        '  the two years before 26 November 2026; "one year" is the 365 days up to that date.',
        f"- Sizes above {args.app_max:,} encounters are measured for the core only, as a",
        "  growth check: each figure should grow no faster than the data (10× per column).",
        "- **floor**: a target set as a ratio is judged against a floor measured in the same",
        "  run, by turns: plain SQLite for the dashboard SQL, a bare PySide6 window for start-up.",
        "- Other work on the machine slows every figure: compare the load averages above.",
        "",
    ]


def write(
    args: argparse.Namespace,
    results: list[SizeResult],
    bundles: dict[str, Any] | None,
    elapsed: float,
    loads: tuple[str, str],
) -> str:
    sizes = [r.pair.encounters for r in results]
    command = shlex.join(["python", "-m", "benchmarks.run", *sys.argv[1:]])
    lines = [
        "# Benchmarks",
        "",
        "Regenerated by `make bench`, which runs",
        "`QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.run --output BENCHMARKS.md`.",
        f"This file came from `{command}`.",
        "",
        f"Generated {datetime.now().isoformat(timespec='minutes')} in {elapsed / 60:.1f} min on:",
        "",
        *describe_machine(),
        f"- Load average (1 min): {loads[0]} at the start, {loads[1]} at the end",
        "",
        *how_to_read(args, sizes),
        "## Desktop app (offscreen Qt), median by vault size (encounters)",
        "",
        "The demo vault driven through the real widgets. Start-up is a new interpreter running",
        "exactly what the `svjournal` command runs until its lock screen is painted",
        "(`benchmarks/startup_probe.py app`), by turns with its floor: a new interpreter",
        "painting a bare PySide6 window with a label, a password field and a button",
        "(`startup_probe.py floor`); the cell reads median = ratio × the floor's median.",
        "",
        *summary_table(results, "app"),
        "",
        "## Core and exports, median by vault size (encounters)",
        "",
        "The service, queries, PDF report and backup, without the GUI.",
        "",
        *summary_table(results, "core"),
        "",
        "## SQLCipher / plain SQLite (SQLCipher median / plain median)",
        "",
        *ratio_table(results),
        "",
        "## Peak memory (resident set)",
        "",
        *memory_table(results),
        "",
        "## Team bundles: import",
        "",
        *import_section(bundles),
        "## Details per size",
        "",
    ]
    for result in results:
        lines += details(result)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=Path("BENCHMARKS.md"))
    parser.add_argument(
        "--sizes",
        default="1000,10000,100000,1000000",
        help="vault sizes in encounters, comma-separated (default: 1000,10000,100000,1000000; "
        "sizes above --app-max are a growth check of the core; the 1,000,000 demo vault "
        "takes minutes and 1.5 GB of memory to build, so `make bench` keeps it in bench-data/)",
    )
    parser.add_argument(
        "--app-max",
        type=int,
        default=100_000,
        help="larger sizes are measured for the core only, as a growth check (default 100000)",
    )
    parser.add_argument("--per-case", type=int, default=10, help="encounters per demo case")
    parser.add_argument("--saves", type=int, default=1000, help="encounters saved one by one")
    parser.add_argument("--runs", type=int, default=15, help="runs of each quick figure")
    parser.add_argument(
        "--heavy-runs", type=int, default=0, help="runs of each slow figure (default: 5, 3 at 100k)"
    )
    parser.add_argument("--import-runs", type=int, default=3, help="runs of the bundle import")
    parser.add_argument("--no-import", action="store_true", help="skip the bundle import")
    parser.add_argument(
        "--workdir", type=Path, default=None, help="keep demo vaults here between runs (a cache)"
    )
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    for size in sizes:
        if size % args.per_case or size < args.per_case:
            parser.error(f"--sizes: {size} is not a multiple of --per-case {args.per_case}")

    started = time.perf_counter()
    load_start = load_average()
    with tempfile.TemporaryDirectory(prefix="svjournal-bench-") as tmp:
        # Absolute: the start-up probe runs in a folder of its own (a relative `--workdir
        # bench-data` sent it to a vault that was not there, and the first-run wizard waited).
        workdir = (args.workdir or Path(tmp)).resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        results = [run_size(workdir, size, args) for size in sizes]
        bundles = None
        if not args.no_import:
            from benchmarks.bundle_bench import bench_import

            progress("team bundles: build ten, import them")
            folder = workdir / "bundles"
            try:
                bundles = bench_import(folder, runs=args.import_runs)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
    elapsed = time.perf_counter() - started
    text = write(args, results, bundles, elapsed, (load_start, load_average()))
    args.output.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
