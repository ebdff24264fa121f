"""One vault size in a fresh process: `python -m benchmarks.size_bench core|app …` writes JSON.

A new interpreter per size and per kind makes its peak resident memory (VmHWM) belong to
that size alone. `core` times the service, queries, report and backup against the plain twin;
`app` drives the desktop app offscreen, then a report and a backup in the same process.
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import asdict
from pathlib import Path

from benchmarks.memory import own_peak_bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=("core", "growth", "app"))
    parser.add_argument("--vault", type=Path, required=True)
    parser.add_argument("--plain", type=Path, required=True)
    parser.add_argument("--per-case", type=int, required=True)
    parser.add_argument("--saves", type=int, required=True)
    parser.add_argument("--runs", type=int, required=True)
    parser.add_argument("--heavy-runs", type=int, required=True)
    parser.add_argument("--json", type=Path, required=True)
    args = parser.parse_args()

    memory: dict[str, int] = {}
    workers: list[int] = []
    if args.kind in ("core", "growth"):
        from benchmarks.core_bench import run_core

        timings = run_core(
            args.vault,
            args.plain,
            saves=args.saves,
            runs=args.runs,
            heavy_runs=args.heavy_runs,
            growth_only=args.kind == "growth",
        )
    else:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from benchmarks.ui_bench import run_ui

        timings = run_ui(
            args.vault,
            per_case=args.per_case,
            runs=args.runs,
            heavy_runs=args.heavy_runs,
            memory=memory,
            workers=workers,
        )
    result = {
        "timings": [asdict(t) for t in timings],
        "peak_bytes": own_peak_bytes(),
        "checkpoints": memory,
        "workers": workers,
    }
    args.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
