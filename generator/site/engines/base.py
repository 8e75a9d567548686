"""What every site engine adapter receives and promises."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeAlias

from generator.errors import ToolError

NavItem: TypeAlias = tuple[str, "str | list[str | NavItem]"]
"""A navigation entry: (title, page path) or (title, [page paths or entries])."""


@dataclass(frozen=True)
class Page:
    """One page of one language: its path in the docs folder, its title, description and body
    (HTML from the page templates), all plain strings."""

    doc: str
    title: str
    description: str
    body: str


@dataclass(frozen=True)
class SiteModel:
    """One language's site, engine-neutral: every string is plain text, never escaped.

    ``files`` maps docs-relative paths to the other contents: assets and data files.
    """

    lang: str
    pages: list[Page]
    files: dict[str, str | bytes]
    nav: list[NavItem]
    unlisted: list[str]
    name: str
    description: str
    copyright: str
    url: str | None
    logo: str | None
    favicon: str | None
    css: list[str]
    modules: list[str]
    theme_dir: Path
    direction: str = "ltr"
    extra: dict[str, Any] = field(default_factory=dict)


class EngineMissing(ToolError):
    """The engine asked for is not installed."""


class EngineRefused(ToolError):
    """The engine refused the generated project (in strict mode a warning is enough)."""


class Engine(Protocol):
    name: str

    def available(self) -> bool:
        """Whether the engine can run here."""

    def version(self) -> str:
        """The engine's version (part of the site's cache key)."""

    def prepare(self, model: SiteModel, project: Path) -> list[str]:
        """Write ``model`` into ``project`` as the engine's input; return the command to run.

        The command builds into ``project / "site"``.
        """


def module_available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def run_all(commands: list[tuple[str, list[str], Path]]) -> None:
    """Run each engine command (label, argv, working folder) at once; raise on any failure."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    running = [
        (
            label,
            subprocess.Popen(
                argv,
                cwd=cwd,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=environment,
            ),
        )
        for label, argv, cwd in commands
    ]
    failures = []
    for label, process in running:
        output, errors = process.communicate()
        if process.returncode != 0:
            details = (errors or output).strip().splitlines()
            failures.append(f"{label}: " + " / ".join(details[-3:]))
    if failures:
        raise EngineRefused(
            "the site engine refused the generated project: "
            + "; ".join(failures)
            + " (run with --verbose for details; this is a bug of the generator, please report it)"
        )


def python_module(module: str) -> list[str]:
    return [sys.executable, "-m", module]
