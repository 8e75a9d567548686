"""The building blocks of the content model (generator/models.py): its limits, the types of
its fields, and a text in every language of the workbook (``Localised``), validated against
the languages ``workbook.yml`` declares."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

DEFAULT_LANGUAGES: tuple[str, ...] = ("fr", "en")
"""The languages of a text validated without a workbook (the shipped project's)."""
RIGHT_TO_LEFT = frozenset(
    {"ar", "arc", "dv", "fa", "ha", "he", "khw", "ks", "ku", "ps", "sd", "ur", "yi"}
)
"""Primary language subtags written right to left."""
LanguageCode = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z]{2,3}$"),
    Field(description="A BCP 47 primary language subtag: `fr`, `en`, `de`, `ar`…"),
]

# Limits: content is written by many hands, and every item costs pages, time and memory in the
# build. Past them, `workbook check` says where and by how much (README, "Limits and safety").
MAX_TITLE = 200
"""Characters in a title, a tag or a name (the composer clamps its title to the same)."""
MAX_TEXT = 5_000
"""Characters in any other text, in each language (a long facilitator note is about 2,800)."""
MAX_ITEMS = 30
"""Steps, prompts, materials, tags, sources of one exercise."""
MAX_SET_ENTRIES = 200
"""Exercises and breaks in one set (the composer holds at most as many)."""
MAX_REPEATS = 5
"""Times one exercise may appear in one set."""
MAX_BANK_EXERCISES = 1_000
"""Exercises in one bank (a bank of 500 exercises is about 2 MiB of YAML)."""

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=1, max_length=80),
    Field(description="A stable identifier: lower-case letters, digits and single hyphens."),
]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE)
]
LongText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)
]
BibText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
WebAddress = Annotated[str, StringConstraints(pattern=r"^https?://", max_length=2_000)]
SiteAddress = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$", max_length=2_000)]
Doi = Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$", max_length=MAX_TITLE)]


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, so a typo never goes unnoticed."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Localised(BaseModel):
    """A human-readable text in every language of the workbook, by language code.

    The languages are those of ``workbook.yml`` (the first is the source language), given to
    validation as ``context={"languages": [...]}``; a missing language, or one the workbook
    does not declare, is an error located at the text. Each text is at most 5,000 characters.
    """

    model_config = ConfigDict(extra="allow", frozen=True)
    MAX: ClassVar[int] = MAX_TEXT

    @model_validator(mode="wrap")
    @classmethod
    def _every_language(
        cls, data: Any, handler: ModelWrapValidatorHandler[Localised], info: ValidationInfo
    ) -> Localised:
        if isinstance(data, dict):
            problems = language_problems(data, declared_languages(info), cls.MAX)
            if problems:
                raise ValidationError.from_exception_data(cls.__name__, problems)
        return handler(data)

    def get(self, lang: str) -> str:
        """The text in ``lang``."""
        extra = self.__pydantic_extra__ or {}
        return str(extra[lang])

    def languages(self) -> list[str]:
        return list(self.__pydantic_extra__ or {})


class LocalisedTitle(Localised):
    """A title or a keyword in every language of the workbook: one short line each (at most
    200 characters)."""

    MAX: ClassVar[int] = MAX_TITLE


def declared_languages(info: ValidationInfo) -> tuple[str, ...]:
    """The workbook's languages, from the validation context (default: French, English)."""
    context = info.context if isinstance(info.context, dict) else {}
    languages = context.get("languages")
    return tuple(languages) if languages else DEFAULT_LANGUAGES


def language_problems(
    data: dict[Any, Any], languages: tuple[str, ...], limit: int
) -> list[InitErrorDetails]:
    """Every problem of one localised text: missing, undeclared, empty or too long."""
    problems: list[InitErrorDetails] = [
        InitErrorDetails(type="missing", loc=(lang,), input=data)
        for lang in languages
        if lang not in data
    ]
    for key, value in data.items():
        if key not in languages:
            problems.append(
                InitErrorDetails(
                    type=PydanticCustomError(
                        "undeclared_language",
                        "'{lang}' is not a language of this workbook ({declared}): remove it, "
                        "or add it to `languages` in workbook.yml",
                        {"lang": str(key), "declared": ", ".join(languages)},
                    ),
                    loc=(str(key),),
                    input=value,
                )
            )
        elif not isinstance(value, str):
            problems.append(InitErrorDetails(type="string_type", loc=(key,), input=value))
        elif not value.strip():
            problems.append(
                InitErrorDetails(
                    type="string_too_short", loc=(key,), input=value, ctx={"min_length": 1}
                )
            )
        elif len(value) > limit:
            problems.append(
                InitErrorDetails(
                    type="string_too_long", loc=(key,), input=value, ctx={"max_length": limit}
                )
            )
    return problems
