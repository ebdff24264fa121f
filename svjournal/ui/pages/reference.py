"""Reference: stages, tiers, high-risk events, responses, triggering and red flags at a glance."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from svjournal.core import vocab
from svjournal.core.i18n import tr
from svjournal.ui.formatting import format_percent
from svjournal.ui.pages.common import heading


def _heading(text: str) -> str:
    return f"<h2>{escape(text)}</h2>"


def reference_html() -> str:
    """The page's HTML; every heading and sentence marked, the vocabulary translated as read.

    Each `tr` call stands outside any f-string: Babel's extractor does not look inside one
    on Python 3.11, and a string it never extracts reaches no translator."""
    parts = [
        _heading(tr("The six stages of recovery (Scott et al., 2009)")),
        "<table cellpadding='4'>",
    ]
    for term in vocab.STAGES:
        # Translators: a stage's question in quotation marks, as your language writes them.
        questions = " ".join(escape(tr("“{question}”").format(question=q)) for q in term.questions)
        parts.append(
            f"<tr><td valign='top'><b>{term.code}</b></td><td><b>{escape(term.label)}</b><br>"
            f"{escape(term.description)}<br><i>{questions}</i></td></tr>"
        )
    # A list: run together with "; " the outcomes' own full stops made ".;".
    parts += ["</table><p>", escape(tr("Stage 6 outcomes:")), "</p><ul>"]
    parts += [
        f"<li><b>{escape(t.label)}</b> — {escape(t.description)}</li>" for t in vocab.OUTCOMES
    ]
    parts += ["</ul>", _heading(tr("Triggering")), "<p>"]
    # Translators: rich text; keep <i>…</i> around the name of the encounter's checkbox.
    parts.append(
        tr(
            "At any stage, any time, a similar place, name, diagnosis or treatment can bring "
            "the event and its symptoms back. Tick <i>triggered</i> on the encounter; stages "
            "can go backwards."
        )
    )
    parts += ["</p>", _heading(tr("Three tiers of support")), "<ul>"]
    # Translators: rich text: a tier of support and what it means ("Tier 1 · local support: …").
    tier = tr("<b>{tier}</b>: {meaning}")
    parts += [
        f"<li>{tier.format(tier=escape(t.label), meaning=escape(t.description))}</li>"
        for t in vocab.TIERS
    ]
    share = tr("About {percent} of supported clinicians are escalated to Tier 3.").format(
        percent=format_percent(0.10)
    )
    parts += [f"</ul><p>{escape(share)}</p>", _heading(tr("Red flags — escalate now (Tier 3)"))]
    parts.append("<ul>")
    parts += [f"<li>{escape(t.label)}</li>" for t in vocab.RED_FLAGS]
    parts += ["</ul>", _heading(tr("Stress continuum")), "<ul>"]
    # Translators: rich text: a zone of the stress continuum and what it means (the meaning
    # names the zone's color first: "<b>Ready</b>: Green: coping well.").
    zone = tr("<b>{zone}</b>: {meaning}")
    parts += [
        "<li>" + zone.format(zone=escape(t.label), meaning=escape(t.description)) + "</li>"
        for t in vocab.STRESS_ZONES
    ]
    parts += ["</ul>", _heading(tr("High-risk events")), "<ol>"]
    parts += [f"<li>{escape(t.label)}</li>" for t in vocab.HIGH_RISK_EVENTS]
    parts += ["</ol>", _heading(tr("Common responses"))]
    for group, items in vocab.COMMON_RESPONSES.items():
        # Translators: a group of common responses, then its responses: "<b>Physical:</b> …."
        line = tr("<b>{group}:</b> {responses}.").format(
            group=escape(group), responses=escape(", ".join(items))
        )
        parts.append(f"<p>{line}</p>")
    remember = tr(
        "Peer support is not therapy. This journal is not a medical record and not part of "
        "quality or peer review: record no patient identifiers, no clinical facts, no "
        "conversation content."
    )
    parts += [_heading(tr("Remember")), f"<p>{escape(remember)}</p>"]
    return "".join(parts)


class ReferencePage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        browser = QTextBrowser()
        browser.setAccessibleName(tr("Reference"))
        browser.setHtml(reference_html())
        layout = QVBoxLayout(self)
        layout.addWidget(heading(tr("Reference")))
        layout.addWidget(browser, 1)
