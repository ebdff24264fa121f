"""Reference: stages, tiers, high-risk events, responses, triggering and red flags at a glance."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from svjournal.core import vocab
from svjournal.ui.pages.common import heading


def reference_html() -> str:
    parts = ["<h2>The six stages of recovery (Scott et al., 2009)</h2><table cellpadding='4'>"]
    for term in vocab.STAGES:
        questions = " ".join(f"“{escape(q)}”" for q in term.questions)
        parts.append(
            f"<tr><td valign='top'><b>{term.code}</b></td><td><b>{escape(term.label)}</b><br>"
            f"{escape(term.description)}<br><i>{questions}</i></td></tr>"
        )
    # A list: run together with "; " the outcomes' own full stops made ".;".
    parts.append("</table><p>Stage 6 outcomes:</p><ul>")
    parts += [
        f"<li><b>{escape(t.label)}</b> — {escape(t.description)}</li>" for t in vocab.OUTCOMES
    ]
    parts.append(
        "</ul><h2>Triggering</h2><p>At any stage, any time, a similar place, name, diagnosis or "
        "treatment can bring the event and its symptoms back. Tick <i>triggered</i> on the "
        "encounter; stages can go backwards.</p>"
    )
    parts.append("<h2>Three tiers of support</h2><ul>")
    parts += [f"<li><b>{escape(t.label)}</b>: {escape(t.description)}</li>" for t in vocab.TIERS]
    parts.append(
        "</ul><p>About 10 % of supported clinicians are escalated to Tier 3.</p>"
        "<h2>Red flags — escalate now (Tier 3)</h2><ul>"
    )
    parts += [f"<li>{escape(t.label)}</li>" for t in vocab.RED_FLAGS]
    parts.append("</ul><h2>Stress continuum</h2><ul>")
    parts += [
        f"<li><b>{escape(t.label)}</b> ({t.colour}): {escape(t.description)}</li>"
        for t in vocab.STRESS_ZONES
    ]
    parts.append("</ul><h2>High-risk events</h2><ol>")
    parts += [f"<li>{escape(t.label)}</li>" for t in vocab.HIGH_RISK_EVENTS]
    parts.append("</ol><h2>Common responses</h2>")
    for group, items in vocab.COMMON_RESPONSES.items():
        parts.append(f"<p><b>{escape(group)}:</b> {escape(', '.join(items))}.</p>")
    parts.append(
        "<h2>Remember</h2><p>Peer support is not therapy. This journal is not a medical record "
        "and not part of quality or peer review: record no patient identifiers, no clinical "
        "facts, no conversation content.</p>"
    )
    return "".join(parts)


class ReferencePage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        browser = QTextBrowser()
        browser.setAccessibleName("Reference")
        browser.setHtml(reference_html())
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Reference"))
        layout.addWidget(browser, 1)
