"""Team bundles: importing ten real bundles of 10,000 encounters each into a coordinator vault.

The bundles are real: one demo vault is filled, joined to the coordinator's team with a fresh
signing key, exported, emptied and filled again with another seed, ten times (ten supporters,
ten keys), each bundle signed (Ed25519) and encrypted to the team key (HPKE). The timed step
is `import_bundles` over all ten files into a fresh coordinator vault holding that team key
(the authors accepted), then building the merged Team database and its dashboard (reported
separately). Target: the import ≤ 5 s.

Run alone: `python -m benchmarks.bundle_bench` (prints the figures).
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from sqlalchemy import text

from svjournal.core import demo, stats, team_keys
from svjournal.core.journal import Journal
from svjournal.core.keyfile import KdfParams
from svjournal.core.models import now
from svjournal.core.stats_model import Period, StatsFilter
from svjournal.core.vault import Vault
from svjournal.reports.bundle import export_bundle, import_bundles
from svjournal.reports.team import dispose_team_engine, team_engine

PASSPHRASE = "benchmark passphrase with several words"
TEAM_KEY = X25519PrivateKey.generate()
TEAM_PUBLIC = TEAM_KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
CARD = team_keys.TeamCard("Benchmark team", TEAM_PUBLIC)
ANCHOR = date(2026, 11, 26)
SUPPORTERS = 10
ENCOUNTERS_PER_BUNDLE = 10_000
ENCOUNTERS_PER_CASE = 4
TARGET_SECONDS = 5.0
# Whole months: bundles carry months, so the figures over them compare at month grain.
PERIOD = Period(date(2023, 11, 1), date(2026, 11, 30))


def _empty(vault: Vault) -> None:
    with vault.engine.begin() as conn:
        for table in ("follow_ups", "encounters", "contact_details", "cases"):
            conn.execute(text(f"DELETE FROM {table}"))


def _adopt_team_key(vault: Vault) -> None:
    """The coordinator vault of each run holds the one team key the bundles go to."""
    private = TEAM_KEY.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    key = team_keys.StoredKey(team_keys.OWN_TEAM, CARD.name, TEAM_PUBLIC, private, now())
    with vault.engine.begin() as conn:
        team_keys._write(conn, key)


AUTHORS: list[str] = []


def build_bundles(folder: Path) -> list[Path]:
    """Ten bundles from ten fictional supporters (one vault, refilled with another seed)."""
    vault, _recovery = Vault.create(folder / "supporter", PASSPHRASE, kdf=KdfParams())
    paths = []
    AUTHORS.clear()
    try:
        journal = Journal(vault.engine)
        for n in range(SUPPORTERS):
            _empty(vault)
            with vault.engine.begin() as conn:
                # Each refill acts as another supporter's journal with keys of its own.
                conn.execute(text("DELETE FROM team_keys"))
            team_keys.join_team(vault.engine, CARD)
            AUTHORS.append(team_keys.own_fingerprint(vault.engine))
            demo.generate(
                vault.engine,
                cases=ENCOUNTERS_PER_BUNDLE // ENCOUNTERS_PER_CASE,
                seed=100 + n,
                anchor=ANCHOR,
                exact_encounters=ENCOUNTERS_PER_CASE,
            )
            path = folder / f"supporter-{n + 1:02d}.svjbundle"
            exported = export_bundle(vault.engine, PERIOD, path, journal=journal)
            assert exported.encounters == ENCOUNTERS_PER_BUNDLE, exported
            paths.append(path)
    finally:
        vault.close()
    return paths


def _import_once(folder: Path, paths: list[Path], run: int) -> dict[str, float]:
    vault, _recovery = Vault.create(folder / f"coordinator-{run}", PASSPHRASE, kdf=KdfParams())
    _adopt_team_key(vault)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        results = import_bundles(vault.engine, paths, accept=AUTHORS)
        imported = time.perf_counter() - started
        imported_cpu = time.process_time() - cpu
        failed = [r.summary() for r in results if not r.ok]
        assert not failed, failed
        started = time.perf_counter()
        merged = team_engine(vault.engine)
        built = time.perf_counter() - started
        started = time.perf_counter()
        dash = stats.dashboard(merged, StatsFilter(PERIOD), today=ANCHOR)
        charted = time.perf_counter() - started
        assert dash.kpis.encounters == SUPPORTERS * ENCOUNTERS_PER_BUNDLE, dash.kpis
        started = time.perf_counter()
        again = import_bundles(vault.engine, paths)
        reimported = time.perf_counter() - started
        assert all(r.ok and r.again for r in again)
        dispose_team_engine(merged)
    finally:
        vault.close()
    return {
        "import": imported,
        "import_cpu": imported_cpu,
        "team_engine": built,
        "dashboard": charted,
        "again": reimported,
    }


def bench_import(tmp_folder: Path, runs: int = 3) -> dict[str, Any]:
    """Build the ten bundles, then time importing them (median of `runs` fresh vaults)."""
    tmp_folder = Path(tmp_folder)
    tmp_folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    paths = build_bundles(tmp_folder)
    setup = time.perf_counter() - started
    samples = [_import_once(tmp_folder, paths, run) for run in range(runs)]

    def median(key: str) -> float:
        return statistics.median(s[key] for s in samples)

    return {
        "name": "Import 10 team bundles of 10,000 encounters each",
        "bundles": len(paths),
        "encounters_per_bundle": ENCOUNTERS_PER_BUNDLE,
        "bundle_bytes": sum(p.stat().st_size for p in paths),
        "runs": runs,
        "import_seconds": median("import"),
        "import_seconds_all": [round(s["import"], 3) for s in samples],
        "import_cpu_seconds": median("import_cpu"),
        "load_average_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "reimport_seconds": median("again"),
        "team_engine_seconds": median("team_engine"),
        "dashboard_seconds": median("dashboard"),
        "target_seconds": TARGET_SECONDS,
        "meets_target": median("import") <= TARGET_SECONDS,
        "setup_seconds": setup,
        "measured_at": datetime.now().isoformat(timespec="seconds"),
        "note": "each file: HPKE (X25519, ChaCha20-Poly1305) + Ed25519 + checks + one transaction",
    }


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="svjournal-bundle-bench-") as tmp:
        print(json.dumps(bench_import(Path(tmp)), indent=2))
