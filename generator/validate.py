"""Located YAML data → validated models, and the rules that span several files."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.errors import ContentError, ContentErrors, display_path, friendly
from generator.loader import KeyPath, LocatedData, keeping_parsed_files, load_yaml
from generator.models import (
    DEFAULT_LANGUAGES,
    MAX_REPEATS,
    Bank,
    Content,
    ExerciseSet,
    SourceList,
    Workbook,
)
from generator.settings import settings_checks, strings_checks
from generator.templating import activate

RESERVED_IDS = frozenset({"index"})
"""Ids whose page would take the place of a page the site generates: ``sets/index.md`` is the
sets overview, and ``banks/index.md`` or ``exercises/index.md`` would become the section page of
``banks/`` or ``exercises/`` (see generator/site/pages.py and urls.py)."""


def validate_model(
    located: LocatedData, model: type[BaseModel], languages: tuple[str, ...] = DEFAULT_LANGUAGES
) -> tuple[Any, list[ContentError]]:
    """Validate one file's data against ``model`` (texts in ``languages``); locate every
    problem."""
    try:
        return model.model_validate(located.data, context={"languages": languages}), []
    except ValidationError as invalid:
        errors = []
        for error in invalid.errors():
            loc: KeyPath = tuple(part for part in error["loc"] if isinstance(part, (str, int)))
            # pydantic names union branches and aliases in loc; keep only real data keys
            loc = tuple(part for part in loc if part not in ("str", "int", "none"))
            message, about_key = friendly(error, languages)
            errors.append(located.error(loc, message, key=about_key))
        return None, errors


def _declared(data: Any) -> tuple[str, ...]:
    """The languages workbook.yml declares, as written (the default when unreadable)."""
    languages = data.get("languages") if isinstance(data, dict) else None
    if (
        isinstance(languages, list)
        and languages
        and all(isinstance(code, str) for code in languages)
    ):
        return tuple(dict.fromkeys(languages))
    return DEFAULT_LANGUAGES


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.suffix in (".yml", ".yaml"))


_validated: dict[str, tuple[LocatedData, type[BaseModel], tuple[str, ...], Any, list[Any]]] = {}
"""The model of each file while the loader keeps parsed files (see ``keep_parsed_files``): an
unchanged file gives back the very same model, which later stages can recognise."""


def _load(
    path: Path,
    root: Path,
    model: type[BaseModel],
    errors: list[ContentError],
    languages: tuple[str, ...] = DEFAULT_LANGUAGES,
) -> tuple[Any, LocatedData | None]:
    try:
        located = load_yaml(path, root)
    except ContentErrors as problems:
        errors.extend(problems.errors)
        return None, None
    if model is Workbook:
        languages = _declared(located.data)
    kept = _validated.get(str(path)) if keeping_parsed_files() else None
    if kept is not None and kept[0] is located and kept[1:3] == (model, languages):
        value, problems_found = kept[3], kept[4]
    else:
        value, problems_found = validate_model(located, model, languages)
        if keeping_parsed_files():
            _validated[str(path)] = (located, model, languages, value, problems_found)
    errors.extend(problems_found)
    return value, located


def _id_matches_file_name(kind: str, item_id: str, located: LocatedData) -> Iterable[ContentError]:
    if located.path.stem != item_id:
        yield located.error(
            ("id",),
            f"the {kind} id '{item_id}' differs from its file name: "
            f"rename the file {item_id}.yml or the id to '{located.path.stem}'",
        )


def _file_ids(
    kind: str,
    folder: str,
    items: list[tuple[Bank, LocatedData]] | list[tuple[ExerciseSet, LocatedData]],
) -> Iterable[ContentError]:
    """Ids of bank or set files: not reserved, and not held by two files (`x.yml`, `x.yaml`)."""
    first: dict[str, LocatedData] = {}
    for item, located in items:
        if item.id in RESERVED_IDS:
            yield located.error(
                ("id",),
                f"the {kind} id '{item.id}' is reserved: its page would replace the site's "
                f"{folder}/ page; choose another id and rename the file",
            )
        other = first.setdefault(item.id, located)
        if other is not located:
            for here, there in ((located, other), (other, located)):
                yield here.error(
                    ("id",),
                    f"the {kind} id '{item.id}' is also the id of {there.shown}: two files hold "
                    f"the same {kind}; keep one of them or give this one another id",
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
            if exercise.id in RESERVED_IDS:
                yield located.error(
                    ("exercises", index, "id"),
                    f"the exercise id '{exercise.id}' is reserved: its page would replace the "
                    "site's exercises/ page; choose another id",
                )
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
        times: dict[str, int] = {}
        for index, entry in enumerate(exercise_set.exercises):
            if entry.break_minutes is not None:
                total += entry.break_minutes
                continue
            times[entry.id or ""] = times.get(entry.id or "", 0) + 1
            if times[entry.id or ""] == MAX_REPEATS + 1:
                count = sum(1 for other in exercise_set.exercises if other.id == entry.id)
                yield located.error(
                    ("exercises", index, "id"),
                    f"the exercise '{entry.id}' is listed {count} times in this set: list one "
                    f"exercise at most {MAX_REPEATS} times",
                )
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
    languages = DEFAULT_LANGUAGES
    if (path := required("workbook.yml")) is not None:
        workbook, workbook_located = _load(path, root, Workbook, errors)
        if workbook_located is not None:
            languages = _declared(workbook_located.data)
            errors.extend(strings_checks(languages, workbook_located, root))
        if workbook is not None and workbook_located is not None:
            errors.extend(settings_checks(workbook, workbook_located, root))
    if (path := required("sources.yml")) is not None:
        sources_list, sources_located = _load(path, root, SourceList, errors, languages)
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
        bank, located = _load(path, root, Bank, errors, languages)
        if bank is not None and located is not None:
            banks.append((bank, located))
    sets: list[tuple[ExerciseSet, LocatedData]] = []
    for path in _yaml_files(root / "sets"):
        files.append(path)
        exercise_set, located = _load(path, root, ExerciseSet, errors, languages)
        if exercise_set is not None and located is not None:
            sets.append((exercise_set, located))

    errors.extend(_file_ids("bank", "banks", banks))
    errors.extend(_file_ids("set", "sets", sets))
    errors.extend(cross_checks(banks, sets, set(sources) if sources_list is not None else None))
    if errors or workbook is None:
        raise ContentErrors(errors)
    activate(root.resolve(), list(workbook.languages))
    return Content(
        root=str(root),
        workbook=workbook,
        sources=sources,
        banks=sorted((bank for bank, _ in banks), key=lambda bank: (bank.order, bank.id)),
        sets=[exercise_set for exercise_set, _ in sets],
        files=[str(path) for path in files],
    )
