"""A progress bar for long builds on a terminal; silent when output is not a terminal."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

logger = logging.getLogger("workbook")

Advance = Callable[[str], None]


def _wanted() -> bool:
    return sys.stderr.isatty() and logger.isEnabledFor(logging.INFO)


@contextlib.contextmanager
def progress(description: str, total: int) -> Iterator[Advance]:
    """Yield ``advance(label)``, to call once per finished item."""
    if not _wanted() or total == 0:
        yield lambda label: logger.debug("%s: %s", description, label)
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[label]}"),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total, label="")

        def advance(label: str) -> None:
            bar.update(task, advance=1, label=label)

        yield advance
