"""Located YAML data → validated models, and the rules that span several files."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.errors import ContentError, ContentErrors, display_path
from generator.loader import KeyPath, LocatedData, load_yaml
from generator.models import (
    LANGUAGES,
    Bank,
    Content,
    ExerciseSet,
    SourceList,
    Workbook,
)
from generator.settings import settings_checks
from generator.templating import activate

LANGUAGE_NAMES = {"fr": "French", "en": "English"}
_TYPE_NAMES = {
    "str": "a text",
    "int": "a whole number",
    "list": "a list",
    "dict": "a mapping of `key: value` lines",
    "NoneType": "nothing",
    "bool": "true or false",
    "float": "a number",
}


def _describe(value: Any) -> str:
    return _TYPE_NAMES.get(type(value).__name__, type(value).__name__)


def _friendly(error: Any, model: type[BaseModel]) -> tuple[str, bool]:
    """A message saying what is wrong and what to do; True when it is about a key."""
    kind = error["type"]
    loc = error["loc"]
    name = str(loc[-1]) if loc else "value"
    value = error.get("input")
    if kind == "missing":
        if name in LANGUAGES:
            return (
                f"missing the {LANGUAGE_NAMES[name]} text '{name}': every text needs "
                + " and ".join(LANGUAGES),
                False,
            )
        return f"missing field '{name}': add it", False
    if kind == "extra_forbidden":
        return f"unknown field '{name}': remove it or check its spelling", True
    if kind in ("enum", "literal_error"):
        expected = error.get("ctx", {}).get("expected", "")
        return f"'{value}' is not allowed for '{name}': use {expected}", False
    if kind == "string_pattern_mismatch":
        if "http" in error.get("ctx", {}).get("pattern", ""):
            return f"'{value}' is not a web address: start it with https://", False
        if "10\\." in error.get("ctx", {}).get("pattern", ""):
            return f"'{value}' is not a DOI: write it as 10.xxxx/yyyy", False
        return (
            f"'{value}' is not a valid id: use lower-case letters, digits and single hyphens",
            False,
        )
    if kind == "string_too_short":
        return f"'{name}' is empty: write the text", False
    if kind in ("greater_than", "greater_than_equal"):
        limit = error["ctx"].get("gt", error["ctx"].get("ge"))
        word = "greater than" if kind == "greater_than" else "at least"
        return f"'{name}' must be {word} {limit} (got {value}): give a positive number", False
    if kind in ("less_than", "less_than_equal"):
        limit = error["ctx"].get("lt", error["ctx"].get("le"))
        return f"'{name}' must be at most {limit} (got {value}): use a smaller number", False
    if kind == "too_short":
        return f"'{name}' must not be empty: add at least one item", False
    if kind.endswith("_type") or kind in ("int_parsing", "bool_parsing", "model_attributes_type"):
        expected = {
            "string_type": "a text",
            "int_type": "a whole number",
            "int_parsing": "a whole number",
            "list_type": "a list",
            "model_type": "a mapping of `key: value` lines",
            "dict_type": "a mapping of `key: value` lines",
            "bool_type": "true or false",
            "bool_parsing": "true or false",
        }.get(kind, kind.removesuffix("_type"))
        hint = " such as {fr: ..., en: ...}" if expected.startswith("a mapping") else ""
        return f"'{name}' should be {expected}{hint}, not {_describe(value)}", False
    if kind == "int_from_float":
        return f"'{name}' must be a whole number (got {value})", False
    if kind == "value_error":
        return str(error["ctx"]["error"]), False
    return f"'{name}': {error['msg']}", False


def validate_model(located: LocatedData, model: type[BaseModel]) -> tuple[Any, list[ContentError]]:
    """Validate one file's data against ``model``; locate every problem."""
    try:
        return model.model_validate(located.data), []
    except ValidationError as invalid:
        errors = []
        for error in invalid.errors():
            loc: KeyPath = tuple(part for part in error["loc"] if isinstance(part, (str, int)))
            # pydantic names union branches and aliases in loc; keep only real data keys
            loc = tuple(part for part in loc if part not in ("str", "int", "none"))
            message, about_key = _friendly(error, model)
            errors.append(located.error(loc, message, key=about_key))
        return None, errors


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.suffix in (".yml", ".yaml"))


def _load(
    path: Path, root: Path, model: type[BaseModel], errors: list[ContentError]
) -> tuple[Any, LocatedData | None]:
    try:
        located = load_yaml(path, root)
    except ContentErrors as problems:
        errors.extend(problems.errors)
        return None, None
    value, problems_found = validate_model(located, model)
    errors.extend(problems_found)
    return value, located


def _id_matches_file_name(kind: str, item_id: str, located: LocatedData) -> Iterable[ContentError]:
    if located.path.stem != item_id:
        yield located.error(
            ("id",),
            f"the {kind} id '{item_id}' differs from its file name: "
            f"rename the file {item_id}.yml or the id to '{located.path.stem}'",
        )


