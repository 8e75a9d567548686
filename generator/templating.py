"""The one Jinja environment (autoescape on, StrictUndefined), its filters and UI strings.

Templates are looked up in the active project's ``overrides/`` folder first, then in the
tool's own files (see generator.resources). The project becomes active when its content is
loaded (generator.validate.load_content), so every stage after it renders with its overrides.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator import resources
from generator.markup import first_paragraph_inline, render_inline, render_markdown, typography
from generator.models import DEFAULT_LANGUAGES
from generator.strings import strings

_active: dict[str, Any] = {"project": None, "languages": list(DEFAULT_LANGUAGES)}


def activate(project: Path | None, languages: list[str] | None = None) -> None:
    """Render with ``project``'s overrides and ``languages`` from now on (None: the tool's
    files only, French and English)."""
    _active["project"] = project
    _active["languages"] = list(languages or DEFAULT_LANGUAGES)


def active_project() -> Path | None:
    project: Path | None = _active["project"]
    return project


def active_languages() -> list[str]:
    """The active project's languages, the source language first."""
    return list(_active["languages"])


def ui(key: str, lang: str) -> str:
    """The interface string ``key`` in ``lang``; a missing key is a bug, so it raises."""
    return strings(lang, active_project())[key]


def has_ui(key: str, lang: str) -> bool:
    return key in strings(lang, active_project())


@lru_cache(maxsize=8)
def _environment(search_path: tuple[str, ...]) -> Environment:
    env = Environment(
        loader=FileSystemLoader(list(search_path)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = render_markdown
    env.filters["inline"] = render_inline
    env.filters["first_paragraph_inline"] = first_paragraph_inline
    env.filters["typography"] = typography
    env.globals["ui"] = ui
    return env


def environment() -> Environment:
    """The only Jinja environment of the project: site pages and print HTML alike."""
    return _environment(tuple(resources.search_path(active_project())))


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
