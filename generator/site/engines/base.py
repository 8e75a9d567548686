"""What every site engine adapter receives and promises."""

from __future__ import annotations

import importlib.util
import logging
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


class Previewing(Protocol):
    """An engine that can rebuild part of a site (optional: `workbook serve` otherwise builds
    the whole language site again after each change)."""

    def prepare_preview(self, model: SiteModel, project: Path) -> list[str]:
        """Bring ``project`` (empty, or this method's previous output) up to date with
        ``model``, touching only the files that changed, and return the command that rebuilds
        into ``project / "site"`` what they change (everything when it cannot tell; an empty
        list when nothing changed)."""


@dataclass(frozen=True)
class Synced:
    """What :func:`sync_files` did: the paths written (new or changed) and removed."""

    written: list[str]
    removed: list[str]


def sync_files(files: dict[str, str | bytes], folder: Path) -> Synced:
    """Make ``folder`` hold exactly ``files`` (relative path → text or bytes), writing only
    those whose bytes differ: an engine's incremental build then sees only them as changed."""
    root = str(folder)  # thousands of files at a time: no pathlib in the loops
    existing: set[str] = set()
    for parent, _, names in os.walk(root):
        inside = os.path.relpath(parent, root)
        prefix = "" if inside == "." else inside.replace(os.sep, "/") + "/"
        existing.update(prefix + name for name in names)
    written = []
    for relative, data in files.items():
        raw = data.encode("utf-8") if isinstance(data, str) else data
        target = os.path.join(root, relative)
        if relative in existing:
            with open(target, "rb") as stream:
                if stream.read() == raw:
                    continue
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as stream:
            stream.write(raw)
        written.append(relative)
    removed = sorted(existing - set(files))
    for relative in removed:
        os.unlink(os.path.join(root, relative))
    return Synced(written, removed)


def module_available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def engine_failure(label: str, code: int, output: str) -> str:
    """One engine run's failure, in a few words (all it said goes to the debug log)."""
    logging.getLogger("workbook").debug("%s said:\n%s", label, output.strip())
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    return f"{label}: " + (" / ".join(lines[-3:]) if lines else f"stopped with status {code}")


def refused(failures: list[str]) -> EngineRefused:
    """The one-line error for engine runs that failed."""
    return EngineRefused(
        "the site engine refused the generated project: "
        + "; ".join(failures)
        + " (check the theme templates in the project's overrides/, if any, else report it "
        "as a bug of the generator; --verbose shows all the engine said)"
    )


def engine_environment() -> dict[str, str]:
    """The environment an engine command runs in (MkDocs 1.x's notice about 2.0 silenced)."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def run_all(commands: list[tuple[str, list[str], Path]]) -> None:
    """Run each engine command (label, argv, working folder) at once; raise on any failure."""
    environment = engine_environment()
    running: list[tuple[str, subprocess.Popen[str]]] = []
    for label, argv, cwd in commands:
        try:
            process = subprocess.Popen(
                argv,
                cwd=cwd,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=environment,
            )
        except OSError as problem:
            for _, started in running:
                started.kill()
                started.communicate()
            raise EngineMissing(
                f"the site engine cannot start ({label}: {problem.strerror}): reinstall it"
            ) from problem
        running.append((label, process))
    failures = []
    for label, process in running:
        output, errors = process.communicate()
        if process.returncode != 0:
            failures.append(engine_failure(label, process.returncode, errors or output))
    if failures:
        raise refused(failures)


def python_module(module: str) -> list[str]:
    return [sys.executable, "-m", module]
