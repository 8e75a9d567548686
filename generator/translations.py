"""Translation status: which translation was made from which version of its source text.

For each text of the project (a mapping of language codes to texts) and each language after
the first (the source language), ``translations.yml`` beside the content records a short hash
of the source text the translation was reviewed against. A text is then, per language:

- ``up to date``: reviewed against the source text as it is now;
- ``stale``: reviewed, but the source text changed since;
- ``missing``: never reviewed (or the language's text is absent).

Texts are named by file and a stable path (``exercises[body-signal-map].steps.2.text``: list
items with an ``id`` are named by it), so inserting an exercise renames nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.errors import display_path
from generator.loader import KeyPath, load_yaml
from generator.output import write_text_atomic

RECORD = "translations.yml"
HEADER = (
    "# Maintained by `workbook translations --done`: for each text and language, a hash of the\n"
    "# source text the translation was reviewed against. Review it in diffs; do not edit it.\n"
)
UP_TO_DATE, STALE, MISSING = "up to date", "stale", "missing"


def source_hash(text: str) -> str:
    """A short hash of a source text, blind to line wrapping."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]


def _segment(container: Any, index: int) -> str:
    item = container[index]
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f"[{item['id']}]"
    return f".{index}"


def texts(
    data: Any, languages: list[str], prefix: str = "", key_path: KeyPath = ()
) -> Iterator[tuple[str, KeyPath, dict[str, str]]]:
    """Every text in ``data``: (its stable name, its key path, {language: text})."""
    if isinstance(data, dict):
        keys = set(data)
        if (
            languages[0] in keys
            and keys <= set(languages)
            and all(isinstance(value, str) for value in data.values())
        ):
            yield prefix.lstrip("."), key_path, {str(k): str(v) for k, v in data.items()}
            return
        for key, value in data.items():
            yield from texts(value, languages, f"{prefix}.{key}", (*key_path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from texts(value, languages, prefix + _segment(data, index), (*key_path, index))


@dataclass(frozen=True, order=True)
class Status:
    """One translation of one text, where it stands."""

    file: str
    line: int
    col: int
    name: str
    lang: str
    state: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.state} in '{self.lang}': {self.name}"


def content_files(root: Path) -> list[Path]:
    files = [root / "workbook.yml", root / "sources.yml"]
    for folder in ("banks", "sets"):
        if (root / folder).is_dir():
            files += sorted(
                path for path in (root / folder).iterdir() if path.suffix in (".yml", ".yaml")
            )
    return [path for path in files if path.is_file()]


def load_record(root: Path) -> dict[str, dict[str, dict[str, str]]]:
    path = root / RECORD
    if not path.is_file():
        return {}
    data = load_yaml(path, root).data or {}
    return {
        str(file): {
            str(name): {str(k): str(v) for k, v in (langs or {}).items()}
            for name, langs in (names or {}).items()
        }
        for file, names in data.items()
    }


def save_record(root: Path, record: dict[str, dict[str, dict[str, str]]]) -> None:
    ordered = {
        file: {name: dict(sorted(langs.items())) for name, langs in sorted(names.items())}
        for file, names in sorted(record.items())
        if names
    }
    body = (
        yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=200) if ordered else ""
    )
    write_text_atomic(root / RECORD, HEADER + body)


def statuses(root: Path, languages: list[str]) -> list[Status]:
    """The status of every translation of every text of the project."""
    record = load_record(root)
    found = []
    for path in content_files(root):
        located = load_yaml(path, root)
        relative = path.relative_to(root).as_posix()
        reviewed = record.get(relative, {})
        for name, key_path, by_lang in texts(located.data, languages):
            line, col = located.locate(key_path)
            current = source_hash(by_lang[languages[0]])
            for lang in languages[1:]:
                recorded = reviewed.get(name, {}).get(lang)
                if lang not in by_lang or recorded is None:
                    state = MISSING
                elif recorded != current:
                    state = STALE
                else:
                    state = UP_TO_DATE
                found.append(Status(display_path(path), line, col, name, lang, state))
    return sorted(found)


def mark_done(
    root: Path,
    languages: list[str],
    targets: Iterable[tuple[Path, int | None]],
    only: list[str] | None = None,
) -> int:
    """Record the texts of each (file, line or None for all) as reviewed; return how many."""
    record = load_record(root)
    count = 0
    wanted = [lang for lang in languages[1:] if only is None or lang in only]
    for path, line in targets:
        located = load_yaml(path, root)
        relative = path.resolve().relative_to(root.resolve()).as_posix()
        texts_here = list(texts(located.data, languages))
        if line is not None:
            # the text whose mapping starts at or just before the line
            starts = [(located.locate(key)[0], name, key, by) for name, key, by in texts_here]
            before = [item for item in starts if item[0] <= line]
            texts_here = [(name, key, by) for _, name, key, by in before[-1:]] if before else []
        for name, _, by_lang in texts_here:
            for lang in wanted:
                if lang in by_lang:
                    record.setdefault(relative, {}).setdefault(name, {})[lang] = source_hash(
                        by_lang[languages[0]]
                    )
                    count += 1
    save_record(root, record)
    return count


def stale_names(root: Path, languages: list[str], lang: str) -> dict[str, set[str]]:
    """For ``lang``: file → the names of its stale texts (for the site's notices)."""
    stale: dict[str, set[str]] = {}
    for status in statuses(root, languages):
        if status.lang == lang and status.state == STALE:
            relative = Path(status.file).resolve().relative_to(root.resolve()).as_posix()
            stale.setdefault(relative, set()).add(status.name)
    return stale


def project_languages(root: Path) -> list[str]:
    """The ``languages`` of the project's workbook.yml, as written (first: the source)."""
    data = load_yaml(root / "workbook.yml", root).data or {}
    languages = data.get("languages") if isinstance(data, dict) else None
    if not isinstance(languages, list) or not languages:
        return []
    return [str(code) for code in languages]
