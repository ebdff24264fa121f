"""Retention: closed cases past the window are de-identified, the coded record stays."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import StaticPool

from svjournal.core import backup as backups
from svjournal.core import demo, retention, schema, stats
from svjournal.core.errors import PolicyRefused, ValidationError
from svjournal.core.journal import Journal
from svjournal.core.policy import Policy, Rule
from svjournal.core.retention import cutoff_for
from svjournal.core.retention_sql import case_code, count_due, deidentify
from svjournal.core.stats_model import Period, StatsFilter
from svjournal.core.vault import Vault
from svjournal.reports.programme import ReportRequest, build_report
from tests.conftest import PASSPHRASE
from tests.retention_data import (
    GONE,
    NOW,
    OLD_ALIAS,
    OPEN_ALIAS,
    OPEN_NOTE,
    RECENT_ALIAS,
    RECENT_NOTE,
    TODAY,
    seed,
)


@pytest.fixture
def clocked(vault: Vault) -> Journal:
    return Journal(vault.engine, clock=lambda: NOW)


def _rows(vault: Vault, sql: str) -> list[Any]:
    with vault.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def _everything(vault: Vault) -> str:
    """Every value of every journal table, as one text (for 'is it still anywhere')."""
    tables = ("cases", "encounters", "follow_ups", "contact_details", "drafts", "export_log")
    return "\n".join(repr(_rows(vault, f"SELECT * FROM {t}")) for t in tables)


# --- preview ---------------------------------------------------------------------------------


def test_the_preview_counts_what_would_go_and_changes_nothing(
    vault: Vault, clocked: Journal
) -> None:
    seed(clocked)
    before = _everything(vault)
    found = retention.preview(vault, clocked, 24, TODAY)
    assert found.cutoff == date(2024, 11, 26)
    c = found.counts
    assert (c.cases, c.notes, c.contacts, c.drafts) == (1, 2, 1, 1)
    assert (c.encounters_kept, c.follow_ups_kept) == (2, 1)
    assert not found.nothing_to_do
    assert _everything(vault) == before
    said = "\n".join(found.lines() + found.warnings())
    assert "1 case closed before Nov 26, 2024" in said
    assert not any(secret in repr(found) + said for secret in GONE.values())


def test_the_window_decides_which_cases_are_due(vault: Vault, clocked: Journal) -> None:
    seed(clocked)
    # Closed 2023-06-01 and 2026-09-01: 41 months covers neither, 2 months both.
    assert retention.preview(vault, clocked, 42, TODAY).counts.cases == 0
    assert retention.preview(vault, clocked, 2, TODAY).counts.cases == 2


@pytest.mark.parametrize("months", [0, -3, 1201, "12", 2.5, None, True])
def test_months_out_of_range_are_refused(vault: Vault, clocked: Journal, months: Any) -> None:
    with pytest.raises(ValidationError):
        retention.preview(vault, clocked, months, TODAY)


# --- apply -----------------------------------------------------------------------------------


def test_apply_de_identifies_the_old_case_and_keeps_its_coded_record(
    vault: Vault, clocked: Journal
) -> None:
    ids = seed(clocked)
    coded = (
        "SELECT id, kind, role, department, event_category, event_date, high_risk_events, "
        "referral_source, referred_on, status, closed_on, current_stage, outcome, "
        "first_contact_at, last_contact_at, next_follow_up_on, deleted_at FROM cases"
    )
    encounter_codes = (
        "SELECT id, case_id, occurred_at, mode, duration_minutes, group_size, tier, stage, "
        "outcome, stress_zone, triggered, interventions, referrals, red_flags, "
        "support_declined, needs_met, deleted_at FROM encounters"
    )
    follow_ups = "SELECT * FROM follow_ups"
    before = [_rows(vault, q) for q in (coded, encounter_codes, follow_ups)]

    result = retention.apply(vault, clocked, 24, TODAY, when=NOW)

    assert result.counts.cases == 1 and result.counts.notes == 2
    assert [_rows(vault, q) for q in (coded, encounter_codes, follow_ups)] == before
    everything = _everything(vault)
    for name, secret in GONE.items():
        assert secret not in everything, name
    old = clocked.get_case(ids.old)
    assert old.alias == case_code(ids.old)
    assert old.alias.startswith("Closed case ") and len(old.alias) == len("Closed case ") + 6
    assert _rows(vault, f"SELECT note FROM encounters WHERE case_id = '{ids.old}'") == [
        (None,),
        (None,),
    ]
    assert clocked.contact(ids.old) is None
    assert clocked.load_draft("encounter-editor") is None
    # The recent and the open case keep everything.
    for alias, note in ((RECENT_ALIAS, RECENT_NOTE), (OPEN_ALIAS, OPEN_NOTE)):
        assert alias in everything and note in everything


def test_a_second_run_finds_nothing_and_changes_nothing(vault: Vault, clocked: Journal) -> None:
    seed(clocked)
    retention.apply(vault, clocked, 24, TODAY, when=NOW)
    after = _everything(vault)
    again = retention.preview(vault, clocked, 24, TODAY)
    assert again.nothing_to_do
    assert retention.apply(vault, clocked, 24, TODAY, when=NOW).counts.cases == 0
    assert _everything(vault) == after  # not even a second export-log line


def test_the_code_comes_from_the_case_id_not_the_alias() -> None:
    assert case_code("4d6f-a") == case_code("4d6f-a")
    assert case_code("4d6f-a") != case_code("4d6f-b")
    # Nothing of the alias can be in it: it is a function of the id alone.
    assert OLD_ALIAS not in case_code("4d6f-a")


def test_apply_writes_one_line_in_the_export_log_without_text(
    vault: Vault, clocked: Journal
) -> None:
    seed(clocked)
    retention.apply(vault, clocked, 24, TODAY, when=NOW)
    [entry] = [e for e in clocked.export_log() if e.kind == "retention"]
    assert entry.records == 1
    assert "2024-11-26" in entry.detail and "2 notes" in entry.detail
    assert not any(secret in entry.detail + entry.destination for secret in GONE.values())


def test_apply_leaves_no_wal_behind(vault: Vault, clocked: Journal) -> None:
    seed(clocked)
    retention.apply(vault, clocked, 24, TODAY, when=NOW)
    wal = Path(f"{vault.db_path}-wal")
    # The export-log line is the only write after the truncating checkpoint.
    assert not wal.exists() or wal.stat().st_size < 64 * 1024
    raw = vault.engine.raw_connection()
    try:
        assert raw.driver_connection.execute("PRAGMA secure_delete").fetchone()[0] == 1
    finally:
        raw.close()


# --- programme figures -----------------------------------------------------------------------


def _figures(vault: Vault, today: date) -> list[Any]:
    periods = [
        Period(date(today.year - 3, 1, 1), today),
        Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
        Period(today - timedelta(days=89), today),
    ]
    found: list[Any] = []
    for period in periods:
        found.append(stats.dashboard(vault.engine, StatsFilter(period), today=today))
        request = ReportRequest(period=period, programme_name="P", threshold=5)
        report = build_report(vault.engine, request, today=today, now=NOW)
        found.append((report.kpis, report.tables))
    return found


def test_programme_figures_are_the_same_before_and_after(vault: Vault) -> None:
    demo.generate(vault.engine, cases=150, seed=11, anchor=TODAY)
    journal = Journal(vault.engine, clock=lambda: NOW)
    before = _figures(vault, TODAY)
    result = retention.apply(vault, journal, 6, TODAY, when=NOW)
    assert result.counts.cases > 20 and result.counts.notes > 0  # the test tests something
    assert _figures(vault, TODAY) == before


# --- backups ---------------------------------------------------------------------------------


def _backup_made(vault: Vault, monkeypatch: pytest.MonkeyPatch, when: datetime) -> Path:
    real = backups.header_fields

    def dated(*args: Any) -> dict[str, Any]:
        return {**real(*args), "created_at": when.isoformat(timespec="seconds")}

    monkeypatch.setattr(backups, "header_fields", dated)
    try:
        return vault.backup("manual", keep=50)
    finally:
        monkeypatch.setattr(backups, "header_fields", real)


def _restored_text(vault: Vault, backup: Path, tmp_path: Path) -> str:
    target = tmp_path / f"restored-{backup.stem}"
    Vault.restore_into(target, backup, passphrase=PASSPHRASE)
    with Vault.open(target) as restored:
        restored.unlock(PASSPHRASE)
        return _everything(restored)


def test_backups_past_the_window_go_and_newer_ones_are_cleaned(
    vault: Vault, clocked: Journal, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seed(clocked)
    expired = _backup_made(vault, monkeypatch, datetime(2024, 1, 5, 9))
    recent = _backup_made(vault, monkeypatch, datetime(2026, 11, 20, 9))
    created = backups.read_header(recent).created_at
    assert OLD_ALIAS in _restored_text(vault, recent, tmp_path)  # the test can fail

    found = retention.preview(vault, clocked, 24, TODAY)
    assert found.backups_expired == (expired,) and found.backups_to_check == 1
    assert any("will be deleted" in w for w in found.warnings())

    result = retention.apply(vault, clocked, 24, TODAY, when=NOW)
    assert result.backups.deleted == (expired,) and result.backups.cleaned == (recent,)
    assert not expired.exists()
    header = backups.read_header(recent)
    assert header.created_at == created and header.authentic(vault.key_copy().bytes())
    restored = _restored_text(vault, recent, tmp_path)
    for name, secret in GONE.items():
        assert secret not in restored, name
    assert RECENT_ALIAS in restored and OPEN_NOTE in restored


def test_a_fresh_backup_is_made_when_none_would_be_left(
    vault: Vault, clocked: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(clocked)
    _backup_made(vault, monkeypatch, datetime(2024, 1, 5, 9))
    result = retention.apply(vault, clocked, 24, TODAY, when=NOW)
    assert result.fresh_backup is not None
    assert backups.list_backups(vault.backups_dir) == [result.fresh_backup]


def test_backups_under_an_earlier_key_are_reported_not_touched(
    vault: Vault, clocked: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(clocked)
    older = _backup_made(vault, monkeypatch, datetime(2026, 11, 20, 9))
    vault.rekey(passphrase=PASSPHRASE, keep_old_backups=True)
    content = older.read_bytes()
    found = retention.preview(vault, clocked, 24, TODAY)
    assert found.backups_other_key == 1
    assert any("earlier passphrase" in w for w in found.warnings())
    retention.apply(vault, clocked, 24, TODAY, when=NOW)
    assert older.read_bytes() == content


# --- setting, policy, automatic runs ---------------------------------------------------------


def test_retention_is_off_by_default_and_due_only_when_on(vault: Vault, clocked: Journal) -> None:
    seed(clocked)
    assert clocked.setting("retention_months") == 0
    assert retention.due(vault, clocked, TODAY) is None
    clocked.set_setting("retention_months", 24)
    found = retention.due(vault, clocked, TODAY)
    assert found is not None and found.counts.cases == 1
    retention.apply(vault, clocked, 24, TODAY, when=NOW)
    assert retention.due(vault, clocked, TODAY) is None


def _policy(months: int, locked: bool) -> Policy:
    return Policy(rules={"retention": Rule(months, locked, "policy file p.toml")})


def test_a_policy_sets_the_longest_retention(vault: Vault) -> None:
    journal = Journal(vault.engine, clock=lambda: NOW, policy=_policy(36, False))
    assert journal.setting("retention_months") == 36  # off is longer than 36 months
    journal.set_setting("retention_months", 12)
    assert journal.setting("retention_months") == 12
    for too_long in (0, 48):
        with pytest.raises(PolicyRefused, match="at most 36 months"):
            journal.set_setting("retention_months", too_long)


def test_a_policy_turns_the_automatic_run_on(vault: Vault, clocked: Journal) -> None:
    seed(clocked)
    journal = Journal(vault.engine, clock=lambda: NOW, policy=_policy(24, False))
    found = retention.due(vault, journal, TODAY)
    assert found is not None and found.months == 24 and found.counts.cases == 1


def test_a_locked_policy_sets_retention_exactly(vault: Vault) -> None:
    journal = Journal(vault.engine, clock=lambda: NOW, policy=_policy(36, True))
    effective = journal.effective_setting("retention_months")
    assert (effective.value, effective.locked) == (36, True)
    with pytest.raises(PolicyRefused):
        journal.set_setting("retention_months", 12)


# --- "Close case" deleting the notes at once -------------------------------------------------


def test_closing_a_case_can_delete_its_notes_in_the_same_step(
    vault: Vault, clocked: Journal
) -> None:
    ids = seed(clocked)
    clocked.reopen_case(ids.recent)
    clocked.save_draft("other", "encounter", {"case_id": ids.open, "form": {}})
    clocked.close_case(ids.recent, closed_on=TODAY, delete_notes=True)
    assert _rows(vault, f"SELECT note FROM encounters WHERE case_id = '{ids.recent}'") == [(None,)]
    assert clocked.get_case(ids.recent).alias == RECENT_ALIAS  # the pseudonym stays
    assert OPEN_NOTE in _everything(vault)
    assert clocked.load_draft("other") is not None


def test_closing_keeps_the_notes_unless_asked(vault: Vault, clocked: Journal) -> None:
    ids = seed(clocked)
    clocked.close_case(ids.open, closed_on=TODAY)
    assert OPEN_NOTE in _everything(vault)


# --- property: any journal, any window -------------------------------------------------------


@pytest.fixture(scope="module")
def plain() -> Iterator[Engine]:
    """A plain in-memory SQLite journal (same schema, no encryption): cheap per example."""
    engine = create_engine("sqlite://", poolclass=StaticPool)
    schema.upgrade(engine)
    yield engine
    engine.dispose()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10_000),
    cases=st.integers(1, 40),
    months=st.integers(1, 30),
    offset=st.integers(-400, 400),
)
def test_any_window_leaves_every_figure_as_it_was(
    plain: Engine, seed: int, cases: int, months: int, offset: int
) -> None:
    with plain.begin() as conn:
        for table in ("drafts", "contact_details", "follow_ups", "encounters", "cases"):
            conn.execute(text(f"DELETE FROM {table}"))
    demo.generate(plain, cases=cases, seed=seed, anchor=TODAY, years=3.0)
    today = TODAY + timedelta(days=offset)
    period = Period(date(TODAY.year - 3, 1, 1), TODAY)
    before = stats.dashboard(plain, StatsFilter(period), today=today)
    raw = plain.raw_connection()
    try:
        conn = raw.driver_connection
        counts = deidentify(conn, cutoff_for(months, today), NOW)
        conn.commit()
        assert not count_due(conn, cutoff_for(months, today)).anything  # all of it went
    finally:
        raw.close()
    assert stats.dashboard(plain, StatsFilter(period), today=today) == before
    cutoff = cutoff_for(months, today).isoformat()
    with plain.connect() as conn:
        due = conn.execute(
            text("SELECT id, alias FROM cases WHERE status = 'closed' AND closed_on < :c"),
            {"c": cutoff},
        ).all()
        notes = conn.execute(
            text(
                "SELECT count(*) FROM encounters AS e JOIN cases AS c ON c.id = e.case_id "
                "WHERE c.status = 'closed' AND c.closed_on < :c AND e.note IS NOT NULL"
            ),
            {"c": cutoff},
        ).scalar_one()
    assert notes == 0 and counts.cases <= len(due)
    assert all(alias == case_code(case_id) for case_id, alias in due)


def test_an_unreachable_extra_folder_is_said_in_the_preview(
    vault: Vault, clocked: Journal, tmp_path: Path
) -> None:
    seed(clocked)
    gone = tmp_path / "usb-stick-not-plugged-in"
    clocked.set_setting("extra_backup_folder", str(gone))
    found = retention.preview(vault, clocked, 24, TODAY)
    assert found.extra_folder_missing == str(gone)
    assert any("not reachable" in w and str(gone) in w for w in found.warnings())
    result = retention.apply(vault, clocked, 24, TODAY, when=NOW)
    assert any("not reachable" in w for w in result.warnings())
