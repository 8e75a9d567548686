"""What `workbook pick` reasons about: candidates, the request, targets, the resulting plan,
and which exercises a request allows (the filters)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.models import Component, Content, Format, Level, Moment

COMPATIBLE: dict[Format, frozenset[Format]] = {
    Format.solo: frozenset({Format.solo}),
    Format.pair: frozenset({Format.pair}),
    Format.group: frozenset({Format.group, Format.pair, Format.supervision}),
    Format.supervision: frozenset({Format.supervision, Format.pair}),
}
"""Exercise formats a session of each format can use. A supervision session (a supervisor and
a supervisee) uses supervision and pair exercises; a supervision *group* is --format group."""


@dataclass(frozen=True)
class Candidate:
    """What the picker needs to know about one exercise."""

    id: str
    bank: str
    minutes: int
    format: Format
    level: Level
    components: tuple[Component, ...]
    moment: Moment = Moment.core


@dataclass(frozen=True)
class Target:
    """A requested bank or component, which the plan should cover evenly."""

    kind: str  # "bank" or "component"
    value: str

    def covered_by(self, candidate: Candidate) -> bool:
        if self.kind == "bank":
            return candidate.bank == self.value
        return any(component.value == self.value for component in candidate.components)


@dataclass(frozen=True)
class Request:
    minutes: int
    format: Format | None = None
    banks: tuple[str, ...] = ()
    components: tuple[Component, ...] = ()
    levels: tuple[Level, ...] = ()
    exclude: frozenset[str] = frozenset()
    seed: int = 0

    @property
    def targets(self) -> tuple[Target, ...]:
        banks = [Target("bank", bank) for bank in _unique(self.banks)]
        components = [Target("component", c) for c in _unique(c.value for c in self.components)]
        return (*(banks if len(banks) > 1 else ()), *components)


@dataclass(frozen=True)
class Reason:
    """Why an exercise is in the plan: its role and the requested targets it covers."""

    role: str  # check-in, closing, balance (covers requested targets); else variety or fill
    covers: tuple[Target, ...] = ()


@dataclass(frozen=True)
class Pick:
    candidate: Candidate
    reason: Reason


@dataclass(frozen=True)
class Plan:
    budget: int
    picks: tuple[Pick, ...]
    uncovered: tuple[Target, ...] = field(default=())
    complete: bool = True
    """False when the search stopped at its bound: the best plan found, maybe not the best."""

    @property
    def total(self) -> int:
        return sum(pick.candidate.minutes for pick in self.picks)

    @property
    def ids(self) -> list[str]:
        return [pick.candidate.id for pick in self.picks]


class Impossible(ValueError):
    """No plan satisfies the request; the message names the constraint."""


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def catalogue(content: Content) -> list[Candidate]:
    """Every exercise of the content that a session can hold, as candidates (bank order).

    A practice kept up over days (``practice_days``: a log, a diary) is not done within a
    session, so the picker leaves it out."""
    return [
        Candidate(
            id=ref.exercise.id,
            bank=ref.bank.id,
            minutes=ref.exercise.minutes,
            format=ref.exercise.format,
            level=ref.exercise.level,
            components=tuple(ref.exercise.components),
            moment=ref.exercise.moment,
        )
        for ref in content.exercises.values()
        if ref.exercise.practice_days is None
    ]


# ---- filters --------------------------------------------------------------------------------


def _base(candidate: Candidate, request: Request, *, minutes: int | None = None) -> bool:
    budget = request.minutes if minutes is None else minutes
    return (
        candidate.id not in request.exclude
        and candidate.minutes <= budget
        and (request.format is None or candidate.format in COMPATIBLE[request.format])
        and (not request.banks or candidate.bank in request.banks)
    )


def is_core(candidate: Candidate, request: Request) -> bool:
    """May ``candidate`` be one of the plan's main exercises?"""
    return (
        candidate.moment == Moment.core
        and _base(candidate, request)
        and (not request.levels or candidate.level in request.levels)
        and (not request.components or any(c in request.components for c in candidate.components))
    )


def is_slot(candidate: Candidate, request: Request, moment: Moment) -> bool:
    """May ``candidate`` open (check-in) or close (closing) the plan? Level and component
    filters do not apply to these short rounds; banks, format and exclusions do."""
    return candidate.moment == moment and _base(candidate, request)
