"""Re-key benchmark: a new data key for a whole vault (database exported under it, key file
and recovery key replaced), as `svjournal rekey` does it, KDF calibration included.

It runs on a working copy of the demo vault, which holds no backups: re-sealing old backups
is extra (about one verified backup's time each) and reported separately in the note.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from svjournal.core.vault import Vault

TARGET_SECONDS = 5.0  # issue 13: re-key at 100,000 encounters in 5 s or less


def bench_rekey(vault_folder: Path, passphrase: str, runs: int = 3) -> dict[str, Any]:
    """Median seconds for re-keying the (locked) vault at `vault_folder`, `runs` times."""
    samples = []
    vault = Vault.open(Path(vault_folder))
    try:
        for _ in range(runs):
            started = time.perf_counter()
            vault.rekey(passphrase=passphrase)
            samples.append(time.perf_counter() - started)
        size = vault.db_path.stat().st_size
    finally:
        vault.close()
    median = statistics.median(samples)
    return {
        "name": "Re-key (new data key: database re-encrypted, new key file and recovery key)",
        "median_s": median,
        "runs_s": samples,
        "target_s": TARGET_SECONDS,
        "meets_target": median <= TARGET_SECONDS,
        "size_bytes": size,
    }


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("vault", type=Path)
    parser.add_argument("--passphrase-file", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    secret = args.passphrase_file.read_text(encoding="utf-8").removesuffix("\n")
    for key, value in bench_rekey(args.vault, secret, args.runs).items():
        print(f"{key:14} {value}")
