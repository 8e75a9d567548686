"""Options and error handling shared by every `workbook` command."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from generator import log
from generator.errors import ContentErrors

F = TypeVar("F", bound=Callable[..., Any])
content_logger = logging.getLogger("workbook.content")

CONTENT_OPTION = click.option(
    "--content",
    "content_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("workbook"),
    show_default=True,
    help="The content folder (workbook.yml, sources.yml, banks/, sets/).",
)

JOBS_OPTION = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes rendering PDFs in parallel (default: the number of cores).",
)


def verbosity(command: F) -> F:
    """Add --quiet and --verbose, set up logging, and turn content errors into exit 1."""

    @click.option("--quiet", "-q", is_flag=True, help="Only warnings and errors.")
    @click.option("--verbose", "-v", is_flag=True, help="Say what each stage does.")
    @functools.wraps(command)
    def wrapper(*args: Any, quiet: bool, verbose: bool, **kwargs: Any) -> Any:
        log.configure(quiet=quiet, verbose=verbose)
        try:
            return command(*args, **kwargs)
        except ContentErrors as problems:
            for problem in problems.errors:
                content_logger.error(str(problem))
            count = len(problems.errors)
            content_logger.error(f"{count} problem{'s' if count != 1 else ''} found.")
            sys.exit(1)

    return wrapper  # type: ignore[return-value]
