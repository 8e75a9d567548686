"""A user's mistake in a content folder, located at ``path:line:col``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in the content, with what to do about it."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class ContentErrors(Exception):
    """Every problem found in one check, sorted by place."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(error) for error in self.errors))


class ToolError(Exception):
    """A failure the user can fix that is not in the content (a missing library, a busy port,
    an output folder the tool will not touch): one clear line, exit status 1."""
