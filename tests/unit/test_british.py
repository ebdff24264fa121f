"""tools.british: British spelling from the US source, placeholders and markup untouched."""

from __future__ import annotations

from tools.british import british


def test_british_spelling() -> None:
    assert british("Peer support program report") == "Peer support programme report"
    assert british("Your organization's counselor canceled it.") == (
        "Your organisation's counsellor cancelled it."
    )
    assert british("Will I lose my job or license?") == "Will I lose my job or licence?"
    assert british("Failure to recognize deterioration") == "Failure to recognise deterioration"


def test_placeholders_and_markup_are_never_respelt() -> None:
    assert british("{zone} ({color})") == "{zone} ({color})"
    assert british("<b color='red'>color</b>") == "<b color='red'>colour</b>"


def test_what_reads_the_same_is_left_alone() -> None:
    text = "Back up now"
    assert british(text) == text
