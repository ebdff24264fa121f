"""Schema migrations on real vaults: the head matches the models, upgrades keep the data
(with a backup first), a failing upgrade changes nothing, an unknown revision is refused."""

from __future__ import annotations

import shutil
import textwrap
from datetime import date, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

import svjournal.core.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from svjournal.core import schema
from svjournal.core.errors import MigrationFailed, UnsupportedVersion
from svjournal.core.inputs import CaseInput, EncounterInput
from svjournal.core.journal import Journal
from svjournal.core.vault import Vault
from tests.conftest import FAST_KDF, FIXED_NOW, PASSPHRASE

BASELINE = "0001_baseline"
# The test revisions below build on whatever the newest real revision is.
HEAD = schema.HEAD_REVISION
OCCURRED_AT = datetime(2026, 11, 21, 10, 30)

MARKER_REVISION = '''\
"""Test revision: a marker column on cases.

Revision ID: 9000_test
Revises: {head}
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "9000_test"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("test_marker", sa.String(), nullable=True))
    op.execute("UPDATE cases SET test_marker = 'migrated'")


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("test_marker")
'''

FAILING_REVISION = '''\
"""Test revision that fails half-way.

Revision ID: 9000_fail
Revises: {head}
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "9000_fail"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "half_done",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO half_done (id) VALUES (1)")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("half_column", sa.String(), nullable=True))
    raise RuntimeError("this migration fails on purpose")


def downgrade() -> None:
    pass
'''


def migrations_with(tmp_path: Path, name: str, source: str) -> Path:
    """A copy of the real migrations folder with one more revision file in versions/."""
    folder = tmp_path / "migrations-copy"
    shutil.copytree(schema.MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    assert (folder / "env.py").is_file()
    assert (folder / "script.py.mako").is_file()
    assert (folder / "versions" / f"{BASELINE}.py").is_file()
    text_ = textwrap.dedent(source).replace("{head}", HEAD)
    (folder / "versions" / name).write_text(text_, encoding="utf-8")
    return folder


def head_vault_with_data(path: Path) -> tuple[str, str]:
    """Create a vault at the current head, add a case and an encounter, close it."""
    vault, _recovery = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    try:
        assert vault.check().schema_revision == HEAD
        journal = Journal(vault.engine, clock=lambda: FIXED_NOW)
        case = journal.open_case(
            CaseInput(
                alias="Zoë-RN",
                role="nurse",
                department="icu",
                event_category="unexpected_death",
                referral_source="manager",
                referred_on=date(2026, 11, 20),
                event_date=date(2026, 11, 19),
            )
        )
        encounter = journal.log_encounter(
            case.id,
            EncounterInput(occurred_at=OCCURRED_AT, mode="phone", duration_minutes=40, stage=2),
        )
    finally:
        vault.close()
    return case.id, encounter.id


def upgrade_backups(vault: Vault) -> list[Path]:
    return sorted(vault.backups_dir.glob(f"svjournal-*-before-upgrade-{HEAD}.svjbackup"))


def table_names(vault: Vault) -> set[str]:
    with vault.engine.connect() as conn:
        rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))
        return {row[0] for row in rows}


def test_fresh_vault_schema_matches_the_models(vault: Vault) -> None:
    with vault.engine.connect() as conn:
        assert schema.current_revision(conn) == schema.head_revision()
        differences = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert differences == []


