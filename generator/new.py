"""`workbook new DIR`: a new workbook project, ready to check, build and brand."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from generator import resources
from generator.errors import ToolError, display_path
from generator.options import verbosity
from generator.output import write_text_atomic

logger = logging.getLogger("workbook")
RENAMED = {"gitignore.txt": ".gitignore"}
"""Starter files stored under another name in the package (dot files do not ship well)."""


def create_project(folder: Path) -> list[Path]:
    """Write the starter project into ``folder`` (new or empty); return the files written."""
    from generator.schema import schema_files

    if folder.exists() and not folder.is_dir():
        raise ToolError(f"{display_path(folder)} is a file: choose a new folder name")
    if folder.is_dir() and any(folder.iterdir()):
        raise ToolError(
            f"{display_path(folder)} is not empty: choose a new folder, or an empty one "
            "(nothing in it is changed)"
        )
    written = []
    for name, source in resources.tree("project").items():
        target = folder / RENAMED.get(name, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
        written.append(target)
    for name, text in schema_files().items():
        target = folder / "schema" / name
        write_text_atomic(target, text)
        written.append(target)
    return written


@click.command("new")
@click.argument("folder", type=click.Path(path_type=Path))
@verbosity
def new_command(folder: Path) -> None:
    """Create a new workbook project in FOLDER (new or empty).

    The project holds workbook.yml (title, authors, licence, languages, site and print
    settings), sources.yml, banks/ with one complete example exercise, sets/ with one example
    set, the JSON Schemas editors complete from, assets/ with a logo, an overrides/ folder for
    your own templates and CSS, and a short README.

    \b
    Example:
      workbook new my-workbook
      cd my-workbook && workbook check && workbook build
    """
    written = create_project(folder)
    logger.info(
        "created %s (%d files): next, `cd %s` then `workbook check` and `workbook serve`",
        display_path(folder),
        len(written),
        display_path(folder),
    )
