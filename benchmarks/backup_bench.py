"""Backup benchmark: a verified backup of an existing vault, and restoring it elsewhere.

`bench_backup` leaves the vault as it was: backups go to a temporary folder (never into the
vault's own backups folder, whose rotation would delete the user's older backups), and the
restore goes into a scratch vault folder.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from svjournal.core import backup as backups
from svjournal.core.vault import Vault

TARGET_SECONDS = 3.0  # issue 5: a 100,000-encounter vault backs up in 3 s or less


def bench_backup(vault_folder: Path, passphrase: str, runs: int = 3) -> dict[str, Any]:
    """Median seconds for a verified backup (and for restoring one into a new folder)."""
    vault = Vault.open(Path(vault_folder))
    try:
        vault.unlock(passphrase)
        with tempfile.TemporaryDirectory(prefix="svjournal-backup-bench-") as scratch:
            folder = Path(scratch)
            samples = []
            path = folder / "bench.svjbackup"
            for n in range(runs):
                path = folder / f"bench-{n}.svjbackup"
                started = time.perf_counter()
                vault.backup("bench", dest=path)
                samples.append(time.perf_counter() - started)
            header = backups.read_header(path)
            vault.lock()  # the restore below opens no connection to the benchmarked vault
            started = time.perf_counter()
            Vault.restore_into(folder / "restored", path, passphrase=passphrase)
            restore_seconds = time.perf_counter() - started
            size = path.stat().st_size
    finally:
        vault.close()
    counts = header.row_counts or {}
    median = statistics.median(samples)
    return {
        "name": "backup (verified, encrypted)",
        "median_s": median,
        "runs_s": samples,
        "target_s": TARGET_SECONDS,
        "meets_target": median <= TARGET_SECONDS,
        "restore_s": restore_seconds,
        "size_bytes": size,
        "encounters": counts.get("encounters", 0),
        "cases": counts.get("cases", 0),
    }


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("vault", type=Path)
    parser.add_argument("--passphrase-file", type=Path, required=True)
    args = parser.parse_args()
    secret = args.passphrase_file.read_text(encoding="utf-8").removesuffix("\n")
    for key, value in bench_backup(args.vault, secret).items():
        print(f"{key:14} {value}")