def cross_checks(
    banks: list[tuple[Bank, LocatedData]],
    sets: list[tuple[ExerciseSet, LocatedData]],
    source_ids: set[str] | None,
) -> Iterable[ContentError]:
    first_seen: dict[str, tuple[str, int, int]] = {}
    for bank, located in banks:
        yield from _id_matches_file_name("bank", bank.id, located)
        for index, exercise in enumerate(bank.exercises):
            here = located.locate(("exercises", index, "id"))
            if exercise.id in first_seen:
                other_path, line, col = first_seen[exercise.id]
                yield ContentError(
                    located.shown,
                    *here,
                    f"exercise id '{exercise.id}' is already used at {other_path}:{line}:{col}: "
                    "give one of them another id",
                )
                yield ContentError(
                    other_path,
                    line,
                    col,
                    f"exercise id '{exercise.id}' is used again at "
                    f"{located.shown}:{here[0]}:{here[1]}: give one of them another id",
                )
            else:
                first_seen[exercise.id] = (located.shown, *here)
            if source_ids is None:
                continue
            for position, source in enumerate(exercise.sources):
                if source not in source_ids:
                    yield located.error(
                        ("exercises", index, "sources", position),
                        f"unknown source '{source}': add it to sources.yml or fix the id",
                    )
    for exercise_set, located in sets:
        yield from _id_matches_file_name("set", exercise_set.id, located)
        total = 0
        for index, entry in enumerate(exercise_set.exercises):
            if entry.break_minutes is not None:
                total += entry.break_minutes
                continue
            if entry.id == exercise_set.id and entry.id not in first_seen:
                yield located.error(
                    ("exercises", index, "id"),
                    f"the set '{exercise_set.id}' lists itself: a set lists exercise ids, not sets",
                )
            elif entry.id not in first_seen:
                yield located.error(
                    ("exercises", index, "id"),
                    f"unknown exercise '{entry.id}': check the id against the banks "
                    "(workbook check lists them with --verbose)",
                )
        exercise_minutes = {
            exercise.id: exercise.minutes for bank, _ in banks for exercise in bank.exercises
        }
        total += sum(exercise_minutes.get(entry.id or "", 0) for entry in exercise_set.exercises)
        if total > exercise_set.minutes:
            yield located.error(
                ("minutes",),
                f"the exercises and breaks take {total} minutes, more than the set's "
                f"{exercise_set.minutes}: raise 'minutes' or remove an exercise",
            )


def load_content(root: Path) -> Content:
    """Load and validate a whole content folder; raise ContentErrors listing every problem."""
    if not root.is_dir():
        raise ContentErrors(
            [
                ContentError(
                    display_path(root),
                    1,
                    1,
                    "content folder not found: pass --content DIR or create it",
                )
            ]
        )
    errors: list[ContentError] = []
    files: list[Path] = []

    def required(name: str) -> Path | None:
        path = root / name
        if not path.exists():
            errors.append(ContentError(display_path(path), 1, 1, f"{name} is missing: create it"))
            return None
        files.append(path)
        return path

    workbook = sources_list = sources_located = None
    if (path := required("workbook.yml")) is not None:
        workbook, workbook_located = _load(path, root, Workbook, errors)
        if workbook is not None and workbook_located is not None:
            errors.extend(settings_checks(workbook, workbook_located, root))
    if (path := required("sources.yml")) is not None:
        sources_list, sources_located = _load(path, root, SourceList, errors)
    sources = {}
    if sources_list is not None and sources_located is not None:
        first_line: dict[str, int] = {}
        for index, source in enumerate(sources_list.sources):
            here = ("sources", index, "id")
            if source.id in first_line:
                errors.append(
                    sources_located.error(
                        here,
                        f"source id '{source.id}' is already used at line "
                        f"{first_line[source.id]}: give one of them another id",
                    )
                )
            else:
                first_line[source.id] = sources_located.locate(here)[0]
            sources[source.id] = source

    bank_files = _yaml_files(root / "banks")
    if not bank_files:
        errors.append(
            ContentError(
                display_path(root / "banks"), 1, 1, "no bank found: add at least one banks/<id>.yml"
            )
        )
    banks: list[tuple[Bank, LocatedData]] = []
    for path in bank_files:
        files.append(path)
        bank, located = _load(path, root, Bank, errors)
        if bank is not None and located is not None:
            banks.append((bank, located))
    sets: list[tuple[ExerciseSet, LocatedData]] = []
    for path in _yaml_files(root / "sets"):
        files.append(path)
        exercise_set, located = _load(path, root, ExerciseSet, errors)
        if exercise_set is not None and located is not None:
            sets.append((exercise_set, located))

    errors.extend(cross_checks(banks, sets, set(sources) if sources_list is not None else None))
    if errors or workbook is None:
        raise ContentErrors(errors)
    activate(root.resolve())
    return Content(
        root=str(root),
        workbook=workbook,
        sources=sources,
        banks=sorted((bank for bank, _ in banks), key=lambda bank: (bank.order, bank.id)),
        sets=[exercise_set for exercise_set, _ in sets],
        files=[str(path) for path in files],
    )
