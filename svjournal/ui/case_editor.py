"""Dialog to open a case or edit one: pseudonym, coded background, optional contact details."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from svjournal.core import vocab
from svjournal.core.errors import SvJournalError, ValidationError
from svjournal.core.i18n import N_, tr
from svjournal.core.inputs import CaseInput, ContactInput
from svjournal.core.journal import Journal
from svjournal.core.phi import pseudonym_warning
from svjournal.core.records import CaseRecord
from svjournal.core.validation import EARLIEST_DATE, MAX_ALIAS, MAX_EMAIL, MAX_PHONE, MAX_SHORT_TEXT
from svjournal.operations import OpResult
from svjournal.operations import cases as case_ops
from svjournal.ui import errors
from svjournal.ui.discard_guard import GuardedDialog
from svjournal.ui.field_problems import REQUIRED_LEGEND, FieldProblems, required
from svjournal.ui.form_widgets import (
    CheckGroup,
    CodeCombo,
    CollapsibleSection,
    align_labels,
    chain_tab_order,
    choices,
    fit_to_screen,
    form_layout,
    help_label,
    labelled_row,
    scrolling_layout,
    stacked,
)
from svjournal.ui.formatting import date_format
from svjournal.ui.phi_highlighter import IdentifierWarning
from svjournal.ui.qt_dates import py_date, qdate

ALIAS_HINT = N_("A code or initials you choose — never the person's name.")
CONTACT_TITLE = N_("Contact details (optional, deleted when the case closes)")


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit(QDate.currentDate())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(date_format())
    edit.setMinimumDate(qdate(EARLIEST_DATE))
    edit.setAccessibleName(name)
    return edit


def _line(name: str, max_len: int) -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(max_len)
    edit.setAccessibleName(name)
    return edit


class CaseEditor(GuardedDialog):
    """Open a new case, or edit `case`; `saved_case` holds the result after Save."""

    def __init__(
        self, journal: Journal, case: CaseRecord | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._journal = journal
        self._case = case
        self.saved_case: CaseRecord | None = None
        self.op_result: OpResult[CaseRecord] | None = None  # what Save did, for the undo history
        # Never the alias: window titles reach task bars, window lists and screen sharing.
        self.setWindowTitle(tr("Edit case") if case else tr("New case"))
        self.setAccessibleName(self.windowTitle())
        self.setSizeGripEnabled(True)

        content = QWidget()
        column = QVBoxLayout(content)
        column.addWidget(help_label(tr(REQUIRED_LEGEND)))
        column.addWidget(self._build_person())
        column.addWidget(self._build_referral())
        column.addWidget(self._build_event())
        column.addWidget(self._build_contact())
        column.addStretch(1)
        align_labels(*self._forms)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        scrolling_layout(self, content, self.buttons)
        self.problems = FieldProblems(QLabel())
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.insertWidget(1, self.problems.summary)  # above the buttons, always in view
        for field, (label, form, cell, focus) in self._cells.items():
            self.problems.attach(field, label, form, cell, focus)
        for field in ("phone", "email", "other"):
            self.problems.open_first(field, self.contact_section.toggle)
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.activated.connect(self.save)

        self._had_contact = False
        if case is not None:
            self._load(case)
        self._event_known_toggled(self.event_known.isChecked())
        self._set_tab_order()
        fit_to_screen(self, content, self.buttons, min_chars=70)
        self.alias.setFocus(Qt.FocusReason.OtherFocusReason)
        self.mark_clean()  # "Discard changes?" compares with the form as it opened

    # --- building ------------------------------------------------------------------------

    def _build_person(self) -> QGroupBox:
        box = QGroupBox(tr("Person or team"))
        form = form_layout()
        self._forms = [form]
        self.alias = _line(tr("Pseudonym"), MAX_ALIAS)
        # Translators: an example pseudonym; keep it a short code, never a name.
        self.alias.setPlaceholderText(tr("e.g. NR-12"))
        self.alias.setAccessibleDescription(tr(ALIAS_HINT))
        self.alias_warning = IdentifierWarning()
        # The worry here is the colleague's real name, not a patient's: the wording says so.
        self.alias.textChanged.connect(
            lambda text: self.alias_warning.show_message(pseudonym_warning(text))
        )
        cell = stacked(self.alias, help_label(tr(ALIAS_HINT)), self.alias_warning)
        labelled_row(form, required(tr("&Pseudonym")), self.alias, cell)
        self._cells: dict[str, tuple[str, QFormLayout, QWidget, QWidget]] = {
            "alias": (tr("Pseudonym"), form, cell, self.alias)
        }
        self.kind_buttons = QButtonGroup(self)
        kinds = QWidget()
        row = QHBoxLayout(kinds)
        row.setContentsMargins(0, 0, 0, 0)
        self._kind_radios: dict[str, QRadioButton] = {}
        for term in vocab.CASE_KINDS:
            radio = QRadioButton(term.label)
            radio.setAccessibleName(tr("Case kind: {kind}").format(kind=term.label))
            self.kind_buttons.addButton(radio)
            self._kind_radios[term.code] = radio
            row.addWidget(radio)
        row.addStretch(1)
        self._kind_radios["individual"].setChecked(True)
        self.kind_note = help_label(tr("The kind cannot change once encounters are logged."))
        self.kind_note.hide()
        first_radio = self._kind_radios["individual"]
        kind_cell = stacked(kinds, self.kind_note)
        labelled_row(form, tr("&Kind"), first_radio, kind_cell)
        self._cells["kind"] = (tr("Kind"), form, kind_cell, first_radio)
        self.role = CodeCombo(choices(vocab.ROLES), tr("Role"), none_label=tr("Choose a role…"))
        labelled_row(form, required(tr("&Role")), self.role)
        self._cells["role"] = (tr("Role"), form, self.role, self.role)
        departments = [(d["code"], d["label"], "") for d in self._journal.setting("departments")]
        self.department = CodeCombo(
            departments, tr("Department"), none_label=tr("Choose a department…")
        )
        labelled_row(form, required(tr("&Department")), self.department)
        self._cells["department"] = (tr("Department"), form, self.department, self.department)
        box.setLayout(form)
        return box

    def _build_referral(self) -> QGroupBox:
        box = QGroupBox(tr("Referral"))
        form = form_layout()
        self._forms.append(form)
        self.source = CodeCombo(
            choices(vocab.REFERRAL_SOURCES),
            tr("Referral source"),
            none_label=tr("Choose a source…"),
        )
        labelled_row(form, required(tr("Referral &source")), self.source)
        self._cells["referral_source"] = (tr("Referral source"), form, self.source, self.source)
        self.referred_on = _date_edit(tr("Referral date"))
        labelled_row(form, required(tr("Referral da&te")), self.referred_on)
        self._cells["referred_on"] = (tr("Referral date"), form, self.referred_on, self.referred_on)
        box.setLayout(form)
        return box

    def _build_event(self) -> QGroupBox:
        box = QGroupBox(tr("Event"))
        form = form_layout()
        self._forms.append(form)
        self.category = CodeCombo(
            choices(vocab.EVENT_CATEGORIES),
            tr("Event category"),
            none_label=tr("Choose a category…"),
        )
        self.category_help = help_label()
        self.category.currentIndexChanged.connect(self._category_changed)
        category_cell = stacked(self.category, self.category_help)
        labelled_row(form, required(tr("Event &category")), self.category, category_cell)
        self._cells["event_category"] = (tr("Event category"), form, category_cell, self.category)
        self._category_changed()
        self.event_known = QCheckBox(tr("Event date kno&wn"))
        self.event_known.setAccessibleName(tr("Event date known"))
        self.event_date = _date_edit(tr("Event date"))
        dates = QWidget()
        row = QHBoxLayout(dates)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.event_known)
        row.addWidget(self.event_date, 1)
        self.event_known.toggled.connect(self._event_known_toggled)
        labelled_row(form, tr("Event date"), self.event_known, dates)
        self._cells["event_date"] = (tr("Event date"), form, dates, self.event_date)
        self.high_risk = CheckGroup(vocab.HIGH_RISK_EVENTS, tr("High-risk event"))
        labelled_row(form, tr("&High-risk events"), self.high_risk.boxes()[0], self.high_risk)
        self._cells["high_risk_events"] = (
            tr("High-risk events"),
            form,
            self.high_risk,
            self.high_risk,
        )
        box.setLayout(form)
        return box

    def _build_contact(self) -> CollapsibleSection:
        self.contact_section = CollapsibleSection(tr(CONTACT_TITLE))
        form = form_layout()
        self._forms.append(form)
        self.phone = _line(tr("Contact phone"), MAX_PHONE)
        self.email = _line(tr("Contact email"), MAX_EMAIL)
        self.other = _line(tr("Other contact detail"), MAX_SHORT_TEXT)
        labelled_row(form, tr("Phon&e"), self.phone)
        labelled_row(form, tr("E&mail"), self.email)
        labelled_row(form, tr("&Other"), self.other)
        self._cells["phone"] = (tr("Phone"), form, self.phone, self.phone)
        self._cells["email"] = (tr("Email"), form, self.email, self.email)
        self._cells["other"] = (tr("Other contact detail"), form, self.other, self.other)
        self.contact_section.body.setLayout(form)
        return self.contact_section

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [self.alias, *self._kind_radios.values(), self.role]
        chain += [self.department, self.source, self.referred_on, self.category]
        chain += [self.event_known, self.event_date, *self.high_risk.boxes()]
        chain += [self.contact_section.toggle, self.phone, self.email, self.other]
        chain_tab_order(chain)

    # --- reactions and values ------------------------------------------------------------

    def _category_changed(self) -> None:
        code = self.category.code()
        text = vocab.EVENT_CATEGORIES.get(code).description if code else ""
        self.category_help.setText(text)
        self.category_help.setVisible(bool(text))

    def _event_known_toggled(self, known: bool) -> None:
        self.event_date.setEnabled(known)

    def _load(self, case: CaseRecord) -> None:
        self.alias.setText(case.alias)
        self._kind_radios[case.kind].setChecked(True)
        if self._journal.encounters(case.id):
            for radio in self._kind_radios.values():
                radio.setEnabled(False)
            self.kind_note.show()
        self.role.set_code(case.role)
        if not self.department.set_code(case.department):
            # A department retired from Settings stays valid for the cases filed under it.
            self.department.add_choice(
                case.department,
                # Translators: {department} is a department retired from Settings.
                tr("{department} (no longer listed)").format(department=case.department),
            )
            self.department.set_code(case.department)
        self.source.set_code(case.referral_source)
        self.referred_on.setDate(qdate(case.referred_on))
        self.category.set_code(case.event_category)
        self.event_known.setChecked(case.event_date is not None)
        if case.event_date is not None:
            self.event_date.setDate(qdate(case.event_date))
        self.high_risk.set_codes(case.high_risk_events)
        contact = self._journal.contact(case.id)
        if contact is not None:
            self.phone.setText(contact.phone or "")
            self.email.setText(contact.email or "")
            self.other.setText(contact.other or "")
            self._had_contact = True
        self.contact_section.set_expanded(self._had_contact)

    def kind(self) -> str:
        return next(code for code, radio in self._kind_radios.items() if radio.isChecked())

    def to_input(self) -> CaseInput:
        return CaseInput(
            alias=self.alias.text(),
            role=self.role.code(),
            department=self.department.code(),
            event_category=self.category.code(),
            referral_source=self.source.code(),
            referred_on=py_date(self.referred_on.date()),
            kind=self.kind(),
            event_date=py_date(self.event_date.date()) if self.event_known.isChecked() else None,
            high_risk_events=self.high_risk.codes(),
        )

    def contact_input(self) -> ContactInput:
        return ContactInput(
            phone=self.phone.text() or None,
            email=self.email.text() or None,
            other=self.other.text() or None,
        )

    def clear_sensitive(self) -> None:
        """Empty the pseudonym and the contact fields (called when the journal locks)."""
        for edit in (self.alias, self.phone, self.email, self.other):
            edit.clear()

    def save(self) -> None:
        contact, data = self.contact_input(), self.to_input()
        problems: list[ValidationError] = []
        # Both checked before anything is written: a bad email must not leave a new case saved
        # without it, and the person sees the case's problems and the contact's together.
        case_id = self._case.id if self._case else None
        for check in (lambda: self._journal.check_case(data, case_id), contact.checked):
            try:
                check()
            except ValidationError as exc:
                problems += exc.problems
        if problems:
            self.problems.show(problems)
            return
        self.problems.clear()
        # An edit that empties every contact field deletes the details; none given: kept.
        wanted = contact if any(contact.checked().values()) or self._had_contact else None
        try:
            if self._case is None:
                result = case_ops.open_case(self._journal, data, wanted)
            else:
                result = case_ops.edit_case(self._journal, self._case.id, data, wanted)
        except ValidationError as exc:  # checks only saving can make (an encounter's date)
            self.problems.show(exc.problems)
            return
        except SvJournalError as exc:
            errors.show_error(self, exc)
            return
        # From here on a retry updates this case rather than opening a second one.
        self._case = self.saved_case = result.value
        self._had_contact = wanted is not None and any(contact.checked().values())
        self.op_result = result
        self.accept()
