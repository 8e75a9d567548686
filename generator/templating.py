"""The one Jinja environment (autoescape on, StrictUndefined), its filters and UI strings."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.markup import render_inline, render_markdown, typography

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@lru_cache(maxsize=1)
def ui_strings() -> dict[str, dict[str, str]]:
    """Interface strings by key then language, from every ``templates/*/strings.yml``."""
    strings: dict[str, dict[str, str]] = {}
    for path in sorted(TEMPLATES.glob("*/strings.yml")):
        strings.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return strings


def ui(key: str, lang: str) -> str:
    """The interface string ``key`` in ``lang``; a missing key is a bug, so it raises."""
    return ui_strings()[key][lang]


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The only Jinja environment of the project: site pages and print HTML alike."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = render_markdown
    env.filters["inline"] = render_inline
    env.filters["typography"] = typography
    env.globals["ui"] = ui
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
