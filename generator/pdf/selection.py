"""What one workbook holds: Content + a bank, a set or everything → a plain document plan.

The plan is the model the print template renders: sections (a bank, or a set) of numbered
exercises, a session plan for sets, and the works the included exercises cite. Nothing here
knows about HTML or PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from generator.errors import ContentError, ContentErrors, display_path
from generator.loader import LocatedData, load_yaml
from generator.models import Bank, Content, Exercise, ExerciseSet, Localised, Source
from generator.pdf.catalog import Scope, volume_id, volumes
from generator.templating import ui
from generator.validate import cross_checks, validate_model


@dataclass(frozen=True)
class Numbered:
    """An exercise with its number in the document and the bank it comes from."""

    number: int
    exercise: Exercise
    bank: Bank

    @property
    def anchor(self) -> str:
        return f"exercise-{self.exercise.id}"


@dataclass(frozen=True)
class Section:
    """A part of the document with a heading page: a bank or a set."""

    id: str
    title: Localised
    intro: Localised | None
    exercises: list[Numbered]

    @property
    def anchor(self) -> str:
        return f"section-{self.id}"


@dataclass(frozen=True)
class PlanRow:
    """One line of a set's session plan: an exercise or a break, with its start time."""

    start: int
    minutes: int
    note: Localised | None
    item: Numbered | None  # None for a break


@dataclass(frozen=True)
class DocumentPlan:
    """Everything one workbook shows, in order."""

    scope: Scope
    id: str
    title: Localised
    subtitle: Localised
    sections: list[Section]
    sources: list[Source]
    exercise_set: ExerciseSet | None = None
    plan: tuple[PlanRow, ...] = ()

    @property
    def exercises(self) -> list[Numbered]:
        return [item for section in self.sections for item in section.exercises]

    @property
    def planned_minutes(self) -> int:
        return sum(row.minutes for row in self.plan)


def cited(content: Content, exercises: list[Exercise]) -> list[Source]:
    """The sources these exercises cite, in bibliography order (first author, year)."""
    ids = {source for exercise in exercises for source in exercise.sources}
    cited = [content.sources[source] for source in ids if source in content.sources]
    return sorted(cited, key=lambda source: (source.authors[0].casefold(), source.year, source.id))


def _numbered(content: Content, exercises: list[Exercise], start: int = 1) -> list[Numbered]:
    refs = content.exercises
    return [
        Numbered(number, exercise, refs[exercise.id].bank)
        for number, exercise in enumerate(exercises, start=start)
    ]


def bank_plan(content: Content, bank_id: str) -> DocumentPlan:
    """The workbook of one bank."""
    bank = content.bank(bank_id)
    section = Section(bank.id, bank.title, bank.intro, _numbered(content, bank.exercises))
    return DocumentPlan(
        scope="bank",
        id=bank.id,
        title=bank.title,
        subtitle=content.workbook.title,
        sections=[section],
        sources=cited(content, bank.exercises),
    )


def all_plan(content: Content, volume: int | None = None) -> DocumentPlan:
    """The workbook of every bank, or of the banks of one volume (numbered from 1).

    A volume keeps the complete workbook's exercise numbers, so the volumes read as one.
    """
    groups = volumes(content)
    chosen = content.banks if volume is None else groups[volume - 1]
    number = 1 + sum(len(bank.exercises) for group in groups[: (volume or 1) - 1] for bank in group)
    sections = []
    for bank in chosen:
        items = _numbered(content, bank.exercises, start=number)
        number += len(items)
        sections.append(Section(bank.id, bank.title, bank.intro, items))
    every = [exercise for bank in chosen for exercise in bank.exercises]
    subtitle = content.workbook.subtitle
    if volume is not None:  # which volume, and which banks it holds
        key = "pdf_volume_one" if len(chosen) == 1 else "pdf_volume_range"
        subtitle = Localised.model_validate(
            {
                lang: ui(key, lang).format(
                    number=volume,
                    total=len(groups),
                    first=chosen[0].title.get(lang),
                    last=chosen[-1].title.get(lang),
                )
                for lang in content.languages
            }
        )
    return DocumentPlan(
        scope="all",
        id="all" if volume is None else volume_id(volume),
        title=content.workbook.title,
        subtitle=subtitle,
        sections=sections,
        sources=cited(content, every),
    )


def set_plan(content: Content, exercise_set: ExerciseSet) -> DocumentPlan:
    """The workbook of a set: its exercises in order, with a session plan."""
    exercises = [
        content.exercises[entry.id].exercise
        for entry in exercise_set.exercises
        if entry.id is not None
    ]
    items = iter(_numbered(content, exercises))
    rows, clock = [], 0
    for entry in exercise_set.exercises:
        item = None if entry.id is None else next(items)
        minutes = entry.break_minutes or (item.exercise.minutes if item else 0)
        rows.append(PlanRow(clock, minutes, entry.note, item))
        clock += minutes
    section = Section(
        exercise_set.id,
        exercise_set.title,
        exercise_set.description,
        _numbered(content, exercises),
    )
    return DocumentPlan(
        scope="set",
        id=exercise_set.id,
        title=exercise_set.title,
        subtitle=exercise_set.audience,
        sections=[section],
        sources=cited(content, exercises),
        exercise_set=exercise_set,
        plan=tuple(rows),
    )


def exercise_plan(content: Content, exercise_id: str) -> DocumentPlan:
    """A one-exercise handout: the exercise alone, as every workbook prints it."""
    ref = content.exercises[exercise_id]
    item = Numbered(1, ref.exercise, ref.bank)
    return DocumentPlan(
        scope="exercise",
        id=exercise_id,
        title=ref.exercise.title,
        subtitle=ref.bank.title,
        sections=[Section(ref.bank.id, ref.bank.title, None, [item])],
        sources=cited(content, [ref.exercise]),
    )


def document_plan(content: Content, scope: Scope, item_id: str) -> DocumentPlan:
    """The plan of a catalog target (``scope``, ``item_id``)."""
    if scope == "exercise":
        return exercise_plan(content, item_id)
    if scope == "bank":
        return bank_plan(content, item_id)
    if scope == "set":
        exercise_set = next(s for s in content.sets if s.id == item_id)
        return set_plan(content, exercise_set)
    if item_id.startswith("volume-"):
        return all_plan(content, int(item_id.removeprefix("volume-")))
    return all_plan(content)


def load_set_file(content: Content, path: Path) -> ExerciseSet:
    """Read a set file (anywhere, e.g. downloaded from the composer) and check it against content.

    The same model and cross-checks as ``workbook check``, except that the file's name need
    not match the set's id. Raise ContentErrors located as ``path:line:col``.
    """
    if not path.is_file():
        raise ContentErrors(
            [ContentError(display_path(path), 1, 1, "set file not found: check the path")]
        )
    located = load_yaml(path, path.parent)
    exercise_set, errors = validate_model(located, ExerciseSet)
    if errors:
        raise ContentErrors(errors)
    assert isinstance(exercise_set, ExerciseSet)
    # The cross-checks compare a set file's name with its id: present it under its id, then
    # put the real name back in the messages.
    renamed = LocatedData(
        path=path.parent / f"{exercise_set.id}.yml",
        data=located.data,
        values=located.values,
        keys=located.keys,
    )
    banks = [(bank, LocatedData(path=Path(f"{bank.id}.yml"), data=None)) for bank in content.banks]
    problems = [
        replace(problem, path=located.shown)
        for problem in cross_checks(banks, [(exercise_set, renamed)], None)
    ]
    if problems:
        raise ContentErrors(problems)
    return exercise_set