def test_upgrade_keeps_data_and_backs_up_first(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    case_id, encounter_id = head_vault_with_data(path)
    migrations = migrations_with(tmp_path, "9000_test.py", MARKER_REVISION)
    assert schema.head_revision(migrations) == "9000_test"

    with Vault.open(path, migrations=migrations) as vault:
        assert upgrade_backups(vault) == []
        vault.unlock(PASSPHRASE)
        report = vault.check()
        assert report.schema_revision == "9000_test"
        assert report.head_revision == "9000_test"
        assert report.integrity.ok

        with vault.engine.connect() as conn:
            cases = conn.execute(
                text("SELECT id, alias, role, referred_on, current_stage, test_marker FROM cases")
            ).all()
            encounters = conn.execute(
                text(
                    "SELECT id, case_id, datetime(occurred_at), mode, duration_minutes, stage"
                    " FROM encounters"
                )
            ).all()
        assert [tuple(row) for row in cases] == [
            (case_id, "Zoë-RN", "nurse", "2026-11-20", 2, "migrated")
        ]
        assert [tuple(row) for row in encounters] == [
            (encounter_id, case_id, "2026-11-21 10:30:00", "phone", 40, 2)
        ]

        backups = upgrade_backups(vault)
        assert len(backups) == 1
        assert backups[0].stat().st_size > 0

        # The journal still works on the upgraded schema.
        journal = Journal(vault.engine, clock=lambda: FIXED_NOW)
        assert journal.get_case(case_id).alias == "Zoë-RN"
        assert [e.occurred_at for e in journal.encounters(case_id)] == [OCCURRED_AT]

        # Unlocking again at the head neither migrates nor backs up again.
        vault.lock()
        vault.unlock(PASSPHRASE)
        assert vault.check().schema_revision == "9000_test"
        assert len(upgrade_backups(vault)) == 1


def test_failing_migration_leaves_the_vault_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    case_id, encounter_id = head_vault_with_data(path)
    migrations = migrations_with(tmp_path, "9000_fail.py", FAILING_REVISION)

    with Vault.open(path, migrations=migrations) as vault:
        with pytest.raises(MigrationFailed) as exc:
            vault.unlock(PASSPHRASE)
        assert "RuntimeError" in str(exc.value)
        assert exc.value.backup is not None and exc.value.backup.is_file()
        assert not vault.is_unlocked

    with Vault.open(path) as vault:
        vault.unlock(PASSPHRASE)
        assert vault.check().schema_revision == HEAD
        assert "half_done" not in table_names(vault)
        with vault.engine.connect() as conn:
            columns = {row[1] for row in conn.execute(text("PRAGMA table_info(cases)"))}
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
        assert "half_column" not in columns
        assert [tuple(row) for row in versions] == [(HEAD,)]
        journal = Journal(vault.engine, clock=lambda: FIXED_NOW)
        assert journal.get_case(case_id).alias == "Zoë-RN"
        assert [e.id for e in journal.encounters(case_id)] == [encounter_id]


def test_unknown_revision_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    vault, _recovery = Vault.create(path, PASSPHRASE, kdf=FAST_KDF)
    try:
        with vault.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    finally:
        vault.close()

    with Vault.open(path) as vault:
        with pytest.raises(UnsupportedVersion):
            vault.unlock(PASSPHRASE)
        assert not vault.is_unlocked
        assert list(vault.backups_dir.glob("*before-upgrade*")) == []


def test_head_revision_constant_matches_the_migrations_folder() -> None:
    from svjournal.core import schema

    assert schema.alembic_head() == schema.HEAD_REVISION


def test_baseline_vault_upgrades_to_team_tables_and_export_record_counts(tmp_path: Path) -> None:
    """A vault still at 0001 (made by downgrading a new one) gains the team tables and the
    export log's record count; earlier export lines keep their text and count nothing."""
    from alembic import command

    path = tmp_path / "vault"
    case_id, _encounter_id = head_vault_with_data(path)
    with Vault.open(path) as vault:
        vault.unlock(PASSPHRASE)
        config = schema._config(None)
        with vault.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, BASELINE)
        with vault.engine.begin() as conn:
            assert schema.current_revision(conn) == BASELINE
            assert "records" not in {
                r[1] for r in conn.execute(text("PRAGMA table_info(export_log)"))
            }
            conn.execute(
                text(
                    "INSERT INTO export_log (id, at, kind, destination, detail) "
                    "VALUES ('e1', '2026-11-20 09:00:00.000000', 'csv', 'f.csv', 'Q4')"
                )
            )
        assert not {"team_cases", "team_supporters"} & table_names(vault)

    with Vault.open(path) as vault:
        vault.unlock(PASSPHRASE)
        assert vault.check().schema_revision == HEAD
        assert len(sorted(vault.backups_dir.glob(f"*before-upgrade-{BASELINE}*"))) == 1
        assert {"team_supporters", "team_bundles", "team_live_cases", "team_cases"} <= (
            table_names(vault)
        )
        with vault.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
        journal = Journal(vault.engine, clock=lambda: FIXED_NOW)
        [entry] = journal.export_log()
        assert (entry.kind, entry.destination, entry.detail, entry.records) == (
            "csv",
            "f.csv",
            "Q4",
            None,
        )
        journal.record_export("team_bundle", "b.svjbundle", records=12, detail="2026 Q4")
        assert journal.export_log()[0].records == 12
        assert journal.get_case(case_id).alias == "Zoë-RN"


