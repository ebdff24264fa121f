"""The building blocks of the vocabulary (svjournal/core/vocab.py): terms whose labels are
translated each time they are read, so a label speaks the language of the moment (the
window's, or that of a report written in another language), and no caller translates.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from svjournal.core.i18n import tr

C = TypeVar("C", int, str)


class Term(Generic[C]):
    """One entry of a vocabulary: its stored code and what a person reads (translated)."""

    __slots__ = ("_colour", "_description", "_label", "_questions", "code", "tier3")

    def __init__(
        self,
        code: C,
        label: str,
        description: str = "",
        questions: tuple[str, ...] = (),
        tier3: bool = False,  # referral targets: part of the Tier 3 expedited referral network
        colour: str = "",  # stress zones: the continuum's color name
    ) -> None:
        self.code: C = code
        self.tier3 = tier3
        self._label = label
        self._description = description
        self._questions = questions
        self._colour = colour

    @property
    def label(self) -> str:
        return tr(self._label)

    @property
    def description(self) -> str:
        return tr(self._description) if self._description else ""

    @property
    def questions(self) -> tuple[str, ...]:
        return tuple(tr(q) for q in self._questions)

    @property
    def colour(self) -> str:
        return tr(self._colour) if self._colour else ""

    @property
    def source_label(self) -> str:
        """The label in US English, untranslated (the catalogue's key)."""
        return self._label

    def _key(self) -> tuple[Any, ...]:
        return (self.code, self._label, self._description, self._questions, self.tier3)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Term) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Term({self.code!r}, {self._label!r})"

    def __setattr__(self, name: str, value: object) -> None:
        if hasattr(self, "_colour"):  # every slot is set: the term is complete, and frozen
            raise AttributeError(f"Term is read-only: cannot set {name}")
        object.__setattr__(self, name, value)


@dataclass(frozen=True)
class Vocabulary(Generic[C]):
    """An ordered list of terms with lookup by code."""

    name: str
    terms: tuple[Term[C], ...]
    _by_code: dict[C, Term[C]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_code = {t.code: t for t in self.terms}
        if len(by_code) != len(self.terms):
            raise ValueError(f"duplicate code in vocabulary {self.name}")
        object.__setattr__(self, "_by_code", by_code)

    def __iter__(self) -> Iterator[Term[C]]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def codes(self) -> tuple[C, ...]:
        return tuple(t.code for t in self.terms)

    def get(self, code: C) -> Term[C]:
        return self._by_code[code]

    def label(self, code: C) -> str:
        """The translated label of `code` (an unknown code is shown as itself)."""
        term = self._by_code.get(code)
        return term.label if term else str(code)


class Responses(Mapping[str, tuple[str, ...]]):
    """Groups of common responses to an adverse event, each read in the current language:
    iterating gives the translated group names, and each group's items are translated."""

    def __init__(self, groups: dict[str, tuple[str, ...]]) -> None:
        self._groups = groups

    def __iter__(self) -> Iterator[str]:
        return (tr(group) for group in self._groups)

    def __len__(self) -> int:
        return len(self._groups)

    def __getitem__(self, group: str) -> tuple[str, ...]:
        for source in self._groups:
            if group in (source, tr(source)):
                return tuple(tr(item) for item in self._groups[source])
        raise KeyError(group)


class Labels(Mapping[str, str]):
    """A key → label map whose labels (marked with N_) are translated each time they are
    read, for label tables built at import, before the language is chosen."""

    def __init__(self, labels: dict[str, str]) -> None:
        self._labels = labels

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)

    def __getitem__(self, key: str) -> str:
        return tr(self._labels[key])
