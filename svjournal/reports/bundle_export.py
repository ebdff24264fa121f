"""Writing team bundles: a supporter's journal, or a coordinator's merged team data, by month.

Export reads the vault with plain SQL (months, durations and codes only; see
`bundle_format` for what is left out and why), checks its own payload with the importer's
rules, signs it with this journal's key, encrypts it to the team joined (`bundle_seal`) and
writes it atomically, owner-only, with a line in the export log. Nothing but unlocking the
journal is asked: the keys are in the vault.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text

from svjournal.core import team_keys
from svjournal.core.atomic import atomic_write_bytes
from svjournal.core.errors import ValidationError
from svjournal.core.i18n import tr
from svjournal.core.models import now
from svjournal.core.stats_model import Period
from svjournal.reports import bundle_format as fmt
from svjournal.reports import bundle_seal
from svjournal.reports.bundle_check import decode
from svjournal.reports.bundle_format import BundleData

if TYPE_CHECKING:
    from svjournal.core.journal import Journal

SUFFIX = ".svjbundle"
EXPORT_KIND = "team_bundle"


@dataclass(frozen=True)
class ExportedBundle:
    path: Path
    fingerprint: str  # the author's signing fingerprint
    team: team_keys.TeamCard  # where it goes
    first_month: str
    last_month: str
    cases: int
    encounters: int
    follow_ups: int

    @property
    def records(self) -> int:
        return self.cases + self.encounters + self.follow_ups

    @property
    def months_text(self) -> str:
        if self.first_month == self.last_month:
            return self.first_month
        return f"{self.first_month} to {self.last_month}"


def months_of(period: Period) -> tuple[str, str]:
    """The whole months a period touches: bundles never carry part of a month."""
    return period.start.isoformat()[:7], period.end.isoformat()[:7]


def month_bounds(first: str, last: str) -> tuple[str, str]:
    """The first day of `first` and the first day after `last`, as ISO days."""
    start = date.fromisoformat(first + "-01")
    end = date.fromisoformat(last + "-01")
    after = (end.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start.isoformat(), after.isoformat()


# --- a supporter's journal --------------------------------------------------------------------

_LIVE_CASE = "c.deleted_at IS NULL"
_ENCOUNTER_IN = "e.deleted_at IS NULL AND e.occurred_at >= :start AND e.occurred_at < :after"
_FOLLOW_UP_IN = "f.deleted_at IS NULL AND f.due_on >= :start AND f.due_on < :after"

# Cases open at some time in the months (referred by their end, not closed before their
# start), and any case with an encounter or follow-up in them.
_JOURNAL_CASES = text(
    f"""
    SELECT c.id, c.kind, c.role, c.department, c.event_category, c.high_risk_events,
           c.referral_source, substr(c.referred_on, 1, 7), c.status, c.current_stage,
           c.outcome,
           CAST(round((julianday(c.first_contact_at) - julianday(c.referred_on)) * 1440)
                AS INTEGER),
           substr(c.last_contact_at, 1, 7)
    FROM cases AS c
    WHERE {_LIVE_CASE} AND (
        (c.referred_on < :after AND (c.status = 'open' OR c.closed_on IS NULL
                                     OR c.closed_on >= :start))
        OR c.id IN (SELECT e.case_id FROM encounters AS e WHERE {_ENCOUNTER_IN})
        OR c.id IN (SELECT f.case_id FROM follow_ups AS f WHERE {_FOLLOW_UP_IN})
    )
    """
)
_JOURNAL_ENCOUNTERS = text(
    f"""
    SELECT e.case_id, substr(e.occurred_at, 1, 7), e.mode, e.duration_minutes, e.group_size,
           e.tier, e.stage, e.outcome, e.triggered, e.referrals, e.support_declined
    FROM encounters AS e JOIN cases AS c ON c.id = e.case_id
    WHERE {_ENCOUNTER_IN} AND {_LIVE_CASE}
    """
)
# A follow-up still planned after its due day is "overdue" as of the export day: that is
# what the statistics count as missed, and the day itself does not travel.
_JOURNAL_FOLLOW_UPS = text(
    f"""
    SELECT f.case_id, substr(f.due_on, 1, 7), f.method,
           CASE WHEN f.status = 'planned' AND f.due_on < :today THEN 'overdue'
                ELSE f.status END,
           CASE WHEN f.status = 'done' AND f.done_at IS NOT NULL
                THEN CAST(julianday(substr(f.done_at, 1, 10)) - julianday(f.due_on) AS INTEGER)
           END,
           f.status = 'done' AND f.done_at IS NOT NULL
               AND substr(f.done_at, 1, 10) <= date(f.due_on, '+1 day')
    FROM follow_ups AS f JOIN cases AS c ON c.id = f.case_id
    WHERE {_FOLLOW_UP_IN} AND {_LIVE_CASE}
    """
)
_JOURNAL_LIVE = text("SELECT c.id FROM cases AS c WHERE c.deleted_at IS NULL")


def _keyed(rows: list[tuple[Any, ...]], key: Any, column: int = 0) -> list[tuple[Any, ...]]:
    """Rows with their record ID replaced by its keyed form, in an order that says nothing
    about the journal's (content order, not entry or day order)."""
    out = [(*r[:column], key(r[column]), *r[column + 1 :]) for r in rows]
    return sorted(out, key=repr)