def test_team_tables_vault_upgrades_to_red_flag_summaries(tmp_path: Path) -> None:
    """A vault at 0002 (made by downgrading a new one) gains the red-flag summary columns,
    filled from the encounters it already holds, with a backup first; the frozen fill in the
    revision gives what `summaries.refresh` gives."""
    from alembic import command

    from svjournal.core import summaries
    from svjournal.core.inputs import ReferralInput

    previous = "0002_team_and_export_records"
    path = tmp_path / "vault"
    case_id, _encounter_id = head_vault_with_data(path)
    with Vault.open(path) as vault:
        vault.unlock(PASSPHRASE)
        journal = Journal(vault.engine, clock=lambda: FIXED_NOW)
        journal.log_encounter(
            case_id,
            EncounterInput(
                occurred_at=datetime(2026, 11, 23, 9, 0),
                mode="phone",
                duration_minutes=20,
                red_flags=["suicidal_thoughts"],
                referrals=[ReferralInput("eap", "accepted"), ReferralInput("chaplain")],
            ),
        )
        config = schema._config(None)
        with vault.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, previous)
        with vault.engine.begin() as conn:
            assert schema.current_revision(conn) == previous
            assert "last_red_flag_at" not in {
                r[1] for r in conn.execute(text("PRAGMA table_info(cases)"))
            }

    with Vault.open(path) as vault:
        vault.unlock(PASSPHRASE)
        assert vault.check().schema_revision == HEAD
        assert len(sorted(vault.backups_dir.glob(f"*before-upgrade-{previous}*"))) == 1
        with vault.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
        columns = "SELECT datetime(last_red_flag_at), tier3_referral FROM cases"
        with vault.engine.begin() as conn:
            migrated = [tuple(r) for r in conn.execute(text(columns))]
            summaries.refresh(conn)
            refreshed = [tuple(r) for r in conn.execute(text(columns))]
        assert migrated == [("2026-11-23 09:00:00", "accepted")] == refreshed
        journal = Journal(vault.engine, clock=lambda: FIXED_NOW)
        assert journal.get_case(case_id).last_red_flag_at == datetime(2026, 11, 23, 9, 0)
        assert len(journal.encounters(case_id)) == 2  # the downgrade kept them too


def test_red_flag_revision_freezes_todays_tier3_targets() -> None:
    """The revision's frozen copy of the Tier 3 targets is the list vocab has today."""
    import importlib

    from svjournal.core import vocab

    revision = importlib.import_module("svjournal.core.migrations.versions.0003_red_flag_summaries")
    frozen = {code.strip(" '") for code in revision._TIER3_TARGETS.split(",")}
    assert frozen == {t.code for t in vocab.REFERRAL_TARGETS if t.tier3}


def test_day_grain_team_data_upgrades_to_months_and_durations(tmp_path: Path) -> None:
    """A vault at 0003 holding team rows imported from passphrase bundles (days) keeps them,
    as coarse as the new bundles: months, minutes to first contact, days late and on-time
    flags, a still-planned follow-up past its due day at export as "overdue"; then the merged
    Team figures over whole months are what they were."""
    from alembic import command

    from svjournal.core import stats
    from svjournal.core.stats_model import Period, StatsFilter
    from svjournal.reports.team import list_supporters, team_engine

    previous = "0003_red_flag_summaries"
    path = tmp_path / "vault"
    head_vault_with_data(path)
    rows = {
        "team_supporters": (
            "INSERT INTO team_supporters VALUES "
            "('7K3F9-QX2MA', 'Night shift', '2026-11-20 09:00:00.000000', "
            "'2026-11-20 09:00:00.000000')"
        ),
        "team_bundles": (
            "INSERT INTO team_bundles VALUES ('b1', '7K3F9-QX2MA', '2026-10-01', '2026-11-30', "
            "'2026-11-20 09:00:00.000000', '2026-11-20 10:00:00.000000', 1, 2, 3)"
        ),
        "team_live_cases": "INSERT INTO team_live_cases VALUES ('7K3F9-QX2MA', 'c1')",
        "team_cases": (
            "INSERT INTO team_cases VALUES ('c1', '7K3F9-QX2MA', '2026-11-20 09:00:00.000000', "
            "'individual', 'nurse', 'icu', 'unexpected_death', '[]', 'manager', '2026-10-05', "
            "'open', 2, NULL, '2026-10-07', '2026-11-02', NULL)"
        ),
        "team_encounters": (
            "INSERT INTO team_encounters VALUES "
            "('e1', '7K3F9-QX2MA', 'c1', '2026-11-20 09:00:00.000000', '2026-10-07', 'phone', "
            "40, NULL, 2, 2, NULL, 0, '[]', 0), "
            "('e2', '7K3F9-QX2MA', 'c1', '2026-11-20 09:00:00.000000', '2026-11-02', 'phone', "
            "30, NULL, 3, 3, NULL, 1, '[]', 1)"
        ),
        "team_follow_ups": (
            "INSERT INTO team_follow_ups VALUES "
            "('f1', '7K3F9-QX2MA', 'c1', '2026-11-20 09:00:00.000000', '2026-10-10', 'phone', "
            "'done', '2026-10-11'), "
            "('f2', '7K3F9-QX2MA', 'c1', '2026-11-20 09:00:00.000000', '2026-10-20', 'phone', "
            "'done', '2026-10-25'), "
            "('f3', '7K3F9-QX2MA', 'c1', '2026-11-20 09:00:00.000000', '2026-11-05', 'phone', "
            "'planned', NULL)"
        ),
    }
    period = Period(date(2026, 10, 1), date(2026, 11, 30))
    with Vault.open(path) as vault:
        vault.unlock(PASSPHRASE)
        config = schema._config(None)
        with vault.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, previous)
        with vault.engine.begin() as conn:
            for statement in rows.values():
                conn.execute(text(statement))
        before = stats.dashboard(
            team_engine_v1(vault), StatsFilter(period), today=date(2026, 12, 1)
        )

    with Vault.open(path) as vault:
        vault.unlock(PASSPHRASE)
        assert vault.check().schema_revision == HEAD
        assert len(sorted(vault.backups_dir.glob(f"*before-upgrade-{previous}*"))) == 1
        with vault.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
            case = conn.execute(
                text(
                    "SELECT referred_month, minutes_to_first_contact, last_contact_month "
                    "FROM team_cases"
                )
            ).one()
            follow_ups = conn.execute(
                text("SELECT month, status, late_days, on_time FROM team_follow_ups ORDER BY 1, 3")
            ).all()
            months = conn.execute(text("SELECT month FROM team_months ORDER BY 1")).all()
            encounters = conn.execute(text("SELECT month FROM team_encounters ORDER BY 1")).all()
        assert tuple(case) == ("2026-10", 2 * 1440, "2026-11")
        assert [tuple(f) for f in follow_ups] == [
            ("2026-10", "done", 1, 1),
            ("2026-10", "done", 5, 0),
            ("2026-11", "overdue", None, 0),
        ]
        assert [m[0] for m in months] == ["2026-10", "2026-11"]
        assert [e[0] for e in encounters] == ["2026-10", "2026-11"]
        [row] = list_supporters(vault.engine)
        assert (row.label, row.retired_format, row.periods) == (
            "Night shift",
            True,
            [("2026-10", "2026-11")],
        )
        after = stats.dashboard(
            team_engine(vault.engine), StatsFilter(period), today=date(2026, 12, 1)
        )
    assert after.kpis == before.kpis
    assert after.monthly == before.monthly and after.follow_up_months == before.follow_up_months


