"""The content model, declared once.

Every file of a content folder is validated against one of these pydantic models. The JSON
Schema shipped in ``workbook/schema/`` and the field reference of the site are generated from
them (``workbook schema``), never written by hand. Their building blocks (limits, field types,
text in every language) are in fields.py, the project's settings in project_settings.py; both
are importable from here.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, model_validator

from generator.fields import (
    DEFAULT_LANGUAGES,
    MAX_BANK_EXERCISES,
    MAX_ITEMS,
    MAX_REPEATS,
    MAX_SET_ENTRIES,
    MAX_TEXT,
    MAX_TITLE,
    RIGHT_TO_LEFT,
    BibText,
    Doi,
    LanguageCode,
    Localised,
    LocalisedTitle,
    LongText,
    NonEmpty,
    ShortText,
    SiteAddress,
    Slug,
    Strict,
    WebAddress,
    declared_languages,
    language_problems,
)
from generator.project_settings import (
    Colour,
    PrintFont,
    PrintSettings,
    ProjectFile,
    SiteSettings,
)

__all__ = [
    "DEFAULT_LANGUAGES",
    "MAX_BANK_EXERCISES",
    "MAX_ITEMS",
    "MAX_REPEATS",
    "MAX_SET_ENTRIES",
    "MAX_TEXT",
    "MAX_TITLE",
    "RIGHT_TO_LEFT",
    "SHORT_MINUTES",
    "SHORT_PROMPTS",
    "Bank",
    "BibText",
    "Colour",
    "Component",
    "Content",
    "Doi",
    "Exercise",
    "ExerciseRef",
    "ExerciseSet",
    "Format",
    "LanguageCode",
    "Level",
    "Localised",
    "LocalisedTitle",
    "LongText",
    "Moment",
    "NonEmpty",
    "PrintFont",
    "PrintSettings",
    "ProjectFile",
    "Prompt",
    "SetEntry",
    "ShortText",
    "SiteAddress",
    "SiteSettings",
    "Slug",
    "Source",
    "SourceList",
    "Space",
    "Step",
    "Strict",
    "WebAddress",
    "Workbook",
    "declared_languages",
    "language_problems",
]


class Format(StrEnum):
    """How many people an exercise is done by: alone, in pairs, in a group or in supervision."""

    solo = "solo"
    pair = "pair"
    group = "group"
    supervision = "supervision"


class Level(StrEnum):
    """How much experience an exercise assumes, from a first encounter to advanced work."""

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
    """The write-in space under a prompt: ruled lines or an open box."""

    lines = "lines"
    box = "box"


class Step(Strict):
    """One timed instruction of an exercise, in the order it is carried out."""

    minutes: int = Field(
        gt=0, le=480, description="How long this step takes, in minutes (1 to 480)."
    )
    text: Localised = Field(description="What to do during this step (Markdown subset).")


class Prompt(Strict):
    """A reflective question answered in writing, with the room to write it."""

    text: Localised = Field(
        description="One question about one concrete moment or choice; a single paragraph."
    )
    space: Space = Field(
        default=Space.lines,
        description="The answer space: `lines` (ruled lines) or `box` (an open box).",
    )
    lines: int = Field(
        default=5,
        ge=1,
        le=40,
        description="Height of the answer space, in ruled lines (1 to 40); also sizes a box.",
    )


SHORT_MINUTES, SHORT_PROMPTS = 15, 3
"""What makes an exercise short (see ``Exercise.short``)."""


class Exercise(Strict):
    """One reflective-practice exercise: its steps, its written prompts and how to run it."""

    id: Slug = Field(
        description="Unique across all banks; a slug (lower-case letters, digits, single "
        "hyphens) used in URLs and set files."
    )
    title: LocalisedTitle = Field(description="The exercise's name, short and concrete.")
    summary: Localised = Field(description="One or two sentences shown on cards and in search.")
    purpose: Localised = Field(
        description="What the practitioner gains, and for which part of the alliance."
    )
    minutes: int = Field(
        gt=0,
        le=480,
        description="Total duration in minutes (1 to 480); the steps' `minutes` add up to it.",
    )
    practice_days: int | None = Field(
        default=None,
        ge=1,
        le=366,
        description="For a practice kept up between sessions (a log, a diary): the days it runs "
        "over (1 to 366). `minutes` then counts only the time spent in the session.",
    )
    format: Format = Field(description="Who does it: `solo`, `pair`, `group` or `supervision`.")
    level: Level = Field(description="Experience assumed: `discovery`, `practice` or `advanced`.")
    components: list[Component] = Field(
        min_length=1,
        max_length=len(Component),
        description="Alliance components served, each at most once: `bond`, `goals`, `tasks`, "
        "`rupture`.",
    )
    moment: Moment = Field(
        default=Moment.core,
        description="Place in a session: `check-in` (opening), `core` or `closing`.",
    )
    materials: list[Localised] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="What to prepare, one item per entry; may be empty (at most 30).",
    )
    steps: list[Step] = Field(
        min_length=1,
        max_length=MAX_ITEMS,
        description="The steps in order (1 to 30); their minutes add up to `minutes`.",
    )
    prompts: list[Prompt] = Field(
        min_length=1,
        max_length=MAX_ITEMS,
        description="The written questions, in order (1 to 30).",
    )
    debrief: Localised = Field(description="How the exercise is discussed and closed.")
    facilitator_notes: Localised = Field(
        description="How to run it; facilitator PDFs only, folded away on the site."
    )
    safety: Localised = Field(
        description="What to do if it stirs up too much; right to pass; support."
    )
    adaptations: Localised = Field(description="Online, shorter or other variants.")
    sources: list[Slug] = Field(
        min_length=1,
        max_length=MAX_ITEMS,
        description="Ids of entries in `sources.yml` (1 to 30).",
    )
    tags: list[LocalisedTitle] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="Free keywords, shown on the page and used by search (at most 30).",
    )

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

    @property
    def short(self) -> bool:
        """A short exercise: a quarter of an hour at most, three prompts at most. It is set a
        little tighter in print, and a build warns when its handout takes more than a page."""
        return self.minutes <= SHORT_MINUTES and len(self.prompts) <= SHORT_PROMPTS


class Bank(Strict):
    """A themed collection of exercises: one file `banks/<id>.yml`."""

    id: Slug = Field(description="The bank's id, a slug; the file is `banks/<id>.yml`.")
    title: LocalisedTitle = Field(description="The theme's name, shown in the navigation.")
    intro: Localised = Field(description="What the theme is, why it matters, how to use the bank.")
    order: int = Field(
        default=100,
        ge=-10_000,
        le=10_000,
        description="Position among banks (smaller first; ties sorted by id), -10,000 to 10,000.",
    )
    exercises: list[Exercise] = Field(
        min_length=1,
        max_length=MAX_BANK_EXERCISES,
        description="The exercises of the bank, in order (1 to 1,000).",
    )


class SetEntry(Strict):
    """One step of a set: an exercise (``id``) or a break (``break`` minutes)."""

    id: Slug | None = Field(
        default=None, description="The id of an exercise of any bank; not with `break`."
    )
    break_minutes: int | None = Field(
        default=None,
        alias="break",
        gt=0,
        le=240,
        description="A pause of this many minutes (1 to 240); not with `id`.",
    )
    note: Localised | None = Field(
        default=None, description="A note for this step of the set, shown in its plan."
    )

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _exercise_or_break(self) -> SetEntry:
        if (self.id is None) == (self.break_minutes is None):
            raise ValueError(
                "give either 'id' (an exercise) or 'break' (minutes), not both or none"
            )
        return self


class ExerciseSet(Strict):
    """A ready-made sequence of exercises and breaks: one file `sets/<id>.yml`."""

    id: Slug = Field(description="The set's id, a slug; the file is `sets/<id>.yml`.")
    title: LocalisedTitle = Field(description="The set's name, short and concrete.")
    audience: Localised = Field(description="Who the set is for (one paragraph).")
    minutes: int = Field(
        gt=0,
        le=100_000,
        description="Time budget of the whole set, in minutes; its exercises and breaks must fit.",
    )
    description: Localised | None = Field(
        default=None, description="What the set covers and how it unfolds (Markdown subset)."
    )
    exercises: list[SetEntry] = Field(
        min_length=1,
        max_length=MAX_SET_ENTRIES,
        description="Exercises and breaks, in order (1 to 200); one exercise at most 5 times.",
    )


class Source(Strict):
    """One work of the bibliography, cited by its id from the exercises."""

    id: Slug = Field(
        description="The id exercises cite, a slug, unique in the file (e.g. `bordin-1979`)."
    )
    authors: list[ShortText] = Field(
        min_length=1,
        max_length=100,
        description="'Family, G.' for each author, in order (1 to 100).",
    )
    year: int = Field(ge=1800, le=2100, description="Year of publication (1800 to 2100).")
    title: BibText = Field(description="Title of the work as published (not translated).")
    container: BibText = Field(
        description="Where it appeared: journal with volume, issue and pages; book; publisher."
    )
    url: WebAddress | None = Field(
        default=None, description="A web address starting with http:// or https://."
    )
    doi: Doi | None = Field(
        default=None,
        description="The DOI as `10.xxxx/...`, without `https://doi.org/`; shown instead of `url`.",
    )
    lang: LanguageCode | None = Field(
        default=None,
        description="The language the work is written in (`en`, `fr`…): where it differs from "
        "a page's, its title is marked with it, to be hyphenated and read aloud in it. Without "
        "it, the language is guessed from the title's words.",
    )


class SourceList(Strict):
    """The bibliography: the file `sources.yml`."""

    sources: list[Source] = Field(
        min_length=1, max_length=10_000, description="Every cited work (1 to 10,000)."
    )


class Workbook(Strict):
    """The workbook as a whole: the file `workbook.yml`."""

    title: LocalisedTitle = Field(
        description="The workbook's title, on the site and the PDF covers."
    )
    subtitle: Localised = Field(
        description="One line under the title, on the home page and the PDF covers."
    )
    authors: list[ShortText] = Field(
        min_length=1, max_length=100, description="Author names (1 to 100)."
    )
    licence: Localised = Field(description="The licence of the texts and code, shown on About.")
    languages: list[LanguageCode] = Field(
        min_length=1,
        max_length=20,
        description="The workbook's languages, each once: BCP 47 primary subtags such as `fr`, "
        "`en`, `de`, `ar`. The first is the source language, at the site's root; every text is "
        "given in each.",
    )
    description: Localised | None = Field(
        default=None,
        description="A short presentation for the home page and search engines (Markdown subset).",
    )
    site: SiteSettings = Field(
        default_factory=SiteSettings, description="The website's address, logo and colours."
    )
    print_settings: PrintSettings = Field(
        default_factory=PrintSettings,
        alias="print",
        description="The PDFs' paper, font, cover logo and accent colour.",
    )

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _languages(self) -> Workbook:
        repeated = sorted({code for code in self.languages if self.languages.count(code) > 1})
        if repeated:
            raise ValueError(f"'languages' lists {', '.join(repeated)} twice: list each once")
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

    @property
    def languages(self) -> list[str]:
        """The workbook's languages, the source language first."""
        return list(self.workbook.languages)

    def bank(self, bank_id: str) -> Bank:
        return next(bank for bank in self.banks if bank.id == bank_id)
