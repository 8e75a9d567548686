"""Interface text: one store per language, read through one function.

The tool ships ``strings/<lang>.yml`` (flat ``key: text``); a project adds or overrides keys in
``overrides/strings/<lang>.yml``, key by key. Every label the site, the PDFs and the CLI show
comes from here, through :func:`ui`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from generator import resources
from generator.errors import ToolError


@lru_cache(maxsize=32)
def _store(lang: str, project: Path | None) -> dict[str, str]:
    tool = resources.tool_dir() / "strings" / f"{lang}.yml"
    layers = [tool]
    overrides = resources.overrides_dir(project)
    if overrides is not None:
        layers.append(overrides / "strings" / f"{lang}.yml")
    strings: dict[str, str] = {}
    found = False
    for path in layers:
        if path.is_file():
            found = True
            loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            strings.update({str(key): str(text) for key, text in loaded.items()})
    if not found:
        where = (overrides or Path("overrides")) / "strings" / f"{lang}.yml"
        raise ToolError(
            f"no interface text for the language '{lang}': write {where} "
            f"(copy the keys of {resources.tool_dir() / 'strings' / 'en.yml'})"
        )
    return strings


def strings(lang: str, project: Path | None = None) -> dict[str, str]:
    """Every interface string of ``lang``: the tool's, with the project's overrides on top."""
    return _store(lang, project)


def shipped_languages() -> list[str]:
    """The languages the tool ships interface text for."""
    return sorted(path.stem for path in (resources.tool_dir() / "strings").glob("*.yml"))


def string_files(project: Path | None) -> list[Path]:
    """Every strings file a build may read (for cache keys)."""
    files = sorted((resources.tool_dir() / "strings").glob("*.yml"))
    overrides = resources.overrides_dir(project)
    if overrides is not None:
        files += sorted((overrides / "strings").glob("*.yml"))
    return files
