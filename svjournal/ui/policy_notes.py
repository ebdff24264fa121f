"""How the IT policy shows in the windows: the note beside a locked or bounded setting, the
warning about a policy file that cannot be used, and why remembering is refused."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from svjournal.core.i18n import N_, ntr, tr
from svjournal.core.policy import Policy
from svjournal.core.secrets import KeyStore

IT_NOTE = N_("Set by your IT department.")


def setting_note(policy: Policy, setting: str) -> str:
    """What to say under a setting the policy governs ('' when it governs nothing there)."""
    if policy.is_locked(setting):
        return tr(IT_NOTE)
    if setting == "idle_lock_minutes" and (most := policy.idle_max()):
        return ntr(
            "Your IT department allows at most {n} minute.",
            "Your IT department allows at most {n} minutes.",
            most,
        ).format(n=most)
    if setting == "small_count_threshold" and (least := policy.threshold_min()):
        # Translators: {n} is the smallest count a report may show; smaller ones are hidden.
        return ntr(
            "Your IT department requires at least {n}.",
            "Your IT department requires at least {n}.",
            least,
        ).format(n=least)
    rule = policy.governs(setting)
    if rule is not None and rule.is_set:
        return tr("Suggested by your IT department; you may change it.")
    return ""


def remember_refusal(policy: Policy, keystore: KeyStore) -> str | None:
    """Why 'remember on this workstation' cannot be offered here; None when it can."""
    refusal = policy.remember_refusal()
    if refusal is not None:
        return refusal
    available, reason = keystore.available()
    # Translators: {reason} says why the system keyring cannot be used.
    return (
        None
        if available
        else tr("Remembering is not possible here: {reason}").format(reason=reason)
    )


def warning_label(parent: QWidget | None = None) -> QLabel:
    """A label for `Policy.warning` (normal text colour: it must be read), hidden while
    there is nothing to warn about."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(tr("IT policy warning"))
    label.hide()
    return label


def show_warning(label: QLabel, policy: Policy) -> None:
    text = policy.warning or ""
    label.setText(f"⚠ {text}" if text else "")
    label.setVisible(bool(text))