def team_engine_v1(vault: Vault):  # type: ignore[no-untyped-def]
    """The merged database as the 0003 layout's Team view built it (days at midnight)."""
    from sqlalchemy.schema import CreateTable

    from svjournal.core.models import CORE_TABLES
    from svjournal.reports.team import _memory_engine

    engine = _memory_engine()
    midnight = " 00:00:00.000000"
    with vault.engine.connect() as source:
        cases = source.execute(
            text(
                "SELECT bundle_created, bundle_created, id, '', kind, role, department, "
                "event_category, high_risk_events, referral_source, referred_on, status, "
                f"current_stage, outcome, first_contact_on || '{midnight}', "
                f"last_contact_on || '{midnight}', next_follow_up_on FROM team_cases"
            )
        ).all()
        encounters = source.execute(
            text(
                "SELECT bundle_created, bundle_created, id, case_id, "
                f"occurred_on || '{midnight}', mode, duration_minutes, group_size, tier, stage, "
                "outcome, triggered, '[]', referrals, '[]', support_declined FROM team_encounters"
            )
        ).all()
        follow_ups = source.execute(
            text(
                "SELECT bundle_created, bundle_created, id, case_id, due_on, method, status, "
                f"done_on || '{midnight}' FROM team_follow_ups"
            )
        ).all()
    with engine.begin() as conn:
        for table in CORE_TABLES:
            conn.execute(CreateTable(table.__table__))  # type: ignore[union-attr]
        for name, columns, values in (
            (
                "cases",
                "created_at, updated_at, id, alias, kind, role, department, event_category, "
                "high_risk_events, referral_source, referred_on, status, current_stage, outcome, "
                "first_contact_at, last_contact_at, next_follow_up_on",
                cases,
            ),
            (
                "encounters",
                "created_at, updated_at, id, case_id, occurred_at, mode, duration_minutes, "
                "group_size, tier, stage, outcome, triggered, interventions, referrals, "
                "red_flags, support_declined",
                encounters,
            ),
            (
                "follow_ups",
                "created_at, updated_at, id, case_id, due_on, method, status, done_at",
                follow_ups,
            ),
        ):
            marks = ", ".join("?" * (columns.count(",") + 1))
            conn.exec_driver_sql(
                f"INSERT INTO {name} ({columns}) VALUES ({marks})", [tuple(v) for v in values]
            )
    return engine
