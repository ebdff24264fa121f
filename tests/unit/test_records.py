"""The journal hands out read-only records, never table rows, and the UI never sees a table class
(issue 14 part 3).

A record has the fields of its table, is frozen, and shares no list or mapping with the row
it was read from; every svjournal/ui module is read (ast) for an import of core.models.
"""

from __future__ import annotations

import ast
import dataclasses
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import SQLModel

from svjournal.core import records
from svjournal.core.inputs import CaseInput, ContactInput, EncounterInput, FollowUpInput
from svjournal.core.journal import Journal
from svjournal.core.models import Case, ContactDetail, Draft, Encounter, ExportLogEntry, FollowUp

UI = Path(__file__).resolve().parents[2] / "svjournal" / "ui"
MODELS = "svjournal.core.models"
PAIRS: list[tuple[type, type[SQLModel]]] = [
    (records.CaseRecord, Case),
    (records.EncounterRecord, Encounter),
    (records.FollowUpRecord, FollowUp),
    (records.ContactRecord, ContactDetail),
    (records.ExportLogRecord, ExportLogEntry),
    (records.DraftRecord, Draft),
]


def _models_imports(source: str) -> list[int]:
    """The lines of `import svjournal.core.models`, `from svjournal.core.models import …` and
    `from svjournal.core import models` in one module's source (type-checking-only too)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        if any(n == MODELS or n.startswith(MODELS + ".") for n in names):
            found.append(node.lineno)
    return found


def test_no_ui_module_imports_the_table_classes() -> None:
    modules = sorted(UI.rglob("*.py"))
    assert len(modules) > 40  # the walk found the UI
    wrong = [
        f"{path.relative_to(UI.parents[1])}:{line}"
        for path in modules
        for line in _models_imports(path.read_text(encoding="utf-8"))
    ]
    assert wrong == [], "the UI imports the table classes (use core.records): " + ", ".join(wrong)


@pytest.mark.parametrize(
    "source",
    [
        "from svjournal.core.models import Case",
        "import svjournal.core.models",
        "import svjournal.core.models as m",
        "from svjournal.core import models",
        "if TYPE_CHECKING:\n    from svjournal.core.models import Encounter",
        "def f() -> None:\n    from svjournal.core.models import FollowUp",
    ],
)
def test_the_import_check_catches_each_spelling(source: str) -> None:
    assert _models_imports(source) != []


def test_the_import_check_passes_records_and_other_modules() -> None:
    source = "from svjournal.core.records import CaseRecord\nfrom svjournal.core import vocab\n"
    assert _models_imports(source) == []


@pytest.mark.parametrize(("record", "table"), PAIRS, ids=lambda t: t.__name__)
def test_a_record_has_exactly_the_fields_of_its_table(record: type, table: type[SQLModel]) -> None:
    assert {f.name for f in dataclasses.fields(record)} == set(table.model_fields)


def _case(journal: Journal) -> records.CaseRecord:
    return journal.open_case(
        CaseInput(
            alias="RN-R",
            role="nurse",
            department="icu",
            event_category="unexpected_death",
            referral_source="self",
            referred_on=date(2026, 11, 20),
            high_risk_events=["first_death"],
        ),
        ContactInput(phone="+1 555 0100"),
    )


def test_every_read_and_write_returns_a_frozen_record(journal: Journal) -> None:
    case = _case(journal)
    encounter = journal.log_encounter(
        case.id,
        EncounterInput(
            datetime(2026, 11, 21, 10, 0), "phone", 30, interventions=["reflective_listening"]
        ),
        next_follow_up=FollowUpInput(due_on=date(2026, 11, 28)),
    )
    follow_up = journal.follow_ups(case.id)[0]
    journal.record_export("calendar", "/tmp/x.ics", records=1)
    journal.save_draft("case:new", "case", {"alias": "X"})
    got = {
        "get_case": journal.get_case(case.id),
        "open_case": case,
        "log_encounter": encounter,
        "get_encounter": journal.get_encounter(encounter.id),
        "encounters": journal.encounters(case.id)[0],
        "recent_encounters": journal.recent_encounters()[0][0],
        "follow_up": journal.follow_up(follow_up.id),
        "reschedule_follow_up": journal.reschedule_follow_up(follow_up.id, date(2026, 11, 29)),
        "contact": journal.contact(case.id),
        "export_log": journal.export_log()[0],
        "load_draft": journal.load_draft("case:new"),
        "drafts": journal.drafts()[0],
        "close_case": journal.close_case(case.id),
        "reopen_case": journal.reopen_case(case.id),
    }
    for name, value in got.items():
        assert dataclasses.is_dataclass(value) and not isinstance(value, SQLModel), name
        assert type(value).__module__ == "svjournal.core.records", name
        with pytest.raises(dataclasses.FrozenInstanceError):
            value.id = "changed"  # type: ignore[union-attr]
    journal.delete_encounter(encounter.id)
    journal.delete_case(case.id)
    trash = journal.trash()
    assert [type(c) for c in trash.cases] == [records.CaseRecord]
    journal.restore_case(case.id)
    assert [type(e) for e in journal.trash().encounters] == [records.EncounterRecord]


def test_a_record_shares_no_list_with_what_the_journal_keeps(journal: Journal) -> None:
    case = _case(journal)
    case.high_risk_events.append("reminds_of_family")  # a page scribbling on its copy
    assert journal.get_case(case.id).high_risk_events == ["first_death"]
    assert journal.get_case(case.id) == journal.get_case(case.id)  # values, not identities
