"""The tool's own files, and a project's overrides of them.

The templates, stylesheets, fonts, interface strings and the starter project ship inside the
package as ``generator.templates`` (the repository's ``templates/`` folder, mapped by the
build configuration) and are found through ``importlib.resources``, never through a path
relative to a source checkout.

A project may override any of them, as a theme's custom folder does: a file at the same
relative path in the project's ``overrides/`` folder wins. Overrides are followed only while
they stay inside the project (a link that leads out of it is ignored, with a warning).
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from pathlib import Path

logger = logging.getLogger("workbook")

OVERRIDES = "overrides"


@cache
def tool_dir() -> Path:
    """The folder of the tool's own files, as installed (a real folder: wheels unpack)."""
    root = Path(str(files("generator.templates")))
    if not (root / "print").is_dir():
        raise RuntimeError(f"the tool's files are missing from {root}: reinstall the package")
    return root


def overrides_dir(project: Path | None) -> Path | None:
    """The project's ``overrides/`` folder, when there is one."""
    if project is None:
        return None
    folder = project / OVERRIDES
    return folder if folder.is_dir() else None


def _inside(path: Path, root: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def find(relative: str, project: Path | None = None) -> Path:
    """The file at ``relative`` (e.g. ``print/workbook.css``): the project's override if any."""
    overrides = overrides_dir(project)
    if overrides is not None:
        candidate = overrides / relative
        if candidate.is_file():
            if _inside(candidate, project or overrides):
                return candidate
            logger.warning("ignored %s: it leads outside the project", candidate)
    return tool_dir() / relative


def tree(relative: str, project: Path | None = None) -> dict[str, Path]:
    """Every file under the folder ``relative``, by path inside it; overrides win and add."""
    found: dict[str, Path] = {}
    roots = [tool_dir() / relative]
    overrides = overrides_dir(project)
    if overrides is not None:
        roots.append(overrides / relative)
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if not path.is_file() or path.name == "__init__.py" or "__pycache__" in path.parts:
                continue
            if project is not None and root is not roots[0] and not _inside(path, project):
                logger.warning("ignored %s: it leads outside the project", path)
                continue
            found[path.relative_to(root).as_posix()] = path
    return dict(sorted(found.items()))


def search_path(project: Path | None = None) -> list[str]:
    """Where templates are looked up, in order: the project's overrides, then the tool."""
    overrides = overrides_dir(project)
    return [str(path) for path in (overrides, tool_dir()) if path is not None]


def digest_files(paths: Iterator[Path] | list[Path]) -> str:
    """One hash of the given files' names and bytes."""
    hasher = hashlib.sha256()
    for path in paths:
        hasher.update(str(path.name).encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def tree_digest(relative: str, project: Path | None = None) -> str:
    """One hash of every file :func:`tree` finds, by relative path and bytes."""
    hasher = hashlib.sha256()
    for name, path in tree(relative, project).items():
        hasher.update(name.encode() + b"\0")
        hasher.update(path.read_bytes())
    return hasher.hexdigest()
