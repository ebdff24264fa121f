"""What an operation changed: what pages refresh from, instead of each caller guessing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


def _ids(values: Iterable[str]) -> frozenset[str]:
    return frozenset(values)


@dataclass(frozen=True)
class Changes:
    """Ids of the records an operation wrote, and the setting keys it changed.

    `team` is the team data (team keys, supporters, imported bundles): the Team view
    reloads. `everything` is for operations after which no page can trust what it shows
    (a restore, a retention run): every page reloads.
    """

    cases: frozenset[str] = field(default_factory=frozenset)
    encounters: frozenset[str] = field(default_factory=frozenset)
    follow_ups: frozenset[str] = field(default_factory=frozenset)
    settings: frozenset[str] = field(default_factory=frozenset)
    everything: bool = False
    team: bool = False

    @classmethod
    def of(
        cls,
        *,
        cases: Iterable[str] = (),
        encounters: Iterable[str] = (),
        follow_ups: Iterable[str] = (),
        settings: Iterable[str] = (),
        everything: bool = False,
        team: bool = False,
    ) -> Changes:
        return cls(
            _ids(cases), _ids(encounters), _ids(follow_ups), _ids(settings), everything, team
        )

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.cases | other.cases,
            self.encounters | other.encounters,
            self.follow_ups | other.follow_ups,
            self.settings | other.settings,
            self.everything or other.everything,
            self.team or other.team,
        )

    def __bool__(self) -> bool:
        return bool(
            self.everything
            or self.team
            or self.cases
            or self.encounters
            or self.follow_ups
            or self.settings
        )

    def touches_case(self, case_id: str) -> bool:
        return self.everything or case_id in self.cases

    @property
    def team_data(self) -> bool:
        """Whether the team data changed (the Team view reloads)."""
        return self.everything or self.team

    @property
    def journal_data(self) -> bool:
        """Whether cases, encounters or follow-ups changed (lists and counts reload)."""
        return self.everything or bool(self.cases or self.encounters or self.follow_ups)


NOTHING = Changes()
