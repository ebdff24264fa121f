"""Reading retired (version 1, team passphrase) bundles, made as coarse as version 2 ones.

Kept for one release so that bundles written before team keys still import, with a notice
that the format is retired. They carry days; on import they become months, durations and
flags like a version 2 bundle (`to_v2`), so the team tables hold one layout. Their supporter
is the random ID in their plain header (no key to check: anyone who knew the passphrase
could have written them, which is why the format is retired).
"""

from __future__ import annotations

from datetime import date

from svjournal.core import sealed
from svjournal.core.errors import FileDamaged, NotOurFile, WrongFilePassphrase
from svjournal.core.i18n import tr
from svjournal.reports import legacy_format as v1
from svjournal.reports.bundle_format import BundleData
from svjournal.reports.legacy_check import decode

MAGIC = v1.MAGIC
# Key-derivation costs beyond these would only stall the importer (a hostile header).
MAX_KDF_MEMORY_KIB = 1024 * 1024
MAX_KDF_TIME = 64


class RetiredNeedsPassphrase(WrongFilePassphrase):
    """A retired-format bundle, and no team passphrase was given to open it."""


def open_legacy(data: bytes, team_passphrase: str | None) -> v1.BundleData:
    """The checked contents of a version 1 bundle file's bytes; typed errors only."""
    if not data.startswith(MAGIC):
        raise NotOurFile(tr("This is not a team bundle (not a file svjournal wrote)."))
    header, start = sealed.read_header(MAGIC, data)
    v1.check_header_version(header.metadata)
    kdf = header.kdf
    if kdf.memory_kib > MAX_KDF_MEMORY_KIB or kdf.time_cost > MAX_KDF_TIME:
        raise FileDamaged(tr("The file's header asks for an implausible key derivation."))
    expected = header.metadata.get("sealed_bytes")
    if isinstance(expected, int) and len(data) - start != expected:
        raise FileDamaged(
            tr("The file is truncated (or has bytes added); nothing was imported from it.")
        )
    if not team_passphrase:
        raise RetiredNeedsPassphrase(
            tr(
                "This bundle is in the retired passphrase format: give the old team passphrase "
                "to import it (and ask the supporter to join the team with its card)."
            )
        )
    header, payload = sealed.unseal(MAGIC, data, team_passphrase)
    return decode(payload, header.metadata)


def _days(later: str | None, earlier: str) -> int | None:
    if later is None:
        return None
    return (date.fromisoformat(later) - date.fromisoformat(earlier)).days


def to_v2(old: v1.BundleData) -> BundleData:
    """The same records at month grain (case IDs stay the retired format's UUIDs)."""
    cases = []
    for c in old.cases:
        (ident, kind, role, dept, event, high_risk, source, referred, status, stage, outcome) = c[
            :11
        ]
        first_contact, last_contact = c[11], c[12]
        days = _days(first_contact, referred)
        cases.append(
            (
                ident,
                kind,
                role,
                dept,
                event,
                high_risk,
                source,
                referred[:7],
                status,
                stage,
                outcome,
                None if days is None else days * 1440,
                None if last_contact is None else last_contact[:7],
            )
        )
    encounters = [(e[1], e[2][:7], *e[3:]) for e in old.encounters]
    today = old.created.date().isoformat()
    follow_ups = []
    for _id, case_id, due, method, status, done in old.follow_ups:
        late = _days(done, due) if status == "done" else None
        shown = "overdue" if status == "planned" and due < today else status
        follow_ups.append((case_id, due[:7], method, shown, late, late is not None and late <= 1))
    return BundleData(
        "journal",
        old.period_start.isoformat()[:7],
        old.period_end.isoformat()[:7],
        old.created,
        cases,
        encounters,
        follow_ups,
        list(old.live_case_ids),
    )
