"""Shared pieces of the team tests: journals with every kind of record, teams, bundles."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import Engine, text

from svjournal.core import stats, team_keys
from svjournal.core.inputs import CaseInput, ContactInput, EncounterInput, ReferralInput
from svjournal.core.journal import Journal
from svjournal.core.stats_model import Period, StatsFilter
from svjournal.core.vault import Vault
from svjournal.reports import bundle_seal
from svjournal.reports.bundle import export_bundle
from tests.conftest import FAST_KDF, FIXED_NOW, PASSPHRASE

TODAY = FIXED_NOW.date()  # 2026-11-26
PERIOD = Period(date(2026, 10, 1), date(2026, 11, 30))
T1 = datetime(2026, 11, 20, 9, 0, 0)
T2 = datetime(2026, 11, 26, 9, 0, 0)
DAY = re.compile(rb"\d{4}-\d{2}-\d{2}")

# Values no bundle may ever contain (aliases, contact details, notes, a time of day).
SECRETS = (
    "Zephyr-Quill",
    "Morwenna",
    "555-0199-7781",
    "zq7781@example.org",
    "desk 12 Obsidian",
    "Marigold ward",
    "31415",
    "14:37",
)


def new_vault(path: Path) -> Vault:
    vault, _recovery = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    return vault


@pytest.fixture
def vaults(tmp_path: Path) -> Iterator[Callable[[str], Vault]]:
    opened: list[Vault] = []

    def make(name: str) -> Vault:
        vault = new_vault(tmp_path / name)
        opened.append(vault)
        return vault

    yield make
    for vault in opened:
        vault.close()


def journal_of(vault: Vault) -> Journal:
    return Journal(vault.engine, clock=lambda: FIXED_NOW)


def make_team(coordinator: Vault, name: str = "Ward 7 peer support") -> team_keys.TeamCard:
    team_keys.create_team(coordinator.engine, name)
    return team_keys.card_of(coordinator.engine)


def join(supporter: Vault, card: team_keys.TeamCard) -> str:
    """The supporter joins (as from the card file's bytes); their signing fingerprint."""
    team_keys.join_team(supporter.engine, team_keys.read_card(card.to_bytes()))
    return team_keys.own_fingerprint(supporter.engine)


def export(
    vault: Vault,
    path: Path,
    *,
    period: Period = PERIOD,
    created: datetime = T1,
    merged: bool = False,
) -> Path:
    export_bundle(
        vault.engine, period, path, journal=journal_of(vault), created=created, merged=merged
    )
    return path


def open_payload(path: Path, coordinator: Vault) -> tuple[bytes, dict[str, Any]]:
    """The decrypted payload of a bundle, as the coordinator's key opens it."""
    key = team_keys.team_private_key(coordinator.engine)
    opened = bundle_seal.unseal(path.read_bytes(), key)
    return opened.payload, json.loads(opened.payload)


def reseal(path: Path, body: dict[str, Any], signer: Vault, card: team_keys.TeamCard) -> Path:
    """A bundle with other contents, properly signed by `signer` and encrypted to `card`."""
    payload = json.dumps(body).encode()
    key = team_keys.signing_key(signer.engine)
    path.write_bytes(bundle_seal.seal(payload, card.public_key, key))
    return path


def stranger_key() -> X25519PrivateKey:
    return X25519PrivateKey.generate()


RECORD_TABLES = ("team_cases", "team_encounters", "team_follow_ups", "team_live_cases")


def team_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every team record (import times left out: they change on every import)."""
    with engine.connect() as conn:
        rows = {
            t: sorted(map(repr, conn.execute(text(f"SELECT * FROM {t}")))) for t in RECORD_TABLES
        }
        rows["team_bundles"] = sorted(
            map(
                repr,
                conn.execute(
                    text(
                        "SELECT supporter_id, first_month, last_month, created, cases, "
                        "encounters, follow_ups FROM team_bundles"
                    )
                ),
            )
        )
        rows["team_supporters"] = sorted(
            map(
                repr,
                conn.execute(text("SELECT supporter_id, label, revoked_at FROM team_supporters")),
            )
        )
        rows["team_months"] = sorted(map(repr, conn.execute(text("SELECT * FROM team_months"))))
    return rows  # type: ignore[return-value]


def count(engine: Engine, table: str, supporter: str | None = None) -> int:
    where = "" if supporter is None else " WHERE supporter_id = :s"
    with engine.connect() as conn:
        return int(
            conn.execute(
                text(f"SELECT count(*) FROM {table}{where}"), {"s": supporter}
            ).scalar_one()
        )


def dashboard(engine: Engine, period: Period = PERIOD) -> stats.Dashboard:
    return stats.dashboard(engine, StatsFilter(period), today=TODAY)


def case_input(alias: str, referred: date, **changes: Any) -> CaseInput:
    values: dict[str, Any] = {
        "alias": alias,
        "role": "nurse",
        "department": "icu",
        "event_category": "unexpected_death",
        "referral_source": "manager",
        "referred_on": referred,
        "event_date": referred - timedelta(days=1),
        "high_risk_events": ["first_death"],
    }
    values.update(changes)
    return CaseInput(**values)


def encounter(when: datetime, **changes: Any) -> EncounterInput:
    values: dict[str, Any] = {"occurred_at": when, "mode": "phone", "duration_minutes": 40}
    values.update(changes)
    return EncounterInput(**values)


def fill_known(journal: Journal) -> dict[str, str]:
    """A small journal with every kind of record and the SECRETS in every free-text place."""
    ids: dict[str, str] = {}
    a = journal.open_case(
        case_input(
            "Zephyr-Quill", date(2026, 10, 5), high_risk_events=["first_death", "child_involved"]
        )
    )
    journal.set_contact(
        a.id,
        ContactInput(phone="555-0199-7781", email="zq7781@example.org", other="desk 12 Obsidian"),
    )
    e1 = journal.log_encounter(
        a.id,
        encounter(
            datetime(2026, 10, 6, 14, 37),
            stage=2,
            tier=3,
            note="Morwenna from Marigold ward, 31415",
            referrals=[ReferralInput("psychologist", "accepted")],
            red_flags=["substance_use"],
            stress_zone="injured",
            interventions=["reflective_listening"],
            needs_met="yes",
            triggered=True,
        ),
    )
    e2 = journal.log_encounter(
        a.id, encounter(datetime(2026, 11, 2, 9, 15), stage=6, outcome="surviving")
    )
    fu = journal.schedule_follow_up(a.id, date(2026, 11, 9))
    journal.complete_follow_up(fu.id, done_at=datetime(2026, 11, 10, 16, 0))
    journal.schedule_follow_up(a.id, date(2026, 11, 28))
    group = journal.open_case(
        case_input("Ward team Morwenna", date(2026, 10, 20), kind="group", role="physician")
    )
    g1 = journal.log_encounter(
        group.id, encounter(datetime(2026, 10, 21, 8, 0), group_size=7, support_declined=True)
    )
    closed = journal.open_case(case_input("Closed-Quill", date(2026, 9, 1), role="pharmacist"))
    journal.log_encounter(closed.id, encounter(datetime(2026, 9, 2, 10, 0), stage=1))
    journal.close_case(closed.id, closed_on=date(2026, 10, 15), outcome="thriving")
    old = journal.open_case(case_input("Before-Quill", date(2026, 3, 1)))
    journal.log_encounter(old.id, encounter(datetime(2026, 3, 2, 10, 0)))
    journal.close_case(old.id, closed_on=date(2026, 4, 1))
    trashed = journal.open_case(case_input("Trashed-Quill", date(2026, 10, 10)))
    journal.log_encounter(trashed.id, encounter(datetime(2026, 10, 11, 10, 0)))
    journal.delete_case(trashed.id)
    gone = journal.log_encounter(a.id, encounter(datetime(2026, 10, 30, 11, 0)))
    journal.delete_encounter(gone.id)
    ids.update(
        a=a.id,
        e1=e1.id,
        e2=e2.id,
        group=group.id,
        g1=g1.id,
        closed=closed.id,
        old=old.id,
        trashed=trashed.id,
        gone=gone.id,
        fu=fu.id,
    )
    return ids
