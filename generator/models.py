"""The content model, declared once.

Every file of a content folder is validated against one of these pydantic models. The JSON
Schema shipped in ``workbook/schema/`` and the field reference of the site are generated from
them (``workbook schema``), never written by hand.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

LANGUAGES: tuple[str, ...] = ("fr", "en")

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=1, max_length=80),
    Field(description="A stable identifier: lower-case letters, digits and single hyphens."),
]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, so a typo never goes unnoticed."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Localised(Strict):
    """A human-readable text in every language of the workbook (French first)."""

    fr: NonEmpty = Field(description="The French text (the first language).")
    en: NonEmpty = Field(description="The English text.")

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``fr`` or ``en``)."""
        return str(getattr(self, lang))


class Format(StrEnum):
    solo = "solo"
    pair = "pair"
    group = "group"
    supervision = "supervision"


class Level(StrEnum):
    discovery = "discovery"
    practice = "practice"
    advanced = "advanced"


class Component(StrEnum):
    """The four parts of the working alliance an exercise can serve."""

    bond = "bond"
    goals = "goals"
    tasks = "tasks"
    rupture = "rupture"


class Moment(StrEnum):
    """Where an exercise fits in a session: opening round, main work or closing round."""

    check_in = "check-in"
    core = "core"
    closing = "closing"


class Space(StrEnum):
    lines = "lines"
    box = "box"


class Step(Strict):
    minutes: int = Field(gt=0, le=480, description="How long this step takes, in minutes.")
    text: Localised = Field(description="What to do in this step (Markdown subset).")


class Prompt(Strict):
    """A reflective question answered in writing, with the room to write it."""

    text: Localised = Field(description="One question about one concrete moment or choice.")
    space: Space = Field(
        default=Space.lines, description="Ruled lines or an open box for the answer."
    )
    lines: int = Field(
        default=5, ge=1, le=40, description="Height of the write-in space, in ruled lines."
    )


class Exercise(Strict):
    id: Slug = Field(description="Unique across all banks; used in URLs and set files.")
    title: Localised
    summary: Localised = Field(description="One or two sentences shown on cards and in search.")
    purpose: Localised = Field(
        description="What the practitioner gains, and for which part of the alliance."
    )
    minutes: int = Field(
        gt=0, le=480, description="Total duration; the steps' minutes add up to it."
    )
    format: Format
    level: Level
    components: list[Component] = Field(min_length=1, description="Alliance components served.")
    moment: Moment = Field(default=Moment.core, description="check-in, core or closing.")
    materials: list[Localised] = Field(default_factory=list, description="What to prepare.")
    steps: list[Step] = Field(min_length=1)
    prompts: list[Prompt] = Field(min_length=1)
    debrief: Localised = Field(description="How the exercise is discussed and closed.")
    facilitator_notes: Localised = Field(description="Facilitator edition only: how to run it.")
    safety: Localised = Field(
        description="What to do if it stirs up too much; right to pass; support."
    )
    adaptations: Localised = Field(description="Online, shorter or other variants.")
    sources: list[Slug] = Field(min_length=1, description="Ids of entries in sources.yml.")
    tags: list[Localised] = Field(default_factory=list, description="Free keywords for search.")

    @model_validator(mode="after")
    def _steps_add_up(self) -> Exercise:
        total = sum(step.minutes for step in self.steps)
        if total != self.minutes:
            raise ValueError(
                f"the steps add up to {total} minutes but 'minutes' says {self.minutes}; "
                "make them agree"
            )
        if len(set(self.components)) != len(self.components):
            raise ValueError("a component is listed twice in 'components'; list each once")
        return self


class Bank(Strict):
    id: Slug = Field(description="The bank's id; the file is banks/<id>.yml.")
    title: Localised
    intro: Localised = Field(description="What the theme is, why it matters, how to use the bank.")
    order: int = Field(default=100, description="Position among banks (smaller first).")
    exercises: list[Exercise] = Field(min_length=1)


class SetEntry(Strict):
    """One step of a set: an exercise (``id``) or a break (``break`` minutes)."""

    id: Slug | None = Field(default=None, description="The id of an exercise of any bank.")
    break_minutes: int | None = Field(
        default=None, alias="break", gt=0, le=240, description="A pause of this many minutes."
    )
    note: Localised | None = Field(default=None, description="A note for this step of the set.")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _exercise_or_break(self) -> SetEntry:
        if (self.id is None) == (self.break_minutes is None):
            raise ValueError(
                "give either 'id' (an exercise) or 'break' (minutes), not both or none"
            )
        return self


class ExerciseSet(Strict):
    id: Slug = Field(description="The set's id; the file is sets/<id>.yml.")
    title: Localised
    audience: Localised = Field(description="Who the set is for.")
    minutes: int = Field(gt=0, le=100_000, description="Time budget of the whole set.")
    description: Localised | None = None
    exercises: list[SetEntry] = Field(min_length=1, description="Exercises and breaks, in order.")


class Source(Strict):
    id: Slug
    authors: list[NonEmpty] = Field(min_length=1, description="'Family, G.' for each author.")
    year: int = Field(ge=1800, le=2100)
    title: NonEmpty
    container: NonEmpty = Field(description="Journal, book or publisher.")
    url: Annotated[str, StringConstraints(pattern=r"^https?://")] | None = None
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = None


class SourceList(Strict):
    sources: list[Source] = Field(min_length=1)


class Workbook(Strict):
    title: Localised
    subtitle: Localised
    authors: list[NonEmpty] = Field(min_length=1)
    licence: Localised
    languages: list[Literal["fr", "en"]] = Field(description="fr first, then en.")
    description: Localised | None = None

    @model_validator(mode="after")
    def _languages(self) -> Workbook:
        if list(self.languages) != list(LANGUAGES):
            raise ValueError("languages must be [fr, en], French first")
        return self


class ExerciseRef(BaseModel):
    """An exercise together with the bank that holds it."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    exercise: Exercise
    bank: Bank


class Content(BaseModel):
    """Everything a content folder holds, validated: the input of every output stage."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    root: str = Field(description="The content folder.")
    workbook: Workbook
    sources: dict[str, Source]
    banks: list[Bank]
    sets: list[ExerciseSet]
    files: list[str] = Field(description="Every file read, for cache keys and reloading.")

    @cached_property
    def exercises(self) -> dict[str, ExerciseRef]:
        """Every exercise by id, in bank order."""
        return {
            exercise.id: ExerciseRef(exercise=exercise, bank=bank)
            for bank in self.banks
            for exercise in bank.exercises
        }

    def bank(self, bank_id: str) -> Bank:
        return next(bank for bank in self.banks if bank.id == bank_id)
