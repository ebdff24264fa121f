"""The vocabulary: codes stay, labels are translated each time they are read."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from svjournal.core import i18n, vocab
from tools.translations import extract

ALL = [v for v in vars(vocab).values() if isinstance(v, vocab.Vocabulary)]


@pytest.fixture(autouse=True)
def _source_language() -> Iterator[None]:
    yield
    i18n.use(i18n.SOURCE)


def test_labels_follow_the_language_of_the_moment() -> None:
    term = vocab.STAGES.get(6)
    assert term.label == "Moving on" and vocab.STAGES.label(6) == "Moving on"
    i18n.use(i18n.PSEUDO)
    assert term.label == i18n.pseudo("Moving on")
    assert vocab.STAGES.label(6) == i18n.pseudo("Moving on")
    assert term.description.startswith("[") and term.code == 6
    assert vocab.STAGES.get(1).questions == (
        i18n.pseudo("How did this happen?"),
        i18n.pseudo("Why?"),
    )
    assert vocab.STRESS_ZONES.get("ready").colour == i18n.pseudo("green")
    with i18n.speaking(i18n.SOURCE):  # a report in US English while the window speaks another
        assert vocab.OUTCOMES.label("thriving") == "Thriving"
    assert vocab.OUTCOMES.label("unknown_code") == "unknown_code"


def test_common_responses_are_translated_groups() -> None:
    assert list(vocab.COMMON_RESPONSES) == ["Physical", "Psychological", "Worries"]
    assert "losing a license" in vocab.COMMON_RESPONSES["Worries"]
    i18n.use(i18n.PSEUDO)
    groups = dict(vocab.COMMON_RESPONSES.items())
    assert list(groups) == [i18n.pseudo(g) for g in ("Physical", "Psychological", "Worries")]
    assert groups[i18n.pseudo("Physical")][0] == i18n.pseudo("disturbed sleep")
    with pytest.raises(KeyError):
        vocab.COMMON_RESPONSES["Spiritual"]


def test_every_label_and_description_is_in_the_catalogue() -> None:
    catalogue = extract()
    for vocabulary in ALL:
        for term in vocabulary:
            assert term.label in catalogue, term.label
            assert not term.description or term.description in catalogue, term.description
            for question in term.questions:
                assert question in catalogue, question
    stage = catalogue.get("Enduring the inquisition")
    assert stage is not None and any("Scott" in c for c in stage.auto_comments)
    tier = catalogue.get("Tier 3 · expedited referral")
    assert tier is not None and any("tiers of support" in c for c in tier.auto_comments)


def test_the_source_is_us_english() -> None:
    labels = " ".join(t.label + " " + t.description for v in ALL for t in v)
    for british in ("Paediatrics", "licence", "counsellor", "programme", "Cancelled", "realise"):
        assert british not in labels
    assert vocab.DEFAULT_DEPARTMENTS.label("paediatrics") == "Pediatrics"  # the code stays


def test_terms_are_read_only_and_compare_by_value() -> None:
    term = vocab.MODES.get("phone")
    with pytest.raises(AttributeError):
        term.code = "call"  # type: ignore[misc]
    assert term == vocab.Term("phone", "Phone") and hash(term) == hash(vocab.Term("phone", "Phone"))
