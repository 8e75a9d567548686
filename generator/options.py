"""Options and error handling shared by every `workbook` command."""

from __future__ import annotations

import functools
import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from generator import log
from generator.errors import ContentErrors, ToolError
from generator.site.engines import DEFAULT_ENGINE, ENGINES

F = TypeVar("F", bound=Callable[..., Any])
content_logger = logging.getLogger("workbook.content")

CONTENT_OPTION = click.option(
    "--content",
    "content_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The project folder (workbook.yml, sources.yml, banks/, sets/). Default: the current "
    "folder when it holds workbook.yml, else ./workbook.",
)


def project_folder(given: Path | None) -> Path:
    """The project folder a command works on: ``--content``, or found from here."""
    if given is not None:
        return given
    for candidate in (Path("."), Path("workbook")):
        if (candidate / "workbook.yml").is_file():
            return candidate
    raise ToolError(
        "no workbook project here (no workbook.yml in this folder or in ./workbook): "
        "run the command inside a project folder, pass --content DIR, "
        "or create a project with `workbook new DIR`"
    )


ENGINE_OPTION = click.option(
    "--engine",
    type=click.Choice(list(ENGINES)),
    default=DEFAULT_ENGINE,
    show_default=True,
    help="The site engine that turns the generated pages into HTML (see the README).",
)

JOBS_OPTION = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes rendering PDFs in parallel (default: the number of cores).",
)


def verbosity(command: F) -> F:
    """Add --quiet and --verbose, set up logging, and turn what the user can fix into one
    message and exit status 1: every :class:`ContentErrors` problem as ``file:line:col:
    message``, a :class:`ToolError` as one line. With --verbose the traceback comes first."""

    @click.option("--quiet", "-q", is_flag=True, help="Only warnings and errors.")
    @click.option(
        "--verbose", "-v", is_flag=True, help="Say what each stage does (and, on an error, where)."
    )
    @functools.wraps(command)
    def wrapper(*args: Any, quiet: bool, verbose: bool, **kwargs: Any) -> Any:
        log.configure(quiet=quiet, verbose=verbose)
        try:
            if "content_dir" in kwargs:
                kwargs["content_dir"] = project_folder(kwargs["content_dir"])
            return command(*args, **kwargs)
        except ContentErrors as problems:
            _traceback(verbose)
            for problem in problems.errors:
                content_logger.error(str(problem))
            count = len(problems.errors)
            content_logger.error(f"{count} problem{'s' if count != 1 else ''} found.")
            sys.exit(1)
        except ToolError as failure:
            _traceback(verbose)
            log.logger.error("%s", failure)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _traceback(verbose: bool) -> None:
    """With --verbose, the traceback of the error being handled (for a bug report)."""
    if verbose:
        log.logger.debug(traceback.format_exc().rstrip())