def read_journal_data(
    engine: Engine, first: str, last: str, recipient: bytes, *, created: datetime
) -> BundleData:
    """The de-identified records of months `first`..`last` of a supporter's journal."""
    start, after = month_bounds(first, last)
    params = {"start": start, "after": after, "today": created.date().isoformat()}
    secret = team_keys.record_id_secret(engine)

    def key(case_id: str) -> str:
        return team_keys.record_id(secret, recipient, case_id)

    with engine.connect() as conn, conn.begin():  # one snapshot for all four reads
        cases = [tuple(r) for r in conn.execute(_JOURNAL_CASES, params)]
        encounters = [tuple(r) for r in conn.execute(_JOURNAL_ENCOUNTERS, params)]
        follow_ups = [tuple(r) for r in conn.execute(_JOURNAL_FOLLOW_UPS, params)]
        live = [key(r[0]) for r in conn.execute(_JOURNAL_LIVE)]
    fix = [(*f[:5], bool(f[5])) for f in follow_ups]
    return BundleData(
        "journal",
        first,
        last,
        created.replace(microsecond=0),
        _keyed(cases, key),
        _keyed(encounters, key),
        _keyed(fix, key),
        sorted(live),
    )


# --- a coordinator's merged team data (to a higher coordinator) -------------------------------

_TEAM_CASES = text(
    """
    SELECT c.supporter_id, c.id, c.kind, c.role, c.department, c.event_category,
           c.high_risk_events, c.referral_source, c.referred_month, c.status, c.current_stage,
           c.outcome, c.minutes_to_first_contact, c.last_contact_month
    FROM team_cases AS c
    WHERE c.referred_month <= :last AND (
        c.status = 'open' OR c.referred_month >= :first OR c.last_contact_month >= :first
        OR EXISTS (SELECT 1 FROM team_encounters AS e WHERE e.supporter_id = c.supporter_id
                   AND e.case_id = c.id AND e.month BETWEEN :first AND :last)
        OR EXISTS (SELECT 1 FROM team_follow_ups AS f WHERE f.supporter_id = c.supporter_id
                   AND f.case_id = c.id AND f.month BETWEEN :first AND :last))
    """
)
_TEAM_ENCOUNTERS = text(
    """
    SELECT supporter_id, case_id, month, mode, duration_minutes, group_size, tier, stage,
           outcome, triggered, referrals, support_declined
    FROM team_encounters WHERE month BETWEEN :first AND :last
    """
)
_TEAM_FOLLOW_UPS = text(
    """
    SELECT supporter_id, case_id, month, method, status, late_days, on_time
    FROM team_follow_ups WHERE month BETWEEN :first AND :last
    """
)
_TEAM_LIVE = text("SELECT supporter_id, id FROM team_cases")


def read_team_data(
    engine: Engine, first: str, last: str, recipient: bytes, *, created: datetime
) -> BundleData:
    """The merged team data of months `first`..`last`, as one bundle for a higher team.

    Case IDs are keyed again, over the supporter and their ID, with this journal's secret and
    the higher team's key: the higher coordinator cannot match them to the supporters'
    bundles, and cases of two supporters never collide."""
    secret = team_keys.record_id_secret(engine)
    params = {"first": first, "last": last}

    def key(pair: tuple[str, str]) -> str:
        return team_keys.record_id(secret, recipient, *pair)

    def pairs(rows: Any) -> list[tuple[Any, ...]]:
        return [((r[0], r[1]), *r[2:]) for r in rows]

    with engine.connect() as conn, conn.begin():
        cases = pairs(conn.execute(_TEAM_CASES, params))
        encounters = pairs(conn.execute(_TEAM_ENCOUNTERS, params))
        follow_ups = pairs(conn.execute(_TEAM_FOLLOW_UPS, params))
        live = [key((s, i)) for s, i in conn.execute(_TEAM_LIVE)]
    flagged = [(*e[:8], bool(e[8]), e[9], bool(e[10])) for e in encounters]
    return BundleData(
        "team",
        first,
        last,
        created.replace(microsecond=0),
        _keyed(cases, key),
        _keyed(flagged, key),
        _keyed([(*f[:5], bool(f[5])) for f in follow_ups], key),
        sorted(live),
    )


# --- writing ----------------------------------------------------------------------------------


def export_bundle(
    engine: Engine,
    period: Period,
    dest: Path,
    *,
    journal: Journal,
    created: datetime | None = None,
    merged: bool = False,
) -> ExportedBundle:
    """Write the bundle of the months of `period` to `dest` and log it. `merged`: the
    coordinator's merged team data instead of this journal's own cases (hierarchies)."""
    if period.end < period.start:
        raise ValidationError("period", tr("ends before it starts."))
    card = team_keys.require_joined(engine)
    first, last = months_of(period)
    read = read_team_data if merged else read_journal_data
    data = read(engine, first, last, card.public_key, created=created or now())
    payload = fmt.encode(data)
    decode(payload)  # the importer's own checks, here: a supporter learns of a problem first
    signer = team_keys.signing_key(engine)
    sealed = bundle_seal.seal(payload, card.public_key, signer)
    dest = Path(dest)
    atomic_write_bytes(dest, sealed, clean_stale=True)
    fingerprint = team_keys.own_fingerprint(engine)
    result = ExportedBundle(
        dest,
        fingerprint,
        card,
        first,
        last,
        len(data.cases),
        len(data.encounters),
        len(data.follow_ups),
    )
    what = "merged team data" if merged else "journal"
    # The export log's record, in English like every log line.
    journal.record_export(
        EXPORT_KIND,
        str(dest),
        records=result.records,
        detail=(
            f"{result.months_text} ({what}): {result.cases} cases, {result.encounters} "
            f"encounters, {result.follow_ups} follow-ups, to team {card.name} "
            f"({card.fingerprint}), signed {fingerprint}"
        ),
    )
    return result


def default_file_name(period: Period) -> str:
    """A name that says what the file is, without anything identifying."""
    first, last = months_of(period)
    return f"team-bundle-{first}-to-{last}{SUFFIX}"
