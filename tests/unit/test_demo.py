"""The demo generator: fictional, valid by the service's own rules, deterministic."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import text

from svjournal.core import demo
from svjournal.core.inputs import EncounterInput, ReferralInput
from svjournal.core.journal import Journal
from svjournal.core.vault import Vault

ANCHOR = date(2026, 11, 26)


def test_every_generated_encounter_passes_the_service_validation(vault: Vault) -> None:
    summary = demo.generate(vault.engine, cases=80, seed=5, anchor=ANCHOR)
    assert summary.cases == 80
    journal = Journal(vault.engine, clock=lambda: datetime.combine(ANCHOR, time(17, 0)))
    checked = 0
    for row in journal.list_cases():
        case = journal.get_case(row.id)
        assert case.alias.startswith("Demo ")
        for encounter in journal.encounters(case.id):
            EncounterInput(
                occurred_at=encounter.occurred_at,
                mode=encounter.mode,
                duration_minutes=encounter.duration_minutes,
                tier=encounter.tier,
                stage=encounter.stage,
                outcome=encounter.outcome,
                group_size=encounter.group_size,
                stress_zone=encounter.stress_zone,
                triggered=encounter.triggered,
                interventions=encounter.interventions,
                referrals=[ReferralInput(**r) for r in encounter.referrals],
                red_flags=encounter.red_flags,
                support_declined=encounter.support_declined,
                needs_met=encounter.needs_met,
                note=encounter.note,
            ).checked(
                case_kind=case.kind,
                event_date=case.event_date,
                referred_on=case.referred_on,
                now=datetime.combine(ANCHOR, time(17, 0)),
            )
            checked += 1
    assert checked == summary.encounters


def test_summary_columns_match_the_encounters(vault: Vault) -> None:
    demo.generate(vault.engine, cases=60, seed=9, anchor=ANCHOR)
    journal = Journal(vault.engine)
    for row in journal.list_cases():
        encounters = journal.encounters(row.id)
        staged = [e for e in encounters if e.stage is not None]
        assert row.current_stage == (staged[-1].stage if staged else None)
        assert row.last_contact == (encounters[-1].occurred_at if encounters else None)
        planned = [f.due_on for f in journal.follow_ups(row.id) if f.status == "planned"]
        assert row.next_follow_up == (min(planned) if planned else None)


def test_exact_sizes_and_a_realistic_mix(vault: Vault) -> None:
    summary = demo.generate(vault.engine, cases=300, seed=2, anchor=ANCHOR, exact_encounters=4)
    assert summary.encounters == 1200
    with vault.engine.connect() as conn:
        statuses = dict(
            conn.execute(text("SELECT status, count(*) FROM cases GROUP BY status")).all()
        )
        kinds = dict(conn.execute(text("SELECT kind, count(*) FROM cases GROUP BY kind")).all())
        follow_ups = dict(
            conn.execute(text("SELECT status, count(*) FROM follow_ups GROUP BY status")).all()
        )
        tier3 = conn.execute(
            text("SELECT count(DISTINCT case_id) FROM encounters WHERE tier = 3")
        ).scalar()
        triggered = conn.execute(text("SELECT count(*) FROM encounters WHERE triggered")).scalar()
    assert statuses["open"] > 0 and statuses["closed"] > 0
    assert kinds["group"] > 0 and kinds["individual"] > kinds["group"]
    assert follow_ups["done"] > 0 and follow_ups["missed"] > 0 and follow_ups["planned"] > 0
    assert 0.03 < tier3 / 300 < 0.25  # around the ~10 % escalation programmes report
    assert triggered > 0


def test_same_seed_same_data_other_seed_other_data() -> None:
    def snapshot(engine) -> list[tuple]:  # type: ignore[no-untyped-def]
        with engine.connect() as conn:
            return conn.execute(
                text("SELECT id, alias, current_stage, referred_on FROM cases ORDER BY id")
            ).all()

    from sqlalchemy import create_engine

    from svjournal.core import schema

    engines = []
    for seed in (3, 3, 4):
        engine = create_engine("sqlite://")
        schema.upgrade(engine)
        demo.generate(engine, cases=25, seed=seed, anchor=ANCHOR)
        engines.append(snapshot(engine))
    assert engines[0] == engines[1]
    assert engines[0] != engines[2]
